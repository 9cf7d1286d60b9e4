package dev.loupe.core.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.apache.jena.graph.Node;
import org.apache.jena.sparql.graph.GraphFactory;
import org.eclipse.core.runtime.NullProgressMonitor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.loupe.core.ingest.FileResult;
import dev.loupe.core.reason.Reasoner;
import dev.loupe.core.reason.RuleSet;
import dev.loupe.core.store.EvidenceStore;
import dev.loupe.core.store.ShapeCheck;
import dev.loupe.core.vocab.Ids;

/** Every source graph the CloudTrail ingester writes, the summary graph and the inferred graph satisfy ontology/shapes.ttl. */
class ShapesTest {

	@Test
	void everyCloudTrailSampleConforms(@TempDir Path dir) throws IOException {
		List<Path> inputs = new ArrayList<>();
		inputs.add(Fixtures.stratus());
		inputs.add(Fixtures.datasets().resolve("awsdocs-examples/cloudtrail"));
		inputs.add(Fixtures.datasets().resolve("aws-cli-examples"));
		try (EvidenceStore store = EvidenceStore.open(dir.resolve("store"))) {
			List<FileResult> files = IngestTest.ingest(store, inputs.toArray(Path[]::new)).files();
			List<String> problems = new ArrayList<>();
			int validated = 0;
			for (FileResult f : files) {
				if (f.status() != FileResult.Status.INGESTED) {
					continue;
				}
				validated++;
				Node g = Ids.sourceGraph(f.sha256());
				var copy = GraphFactory.createDefaultGraph();
				store.read(() -> {
					store.dataset().asDatasetGraph().getGraph(g).find().forEachRemaining(copy::add);
					return null;
				});
				ShapeCheck.violations(copy).forEach(v -> problems.add(f.file() + ": " + v));
			}
			assertTrue(validated >= 50, "validated " + validated + " source graphs");
			assertEquals(List.of(), problems);

			var summary = GraphFactory.createDefaultGraph();
			store.read(() -> {
				store.dataset().asDatasetGraph().getGraph(Ids.summaryGraph()).find().forEachRemaining(summary::add);
				return null;
			});
			assertTrue(summary.size() > 1000, "summary facts: " + summary.size());
			assertEquals(List.of(), ShapeCheck.violations(summary));

			new Reasoner(store).run(RuleSet.load(null), new NullProgressMonitor());
			var inferred = GraphFactory.createDefaultGraph();
			store.read(() -> {
				store.dataset().asDatasetGraph().getGraph(Ids.inferredGraph()).find().forEachRemaining(inferred::add);
				return null;
			});
			assertTrue(inferred.size() > 0);
			// the sequences' context clients are checked too
			assertTrue(inferred.find(org.apache.jena.graph.Node.ANY, org.apache.jena.vocabulary.RDF.type.asNode(),
					dev.loupe.core.vocab.Loupe.ContextClient).hasNext());
			assertEquals(List.of(), ShapeCheck.violations(inferred));
		}
	}

	@Test
	void shapesCatchABrokenGraph(@TempDir Path dir) throws IOException {
		var g = GraphFactory.createDefaultGraph();
		org.apache.jena.riot.RDFParser.fromString("""
				@prefix loupe: <https://w3id.org/loupe/ontology#> .
				<urn:loupe:event:x> a loupe:ApiCall ; loupe:eventName "A", "B" .
				<urn:loupe:aws:account:1> a loupe:AwsAccount ; loupe:accountId "not-an-account" .
				""", org.apache.jena.riot.Lang.TURTLE).parse(g);
		List<String> v = ShapeCheck.violations(g);
		assertTrue(v.stream().anyMatch(s -> s.contains("eventName")), v.toString());
		assertTrue(v.stream().anyMatch(s -> s.contains("eventTime")), v.toString());
		assertTrue(v.stream().anyMatch(s -> s.contains("accountId")), v.toString());
		Files.createDirectories(dir);
	}
}
