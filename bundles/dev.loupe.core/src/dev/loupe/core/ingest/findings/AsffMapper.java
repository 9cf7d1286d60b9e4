package dev.loupe.core.ingest.findings;

import java.time.Instant;
import java.util.Locale;

import org.apache.jena.graph.Node;
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
 * One ASFF finding as a loupe:Finding: types, severity on GuardDuty's 0-10 scale, times, account and region,
 * the resources it names (keys and principals, instances, buckets, accounts), the remote side of its action and
 * network fields, and for GuardDuty attack sequences copied into Security Hub their Detection.Sequence.
 */
final class AsffMapper {
	private final FactBuffer facts;
	private final EntityFacts entities;
	private final FindingKeys keys;
	private final FindingVersions versions = new FindingVersions();
	private final RecordSink sink;

	AsffMapper(RecordSink sink) {
		this.sink = sink;
		this.keys = new FindingKeys("asff", sink.knownFindings());
		this.facts = new FactBuffer(sink);
		this.entities = new EntityFacts(facts);
	}

	void map(ObjectNode raw) {
		JsonNode f = Camel.of(raw);
		Instant at = Times.first(Times.of(f.get("firstObservedAt")), Times.of(f.get("createdAt")), Times.of(f.get("updatedAt")));
		if (at == null) {
			throw new IllegalArgumentException("no time: expected FirstObservedAt, CreatedAt or UpdatedAt as an ISO-8601 time");
		}
		facts.record(() -> write(f, raw, at));
	}

	/** After the file's last finding: the latest version's state and severity of each ({@link FindingVersions}). */
	void finish() {
		versions.finish(sink);
	}

	private void write(JsonNode f, ObjectNode raw, Instant at) {
		versions.begin();
		String id = f.get("id").asText();
		String accountId = f.get("awsAccountId").asText();
		String identity = identity(f);
		Node finding = keys.node(id.startsWith("arn:") ? Ids.arn(id) : Ids.resource("asff-finding", accountId, id), identity);
		facts.add(finding, RDF.type.asNode(), Loupe.Finding);
		facts.add(finding, Loupe.findingKey, FactBuffer.lit(keys.key(identity)));
		facts.add(finding, Loupe.findingId, FactBuffer.lit(id));
		for (JsonNode t : f.path("types")) {
			facts.add(finding, Loupe.findingType, FactBuffer.lit(t.asText()));
		}
		if (!f.path("types").elements().hasNext()) {
			facts.add(finding, Loupe.findingType, FactBuffer.lit(String.valueOf(JsonRecords.text(f, "generatorId"))));
		}
		facts.add(finding, Loupe.productName, FactBuffer.lit(product(f)));
		facts.add(finding, Loupe.eventTime, FactBuffer.time(at));
		Instant last = Times.of(f.get("lastObservedAt"));
		if (last != null && !last.isBefore(at)) {
			facts.add(finding, Loupe.endTime, FactBuffer.time(last));
		}
		text(finding, Loupe.title, JsonRecords.text(f, "title"));
		text(finding, Loupe.complianceStatus, JsonRecords.text(f.path("compliance"), "status"));
		// this version's state: a GuardDuty sample, archived (no longer relevant) or the workflow's (an analyst's
		// SUPPRESSED) (20-)
		Instant updated = Times.of(f.get("updatedAt"));
		if (updated != null) {
			versions.add(finding, Loupe.updatedAt, FactBuffer.time(updated));
		}
		String record = JsonRecords.text(f, "recordState");
		String workflow = JsonRecords.text(f.path("workflow"), "status");
		boolean sample = "true".equalsIgnoreCase(JsonRecords.text(f.path("productFields"), "aws/guardduty/service/additionalInfo/sample"));
		text(finding, Loupe.findingState, sample ? "SAMPLE" : "ARCHIVED".equals(record) || workflow == null ? record : workflow);
		text(finding, Loupe.description, JsonRecords.text(f, "description"));
		Double severity = severity(f.path("severity"), f.path("findingProviderFields").path("severity"));
		if (severity != null) {
			versions.add(finding, Loupe.severity,
					FactBuffer.decimal(new java.math.BigDecimal(severity).setScale(1, java.math.RoundingMode.HALF_UP)));
		}
		Node account = facts.account(accountId);
		if (account != null) {
			facts.add(finding, Loupe.account, account);
		}
		Node region = facts.region(JsonRecords.text(f, "region"));
		if (region != null) {
			facts.add(finding, Loupe.inRegion, region);
		}
		for (JsonNode r : f.path("resources")) {
			resource(finding, r, accountId, region);
		}
		entities.action(finding, f.path("action"));
		network(finding, f.path("network"));
		productFields(finding, f.path("productFields"));
		new SequenceMapper(facts, entities).map(finding, f.path("detection").path("sequence"), accountId, region);
		facts.add(finding, Loupe.rawRecord, FactBuffer.lit(JsonRecords.compact(raw)));
		versions.end(finding, updated);
	}

	private void text(Node s, Node p, String value) {
		if (value != null) {
			versions.add(s, p, FactBuffer.lit(value));
		}
	}

	private static String product(JsonNode f) {
		String name = JsonRecords.text(f, "productName");
		if (name == null) {
			name = JsonRecords.text(f.path("productFields"), "aws/securityhub/ProductName");
		}
		if (name == null) {
			String arn = f.get("productArn").asText();
			name = arn.substring(arn.lastIndexOf('/') + 1);
			name = name.equals("guardduty") ? "GuardDuty" : name;
		}
		return name;
	}

	/** GuardDuty's 0-10 scale: the product's own score for GuardDuty, else Normalized/10, else the label. */
	/**
	 * @param provider the severity the product gave (FindingProviderFields): when the label differs from it, an
	 *                 analyst changed it in Security Hub (BatchUpdateFindings), and the analyst's label is taken
	 *                 over the product's own score
	 */
	private static Double severity(JsonNode s, JsonNode provider) {
		String given = JsonRecords.text(provider, "label");
		boolean analyst = given != null && JsonRecords.text(s, "label") != null && !given.equalsIgnoreCase(JsonRecords.text(s, "label"));
		if (s.path("product").isNumber() && !analyst) {
			return Math.min(10, s.get("product").asDouble());
		}
		if (s.path("normalized").isNumber()) {
			return s.get("normalized").asDouble() / 10;
		}
		String label = JsonRecords.text(s, "label");
		if (label == null) {
			return null;
		}
		return switch (label.toUpperCase(Locale.ROOT)) {
		case "CRITICAL" -> 9.0;
		case "HIGH" -> 7.0;
		case "MEDIUM" -> 5.0;
		case "LOW" -> 3.0;
		default -> 0.0;
		};
	}

	/**
	 * What stays the same through a finding's updates: its product, resources, and when it began (not its types,
	 * which an analyst may change with BatchUpdateFindings).
	 */
	private static String identity(JsonNode f) {
		StringBuilder b = new StringBuilder(f.path("productArn").asText());
		f.path("resources").forEach(r -> b.append('|').append(r.path("type").asText()).append(' ').append(r.path("id").asText()));
		JsonNode first = f.path("firstObservedAt");
		return b.append('|').append(first.isMissingNode() ? f.path("createdAt").asText() : first.asText()).toString();
	}

	private void resource(Node finding, JsonNode r, String accountId, Node region) {
		String type = String.valueOf(JsonRecords.text(r, "type"));
		String id = JsonRecords.text(r, "id");
		JsonNode details = r.path("details");
		Node n = null;
		if (type.equals("AwsIamAccessKey")) {
			JsonNode k = details.path("awsIamAccessKey");
			String user = JsonRecords.text(k, "userName") != null ? JsonRecords.text(k, "userName") : JsonRecords.text(k, "principalName");
			Node principal = entities.principal(JsonRecords.text(k, "principalType"), user, accountId);
			if (principal != null) {
				facts.add(finding, Loupe.actor, principal);
			}
			String keyId = id != null && id.matches("A[KS]IA[A-Z0-9]{12,}") ? id : JsonRecords.text(k, "accessKeyId");
			if (keyId != null) {
				n = entities.accessKey(keyId);
			}
		} else if (type.equals("AwsEc2Instance") && id != null && id.contains("i-")) {
			n = facts.resource("ec2-instance", Loupe.Ec2Instance, Loupe.instanceId, id.substring(id.lastIndexOf("i-")),
					accountId, facts.region(JsonRecords.text(r, "region")));
		} else if (type.equals("AwsEcsTask") && EntityFacts.isTaskArn(id)) {
			n = entities.ecsTask(id, accountId, facts.region(JsonRecords.text(r, "region")));
		} else if (type.equals("AwsS3Bucket") && id != null) {
			n = entities.bucket(id.startsWith("arn:aws:s3:::") ? id.substring("arn:aws:s3:::".length()) : id);
		} else if (type.equals("AwsIamUser") && id != null && id.startsWith("arn:")) {
			facts.add(finding, Loupe.actor, entities.principalByArn(id, Loupe.IamUser, id.substring(id.lastIndexOf('/') + 1), accountId));
		} else if (type.equals("AwsIamRole") && id != null && id.startsWith("arn:")) {
			n = entities.principalByArn(id, Loupe.IamRole, id.substring(id.lastIndexOf('/') + 1), accountId);
		} else if (id != null && id.startsWith("arn:")) {
			n = Ids.arn(id);
			facts.describe(n, Loupe.AwsResource, Loupe.arn, id, id);
		}
		if (n != null) {
			facts.add(finding, Loupe.concerns, n);
		}
	}


	private void network(Node finding, JsonNode n) {
		for (String field : new String[] { "sourceIpV4", "sourceIpV6", "destinationIpV4", "destinationIpV6" }) {
			Node ip = facts.ip(JsonRecords.text(n, field));
			if (ip != null) {
				facts.add(finding, Loupe.concerns, ip);
			}
		}
		String domain = JsonRecords.text(n, "destinationDomain");
		if (domain != null) {
			facts.add(finding, Loupe.concerns, entities.domain(domain));
		}
	}

	/**
	 * GuardDuty's copies often carry the remote side only flattened into ProductFields
	 * ("aws/guardduty/service/action/networkConnectionAction/remoteIpDetails/ipAddressV4": "...").
	 */
	private void productFields(Node finding, JsonNode fields) {
		fields.properties().forEach(e -> {
			String key = e.getKey();
			if (key.endsWith("remoteIpDetails/ipAddressV4") && e.getValue().isTextual()) {
				Node ip = facts.ip(e.getValue().asText());
				if (ip != null) {
					facts.add(finding, Loupe.concerns, ip);
					String org = key.substring(0, key.length() - "ipAddressV4".length()) + "organization/";
					entities.autonomousSystem(ip, JsonRecords.text(fields, org + "asn"), JsonRecords.text(fields, org + "asnOrg"));
				}
			}
		});
	}

}
