package dev.loupe.core.reason;

import java.io.BufferedReader;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.jena.graph.Graph;
import org.apache.jena.graph.Node;
import org.apache.jena.graph.Triple;
import org.apache.jena.query.ParameterizedSparqlString;
import org.apache.jena.query.QueryExecution;
import org.apache.jena.rdf.model.Model;
import org.apache.jena.rdf.model.ModelFactory;
import org.apache.jena.rdf.model.RDFNode;
import org.apache.jena.reasoner.rulesys.GenericRuleReasoner;
import org.apache.jena.reasoner.rulesys.Rule;
import org.apache.jena.riot.Lang;
import org.apache.jena.riot.RDFParser;
import org.apache.jena.riot.RiotException;
import org.apache.jena.sparql.core.DatasetGraph;
import org.apache.jena.update.UpdateExecution;
import org.apache.jena.update.Update;
import org.apache.jena.update.UpdateFactory;
import org.apache.jena.update.UpdateRequest;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.SubMonitor;

import dev.loupe.core.query.Queries;
import dev.loupe.core.reason.RuleSet.RuleFile;
import dev.loupe.core.store.EvidenceStore;
import dev.loupe.core.vocab.Ids;
import dev.loupe.core.vocab.Loupe;

/**
 * Runs the correlation rules and materializes their results into the inferred graph (live inference over
 * TDB2 would be slow). Forward rules run in memory over the skeleton of the API calls that detectors name;
 * SPARQL Update steps then run on the store, with steps in code between them: the {@link Bursts} detectors before
 * the first file named "30-" or later, the {@link FlowContacts} detectors before "35-", the {@link Linker} before
 * "60-", the {@link Silences} before "85-".
 * The inferred graph is rebuilt as a whole in one write transaction.
 */
public final class Reasoner {

	/**
	 * @param steps how long each step took (input, forward rules, each update, the linker), in run order: what to
	 *              look at when the rules get slow
	 */
	public record Result(long signals, long sequences, long gaps, List<String> ruleFiles, List<Step> steps) {
	}

	public record Step(String name, long millis) {
	}

	/** -Dloupe.trace.rules=true prints each step as it ends (the benchmark's way to see where time goes). */
	private static final boolean TRACE = Boolean.getBoolean("loupe.trace.rules");

	/** The linker runs after the update rules named before this and before those named after it. */
	static final String LINKER_POSITION = "60-";
	/** Burst detectors run after the API-call and finding signals exist, before correlation keys are set. */
	static final String BURSTS_POSITION = "30-";
	/** Flow detectors run after the bursts, before correlation keys are set. */
	static final String FLOWS_POSITION = "35-";
	/** Silences are found after the tampering gaps they may follow. */
	static final String SILENCES_POSITION = "85-";

	private final EvidenceStore store;

	public Reasoner(EvidenceStore store) {
		this.store = store;
	}

	public Result run(RuleSet rules, IProgressMonitor monitor) {
		SubMonitor sub = SubMonitor.convert(monitor, 4); // the caller's job carries the localized name
		List<Step> steps = new ArrayList<>();
		long t = System.nanoTime();
		Model data = ModelFactory.createDefaultModel();
		List<Rule> jenaRules = new ArrayList<>();
		for (RuleFile f : rules.files()) {
			if (f.isData()) {
				parseData(f, data);
			} else if (f.isJenaRules()) {
				jenaRules.addAll(parseRules(f));
			} else if (f.isUpdate()) {
				checkUpdate(f);
			}
		}
		sub.worked(1);
		Model input = store.read(() -> {
			ParameterizedSparqlString pss = Queries.parameterized(Reasoner.class, "reason-input.rq");
			// only calls some detector names reach the rule engine: a scan by name instead of every event in memory
			List<RDFNode> names = data.listObjectsOfProperty(data.createProperty(Loupe.matchEventName.getURI())).toList();
			pss.setValues("eventNamesOfDetectors", names.isEmpty() ? List.of(data.createLiteral("")) : names);
			try (QueryExecution qe = QueryExecution.dataset(store.dataset()).query(pss.asQuery()).build()) {
				return qe.execConstruct();
			}
		});
		t = step(steps, "input (" + input.size() + " triples)", t);
		sub.worked(1);
		input.add(data);
		var reasoner = new GenericRuleReasoner(jenaRules);
		reasoner.setMode(GenericRuleReasoner.FORWARD_RETE);
		Graph deductions = ModelFactory.createInfModel(reasoner, input).getDeductionsModel().getGraph();
		List<Triple> inferred = StableIris.assign(deductions);
		Linker.Settings settings = Linker.Settings.from(data);
		List<Bursts.Detector> bursts;
		Silences.Settings silences;
		List<FlowContacts.Detector> flows;
		try {
			bursts = Bursts.Detector.from(data);
			flows = FlowContacts.Detector.from(data);
			silences = Silences.Settings.from(data);
		} catch (RuntimeException e) {
			throw new RuleException("rule data: " + e.getMessage(), e);
		}
		t = step(steps, "forward rules (" + inferred.size() + " triples)", t);
		sub.worked(1);
		long[] written = { 0 };
		store.write(() -> {
			long t1 = System.nanoTime();
			DatasetGraph dsg = store.dataset().asDatasetGraph();
			Node g = Ids.inferredGraph();
			dsg.deleteAny(g, Node.ANY, Node.ANY, Node.ANY);
			dsg.deleteAny(Ids.detectorsGraph(), Node.ANY, Node.ANY, Node.ANY);
			data.getGraph().find().forEachRemaining(d -> dsg.add(Ids.detectorsGraph(), d.getSubject(), d.getPredicate(), d.getObject()));
			inferred.forEach(d -> dsg.add(g, d.getSubject(), d.getPredicate(), d.getObject()));
			step(steps, "clear the inferred graph, write the rules' results", t1);
			// code steps, each run before the first update file named at or after its position
			List<Map.Entry<String, Runnable>> code = new ArrayList<>(List.of(
					Map.entry(BURSTS_POSITION, () -> step(steps, "burst detectors", timed(() -> new Bursts(store, bursts, settings.window()).run()))),
					Map.entry(FLOWS_POSITION, () -> step(steps, "flow detectors", timed(() -> new FlowContacts(store, flows,
							settings.window()).run()))),
					Map.entry(LINKER_POSITION, () -> step(steps, "linker", timed(() -> new Linker(store, settings).run()))),
					Map.entry(SILENCES_POSITION, () -> step(steps, "silences", timed(() -> new Silences(store, silences).run())))));
			for (RuleFile f : rules.files()) {
				if (f.isUpdate()) {
					while (!code.isEmpty() && RuleSet.baseName(f.name()).compareTo(code.get(0).getKey()) >= 0) {
						code.remove(0).getValue().run();
					}
					ParameterizedSparqlString pss = new ParameterizedSparqlString(f.text());
					pss.setIri("inferred", Ids.INFERRED_GRAPH);
					UpdateRequest request = pss.asUpdate();
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
			}
			code.forEach(c -> c.getValue().run());
			written[0] = System.nanoTime();
		});
		step(steps, "commit", written[0]);
		sub.worked(1);
		long t2 = System.nanoTime();
		Result result = new Result(count(Loupe.Signal), count(Loupe.AttackSequence), count(Loupe.CoverageGap),
				rules.files().stream().map(RuleFile::name).toList(), steps);
		step(steps, "count the results", t2);
		return new Result(result.signals(), result.sequences(), result.gaps(), result.ruleFiles(), List.copyOf(steps));
	}

	/** Runs the work and returns when it started, for {@link #step}. */
	private static long timed(Runnable work) {
		long start = System.nanoTime();
		work.run();
		return start;
	}

	private static long step(List<Step> steps, String name, long since) {
		long now = System.nanoTime();
		steps.add(new Step(name, (now - since) / 1_000_000));
		if (TRACE) {
			System.err.println("loupe reason: " + steps.get(steps.size() - 1));
		}
		return now;
	}

	/** Whether rules have run on this store (the inferred graph holds anything). */
	public boolean hasRun() {
		return store.read(() -> !store.dataset().asDatasetGraph().getGraph(Ids.inferredGraph()).isEmpty());
	}

	private long count(Node type) {
		ParameterizedSparqlString pss = Queries.parameterized(Reasoner.class, "count-type.rq");
		pss.setIri("inferred", Ids.INFERRED_GRAPH);
		pss.setParam("type", type);
		return store.read(() -> {
			try (QueryExecution qe = QueryExecution.dataset(store.dataset()).query(pss.asQuery()).build()) {
				return qe.execSelect().next().getLiteral("n").getLong();
			}
		});
	}

	private static void parseData(RuleFile f, Model into) {
		try {
			RDFParser.fromString(f.text(), Lang.TURTLE).base("urn:loupe:rules:").parse(into);
		} catch (RiotException e) {
			throw new RuleException(f.name() + ": " + e.getMessage(), e);
		}
	}

	private static List<Rule> parseRules(RuleFile f) {
		try {
			return Rule.parseRules(Rule.rulesParserFromReader(new BufferedReader(new StringReader(f.text()))));
		} catch (RuntimeException e) {
			throw new RuleException(f.name() + ": " + e.getMessage(), e);
		}
	}

	/** Parsed before anything is written, so a syntax error in a rule file leaves the inferred graph as it was. */
	private static void checkUpdate(RuleFile f) {
		try {
			UpdateFactory.create(f.text());
		} catch (RuntimeException e) {
			throw new RuleException(f.name() + ": " + e.getMessage(), e);
		}
	}

	/** Gives the blank nodes that rules create (makeSkolem) IRIs that are the same on every run. */
	static final class StableIris {
		private StableIris() {
		}

		static List<Triple> assign(Graph g) {
			Map<Node, Node> names = new HashMap<>();
			g.find(Node.ANY, Loupe.detector, Node.ANY).forEachRemaining(t -> {
				Node evidence = g.find(t.getSubject(), Loupe.provWasDerivedFrom, Node.ANY).next().getObject();
				names.put(t.getSubject(), Ids.signal(t.getObject().getURI() + "|" + evidence.getURI()));
			});
			List<Triple> out = new ArrayList<>();
			g.find().forEachRemaining(t -> {
				Node s = names.getOrDefault(t.getSubject(), t.getSubject());
				Node o = names.getOrDefault(t.getObject(), t.getObject());
				out.add(Triple.create(s, t.getPredicate(), o));
			});
			return out;
		}
	}
}
