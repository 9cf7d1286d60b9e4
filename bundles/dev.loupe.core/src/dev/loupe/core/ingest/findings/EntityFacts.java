package dev.loupe.core.ingest.findings;

import org.apache.jena.graph.Node;

import com.fasterxml.jackson.databind.JsonNode;

import dev.loupe.core.ingest.FactBuffer;
import dev.loupe.core.ingest.JsonRecords;
import dev.loupe.core.vocab.Ids;
import dev.loupe.core.vocab.Loupe;

/**
 * Entities findings name without an ARN for them: a principal by type, name and account, keys, buckets,
 * Kubernetes subjects and pods, DNS names, autonomous systems. Their IRIs are those CloudTrail and the other
 * logs give the same entities, so a finding and the activity behind it meet in the graph.
 */
final class EntityFacts {
	private final FactBuffer facts;

	EntityFacts(FactBuffer facts) {
		this.facts = facts;
	}

	/** A principal from a finding's user type and name (GuardDuty names roles, not sessions); null if unknown. */
	Node principal(String type, String name, String accountId) {
		if (type == null || accountId == null) {
			return null;
		}
		String arn;
		Node cls;
		switch (type) {
		case "Root":
			arn = "arn:aws:iam::" + accountId + ":root";
			cls = Loupe.RootUser;
			name = "root (" + accountId + ")";
			break;
		case "IAMUser":
			arn = name == null ? null : "arn:aws:iam::" + accountId + ":user/" + name;
			cls = Loupe.IamUser;
			break;
		case "AssumedRole":
		case "Role":
			arn = name == null ? null : "arn:aws:iam::" + accountId + ":role/" + name;
			cls = Loupe.IamRole;
			break;
		case "FederatedUser":
			arn = name == null ? null : "arn:aws:sts::" + accountId + ":federated-user/" + name;
			cls = Loupe.FederatedUser;
			break;
		default:
			return null;
		}
		if (arn == null) {
			return null;
		}
		return principalByArn(arn, cls, name, accountId);
	}

	/**
	 * An ECS task from its ARN (arn:aws:ecs:REGION:ACCOUNT:task/CLUSTER/ID, or the older task/ID): the node its task
	 * role's session names; null when the ARN ends in no task ID.
	 */
	Node ecsTask(String arn, String accountId, Node region) {
		return isTaskArn(arn) ? facts.ecsTask(arn.substring(arn.lastIndexOf('/') + 1), accountId, region) : null;
	}

	static boolean isTaskArn(String arn) {
		return arn != null && arn.contains(":task/") && FactBuffer.isEcsTaskId(arn.substring(arn.lastIndexOf('/') + 1));
	}

	Node principalByArn(String arn, Node cls, String label, String accountId) {
		return facts.principal(Ids.arn(arn), cls, arn, label, accountId);
	}

	Node accessKey(String keyId) {
		Node k = Ids.accessKey(keyId);
		facts.describe(k, Loupe.AccessKey, Loupe.accessKeyId, keyId, keyId);
		return k;
	}

	Node bucket(String name) {
		Node b = Ids.bucket(name);
		facts.describe(b, Loupe.S3Bucket, Loupe.bucketName, name, name);
		return b;
	}

	Node domain(String name) {
		return facts.domain(name);
	}

	/** Links an address to its autonomous system when the number is known. */
	void autonomousSystem(Node ip, String asn, String organisation) {
		if (asn == null || !asn.matches("\\d{1,10}")) {
			return;
		}
		Node as = Ids.autonomousSystem(asn);
		if (facts.describe(as, Loupe.AutonomousSystem, null, null, Ids.autonomousSystemLabel(asn, organisation))) {
			facts.add(as, Loupe.asn, FactBuffer.integer(Long.parseLong(asn)));
			if (organisation != null) {
				facts.add(as, Loupe.asOrganization, FactBuffer.lit(organisation));
			}
		}
		facts.add(ip, Loupe.inAutonomousSystem, as);
	}

	/** The remote side of what GuardDuty saw (also in ASFF copies): API caller, connection peer, port probers, DNS name. */
	void action(Node finding, JsonNode a) {
		remote(finding, a.path("awsApiCallAction").path("remoteIpDetails"));
		remote(finding, a.path("networkConnectionAction").path("remoteIpDetails"));
		remote(finding, a.path("kubernetesApiCallAction").path("remoteIpDetails"));
		for (JsonNode probe : a.path("portProbeAction").path("portProbeDetails")) {
			remote(finding, probe.path("remoteIpDetails"));
		}
		String domain = JsonRecords.text(a.path("dnsRequestAction"), "domain");
		if (domain != null) {
			facts.add(finding, Loupe.concerns, domain(domain));
		}
	}

	private void remote(Node finding, JsonNode details) {
		String ip = JsonRecords.text(details, "ipAddressV4");
		if (ip == null) {
			ip = JsonRecords.text(details, "ipAddressV6");
		}
		Node n = facts.ip(ip);
		if (n == null) {
			return;
		}
		facts.add(finding, Loupe.concerns, n);
		JsonNode org = details.path("organization");
		autonomousSystem(n, org.path("asn").asText(null), JsonRecords.text(org, "asnOrg"));
	}
}
