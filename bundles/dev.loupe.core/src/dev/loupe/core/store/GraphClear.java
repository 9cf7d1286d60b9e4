package dev.loupe.core.store;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.jena.atlas.lib.tuple.Tuple;
import org.apache.jena.atlas.lib.tuple.TupleFactory;
import org.apache.jena.atlas.lib.tuple.TupleMap;
import org.apache.jena.graph.Graph;
import org.apache.jena.graph.Node;
import org.apache.jena.graph.Triple;
import org.apache.jena.sparql.core.DatasetGraph;
import org.apache.jena.sparql.core.Quad;
import org.apache.jena.vocabulary.RDF;
import org.apache.jena.tdb2.store.DatasetGraphTDB;
import org.apache.jena.tdb2.store.NodeId;
import org.apache.jena.tdb2.store.nodetable.NodeTable;
import org.apache.jena.tdb2.store.nodetupletable.NodeTupleTable;
import org.apache.jena.tdb2.store.tupletable.TupleIndex;
import org.apache.jena.tdb2.sys.TDBInternal;

/**
 * Takes every quad of one named graph out of a TDB2 store, in the caller's write transaction, one quad index at a
 * time in that index's own order. TDB2's own deleteAny takes each quad out of all six indexes in turn, so the
 * indexes that do not start with the graph are written at random places: clearing the 1M-event bench's 262K
 * inferred quads took 4-7 s that way (this way, about 0.35 s per index). Any other store is cleared quad by quad.
 */
public final class GraphClear {

	/** About 100 bytes each: a graph of more quads is cleared by deleteAny. */
	static final int MAX_IN_MEMORY = 4_000_000;

	private GraphClear() {
	}

	/** Returns how many quads were taken out (-1 when deleteAny did it: a graph too large to sort in memory). */
	public static long clear(DatasetGraph dsg, Node graph) {
		return clear(dsg, graph, Keep.nothing());
	}

	/**
	 * Clears the graph but for what {@code keep} names: what a later step is likely to write again, so that it
	 * writes only the difference ({@link #replace}). Returns how many quads were taken out (-1 when deleteAny took
	 * out all: a graph too large to sort in memory; nothing is kept then).
	 */
	public static long clear(DatasetGraph dsg, Node graph, Keep keep) {
		NodeTupleTable quads = quads(dsg);
		if (quads == null) {
			List<Quad> all = new ArrayList<>();
			dsg.find(graph, Node.ANY, Node.ANY, Node.ANY).forEachRemaining(all::add);
			Map<Node, Keep.Facts<Node>> kept = byNode(keep, all);
			List<Quad> out = all.stream().filter(q -> !keeps(kept, q)).toList();
			out.forEach(dsg::delete);
			return out.size();
		}
		List<Tuple<NodeId>> rows = rows(quads, graph);
		if (rows == null) {
			// a graph this large would not fit in the heap to be sorted: TDB2's own way, slower but in constant memory
			dsg.deleteAny(graph, Node.ANY, Node.ANY, Node.ANY);
			return -1;
		}
		Map<NodeId, Keep.Facts<NodeId>> kept = byId(keep, rows, quads.getNodeTable());
		List<Tuple<NodeId>> out = new ArrayList<>(rows.size());
		for (Tuple<NodeId> r : rows) {
			Keep.Facts<NodeId> f = kept.get(r.get(1));
			if (f == null || !f.keeps(r.get(2), r.get(3))) {
				out.add(r);
			}
		}
		delete(quads, out);
		return out.size();
	}

	/**
	 * Makes the facts {@code keep} names in the graph those of {@code fresh}: takes out those not in it, adds those
	 * that are new. (Compared by the store's node IDs, so a time written as 10:41:28.070Z is the 10:41:28.07Z the
	 * store holds.) {@code keep} is to name every fact of {@code fresh}. Returns how many went and how many came.
	 */
	public static long[] replace(DatasetGraph dsg, Node graph, Keep keep, Graph fresh) {
		NodeTupleTable quads = quads(dsg);
		List<Tuple<NodeId>> rows = quads == null ? null : rows(quads, graph);
		if (rows == null) {
			List<Quad> all = new ArrayList<>();
			dsg.find(graph, Node.ANY, Node.ANY, Node.ANY).forEachRemaining(all::add);
			Map<Node, Keep.Facts<Node>> kept = byNode(keep, all);
			Set<Triple> old = new HashSet<>();
			all.stream().filter(q -> keeps(kept, q)).forEach(q -> old.add(q.asTriple()));
			List<Triple> added = fresh.find().filterDrop(old::remove).toList();
			old.forEach(t -> dsg.delete(graph, t.getSubject(), t.getPredicate(), t.getObject()));
			added.forEach(t -> dsg.add(graph, t.getSubject(), t.getPredicate(), t.getObject()));
			return new long[] { old.size(), added.size() };
		}
		NodeTable nodes = quads.getNodeTable();
		NodeId g = nodes.getNodeIdForNode(graph);
		// one scan of the graph in index order: a look-up per subject (12K links) took twice as long
		Map<NodeId, Keep.Facts<NodeId>> kept = byId(keep, rows, nodes);
		Set<Tuple<NodeId>> old = new HashSet<>();
		for (Tuple<NodeId> r : rows) {
			Keep.Facts<NodeId> f = kept.get(r.get(1));
			if (f != null && f.keeps(r.get(2), r.get(3))) {
				old.add(r);
			}
		}
		List<Triple> added = new ArrayList<>();
		// only the facts of a subject with facts kept can be there already: the others are not looked up (a node the
		// store has never seen misses every cache, and a first run writes 113K facts of new links)
		Map<Node, NodeId> memo = new HashMap<>();
		java.util.function.Function<Node, NodeId> id = n -> memo.computeIfAbsent(n, nodes::getNodeIdForNode);
		fresh.find().forEachRemaining(t -> {
			NodeId s = kept.isEmpty() ? NodeId.NodeDoesNotExist : id.apply(t.getSubject());
			if (!kept.containsKey(s)) {
				added.add(t);
				return;
			}
			NodeId p = id.apply(t.getPredicate());
			NodeId o = id.apply(t.getObject());
			boolean known = !NodeId.isDoesNotExist(p) && !NodeId.isDoesNotExist(o);
			if (!known || !old.remove(TupleFactory.create4(g, s, p, o))) {
				added.add(t);
			}
		});
		List<Tuple<NodeId>> gone = new ArrayList<>(old);
		delete(quads, gone);
		added.forEach(t -> dsg.add(graph, t.getSubject(), t.getPredicate(), t.getObject()));
		return new long[] { gone.size(), added.size() };
	}

	/**
	 * Takes every fact of these subjects out of the graph, index by index as {@link #clear} does (an update takes
	 * out the few thousand facts of the signals it derives again: 25-30 µs a fact through deleteAny). Returns how
	 * many quads were taken out.
	 */
	public static long clearSubjects(DatasetGraph dsg, Node graph, Collection<Node> subjects) {
		NodeTupleTable quads = quads(dsg);
		if (quads == null) {
			long[] n = { 0 };
			subjects.forEach(s -> {
				List<Quad> out = new ArrayList<>();
				dsg.find(graph, s, Node.ANY, Node.ANY).forEachRemaining(out::add);
				out.forEach(dsg::delete);
				n[0] += out.size();
			});
			return n[0];
		}
		NodeTable nodes = quads.getNodeTable();
		NodeId g = nodes.getNodeIdForNode(graph);
		List<Tuple<NodeId>> rows = new ArrayList<>();
		if (NodeId.isDoesNotExist(g)) {
			return 0;
		}
		for (Node s : subjects) {
			NodeId id = nodes.getNodeIdForNode(s);
			if (!NodeId.isDoesNotExist(id)) {
				quads.find(TupleFactory.create4(g, id, NodeId.NodeIdAny, NodeId.NodeIdAny)).forEachRemaining(rows::add);
			}
		}
		delete(quads, rows);
		return rows.size();
	}

	/** Every row (graph, subject, predicate, object) of the graph, or null when there are too many to hold. */
	private static List<Tuple<NodeId>> rows(NodeTupleTable quads, Node graph) {
		NodeId g = quads.getNodeTable().getNodeIdForNode(graph);
		List<Tuple<NodeId>> rows = new ArrayList<>();
		if (NodeId.isDoesNotExist(g)) {
			return rows;
		}
		for (var it = quads.find(TupleFactory.create4(g, NodeId.NodeIdAny, NodeId.NodeIdAny, NodeId.NodeIdAny)); it.hasNext();) {
			rows.add(it.next());
			if (rows.size() > MAX_IN_MEMORY) {
				return null;
			}
		}
		return rows;
	}

	/** The TDB2 quad table, or null when the store is not TDB2. */
	private static NodeTupleTable quads(DatasetGraph dsg) {
		DatasetGraphTDB tdb = TDBInternal.isTDB2(dsg) ? TDBInternal.getDatasetGraphTDB(dsg) : null;
		return tdb == null ? null : tdb.getQuadTable().getNodeTupleTable();
	}

	/** What {@code keep} names among the rows (graph, subject, predicate, object), by subject node id. */
	private static Map<NodeId, Keep.Facts<NodeId>> byId(Keep keep, List<Tuple<NodeId>> rows, NodeTable nodes) {
		return keep.resolve(rows, r -> r.get(1), r -> r.get(2), r -> r.get(3), nodes::getNodeIdForNode, NodeId.NodeDoesNotExist);
	}

	private static Map<Node, Keep.Facts<Node>> byNode(Keep keep, List<Quad> quads) {
		return keep.resolve(quads, Quad::getSubject, Quad::getPredicate, Quad::getObject, n -> n, null);
	}

	private static boolean keeps(Map<Node, Keep.Facts<Node>> kept, Quad q) {
		Keep.Facts<Node> f = kept.get(q.getSubject());
		return f != null && f.keeps(q.getPredicate(), q.getObject());
	}

	/** Takes the rows out of every index, each in its own order. */
	private static void delete(NodeTupleTable quads, List<Tuple<NodeId>> rows) {
		for (TupleIndex index : quads.getTupleTable().getIndexes()) {
			TupleMap order = index.getMapping();
			rows.sort(inOrderOf(order));
			rows.forEach(index::delete);
		}
	}

	private static Comparator<Tuple<NodeId>> inOrderOf(TupleMap order) {
		return (a, b) -> {
			for (int i = 0; i < a.len(); i++) {
				int c = NodeId.compare(order.mapSlot(i, a), order.mapSlot(i, b));
				if (c != 0) {
					return c;
				}
			}
			return 0;
		};
	}
}
