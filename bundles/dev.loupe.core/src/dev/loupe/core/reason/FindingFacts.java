package dev.loupe.core.reason;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.jena.atlas.lib.tuple.Tuple;
import org.apache.jena.atlas.lib.tuple.TupleFactory;
import org.apache.jena.graph.Node;
import org.apache.jena.sparql.core.DatasetGraph;
import org.apache.jena.tdb2.store.NodeId;
import org.apache.jena.tdb2.store.nodetable.NodeTable;
import org.apache.jena.tdb2.store.nodetupletable.NodeTupleTable;
import org.apache.jena.tdb2.sys.TDBInternal;

/**
 * The facts of one finding that its signal is made from, in every graph that holds it: read in one pass along
 * the subject index, decoding only the values of the properties asked for. A finding also has its record as
 * delivered (a literal of kilobytes) and a dozen other facts: a lookup per property descended the index eight
 * times per finding, and reading every fact as nodes would decode the record.
 */
final class FindingFacts {
	/** Reads the facts of findings from one store, in the caller's transaction. */
	static final class Reader {
		private final DatasetGraph dsg;
		private final NodeTupleTable quads;
		private final Map<NodeId, Node> wanted = new HashMap<>();
		private final Set<Node> properties;

		Reader(DatasetGraph dsg, Set<Node> properties) {
			this.dsg = dsg;
			this.properties = properties;
			this.quads = TDBInternal.isTDB2(dsg) ? TDBInternal.getDatasetGraphTDB(dsg).getQuadTable().getNodeTupleTable() : null;
			if (quads != null) {
				for (Node p : properties) {
					NodeId id = quads.getNodeTable().getNodeIdForNode(p);
					if (!NodeId.isDoesNotExist(id)) {
						wanted.put(id, p);
					}
				}
			}
		}

		FindingFacts of(Node finding) {
			FindingFacts facts = new FindingFacts();
			if (quads == null) {
				dsg.find(Node.ANY, finding, Node.ANY, Node.ANY).forEachRemaining(q -> {
					if (properties.contains(q.getPredicate())) {
						facts.add(q.getPredicate(), q.getGraph(), q.getObject());
					}
				});
				return facts;
			}
			NodeTable nodes = quads.getNodeTable();
			NodeId s = nodes.getNodeIdForNode(finding);
			if (NodeId.isDoesNotExist(s)) {
				return facts;
			}
			List<Tuple<NodeId>> rows = new ArrayList<>();
			quads.find(TupleFactory.create4(NodeId.NodeIdAny, s, NodeId.NodeIdAny, NodeId.NodeIdAny)).forEachRemaining(t -> {
				if (wanted.containsKey(t.get(2))) {
					rows.add(t);
				}
			});
			for (Tuple<NodeId> t : rows) {
				facts.add(wanted.get(t.get(2)), nodes.getNodeForNodeId(t.get(0)), nodes.getNodeForNodeId(t.get(3)));
			}
			return facts;
		}
	}

	/** Property, then graph, then values, in the order read. */
	private final Map<Node, Map<Node, Set<Node>>> values = new HashMap<>(16);

	private void add(Node p, Node g, Node o) {
		values.computeIfAbsent(p, x -> new LinkedHashMap<>(2)).computeIfAbsent(g, x -> new LinkedHashSet<>(2)).add(o);
	}

	/** The values of {@code p} in any graph (the union, as the rules read evidence). */
	Set<Node> objects(Node p) {
		Set<Node> out = new LinkedHashSet<>(2);
		values.getOrDefault(p, Map.of()).values().forEach(out::addAll);
		return out;
	}

	/** The values of {@code p}, by the graph (the source) that states them. */
	Map<Node, Set<Node>> byGraph(Node p) {
		return values.getOrDefault(p, Map.of());
	}
}
