package dev.loupe.core.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

import org.apache.jena.graph.Graph;
import org.apache.jena.graph.compose.Union;
import org.apache.jena.riot.Lang;
import org.apache.jena.riot.RDFParser;
import org.apache.jena.shacl.ShaclValidator;
import org.apache.jena.shacl.Shapes;
import org.apache.jena.shacl.ValidationReport;
import org.apache.jena.sparql.graph.GraphFactory;

/** Validates graphs against ontology/shapes.ttl: what every ingester's output and the inferred graph must be. */
public final class ShapeCheck {
	private static Shapes shapes;
	private static Graph ontology;

	private ShapeCheck() {
	}

	private static synchronized Shapes shapes() {
		if (shapes == null) {
			shapes = Shapes.parse(load("/ontology/shapes.ttl"));
			ontology = load("/ontology/loupe.ttl");
		}
		return shapes;
	}

	private static Graph load(String resource) {
		Graph g = GraphFactory.createDefaultGraph();
		try (InputStream in = ShapeCheck.class.getResourceAsStream(resource)) {
			RDFParser.source(in).lang(Lang.TURTLE).parse(g);
		} catch (IOException e) {
			throw new UncheckedIOException(e);
		}
		return g;
	}

	/** @return one readable line per violation (focus node, path, message); empty when the graph conforms */
	public static List<String> violations(Graph data) {
		// sh:class follows rdfs:subClassOf in the data: the ontology says an IamUser is a Principal
		Shapes sh = shapes();
		ValidationReport report = ShaclValidator.get().validate(sh, new Union(data, ontology));
		return report.getEntries().stream()
				.map(e -> e.focusNode() + " " + (e.resultPath() == null ? "" : e.resultPath() + " ") + e.message())
				.toList();
	}
}
