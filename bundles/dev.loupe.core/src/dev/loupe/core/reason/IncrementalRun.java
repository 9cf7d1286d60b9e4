package dev.loupe.core.reason;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.jena.datatypes.xsd.XSDDatatype;
import org.apache.jena.graph.Graph;
import org.apache.jena.graph.Node;
import org.apache.jena.graph.NodeFactory;
import org.apache.jena.graph.Triple;
import org.apache.jena.rdf.model.Model;
import org.apache.jena.rdf.model.ModelFactory;
import org.apache.jena.sparql.core.DatasetGraph;
import org.apache.jena.sparql.core.Quad;
import org.apache.jena.sparql.graph.GraphFactory;
import org.apache.jena.vocabulary.RDF;

import dev.loupe.core.reason.Reasoner.Step;
import dev.loupe.core.store.EvidenceStore;
import dev.loupe.core.store.GraphClear;
import dev.loupe.core.store.Sources;
import dev.loupe.core.vocab.Ids;
import dev.loupe.core.vocab.Loupe;

/**
 * An update of the inferred graph after evidence sources were added, in the caller's write transaction, giving
 * what a full run gives.
 * <ol>
 * <li>The {@link UpdateScope}'s signals are taken out of the inferred graph.</li>
 * <li>The steps before the linker (forward rules, update files, bursts, flows) run with {@code ?inferred} bound to
 * a working graph: they see only the scope's signals, and derive them again from the calls and findings they came
 * from and from the new sources' ones; {@link FindingSignals} derives again those of the scope's findings.</li>
 * <li>The working graph joins the inferred graph. The linker links all signals again (in memory: it is a sort per
 * key) and writes only the sequences and links that changed.</li>
 * <li>The steps from the linker on (sequence types and context, coverage gaps, silences) run over the whole inferred
 * graph, after their earlier results are taken out: they are few and cheap.</li>
 * </ol>
 */
final class IncrementalRun {

	/** The working graph of an update's first half. */
	static final Node WORK = NodeFactory.createURI("urn:loupe:graph:inferred-update");
	/** What marks a sequence new or changed, whose type and context to find (rules/70- and 75- read it). */
	static final Node DUE = NodeFactory.createURI("urn:loupe:tmp:due");
	/** What marks a sequence that stayed and may gain context from the new sources only (rules/75- reads it). */
	static final Node GROW = NodeFactory.createURI("urn:loupe:tmp:grow");
	/** What marks a new source, for the sequences marked {@link #GROW}. */
	static final Node NEW_SOURCE = NodeFactory.createURI("urn:loupe:tmp:newSource");
	static final Node TRUE = NodeFactory.createLiteralDT("true", XSDDatatype.XSDboolean);
	/**
	 * What marks, in the working graph, a principal with settled signals (those before the scope's time, which
	 * stay in {@code ?settled}): rules find them through it (rules/45-routine.ru).
	 */
	static final Node SETTLED_ACTOR = NodeFactory.createURI("urn:loupe:tmp:settledActor");
	/**
	 * What marks, in the working graph, the actor of a signal taken out: its baseline may change though it has no
	 * signal now (rules/45-routine.ru looks at the settled signals of changed baselines only).
	 */
	static final Node HAD_SIGNAL = NodeFactory.createURI("urn:loupe:tmp:hadSignal");

	private final EvidenceStore store;
	private final Prepared p;
	private final List<Step> steps;
	private Set<Node> asIfNew;
	private final DatasetGraph dsg;
	private final Node main = Ids.inferredGraph();
	/**
	 * The signals the update changed: taken out and not derived again, derived anew, or derived again with other
	 * facts (keys, routine, ...), and those of principals whose automation verdict changed. A sequence without
	 * them stays as it was. Most signals of the scope come out as they were: they are not changed.
	 */
	private final Set<Node> changed = new HashSet<>();
	/** The facts of the scope's signals before they were taken out. */
	private final Map<Node, Set<Triple>> before = new HashMap<>();
	/** Which of the scope's principals were automation before the update. */
	private final Set<Node> automatedBefore = new HashSet<>();
	/** The signals of the scope's principals that are not derived again. */
	private Set<Node> settled = Set.of();
	/** Which of those were routine before the update. */
	private final Set<Node> routineBefore = new HashSet<>();
	/** The endpoints the signals taken out were keyed by: those that may be left without a signal. */
	private final Set<Node> endpoints = new HashSet<>();
	/** The names the DNS signals taken out had asked for. */
	private final Set<Node> namesAsked = new HashSet<>();
	private UpdateScope scope;

	IncrementalRun(EvidenceStore store, Prepared p, List<Step> steps) {
		this.store = store;
		this.p = p;
		this.steps = steps;
		this.dsg = store.dataset().asDatasetGraph();
	}

	/** Sources taken as new instead of those the last run did not cover: a {@linkplain Reasoner#rehearse rehearsal}. */
	IncrementalRun asIfNew(Set<Node> sources) {
		this.asIfNew = sources;
		return this;
	}

	/** Returns how many signals of the last run were in the scope. */
	long run() {
		long t = System.nanoTime();
		// read again in the write transaction: sources may have been added since the caller chose to update
		RunRecord last = RunRecord.read(dsg);
		Set<Node> sources = Sources.graphs(dsg);
		Set<Node> added = new HashSet<>(sources);
		added.removeAll(last.covered());
		if (asIfNew != null) {
			added = asIfNew;
		}
		scope = UpdateScope.of(dsg, added, margins());
		settled = scope.settled;
		t = Reasoner.step(steps, "scope: " + added.size() + " new sources, " + scope.principals.size() + " principals ("
				+ scope.wholly.size() + " over all time), " + scope.signals.size() + " signals from " + scope.from + ", "
				+ scope.settled.size() + " settled", t);
		Model input = ModelFactory.createDefaultModel();
		scope.ruleInput(p.eventNames()).forEach(input.getGraph()::add);
		TrailBuckets.qualify(input.getGraph(), dsg);
		t = Reasoner.step(steps, "read the calls the forward rules match (" + input.size() + " triples)", t);
		List<Triple> forward = p.forward(input);
		t = Reasoner.step(steps, "forward rules (" + forward.size() + " triples)", t);
		dsg.deleteAny(WORK, Node.ANY, Node.ANY, Node.ANY);
		takeOut(scope);
		forward.forEach(d -> dsg.add(WORK, d.getSubject(), d.getPredicate(), d.getObject()));
		scope.settledActors.forEach(a -> dsg.add(WORK, a, SETTLED_ACTOR, TRUE));
		hadSignal().forEach(a -> dsg.add(WORK, a, HAD_SIGNAL, TRUE));
		routineBefore.addAll(routineSettled());
		Reasoner.step(steps, "take the scope out, write the rules' results", t);
		Node[] graph = { WORK };
		Node[] settledGraph = { main };
		List<Map.Entry<String, Runnable>> code = new ArrayList<>(List.of(
				Map.entry(Reasoner.FINDINGS_POSITION, () -> Reasoner.step(steps, "finding signals", Reasoner.timed(() ->
						new FindingSignals(store, p.findings(), WORK, scope.findings).run()))),
				Map.entry(Reasoner.BURSTS_POSITION, () -> Reasoner.step(steps, "burst detectors", Reasoner.timed(() -> new Bursts(store,
						p.bursts(), p.link().window(), WORK, scope.principals).since(scope.from, scope.wideFrom, scope.settledByActor(),
						scope.wholly).run()))),
				Map.entry(Reasoner.BURSTS_POSITION, () -> Reasoner.step(steps, "off-instance detectors", Reasoner.timed(() ->
						new OffInstance(store, p.offInstance(), WORK, scope.principals).since(scope.from, scope.wholly).run()))),
				Map.entry(Reasoner.BURSTS_POSITION, () -> Reasoner.step(steps, "Kubernetes detectors", Reasoner.timed(() ->
						new KubernetesSignals(store, p.kubernetes(), WORK).run()))),
				Map.entry(Reasoner.FLOWS_POSITION, () -> Reasoner.step(steps, "flow detectors", Reasoner.timed(() -> new FlowContacts(store,
						p.flows(), p.link().window(), WORK, main).run()))),
				Map.entry(Reasoner.FLOWS_POSITION, () -> Reasoner.step(steps, "DNS detectors", Reasoner.timed(() -> new NameContacts(store,
						p.names(), p.link().window(), WORK, main).onlyNew(scope.newSources, namesAsked).run()))),
				Map.entry(Reasoner.LINKER_POSITION, () -> {
					Reasoner.step(steps, "join the working graph", Reasoner.timed(this::join));
					Reasoner.step(steps, "linker", Reasoner.timed(this::relink));
					graph[0] = main;
					settledGraph[0] = Reasoner.NOTHING_SETTLED;
				}),
				Map.entry(Reasoner.SILENCES_POSITION, () -> Reasoner.step(steps, "silences", Reasoner.timed(() -> new Silences(store,
						p.silences()).run())))));
		Reasoner.runFiles(store, p, code, () -> graph[0], () -> settledGraph[0], steps);
		long end = System.nanoTime();
		dsg.deleteAny(main, Node.ANY, DUE, Node.ANY);
		dsg.deleteAny(main, Node.ANY, GROW, Node.ANY);
		dsg.deleteAny(main, Node.ANY, NEW_SOURCE, Node.ANY);
		new RunRecord(RunRecord.of(p, dsg), sources).write(dsg, last);
		Reasoner.step(steps, "record the run", end);
		return scope.signals.size();
	}

	/**
	 * How far before the new evidence signals are derived again: a burst episode that began before it (at most an
	 * hour, and its window before that); for the burst detectors that read a principal's calls around its signals,
	 * the link window besides (a new signal makes them read that much further back), and the episode such a call
	 * may continue.
	 */
	private UpdateScope.Margins margins() {
		java.time.Duration widest = java.time.Duration.ZERO;
		Set<Node> around = new HashSet<>();
		for (BurstDetector d : p.bursts()) {
			widest = d.window().compareTo(widest) > 0 ? d.window() : widest;
			if (!d.prefixes().isEmpty()) {
				around.add(d.iri());
			}
		}
		java.time.Duration episode = Bursts.MAX_EPISODE.plus(widest);
		return new UpdateScope.Margins(episode, p.link().window().plus(episode.multipliedBy(2)), around);
	}

	/**
	 * Takes out what the first half derives again: the scope's signals, whether its principals are automated, and
	 * the address keys of flow signals (all flow signals are in the scope).
	 */
	private void takeOut(UpdateScope scope) {
		// an address is a key only as the remote address of a flow signal (40-correlation-keys.ru), shared with the
		// findings that name it: the flow signals are all in the scope, so their addresses name every such key
		Set<Node> addresses = new HashSet<>();
		scope.signals.forEach(s -> dsg.find(main, s, Loupe.remoteAddress, Node.ANY).forEachRemaining(q -> addresses.add(q.getObject())));
		List<Quad> ipKeys = new ArrayList<>();
		addresses.forEach(ip -> dsg.find(main, Node.ANY, Loupe.resourceKey, ip).forEachRemaining(ipKeys::add));
		ipKeys.forEach(dsg::delete);
		// only an endpoint a signal taken out was keyed by can be left without one
		for (Node kind : List.of(Loupe.endpointKey, Loupe.habitualEndpointKey)) {
			scope.signals.forEach(s -> dsg.find(main, s, kind, Node.ANY).forEachRemaining(q -> endpoints.add(q.getObject())));
		}
		scope.signals.forEach(s -> before.put(s, facts(s)));
		// the names the DNS signals taken out had asked for: the DNS step looks for watched names only there and in the new sources
		scope.signals.forEach(s -> dsg.find(main, s, Loupe.remoteName, Node.ANY).forEachRemaining(q -> namesAsked.add(q.getObject())));
		long t0 = System.nanoTime();
		long n = GraphClear.clearSubjects(dsg, main, scope.signals);
		Reasoner.trace("  take out the " + n + " facts of the signals derived again " + (System.nanoTime() - t0) / 1_000_000 + " ms");
		scope.principals.forEach(a -> {
			if (dsg.contains(main, a, RDF.type.asNode(), Loupe.AutomatedPrincipal)) {
				automatedBefore.add(a);
			}
		});
		automatedBefore.forEach(a -> dsg.delete(main, a, RDF.type.asNode(), Loupe.AutomatedPrincipal));
		// an endpoint only the scope's signals were keyed by must not be found by a flow rule in the working graph
		sweepEndpoints();
	}

	/** The working graph joins the inferred graph; endpoints no signal is keyed by any more go. */
	private void join() {
		dsg.deleteAny(WORK, Node.ANY, SETTLED_ACTOR, Node.ANY);
		dsg.deleteAny(WORK, Node.ANY, HAD_SIGNAL, Node.ANY);
		Set<Node> derived = new HashSet<>(before.keySet());
		dsg.find(WORK, Node.ANY, RDF.type.asNode(), Loupe.Signal).forEachRemaining(q -> derived.add(q.getSubject()));
		List<Quad> work = new ArrayList<>();
		dsg.find(WORK, Node.ANY, Node.ANY, Node.ANY).forEachRemaining(work::add);
		long t0 = System.nanoTime();
		work.forEach(q -> dsg.add(main, q.getSubject(), q.getPredicate(), q.getObject()));
		long t1 = System.nanoTime();
		GraphClear.clear(dsg, WORK);
		Reasoner.trace("  join: " + work.size() + " facts in " + (t1 - t0) / 1_000_000 + " ms, the working graph cleared "
				+ (System.nanoTime() - t1) / 1_000_000 + " ms");
		sweepEndpoints();
		for (Node s : derived) {
			if (!facts(s).equals(before.getOrDefault(s, Set.of()))) {
				changed.add(s);
			}
		}
		// the linker does not count automation's signals (uncounted.rq)
		for (Node a : scope.principals) {
			if (dsg.contains(main, a, RDF.type.asNode(), Loupe.AutomatedPrincipal) != automatedBefore.contains(a)) {
				dsg.find(main, Node.ANY, Loupe.actor, a).forEachRemaining(q -> changed.add(q.getSubject()));
				dsg.find(main, Node.ANY, Loupe.resolvedActor, a).forEachRemaining(q -> changed.add(q.getSubject()));
			}
		}
		// a settled signal whose routine baseline changed is linked again (the linker does not count routine signals)
		Set<Node> routineNow = routineSettled();
		for (Node s : routineNow) {
			if (!routineBefore.contains(s)) {
				changed.add(s);
			}
		}
		for (Node s : routineBefore) {
			if (!routineNow.contains(s)) {
				changed.add(s);
			}
		}
	}

	/** The actors of the signals taken out. */
	private Set<Node> hadSignal() {
		Set<Node> out = new HashSet<>();
		before.values().forEach(facts -> facts.forEach(t -> {
			if (t.getPredicate().equals(Loupe.actor)) {
				out.add(t.getObject());
			}
		}));
		return out;
	}

	/** The settled signals that are routine (few signals are: one scan of them, not a look-up per settled signal). */
	private Set<Node> routineSettled() {
		Set<Node> out = new HashSet<>();
		dsg.find(main, Node.ANY, Loupe.routine, TRUE).forEachRemaining(q -> {
			if (settled.contains(q.getSubject())) {
				out.add(q.getSubject());
			}
		});
		return out;
	}

	/** The sequences the signals are members of. */
	private Set<Node> sequencesOf(Set<Node> signals) {
		Set<Node> out = new HashSet<>();
		signals.forEach(m -> dsg.find(main, Node.ANY, Loupe.member, m).forEachRemaining(q -> out.add(q.getSubject())));
		return out;
	}

	/** Whether the sequence's context window reaches the new sources' first record. */
	private boolean reaches(Node seq) {
		Node end = firstObject(seq, Loupe.endTime);
		return end == null || scope.first == null
				|| !UpdateScope.instant(end).plus(p.link().contextWindow()).isBefore(scope.first);
	}

	/** Whether a client of the sequence's context is one of the scope's principals that now made too many calls. */
	private boolean crowdedOut(Node seq, Map<List<Node>, Boolean> crowded) {
		for (var it = dsg.find(main, seq, Loupe.contextEvent, Node.ANY); it.hasNext();) {
			Node x = it.next().getObject();
			for (var actors = dsg.find(Node.ANY, x, Loupe.actor, Node.ANY); actors.hasNext();) {
				Node actor = actors.next().getObject();
				if (!scope.principals.contains(actor)) {
					continue;
				}
				for (var ips = dsg.find(Node.ANY, x, Loupe.sourceIp, Node.ANY); ips.hasNext();) {
					Node ip = ips.next().getObject();
					if (crowded.computeIfAbsent(List.of(actor, ip), k -> calls(actor, ip) > p.link().contextMaxCalls())) {
						return true;
					}
				}
			}
		}
		return false;
	}

	/** How many calls the summaries count for {@code actor} from {@code ip}. */
	private long calls(Node actor, Node ip) {
		Node summary = Ids.summaryGraph();
		for (var it = dsg.find(summary, Node.ANY, Loupe.cooccursWith, ip); it.hasNext();) {
			Node c = it.next().getSubject();
			// the same count as 75-sequence-context.ru reads: calls from that address
			if (dsg.contains(summary, c, Loupe.summaryOf, actor) && dsg.contains(summary, c, Loupe.cooccurrenceRole, Loupe.sourceIp)) {
				Node n = firstObject(summary, c, Loupe.eventCount);
				return n == null ? 0 : Long.parseLong(n.getLiteralLexicalForm());
			}
		}
		return 0;
	}

	private Node firstObject(Node s, Node p) {
		return firstObject(main, s, p);
	}

	private Node firstObject(Node g, Node s, Node p) {
		var it = dsg.find(g, s, p, Node.ANY);
		return it.hasNext() ? it.next().getObject() : null;
	}

	private Set<Triple> facts(Node signal) {
		Set<Triple> out = new HashSet<>();
		dsg.find(main, signal, Node.ANY, Node.ANY).forEachRemaining(q -> out.add(q.asTriple()));
		return out;
	}

	private void sweepEndpoints() {
		List<Node> orphans = new ArrayList<>();
		for (Node e : endpoints) {
			if (!dsg.find(main, Node.ANY, Loupe.endpointKey, e).hasNext() && !dsg.find(main, Node.ANY, Loupe.habitualEndpointKey, e).hasNext()) {
				orphans.add(e);
			}
		}
		orphans.forEach(e -> dsg.deleteAny(main, e, Node.ANY, Node.ANY));
	}

	/**
	 * Links every signal again and writes the difference: sequences and links that are new or changed, and takes
	 * out those that are gone, with what later steps said of them (they say it again). Coverage gaps go too:
	 * their step runs again over all evidence.
	 */
	private void relink() {
		Graph fresh = GraphFactory.createDefaultGraph();
		// the sequences that held a changed signal before this update
		Set<Node> touched = new HashSet<>();
		changed.forEach(s -> dsg.find(main, Node.ANY, Loupe.member, s).forEachRemaining(q -> touched.add(q.getSubject())));
		Linker.Relinked relinked = new Linker(store, p.link()).run(fresh, changed,
				seq -> !touched.contains(seq) && dsg.contains(main, seq, RDF.type.asNode(), Loupe.AttackSequence));
		long t = System.nanoTime();
		// the facts of the sequences that did not stay, and of their links
		Set<Triple> old = new HashSet<>();
		Set<Node> kept = new HashSet<>();
		List<Node> sequences = new ArrayList<>();
		dsg.find(main, Node.ANY, RDF.type.asNode(), Loupe.AttackSequence).forEachRemaining(q -> sequences.add(q.getSubject()));
		for (Node seq : sequences) {
			var members = dsg.find(main, seq, Loupe.member, Node.ANY);
			if (members.hasNext() && relinked.kept(seq, members.next().getObject())) {
				kept.add(seq);
				continue;
			}
			dsg.find(main, seq, Node.ANY, Node.ANY).forEachRemaining(q -> {
				old.add(q.asTriple());
				if (q.getPredicate().equals(Loupe.link) || q.getPredicate().equals(Loupe.contextClient)) {
					dsg.find(main, q.getObject(), Node.ANY, Node.ANY).forEachRemaining(l -> old.add(l.asTriple()));
				}
			});
		}
		List<Triple> gone = old.stream().filter(tr -> !fresh.contains(tr)).toList();
		gone.forEach(tr -> dsg.delete(main, tr.getSubject(), tr.getPredicate(), tr.getObject()));
		fresh.find().forEachRemaining(tr -> {
			if (!old.contains(tr)) {
				dsg.add(main, tr.getSubject(), tr.getPredicate(), tr.getObject());
			}
		});
		Reasoner.trace("  linker: write the difference (" + gone.size() + " gone, " + kept.size() + " of " + sequences.size()
				+ " sequences kept) " + (System.nanoTime() - t) / 1_000_000 + " ms");
		List<Node> gaps = new ArrayList<>();
		dsg.find(main, Node.ANY, RDF.type.asNode(), Loupe.CoverageGap).forEachRemaining(q -> gaps.add(q.getSubject()));
		gaps.forEach(gap -> dsg.deleteAny(main, gap, Node.ANY, Node.ANY));
		contextDue(kept);
	}

	/**
	 * Marks the sequences whose context is found again, with the context they had taken out: those that are new
	 * or changed. Of those that stayed, it marks those new calls can reach to gain context from the new sources.
	 * Context is the calls of a member's actor from its client within the context window; new calls come from
	 * principals the new sources name, whose signals are all in the scope (derived again or settled), and are no
	 * earlier than the new sources' first record. So a sequence that stayed gains context only when it has a
	 * member of the scope and its window reaches that record. It loses context only when new calls push a client
	 * of its context over the most calls a client may make: then its context is found again.
	 */
	private void contextDue(Set<Node> kept) {
		long t0 = System.nanoTime();
		List<Node> sequences = new ArrayList<>();
		dsg.find(main, Node.ANY, RDF.type.asNode(), Loupe.AttackSequence).forEachRemaining(q -> sequences.add(q.getSubject()));
		Set<Node> due = new java.util.LinkedHashSet<>();
		Set<Node> grow = new java.util.LinkedHashSet<>();
		Map<List<Node>, Boolean> crowded = new HashMap<>();
		// from the scope's signals to their sequences: reading every sequence's members (12K in the 1M-event
		// bench) took 100 ms of every update
		Set<Node> holdChanged = sequencesOf(changed);
		Set<Node> heardOf = sequencesOf(settled);
		heardOf.addAll(sequencesOf(before.keySet()));
		for (Node seq : sequences) {
			boolean touched = !kept.contains(seq) || holdChanged.contains(seq);
			boolean heard = heardOf.contains(seq);
			if (touched || heard && crowdedOut(seq, crowded)) {
				due.add(seq);
			} else if (heard && reaches(seq)) {
				grow.add(seq);
			}
		}
		Reasoner.trace("  context due for " + due.size() + ", to grow for " + grow.size() + " of " + sequences.size() + " sequences "
				+ (System.nanoTime() - t0) / 1_000_000 + " ms (crowded out: " + crowded.size() + " clients looked up)");
		List<Node> clients = new ArrayList<>();
		for (Node seq : due) {
			dsg.deleteAny(main, seq, Loupe.contextEvent, Node.ANY);
			dsg.find(main, seq, Loupe.contextClient, Node.ANY).forEachRemaining(q -> clients.add(q.getObject()));
			dsg.deleteAny(main, seq, Loupe.contextClient, Node.ANY);
			dsg.add(main, seq, DUE, TRUE);
		}
		GraphClear.clearSubjects(dsg, main, clients);
		grow.forEach(seq -> dsg.add(main, seq, GROW, TRUE));
		if (!grow.isEmpty()) {
			scope.newSources.forEach(g -> dsg.add(main, g, NEW_SOURCE, TRUE));
		}
	}
}
