package dev.loupe.core.reason;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.jena.datatypes.xsd.XSDDatatype;
import org.apache.jena.graph.Graph;
import org.apache.jena.graph.Node;
import org.apache.jena.graph.NodeFactory;
import org.apache.jena.query.ParameterizedSparqlString;
import org.apache.jena.query.QueryExecution;
import org.apache.jena.sparql.core.DatasetGraph;
import org.apache.jena.sparql.core.Quad;

import org.apache.jena.rdf.model.Model;
import org.apache.jena.rdf.model.Resource;
import org.apache.jena.rdf.model.Statement;
import org.apache.jena.vocabulary.RDF;

import dev.loupe.core.query.Queries;
import dev.loupe.core.reason.LinkRows.Row;
import dev.loupe.core.store.EvidenceStore;
import dev.loupe.core.vocab.Ids;
import dev.loupe.core.vocab.Loupe;

/**
 * Links signals that share a correlation key (see rules/40-correlation-keys.ru), each within the window of the one
 * before, and writes the linked groups that qualify as attack sequences, with every link and why it was made.
 * This step is code, not a rule, because chaining in time is a sort per key (n log n); the same in SPARQL compares
 * every pair of an identity's signals. What is linked, and the thresholds, stay in the rule files.
 */
final class Linker {

	/**
	 * Thresholds and window, from a loupe:LinkSettings in the rule data (rules/60-link-settings.ttl), and the
	 * context's reach and limit (75-sequence-context.ru reads them there too; an update needs them to know which
	 * sequences' context can change).
	 */
	record Settings(Duration window, int minTactics, BigDecimal minSeverity, Duration contextWindow, long contextMaxCalls) {

		static Settings from(Model data) {
			Duration window = Duration.ofHours(24);
			int minTactics = 2;
			BigDecimal minSeverity = BigDecimal.valueOf(7);
			// the defaults of 75-sequence-context.ru
			Duration contextWindow = Duration.ofHours(1);
			long contextMaxCalls = 2000;
			for (Resource s : data.listSubjectsWithProperty(RDF.type, data.wrapAsResource(Loupe.LinkSettings)).toList()) {
				String w = string(s, Loupe.linkWindow);
				window = w != null ? Duration.parse(w) : window;
				String t = string(s, Loupe.minTactics);
				minTactics = t != null ? Integer.parseInt(t) : minTactics;
				String v = string(s, Loupe.minSeverity);
				minSeverity = v != null ? new BigDecimal(v) : minSeverity;
				String c = string(s, Loupe.contextWindow);
				contextWindow = c != null ? Duration.parse(c) : contextWindow;
				String m = string(s, Loupe.contextMaxCalls);
				contextMaxCalls = m != null ? Long.parseLong(m) : contextMaxCalls;
			}
			return new Settings(window, minTactics, minSeverity, contextWindow, contextMaxCalls);
		}

		private static String string(Resource s, Node p) {
			Statement st = s.getProperty(s.getModel().createProperty(p.getURI()));
			return st == null ? null : st.getLiteral().getLexicalForm();
		}
	}

	record Link(Node from, Node to, Node kind, Node shared, Duration gap) {
	}

	private final EvidenceStore store;
	private final Settings settings;

	Linker(EvidenceStore store, Settings settings) {
		this.store = store;
		this.settings = settings;
	}

	/** Runs inside the reasoner's write transaction; writes every sequence into {@code sink}. */
	void run(Graph sink) {
		run(sink, null, null);
	}

	/**
	 * Writes into {@code sink} the sequences that are new or changed since the inferred graph was last written,
	 * given the signals derived again since ({@code changed}); returns the sequences that stay as they were. A
	 * group with none of those signals is the sequence of its name when that sequence existed and held none of
	 * them either ({@code untouched}): a signal added between two of a key's signals links to both and so joins
	 * their group, a signal taken out from between them was a member of their old sequence, so links among
	 * signals that did not change are the same both times, and so are the groups they make. Its links, actor,
	 * times and severity follow from its members' keys.
	 */
	Relinked run(Graph sink, Set<Node> changed, java.util.function.Predicate<Node> untouched) {
		Set<Node> same = new HashSet<>();
		long t = System.nanoTime();
		LinkKinds linkKinds = LinkKinds.read(store.dataset());
		List<Node> kinds = linkKinds.all();
		Map<Node, Row> signals = new HashMap<>();
		Map<Node, Map<Node, Set<Node>>> byKey = new LinkedHashMap<>(); // kind -> key -> signals
		Set<Node> region = changed == null ? null
				: LinkRegion.of(store.dataset().asDatasetGraph(), Ids.inferredGraph(), linkKinds, changed);
		readKeys(kinds, signals, byKey, region);
		t = trace("linker: read the keys (" + (region == null ? "all" : region.size()) + " signals)", t);
		Set<Node> uncounted = uncounted();
		t = trace("linker: read the routine and automation signals", t);
		UnionFind groups = new UnionFind();
		Map<List<Node>, Link> links = new LinkedHashMap<>();
		Comparator<Row> inTime = Comparator.comparing(Row::time).thenComparing(r -> r.signal().getURI());
		for (Node kind : kinds) {
			Node partner = linkKinds.meetsOnly().get(kind);
			for (Map.Entry<Node, Set<Node>> e : byKey.getOrDefault(kind, Map.of()).entrySet()) {
				List<Row> rows = new ArrayList<>(e.getValue().stream().map(signals::get).toList());
				rows.sort(inTime);
				if (partner != null) {
					List<Row> anchors = new ArrayList<>(byKey.getOrDefault(partner, Map.of()).getOrDefault(e.getKey(), Set.of())
							.stream().map(signals::get).toList());
					anchors.sort(inTime);
					int[] reach = reach(anchors);
					for (Row r : rows) {
						for (Row a : nearest(anchors, reach, r, inTime)) {
							link(a, r, kind, e.getKey(), groups, links);
						}
					}
					continue;
				}
				// each to the one before it that lasted longest: a finding GuardDuty saw for three days meets what
				// happened on its last day, though other signals of the key came between
				Row reach = null;
				for (Row r : rows) {
					if (reach != null) {
						link(reach, r, kind, e.getKey(), groups, links);
					}
					if (reach == null || !r.end().isBefore(reach.end())) {
						reach = r;
					}
				}
			}
		}
		t = trace("linker: chain in time", t);
		Map<Node, List<Row>> members = new LinkedHashMap<>();
		signals.values().stream().sorted(inTime).forEach(r -> members.computeIfAbsent(groups.find(r.signal()), k -> new ArrayList<>()).add(r));
		Map<Node, List<Link>> linksOf = new HashMap<>();
		links.values().forEach(l -> linksOf.computeIfAbsent(groups.find(l.from()), k -> new ArrayList<>()).add(l));
		SequenceWriter writer = new SequenceWriter(store.dataset().asDatasetGraph(), sink);
		Map<Node, List<Map.Entry<Node, Node>>> keysOf = keysOf(byKey);
		for (Map.Entry<Node, List<Row>> g : members.entrySet()) {
			List<Row> rows = g.getValue();
			// routine signals (a baseline rule's verdict) and automation's link but do not make a sequence
			List<Row> counted = rows.stream().filter(r -> !uncounted.contains(r.signal())).toList();
			long tactics = counted.stream().map(Row::tactic).filter(x -> x != null).distinct().count();
			BigDecimal max = counted.stream().map(Row::severity).max(Comparator.naturalOrder()).orElse(BigDecimal.ZERO);
			if (tactics >= settings.minTactics() || max.compareTo(settings.minSeverity()) >= 0) {
				Set<Node> in = new HashSet<>(rows.stream().map(Row::signal).toList());
				if (changed != null && rows.stream().noneMatch(r -> changed.contains(r.signal()))) {
					Node seq = SequenceWriter.iri(rows.get(0).signal());
					if (untouched.test(seq)) {
						same.add(seq);
						continue;
					}
				}
				// it lasts until its last activity: a finding that went on after the last signal began
				writer.write(new SequenceWriter.Group(rows.stream().map(Row::signal).toList(), rows.get(0).time(),
						rows.stream().map(Row::end).max(Comparator.naturalOrder()).orElseThrow(), max, tactics, tactics >= settings.minTactics(),
						linksOf.getOrDefault(g.getKey(), List.of()), actor(in, keysOf, linkKinds.namesActor()), identities(in, keysOf),
						settings.window()));
			}
		}
		trace("linker: write the sequences", t);
		return new Relinked(same, region);
	}

	/** Links two signals that share {@code key} when they are within the window, the earlier one first. */
	private void link(Row x, Row y, Node kind, Node key, UnionFind groups, Map<List<Node>, Link> links) {
		// the order of a chain (time, then IRI), so that a pair is one link whichever kind met it first
		boolean xFirst = x.time().isBefore(y.time())
				|| x.time().equals(y.time()) && x.signal().getURI().compareTo(y.signal().getURI()) <= 0;
		Row a = xFirst ? x : y;
		Row b = xFirst ? y : x;
		// within the window of the earlier one's end (none while it still went on); the link says the time between
		// their starts, as the timeline shows them
		Duration apart = b.time().isAfter(a.end()) ? Duration.between(a.end(), b.time()) : Duration.ZERO;
		if (apart.compareTo(settings.window()) <= 0) {
			groups.union(a.signal(), b.signal());
			// one link per pair: the first kind (identity before the others) explains it
			links.putIfAbsent(List.of(a.signal(), b.signal()), new Link(a.signal(), b.signal(), kind, key,
					Duration.between(a.time(), b.time())));
		}
	}

	/**
	 * The anchors (sorted in time) nearest before and after {@code r}, other than itself: chaining the satellite
	 * in between them as if it were one of them, without linking satellites to each other. Before it, of those
	 * that started earlier, the one that lasted longest ({@code reach}).
	 */
	private static List<Row> nearest(List<Row> anchors, int[] reach, Row r, Comparator<Row> inTime) {
		int at = Collections.binarySearch(anchors, r, inTime);
		int before = at >= 0 ? at - 1 : -at - 2;
		int after = at >= 0 ? at + 1 : -at - 1;
		List<Row> out = new ArrayList<>(2);
		if (before >= 0) {
			out.add(anchors.get(reach[before]));
		}
		if (after < anchors.size()) {
			out.add(anchors.get(after));
		}
		return out;
	}

	/** For each anchor (in time order), the one up to it that lasted longest: the one before to measure from. */
	private static int[] reach(List<Row> anchors) {
		int[] reach = new int[anchors.size()];
		for (int i = 0; i < reach.length; i++) {
			reach[i] = i == 0 || !anchors.get(i).end().isBefore(anchors.get(reach[i - 1]).end()) ? i : reach[i - 1];
		}
		return reach;
	}

	/**
	 * What an update's linking left as it was: the sequences it found the same, and every sequence with no member
	 * in {@code region}, the signals it linked again (null: all of them).
	 */
	record Relinked(Set<Node> same, Set<Node> region) {

		boolean kept(Node sequence, Node anyMember) {
			return same.contains(sequence) || region != null && !region.contains(anyMember);
		}
	}

	private static long trace(String what, long since) {
		long now = System.nanoTime();
		Reasoner.trace("  " + what + " " + (now - since) / 1_000_000 + " ms");
		return now;
	}

	private Set<Node> uncounted() {
		ParameterizedSparqlString pss = Queries.parameterized(Linker.class, "uncounted.rq");
		pss.setIri("inferred", Ids.INFERRED_GRAPH);
		Set<Node> out = new HashSet<>();
		try (QueryExecution qe = QueryExecution.dataset(store.dataset()).query(pss.asQuery()).build()) {
			qe.execSelect().forEachRemaining(s -> out.add(s.getResource("sig").asNode()));
		}
		return out;
	}

	/**
	 * One index scan per kind of key, and one for each of the signals' type, time, severity and tactic: as a query
	 * per kind this took 0.3-0.4 s for the 1M-event bench's 18K keys, and an update pays it whatever its size.
	 */
	private void readKeys(List<Node> kinds, Map<Node, Row> signals, Map<Node, Map<Node, Set<Node>>> byKey, Set<Node> region) {
		DatasetGraph dsg = store.dataset().asDatasetGraph();
		Node g = Ids.inferredGraph();
		Map<Node, Row> all = region == null ? LinkRows.all(dsg, g) : LinkRows.of(dsg, g, region);
		for (Node kind : kinds) {
			Iterator<Quad> keys;
			if (region == null) {
				keys = dsg.find(g, Node.ANY, kind, Node.ANY);
			} else {
				List<Quad> of = new ArrayList<>();
				region.forEach(s -> dsg.find(g, s, kind, Node.ANY).forEachRemaining(of::add));
				keys = of.iterator();
			}
			while (keys.hasNext()) {
				Quad k = keys.next();
				Row row = all.get(k.getSubject());
				if (row == null) {
					continue; // not a signal with a time and a severity
				}
				signals.put(row.signal(), row);
				byKey.computeIfAbsent(kind, x -> new LinkedHashMap<>()).computeIfAbsent(k.getObject(), x -> new LinkedHashSet<>())
						.add(row.signal());
			}
		}
	}


	/**
	 * The identity most of the members share (a signal that names a victim, loupe:victimKey, votes for it; one that
	 * gave a user a way in, loupe:grantKey, does not); without identities, the key most of them share.
	 */
	private static Node actor(Set<Node> in, Map<Node, List<Map.Entry<Node, Node>>> keysOf, Set<Node> namesActor) {
		Map<Node, Long> votes = new HashMap<>();
		Map<Map.Entry<Node, Node>, Long> perKey = new HashMap<>();
		for (Node m : in) {
			for (Map.Entry<Node, Node> k : keysOf.getOrDefault(m, List.of())) {
				perKey.merge(k, 1L, Long::sum);
				if (namesActor.contains(k.getKey())) {
					votes.merge(k.getValue(), 1L, Long::sum);
				}
			}
		}
		Map<Node, Long> scores = votes;
		if (scores.isEmpty()) {
			Map<Node, Long> most = new HashMap<>();
			perKey.forEach((k, n) -> most.merge(k.getValue(), n, Math::max));
			scores = most;
		}
		Node best = null;
		long most = 0;
		for (Map.Entry<Node, Long> e : scores.entrySet()) {
			long score = e.getValue();
			if (score > most || score == most && e.getKey().toString().compareTo(best.toString()) < 0) {
				best = e.getKey();
				most = score;
			}
		}
		return best != null ? best : in.iterator().next();
	}

	private static long identities(Set<Node> in, Map<Node, List<Map.Entry<Node, Node>>> keysOf) {
		return in.stream().flatMap(m -> keysOf.getOrDefault(m, List.of()).stream())
				.filter(k -> k.getKey().equals(Loupe.identityKey)).map(Map.Entry::getValue).distinct().count();
	}

	/** Each signal's keys (kind, key): a sequence's actor is counted from its members, not from every key. */
	private static Map<Node, List<Map.Entry<Node, Node>>> keysOf(Map<Node, Map<Node, Set<Node>>> byKey) {
		Map<Node, List<Map.Entry<Node, Node>>> out = new HashMap<>();
		byKey.forEach((kind, keys) -> keys.forEach((key, members) -> members
				.forEach(m -> out.computeIfAbsent(m, x -> new ArrayList<>(2)).add(Map.entry(kind, key)))));
		return out;
	}

	static Node timeGap(Duration d) {
		return NodeFactory.createLiteralDT(d.toString(), XSDDatatype.XSDdayTimeDuration);
	}

	/** Union-find over signal nodes, with path halving. */
	private static final class UnionFind {
		private final Map<Node, Node> parent = new HashMap<>();

		Node find(Node n) {
			Node p = parent.getOrDefault(n, n);
			while (!p.equals(n)) {
				Node gp = parent.getOrDefault(p, p);
				parent.put(n, gp);
				n = p;
				p = gp;
			}
			return n;
		}

		void union(Node a, Node b) {
			Node ra = find(a);
			Node rb = find(b);
			if (!ra.equals(rb)) {
				// the earlier IRI is the root, so groups come out the same on every run
				if (ra.getURI().compareTo(rb.getURI()) < 0) {
					parent.put(rb, ra);
				} else {
					parent.put(ra, rb);
				}
			}
		}
	}

}
