package dev.loupe.core.reason;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.apache.jena.graph.Node;
import org.apache.jena.graph.NodeFactory;
import org.apache.jena.rdf.model.Model;
import org.apache.jena.rdf.model.Resource;
import org.apache.jena.rdf.model.Statement;
import org.apache.jena.sparql.core.DatasetGraph;
import org.apache.jena.sparql.core.Quad;
import org.apache.jena.vocabulary.RDF;

import dev.loupe.core.store.EvidenceStore;
import dev.loupe.core.vocab.Loupe;

/**
 * Runs the Kubernetes detectors (detectors-kubernetes.ttl, {@code loupe:KubernetesDetector}) over EKS audit
 * events: each event that carries the detector's qualifier (read at ingest, see the Kubernetes reader) is a signal
 * of the subject that made the request. Found through the qualifier's index: the cost follows the few requests that
 * qualify, not the millions a cluster logs. An update derives them all again (as the flow and DNS signals), which
 * costs as little.
 */
final class KubernetesSignals {
	static final Node RULE = NodeFactory.createURI(Loupe.RULE_NS + "kubernetes-detector");

	record Detector(Node qualifier, CodeSignals says) {

		static List<Detector> from(Model data) {
			List<Detector> out = new ArrayList<>();
			for (Resource d : data.listSubjectsWithProperty(RDF.type, data.wrapAsResource(Loupe.KubernetesDetector)).toList()) {
				Statement q = d.getProperty(data.createProperty(Loupe.matchQualifier.getURI()));
				if (q == null || !q.getObject().isLiteral()) {
					throw new IllegalArgumentException("Kubernetes detector " + d.getURI() + " needs loupe:matchQualifier");
				}
				out.add(new Detector(q.getObject().asNode(), CodeSignals.of(data, d, "Kubernetes")));
			}
			out.sort(Comparator.comparing((Detector d) -> d.says().detector().getURI()));
			return out;
		}
	}

	private final EvidenceStore store;
	private final List<Detector> detectors;
	private final Node graph;

	KubernetesSignals(EvidenceStore store, List<Detector> detectors, Node graph) {
		this.store = store;
		this.detectors = detectors;
		this.graph = graph;
	}

	/** Runs inside the reasoner's write transaction; returns the number of signals written. */
	long run() {
		DatasetGraph dsg = store.dataset().asDatasetGraph();
		long written = 0;
		for (Detector d : detectors) {
			List<Node> events = new ArrayList<>();
			dsg.find(Node.ANY, Node.ANY, Loupe.qualifier, d.qualifier()).forEachRemaining(q -> events.add(q.getSubject()));
			for (Node e : events.stream().distinct().toList()) {
				if (!dsg.contains(Node.ANY, e, RDF.type.asNode(), Loupe.KubernetesAuditEvent)) {
					continue;
				}
				Node time = object(dsg, e, Loupe.eventTime);
				if (time == null) {
					continue;
				}
				Instant t = Instant.parse(time.getLiteralLexicalForm());
				Node sig = d.says().write(dsg, graph, RULE, "k8s", t, t, List.of(e));
				Node actor = object(dsg, e, Loupe.actor);
				if (actor != null) {
					dsg.add(graph, sig, Loupe.actor, actor);
				}
				written++;
			}
		}
		return written;
	}

	private static Node object(DatasetGraph dsg, Node s, Node p) {
		var it = dsg.find(Node.ANY, s, p, Node.ANY);
		if (!it.hasNext()) {
			return null;
		}
		Quad q = it.next();
		return q.getObject();
	}
}
