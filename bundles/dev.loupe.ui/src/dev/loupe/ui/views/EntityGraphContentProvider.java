package dev.loupe.ui.views;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.loupe.core.query.EntityGraph;
import dev.loupe.ui.graph.IGraphContentProvider;

/** Nodes and edges of an {@link EntityGraph}; edges are labelled with their call counts. */
final class EntityGraphContentProvider implements IGraphContentProvider {
	private Map<String, EntityGraph.Node> byId = Map.of();
	private Map<EntityGraph.Node, List<EntityGraph.Edge>> out = Map.of();

	@Override
	public Object[] getElements(Object input) {
		if (!(input instanceof EntityGraph g)) {
			return new Object[0];
		}
		byId = new HashMap<>();
		g.nodes().forEach(n -> byId.put(n.id(), n));
		out = new HashMap<>();
		for (EntityGraph.Edge e : g.edges()) {
			EntityGraph.Node from = byId.get(e.from());
			if (from != null) {
				out.computeIfAbsent(from, k -> new java.util.ArrayList<>()).add(e);
			}
		}
		return g.nodes().toArray();
	}

	@Override
	public Object[] getConnectedTo(Object element) {
		return out.getOrDefault(element, List.of()).stream().map(e -> byId.get(e.to())).filter(n -> n != null).toArray();
	}

	@Override
	public String getConnectionLabel(Object source, Object target) {
		if (!(target instanceof EntityGraph.Node t)) {
			return null;
		}
		return out.getOrDefault(source, List.of()).stream().filter(e -> e.to().equals(t.id())).findFirst()
				.map(e -> e.calls() > 1 ? "\u00d7" + e.calls() : null).orElse(null);
	}
}
