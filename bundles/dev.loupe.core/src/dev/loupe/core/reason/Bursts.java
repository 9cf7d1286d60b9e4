package dev.loupe.core.reason;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import org.apache.jena.datatypes.xsd.XSDDatatype;
import org.apache.jena.graph.Node;
import org.apache.jena.graph.NodeFactory;
import org.apache.jena.query.ParameterizedSparqlString;
import org.apache.jena.query.QueryExecution;
import org.apache.jena.query.QuerySolution;
import org.apache.jena.rdf.model.Model;
import org.apache.jena.rdf.model.RDFNode;
import org.apache.jena.sparql.core.DatasetGraph;
import org.apache.jena.vocabulary.RDF;

import dev.loupe.core.query.Queries;
import dev.loupe.core.store.EvidenceStore;
import dev.loupe.core.vocab.Ids;
import dev.loupe.core.vocab.Loupe;

/**
 * Runs the burst detectors of the rule data (detectors-bursts.ttl): per detector and principal, the calls it
 * counts sorted in time; a window holding enough of them opens an episode, which lasts while calls keep coming
 * within the window (an hour at most) and becomes one signal. Code rather than a rule because it is a sliding
 * window over a sorted list; what counts and how many stay in the data.
 */
final class Bursts {
	static final Node RULE = NodeFactory.createURI(Loupe.RULE_NS + "burst-detector");
	static final Duration MAX_EPISODE = Duration.ofHours(1);

	/** A call counted, with what counts once when a detector counts different ones: its API, or its region. */
	private record Call(Node event, Instant time, String name, String key) {
	}

	private final EvidenceStore store;
	private final List<BurstDetector> detectors;
	/** How far from a principal's signals its calls are read for prefix detectors: the link window. */
	private final Duration reach;

	/** The graph the step reads signals from and writes its own to (the inferred graph, or an update's working graph). */
	private final Node graph;
	/** Null for every principal; in an update, only the principals whose signals are derived again. */
	private final Set<Node> only;
	/** In an update: episodes that begin before this stay as they are (null: all are written). */
	private Instant since;
	/** The same for the detectors that read calls around signals. */
	private Instant wideSince;
	/** Principals whose episodes are all written, whatever their time. */
	private Set<Node> wholly = Set.of();
	/**
	 * In an update: the detector and time of each signal the update keeps, by actor, which prefix detectors read
	 * around too (null in a full run).
	 */
	private Map<Node, List<Map.Entry<Node, Instant>>> settled;

	Bursts(EvidenceStore store, List<BurstDetector> detectors, Duration reach, Node graph, Set<Node> only) {
		this.store = store;
		this.detectors = detectors;
		this.reach = reach;
		this.graph = graph;
		this.only = only;
	}

	/**
	 * An update's bursts: only episodes from {@code from} on are written (null: all; {@code wideFrom} for the
	 * detectors that read calls around signals), while the calls of each principal are read as a full run reads
	 * them, so that the episodes come out the same; the signals the update keeps are {@code settledSignals} (the
	 * scope read them already: reading them again took 50 ms). All episodes of the principals {@code whole} are
	 * written.
	 */
	Bursts since(Instant from, Instant wideFrom, Map<Node, List<Map.Entry<Node, Instant>>> settledSignals, Set<Node> whole) {
		this.wholly = whole;
		this.since = from;
		this.wideSince = wideFrom;
		this.settled = settledSignals;
		return this;
	}

	/** Runs inside the reasoner's write transaction; returns the number of burst signals written. */
	long run() {
		long written = 0;
		DatasetGraph dsg = store.dataset().asDatasetGraph();
		for (int i = 0; i < detectors.size(); i++) {
			BurstDetector d = detectors.get(i);
			long t = System.nanoTime();
			Map<Node, List<Call>> byActor = new LinkedHashMap<>();
			if (!d.names().isEmpty()) {
				read(d, Loupe.eventName, literals(d.names()), byActor);
			}
			if (!d.errorCodes().isEmpty()) {
				read(d, Loupe.errorCode, literals(d.errorCodes()), byActor);
			}
			if (!d.qualifiers().isEmpty()) {
				read(d, Loupe.qualifier, literals(d.qualifiers()), byActor);
			}
			if (d.userAgent() != null) {
				read(d, Loupe.userAgent, agents(dsg, d.userAgent()), byActor);
			}
			if (!d.prefixes().isEmpty()) {
				readSuspects(d, byActor, detectors.subList(i, detectors.size()).stream().map(BurstDetector::iri).collect(
						java.util.stream.Collectors.toSet()));
			}
			if (only != null) {
				byActor.keySet().retainAll(only);
			}
			Reasoner.trace("  bursts: " + d.iri().getLocalName() + " read " + (System.nanoTime() - t) / 1_000_000 + " ms");
			for (Map.Entry<Node, List<Call>> e : byActor.entrySet()) {
				List<Call> calls = e.getValue();
				calls.sort(Comparator.comparing(Call::time).thenComparing(c -> c.event().getURI()));
				Instant start = wholly.contains(e.getKey()) ? null : d.prefixes().isEmpty() ? since : wideSince;
				for (List<Call> episode : episodes(d, calls)) {
					if (start != null && episode.get(0).time().isBefore(start)) {
						continue; // it stayed in the inferred graph
					}
					write(dsg, d, e.getKey(), episode);
					written++;
				}
			}
		}
		return written;
	}

	private static List<Node> literals(List<String> values) {
		return values.stream().map(NodeFactory::createLiteralString).toList();
	}

	/**
	 * The user agents whose text the pattern finds, from the summary graph's pairs (each user agent once per
	 * principal that called with it): the calls' own graphs repeat each user agent's text in every file that
	 * names it (20,835 copies of 5 at 1M events, 205 ms to read).
	 */
	private static List<Node> agents(DatasetGraph dsg, Pattern pattern) {
		Node g = Ids.summaryGraph();
		Set<Node> seen = new java.util.HashSet<>();
		List<Node> out = new ArrayList<>();
		dsg.find(g, Node.ANY, Loupe.cooccurrenceRole, Loupe.userAgent).forEachRemaining(c -> dsg.find(g, c.getSubject(), Loupe.cooccursWith,
				Node.ANY).forEachRemaining(q -> {
					Node agent = q.getObject();
					Node text = seen.add(agent) ? first(dsg, agent, Loupe.userAgentString) : null;
					if (text != null && text.isLiteral() && pattern.matcher(text.getLiteralLexicalForm()).find()) {
						out.add(agent);
					}
				}));
		return out;
	}

	private void read(BurstDetector d, Node by, List<Node> values, Map<Node, List<Call>> byActor) {
		if (values.isEmpty()) {
			return;
		}
		if (only != null) {
			readOnly(d, by, values, byActor);
			return;
		}
		ParameterizedSparqlString pss = Queries.parameterized(Bursts.class, "burst-input.rq");
		pss.setParam("matchBy", by);
		Model nodes = org.apache.jena.rdf.model.ModelFactory.createDefaultModel();
		pss.setValues("burstMatchValues", values.stream().map(nodes::asRDFNode).toList());
		try (QueryExecution qe = QueryExecution.dataset(store.dataset()).query(pss.asQuery()).build()) {
			qe.execSelect().forEachRemaining(s -> add(d, s.getResource("actor").asNode(), s, byActor));
		}
	}

	/**
	 * An update's read: the matching calls of its principals only. The calls are looked up by value as in a full
	 * run, but only the actor of each is read before it is dropped: the whole store's denied calls are many, the
	 * scope's few.
	 */
	private void readOnly(BurstDetector d, Node by, List<Node> values, Map<Node, List<Call>> byActor) {
		DatasetGraph dsg = store.dataset().asDatasetGraph();
		java.util.Set<Node> seen = new java.util.HashSet<>();
		for (Node v : values) {
			for (var it = dsg.find(Node.ANY, Node.ANY, by, v); it.hasNext();) {
				Node e = it.next().getSubject();
				// every actor of the call, each once (the same fact may be in two graphs), as the query's rows give them
				java.util.Set<Node> actors = new java.util.LinkedHashSet<>();
				dsg.find(Node.ANY, e, Loupe.actor, Node.ANY).forEachRemaining(q -> actors.add(q.getObject()));
				actors.retainAll(only);
				if (actors.isEmpty() || !seen.add(e) || !dsg.contains(Node.ANY, e, RDF.type.asNode(), Loupe.ApiCall)) {
					continue;
				}
				Node time = first(dsg, e, Loupe.eventTime);
				Node name = first(dsg, e, Loupe.eventName);
				if (time == null || name == null) {
					continue;
				}
				Node agent = first(dsg, e, Loupe.userAgent);
				Node ua = agent == null ? null : first(dsg, agent, Loupe.userAgentString);
				Node region = d.distinctRegions() ? first(dsg, e, Loupe.inRegion) : null;
				for (Node actor : actors) {
					add(d, actor, e, time.getLiteralLexicalForm(), name.getLiteralLexicalForm(),
							ua == null ? "" : ua.getLiteralLexicalForm(), region, byActor);
				}
			}
		}
	}

	private static Node first(DatasetGraph dsg, Node s, Node p) {
		return first(Node.ANY, dsg, s, p);
	}

	private static Node first(Node g, DatasetGraph dsg, Node s, Node p) {
		var it = dsg.find(g, s, p, Node.ANY);
		return it.hasNext() ? it.next().getObject() : null;
	}

	/**
	 * The calls of principals that already carry a signal, within the link window around each of their signals:
	 * only principals whose API usage (summary graph) has enough different matching APIs at all are read. The
	 * signals of this detector and of the prefix detectors after it do not count ({@code notYet}): a full run has
	 * not made them yet, while an update keeps its earlier ones.
	 */
	private void readSuspects(BurstDetector d, Map<Node, List<Call>> byActor, Set<Node> notYet) {
		Map<Node, List<Instant>> signalTimes = new LinkedHashMap<>();
		ParameterizedSparqlString suspects = Queries.parameterized(Bursts.class, "burst-suspects.rq");
		suspects.setIri("inferred", graph.getURI());
		try (QueryExecution qe = QueryExecution.dataset(store.dataset()).query(suspects.asQuery()).build()) {
			qe.execSelect().forEachRemaining(s -> {
				Node actor = s.get("actor").asNode();
				if ((only == null || only.contains(actor)) && !notYet.contains(s.get("det").asNode())) {
					signalTimes.computeIfAbsent(actor, k -> new ArrayList<>()).add(UpdateScope.instant(s.get("t").asNode()));
				}
			});
		}
		if (settled != null && only != null) {
			settledSignals(notYet, signalTimes);
		}
		long t0 = System.nanoTime();
		signalTimes.keySet().removeIf(a -> !a.isURI());
		Map<Node, Long> apis = d.distinct() ? matchingApis(d, signalTimes.keySet()) : Map.of();
		long t1 = System.nanoTime();
		for (Map.Entry<Node, List<Instant>> suspect : signalTimes.entrySet()) {
			if (d.distinct() && apis.getOrDefault(suspect.getKey(), 0L) < d.count()) {
				continue;
			}
			List<Instant[]> around = around(suspect.getValue());
			ParameterizedSparqlString pss = Queries.parameterized(Bursts.class, "burst-calls-of.rq");
			pss.setParam("actor", suspect.getKey());
			pss.setParam("from", CodeSignals.time(around.get(0)[0]));
			pss.setParam("to", CodeSignals.time(around.get(around.size() - 1)[1]));
			try (QueryExecution qe = QueryExecution.dataset(store.dataset()).query(pss.asQuery()).build()) {
				qe.execSelect().forEachRemaining(s -> {
					String name = s.getLiteral("name").getString();
					if (d.prefixes().stream().anyMatch(name::startsWith)
							&& within(around, Instant.parse(s.getLiteral("time").getLexicalForm()))) {
						add(d, suspect.getKey(), s, byActor);
					}
				});
			}
		}
		Reasoner.trace("  bursts: " + signalTimes.size() + " suspects, their APIs " + (t1 - t0) / 1_000_000 + " ms, their calls "
				+ (System.nanoTime() - t1) / 1_000_000 + " ms");
	}

	/** The signals an update keeps, of its principals. */
	private void settledSignals(Set<Node> notYet, Map<Node, List<Instant>> signalTimes) {
		for (Node actor : only) {
			for (Map.Entry<Node, Instant> s : settled.getOrDefault(actor, List.of())) {
				if (!notYet.contains(s.getKey())) {
					signalTimes.computeIfAbsent(actor, k -> new ArrayList<>()).add(s.getValue());
				}
			}
		}
	}

	/** The link window around each time, overlapping ones merged, in order. */
	private List<Instant[]> around(List<Instant> times) {
		List<Instant> sorted = new ArrayList<>(times);
		sorted.sort(null);
		List<Instant[]> out = new ArrayList<>();
		for (Instant t : sorted) {
			Instant[] last = out.isEmpty() ? null : out.get(out.size() - 1);
			if (last != null && !t.minus(reach).isAfter(last[1])) {
				last[1] = t.plus(reach);
			} else {
				out.add(new Instant[] { t.minus(reach), t.plus(reach) });
			}
		}
		return out;
	}

	private static boolean within(List<Instant[]> around, Instant t) {
		int lo = 0;
		int hi = around.size() - 1;
		while (lo <= hi) {
			int mid = (lo + hi) >>> 1;
			Instant[] span = around.get(mid);
			if (t.isBefore(span[0])) {
				hi = mid - 1;
			} else if (t.isAfter(span[1])) {
				lo = mid + 1;
			} else {
				return true;
			}
		}
		return false;
	}

	/**
	 * How many different APIs matching the detector's prefixes each principal ever called, from the API usage in
	 * the summary graph: one query for all of them.
	 */
	private Map<Node, Long> matchingApis(BurstDetector d, Set<Node> actors) {
		Map<Node, Long> out = new HashMap<>();
		if (actors.isEmpty()) {
			return out;
		}
		ParameterizedSparqlString pss = Queries.parameterized(Bursts.class, "burst-apis-of.rq");
		pss.setIri("summary", Ids.SUMMARY_GRAPH);
		pss.setValues("suspectPrincipals", actors.stream().map(a -> (RDFNode) org.apache.jena.rdf.model.ResourceFactory.createResource(
				a.getURI())).toList());
		try (QueryExecution qe = QueryExecution.dataset(store.dataset()).query(pss.asQuery()).build()) {
			qe.execSelect().forEachRemaining(s -> {
				String name = s.getLiteral("name").getString();
				if (d.prefixes().stream().anyMatch(name::startsWith)) {
					out.merge(s.get("actor").asNode(), 1L, Long::sum);
				}
			});
		}
		return out;
	}

	private static void add(BurstDetector d, Node actor, QuerySolution s, Map<Node, List<Call>> byActor) {
		if (d.successOnly() && s.contains("err")) {
			return; // a refused deletion destroys nothing
		}
		add(d, actor, s.getResource("e").asNode(), s.getLiteral("time").getLexicalForm(), s.getLiteral("name").getString(),
				s.contains("ua") ? s.getLiteral("ua").getString() : "", s.contains("region") ? s.get("region").asNode() : null, byActor);
	}

	private static void add(BurstDetector d, Node actor, Node e, String time, String name, String ua, Node region,
			Map<Node, List<Call>> byActor) {
		if (d.excludeUa() != null && d.excludeUa().matcher(ua).find()) {
			return;
		}
		byActor.computeIfAbsent(actor, k -> new ArrayList<>()).add(new Call(e, Instant.parse(time), name,
				d.distinctRegions() ? String.valueOf(region) : name));
	}

	/** The episodes of one principal's calls (sorted in time). */
	static List<List<Call>> episodes(BurstDetector d, List<Call> calls) {
		List<List<Call>> out = new ArrayList<>();
		Deque<Call> window = new ArrayDeque<>();
		Map<String, Integer> names = new HashMap<>();
		List<Call> open = null;
		for (Call c : calls) {
			if (open != null) {
				Call last = open.get(open.size() - 1);
				if (Duration.between(last.time(), c.time()).compareTo(d.window()) > 0
						|| Duration.between(open.get(0).time(), c.time()).compareTo(MAX_EPISODE) > 0) {
					out.add(open);
					open = null;
					window.clear();
					names.clear();
				}
			}
			window.addLast(c);
			names.merge(c.key(), 1, Integer::sum);
			while (Duration.between(window.peekFirst().time(), c.time()).compareTo(d.window()) > 0) {
				Call gone = window.removeFirst();
				names.computeIfPresent(gone.key(), (k, v) -> v == 1 ? null : v - 1);
			}
			if (open != null) {
				open.add(c);
			} else if ((d.distinct() || d.distinctRegions() ? names.size() : window.size()) >= d.count()) {
				open = new ArrayList<>(window);
			}
		}
		if (open != null) {
			out.add(open);
		}
		return out;
	}

	private void write(DatasetGraph dsg, BurstDetector d, Node actor, List<Call> episode) {
		Node sig = d.says().write(dsg, graph, RULE, actor.getURI(), episode.get(0).time(), episode.get(episode.size() - 1).time(),
				episode.stream().map(Call::event).toList());
		Node g = graph;
		dsg.add(g, sig, Loupe.actor, actor);
		long size = d.distinct() ? episode.stream().map(Call::name).distinct().count() : episode.size();
		dsg.add(g, sig, Loupe.burstSize, NodeFactory.createLiteralDT(Long.toString(size), XSDDatatype.XSDinteger));
	}

}
