package dev.loupe.core.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;

import org.apache.jena.graph.Node;
import org.apache.jena.graph.NodeFactory;
import org.apache.jena.sparql.core.DatasetGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.loupe.core.store.EvidenceStore;

/**
 * A write the store undoes (an ingest batch that fails, rules that throw, a rehearsed update) leaves the process
 * able to write and read on. Jena 6.0.0's TDB2 did not: undoing a write shortens the file of node texts but left
 * its write position at the old end, so the next write that followed a read put new nodes' texts after a gap of
 * zeros while their IDs pointed into the gap, and reading them failed ("Unrecognized type 0"), for good once
 * committed (apache/jena#3877, fixed in 6.2.0).
 */
class AbortedWriteTest {
	static final Node G = NodeFactory.createURI("urn:loupe:test:graph");
	static final Node P = NodeFactory.createURI("urn:loupe:test:p");

	static void write(DatasetGraph dsg, String prefix, int n) {
		for (int i = 0; i < n; i++) {
			dsg.add(G, NodeFactory.createURI("urn:loupe:test:" + prefix + i), P, NodeFactory.createLiteralString(prefix + " text " + i));
		}
	}

	static int readAll(DatasetGraph dsg, String prefix) {
		int[] n = { 0 };
		dsg.find(G, Node.ANY, P, Node.ANY).forEachRemaining(q -> {
			if (q.getObject().getLiteralLexicalForm().startsWith(prefix)) {
				n[0]++;
			}
		});
		return n[0];
	}

	@Test
	void writesAfterAnUndoneWriteStayReadable(@TempDir Path dir) {
		Path location = dir.resolve("store");
		try (EvidenceStore store = EvidenceStore.open(location)) {
			store.write(() -> write(store.dataset().asDatasetGraph(), "kept", 5_000));
		}
		// a new process's view: nothing of the store cached, so reading a node reads its text from the file
		try (EvidenceStore store = EvidenceStore.open(location)) {
			DatasetGraph dsg = store.dataset().asDatasetGraph();
			assertThrows(IllegalStateException.class, () -> store.write(() -> {
				write(dsg, "undone", 20_000);
				readAll(dsg, "kept");
				throw new IllegalStateException("undo this write");
			}));
			store.write(() -> {
				assertEquals(5_000, readAll(dsg, "kept"));
				write(dsg, "later", 20_000);
			});
			assertEquals(20_000, (int) store.read(() -> readAll(dsg, "later")));
			assertEquals(0, (int) store.read(() -> readAll(dsg, "undone")));
		}
		try (EvidenceStore store = EvidenceStore.open(location)) {
			assertEquals(20_000, (int) store.read(() -> readAll(store.dataset().asDatasetGraph(), "later")));
		}
	}
}
