package dev.loupe.core.reason;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;
import java.util.Map;

import org.apache.jena.datatypes.xsd.XSDDatatype;
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

import dev.loupe.core.ingest.IpText;
import dev.loupe.core.query.Queries;
import dev.loupe.core.store.EvidenceStore;
import dev.loupe.core.vocab.Ids;
import dev.loupe.core.vocab.Loupe;

/**
 * Runs the flow detectors (detectors-flows.ttl): for every public address that a signalled call came from or a
 * signalled finding names, the accepted flows between it and the instances' interfaces within the link window of
 * those signals (found through the address's index, so the cost follows those flows, not all flows); each
 * interface's flows with the address, each within an hour of the one before, are one signal, unless the
 * interface had already talked with the address before that window (a habit, such as the office's SSH). Sessions
 * the address opened count only when they carried an exfiltration out, or when the address used the instance's own
 * role credentials away from it (an off-instance signal): then they are the way in.
 * Code rather than a rule because it groups sorted flows into episodes; what applies stays in the data.
 */
final class FlowContacts {
	static final Node RULE = NodeFactory.createURI(Loupe.RULE_NS + "flow-detector");
	static final Duration EPISODE_GAP = Duration.ofHours(1);

	/** {@code wayIn}: it applies to the sessions an address opened to an instance whose credentials it used away from it. */
	record Detector(long minBytesOut, boolean wayIn, CodeSignals says) {

		static List<Detector> from(Model data) {
			List<Detector> out = new ArrayList<>();
			for (Resource d : data.listSubjectsWithProperty(RDF.type, data.wrapAsResource(Loupe.FlowDetector)).toList()) {
				Statement min = d.getProperty(data.createProperty(Loupe.minBytesOut.getURI()));
				Statement wayIn = d.getProperty(data.createProperty(Loupe.wayIn.getURI()));
				out.add(new Detector(min == null ? 0 : min.getLong(), wayIn != null && wayIn.getBoolean(), CodeSignals.of(data, d, "flow")));
			}
			// the most severe detector that applies makes the signal
			out.sort(Comparator.comparing((Detector d) -> d.says().severity()).reversed()
					.thenComparing(d -> d.says().detector().getURI()));
			return out;
		}
	}

	/** {@code initiated}: the instance opened the connection (the address is the server side). */
	private record Flow(Node flow, Instant time, long bytes, boolean outbound, boolean initiated, Node instance) {
	}

	private final EvidenceStore store;
	private final List<Detector> detectors;
	private final Duration reach;

	/** Where the signals are written; signals are read from it and from {@code alsoRead} (an update's other half). */
	private final Node graph;
	private final Node alsoRead;

	FlowContacts(EvidenceStore store, List<Detector> detectors, Duration reach, Node graph, Node alsoRead) {
		this.store = store;
		this.detectors = detectors;
		this.reach = reach;
		this.graph = graph;
		this.alsoRead = alsoRead;
	}

	/** Runs inside the reasoner's write transaction; returns the number of flow signals written. */
	long run() {
		if (detectors.isEmpty() || !store.dataset().asDatasetGraph().contains(Node.ANY, Node.ANY, RDF.type.asNode(), Loupe.NetworkFlow)) {
			return 0; // no flows in the evidence: nothing to look for
		}
		/** {@code used}: the instances whose role credentials the address used away from them (off-instance signals). */
		record Suspect(Node ip, Instant first, Instant last, Set<Node> used) {
		}
		Map<Node, Suspect> byIp = new LinkedHashMap<>();
		DatasetGraph dsg = store.dataset().asDatasetGraph();
		eachSignal(store, graph, alsoRead, (e, t, rule) -> {
			// credentials used away from their instance (OffInstance) make the address's sessions to it the way in
			Set<Node> used = OffInstance.RULE.equals(rule) ? instanceOf(dsg, e) : Set.of();
			for (Node ip : addresses(dsg, e)) {
				byIp.merge(ip, new Suspect(ip, t, t, used), (a, b) -> new Suspect(ip, a.first().isBefore(b.first()) ? a.first() : b.first(),
						a.last().isAfter(b.last()) ? a.last() : b.last(), union(a.used(), b.used())));
			}
		});
		List<Suspect> suspects = new ArrayList<>(byIp.values());
		long written = 0;
		for (Suspect suspect : suspects) {
			Map<String, List<Flow>> byInterface = new LinkedHashMap<>();
			Map<String, Instant> firstContact = new java.util.HashMap<>();
			Instant from = suspect.first().minus(reach);
			Instant to = suspect.last().plus(reach);
			// index lookups: a SPARQL union of the two directions fails in Jena 6.0.0 when one side is empty
			for (boolean outbound : new boolean[] { true, false }) {
				dsg.find(Node.ANY, Node.ANY, outbound ? Loupe.dstAddress : Loupe.srcAddress, suspect.ip()).forEachRemaining(quad -> {
					Flow f = flow(dsg, quad.getSubject(), outbound);
					if (f != null) {
						String where = String.valueOf(f.instance() != null ? f.instance().getURI() : value(dsg, f.flow(), Loupe.interfaceId));
						firstContact.merge(where, f.time(), (a, b) -> a.isBefore(b) ? a : b);
						if (!f.time().isBefore(from) && !f.time().isAfter(to)) {
							byInterface.computeIfAbsent(where, k -> new ArrayList<>()).add(f);
						}
					}
				});
			}
			// an instance that has talked with the address since long before the signals is in a habit (the
			// administrators' office), not in contact with an intruder
			byInterface.keySet().removeIf(where -> firstContact.get(where).isBefore(from));
			for (List<Flow> flows : byInterface.values()) {
				flows.sort(Comparator.comparing(Flow::time).thenComparing(f -> f.flow().getURI()));
				for (List<Flow> episode : episodes(flows, Flow::time)) {
					write(dsg, suspect.ip(), episode, suspect.used());
					written++;
				}
			}
		}
		return written;
	}

	/** Records sorted in time, cut where one comes more than {@link #EPISODE_GAP} after the one before. */
	static <T> List<List<T>> episodes(List<T> sorted, java.util.function.Function<T, Instant> time) {
		List<List<T>> out = new ArrayList<>();
		List<T> episode = new ArrayList<>();
		for (T r : sorted) {
			if (!episode.isEmpty() && Duration.between(time.apply(episode.get(episode.size() - 1)), time.apply(r)).compareTo(EPISODE_GAP) > 0) {
				out.add(episode);
				episode = new ArrayList<>();
			}
			episode.add(r);
		}
		if (!episode.isEmpty()) {
			out.add(episode);
		}
		return out;
	}

	/** What a signal rests on: each record behind it, with the signal's time and rule. */
	interface SignalEvidence {
		void accept(Node evidence, Instant time, Node rule);
	}

	/** Every signal's evidence in {@code graph} and in {@code alsoRead} (null: none), read as the suspects' sources. */
	static void eachSignal(EvidenceStore store, Node graph, Node alsoRead, SignalEvidence to) {
		for (Node read : alsoRead == null ? List.of(graph) : List.of(graph, alsoRead)) {
			ParameterizedSparqlString q = Queries.parameterized(FlowContacts.class, "suspect-addresses.rq");
			q.setIri("inferred", read.getURI());
			try (QueryExecution qe = QueryExecution.dataset(store.dataset()).query(q.asQuery()).build()) {
				qe.execSelect().forEachRemaining(s -> to.accept(s.get("e").asNode(), instant(s, "t"), s.get("rule").asNode()));
			}
		}
	}

	private void write(DatasetGraph dsg, Node ip, List<Flow> episode, Set<Node> used) {
		long out = episode.stream().filter(Flow::outbound).mapToLong(Flow::bytes).sum();
		boolean initiated = episode.stream().anyMatch(Flow::initiated);
		// sessions the address opened to the instance look the same from an intruder and from an administrator
		// behind the same address: they count only when they carried enough out to be an exfiltration, or when
		// the address used the instance's own role credentials away from it (no administrator does: the way in)
		boolean wayIn = !initiated && episode.get(0).instance() != null && used.contains(episode.get(0).instance());
		Detector d = detectors.stream().filter(x -> x.wayIn() ? wayIn : out >= x.minBytesOut() && (initiated || x.minBytesOut() > 0))
				.findFirst().orElse(null);
		if (d == null) {
			return;
		}
		Node sig = d.says().write(dsg, graph, RULE, ip.getURI(), episode.get(0).time(), episode.get(episode.size() - 1).time(),
				episode.stream().map(Flow::flow).toList());
		Node g = graph;
		dsg.add(g, sig, Loupe.remoteAddress, ip);
		dsg.add(g, sig, Loupe.bytesOut, NodeFactory.createLiteralDT(Long.toString(out), XSDDatatype.XSDlong));
		dsg.add(g, sig, Loupe.burstSize, NodeFactory.createLiteralDT(Integer.toString(episode.size()), XSDDatatype.XSDinteger));
	}

	/**
	 * The public addresses evidence holds against: a call's source, a finding's remote addresses. Read by index
	 * lookups (a SPARQL join of the inferred graph with the evidence fails in Jena 6.0.0 when one side is empty).
	 */
	static List<Node> addresses(DatasetGraph dsg, Node evidence) {
		List<Node> out = new ArrayList<>();
		dsg.find(Node.ANY, evidence, Loupe.sourceIp, Node.ANY).forEachRemaining(q -> out.add(q.getObject()));
		if (dsg.contains(Node.ANY, evidence, RDF.type.asNode(), Loupe.Finding)) {
			dsg.find(Node.ANY, evidence, Loupe.concerns, Node.ANY).forEachRemaining(q -> {
				if (dsg.contains(Node.ANY, q.getObject(), RDF.type.asNode(), Loupe.IpAddress)) {
					out.add(q.getObject());
				}
			});
		}
		// an address inside the network is everyone's neighbour: only public ones single a client out
		out.removeIf(ip -> {
			var a = dsg.find(Node.ANY, ip, Loupe.address, Node.ANY);
			return !a.hasNext() || IpText.isPrivate(a.next().getObject().getLiteralLexicalForm());
		});
		return out.stream().distinct().toList();
	}

	/** The instance whose role session made the call {@code evidence}, if any. */
	private static Set<Node> instanceOf(DatasetGraph dsg, Node evidence) {
		var actor = dsg.find(Node.ANY, evidence, Loupe.actor, Node.ANY);
		if (!actor.hasNext()) {
			return Set.of();
		}
		var instance = dsg.find(Node.ANY, actor.next().getObject(), Loupe.ofInstance, Node.ANY);
		return instance.hasNext() ? Set.of(instance.next().getObject()) : Set.of();
	}

	private static Set<Node> union(Set<Node> a, Set<Node> b) {
		if (b.isEmpty() || a.containsAll(b)) {
			return a;
		}
		Set<Node> out = new java.util.HashSet<>(a);
		out.addAll(b);
		return out;
	}

	/** An accepted flow, or null. */
	private static Flow flow(DatasetGraph dsg, Node f, boolean outbound) {
		String time = value(dsg, f, Loupe.eventTime);
		if (time == null || !"ACCEPT".equals(value(dsg, f, Loupe.flowAction))) {
			return null;
		}
		Instant t = Instant.parse(time);
		String bytes = value(dsg, f, Loupe.bytes);
		String src = value(dsg, f, Loupe.srcPort);
		String dst = value(dsg, f, Loupe.dstPort);
		// a client's port is the higher one (ephemeral); the reply of an inbound session runs from the service port
		boolean initiated = outbound && src != null && dst != null && Integer.parseInt(src) > Integer.parseInt(dst);
		var instance = dsg.find(Node.ANY, f, Loupe.ofInstance, Node.ANY);
		return new Flow(f, t, bytes == null ? 0 : Long.parseLong(bytes), outbound, initiated,
				instance.hasNext() ? instance.next().getObject() : null);
	}

	static String value(DatasetGraph dsg, Node s, Node p) {
		var it = dsg.find(Node.ANY, s, p, Node.ANY);
		return it.hasNext() ? it.next().getObject().getLiteralLexicalForm() : null;
	}

	private static Instant instant(QuerySolution s, String var) {
		return Instant.parse(s.getLiteral(var).getLexicalForm());
	}
}
