package dev.loupe.core.reason;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.jena.graph.Node;
import org.apache.jena.query.Dataset;
import org.apache.jena.query.QueryExecution;

import dev.loupe.core.query.Queries;
import dev.loupe.core.vocab.Loupe;

/**
 * The kinds of correlation key (sub-properties of loupe:correlationKey), identity first, and for each kind that
 * meets only another (loupe:meetsOnly: a call aimed at an instance meets what marks the instance, not other calls
 * aimed at it), that other kind; and the kinds whose entity counts for a sequence's actor (loupe:namesActor).
 */
record LinkKinds(List<Node> all, Map<Node, Node> meetsOnly, Set<Node> namesActor) {

	static LinkKinds read(Dataset dataset) {
		List<Node> all = new ArrayList<>();
		Map<Node, Node> meetsOnly = new LinkedHashMap<>();
		Set<Node> namesActor = new HashSet<>(Set.of(Loupe.identityKey));
		try (QueryExecution qe = QueryExecution.dataset(dataset).query(Queries.text(Linker.class, "link-kinds.rq")).build()) {
			qe.execSelect().forEachRemaining(s -> {
				Node kind = s.getResource("kind").asNode();
				if (!all.contains(kind)) {
					all.add(kind);
				}
				if (s.contains("partner") && s.get("partner").isURIResource()) {
					meetsOnly.put(kind, s.getResource("partner").asNode());
				}
				if (s.contains("names") && s.getLiteral("names").getBoolean()) {
					namesActor.add(kind);
				}
			});
		}
		// identity first: it is what a reader expects a link to be explained by
		all.sort(Comparator.comparing((Node k) -> !k.equals(Loupe.identityKey)).thenComparing(Node::getURI));
		return new LinkKinds(all, meetsOnly, namesActor);
	}

	/** The kinds whose keys a signal with a key of {@code kind} can link to, when they hold the same entity. */
	List<Node> reach(Node kind) {
		Node partner = meetsOnly.get(kind);
		if (partner != null) {
			return List.of(partner);
		}
		List<Node> out = new ArrayList<>(List.of(kind));
		meetsOnly.forEach((k, p) -> {
			if (p.equals(kind)) {
				out.add(k);
			}
		});
		return out;
	}
}
