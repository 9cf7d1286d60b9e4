package dev.loupe.core.reason;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.jena.graph.Node;
import org.apache.jena.graph.NodeFactory;
import org.apache.jena.rdf.model.Model;
import org.apache.jena.rdf.model.Resource;
import org.apache.jena.sparql.core.DatasetGraph;
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
 */
final class NameContacts {
	static final Node RULE = NodeFactory.createURI(Loupe.RULE_NS + "dns-detector");

	record Detector(CodeSignals says) {

		static List<Detector> from(Model data) {
			List<Detector> out = new ArrayList<>();
			for (Resource d : data.listSubjectsWithProperty(RDF.type, data.wrapAsResource(Loupe.DnsDetector)).toList()) {
				out.add(new Detector(CodeSignals.of(data, d, "dns")));
			}
			// the most severe one makes the signal
			out.sort(Comparator.comparing((Detector d) -> d.says().severity()).reversed().thenComparing(d -> d.says().detector().getURI()));
			return out;
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

	/** As {@link FlowContacts}: signals are written to {@code graph} and read from it and {@code alsoRead}. */
	NameContacts(EvidenceStore store, List<Detector> detectors, Duration reach, Node graph, Node alsoRead) {
		this.store = store;
		this.detectors = detectors;
		this.reach = reach;
		this.graph = graph;
		this.alsoRead = alsoRead;
	}

	/** Runs inside the reasoner's write transaction; returns the number of DNS signals written. */
	long run() {
		DatasetGraph dsg = store.dataset().asDatasetGraph();
		if (detectors.isEmpty() || !dsg.contains(Node.ANY, Node.ANY, RDF.type.asNode(), Loupe.DnsQuery)) {
			return 0;
		}
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
		long written = 0;
		for (Map.Entry<Node, Suspect> n : names.entrySet()) {
			Instant from = n.getValue().first().minus(reach);
			Instant to = n.getValue().last().plus(reach);
			Map<Node, List<Query>> byAsker = new LinkedHashMap<>();
			Map<Node, Instant> firstAsked = new HashMap<>();
			dsg.find(Node.ANY, Node.ANY, Loupe.queryName, n.getKey()).forEachRemaining(q -> {
				Node query = q.getSubject();
				String time = FlowContacts.value(dsg, query, Loupe.eventTime);
				Node asker = object(dsg, query, Loupe.ofInstance);
				asker = asker != null ? asker : object(dsg, query, Loupe.srcAddress);
				if (time == null || asker == null) {
					return;
				}
				Instant t = Instant.parse(time);
				firstAsked.merge(asker, t, (x, y) -> x.isBefore(y) ? x : y);
				if (!t.isBefore(from) && !t.isAfter(to)) {
					byAsker.computeIfAbsent(asker, k -> new ArrayList<>()).add(new Query(query, t));
				}
			});
			// an asker that asked for the name long before the evidence against it did so out of habit
			byAsker.keySet().removeIf(asker -> firstAsked.get(asker).isBefore(from));
			for (Map.Entry<Node, List<Query>> a : byAsker.entrySet()) {
				List<Query> queries = a.getValue();
				queries.sort(Comparator.comparing(Query::time).thenComparing(x -> x.query().getURI()));
				for (List<Query> episode : FlowContacts.episodes(queries, Query::time)) {
					write(dsg, n.getKey(), n.getValue().address(), a.getKey(), episode);
					written++;
				}
			}
		}
		return written;
	}

	private void write(DatasetGraph dsg, Node name, Node address, Node asker, List<Query> episode) {
		Node sig = detectors.get(0).says().write(dsg, graph, RULE, name.getURI() + "|" + asker.getURI(), episode.get(0).time(),
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
