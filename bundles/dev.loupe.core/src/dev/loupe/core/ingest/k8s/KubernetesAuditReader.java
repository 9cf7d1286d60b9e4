package dev.loupe.core.ingest.k8s;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

import org.apache.jena.graph.Node;
import org.apache.jena.vocabulary.RDF;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.loupe.core.ingest.ArnPrincipals;
import dev.loupe.core.ingest.EvidenceReader;
import dev.loupe.core.ingest.FactBuffer;
import dev.loupe.core.ingest.JsonRecords;
import dev.loupe.core.ingest.ParseProblem;
import dev.loupe.core.ingest.RecordSink;
import dev.loupe.core.ingest.Times;
import dev.loupe.core.vocab.Ids;
import dev.loupe.core.vocab.Loupe;

/**
 * Kubernetes audit events ({@code audit.k8s.io} Event, as EKS sends its audit logs to CloudWatch Logs): single
 * events, arrays, JSON lines, EventList objects, and CloudWatch Logs exports whose records carry the event as a
 * JSON string in "message". Who (subject, address, user agent) did what (verb, resource, request URI) to which
 * pod, with what outcome.
 */
public final class KubernetesAuditReader implements EvidenceReader {
	private static final Pattern AUDIT = Pattern.compile("audit\\.k8s\\.io/v1|\"auditID\"\\s*:|\\\\\"auditID\\\\\"\\s*:");
	private static final Pattern VERB = Pattern.compile("\"verb\"\\s*:|\\\\\"verb\\\\\"\\s*:");

	@Override
	public String format() {
		return "k8s-audit";
	}

	@Override
	public boolean accepts(String head) {
		return AUDIT.matcher(head).find() && VERB.matcher(head).find();
	}

	@Override
	public void read(InputStream in, String fileName, RecordSink sink) throws IOException {
		FactBuffer facts = new FactBuffer(sink);
		JsonRecords.read(in, fileName, sink, Set.of("items", "events"), "Kubernetes audit event", (node, line, column, index) -> {
			if ("EventList".equals(node.path("kind").asText())) {
				int i = 0;
				for (JsonNode item : node.path("items")) {
					i++;
					one(facts, item, fileName, line, column, index, sink, " (item " + i + " of the EventList)");
				}
				return;
			}
			one(facts, node, fileName, line, column, index, sink, "");
		});
	}

	private static void one(FactBuffer facts, JsonNode node, String fileName, long line, long column, long index,
			RecordSink sink, String where) {
		JsonNode event = node;
		// CloudWatch Logs exports: {"timestamp": ..., "message": "{\"kind\":\"Event\",...}"}
		if (node.path("message").isTextual() && !node.has("verb")) {
			try {
				event = JsonRecords.JSON.readTree(node.get("message").asText());
			} catch (JsonProcessingException e) {
				sink.problem(new ParseProblem(fileName, line, column, index,
						"the log message is not a JSON audit event: " + e.getOriginalMessage() + where));
				return;
			}
		}
		JsonNode e = event;
		JsonRecords.handle(sink, fileName, line, column, index, where, () -> check(e),
				() -> facts.record(() -> map(facts, (ObjectNode) e)));
	}

	private static String check(JsonNode e) {
		if (!(e instanceof ObjectNode)) {
			return "expected a Kubernetes audit event object, found " + e.getNodeType().name().toLowerCase(Locale.ROOT);
		}
		if (!e.path("verb").isTextual()) {
			return "missing \"verb\"; expected an audit.k8s.io Event with verb, user and a timestamp";
		}
		if (time(e) == null) {
			return "no time: expected stageTimestamp, requestReceivedTimestamp or timestamp as an ISO-8601 time";
		}
		return null;
	}

	private static Instant time(JsonNode e) {
		for (String f : new String[] { "requestReceivedTimestamp", "stageTimestamp", "timestamp" }) {
			Instant t = Times.of(e.get(f));
			if (t != null) {
				return t;
			}
		}
		return Times.of(e.path("metadata").get("creationTimestamp"));
	}

	/** The IAM principal EKS authenticated the request as: user.extra.arn, else a username that is an IAM ARN. */
	private static String awsIdentity(JsonNode user, String username) {
		JsonNode arns = user.path("extra").path("arn");
		String arn = arns.isArray() && !arns.isEmpty() ? arns.get(0).asText() : arns.isTextual() ? arns.asText() : username;
		return ArnPrincipals.isIam(arn) ? arn : null;
	}

	private static void map(FactBuffer facts, ObjectNode e) {
		String raw = JsonRecords.compact(e);
		String audit = JsonRecords.text(e, "auditID");
		// one request is logged once per stage (RequestReceived, ResponseComplete, ...); the request's time, verb, user
		// and URI are in the key too, so that generated logs whose audit IDs are placeholders keep their requests apart
		// while the same event delivered twice is still one
		Node ev = Ids.event("k8s|" + (audit != null ? String.join("|", audit, String.valueOf(JsonRecords.text(e, "stage")), time(e).toString(),
				e.get("verb").asText(), String.valueOf(JsonRecords.text(e.path("user"), "username")), String.valueOf(JsonRecords.text(e,
						"requestURI"))) : raw));
		facts.add(ev, RDF.type.asNode(), Loupe.KubernetesAuditEvent);
		facts.add(ev, Loupe.eventTime, FactBuffer.time(time(e)));
		facts.add(ev, Loupe.eventName, FactBuffer.lit(e.get("verb").asText()));
		if (audit != null) {
			facts.add(ev, Loupe.eventId, FactBuffer.lit(audit)); // what reports list as the record's own ID
		}
		String user = JsonRecords.text(e.path("user"), "username");
		if (user != null) {
			Node subject = facts.kubernetesSubject(user);
			facts.add(ev, Loupe.actor, subject);
			String aws = awsIdentity(e.path("user"), user);
			if (aws != null) {
				facts.add(subject, Loupe.authenticatedAs, ArnPrincipals.of(facts, aws));
			}
		}
		JsonNode ips = e.path("sourceIPs");
		if (ips.isArray() && !ips.isEmpty()) {
			Node ip = facts.ip(ips.get(0).asText());
			if (ip != null) {
				facts.add(ev, Loupe.sourceIp, ip);
			}
		}
		String ua = JsonRecords.text(e, "userAgent");
		if (ua != null) {
			facts.add(ev, Loupe.userAgent, facts.userAgent(ua));
		}
		JsonNode ref = e.path("objectRef");
		String resource = JsonRecords.text(ref, "resource");
		if (resource != null) {
			String sub = JsonRecords.text(ref, "subresource");
			facts.add(ev, Loupe.k8sResource, FactBuffer.lit(sub == null ? resource : resource + "/" + sub));
			String name = JsonRecords.text(ref, "name");
			if (resource.equals("pods") && name != null) {
				facts.add(ev, Loupe.target, facts.kubernetesPod(JsonRecords.text(ref, "namespace"), name));
			}
		}
		String uri = JsonRecords.text(e, "requestURI");
		if (uri != null) {
			facts.add(ev, Loupe.requestUri, FactBuffer.lit(uri));
		}
		JsonNode code = e.path("responseStatus").path("code");
		if (code.isNumber()) {
			facts.add(ev, Loupe.responseCode, FactBuffer.lit(code.asText()));
		}
		for (String q : KubernetesQualifiers.of(e)) {
			facts.add(ev, Loupe.qualifier, FactBuffer.lit(q));
		}
		// EKS says which AWS credentials authenticated the request: the key meets the CloudTrail calls made with it
		JsonNode keys = e.path("user").path("extra").path("accessKeyId");
		String key = keys.isArray() && !keys.isEmpty() ? keys.get(0).asText() : keys.isTextual() ? keys.asText() : null;
		if (key != null && !key.isBlank()) {
			facts.add(ev, Loupe.accessKey, Ids.accessKey(key));
		}
		facts.add(ev, Loupe.rawRecord, FactBuffer.lit(raw));
	}


}
