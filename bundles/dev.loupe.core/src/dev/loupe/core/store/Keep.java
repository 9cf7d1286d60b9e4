package dev.loupe.core.store;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

import org.apache.jena.graph.Node;
import org.apache.jena.vocabulary.RDF;

/**
 * The facts of a graph that a {@link GraphClear#clear clear} leaves for the step that writes them, so that the step
 * writes only its difference ({@link GraphClear#replace}): those of some subjects, with some predicates. Taking
 * out a fact and writing it again costs a TDB2 store two index updates in each of six indexes.
 */
public final class Keep {

	/**
	 * A subject's facts kept: those with one of the predicates; its type facts (predicate {@code type}) only with
	 * one of the types (null: any).
	 */
	record Facts<T>(Set<T> predicates, Set<T> types, T type) {

		boolean keeps(T p, T o) {
			return p.equals(type) ? types == null || types.contains(o) : predicates.contains(p);
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

	/**
	 * What this keeps among a graph's facts ({@code rows}, read by {@code s}, {@code p}, {@code o}), by subject,
	 * in the ids {@code id} gives: the nodes themselves, or a store's node ids, where {@code absent} is a node the
	 * store has never seen (it has no facts to keep).
	 */
	<R, T> Map<T, Facts<T>> resolve(List<R> rows, Function<R, T> s, Function<R, T> p, Function<R, T> o,
			Function<Node, T> id, T absent) {
		T type = id.apply(RDF.type.asNode());
		Map<T, Set<T>> predicatesOf = new HashMap<>();
		Map<T, Boolean> typeKept = new HashMap<>();
		byType.forEach((t, ps) -> {
			T tid = id.apply(t);
			if (!Objects.equals(tid, absent)) {
				predicatesOf.put(tid, ids(ps, id));
				typeKept.put(tid, ps.contains(RDF.type.asNode()));
			}
		});
		Map<T, Facts<T>> out = new HashMap<>();
		if (!predicatesOf.isEmpty()) {
			for (R r : rows) {
				T t = o.apply(r);
				if (p.apply(r).equals(type) && predicatesOf.containsKey(t)) {
					Facts<T> f = out.computeIfAbsent(s.apply(r), k -> new Facts<>(new HashSet<>(), new HashSet<>(), type));
					f.predicates().addAll(predicatesOf.get(t));
					if (typeKept.get(t)) {
						f.types().add(t);
					}
				}
			}
		}
		Set<T> kept = ids(predicates, id);
		for (Node subject : subjects) {
			T sid = id.apply(subject);
			if (!Objects.equals(sid, absent)) {
				// a subject both ways keeps the facts named either way
				Facts<T> f = out.get(sid);
				Set<T> ps = new HashSet<>(kept);
				if (f != null) {
					ps.addAll(f.predicates());
				}
				out.put(sid, new Facts<>(ps, predicates.contains(RDF.type.asNode()) ? null : f == null ? Set.of() : f.types(), type));
			}
		}
		return out;
	}

	private static <T> Set<T> ids(Set<Node> nodes, Function<Node, T> id) {
		Set<T> out = new HashSet<>();
		nodes.forEach(n -> out.add(id.apply(n)));
		return out;
	}
}
