package dev.loupe.core.ingest.findings;

import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.jena.graph.Node;
import org.apache.jena.graph.NodeFactory;
import org.apache.jena.vocabulary.RDF;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.loupe.core.ingest.FactBuffer;
import dev.loupe.core.ingest.JsonRecords;
import dev.loupe.core.ingest.RecordSink;
import dev.loupe.core.ingest.Times;
import dev.loupe.core.vocab.Ids;
import dev.loupe.core.vocab.Loupe;

/**
 * One OCSF Detection Finding as a loupe:Finding: finding_info (uid, types, title, times), the product, severity_id
 * on GuardDuty's 0-10 scale, cloud account and region, resources (keys and their principal, instances, buckets,
 * ARNs), the endpoints of its evidences, and the ATT&CK tactics and techniques of its attacks.
 */
final class OcsfFindingMapper {
	private static final Pattern TECHNIQUE = Pattern.compile("^T\\d{4}(\\.\\d{3})?$");
	private static final Pattern TACTIC = Pattern.compile("^TA\\d{4}$");
	/** OCSF severity_id 0-6 (Unknown, Informational, Low, Medium, High, Critical, Fatal) on the 0-10 scale. */
	private static final double[] SEVERITY = { 0, 0, 3, 5, 7, 9, 10 };
	private final FactBuffer facts;
	private final EntityFacts entities;
	private final FindingKeys keys;
	private final FindingVersions versions = new FindingVersions();
	private final RecordSink sink;

	OcsfFindingMapper(RecordSink sink) {
		this.sink = sink;
		this.keys = new FindingKeys("ocsf", sink.knownFindings());
		this.facts = new FactBuffer(sink);
		this.entities = new EntityFacts(facts);
	}

	void map(ObjectNode f) {
		JsonNode info = f.path("finding_info");
		Instant at = Times.first(Times.of(info.get("first_seen_time_dt")), Times.of(info.get("first_seen_time")),
				Times.of(info.get("created_time_dt")), Times.of(info.get("created_time")), Times.of(f.get("time_dt")),
				Times.of(f.get("time")));
		if (at == null) {
			throw new IllegalArgumentException("no time: expected finding_info.first_seen_time, created_time or time");
		}
		facts.record(() -> write(f, info, at));
	}

	/** After the file's last finding: the latest version's state and severity of each ({@link FindingVersions}). */
	void finish() {
		versions.finish(sink);
	}

	/** What stays the same through a finding's updates: its product, resources, and when it began. */
	private static String identity(JsonNode f, JsonNode info, Instant at) {
		StringBuilder b = new StringBuilder(f.path("metadata").path("product").path("name").asText());
		f.path("resources").forEach(r -> b.append('|').append(r.path("type").asText()).append(' ').append(r.path("uid").asText()));
		return b.append('|').append(at).toString();
	}

	private void write(ObjectNode f, JsonNode info, Instant at) {
		versions.begin();
		String uid = info.get("uid").asText();
		String accountId = JsonRecords.text(f.path("cloud").path("account"), "uid");
		String identity = identity(f, info, at);
		Node finding = keys.node(uid.startsWith("arn:") ? Ids.arn(uid) : Ids.resource("ocsf-finding", String.valueOf(accountId), uid),
				identity);
		facts.add(finding, RDF.type.asNode(), Loupe.Finding);
		facts.add(finding, Loupe.findingKey, FactBuffer.lit(keys.key(identity)));
		facts.add(finding, Loupe.findingId, FactBuffer.lit(uid));
		for (JsonNode t : info.path("types")) {
			facts.add(finding, Loupe.findingType, FactBuffer.lit(t.asText()));
		}
		if (info.path("types").isEmpty()) {
			facts.add(finding, Loupe.findingType, FactBuffer.lit(String.valueOf(JsonRecords.text(f, "type_name"))));
		}
		String product = JsonRecords.text(f.path("metadata").path("product"), "name");
		facts.add(finding, Loupe.productName, FactBuffer.lit(product != null ? product : "unknown"));
		facts.add(finding, Loupe.eventTime, FactBuffer.time(at));
		Instant last = Times.first(Times.of(info.get("last_seen_time_dt")), Times.of(info.get("last_seen_time")));
		if (last != null && !last.isBefore(at)) {
			facts.add(finding, Loupe.endTime, FactBuffer.time(last));
		}
		// this version's state (status_id 3: Suppressed) and when it was modified (20-finding-signals.ru)
		Instant updated = Times.first(Times.of(info.get("modified_time_dt")), Times.of(info.get("modified_time")));
		if (updated != null) {
			versions.add(finding, Loupe.updatedAt, FactBuffer.time(updated));
		}
		String status = JsonRecords.text(f, "status");
		if (status == null && f.path("status_id").asInt() == 3) {
			status = "Suppressed";
		}
		text(finding, Loupe.findingState, status == null ? null : status.toUpperCase(java.util.Locale.ROOT));
		text(finding, Loupe.title, JsonRecords.text(info, "title"));
		text(finding, Loupe.description, JsonRecords.text(info, "desc"));
		int sev = f.path("severity_id").asInt(-1);
		if (sev >= 0 && sev < SEVERITY.length) {
			versions.add(finding, Loupe.severity, FactBuffer.decimal(java.math.BigDecimal.valueOf(SEVERITY[sev])));
		}
		Node account = facts.account(accountId);
		if (account != null) {
			facts.add(finding, Loupe.account, account);
		}
		Node region = facts.region(JsonRecords.text(f.path("cloud"), "region"));
		if (region != null) {
			facts.add(finding, Loupe.inRegion, region);
		}
		for (JsonNode r : f.path("resources")) {
			resource(finding, r, accountId, region);
		}
		for (JsonNode e : f.path("evidences")) {
			endpoint(finding, e.path("src_endpoint"));
			endpoint(finding, e.path("dst_endpoint"));
		}
		for (JsonNode a : f.path("attacks")) {
			attack(finding, Loupe.tactic, TACTIC, JsonRecords.text(a.path("tactic"), "uid"));
			attack(finding, Loupe.technique, TECHNIQUE, JsonRecords.text(a.path("technique"), "uid"));
			attack(finding, Loupe.technique, TECHNIQUE, JsonRecords.text(a.path("sub_technique"), "uid"));
		}
		facts.add(finding, Loupe.rawRecord, FactBuffer.lit(JsonRecords.compact(f)));
		versions.end(finding, updated);
	}

	private void text(Node s, Node p, String value) {
		if (value != null) {
			versions.add(s, p, FactBuffer.lit(value));
		}
	}

	private void resource(Node finding, JsonNode r, String accountId, Node region) {
		String type = String.valueOf(JsonRecords.text(r, "type"));
		String uid = JsonRecords.text(r, "uid");
		JsonNode data = r.path("data");
		Node n = null;
		if (type.equals("AWS::IAM::AccessKey")) {
			Node principal = entities.principal(JsonRecords.text(data, "user_type"), JsonRecords.text(data, "user_name"), accountId);
			if (principal != null) {
				facts.add(finding, Loupe.actor, principal);
			}
			String key = JsonRecords.text(data, "access_key_id") != null ? JsonRecords.text(data, "access_key_id") : uid;
			if (key != null) {
				n = entities.accessKey(key);
			}
		} else if (type.equals("AWS::EC2::Instance") && uid != null && uid.contains("i-")) {
			n = facts.resource("ec2-instance", Loupe.Ec2Instance, Loupe.instanceId, uid.substring(uid.lastIndexOf("i-")), accountId, region);
		} else if (type.equals("AWS::ECS::Task") && EntityFacts.isTaskArn(uid)) {
			n = entities.ecsTask(uid, accountId, region);
		} else if (type.equals("AWS::S3::Bucket") && (uid != null || JsonRecords.text(r, "name") != null)) {
			String name = JsonRecords.text(r, "name") != null ? JsonRecords.text(r, "name") : uid;
			n = entities.bucket(name.startsWith("arn:aws:s3:::") ? name.substring("arn:aws:s3:::".length()) : name);
		} else if (uid != null && uid.startsWith("arn:")) {
			n = Ids.arn(uid);
			facts.describe(n, Loupe.AwsResource, Loupe.arn, uid, uid);
		}
		if (n != null) {
			facts.add(finding, Loupe.concerns, n);
		}
	}

	private void endpoint(Node finding, JsonNode e) {
		Node ip = facts.ip(JsonRecords.text(e, "ip"));
		if (ip != null) {
			facts.add(finding, Loupe.concerns, ip);
			JsonNode as = e.path("autonomous_system");
			entities.autonomousSystem(ip, as.path("number").asText(null), JsonRecords.text(as, "name"));
		}
		String domain = JsonRecords.text(e, "domain");
		if (domain != null) {
			facts.add(finding, Loupe.concerns, entities.domain(domain));
		}
	}

	private void attack(Node finding, Node p, Pattern pattern, String id) {
		if (id != null) {
			Matcher m = pattern.matcher(id.strip());
			if (m.matches()) {
				facts.add(finding, p, NodeFactory.createURI("https://attack.mitre.org/" + m.group()));
			}
		}
	}

}
