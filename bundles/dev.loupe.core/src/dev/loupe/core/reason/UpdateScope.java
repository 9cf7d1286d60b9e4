package dev.loupe.core.reason;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.jena.graph.Node;
import org.apache.jena.graph.Triple;
import org.apache.jena.query.DatasetFactory;
import org.apache.jena.query.ParameterizedSparqlString;
import org.apache.jena.query.QueryExecution;
import org.apache.jena.rdf.model.RDFNode;
import org.apache.jena.rdf.model.ResourceFactory;
import org.apache.jena.sparql.core.DatasetGraph;
import org.apache.jena.sparql.core.Quad;
import org.apache.jena.vocabulary.RDF;

import dev.loupe.core.ingest.Times;
import dev.loupe.core.query.Queries;
import dev.loupe.core.vocab.Ids;
import dev.loupe.core.vocab.Loupe;

/**
 * What new evidence sources can change in the inferred graph, and so what an update derives again.
 * <p>
 * Every result of the rules that rests on a principal (its signals' correlation keys, the routine baseline of its
 * role, what is newly observed for it, its bursts) changes only when evidence names that principal, a session of
 * its role, or an identity its chain of assumed roles and access keys runs through. So the scope's principals are
 * those the new sources name, closed over roles and their sessions and over the sessions assumed from them.
 * <p>
 * Of their signals, only those from a margin before the new evidence on are derived again: the margin covers
 * what new calls can change before them, a burst that began earlier, and for the detectors that read the calls
 * around a principal's signals, a wider one (a new signal makes them read a link window further back). The others
 * stay, {@linkplain #settled settled}: what rules say of them from new evidence is the routine baseline, which
 * counts a role's signals over all time and reads them in {@code ?settled}. All of a principal's signals are
 * derived again when the new evidence can change them all: its chain of assumed roles or keys gained a link, or
 * it was seen with a user agent for the first time (which decides whether it is automation). The signals of the
 * findings the new sources touched, and flow signals, are always derived again: any new signal may make an
 * address suspect.
 */
final class UpdateScope {

	/** Sources not covered by the last run. */
	final Set<Node> newSources;
	/** Principals whose signals are looked at: derived again, or settled. */
	final Set<Node> principals = new HashSet<>();
	/** Signals of the inferred graph to derive again (removed before the update's steps run). */
	final Set<Node> signals = new LinkedHashSet<>();
	/** Signals of the scope's principals that stay as they are (rules read them in {@code ?settled}). */
	final Set<Node> settled = new LinkedHashSet<>();
	/** The principals of the settled signals. */
	final Set<Node> settledActors = new HashSet<>();
	/** Principals all of whose signals are derived again, whatever their time. */
	final Set<Node> wholly = new HashSet<>();
	/** The new sources' earliest record (null when they hold none): no new call is earlier. */
	Instant first;
	/** Where the signals derived again begin (null: all time); earlier ones stay unless {@link #wholly} derived. */
	Instant from;
	/** Where those of the {@linkplain Margins#wide wide} detectors begin. */
	Instant wideFrom;

	/**
	 * How far before the new evidence signals are derived again: {@code signals} for all, {@code wider} for
	 * those of the detectors {@code wide}.
	 */
	record Margins(Duration signals, Duration wider, Set<Node> wide) {
	}
	/** API calls the forward rules read again besides the new sources' ones: those the scope's signals came from. */
	final Set<Node> calls = new LinkedHashSet<>();
	/** Findings the finding rules read again. */
	final Set<Node> findings = new LinkedHashSet<>();

	private final DatasetGraph dsg;
	private final Node inferred = Ids.inferredGraph();

	/** What sorting read of each signal found. */
	private final Map<Node, Facts> factsOf = new HashMap<>();
	/** The actors of each signal found, as closing the scope read them (sorting needs them too). */
	private final Map<Node, List<Node>> actorsOf = new HashMap<>();
	/** The signals of the scope's principals, before they are sorted into those derived again and the settled. */
	private final Set<Node> found = new LinkedHashSet<>();
	/** Signals derived again whatever their time: those of the findings the new sources touched. */
	private final Set<Node> forced = new HashSet<>();
	private final Margins margin;

	private UpdateScope(DatasetGraph dsg, Set<Node> newSources, Margins margin) {
		this.dsg = dsg;
		this.newSources = newSources;
		this.margin = margin;
	}

	/**
	 * Runs inside the update's write transaction; signals from {@code margin} before the new sources' earliest
	 * record on are derived again.
	 */
	static UpdateScope of(DatasetGraph dsg, Set<Node> newSources, Margins margin) {
		UpdateScope s = new UpdateScope(dsg, newSources, margin);
		s.compute();
		return s;
	}

	private void compute() {
		long t = System.nanoTime();
		Set<Node> named = new HashSet<>();
		if (!newSources.isEmpty()) {
			ParameterizedSparqlString pss = Queries.parameterized(UpdateScope.class, "scope-actors.rq");
			pss.setValues("newSourceGraphs", iris(newSources));
			try (QueryExecution qe = QueryExecution.dataset(DatasetFactory.wrap(dsg)).query(pss.asQuery()).build()) {
				qe.execSelect().forEachRemaining(row -> named.add(row.get("actor").asNode()));
			}
		}
		// principals whose signals may now resolve to another identity: all their signals are derived again (a link
		// an older source held already changes nothing: sessions that run every day are assumed again every day)
		Set<Node> resolving = new HashSet<>();
		for (Node g : newSources) {
			dsg.find(g, Node.ANY, Loupe.assumedBy, Node.ANY).forEachRemaining(q -> {
				named.add(q.getSubject());
				named.add(q.getObject());
				if (!knownBefore(q)) {
					resolving.add(q.getSubject());
				}
			});
			dsg.find(g, Node.ANY, Loupe.sessionOf, Node.ANY).forEachRemaining(q -> named.add(q.getSubject()));
			// a key's maker decides whose chain the key's calls resolve to
			dsg.find(g, Node.ANY, Loupe.createdBy, Node.ANY).forEachRemaining(q -> {
				named.add(q.getObject());
				if (knownBefore(q)) {
					return;
				}
				dsg.find(Node.ANY, Node.ANY, Loupe.accessKey, q.getSubject()).forEachRemaining(use -> objects(Node.ANY, use.getSubject(),
						Loupe.actor, resolving));
			});
			dsg.find(g, Node.ANY, RDF.type.asNode(), Loupe.Finding).forEachRemaining(q -> findings.add(q.getSubject()));
			ScopeNames.of(dsg, g, newSources, named, calls);
		}
		t = lap("what the new sources name", t);
		named.remove(Node.ANY);
		resolving.remove(Node.ANY);
		named.addAll(resolving);
		Deque<Node> todo = new ArrayDeque<>(named);
		// the signals of an updated finding bring their principals along
		for (Node f : findings) {
			subjectsOf(Loupe.provWasDerivedFrom, f, todo);
		}
		forced.addAll(found);
		close(todo);
		for (Node rule : List.of(FlowContacts.RULE, NameContacts.RULE, KubernetesSignals.RULE)) {
			for (Iterator<Quad> it = dsg.find(inferred, Node.ANY, Loupe.rule, rule); it.hasNext();) {
				forced.add(it.next().getSubject());
			}
		}
		t = lap("close over roles and sessions", t);
		sort(resolving);
		t = lap("sort the signals by time", t);
		for (Node s : signals) {
			dsg.find(inferred, s, Loupe.provWasDerivedFrom, Node.ANY).forEachRemaining(q -> {
				Node e = q.getObject();
				if (dsg.contains(Node.ANY, e, RDF.type.asNode(), Loupe.Finding)) {
					findings.add(e);
				} else if (dsg.contains(Node.ANY, e, RDF.type.asNode(), Loupe.ApiCall)) {
					calls.add(e);
				}
			});
		}
		lap("the evidence of the signals derived again", t);
	}

	/** The detector and time of each settled signal, by its actors (the burst detectors read around them). */
	Map<Node, List<Map.Entry<Node, Instant>>> settledByActor() {
		Map<Node, List<Map.Entry<Node, Instant>>> out = new HashMap<>();
		for (Node s : settled) {
			Facts f = factsOf.get(s);
			if (f == null || f.time() == null || f.detectors().isEmpty()) {
				continue;
			}
			for (Node a : f.actors()) {
				out.computeIfAbsent(a, k -> new java.util.ArrayList<>()).add(Map.entry(f.detectors().get(0), f.time()));
			}
		}
		return out;
	}

	/** Whether a source the last run covered already held this fact. */
	private boolean knownBefore(Quad q) {
		for (Iterator<Quad> it = dsg.find(Node.ANY, q.getSubject(), q.getPredicate(), q.getObject()); it.hasNext();) {
			if (!newSources.contains(it.next().getGraph())) {
				return true;
			}
		}
		return false;
	}

	private static long lap(String what, long since) {
		Reasoner.trace("  scope: " + what + " " + (System.nanoTime() - since) / 1_000_000 + " ms");
		return System.nanoTime();
	}

	/**
	 * Sorts the signals found into those derived again and the settled: the new sources' earliest record, less the
	 * margin, divides them, except for the principals {@linkplain #wholly} derived again (those whose chain may
	 * resolve elsewhere, the sessions assumed from them, and those seen with a new user agent).
	 */
	private void sort(Set<Node> resolving) {
		long t0 = System.nanoTime();
		first = firstRecord();
		t0 = lap("when the new evidence begins", t0);
		Map<Node, Facts> facts = factsOf;
		List<Node> older = List.of();
		if (first != null) {
			from = first.minus(margin.signals());
			wideFrom = first.minus(margin.wider());
			found.forEach(s -> facts.put(s, facts(s)));
			older = found.stream().filter(s -> !forced.contains(s) && facts.get(s).before(from, wideFrom, margin.wide())).toList();
			t0 = lap("the time of " + found.size() + " signals", t0);
		}
		if (older.isEmpty()) {
			// no record in the new sources, or nothing to settle (new principals): all is derived again
			signals.addAll(found);
			signals.addAll(forced);
			return;
		}
		Deque<Node> todo = new ArrayDeque<>(resolving);
		while (!todo.isEmpty()) {
			Node p = todo.pop();
			if (wholly.add(p)) {
				dsg.find(Node.ANY, Node.ANY, Loupe.assumedBy, p).forEachRemaining(q -> todo.push(q.getSubject()));
			}
		}
		long t = lap("the chains that may resolve elsewhere", t0);
		// whether the actor or the identity behind an older signal is automation decides its keys
		Set<Node> behind = new HashSet<>();
		for (Node s : older) {
			behind.addAll(facts.get(s).actors());
			behind.addAll(facts.get(s).resolved());
		}
		wholly.addAll(newUserAgents(first, behind));
		t = lap("new user agents", t);
		// a principal whose signals resolve to one derived wholly is derived wholly too (its bursts are written by actor)
		for (Facts f : facts.values()) {
			if (f.resolved().stream().anyMatch(wholly::contains)) {
				wholly.addAll(f.actors());
			}
		}
		Set<Node> settle = new HashSet<>(older);
		for (Node s : found) {
			List<Node> actors = facts.get(s).actors();
			if (!settle.contains(s) || actors.stream().anyMatch(wholly::contains)) {
				signals.add(s);
			} else {
				settled.add(s);
				settledActors.addAll(actors);
			}
		}
		signals.addAll(forced);
	}

	/** What sorting needs of a signal, read once. */
	private record Facts(Instant time, List<Node> detectors, List<Node> actors, List<Node> resolved) {

		/** Whether it began before the margin of its kind (a signal without a time is derived again). */
		boolean before(Instant from, Instant wideFrom, Set<Node> wide) {
			return time != null && time.isBefore(detectors.stream().anyMatch(wide::contains) ? wideFrom : from);
		}
	}

	private Facts facts(Node s) {
		Iterator<Quad> time = dsg.find(inferred, s, Loupe.time, Node.ANY);
		List<Node> actors = actorsOf.get(s);
		return new Facts(time.hasNext() ? instant(time.next().getObject()) : null, objects(s, Loupe.detector),
				actors != null ? actors : objects(s, Loupe.actor), objects(s, Loupe.resolvedActor));
	}

	private List<Node> objects(Node s, Node p) {
		List<Node> out = new java.util.ArrayList<>(1);
		dsg.find(inferred, s, p, Node.ANY).forEachRemaining(q -> out.add(q.getObject()));
		return out;
	}

	/** An xsd:dateTime's instant (signals carry UTC times; a finding's may carry an offset). */
	static Instant instant(Node time) {
		return Times.parse(time.getLiteralLexicalForm());
	}

	/** Those of {@code candidates} the summaries show with a user agent first seen at {@code since} or later. */
	private Set<Node> newUserAgents(Instant since, Set<Node> candidates) {
		Set<Node> out = new HashSet<>();
		List<RDFNode> uris = candidates.stream().filter(Node::isURI).map(p -> (RDFNode) ResourceFactory.createResource(p.getURI())).toList();
		if (uris.isEmpty()) {
			return out;
		}
		ParameterizedSparqlString pss = Queries.parameterized(UpdateScope.class, "scope-new-user-agents.rq");
		pss.setIri("summary", Ids.SUMMARY_GRAPH);
		pss.setParam("since", CodeSignals.time(since));
		pss.setValues("scopePrincipals", uris);
		try (QueryExecution qe = QueryExecution.dataset(DatasetFactory.wrap(dsg)).query(pss.asQuery()).build()) {
			qe.execSelect().forEachRemaining(row -> out.add(row.get("p").asNode()));
		}
		return out;
	}

	/** The time of the new sources' earliest record, or null when they hold none. */
	private Instant firstRecord() {
		if (newSources.isEmpty()) {
			return null;
		}
		ParameterizedSparqlString pss = Queries.parameterized(UpdateScope.class, "scope-first-time.rq");
		pss.setValues("newSourceGraphs", iris(newSources));
		try (QueryExecution qe = QueryExecution.dataset(DatasetFactory.wrap(dsg)).query(pss.asQuery()).build()) {
			var rows = qe.execSelect();
			if (!rows.hasNext()) {
				return null;
			}
			RDFNode first = rows.next().get("first");
			return first == null ? null : instant(first.asNode());
		}
	}

	/**
	 * Adds the principals waiting, their roles, their roles' sessions and the sessions assumed from them, with
	 * their signals and those resolved to them; the actors of the latter join in turn, until nothing more does.
	 * Of a principal's sessions, only those with signals (or leading to sessions with signals) can add any.
	 */
	private void close(Deque<Node> todo) {
		Map<Node, Set<Node>> below = below();
		while (!todo.isEmpty()) {
			Node p = todo.pop();
			if (!p.isURI() || !principals.add(p)) {
				continue;
			}
			Node role = first(p, Loupe.sessionOf);
			if (role != null) {
				todo.push(role);
			}
			todo.addAll(below.getOrDefault(p, Set.of()));
			subjectsOf(Loupe.actor, p, todo);
			subjectsOf(Loupe.resolvedActor, p, todo);
		}
	}

	/**
	 * For each role, its sessions, and for each principal, the sessions assumed from it: only those on the way up
	 * from a signal's actor. Asking the store for all of a role's sessions reads a copy of each from every source
	 * that names it (100K facts in the 1M-event bench, for a few hundred sessions).
	 */
	private Map<Node, Set<Node>> below() {
		Deque<Node> up = new ArrayDeque<>();
		dsg.find(inferred, Node.ANY, Loupe.actor, Node.ANY).forEachRemaining(q -> up.push(q.getObject()));
		Map<Node, Set<Node>> below = new HashMap<>();
		Set<Node> seen = new HashSet<>();
		while (!up.isEmpty()) {
			Node x = up.pop();
			if (!seen.add(x)) {
				continue;
			}
			Node role = first(x, Loupe.sessionOf); // a session has one role: its ARN names it
			if (role != null) {
				below.computeIfAbsent(role, k -> new HashSet<>()).add(x);
			}
			Set<Node> parents = new HashSet<>();
			objects(Node.ANY, x, Loupe.assumedBy, parents);
			for (Node parent : parents) {
				below.computeIfAbsent(parent, k -> new HashSet<>()).add(x);
				up.push(parent);
			}
		}
		return below;
	}

	/** Signals with {@code p o}: into the scope, with their actors queued. */
	private void subjectsOf(Node p, Node o, Deque<Node> todo) {
		for (Iterator<Quad> it = dsg.find(inferred, Node.ANY, p, o); it.hasNext();) {
			Node s = it.next().getSubject();
			if (dsg.contains(inferred, s, RDF.type.asNode(), Loupe.Signal) && found.add(s)) {
				List<Node> actors = objects(s, Loupe.actor);
				actorsOf.put(s, actors);
				for (Node a : actors) {
					if (!principals.contains(a)) {
						todo.push(a);
					}
				}
			}
		}
	}

	private void objects(Node g, Node s, Node p, Set<Node> into) {
		dsg.find(g, s, p, Node.ANY).forEachRemaining(q -> into.add(q.getObject()));
	}

	/** The skeleton of the scope's API calls that the forward rules read ({@link ScopeInput}). */
	List<Triple> ruleInput(Set<String> eventNames) {
		return ScopeInput.of(dsg, newSources, calls, eventNames);
	}

	static List<RDFNode> iris(Set<Node> nodes) {
		return nodes.stream().map(g -> (RDFNode) ResourceFactory.createResource(g.getURI())).toList();
	}

	private Node first(Node s, Node p) {
		Iterator<Quad> it = dsg.find(Node.ANY, s, p, Node.ANY);
		return it.hasNext() ? it.next().getObject() : null;
	}
}
