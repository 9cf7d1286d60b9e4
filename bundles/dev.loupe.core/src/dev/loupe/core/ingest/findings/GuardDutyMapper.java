package dev.loupe.core.ingest.findings;

import java.time.Instant;

import org.apache.jena.graph.Node;
import org.apache.jena.vocabulary.RDF;

import com.fasterxml.jackson.databind.JsonNode;

import dev.loupe.core.ingest.FactBuffer;
import dev.loupe.core.ingest.JsonRecords;
import dev.loupe.core.ingest.RecordSink;
import dev.loupe.core.ingest.Times;
import dev.loupe.core.vocab.Ids;
import dev.loupe.core.vocab.Loupe;

/**
 * One GuardDuty finding (field names in camelCase, see {@link Camel}) as a loupe:Finding: its type, severity and
 * times, the account and region, the resources and principal it concerns, the remote addresses, domains and
 * autonomous systems of its action, and for attack sequences the actors, resources, endpoints, signals and
 * ATT&CK indicators GuardDuty correlated ({@link SequenceMapper}).
 */
final class GuardDutyMapper {
	private final FactBuffer facts;
	private final EntityFacts entities;
	private final FindingKeys keys;
	private final FindingVersions versions = new FindingVersions();
	private final RecordSink sink;

	GuardDutyMapper(RecordSink sink) {
		this.sink = sink;
		this.keys = new FindingKeys("guardduty", sink.knownFindings());
		this.facts = new FactBuffer(sink);
		this.entities = new EntityFacts(facts);
	}

	void map(JsonNode f, JsonNode raw) {
		Instant first = Times.of(f.path("service").get("eventFirstSeen"));
		Instant created = Times.of(f.get("createdAt"));
		Instant updated = Times.of(f.get("updatedAt"));
		Instant at = first != null ? first : created != null ? created : updated;
		if (at == null) {
			throw new IllegalArgumentException("no time: expected Service.EventFirstSeen, CreatedAt or UpdatedAt as an ISO-8601 time");
		}
		facts.record(() -> write(f, raw, at));
	}

	/** After the file's last finding: the latest version's state and severity of each ({@link FindingVersions}). */
	void finish() {
		versions.finish(sink);
	}

	private void write(JsonNode f, JsonNode raw, Instant at) {
		versions.begin();
		String accountId = f.get("accountId").asText();
		String arn = JsonRecords.text(f, "arn");
		String identity = identity(f);
		Node finding = keys.node(arn != null ? Ids.arn(arn) : Ids.resource("guardduty-finding", accountId, f.get("id").asText()),
				identity);
		facts.add(finding, RDF.type.asNode(), Loupe.Finding);
		facts.add(finding, Loupe.findingKey, FactBuffer.lit(keys.key(identity)));
		facts.add(finding, Loupe.findingId, FactBuffer.lit(f.get("id").asText()));
		facts.add(finding, Loupe.findingType, FactBuffer.lit(f.get("type").asText()));
		facts.add(finding, Loupe.productName, FactBuffer.lit("GuardDuty"));
		facts.add(finding, Loupe.eventTime, FactBuffer.time(at));
		Instant last = Times.of(f.path("service").get("eventLastSeen"));
		if (last != null && !last.isBefore(at)) {
			facts.add(finding, Loupe.endTime, FactBuffer.time(last));
		}
		// this version's state: a later pull of the same finding may say it was archived since (20-finding-signals.ru)
		Instant updated = Times.of(f.get("updatedAt"));
		if (updated != null) {
			versions.add(finding, Loupe.updatedAt, FactBuffer.time(updated));
		}
		// CreateSampleFindings' output (the console's "Generate sample findings") is no observation at all
		JsonNode archived = f.path("service").path("archived");
		if (f.path("service").path("additionalInfo").path("sample").asBoolean(false)) {
			versions.add(finding, Loupe.findingState, FactBuffer.lit("SAMPLE"));
		} else if (archived.isBoolean()) {
			versions.add(finding, Loupe.findingState, FactBuffer.lit(archived.asBoolean() ? "ARCHIVED" : "ACTIVE"));
		}
		String title = JsonRecords.text(f, "title");
		if (title != null) {
			versions.add(finding, Loupe.title, FactBuffer.lit(title));
		}
		if (f.path("severity").isNumber()) {
			versions.add(finding, Loupe.severity, FactBuffer.decimal(f.get("severity").decimalValue()));
		}
		Node account = facts.account(accountId);
		if (account != null) {
			facts.add(finding, Loupe.account, account);
		}
		Node region = facts.region(JsonRecords.text(f, "region"));
		if (region != null) {
			facts.add(finding, Loupe.inRegion, region);
		}
		resource(finding, f.path("resource"), accountId, region);
		entities.action(finding, f.path("service").path("action"));
		new SequenceMapper(facts, entities).map(finding, f.path("service").path("detection").path("sequence"), accountId, region);
		facts.add(finding, Loupe.rawRecord, FactBuffer.lit(JsonRecords.compact(raw)));
		versions.end(finding, updated);
	}

	/** What stays the same through a finding's updates: its type, what it is about, and when it began. */
	private static String identity(JsonNode f) {
		JsonNode r = f.path("resource");
		StringBuilder b = new StringBuilder(f.path("type").asText()).append('|').append(r.path("resourceType").asText())
				.append('|').append(r.path("accessKeyDetails").path("accessKeyId").asText())
				.append('|').append(r.path("accessKeyDetails").path("userName").asText())
				.append('|').append(r.path("instanceDetails").path("instanceId").asText())
				.append('|').append(r.path("kubernetesDetails").path("kubernetesUserDetails").path("username").asText());
		// (only when there is one: the identities of findings stored before tasks were read stay as they were)
		String task = r.path("ecsClusterDetails").path("taskDetails").path("arn").asText();
		if (!task.isEmpty()) {
			b.append("|ecs:").append(task);
		}
		r.path("s3BucketDetails").forEach(d -> b.append('|').append(d.path("name").asText()));
		JsonNode first = f.path("service").path("eventFirstSeen");
		return b.append('|').append(first.isMissingNode() ? f.path("createdAt").asText() : first.asText()).toString();
	}

	/** What the finding is about: a key and its principal, an instance, an ECS task, buckets, a Kubernetes workload. */
	private void resource(Node finding, JsonNode r, String accountId, Node region) {
		JsonNode key = r.path("accessKeyDetails");
		Node principal = entities.principal(JsonRecords.text(key, "userType"), JsonRecords.text(key, "userName"), accountId);
		if (principal != null) {
			facts.add(finding, Loupe.actor, principal);
		}
		String keyId = JsonRecords.text(key, "accessKeyId");
		if (keyId != null) {
			Node k = entities.accessKey(keyId);
			facts.add(finding, Loupe.concerns, k);
			if (principal != null && keyId.startsWith("AKIA")) {
				facts.add(k, Loupe.keyOf, principal);
			}
		}
		String instance = JsonRecords.text(r.path("instanceDetails"), "instanceId");
		if (instance != null) {
			facts.add(finding, Loupe.concerns,
					facts.resource("ec2-instance", Loupe.Ec2Instance, Loupe.instanceId, instance, accountId, region));
		}
		// an ECS task's runtime finding: its ARN ends in the task ID its task role's session is named after
		Node task = entities.ecsTask(JsonRecords.text(r.path("ecsClusterDetails").path("taskDetails"), "arn"), accountId, region);
		if (task != null) {
			facts.add(finding, Loupe.concerns, task);
		}
		for (JsonNode b : r.path("s3BucketDetails")) {
			String name = JsonRecords.text(b, "name");
			if (name != null) {
				facts.add(finding, Loupe.concerns, entities.bucket(name));
			}
		}
		JsonNode k8s = r.path("kubernetesDetails");
		String user = JsonRecords.text(k8s.path("kubernetesUserDetails"), "username");
		if (user != null) {
			Node subject = facts.kubernetesSubject(user);
			facts.add(finding, Loupe.concerns, subject);
			// in a Kubernetes finding the subject is who acted: its signal meets the subject's audit-log signals
			if (principal == null) {
				facts.add(finding, Loupe.actor, subject);
			}
		}
		JsonNode workload = k8s.path("kubernetesWorkloadDetails");
		if (JsonRecords.text(workload, "name") != null) {
			facts.add(finding, Loupe.concerns, facts.kubernetesPod(JsonRecords.text(workload, "namespace"), JsonRecords.text(workload, "name")));
		}
	}
}
