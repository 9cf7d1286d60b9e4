package dev.loupe.core.store;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.apache.jena.graph.Node;
import org.apache.jena.graph.Triple;
import org.apache.jena.sparql.core.DatasetGraph;
import org.apache.jena.vocabulary.RDF;

import dev.loupe.core.vocab.Loupe;

/**
 * What the summaries need of one evidence record, read from the facts written for it: its time, the entities
 * it mentions by role, and for API calls the caller and API. Read from facts rather than from each format's
 * JSON so that every ingester gets summaries, and a summary rebuilt from the store equals the one made at ingest.
 */
public record EvidenceRecord(Instant time, List<Participant> participants, Node actor, String service,
		String name, boolean failed, String kind) {

	/** The kinds of evidence whose hourly activity is summarised (silences are looked for in each), by class. */
	static final java.util.Map<Node, String> KINDS = java.util.Map.of(Loupe.ApiCall, "ApiCall", Loupe.S3AccessRecord,
			"S3AccessRecord", Loupe.NetworkFlow, "NetworkFlow", Loupe.DnsQuery, "DnsQuery", Loupe.KubernetesAuditEvent,
			"KubernetesAuditEvent", Loupe.Finding, "Finding", Loupe.InsightEvent, "InsightEvent");

	/** The service a Kubernetes API server's requests are summarised under. */
	static final String KUBERNETES = "kubernetes";

	/** An entity mentioned by the record through one of {@link #ROLES}, e.g. loupe:sourceIp. */
	public record Participant(Node role, Node entity) {
	}

	/** The properties by which a record mentions an entity. */
	public static final Set<Node> ROLES = Set.of(Loupe.actor, Loupe.accessKey, Loupe.sourceIp, Loupe.userAgent,
			Loupe.account, Loupe.target, Loupe.inRegion, Loupe.srcAddress, Loupe.dstAddress, Loupe.queryName,
			Loupe.concerns, Loupe.ofInstance);

	/** A Kubernetes request as the summaries and reports name it: the verb and what it was done to, "create pods/exec". */
	public static String kubernetesCall(String verb, String resource) {
		return resource == null ? verb : verb + " " + resource;
	}

	/** Whether the record is a call (an API call, a Kubernetes API server's request) whose caller and API are summarised. */
	public boolean isApiCall() {
		return actor != null && name != null && service != null;
	}

	/** The record {@code subject} as told by those of {@code facts} about it, or null when it is not a record. */
	public static EvidenceRecord of(Node subject, List<Triple> facts) {
		Instant time = null;
		List<Participant> participants = new ArrayList<>();
		Node actor = null;
		String service = null;
		String name = null;
		boolean failed = false;
		boolean apiCall = false;
		boolean kubernetes = false;
		String resource = null;
		String kind = null;
		for (Triple t : facts) {
			if (!t.getSubject().equals(subject)) {
				continue;
			}
			Node p = t.getPredicate();
			Node o = t.getObject();
			if (p.equals(Loupe.eventTime) && o.isLiteral()) {
				time = instant(o.getLiteralLexicalForm());
			} else if (ROLES.contains(p) && o.isURI()) {
				participants.add(new Participant(p, o));
				if (p.equals(Loupe.actor)) {
					actor = o;
				}
			} else if (p.equals(Loupe.eventName) && o.isLiteral()) {
				name = o.getLiteralLexicalForm();
			} else if (p.equals(Loupe.eventSource) && o.isLiteral()) {
				service = o.getLiteralLexicalForm();
			} else if (p.equals(Loupe.errorCode)) {
				failed = true;
			} else if (p.equals(Loupe.k8sResource) && o.isLiteral()) {
				resource = o.getLiteralLexicalForm();
			} else if (p.equals(Loupe.responseCode) && o.isLiteral()) {
				String code = o.getLiteralLexicalForm();
				failed |= code.length() == 3 && code.charAt(0) >= '4'; // 4xx and 5xx: refused or failed
			} else if (p.equals(RDF.type.asNode()) && KINDS.containsKey(o)) {
				apiCall |= o.equals(Loupe.ApiCall);
				kubernetes |= o.equals(Loupe.KubernetesAuditEvent);
				// an access log line is also an API call: its own kind tells the streams apart
				if (kind == null || !o.equals(Loupe.ApiCall)) {
					kind = KINDS.get(o);
				}
			}
		}
		if (time == null) {
			return null;
		}
		if (kubernetes && name != null) {
			// a request to the API server is summarised as a call: the verb and what it was done to
			return new EvidenceRecord(time, participants, actor, KUBERNETES, kubernetesCall(name, resource), failed, kind);
		}
		return apiCall ? new EvidenceRecord(time, participants, actor, service, name, failed, kind)
				: new EvidenceRecord(time, participants, null, null, null, false, kind);
	}

	/** Every record of a stored source graph. */
	public static void readAll(DatasetGraph dsg, Node graph, java.util.function.Consumer<EvidenceRecord> out) {
		dsg.find(graph, Node.ANY, Loupe.eventTime, Node.ANY).forEachRemaining(q -> {
			List<Triple> facts = new ArrayList<>();
			dsg.find(graph, q.getSubject(), Node.ANY, Node.ANY).forEachRemaining(f -> facts.add(f.asTriple()));
			EvidenceRecord r = of(q.getSubject(), facts);
			if (r != null) {
				out.accept(r);
			}
		});
	}

	/** Ingesters write UTC times as Instant.toString() does; those are read without a formatter (hot path). */
	static Instant instant(String t) {
		int n = t.length();
		if (n >= 20 && t.charAt(4) == '-' && t.charAt(7) == '-' && t.charAt(10) == 'T' && t.charAt(13) == ':'
				&& t.charAt(16) == ':' && t.charAt(n - 1) == 'Z' && (n == 20 || t.charAt(19) == '.')) {
			try {
				long days = java.time.LocalDate.of(digits(t, 0, 4), digits(t, 5, 7), digits(t, 8, 10)).toEpochDay();
				long seconds = days * 86_400 + digits(t, 11, 13) * 3600L + digits(t, 14, 16) * 60L + digits(t, 17, 19);
				int nanos = 0;
				if (n > 20) {
					String fraction = t.substring(20, n - 1);
					nanos = digits(fraction + "000000000".substring(fraction.length()), 0, 9);
				}
				return Instant.ofEpochSecond(seconds, nanos);
			} catch (RuntimeException e) {
				// not the plain form after all: the full parser decides
			}
		}
		try {
			return Instant.parse(t);
		} catch (DateTimeParseException e) {
			return null;
		}
	}

	private static int digits(String s, int from, int to) {
		int v = 0;
		for (int i = from; i < to; i++) {
			char c = s.charAt(i);
			if (c < '0' || c > '9') {
				throw new NumberFormatException(s);
			}
			v = v * 10 + (c - '0');
		}
		return v;
	}
}
