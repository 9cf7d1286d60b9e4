package dev.loupe.core.reason;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.apache.jena.datatypes.xsd.XSDDatatype;
import org.apache.jena.graph.Node;
import org.apache.jena.graph.NodeFactory;
import org.apache.jena.rdf.model.Model;
import org.apache.jena.rdf.model.Resource;
import org.apache.jena.rdf.model.Statement;
import org.apache.jena.sparql.core.DatasetGraph;
import org.apache.jena.vocabulary.RDF;

import dev.loupe.core.store.EvidenceStore;
import dev.loupe.core.vocab.Loupe;

/**
 * Runs the Kubernetes detectors (detectors-kubernetes.ttl, {@code loupe:KubernetesDetector}) over EKS audit
 * events: the events that carry the detector's qualifier (read at ingest, see the Kubernetes reader) are signals of
 * the subject that made the requests. Found through the qualifier's index: the cost follows the few requests that
 * qualify, not the millions a cluster logs. An update derives them all again (as the flow and DNS signals), which
 * costs as little.
 */
final class KubernetesSignals {
	static final Node RULE = NodeFactory.createURI(Loupe.RULE_NS + "kubernetes-detector");

	/**
	 * @param qualifiers any of them makes a request evidence
	 * @param maxSubjectsPerAddress an address more subjects made such requests from is shared, not an intruder's (0: no limit)
	 * @param minRequests an episode of fewer such requests is no signal (loupe:burstCount; 1: every one)
	 */
	record Detector(List<Node> qualifiers, int maxSubjectsPerAddress, int minRequests, CodeSignals says) {

		static List<Detector> from(Model data) {
			List<Detector> out = new ArrayList<>();
			for (Resource d : data.listSubjectsWithProperty(RDF.type, data.wrapAsResource(Loupe.KubernetesDetector)).toList()) {
				List<Node> qualifiers = d.listProperties(data.createProperty(Loupe.matchQualifier.getURI())).toList().stream()
						.map(Statement::getObject).filter(o -> o.isLiteral()).map(o -> o.asNode()).sorted(Comparator.comparing(Node::toString)).toList();
				if (qualifiers.isEmpty()) {
					throw new IllegalArgumentException("Kubernetes detector " + d.getURI() + " needs loupe:matchQualifier");
				}
				Statement max = d.getProperty(data.createProperty(Loupe.maxSubjectsPerAddress.getURI()));
				Statement count = d.getProperty(data.createProperty(Loupe.burstCount.getURI()));
				out.add(new Detector(qualifiers, max == null ? 0 : max.getInt(), count == null ? 1 : count.getInt(),
						CodeSignals.of(data, d, "Kubernetes")));
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

	/** One request that qualified: when, by whom, from where. */
	private record Request(Node event, Instant time, Node actor, Node ip) {
	}

	/**
	 * Runs inside the reasoner's write transaction; returns the number of signals written. One subject's qualifying
	 * requests from one address, each within an hour of the one before, are one signal with all of them as its
	 * evidence: a scanner that knocks a thousand times, or a shell opened again and again, is one step of a story.
	 */
	long run() {
		DatasetGraph dsg = store.dataset().asDatasetGraph();
		long written = 0;
		for (Detector d : detectors) {
			Map<String, List<Request>> byClient = new TreeMap<>();
			Set<Node> seen = new HashSet<>();
			d.qualifiers().forEach(qualifier -> dsg.find(Node.ANY, Node.ANY, Loupe.qualifier, qualifier).forEachRemaining(q -> {
				Node e = q.getSubject();
				if (!seen.add(e) || !dsg.contains(Node.ANY, e, RDF.type.asNode(), Loupe.KubernetesAuditEvent)) {
					return;
				}
				Node time = object(dsg, e, Loupe.eventTime);
				if (time == null) {
					return;
				}
				Node actor = object(dsg, e, Loupe.actor);
				Node ip = object(dsg, e, Loupe.sourceIp);
				String client = (actor == null ? "" : actor.toString()) + "|" + (ip == null ? "" : ip.toString());
				byClient.computeIfAbsent(client, k -> new ArrayList<>()).add(new Request(e, Instant.parse(time.getLiteralLexicalForm()), actor, ip));
			}));
			Set<Node> shared = shared(byClient.values(), d.maxSubjectsPerAddress());
			for (Map.Entry<String, List<Request>> c : byClient.entrySet()) {
				List<Request> requests = c.getValue();
				if (shared.contains(requests.get(0).ip())) {
					continue;
				}
				requests.sort(Comparator.comparing(Request::time).thenComparing(r -> r.event().getURI()));
				for (List<Request> episode : FlowContacts.episodes(requests, Request::time)) {
					if (episode.size() < d.minRequests()) {
						continue;
					}
					Node sig = d.says().write(dsg, graph, RULE, c.getKey(), episode.get(0).time(), episode.get(episode.size() - 1).time(),
							episode.stream().map(Request::event).toList());
					if (episode.get(0).actor() != null) {
						dsg.add(graph, sig, Loupe.actor, episode.get(0).actor());
					}
					if (episode.size() > 1) {
						dsg.add(graph, sig, Loupe.burstSize, NodeFactory.createLiteralDT(Integer.toString(episode.size()), XSDDatatype.XSDinteger));
					}
					written++;
				}
			}
		}
		return written;
	}

	/** The addresses more than {@code max} subjects made the requests from (none when there is no limit). */
	private static Set<Node> shared(java.util.Collection<List<Request>> clients, int max) {
		Map<Node, Set<Node>> subjects = new java.util.HashMap<>();
		if (max > 0) {
			clients.forEach(c -> c.forEach(r -> {
				if (r.ip() != null) {
					subjects.computeIfAbsent(r.ip(), k -> new HashSet<>()).add(r.actor() == null ? Node.ANY : r.actor());
				}
			}));
		}
		Set<Node> out = new HashSet<>();
		subjects.forEach((ip, who) -> {
			if (who.size() > max) {
				out.add(ip);
			}
		});
		return out;
	}

	private static Node object(DatasetGraph dsg, Node s, Node p) {
		var it = dsg.find(Node.ANY, s, p, Node.ANY);
		return it.hasNext() ? it.next().getObject() : null;
	}
}
