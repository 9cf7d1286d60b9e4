package dev.loupe.core.reason;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.apache.jena.graph.Node;
import org.apache.jena.graph.NodeFactory;
import org.apache.jena.rdf.model.Model;
import org.apache.jena.rdf.model.Resource;
import org.apache.jena.sparql.core.DatasetGraph;
import org.apache.jena.sparql.core.Quad;
import org.apache.jena.vocabulary.RDF;

import dev.loupe.core.store.EvidenceStore;
import dev.loupe.core.vocab.Loupe;

/**
 * Runs the DNS detectors (detectors-flows.ttl, {@code loupe:DnsDetector}) over Route 53 Resolver query logs: an
 * instance (or an address inside the network) asked for a name that other evidence holds against, within the link
 * window of the signals behind it. A name is suspect when a signalled finding names it (the command-and-control or
 * mining-pool domain GuardDuty saw one instance reach, asked for by another), or when it resolved to a public
 * address that a signalled call came from or a finding names. One asker's queries of one name, each within an hour
 * of the one before (episodes cut as flows': {@link FlowContacts#episodes}), are one signal; an asker that asked for
 * the name before that window is in a habit. Found through the name's and the address's index, so the cost follows those queries, not all of them.
 * <p>
 * A detector may also watch names for itself ({@code loupe:matchDomain}: mining pools, out-of-band testing and
 * tunnel services): every asker's queries of such a name, or of a name under it, are its signals whatever other
 * evidence says, at any time (a miner asks for its pool from the day it starts). Finding them reads each name once.
 */
final class NameContacts {
	static final Node RULE = NodeFactory.createURI(Loupe.RULE_NS + "dns-detector");

	/** @param domains the names it watches for itself, with those under them; empty: names other evidence holds against */
	record Detector(CodeSignals says, List<String> domains) {

		static List<Detector> from(Model data) {
			List<Detector> out = new ArrayList<>();
			var match = data.createProperty(Loupe.matchDomain.getURI());
			for (Resource d : data.listSubjectsWithProperty(RDF.type, data.wrapAsResource(Loupe.DnsDetector)).toList()) {
				List<String> domains = d.listProperties(match).toList().stream()
						.map(st -> canonical(st.getObject().asLiteral().getLexicalForm())).sorted().toList();
				out.add(new Detector(CodeSignals.of(data, d, "dns"), domains));
			}
			// the most severe one makes the signal
			out.sort(Comparator.comparing((Detector d) -> d.says().severity()).reversed().thenComparing(d -> d.says().detector().getURI()));
			return out;
		}

		private static String canonical(String name) {
			String n = name.trim().toLowerCase(Locale.ROOT);
			return n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
		}
	}

	/** When the evidence held against a name begins and ends, and the address it resolved to (null: a finding named it). */
	private record Suspect(Instant first, Instant last, Node address) {
		Suspect with(Suspect o) {
			return new Suspect(first.isBefore(o.first) ? first : o.first, last.isAfter(o.last) ? last : o.last,
					address != null ? address : o.address);
		}
	}

	private record Query(Node query, Instant time) {
	}

	private final EvidenceStore store;
	private final List<Detector> detectors;
	private final Duration reach;
	private final Node graph;
	private final Node alsoRead;
	/** Null: look for watched names in every source. */
	private Set<Node> newSources;
	private Set<Node> named = Set.of();

	/** As {@link FlowContacts}: signals are written to {@code graph} and read from it and {@code alsoRead}. */
	NameContacts(EvidenceStore store, List<Detector> detectors, Duration reach, Node graph, Node alsoRead) {
		this.store = store;
		this.detectors = detectors;
		this.reach = reach;
		this.graph = graph;
		this.alsoRead = alsoRead;
	}

	/**
	 * For an update: the names a detector watches are looked for only in {@code sources} (the new ones) and among
	 * {@code names} (those the signals taken out for the update had asked for), not in every source of the store.
	 */
	NameContacts onlyNew(Set<Node> sources, Set<Node> names) {
		this.newSources = sources;
		this.named = names;
		return this;
	}

	/** Runs inside the reasoner's write transaction; returns the number of DNS signals written. */
	long run() {
		DatasetGraph dsg = store.dataset().asDatasetGraph();
		if (detectors.isEmpty() || !dsg.contains(Node.ANY, Node.ANY, RDF.type.asNode(), Loupe.DnsQuery)) {
			return 0;
		}
		long t0 = System.nanoTime();
		Map<Node, Detector> watched = watched(dsg);
		Reasoner.trace("  dns: watched names " + watched.size() + " " + (System.nanoTime() - t0) / 1_000_000 + " ms");
		long written = 0;
		for (Map.Entry<Node, Detector> w : watched.entrySet()) {
			written += write(dsg, w.getKey(), null, w.getValue(), askers(dsg, w.getKey(), null, null));
		}
		Reasoner.trace("  dns: watched signals " + (System.nanoTime() - t0) / 1_000_000 + " ms");
		List<Detector> byEvidence = detectors.stream().filter(d -> d.domains().isEmpty()).toList();
		if (byEvidence.isEmpty()) {
			return written;
		}
		Map<Node, Suspect> names = suspects(dsg);
		for (Map.Entry<Node, Suspect> n : names.entrySet()) {
			if (!watched.containsKey(n.getKey())) {
				Instant from = n.getValue().first().minus(reach);
				written += write(dsg, n.getKey(), n.getValue().address(), byEvidence.get(0),
						askers(dsg, n.getKey(), from, n.getValue().last().plus(reach)));
			}
		}
		return written;
	}

	/** The names asked for that a detector watches for itself, each with the most severe such detector. */
	private Map<Node, Detector> watched(DatasetGraph dsg) {
		Map<String, Detector> byDomain = new HashMap<>();
		// (detectors come most severe first: the first to watch a domain keeps it)
		detectors.forEach(d -> d.domains().forEach(n -> byDomain.putIfAbsent(n, d)));
		Map<Node, Detector> out = new LinkedHashMap<>();
		if (byDomain.isEmpty()) {
			return out;
		}
		// every source describes the names it holds: each name once, and looked up by its own suffixes
		Set<Node> seen = new HashSet<>();
		java.util.function.Consumer<Quad> consider = q -> {
			if (seen.add(q.getSubject()) && q.getObject().isLiteral()) {
				Detector d = watcher(byDomain, q.getObject().getLiteralLexicalForm());
				if (d != null) {
					out.put(q.getSubject(), d);
				}
			}
		};
		if (newSources == null) {
			dsg.find(Node.ANY, Node.ANY, Loupe.domainName, Node.ANY).forEachRemaining(consider);
		} else {
			// an update: a watched name asked before has its signals already, whose names the caller gave
			newSources.forEach(g -> dsg.find(g, Node.ANY, Loupe.domainName, Node.ANY).forEachRemaining(consider));
			named.forEach(n -> dsg.find(Node.ANY, n, Loupe.domainName, Node.ANY).forEachRemaining(consider));
		}
		return out;
	}

	/** The detector watching the name or a domain it is under, or null. */
	private static Detector watcher(Map<String, Detector> byDomain, String name) {
		for (String n = name; !n.isEmpty(); ) {
			Detector d = byDomain.get(n);
			if (d != null) {
				return d;
			}
			int dot = n.indexOf('.');
			n = dot < 0 ? "" : n.substring(dot + 1);
		}
		return null;
	}

	/** The names other evidence holds against: named by a signalled finding, or resolved to a suspect address. */
	private Map<Node, Suspect> suspects(DatasetGraph dsg) {
		Map<Node, Suspect> names = new LinkedHashMap<>();
		Map<Node, Suspect> addresses = new LinkedHashMap<>();
		FlowContacts.eachSignal(store, graph, alsoRead, (e, t, rule) -> {
			if (RULE.equals(rule)) {
				return; // a name is suspect for what other evidence says, not for having been asked for
			}
			dsg.find(Node.ANY, e, Loupe.concerns, Node.ANY).forEachRemaining(c -> {
				if (dsg.contains(Node.ANY, c.getObject(), RDF.type.asNode(), Loupe.Domain)) {
					names.merge(c.getObject(), new Suspect(t, t, null), Suspect::with);
				}
			});
			for (Node ip : FlowContacts.addresses(dsg, e)) {
				addresses.merge(ip, new Suspect(t, t, ip), Suspect::with);
			}
		});
		// the names that resolved to a suspect address, by the answers' text
		for (Map.Entry<Node, Suspect> a : addresses.entrySet()) {
			String text = FlowContacts.value(dsg, a.getKey(), Loupe.address);
			if (text == null) {
				continue;
			}
			dsg.find(Node.ANY, Node.ANY, Loupe.answer, NodeFactory.createLiteralString(text)).forEachRemaining(q -> {
				Node name = object(dsg, q.getSubject(), Loupe.queryName);
				if (name != null) {
					names.merge(name, a.getValue(), Suspect::with);
				}
			});
		}
		return names;
	}

	/**
	 * Each asker's queries of {@code name} from {@code from} to {@code to} (null: all); with a window, an asker that
	 * asked for the name before it is in a habit and left out.
	 */
	private static Map<Node, List<Query>> askers(DatasetGraph dsg, Node name, Instant from, Instant to) {
		Map<Node, List<Query>> byAsker = new LinkedHashMap<>();
		Map<Node, Instant> firstAsked = new HashMap<>();
		dsg.find(Node.ANY, Node.ANY, Loupe.queryName, name).forEachRemaining(q -> {
			Node query = q.getSubject();
			String time = FlowContacts.value(dsg, query, Loupe.eventTime);
			Node asker = object(dsg, query, Loupe.ofInstance);
			asker = asker != null ? asker : object(dsg, query, Loupe.srcAddress);
			if (time == null || asker == null) {
				return;
			}
			Instant t = Instant.parse(time);
			firstAsked.merge(asker, t, (x, y) -> x.isBefore(y) ? x : y);
			if (from == null || !t.isBefore(from) && !t.isAfter(to)) {
				byAsker.computeIfAbsent(asker, k -> new ArrayList<>()).add(new Query(query, t));
			}
		});
		// an asker that asked for the name long before the evidence against it did so out of habit
		if (from != null) {
			byAsker.keySet().removeIf(asker -> firstAsked.get(asker).isBefore(from));
		}
		return byAsker;
	}

	/** One signal per asker's episode; returns how many. */
	private long write(DatasetGraph dsg, Node name, Node address, Detector detector, Map<Node, List<Query>> byAsker) {
		long written = 0;
		for (Map.Entry<Node, List<Query>> a : byAsker.entrySet()) {
			List<Query> queries = a.getValue();
			queries.sort(Comparator.comparing(Query::time).thenComparing(x -> x.query().getURI()));
			for (List<Query> episode : FlowContacts.episodes(queries, Query::time)) {
				write(dsg, name, address, detector, a.getKey(), episode);
				written++;
			}
		}
		return written;
	}

	private void write(DatasetGraph dsg, Node name, Node address, Detector detector, Node asker, List<Query> episode) {
		Node sig = detector.says().write(dsg, graph, RULE, name.getURI() + "|" + asker.getURI(), episode.get(0).time(),
				episode.get(episode.size() - 1).time(), episode.stream().map(Query::query).toList());
		dsg.add(graph, sig, Loupe.remoteName, name);
		if (address != null) {
			dsg.add(graph, sig, Loupe.remoteAddress, address);
		}
		dsg.add(graph, sig, Loupe.burstSize, NodeFactory.createLiteralDT(Integer.toString(episode.size()),
				org.apache.jena.datatypes.xsd.XSDDatatype.XSDinteger));
	}

	private static Node object(DatasetGraph dsg, Node s, Node p) {
		var it = dsg.find(Node.ANY, s, p, Node.ANY);
		return it.hasNext() ? it.next().getObject() : null;
	}
}
