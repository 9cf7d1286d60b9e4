package dev.loupe.core.store;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import org.apache.jena.graph.Node;
import org.apache.jena.sparql.core.DatasetGraph;
import org.apache.jena.vocabulary.RDF;

/**
 * The facts of a graph that a {@link GraphClear#clear clear} leaves for the step that writes them, so that the step
 * writes only its difference ({@link GraphClear#replace}): those of some subjects, with some predicates. Taking
 * out a fact and writing it again costs a TDB2 store two index updates in each of six indexes.
 */
public final class Keep {

	/** A subject's facts kept: those with one of the predicates; its rdf:type facts only with one of the types. */
	record Facts(Set<Node> predicates, Set<Node> types) {

		boolean keeps(Node p, Node o) {
			return RDF.type.asNode().equals(p) ? types == null || types.contains(o) : predicates.contains(p);
		}
	}

	private final Map<Node, Set<Node>> byType;
	private final Set<Node> subjects;
	private final Set<Node> predicates;

	private Keep(Map<Node, Set<Node>> byType, Set<Node> subjects, Set<Node> predicates) {
		this.byType = byType;
		this.subjects = subjects;
		this.predicates = predicates;
	}

	/** For each type, the predicates kept on the subjects of that type (rdf:type among them: the type fact). */
	public static Keep byType(Map<Node, Set<Node>> facts) {
		return new Keep(facts, Set.of(), Set.of());
	}

	/** The facts with these predicates (rdf:type among them: every type fact) on these subjects. */
	public static Keep of(Set<Node> subjects, Set<Node> predicates) {
		return new Keep(Map.of(), subjects, predicates);
	}

	/** What this keeps and the facts with these predicates on these subjects (in place of any named before). */
	public Keep and(Set<Node> subjects, Set<Node> predicates) {
		return new Keep(byType, subjects, predicates);
	}

	/** Nothing kept. */
	public static Keep nothing() {
		return new Keep(Map.of(), Set.of(), Set.of());
	}

	Map<Node, Set<Node>> byType() {
		return byType;
	}

	Set<Node> subjects() {
		return subjects;
	}

	Set<Node> predicates() {
		return predicates;
	}

	/** What this keeps in the graph, by subject (in the caller's transaction). */
	Map<Node, Facts> resolve(DatasetGraph dsg, Node graph) {
		Map<Node, Set<Node>> preds = new HashMap<>();
		Map<Node, Set<Node>> types = new HashMap<>();
		byType.forEach((type, ps) -> dsg.find(graph, Node.ANY, RDF.type.asNode(), type).forEachRemaining(q -> {
			preds.computeIfAbsent(q.getSubject(), k -> new HashSet<>()).addAll(ps);
			if (ps.contains(RDF.type.asNode())) {
				types.computeIfAbsent(q.getSubject(), k -> new HashSet<>()).add(type);
			}
		}));
		Map<Node, Facts> out = new HashMap<>();
		preds.forEach((s, ps) -> out.put(s, new Facts(ps, types.getOrDefault(s, Set.of()))));
		for (Node s : subjects) {
			// a subject both ways keeps the facts named either way
			Facts f = out.get(s);
			Set<Node> ps = new HashSet<>(predicates);
			if (f != null) {
				ps.addAll(f.predicates());
			}
			out.put(s, new Facts(ps, predicates.contains(RDF.type.asNode()) ? null : f == null ? Set.of() : f.types()));
		}
		return out;
	}
}
