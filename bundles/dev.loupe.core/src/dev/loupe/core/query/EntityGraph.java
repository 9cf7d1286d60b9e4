package dev.loupe.core.query;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.jena.query.ParameterizedSparqlString;
import org.apache.jena.query.QueryExecution;
import org.apache.jena.query.QuerySolution;

import dev.loupe.core.store.EvidenceStore;
import dev.loupe.core.vocab.Ids;
import dev.loupe.core.vocab.Loupe;

/**
 * The overview graph the workbench draws: principals, the addresses they called from, and the APIs they
 * called, with counts; nodes that signals point at are flagged. Computed here, drawn by the UI.
 * {@code totalPrincipals} says how many principals the store has, of which the graph shows the first ones.
 */
public record EntityGraph(List<Node> nodes, List<Edge> edges, int totalPrincipals) {

	public enum Kind {
		PRINCIPAL, ADDRESS, API
	}

	/**
	 * A node; {@code id} is an IRI for entities and "api:NAME" for API names; {@code network} is an address's
	 * autonomous system ("AS16509 Amazon.com, Inc."), null when unknown or not an address.
	 */
	public record Node(String id, String label, Kind kind, String type, long calls, boolean flagged, String network) {
		Node(String id, String label, Kind kind, String type, long calls, boolean flagged) {
			this(id, label, kind, type, calls, flagged, null);
		}

		/** The same node seen again in another row: counts add up, a flag anywhere flags it. */
		Node merge(Node other) {
			return new Node(id, label, kind, type, calls + other.calls, flagged || other.flagged, network);
		}
	}

	public record Edge(String from, String to, long calls) {
	}

	/**
	 * @param maxPrincipals the most active principals kept (flagged ones first)
	 * @param maxPerPrincipal the most frequent APIs and addresses kept per principal
	 */
	public static EntityGraph load(EvidenceStore store, int maxPrincipals, int maxPerPrincipal) {
		return store.read(() -> withNetworks(store, build(store, maxPrincipals, maxPerPrincipal)));
	}

	/**
	 * The network of each address kept (the AS the networks graph or GuardDuty names): an analyst tells a hosting
	 * provider from the office's provider at a glance. Read for the kept nodes only.
	 */
	private static EntityGraph withNetworks(EvidenceStore store, EntityGraph g) {
		var dsg = store.dataset().asDatasetGraph();
		List<Node> nodes = g.nodes().stream().map(n -> {
			if (n.kind() != Kind.ADDRESS) {
				return n;
			}
			var ip = org.apache.jena.graph.NodeFactory.createURI(n.id());
			var as = dsg.find(org.apache.jena.graph.Node.ANY, ip, Loupe.inAutonomousSystem, org.apache.jena.graph.Node.ANY);
			if (!as.hasNext()) {
				return n;
			}
			var label = dsg.find(org.apache.jena.graph.Node.ANY, as.next().getObject(), org.apache.jena.vocabulary.RDFS.label.asNode(),
					org.apache.jena.graph.Node.ANY);
			return label.hasNext() ? new Node(n.id(), n.label(), n.kind(), n.type(), n.calls(), n.flagged(),
					label.next().getObject().getLiteralLexicalForm()) : n;
		}).toList();
		return new EntityGraph(nodes, g.edges(), g.totalPrincipals());
	}

	private static EntityGraph build(EvidenceStore store, int maxPrincipals, int maxPerPrincipal) {
		Map<String, Double> flaggedActors = new HashMap<>();
		Set<String> flaggedCalls = new HashSet<>();
		ParameterizedSparqlString flagged = Queries.parameterized(EntityGraph.class, "graph-flagged.rq");
		flagged.setIri("inferred", Ids.INFERRED_GRAPH);
		select(store, flagged, s -> {
			flaggedActors.merge(s.getResource("actor").getURI(), s.getLiteral("severity").getDouble(), Math::max);
			flaggedCalls.add(s.getResource("actor").getURI() + "|" + s.getLiteral("name").getString());
		});
		Map<String, Node> principals = new LinkedHashMap<>();
		Map<String, List<Edge>> calls = new LinkedHashMap<>();
		Map<String, Node> apis = new LinkedHashMap<>();
		select(store, Queries.parameterized(EntityGraph.class, "graph-calls.rq"), s -> {
			String actor = s.getResource("actor").getURI();
			String name = s.getLiteral("name").getString();
			long n = s.getLiteral("calls").getLong();
			String type = s.getResource("actorType").getURI().substring(Loupe.NS.length());
			String label = s.contains("actorLabel") ? s.getLiteral("actorLabel").getString() : actor;
			principals.merge(actor, new Node(actor, label, Kind.PRINCIPAL, type, n, flaggedActors.containsKey(actor)), Node::merge);
			String apiId = "api:" + name;
			boolean hot = flaggedCalls.contains(actor + "|" + name);
			apis.merge(apiId, new Node(apiId, name, Kind.API, "ApiCall", n, hot), Node::merge);
			calls.computeIfAbsent(actor, k -> new ArrayList<>()).add(new Edge(actor, apiId, n));
		});
		Map<String, List<Edge>> froms = new LinkedHashMap<>();
		Map<String, Node> addresses = new LinkedHashMap<>();
		select(store, Queries.parameterized(EntityGraph.class, "graph-addresses.rq"), s -> {
			String actor = s.getResource("actor").getURI();
			String ip = s.getResource("ip").getURI();
			long n = s.getLiteral("calls").getLong();
			addresses.merge(ip, new Node(ip, s.getLiteral("address").getString(), Kind.ADDRESS, "IpAddress", n, false),
					Node::merge);
			froms.computeIfAbsent(actor, k -> new ArrayList<>()).add(new Edge(ip, actor, n));
		});
		return prune(principals, apis, addresses, calls, froms, flaggedActors, maxPrincipals, maxPerPrincipal);
	}

	private static EntityGraph prune(Map<String, Node> principals, Map<String, Node> apis, Map<String, Node> addresses,
			Map<String, List<Edge>> calls, Map<String, List<Edge>> froms, Map<String, Double> severity, int maxPrincipals,
			int maxPerPrincipal) {
		// signalled principals first, the most severe first; then the busiest
		Comparator<Node> important = Comparator.comparing((Node n) -> !n.flagged())
				.thenComparing(Comparator.comparingDouble((Node n) -> severity.getOrDefault(n.id(), 0.0)).reversed())
				.thenComparing(Comparator.comparingLong(Node::calls).reversed()).thenComparing(Node::id);
		List<Node> kept = distinct(principals.values().stream().sorted(important).limit(maxPrincipals).toList());
		Map<String, Node> nodes = new LinkedHashMap<>();
		List<Edge> edges = new ArrayList<>();
		Comparator<Edge> busiest = Comparator.comparingLong(Edge::calls).reversed();
		for (Node p : kept) {
			nodes.put(p.id(), p);
			calls.getOrDefault(p.id(), List.of()).stream()
					.sorted(Comparator.comparing((Edge e) -> !apis.get(e.to()).flagged()).thenComparing(busiest))
					.limit(maxPerPrincipal).forEach(e -> {
						nodes.putIfAbsent(e.to(), apis.get(e.to()));
						edges.add(e);
					});
			froms.getOrDefault(p.id(), List.of()).stream().sorted(busiest).limit(maxPerPrincipal).forEach(e -> {
				nodes.putIfAbsent(e.from(), addresses.get(e.from()));
				edges.add(e);
			});
		}
		return new EntityGraph(List.copyOf(nodes.values()), List.copyOf(edges), principals.size());
	}

	/** The principals, those of one name in several accounts labelled with their account too ({@link ActorNames}). */
	private static List<Node> distinct(List<Node> principals) {
		Map<String, String> labels = new LinkedHashMap<>();
		principals.forEach(p -> labels.put(p.id(), p.label()));
		Map<String, String> names = ActorNames.distinct(labels);
		return principals.stream().map(p -> names.get(p.id()).equals(p.label()) ? p
				: new Node(p.id(), names.get(p.id()), p.kind(), p.type(), p.calls(), p.flagged(), p.network())).toList();
	}

	private static void select(EvidenceStore store, ParameterizedSparqlString q,
			java.util.function.Consumer<QuerySolution> row) {
		try (QueryExecution qe = QueryExecution.dataset(store.dataset()).query(q.asQuery()).build()) {
			qe.execSelect().forEachRemaining(row);
		}
	}
}
