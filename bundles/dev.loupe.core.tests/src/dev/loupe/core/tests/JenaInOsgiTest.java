package dev.loupe.core.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.nio.file.Path;

import org.apache.jena.datatypes.TypeMapper;
import org.apache.jena.query.Dataset;
import org.apache.jena.query.QueryExecution;
import org.apache.jena.rdf.model.Model;
import org.apache.jena.rdf.model.ModelFactory;
import org.apache.jena.riot.Lang;
import org.apache.jena.riot.RDFParser;
import org.apache.jena.sys.JenaSystem;
import org.apache.jena.system.Txn;
import org.apache.jena.tdb2.TDB2Factory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Jena's subsystems start inside the OSGi test runtime (they use ServiceLoader, which OSGi hides by default). */
class JenaInOsgiTest {

	@Test
	void subsystemsInitialise() {
		JenaSystem.init();
		assertNotNull(TypeMapper.getInstance(), "TypeMapper is null when Jena's subsystems did not start");
	}

	@Test
	void turtleAndSparql() {
		Model m = ModelFactory.createDefaultModel();
		RDFParser.fromString("@prefix : <urn:x:> . :a :p :b . :b :p :c .", Lang.TURTLE).parse(m);
		try (QueryExecution qe = QueryExecution.model(m).query("SELECT (COUNT(*) AS ?n) { ?s ?p ?o }").build()) {
			assertEquals(2, qe.execSelect().next().getLiteral("n").getInt());
		}
	}

	@Test
	void tdb2OnDisk(@TempDir Path dir) {
		Dataset ds = TDB2Factory.connectDataset(dir.toString());
		Txn.executeWrite(ds, () -> RDFParser.fromString("<urn:x:a> <urn:x:p> \"1\" .", Lang.NTRIPLES).parse(ds.getDefaultModel()));
		long n = Txn.calculateRead(ds, () -> ds.getDefaultModel().size());
		assertEquals(1, n);
		ds.close();
		org.apache.jena.tdb2.sys.TDBInternal.expel(ds.asDatasetGraph());
		Dataset again = TDB2Factory.connectDataset(dir.toString());
		assertEquals(1, (long) Txn.calculateRead(again, () -> again.getDefaultModel().size()), "data survives reopening");
	}
}
