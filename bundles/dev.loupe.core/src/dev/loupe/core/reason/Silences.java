package dev.loupe.core.reason;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

import org.apache.jena.graph.Node;
import org.apache.jena.graph.NodeFactory;
import org.apache.jena.query.ParameterizedSparqlString;
import org.apache.jena.query.QueryExecution;
import org.apache.jena.query.QuerySolution;
import org.apache.jena.rdf.model.Model;
import org.apache.jena.rdf.model.Resource;
import org.apache.jena.rdf.model.Statement;
import org.apache.jena.sparql.core.DatasetGraph;
import org.apache.jena.vocabulary.RDF;

import dev.loupe.core.query.Queries;
import dev.loupe.core.store.EvidenceStore;
import dev.loupe.core.vocab.Ids;
import dev.loupe.core.vocab.Loupe;

/**
 * Coverage gaps no call announced: a stream of evidence (a kind of record from one account and region) that had
 * been steady goes silent for hours, inside the evidence or until its end while other streams go on. Read from
 * the summary graph's hours of activity, so it costs the number of hours, not of records. A silence that begins
 * while a source was switched off (80-coverage-gaps.ru) says so. Thresholds: rules/85-silence-settings.ttl.
 */
final class Silences {
	static final Node RULE = NodeFactory.createURI(Loupe.RULE_NS + "silence");
	private static final long HOUR = 3_600_000L;
	/** The source a kind of record comes from, named as the tampering detectors name it (loupe:stopsSource). */
	static final Map<String, String> SOURCES = Map.of("ApiCall", "CloudTrail", "S3AccessRecord", "S3 server access logs",
			"NetworkFlow", "VPC Flow Logs", "DnsQuery", "Route 53 Resolver query logs", "KubernetesAuditEvent", "EKS audit logs",
			"Finding", "GuardDuty", "InsightEvent", "CloudTrail Insights");

	/** From a loupe:SilenceSettings in the rule data; without one, silences are not looked for. */
	record Settings(int minHours, int steadyHours, BigDecimal steadyFraction, List<String> kinds) {

		static Settings from(Model data) {
			for (Resource s : data.listSubjectsWithProperty(RDF.type, data.wrapAsResource(Loupe.SilenceSettings)).toList()) {
				return new Settings(integer(data, s, Loupe.silenceMinHours, 3), integer(data, s, Loupe.steadyHours, 12),
						s.hasProperty(data.createProperty(Loupe.steadyFraction.getURI()))
								? new BigDecimal(s.getProperty(data.createProperty(Loupe.steadyFraction.getURI())).getLiteral().getLexicalForm())
								: new BigDecimal("0.75"),
						s.listProperties(data.createProperty(Loupe.silenceKind.getURI())).mapWith(Statement::getString).toList());
			}
			return new Settings(0, 0, BigDecimal.ONE, List.of());
		}

		private static int integer(Model m, Resource s, Node p, int otherwise) {
			Statement v = s.getProperty(m.createProperty(p.getURI()));
			return v == null ? otherwise : v.getInt();
		}
	}

	private record Stream(String kind, Node account, Node region) {
	}

	/** One hour with records: when it starts, and its first and last record. */
	private record Hour(long start, Instant first, Instant last) {
	}

	private record Tampering(Node gap, String source, Node account, Node region, Instant start, Instant end) {
	}

	private final EvidenceStore store;
	private final Settings settings;

	Silences(EvidenceStore store, Settings settings) {
		this.store = store;
		this.settings = settings;
	}

	/** Runs inside the reasoner's write transaction; returns the number of silences written. */
	long run() {
		if (settings.kinds().isEmpty() || settings.minHours() <= 0) {
			return 0;
		}
		Map<Stream, TreeMap<Long, Hour>> streams = new java.util.LinkedHashMap<>();
		long end = Long.MIN_VALUE;
		DatasetGraph dsg = store.dataset().asDatasetGraph();
		Node summary = Ids.summaryGraph();
		// each hour's facts in one scan of its own (1K hours in the 1M-event bench, 2K at 2.9M events: there a
		// query looking up each of seven facts took 50-80 ms of every update)
		List<Node> activity = new ArrayList<>();
		dsg.find(summary, Node.ANY, RDF.type.asNode(), Loupe.ActivityHour).forEachRemaining(q -> activity.add(q.getSubject()));
		for (Node h : activity) {
			Map<Node, Node> facts = new java.util.HashMap<>();
			dsg.find(summary, h, Node.ANY, Node.ANY).forEachRemaining(q -> facts.putIfAbsent(q.getPredicate(), q.getObject()));
			Node kind = facts.get(Loupe.evidenceKind);
			Node start = facts.get(Loupe.hourStart);
			if (kind == null || start == null || !facts.containsKey(Loupe.firstSeen) || !facts.containsKey(Loupe.lastSeen)
					|| !settings.kinds().contains(kind.getLiteralLexicalForm())) {
				continue;
			}
			Stream key = new Stream(kind.getLiteralLexicalForm(), facts.get(Loupe.account), facts.get(Loupe.inRegion));
			Hour hour = new Hour(instant(start).toEpochMilli(), instant(facts.get(Loupe.firstSeen)), instant(facts.get(Loupe.lastSeen)));
			streams.computeIfAbsent(key, k -> new TreeMap<>()).put(hour.start(), hour);
			end = Math.max(end, hour.start());
		}
		List<Tampering> tampering = tampering();
		long written = 0;
		for (Map.Entry<Stream, TreeMap<Long, Hour>> e : streams.entrySet()) {
			TreeMap<Long, Hour> hours = e.getValue();
			Hour before = null;
			for (Hour h : hours.values()) {
				if (before != null && (h.start() - before.start()) / HOUR - 1 >= settings.minHours() && steady(hours, before.start())) {
					write(dsg, e.getKey(), before.last(), h.first(), tampering);
					written++;
				}
				before = h;
			}
			// the stream stops while the evidence of the others goes on
			if (before != null && (end - before.start()) / HOUR >= settings.minHours() && steady(hours, before.start())) {
				write(dsg, e.getKey(), before.last(), null, tampering);
				written++;
			}
		}
		return written;
	}

	/** Whether the stream had records in enough of the hours up to {@code hour}: a sparse stream's pauses say nothing. */
	private boolean steady(TreeMap<Long, Hour> hours, long hour) {
		long from = hour - (settings.steadyHours() - 1) * HOUR;
		int busy = hours.subMap(from, true, hour, true).size();
		return BigDecimal.valueOf(busy).compareTo(settings.steadyFraction().multiply(BigDecimal.valueOf(settings.steadyHours()))) >= 0;
	}

	private List<Tampering> tampering() {
		ParameterizedSparqlString pss = Queries.parameterized(Silences.class, "tampering-gaps.rq");
		pss.setIri("inferred", Ids.INFERRED_GRAPH);
		List<Tampering> out = new ArrayList<>();
		try (QueryExecution qe = QueryExecution.dataset(store.dataset()).query(pss.asQuery()).build()) {
			qe.execSelect().forEachRemaining(s -> out.add(new Tampering(s.get("gap").asNode(), s.getLiteral("source").getString(),
					node(s, "account"), node(s, "region"), instant(s, "start"), s.contains("end") ? instant(s, "end") : null)));
		}
		return out;
	}

	private static void write(DatasetGraph dsg, Stream s, Instant from, Instant until, List<Tampering> tampering) {
		Node g = Ids.inferredGraph();
		String source = SOURCES.getOrDefault(s.kind(), s.kind());
		Node gap = NodeFactory.createURI("urn:loupe:gap:silence:" + Ids.sha256("silence|" + s + "|" + from).substring(0, 40));
		dsg.add(g, gap, RDF.type.asNode(), Loupe.CoverageGap);
		dsg.add(g, gap, Loupe.gapSource, NodeFactory.createLiteralString(source));
		dsg.add(g, gap, Loupe.time, CodeSignals.time(from));
		if (until != null) {
			dsg.add(g, gap, Loupe.endTime, CodeSignals.time(until));
		}
		if (s.account() != null) {
			dsg.add(g, gap, Loupe.account, s.account());
		}
		if (s.region() != null) {
			dsg.add(g, gap, Loupe.inRegion, s.region());
		}
		dsg.add(g, gap, Loupe.rule, RULE);
		for (Tampering t : tampering) {
			// the source was switched off in this account and region when the silence began (within an hour)
			if (t.source().equals(source) && Objects.equals(t.account(), s.account()) && Objects.equals(t.region(), s.region())
					&& !t.start().isAfter(from.plus(Duration.ofHours(1))) && (t.end() == null || !t.end().isBefore(from))) {
				dsg.add(g, gap, Loupe.followsTampering, t.gap());
			}
		}
	}

	private static Node node(QuerySolution s, String var) {
		return s.contains(var) ? s.get(var).asNode() : null;
	}

	private static Instant instant(Node time) {
		return Instant.parse(time.getLiteralLexicalForm());
	}

	private static Instant instant(QuerySolution s, String var) {
		return Instant.parse(s.getLiteral(var).getLexicalForm());
	}
}
