package dev.loupe.core.reason;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

import org.apache.jena.datatypes.xsd.XSDDatatype;
import org.apache.jena.graph.Node;
import org.apache.jena.graph.NodeFactory;
import org.apache.jena.rdf.model.Model;
import org.apache.jena.rdf.model.Resource;
import org.apache.jena.rdf.model.Statement;
import org.apache.jena.sparql.core.DatasetGraph;
import org.apache.jena.vocabulary.RDF;

import dev.loupe.core.vocab.Ids;
import dev.loupe.core.vocab.Loupe;

/**
 * What the detectors of the code steps (bursts, flows) say of their signals (ATT&CK technique and tactic,
 * severity), read from the rule data, and how such a signal is written: an episode of evidence from its first to
 * its last record.
 */
record CodeSignals(Node detector, Node technique, Node tactic, BigDecimal severity) {
	/**
	 * Evidence links per signal: every record of an episode an attack makes (a download of a few hundred objects,
	 * each of them listed in `loupe sequences --format json`, so what a sequence holds can be checked record by
	 * record); an episode of 50,000 records (a port scan, a backup job) names its first 1,000 and its last, and
	 * says how many.
	 */
	static final int MAX_EVIDENCE = 1_000;

	/** @throws IllegalArgumentException when the detector has no severity */
	static CodeSignals of(Model data, Resource d, String kind) {
		Statement severity = d.getProperty(data.createProperty(Loupe.severity.getURI()));
		if (severity == null) {
			throw new IllegalArgumentException(kind + " detector " + d.getURI() + " needs loupe:severity");
		}
		return new CodeSignals(d.asNode(), object(data, d, Loupe.technique), object(data, d, Loupe.tactic),
				new BigDecimal(severity.getLiteral().getLexicalForm()));
	}

	private static Node object(Model m, Resource d, Node p) {
		Statement s = d.getProperty(m.createProperty(p.getURI()));
		return s == null ? null : s.getObject().asNode();
	}

	/** Writes the signal {@code key} names (with the episode's first record) and returns it, for the step's own facts. */
	Node write(DatasetGraph dsg, Node g, Node rule, String key, Instant first, Instant last, List<Node> evidence) {
		Node sig = Ids.signal(detector.getURI() + "|" + key + "|" + evidence.get(0).getURI());
		dsg.add(g, sig, RDF.type.asNode(), Loupe.Signal);
		dsg.add(g, sig, Loupe.detector, detector);
		dsg.add(g, sig, Loupe.time, time(first));
		dsg.add(g, sig, Loupe.endTime, time(last));
		if (technique != null) {
			dsg.add(g, sig, Loupe.technique, technique);
		}
		if (tactic != null) {
			dsg.add(g, sig, Loupe.tactic, tactic);
		}
		dsg.add(g, sig, Loupe.severity, NodeFactory.createLiteralDT(severity.toPlainString(), XSDDatatype.XSDdecimal));
		dsg.add(g, sig, Loupe.rule, rule);
		evidence.stream().limit(MAX_EVIDENCE).forEach(e -> dsg.add(g, sig, Loupe.provWasDerivedFrom, e));
		dsg.add(g, sig, Loupe.provWasDerivedFrom, evidence.get(evidence.size() - 1));
		return sig;
	}

	static Node time(Instant t) {
		return NodeFactory.createLiteralDT(t.toString(), XSDDatatype.XSDdateTime);
	}
}
