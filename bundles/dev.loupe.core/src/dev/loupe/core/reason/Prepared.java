package dev.loupe.core.reason;

import java.io.BufferedReader;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.jena.graph.Graph;
import org.apache.jena.graph.Node;
import org.apache.jena.graph.Triple;
import org.apache.jena.query.ParameterizedSparqlString;
import org.apache.jena.rdf.model.Model;
import org.apache.jena.rdf.model.ModelFactory;
import org.apache.jena.reasoner.rulesys.GenericRuleReasoner;
import org.apache.jena.reasoner.rulesys.Rule;
import org.apache.jena.riot.Lang;
import org.apache.jena.riot.RDFParser;
import org.apache.jena.riot.RiotException;
import org.apache.jena.sparql.core.DatasetGraph;
import org.apache.jena.update.UpdateFactory;
import org.apache.jena.update.UpdateRequest;

import dev.loupe.core.reason.RuleSet.RuleFile;
import dev.loupe.core.vocab.Ids;
import dev.loupe.core.vocab.Loupe;

/**
 * A rule set parsed and checked before anything is written (so a syntax error leaves the inferred graph as it
 * was): the rule data (detectors, settings), the forward rules, and the settings of the code steps.
 */
record Prepared(RuleSet rules, Model data, List<Rule> forwardRules, Linker.Settings link, List<FindingSignals.Detector> findings,
		List<BurstDetector> bursts,
		List<OffInstance.Detector> offInstance, List<FlowContacts.Detector> flows, List<NameContacts.Detector> names,
		List<KubernetesSignals.Detector> kubernetes, Silences.Settings silences, String digest,
		Map<List<String>, UpdateRequest> requests) {

	/** The last rule set prepared: the workbench and the CLI reason again and again with the same rules. */
	private static volatile Prepared last;

	/** The rule set prepared, or the last one prepared when its files are the same (never written to after). */
	static Prepared of(RuleSet rules) {
		String digest = RunRecord.digest(rules);
		Prepared cached = last;
		if (cached != null && cached.digest().equals(digest)) {
			return cached;
		}
		Prepared p = parse(rules, digest);
		last = p;
		return p;
	}

	private static Prepared parse(RuleSet rules, String digest) {
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
		try {
			return new Prepared(rules, data, jenaRules, Linker.Settings.from(data), FindingSignals.Detector.from(data),
					BurstDetector.from(data),
					OffInstance.Detector.from(data), FlowContacts.Detector.from(data), NameContacts.Detector.from(data),
					KubernetesSignals.Detector.from(data), Silences.Settings.from(data), digest,
					new ConcurrentHashMap<>());
		} catch (RuntimeException e) {
			throw new RuleException("rule data: " + e.getMessage(), e);
		}
	}

	/**
	 * An update file with {@code ?inferred} and {@code ?settled} bound to these graphs, parsed once for each pair
	 * (an update switches graphs at the linker).
	 */
	UpdateRequest request(RuleFile f, Node inferred, Node settled) {
		return requests.computeIfAbsent(List.of(f.name(), inferred.getURI(), settled.getURI()), k -> {
			ParameterizedSparqlString pss = new ParameterizedSparqlString(f.text());
			pss.setIri("inferred", inferred.getURI());
			pss.setIri("settled", settled.getURI());
			return pss.asUpdate();
		});
	}

	/** The event names some detector matches: only those calls reach the forward rules. */
	java.util.Set<String> eventNames() {
		java.util.Set<String> out = new java.util.HashSet<>();
		data.listObjectsOfProperty(data.createProperty(Loupe.matchEventName.getURI())).forEachRemaining(n -> out.add(n.asLiteral().getLexicalForm()));
		return out;
	}

	/**
	 * For a full run's scan: the event names some detector matches whatever the call's qualifiers (every such
	 * call is read), and, for names only detectors with a qualifier match, each name with the qualifiers they need
	 * (only those calls are read: of 11K CreateRole calls in the bench, the one detector wants the public ones).
	 */
	record Scan(List<String> anyCall, List<List<String>> qualified) {
	}

	Scan scan() {
		java.util.Set<String> any = new java.util.TreeSet<>();
		java.util.Set<List<String>> qualified = new java.util.LinkedHashSet<>();
		var name = data.createProperty(Loupe.matchEventName.getURI());
		var qualifier = data.createProperty(Loupe.matchQualifier.getURI());
		data.listSubjectsWithProperty(name).forEachRemaining(d -> {
			List<String> qs = d.listProperties(qualifier).mapWith(s -> s.getString()).toList();
			d.listProperties(name).forEachRemaining(n -> {
				String event = n.getString();
				if (qs.isEmpty()) {
					any.add(event);
				} else {
					qs.forEach(q -> qualified.add(List.of(event, TrailBuckets.storedFor(q))));
				}
			});
		});
		return new Scan(List.copyOf(any), qualified.stream().filter(p -> !any.contains(p.get(0))).toList());
	}

	/** Runs the forward rules over the calls' skeleton (with the rule data added) and names what they made. */
	List<Triple> forward(Model input) {
		input.add(data);
		var reasoner = new GenericRuleReasoner(forwardRules);
		reasoner.setMode(GenericRuleReasoner.FORWARD_RETE);
		Graph deductions = ModelFactory.createInfModel(reasoner, input).getDeductionsModel().getGraph();
		return StableIris.assign(deductions);
	}

	/** The rule data goes into the store too, so that update rules can read the detectors. */
	void writeDetectors(DatasetGraph dsg) {
		dsg.deleteAny(Ids.detectorsGraph(), Node.ANY, Node.ANY, Node.ANY);
		data.getGraph().find().forEachRemaining(d -> dsg.add(Ids.detectorsGraph(), d.getSubject(), d.getPredicate(), d.getObject()));
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
	private static final class StableIris {
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
