package dev.loupe.core.ingest.findings;

import java.time.Instant;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.jena.graph.Node;
import org.apache.jena.graph.NodeFactory;
import org.apache.jena.vocabulary.RDF;

import com.fasterxml.jackson.databind.JsonNode;

import dev.loupe.core.ingest.FactBuffer;
import dev.loupe.core.ingest.JsonRecords;
import dev.loupe.core.ingest.Times;
import dev.loupe.core.vocab.Ids;
import dev.loupe.core.vocab.Loupe;

/**
 * The correlation inside a GuardDuty Extended Threat Detection finding (Service.Detection.Sequence): its actors,
 * resources and endpoints become what the finding concerns, each signal a loupe:ReportedSignal of the finding
 * (with the entities it names by ID), and the ATT&CK tactics and techniques of its indicators the finding's.
 * The same shape arrives from the API and, with Id/ResourceIds and epoch-millisecond times, from ASFF copies.
 */
final class SequenceMapper {
	private static final Pattern TECHNIQUE = Pattern.compile("\\bT\\d{4}(\\.\\d{3})?\\b");
	private static final Pattern TACTIC_ID = Pattern.compile("\\bTA\\d{4}\\b");
	/** ATT&CK Enterprise tactics by name, as GuardDuty's ATTACK_TACTIC indicator spells them. */
	private static final Map<String, String> TACTICS = Map.ofEntries(Map.entry("reconnaissance", "TA0043"),
			Map.entry("resource development", "TA0042"), Map.entry("initial access", "TA0001"),
			Map.entry("execution", "TA0002"), Map.entry("persistence", "TA0003"),
			Map.entry("privilege escalation", "TA0004"), Map.entry("defense evasion", "TA0005"),
			Map.entry("credential access", "TA0006"), Map.entry("discovery", "TA0007"),
			Map.entry("lateral movement", "TA0008"), Map.entry("collection", "TA0009"),
			Map.entry("command and control", "TA0011"), Map.entry("exfiltration", "TA0010"),
			Map.entry("impact", "TA0040"));

	private final FactBuffer facts;
	private final EntityFacts entities;
	private final Map<String, Node> byId = new HashMap<>();

	SequenceMapper(FactBuffer facts, EntityFacts entities) {
		this.facts = facts;
		this.entities = entities;
	}

	void map(Node finding, JsonNode seq, String accountId, Node region) {
		if (!seq.isObject()) {
			return;
		}
		for (JsonNode a : seq.path("actors")) {
			actor(finding, a);
		}
		for (JsonNode r : seq.path("resources")) {
			resource(finding, r, accountId, region);
		}
		for (JsonNode e : seq.path("endpoints")) {
			endpoint(finding, e);
		}
		for (JsonNode s : seq.path("signals")) {
			signal(finding, s);
		}
		for (JsonNode i : seq.path("sequenceIndicators")) {
			indicator(finding, i);
		}
	}

	private void actor(Node finding, JsonNode a) {
		JsonNode user = a.path("user");
		String account = JsonRecords.text(user.path("account"), "uid");
		Node principal = entities.principal(JsonRecords.text(user, "type"), JsonRecords.text(user, "name"), account);
		if (principal != null) {
			facts.add(finding, Loupe.actor, principal);
			remember(a, "id", principal);
		}
		String key = JsonRecords.text(user, "credentialUid");
		if (key != null) {
			Node k = entities.accessKey(key);
			facts.add(finding, Loupe.concerns, k);
			if (principal != null && key.startsWith("AKIA")) {
				facts.add(k, Loupe.keyOf, principal);
			}
		}
	}

	private void resource(Node finding, JsonNode r, String accountId, Node region) {
		String uid = JsonRecords.text(r, "uid");
		String type = String.valueOf(JsonRecords.text(r, "resourceType"));
		String name = JsonRecords.text(r, "name");
		String account = JsonRecords.text(r, "accountId");
		Node n;
		if (type.contains("S3") && type.contains("Bucket") || uid != null && uid.startsWith("arn:aws:s3:::") && !uid.contains("/")) {
			n = entities.bucket(name != null ? name : uid.substring("arn:aws:s3:::".length()));
		} else if (type.contains("Instance") && uid != null && uid.contains("i-")) {
			String id = uid.substring(uid.lastIndexOf("i-"));
			n = facts.resource("ec2-instance", Loupe.Ec2Instance, Loupe.instanceId, id,
					account != null ? account : accountId, facts.region(JsonRecords.text(r, "region")));
		} else if (uid != null && uid.startsWith("arn:")) {
			n = Ids.arn(uid);
			facts.describe(n, Loupe.AwsResource, Loupe.arn, uid, name != null ? name : uid);
		} else {
			return;
		}
		facts.add(finding, Loupe.concerns, n);
		remember(r, "uid", n);
	}

	private void endpoint(Node finding, JsonNode e) {
		Node ip = facts.ip(JsonRecords.text(e, "ip"));
		if (ip != null) {
			facts.add(finding, Loupe.concerns, ip);
			remember(e, "id", ip);
			JsonNode as = e.path("autonomousSystem");
			entities.autonomousSystem(ip, as.path("number").asText(null), JsonRecords.text(as, "name"));
		}
		String domain = JsonRecords.text(e, "domain");
		if (domain != null) {
			Node d = entities.domain(domain);
			facts.add(finding, Loupe.concerns, d);
			if (ip == null) {
				remember(e, "id", d);
			}
		}
	}

	private void signal(Node finding, JsonNode s) {
		// ASFF copies name the signal's ID "Id" (camel: "id") where the API says "Uid"
		String uid = JsonRecords.text(s, "uid") != null ? JsonRecords.text(s, "uid") : JsonRecords.text(s, "id");
		if (uid == null) {
			return;
		}
		Node n = Ids.reportedSignal(finding.getURI(), uid);
		facts.add(n, RDF.type.asNode(), Loupe.ReportedSignal);
		facts.add(n, Loupe.reportedIn, finding);
		facts.add(n, Loupe.signalUid, FactBuffer.lit(uid));
		facts.text(n, Loupe.signalType, JsonRecords.text(s, "type"));
		facts.text(n, Loupe.title, JsonRecords.text(s, "name"));
		facts.text(n, Loupe.description, JsonRecords.text(s, "description"));
		Instant first = Times.of(s.get("firstSeenAt"));
		Instant last = Times.of(s.get("lastSeenAt"));
		if (first != null) {
			facts.add(n, Loupe.time, FactBuffer.time(first));
		}
		if (last != null && (first == null || !last.isBefore(first))) {
			facts.add(n, Loupe.endTime, FactBuffer.time(last));
		}
		if (s.path("severity").isNumber()) {
			facts.add(n, Loupe.severity,
					FactBuffer.decimal(s.get("severity").decimalValue()));
		}
		if (s.path("count").canConvertToLong()) {
			facts.add(n, Loupe.eventCount, FactBuffer.longValue(s.get("count").asLong()));
		}
		if (uid.startsWith("arn:aws:guardduty:")) {
			facts.add(n, Loupe.refersTo, Ids.arn(uid));
		}
		for (String list : new String[] { "actorIds", "resourceIds", "endpointIds" }) {
			for (JsonNode id : s.path(list)) {
				Node e = byId.get(id.asText());
				if (e != null) {
					facts.add(n, Loupe.concerns, e);
				}
			}
		}
	}

	private void indicator(Node finding, JsonNode i) {
		String key = String.valueOf(JsonRecords.text(i, "key"));
		for (JsonNode v : i.path("values")) {
			String value = v.asText("");
			if (key.equals("ATTACK_TECHNIQUE")) {
				Matcher m = TECHNIQUE.matcher(value);
				if (m.find()) {
					facts.add(finding, Loupe.technique, NodeFactory.createURI("https://attack.mitre.org/" + m.group()));
				}
			} else if (key.equals("ATTACK_TACTIC")) {
				Matcher m = TACTIC_ID.matcher(value);
				String id = m.find() ? m.group() : TACTICS.get(value.strip().toLowerCase(Locale.ROOT));
				if (id != null) {
					facts.add(finding, Loupe.tactic, NodeFactory.createURI("https://attack.mitre.org/" + id));
				}
			}
		}
	}

	private void remember(JsonNode n, String field, Node entity) {
		String id = JsonRecords.text(n, field);
		if (id != null) {
			byId.put(id, entity);
		}
	}

}
