package dev.loupe.core.store;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
import java.util.List;

import org.apache.jena.graph.Node;
import org.apache.jena.graph.NodeFactory;
import org.apache.jena.query.QueryExecution;
import org.apache.jena.query.QuerySolution;
import org.apache.jena.sparql.core.DatasetGraph;
import org.apache.jena.vocabulary.RDF;

import dev.loupe.core.query.Queries;
import dev.loupe.core.vocab.Loupe;

/**
 * The evidence sources in a store: one named graph each, carrying its own provenance. Removing a source drops
 * its graph and nothing else: entity facts are written per source, so other sources keep theirs; the derived
 * summary graph is rebuilt from the sources that remain.
 */
public final class Sources {

	public record Source(String graph, String location, String sha256, String format, long records, long errors,
			String ingested) {
	}

	private final EvidenceStore store;

	public Sources(EvidenceStore store) {
		this.store = store;
	}

	/**
	 * The named graphs of the sources in the store, inside the caller's transaction: by the index of types, which
	 * is what {@link #list()}'s query reads too, without its other fields (listing graph names walks every quad).
	 */
	public static Set<Node> graphs(DatasetGraph dsg) {
		Set<Node> out = new HashSet<>();
		dsg.find(Node.ANY, Node.ANY, RDF.type.asNode(), Loupe.EvidenceSource).forEachRemaining(q -> {
			if (q.getGraph().equals(q.getSubject())) {
				out.add(q.getGraph());
			}
		});
		return out;
	}

	public List<Source> list() {
		return store.read(() -> {
			List<Source> out = new ArrayList<>();
			try (QueryExecution qe = QueryExecution.dataset(store.dataset())
					.query(Queries.text(Sources.class, "sources.rq")).build()) {
				qe.execSelect().forEachRemaining(s -> out.add(source(s)));
			}
			return out;
		});
	}

	/**
	 * Resolves what a user typed: a source graph IRI, a SHA-256 (or a unique prefix of at least 8 characters)
	 * or the location the source was ingested from.
	 * @throws IllegalArgumentException naming the reference that matches no source, or several
	 */
	public Source find(String ref) {
		List<Source> matches = list().stream().filter(s -> s.graph().equals(ref) || s.location().equals(ref)
				|| ref.length() >= 8 && s.sha256().startsWith(ref.toLowerCase(java.util.Locale.ROOT))).toList();
		if (matches.isEmpty()) {
			throw new IllegalArgumentException("no source \"" + ref + "\" in the store (give a path, SHA-256 or source IRI; `loupe sources` lists them)");
		}
		if (matches.size() > 1) {
			throw new IllegalArgumentException("\"" + ref + "\" names " + matches.size() + " sources; give more of the SHA-256");
		}
		return matches.get(0);
	}

	/** Drops the sources' graphs in one transaction; returns how many quads went with them. */
	public long remove(List<Source> sources) {
		return store.calculateWrite(() -> {
			var dsg = store.dataset().asDatasetGraph();
			long removed = 0;
			for (Source s : sources) {
				Node g = NodeFactory.createURI(s.graph());
				long size = dsg.getGraph(g).size();
				GraphClear.clear(dsg, g);
				removed += size;
			}
			// counts can be taken back but first/last seen cannot: the derived summaries are made again
			Summaries.rebuild(dsg);
			AsnGraph.rebuild(dsg);
			return removed;
		});
	}

	private static Source source(QuerySolution s) {
		return new Source(s.getResource("g").getURI(), s.getLiteral("location").getString(),
				s.getLiteral("sha").getString(), s.getLiteral("format").getString(), s.getLiteral("records").getLong(),
				s.getLiteral("errors").getLong(), s.getLiteral("ingested").getLexicalForm());
	}
}
