package dev.loupe.core.reason;

import java.util.ArrayList;
import java.util.Collection;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.jena.datatypes.xsd.XSDDatatype;
import org.apache.jena.graph.Node;
import org.apache.jena.graph.NodeFactory;
import org.apache.jena.rdf.model.Model;
import org.apache.jena.rdf.model.Resource;
import org.apache.jena.sparql.core.DatasetGraph;
import org.apache.jena.sparql.core.Quad;
import org.apache.jena.vocabulary.RDF;

import dev.loupe.core.store.EvidenceStore;
import dev.loupe.core.vocab.Ids;
import dev.loupe.core.vocab.Loupe;

/**
 * Every GuardDuty and Security Hub finding becomes a signal (GuardDuty's own attack-sequence findings excepted:
 * they are sequences, not signals). The detector is the finding detector ({@code ontology/detectors-findings.ttl})
 * with the longest type prefix one of the finding's types starts with (of equally long ones, the greatest IRI);
 * the tactics are those the finding names itself, else the detector's; the techniques, actors, times and severity
 * (0 when it gives none; of versions that disagree, the one updated last) are the finding's. One finding copied
 * by GuardDuty, Security Hub and OCSF is one node, so it is one signal. The verdicts on these signals (low
 * severity, posture, suppressed) stay in {@code rules/20-finding-signals.ru}.
 * <p>
 * Code rather than a rule because it is a copy, finding by finding, of facts the finding already has: as a SPARQL
 * update, grouping 10K findings by time and severity, it took 1.6-1.9 s of a warm run, as code 1.0 s
 * (docs/BENCHMARKS.md, sixteenth session). What applies stays in the data: the detectors' type prefixes and
 * tactics.
 */
final class FindingSignals {
	static final Node RULE = NodeFactory.createURI(Loupe.RULE_NS + "finding-signal");
	private static final Node NO_SEVERITY = NodeFactory.createLiteralDT("0.0", XSDDatatype.XSDdecimal);
	private static final String SEQUENCE_TYPE = "AttackSequence:";
	/** What a finding's signal is made from. */
	private static final Set<Node> READ = Set.of(RDF.type.asNode(), Loupe.findingType, Loupe.eventTime, Loupe.endTime, Loupe.severity,
			Loupe.updatedAt, Loupe.actor, Loupe.tactic, Loupe.technique);

	/** A finding detector: the finding types it matches by prefix, and the tactics it maps them to. */
	record Detector(Node iri, List<String> prefixes, List<Node> tactics) {

		static List<Detector> from(Model data) {
			List<Detector> out = new ArrayList<>();
			for (Resource d : data.listSubjectsWithProperty(RDF.type, data.wrapAsResource(Loupe.FindingDetector)).toList()) {
				List<String> prefixes = d.listProperties(data.createProperty(Loupe.matchTypePrefix.getURI()))
						.mapWith(s -> s.getLiteral().getLexicalForm()).toList();
				List<Node> tactics = d.listProperties(data.createProperty(Loupe.tactic.getURI())).mapWith(s -> s.getObject().asNode())
						.toList();
				out.add(new Detector(d.asNode(), prefixes, tactics));
			}
			out.sort(Comparator.comparing(d -> d.iri().getURI()));
			return out;
		}
	}

	private final EvidenceStore store;
	private final List<Detector> detectors;
	private final Node graph;
	private final Collection<Node> scope;

	/**
	 * @param graph where the signals are written
	 * @param scope the findings to derive signals from; {@code null}: every finding in the store
	 */
	FindingSignals(EvidenceStore store, List<Detector> detectors, Node graph, Collection<Node> scope) {
		this.store = store;
		this.detectors = detectors;
		this.graph = graph;
		this.scope = scope;
	}

	/** Writes the signals, in the caller's write transaction; returns how many. */
	int run() {
		DatasetGraph dsg = store.dataset().asDatasetGraph();
		Collection<Node> findings = scope;
		if (findings == null) {
			Set<Node> all = new LinkedHashSet<>();
			dsg.find(Node.ANY, Node.ANY, RDF.type.asNode(), Loupe.Finding).forEachRemaining(q -> all.add(q.getSubject()));
			findings = all;
		}
		int n = 0;
		long t0 = System.nanoTime();
		List<Quad> out = new ArrayList<>();
		FindingFacts.Reader reader = new FindingFacts.Reader(dsg, READ);
		for (Node f : findings) {
			if (write(reader.of(f), f, out)) {
				n++;
			}
		}
		long t1 = System.nanoTime();
		out.forEach(dsg::add);
		Reasoner.trace("finding signals: read " + (t1 - t0) / 1_000_000 + " ms, wrote " + out.size() + " facts "
				+ (System.nanoTime() - t1) / 1_000_000 + " ms");
		return n;
	}

	private boolean write(FindingFacts facts, Node f, List<Quad> out) {
		Set<Node> types = facts.objects(Loupe.findingType);
		if (types.isEmpty() || !facts.objects(RDF.type.asNode()).contains(Loupe.Finding)) {
			return false;
		}
		Detector best = null;
		int bestLength = -1;
		for (Node type : types) {
			String t = type.isLiteral() ? type.getLiteralLexicalForm() : type.toString();
			if (t.startsWith(SEQUENCE_TYPE)) {
				return false;
			}
			for (Detector d : detectors) {
				for (String prefix : d.prefixes()) {
					// detectors are in IRI order: of equally long prefixes the last, the greatest IRI, wins
					if (t.startsWith(prefix) && prefix.length() >= bestLength
							&& (prefix.length() > bestLength || d.iri().getURI().compareTo(best.iri().getURI()) > 0)) {
						best = d;
						bestLength = prefix.length();
					}
				}
			}
		}
		Set<Node> times = facts.objects(Loupe.eventTime);
		if (best == null || times.isEmpty()) {
			return false;
		}
		Node sig = Ids.signal(best.iri().getURI() + "|" + f.getURI());
		out.add(Quad.create(graph, sig, RDF.type.asNode(), Loupe.Signal));
		out.add(Quad.create(graph, sig, Loupe.detector, best.iri()));
		out.add(Quad.create(graph, sig, Loupe.provWasDerivedFrom, f));
		times.forEach(t -> out.add(Quad.create(graph, sig, Loupe.time, t)));
		// the last time the finding's activity was seen: the linker measures the time to what follows from there
		facts.objects(Loupe.endTime).stream().max(Comparator.comparing(e -> Instant.parse(e.getLiteralLexicalForm())))
				.ifPresent(e -> out.add(Quad.create(graph, sig, Loupe.endTime, e)));
		Set<Node> severities = latest(facts, Loupe.severity);
		if (severities.isEmpty()) {
			out.add(Quad.create(graph, sig, Loupe.severity, NO_SEVERITY));
		}
		severities.forEach(s -> out.add(Quad.create(graph, sig, Loupe.severity, s)));
		out.add(Quad.create(graph, sig, Loupe.rule, RULE));
		facts.objects(Loupe.actor).forEach(a -> out.add(Quad.create(graph, sig, Loupe.actor, a)));
		Set<Node> named = facts.objects(Loupe.tactic);
		(named.isEmpty() ? best.tactics() : named).forEach(t -> out.add(Quad.create(graph, sig, Loupe.tactic, t)));
		facts.objects(Loupe.technique).forEach(t -> out.add(Quad.create(graph, sig, Loupe.technique, t)));
		return true;
	}

	/**
	 * The values of {@code p} on a finding in its latest version, when its versions (one a source) disagree: the
	 * source with the latest loupe:updatedAt (an analyst who lowered a finding's severity in Security Hub is heard).
	 * Otherwise, or without update times, the values of every version.
	 */
	private static Set<Node> latest(FindingFacts facts, Node p) {
		Map<Node, Set<Node>> versions = facts.byGraph(p);
		Set<Node> all = new LinkedHashSet<>(2);
		versions.values().forEach(all::addAll);
		if (versions.values().stream().distinct().count() < 2) {
			return all;
		}
		Node last = null;
		Instant lastTime = null;
		Map<Node, Set<Node>> updated = facts.byGraph(Loupe.updatedAt);
		for (Node g : versions.keySet()) {
			for (Node u : updated.getOrDefault(g, Set.of())) {
				Instant t = Instant.parse(u.getLiteralLexicalForm());
				if (lastTime == null || t.isAfter(lastTime)) {
					last = g;
					lastTime = t;
				}
			}
		}
		return last == null ? all : versions.get(last);
	}
}
