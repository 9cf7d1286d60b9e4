package dev.loupe.core.reason;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

import org.apache.jena.atlas.lib.tuple.TupleFactory;
import org.apache.jena.graph.Graph;
import org.apache.jena.graph.Node;
import org.apache.jena.graph.NodeFactory;
import org.apache.jena.graph.Triple;
import org.apache.jena.query.ParameterizedSparqlString;
import org.apache.jena.query.QueryExecution;
import org.apache.jena.rdf.model.Model;
import org.apache.jena.rdf.model.RDFNode;
import org.apache.jena.sparql.core.DatasetGraph;
import org.apache.jena.sparql.graph.GraphFactory;
import org.apache.jena.tdb2.store.NodeId;
import org.apache.jena.tdb2.store.nodetupletable.NodeTupleTable;
import org.apache.jena.tdb2.sys.TDBInternal;
import org.apache.jena.update.Update;
import org.apache.jena.update.UpdateExecution;
import org.apache.jena.update.UpdateRequest;
import org.apache.jena.vocabulary.RDF;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.SubMonitor;

import dev.loupe.core.query.Queries;
import dev.loupe.core.reason.RuleSet.RuleFile;
import dev.loupe.core.store.EvidenceStore;
import dev.loupe.core.store.GraphClear;
import dev.loupe.core.store.Keep;
import dev.loupe.core.store.Sources;
import dev.loupe.core.vocab.Ids;
import dev.loupe.core.vocab.Loupe;

/**
 * Runs the correlation rules and materializes their results into the inferred graph (live inference over
 * TDB2 would be slow). Forward rules run in memory over the skeleton of the API calls that detectors name;
 * SPARQL Update steps then run on the store, with steps in code between them: the {@link FindingSignals} before
 * the first file named "20-" or later, the {@link Bursts} detectors before
 * the first file named "30-" or later, the {@link FlowContacts} detectors before "35-", the {@link Linker} before
 * "60-", the {@link Silences} before "85-".
 * A run is one write transaction: either the inferred graph is rebuilt as a whole, or (after new evidence, with
 * the same rules) an {@link IncrementalRun} derives again what the new sources can change.
 */
public final class Reasoner {

	/**
	 * @param steps how long each step took (input, forward rules, each update, the linker), in run order: what to
	 *              look at when the rules get slow
	 */
	public record Result(long signals, long sequences, long gaps, List<String> ruleFiles, List<Step> steps, Mode mode,
			long derivedAgain) {
	}

	/**
	 * FULL: everything derived again; UPDATE: only what the sources added since the last run can change
	 * ({@link Result#derivedAgain()} signals of the last run were in that scope); UP_TO_DATE: nothing was added.
	 */
	public enum Mode {
		FULL, UPDATE, UP_TO_DATE
	}

	public record Step(String name, long millis) {
	}

	/** -Dloupe.trace.rules=true prints each step as it ends (the benchmark's way to see where time goes). */
	private static final boolean TRACE = Boolean.getBoolean("loupe.trace.rules");

	/** The linker runs after the update rules named before this and before those named after it. */
	static final String LINKER_POSITION = "60-";
	/** Findings become signals before the finding rules' verdicts on them (rules/20-finding-signals.ru). */
	static final String FINDINGS_POSITION = "20-";
	/** Burst detectors run after the API-call and finding signals exist, before correlation keys are set. */
	static final String BURSTS_POSITION = "30-";
	/** Flow detectors run after the bursts, before correlation keys are set. */
	static final String FLOWS_POSITION = "35-";
	/** Silences are found after the tampering gaps they may follow. */
	static final String SILENCES_POSITION = "85-";
	/** What {@code ?settled} names when no signal is settled: a graph that stays empty. */
	static final Node NOTHING_SETTLED = NodeFactory.createURI("urn:loupe:graph:nothing-settled");

	private final EvidenceStore store;

	public Reasoner(EvidenceStore store) {
		this.store = store;
	}

	/** Derives everything again from all the evidence: what {@link #update} falls back to. */
	public Result run(RuleSet rules, IProgressMonitor monitor) {
		return execute(rules, monitor, false);
	}

	/**
	 * Brings the inferred graph up to date with the evidence: when the rules are those of the last run and sources
	 * were only added since, derives again only what the new sources can change ({@link UpdateScope}); otherwise
	 * runs in full. Either way the result is what a full run gives.
	 */
	public Result update(RuleSet rules, IProgressMonitor monitor) {
		return execute(rules, monitor, true);
	}

	private Result execute(RuleSet rules, IProgressMonitor monitor, boolean mayUpdate) {
		SubMonitor sub = SubMonitor.convert(monitor, 4); // the caller's job carries the localized name
		List<Step> steps = new ArrayList<>();
		long t = System.nanoTime();
		Prepared p = Prepared.of(rules);
		t = step(steps, "prepare the rules", t);
		sub.worked(1);
		Mode mode = Mode.FULL;
		if (mayUpdate) {
			mode = store.read(() -> {
				DatasetGraph dsg = store.dataset().asDatasetGraph();
				RunRecord last = RunRecord.read(dsg);
				if (last == null || !last.rulesDigest().equals(RunRecord.of(p, dsg))) {
					return Mode.FULL;
				}
				Set<Node> now = Sources.graphs(dsg);
				return !now.containsAll(last.covered()) ? Mode.FULL : now.equals(last.covered()) ? Mode.UP_TO_DATE : Mode.UPDATE;
			});
			t = step(steps, "compare with the last run", t);
		}
		long[] scope = { 0 };
		if (mode == Mode.UPDATE) {
			sub.worked(1);
			long[] ended = { 0 };
			store.write(() -> {
				scope[0] = new IncrementalRun(store, p, steps).run();
				ended[0] = System.nanoTime(); // the commit is a step of its own
			});
			t = ended[0];
			sub.worked(1);
		} else if (mode == Mode.FULL) {
			t = full(p, steps, t, sub);
		} else {
			sub.worked(2);
		}
		long written = t;
		step(steps, mode == Mode.UP_TO_DATE ? "nothing new since the last run" : "commit", written);
		sub.worked(1);
		long t2 = System.nanoTime();
		long signals = count(Loupe.Signal);
		long sequences = count(Loupe.AttackSequence);
		long gaps = count(Loupe.CoverageGap);
		step(steps, "count the results", t2);
		return new Result(signals, sequences, gaps, rules.files().stream().map(RuleFile::name).toList(), List.copyOf(steps), mode,
				scope[0]);
	}

	/** Clears the inferred graph and derives everything; returns when the write transaction ended. */
	private long full(Prepared p, List<Step> steps, long t, SubMonitor sub) {
		Model input = store.read(() -> {
			ParameterizedSparqlString pss = Queries.parameterized(Reasoner.class, "reason-input.rq");
			// only calls some detector names reach the rule engine: a scan by name instead of every event in memory
			Prepared.Scan scan = p.scan();
			List<RDFNode> names = scan.anyCall().stream().map(n -> (RDFNode) p.data().createLiteral(n)).toList();
			pss.setValues("eventNamesOfDetectors", names.isEmpty() ? List.of(p.data().createLiteral("")) : names);
			List<List<? extends RDFNode>> pairs = scan.qualified().stream()
					.map(q -> List.of(p.data().createLiteral(q.get(0)), p.data().createLiteral(q.get(1)))).collect(java.util.stream.Collectors.toList());
			pss.setRowValues("qualifiedNamesOfDetectors", pairs.isEmpty() ? List.of(List.of(p.data().createLiteral(""),
					p.data().createLiteral(""))) : pairs);
			try (QueryExecution qe = QueryExecution.dataset(store.dataset()).query(pss.asQuery()).build()) {
				Model m = qe.execConstruct();
				TrailBuckets.qualify(m.getGraph(), store.dataset().asDatasetGraph());
				return m;
			}
		});
		t = step(steps, "input (" + input.size() + " triples)", t);
		sub.worked(1);
		List<Triple> inferred = p.forward(input);
		t = step(steps, "forward rules (" + inferred.size() + " triples)", t);
		sub.worked(1);
		long[] written = { 0 };
		store.write(() -> {
			long t1 = System.nanoTime();
			DatasetGraph dsg = store.dataset().asDatasetGraph();
			Node g = Ids.inferredGraph();
			// what the forward rules and the linker write stays, and they write only the difference: most of it
			// comes out as it was (the previous sequences stay until the linker: SequenceWriter.replace)
			Graph forward = GraphFactory.createDefaultGraph();
			Set<Node> subjects = new HashSet<>();
			Set<Node> predicates = new HashSet<>();
			inferred.forEach(d -> {
				forward.add(d);
				subjects.add(d.getSubject());
				predicates.add(d.getPredicate());
			});
			Map<Node, Set<Node>> byType = new java.util.HashMap<>(SequenceWriter.FACTS);
			byType.putAll(RunRecord.FACTS); // thousands of sources covered: written as a difference too
			GraphClear.clear(dsg, g, Keep.byType(byType).and(subjects, predicates));
			dsg.deleteAny(IncrementalRun.WORK, Node.ANY, Node.ANY, Node.ANY);
			p.writeDetectors(dsg);
			long[] forwardDiff = GraphClear.replace(dsg, g, Keep.of(subjects, predicates), forward);
			trace("  forward rules: the difference (" + forwardDiff[0] + " facts gone, " + forwardDiff[1] + " new)");
			step(steps, "clear the inferred graph, write the rules' results", t1);
			List<Map.Entry<String, Runnable>> code = new ArrayList<>(List.of(
					Map.entry(FINDINGS_POSITION, () -> step(steps, "finding signals", timed(() -> new FindingSignals(store, p.findings(),
							g, null).run()))),
					Map.entry(BURSTS_POSITION, () -> step(steps, "burst detectors", timed(() -> new Bursts(store, p.bursts(),
							p.link().window(), g, null).run()))),
					Map.entry(BURSTS_POSITION, () -> step(steps, "off-instance detectors", timed(() -> new OffInstance(store,
							p.offInstance(), g, null).run()))),
					Map.entry(BURSTS_POSITION, () -> step(steps, "Kubernetes detectors", timed(() -> new KubernetesSignals(store,
							p.kubernetes(), g).run()))),
					Map.entry(FLOWS_POSITION, () -> step(steps, "flow detectors", timed(() -> new FlowContacts(store, p.flows(),
							p.link().window(), g, null).run()))),
					Map.entry(FLOWS_POSITION, () -> step(steps, "DNS detectors", timed(() -> new NameContacts(store, p.names(),
							p.link().window(), g, null).run()))),
					Map.entry(LINKER_POSITION, () -> {
						step(steps, "linker", timed(() -> {
							Graph fresh = GraphFactory.createDefaultGraph();
							new Linker(store, p.link()).run(fresh);
							long t2 = System.nanoTime();
							long[] diff = SequenceWriter.replace(dsg, g, fresh);
							trace("  linker: write the difference (" + diff[0] + " facts gone, " + diff[1] + " new) "
									+ (System.nanoTime() - t2) / 1_000_000 + " ms");
						}));
						// every sequence is typed and its context found
						List<Node> all = new ArrayList<>();
						dsg.find(g, Node.ANY, RDF.type.asNode(), Loupe.AttackSequence).forEachRemaining(q -> all.add(q.getSubject()));
						all.forEach(seq -> dsg.add(g, seq, IncrementalRun.DUE, IncrementalRun.TRUE));
					}),
					Map.entry(SILENCES_POSITION, () -> step(steps, "silences", timed(() -> new Silences(store, p.silences()).run())))));
			runFiles(store, p, code, () -> g, () -> NOTHING_SETTLED, steps);
			dsg.deleteAny(g, Node.ANY, IncrementalRun.DUE, Node.ANY);
			new RunRecord(RunRecord.of(p, dsg), Sources.graphs(dsg)).write(dsg);
			written[0] = System.nanoTime();
		});
		return written[0];
	}

	/**
	 * Runs the update files in order, each code step before the first file named at or after its position, with
	 * {@code ?inferred} bound to the graph {@code graph} names at that moment (an update switches graphs at the linker)
	 * and {@code ?settled} to the graph where the signals an update does not derive again are ({@link #NOTHING_SETTLED}
	 * in a full run, and from an update's linker on).
	 */
	static void runFiles(EvidenceStore store, Prepared p, List<Map.Entry<String, Runnable>> code, Supplier<Node> graph,
			Supplier<Node> settled, List<Step> steps) {
		List<Map.Entry<String, Runnable>> waiting = new ArrayList<>(code);
		for (RuleFile f : p.rules().files()) {
			if (!f.isUpdate()) {
				continue;
			}
			while (!waiting.isEmpty() && RuleSet.baseName(f.name()).compareTo(waiting.get(0).getKey()) >= 0) {
				waiting.remove(0).getValue().run();
			}
			UpdateRequest request = p.request(f, graph.get(), settled.get());
			List<Integer> lines = UpdateLines.starts(f.text());
			int n = 0;
			for (Update op : request.getOperations()) {
				n++;
				long t0 = System.nanoTime();
				try {
					UpdateExecution.dataset(store.dataset()).update(new UpdateRequest(op)).execute();
				} catch (RuntimeException e) {
					// the write transaction aborts: the inferred graph stays as it was
					String line = lines.size() == request.getOperations().size() ? "line " + lines.get(n - 1) + ", " : "";
					throw new RuleException(f.name() + ", " + line + "update " + n + " of " + request.getOperations().size()
							+ ": " + e.getMessage(), e);
				}
				step(steps, RuleSet.baseName(f.name()) + ", update " + n, t0);
			}
		}
		waiting.forEach(c -> c.getValue().run());
	}

	/** Runs the work and returns when it started, for {@link #step}. */
	static long timed(Runnable work) {
		long start = System.nanoTime();
		work.run();
		return start;
	}

	static long step(List<Step> steps, String name, long since) {
		long now = System.nanoTime();
		steps.add(new Step(name, (now - since) / 1_000_000));
		trace(steps.get(steps.size() - 1).toString());
		return now;
	}

	/** Prints a step, or a part of one, with -Dloupe.trace.rules=true. */
	static void trace(String what) {
		if (TRACE) {
			System.err.println("loupe reason: " + what);
		}
	}

	/**
	 * Readies this process for the updates to come by running one over the latest sources and throwing it away
	 * ({@link Rehearsal}); the store is left as it was. Returns false when there is nothing to rehearse: no run of
	 * these rules on the store yet, or {@code -Dloupe.rehearsal=false}.
	 */
	public boolean rehearse(RuleSet rules) {
		if (!Boolean.parseBoolean(System.getProperty("loupe.rehearsal", "true"))) {
			return false; // for measuring what it saves, and for a machine whose cores are better left alone
		}
		long t = System.nanoTime();
		boolean done = Rehearsal.run(store, Prepared.of(rules));
		trace("rehearsal " + (done ? "" : "(nothing to rehearse) ") + (System.nanoTime() - t) / 1_000_000 + " ms");
		return done;
	}

	/** Whether rules have run on this store (the inferred graph holds anything). */
	public boolean hasRun() {
		return store.read(() -> !store.dataset().asDatasetGraph().getGraph(Ids.inferredGraph()).isEmpty());
	}

	/**
	 * (A count on node ids was tried: 20 ms faster, but the next run's linker, in the same process, then read
	 * its 12K signals' IRIs from disk instead of TDB2's node cache, 0.5 s slower. A count in SPARQL decodes them,
	 * as the views do when they show the results.)
	 */
	/**
	 * How many things of a type the inferred graph holds: in TDB2, the index entries counted without turning
	 * them into nodes (a SPARQL count took 110-140 ms of a fresh process's update, 20 ms of a warm one's).
	 */
	private long count(Node type) {
		return store.read(() -> {
			DatasetGraph dsg = store.dataset().asDatasetGraph();
			if (TDBInternal.isTDB2(dsg)) {
				NodeTupleTable quads = TDBInternal.getDatasetGraphTDB(dsg).getQuadTable().getNodeTupleTable();
				NodeId g = quads.getNodeTable().getNodeIdForNode(Ids.inferredGraph());
				NodeId p = quads.getNodeTable().getNodeIdForNode(RDF.type.asNode());
				NodeId o = quads.getNodeTable().getNodeIdForNode(type);
				if (NodeId.isDoesNotExist(g) || NodeId.isDoesNotExist(p) || NodeId.isDoesNotExist(o)) {
					return 0L;
				}
				long[] n = { 0 };
				// one entry per subject: a graph holds a fact once
				quads.find(TupleFactory.create4(g, NodeId.NodeIdAny, p, o)).forEachRemaining(t -> n[0]++);
				return n[0];
			}
			ParameterizedSparqlString pss = Queries.parameterized(Reasoner.class, "count-type.rq");
			pss.setIri("inferred", Ids.INFERRED_GRAPH);
			pss.setParam("type", type);
			try (QueryExecution qe = QueryExecution.dataset(store.dataset()).query(pss.asQuery()).build()) {
				return qe.execSelect().next().getLiteral("n").getLong();
			}
		});
	}
}
