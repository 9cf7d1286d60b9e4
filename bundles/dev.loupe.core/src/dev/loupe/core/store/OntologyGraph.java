package dev.loupe.core.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

import org.apache.jena.graph.Graph;
import org.apache.jena.graph.Node;
import org.apache.jena.riot.Lang;
import org.apache.jena.riot.RDFParser;
import org.apache.jena.sparql.core.DatasetGraph;
import org.apache.jena.sparql.graph.GraphFactory;
import org.apache.jena.vocabulary.OWL;

import dev.loupe.core.vocab.Ids;

/**
 * Keeps the ontology in the store (graph urn:loupe:graph:ontology), so that queries follow rdfs:subClassOf
 * (a question about principals includes IAM users and role sessions) and any RDF tool reading the store or a
 * snapshot finds the labels and definitions. Replaced when the bundled ontology's version changes.
 */
final class OntologyGraph {
	private OntologyGraph() {
	}

	static void ensure(EvidenceStore store) {
		Graph bundled = GraphFactory.createDefaultGraph();
		try (InputStream in = OntologyGraph.class.getResourceAsStream("/ontology/loupe.ttl")) {
			RDFParser.source(in).lang(Lang.TURTLE).parse(bundled);
		} catch (IOException e) {
			throw new UncheckedIOException(e);
		}
		Node version = bundled.find(Node.ANY, OWL.versionInfo.asNode(), Node.ANY).next().getObject();
		Node g = Ids.ontologyGraph();
		boolean current = store.read(() -> store.dataset().asDatasetGraph().contains(g, Node.ANY, OWL.versionInfo.asNode(), version));
		if (!current) {
			store.write(() -> {
				DatasetGraph dsg = store.dataset().asDatasetGraph();
				dsg.deleteAny(g, Node.ANY, Node.ANY, Node.ANY);
				bundled.find().forEachRemaining(t -> dsg.add(g, t.getSubject(), t.getPredicate(), t.getObject()));
			});
		}
	}
}
