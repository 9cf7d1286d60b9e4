package dev.loupe.core.reason;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import org.apache.jena.graph.Node;
import org.apache.jena.graph.NodeFactory;
import org.apache.jena.rdf.model.Model;
import org.apache.jena.rdf.model.Resource;
import org.apache.jena.sparql.core.DatasetGraph;
import org.apache.jena.sparql.core.Quad;
import org.apache.jena.vocabulary.RDF;

import dev.loupe.core.ingest.IpText;
import dev.loupe.core.store.EvidenceStore;
import dev.loupe.core.vocab.Ids;
import dev.loupe.core.vocab.Loupe;

/**
 * Runs the off-instance detectors (loupe:OffInstanceDetector): EC2 names an instance profile's session after its
 * instance, and an instance calls from addresses of its own (its public address, its NAT gateway's, a VPC
 * endpoint's private one). When a session that had called from one address for an hour, and within the hour
 * still did, then calls from a new public address, its credentials are used elsewhere. The verdict reads only
 * the use of each address before the new one appeared (first and last use, from the summary graph), so later
 * evidence never changes it; a call that moved the instance within the day before (started again after a stop,
 * an elastic address associated or taken away) makes the new address its own. The calls from the address, each
 * within an hour of the one before and an hour at most, are one signal.
 * <p>
 * Code rather than a rule because it compares each address's use with the others' and groups calls into
 * episodes; what applies stays in the data.
 * <p>
 * With a detector's loupe:instanceNetwork (the organisations of Amazon's autonomous systems), an address in a
 * known network outside it is away from the instance at once: an instance that never called AWS itself has no
 * home address to leave, and credentials taken from its metadata service are used from the intruder's own
 * provider. Another AWS customer's address (the intruder's own instance) is told apart only by the first rule.
 */
final class OffInstance {
	static final Node RULE = NodeFactory.createURI(Loupe.RULE_NS + "off-instance-detector");
	/** How long an address must have been the session's, and how recently it must still have been, before a new one. */
	static final Duration HOME = Duration.ofHours(1);
	/** An episode's longest gap, and its longest extent (an update's margin covers an episode begun before it). */
	static final Duration EPISODE = Duration.ofHours(1);
	/** How long before the new address a call that moved the instance explains it. */
	static final Duration MOVED = Duration.ofDays(1);
	private static final Set<String> MOVES = Set.of("StartInstances", "AssociateAddress", "DisassociateAddress");

	/** {@code network}: the organisations of the autonomous systems instances call from (null: not judged by network). */
	record Detector(CodeSignals says, Pattern network) {

		static List<Detector> from(Model data) {
			List<Detector> out = new ArrayList<>();
			for (Resource d : data.listSubjectsWithProperty(RDF.type, data.wrapAsResource(Loupe.OffInstanceDetector)).toList()) {
				var network = d.getProperty(data.createProperty(Loupe.instanceNetwork.getURI()));
				out.add(new Detector(CodeSignals.of(data, d, "off-instance"), network == null ? null : Pattern.compile(network.getString())));
			}
			out.sort(Comparator.comparing(d -> d.says().detector().getURI()));
			return out;
		}
	}

	/** An address a session called from: the first and last time, from the summary graph. */
	private record Use(Node ip, Instant first, Instant last) {
	}

	private record Call(Node event, Instant time) {
	}

	private final EvidenceStore store;
	private final List<Detector> detectors;
	/** Where the signals are written. */
	private final Node graph;
	/** Null for every session; in an update, only the principals whose signals are derived again. */
	private final Set<Node> only;
	/** In an update: episodes that begin before this stay as they are (null: all are written). */
	private Instant since;
	private Set<Node> wholly = Set.of();

	OffInstance(EvidenceStore store, List<Detector> detectors, Node graph, Set<Node> only) {
		this.store = store;
		this.detectors = detectors;
		this.graph = graph;
		this.only = only;
	}

	/** An update's: only episodes from {@code from} on are written, all of them for the principals {@code whole}. */
	OffInstance since(Instant from, Set<Node> whole) {
		this.since = from;
		this.wholly = whole;
		return this;
	}

	/** Runs inside the reasoner's write transaction; returns the number of signals written. */
	long run() {
		if (detectors.isEmpty()) {
			return 0;
		}
		DatasetGraph dsg = store.dataset().asDatasetGraph();
		long written = 0;
		for (Node session : sessions(dsg)) {
			List<Use> uses = uses(dsg, session);
			for (Use elsewhere : uses) {
				if (!isPublic(dsg, elsewhere.ip())) {
					continue;
				}
				boolean away = leftHome(uses, elsewhere) && !moved(dsg, session, elsewhere.first());
				String network = away ? null : organisation(dsg, elsewhere.ip());
				List<Detector> judging = detectors.stream().filter(d -> away || network != null && d.network() != null
						&& !d.network().matcher(network).find()).toList();
				if (judging.isEmpty()) {
					continue;
				}
				Instant start = wholly.contains(session) ? null : since;
				for (List<Call> episode : episodes(calls(dsg, session, elsewhere.ip()))) {
					if (start != null && episode.get(0).time().isBefore(start)) {
						continue; // it stayed in the inferred graph
					}
					for (Detector d : judging) {
						Node sig = d.says().write(dsg, graph, RULE, session.getURI() + "|" + elsewhere.ip().getURI(),
								episode.get(0).time(), episode.get(episode.size() - 1).time(), episode.stream().map(Call::event).toList());
						dsg.add(graph, sig, Loupe.actor, session);
						written++;
					}
				}
			}
		}
		return written;
	}

	/**
	 * The instances' sessions (ingest names their instance, loupe:ofInstance): all that called from an address, or
	 * in an update those of its principals.
	 */
	private Set<Node> sessions(DatasetGraph dsg) {
		Set<Node> candidates = new LinkedHashSet<>();
		if (only != null) {
			candidates.addAll(only);
		} else {
			Node summary = Ids.summaryGraph();
			dsg.find(summary, Node.ANY, Loupe.cooccurrenceRole, Loupe.sourceIp).forEachRemaining(q -> {
				Node of = first(dsg, summary, q.getSubject(), Loupe.summaryOf);
				if (of != null) {
					candidates.add(of);
				}
			});
		}
		candidates.removeIf(p -> first(dsg, Node.ANY, p, Loupe.ofInstance) == null);
		return candidates;
	}

	private static List<Use> uses(DatasetGraph dsg, Node session) {
		Node summary = Ids.summaryGraph();
		List<Use> out = new ArrayList<>();
		dsg.find(summary, Node.ANY, Loupe.summaryOf, session).forEachRemaining(q -> {
			Node c = q.getSubject();
			if (dsg.contains(summary, c, Loupe.cooccurrenceRole, Loupe.sourceIp)) {
				Node ip = first(dsg, summary, c, Loupe.cooccursWith);
				Node from = first(dsg, summary, c, Loupe.firstSeen);
				Node to = first(dsg, summary, c, Loupe.lastSeen);
				if (ip != null && from != null && to != null) {
					out.add(new Use(ip, Instant.parse(from.getLiteralLexicalForm()), Instant.parse(to.getLiteralLexicalForm())));
				}
			}
		});
		return out;
	}

	/** Whether another address had been the session's for an hour, and still was within the hour, before this one. */
	private static boolean leftHome(List<Use> uses, Use elsewhere) {
		Instant settled = elsewhere.first().minus(HOME);
		return uses.stream().anyMatch(home -> !home.ip().equals(elsewhere.ip()) && !home.first().isAfter(settled)
				&& !home.last().isBefore(settled));
	}

	private static boolean isPublic(DatasetGraph dsg, Node ip) {
		Iterator<Quad> a = dsg.find(Node.ANY, ip, Loupe.address, Node.ANY);
		return a.hasNext() && !IpText.isPrivate(a.next().getObject().getLiteralLexicalForm());
	}

	/** The organisation of the address's autonomous system, from the networks graph (null when the table has none). */
	private static String organisation(DatasetGraph dsg, Node ip) {
		Node g = Ids.networksGraph();
		Node as = first(dsg, g, ip, Loupe.inAutonomousSystem);
		Node name = as == null ? null : first(dsg, g, as, Loupe.asOrganization);
		return name == null ? null : name.getLiteralLexicalForm();
	}

	/** Whether a call in the day before {@code at} started the session's instance again or changed its address. */
	private static boolean moved(DatasetGraph dsg, Node session, Instant at) {
		Node instance = first(dsg, Node.ANY, session, Loupe.ofInstance);
		if (instance == null) {
			return false;
		}
		Instant from = at.minus(MOVED);
		Iterator<Quad> it = dsg.find(Node.ANY, Node.ANY, Loupe.target, instance);
		while (it.hasNext()) {
			Quad q = it.next();
			Node name = first(dsg, q.getGraph(), q.getSubject(), Loupe.eventName);
			Node time = first(dsg, q.getGraph(), q.getSubject(), Loupe.eventTime);
			if (name != null && time != null && MOVES.contains(name.getLiteralLexicalForm())) {
				Instant t = Instant.parse(time.getLiteralLexicalForm());
				if (!t.isBefore(from) && !t.isAfter(at)) {
					return true;
				}
			}
		}
		return false;
	}

	/** The session's calls from the address, in time order (looked up from the address: its calls are few). */
	private static List<Call> calls(DatasetGraph dsg, Node session, Node ip) {
		// a record delivered again in another file is one call
		Map<Node, Call> byEvent = new LinkedHashMap<>();
		dsg.find(Node.ANY, Node.ANY, Loupe.sourceIp, ip).forEachRemaining(q -> {
			if (dsg.contains(q.getGraph(), q.getSubject(), Loupe.actor, session)) {
				Node time = first(dsg, q.getGraph(), q.getSubject(), Loupe.eventTime);
				if (time != null) {
					byEvent.put(q.getSubject(), new Call(q.getSubject(), Instant.parse(time.getLiteralLexicalForm())));
				}
			}
		});
		List<Call> out = new ArrayList<>(byEvent.values());
		out.sort(Comparator.comparing(Call::time).thenComparing(c -> c.event().getURI()));
		return out;
	}

	private static List<List<Call>> episodes(List<Call> calls) {
		List<List<Call>> out = new ArrayList<>();
		List<Call> episode = new ArrayList<>();
		for (Call c : calls) {
			if (!episode.isEmpty() && (Duration.between(episode.get(episode.size() - 1).time(), c.time()).compareTo(EPISODE) > 0
					|| Duration.between(episode.get(0).time(), c.time()).compareTo(EPISODE) > 0)) {
				out.add(episode);
				episode = new ArrayList<>();
			}
			episode.add(c);
		}
		if (!episode.isEmpty()) {
			out.add(episode);
		}
		return out;
	}

	private static Node first(DatasetGraph dsg, Node g, Node s, Node p) {
		Iterator<Quad> it = dsg.find(g, s, p, Node.ANY);
		return it.hasNext() ? it.next().getObject() : null;
	}
}
