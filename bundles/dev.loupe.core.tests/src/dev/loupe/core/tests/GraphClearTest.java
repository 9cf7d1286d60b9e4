package dev.loupe.core.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.apache.jena.graph.Node;
import org.apache.jena.graph.NodeFactory;
import org.apache.jena.sparql.core.DatasetGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.loupe.core.store.EvidenceStore;
import dev.loupe.core.store.GraphClear;

/** Clearing a graph index by index leaves every index agreeing: the graph is gone whichever one a query reads. */
class GraphClearTest {

	private static final Node A = NodeFactory.createURI("urn:test:a");
	private static final Node B = NodeFactory.createURI("urn:test:b");
	private static final Node P = NodeFactory.createURI("urn:test:p");

	@Test
	void aClearedGraphIsGoneFromEveryIndexAndTheOthersStay(@TempDir Path dir) {
		Path location = dir.resolve("store");
		try (EvidenceStore store = EvidenceStore.open(location)) {
			store.write(() -> {
				DatasetGraph dsg = store.dataset().asDatasetGraph();
				for (int i = 0; i < 5000; i++) {
					Node s = NodeFactory.createURI("urn:test:s" + (i * 7919 % 5000));
					Node o = NodeFactory.createLiteralString("o" + i);
					dsg.add(A, s, P, o);
					if (i % 2 == 0) {
						dsg.add(B, s, P, o); // the same triple in both graphs: B's copy must stay
					}
				}
			});
			long before = store.quadCount();
			long[] cleared = { 0 };
			store.write(() -> cleared[0] = GraphClear.clear(store.dataset().asDatasetGraph(), A));
			assertEquals(5000, cleared[0]);
			assertEquals(before - 5000, store.quadCount());
			assertGone(store);
			// a graph that was never written, and one cleared already
			store.write(() -> assertEquals(0, GraphClear.clear(store.dataset().asDatasetGraph(), NodeFactory.createURI("urn:test:none"))));
			store.write(() -> assertEquals(0, GraphClear.clear(store.dataset().asDatasetGraph(), A)));
		}
		try (EvidenceStore store = EvidenceStore.open(location)) {
			assertGone(store); // committed, on disk
		}
	}

	/**
	 * What a full run keeps for its linker to write the difference: the facts named for subjects of a type; then
	 * the difference written.
	 */
	@Test
	void theFactsNamedForATypeStay(@TempDir Path dir) {
		Node type = NodeFactory.createURI("urn:test:T");
		Node q = NodeFactory.createURI("urn:test:q");
		Node typeP = org.apache.jena.vocabulary.RDF.type.asNode();
		dev.loupe.core.store.Keep keep = dev.loupe.core.store.Keep.byType(java.util.Map.of(type, java.util.Set.of(typeP, P)));
		try (EvidenceStore store = EvidenceStore.open(dir.resolve("store"))) {
			DatasetGraph mem = org.apache.jena.sparql.core.DatasetGraphFactory.createTxnMem();
			for (DatasetGraph dsg : java.util.List.of(store.dataset().asDatasetGraph(), mem)) {
				java.util.List<String> left = new java.util.ArrayList<>();
				org.apache.jena.system.Txn.executeWrite(dsg, () -> {
					for (int i = 0; i < 100; i++) {
						Node s = NodeFactory.createURI("urn:test:s" + i);
						if (i % 2 == 0) {
							dsg.add(A, s, typeP, type);
						}
						dsg.add(A, s, typeP, B); // another type: goes
						dsg.add(A, s, P, NodeFactory.createLiteralString("p" + i));
						dsg.add(A, s, q, NodeFactory.createLiteralString("q" + i));
					}
					assertEquals(250, GraphClear.clear(dsg, A, keep));
					dsg.find(A, Node.ANY, Node.ANY, Node.ANY).forEachRemaining(x -> left.add(x.getSubject() + " " + x.getObject()));
				});
				assertEquals(100, left.size(), left.toString());
				assertTrue(left.contains("urn:test:s2 urn:test:T") && left.contains("urn:test:s2 \"p2\""), left.toString());
				assertTrue(left.stream().allMatch(x -> Integer.parseInt(x.replaceAll("urn:test:s(\\d+) .*", "$1")) % 2 == 0), left.toString());
				// then the step that wrote them writes only the difference
				org.apache.jena.graph.Graph fresh = org.apache.jena.sparql.graph.GraphFactory.createDefaultGraph();
				Node s0 = NodeFactory.createURI("urn:test:s0");
				Node s2 = NodeFactory.createURI("urn:test:s2");
				fresh.add(s0, typeP, type);
				fresh.add(s0, P, NodeFactory.createLiteralString("p0"));
				fresh.add(s2, P, NodeFactory.createLiteralString("changed"));
				java.util.List<String> now = new java.util.ArrayList<>();
				org.apache.jena.system.Txn.executeWrite(dsg, () -> {
					assertEquals(java.util.List.of(98L, 1L), java.util.Arrays.stream(GraphClear.replace(dsg, A, keep, fresh)).boxed().toList());
					dsg.find(A, Node.ANY, Node.ANY, Node.ANY).forEachRemaining(x -> now.add(x.getSubject() + " " + x.getObject()));
				});
				assertEquals(java.util.Set.of("urn:test:s0 urn:test:T", "urn:test:s0 \"p0\"", "urn:test:s2 \"changed\""),
						java.util.Set.copyOf(now));
			}
		}
	}

	/** What the forward rules wrote stays by subject and predicate, every type fact of those subjects with it. */
	@Test
	void theFactsOfSubjectsStay(@TempDir Path dir) {
		Node typeP = org.apache.jena.vocabulary.RDF.type.asNode();
		Node s1 = NodeFactory.createURI("urn:test:s1");
		Node s2 = NodeFactory.createURI("urn:test:s2");
		Node q = NodeFactory.createURI("urn:test:q");
		dev.loupe.core.store.Keep keep = dev.loupe.core.store.Keep.of(java.util.Set.of(s1), java.util.Set.of(typeP, P));
		try (EvidenceStore store = EvidenceStore.open(dir.resolve("store"))) {
			for (DatasetGraph dsg : java.util.List.of(store.dataset().asDatasetGraph(),
					org.apache.jena.sparql.core.DatasetGraphFactory.createTxnMem())) {
				java.util.Set<String> left = new java.util.HashSet<>();
				org.apache.jena.system.Txn.executeWrite(dsg, () -> {
					for (Node s : java.util.List.of(s1, s2)) {
						dsg.add(A, s, typeP, B);
						dsg.add(A, s, P, NodeFactory.createLiteralString("p"));
						dsg.add(A, s, q, NodeFactory.createLiteralString("q"));
					}
					assertEquals(4, GraphClear.clear(dsg, A, keep));
					dsg.find(A, Node.ANY, Node.ANY, Node.ANY).forEachRemaining(x -> left.add(x.getPredicate() + " " + x.getObject()));
					org.apache.jena.graph.Graph fresh = org.apache.jena.sparql.graph.GraphFactory.createDefaultGraph();
					fresh.add(s1, P, NodeFactory.createLiteralString("p"));
					assertEquals(java.util.List.of(1L, 0L), java.util.Arrays.stream(GraphClear.replace(dsg, A, keep, fresh)).boxed().toList());
					assertEquals(1, dsg.getGraph(A).size());
				});
				assertEquals(java.util.Set.of(typeP + " " + B, P + " \"p\""), left);
			}
		}
	}

	/** An update takes out the facts of the signals it derives again, and only those, from every index. */
	@Test
	void theFactsOfSomeSubjectsGoFromEveryIndex(@TempDir Path dir) {
		try (EvidenceStore store = EvidenceStore.open(dir.resolve("store"))) {
			DatasetGraph mem = org.apache.jena.sparql.core.DatasetGraphFactory.createTxnMem();
			for (DatasetGraph dsg : java.util.List.of(store.dataset().asDatasetGraph(), mem)) {
				java.util.List<Node> some = new java.util.ArrayList<>();
				org.apache.jena.system.Txn.executeWrite(dsg, () -> {
					for (int i = 0; i < 300; i++) {
						Node s = NodeFactory.createURI("urn:test:s" + i);
						dsg.add(A, s, P, NodeFactory.createLiteralString("o" + i));
						dsg.add(A, s, P, B);
						dsg.add(B, s, P, B); // the same subject in another graph stays
						if (i % 3 == 0) {
							some.add(s);
						}
					}
					some.add(NodeFactory.createURI("urn:test:never-written"));
					assertEquals(200, GraphClear.clearSubjects(dsg, A, some));
				});
				org.apache.jena.system.Txn.executeRead(dsg, () -> {
					assertEquals(400, count(dsg.find(A, Node.ANY, Node.ANY, Node.ANY)), "by graph");
					assertEquals(200, count(dsg.find(A, Node.ANY, Node.ANY, B)), "by object");
					assertEquals(0, count(dsg.find(A, some.get(1), Node.ANY, Node.ANY)), "by subject");
					assertEquals(0, count(dsg.find(Node.ANY, Node.ANY, Node.ANY, NodeFactory.createLiteralString("o3"))), "by object");
					assertEquals(1, count(dsg.find(Node.ANY, Node.ANY, Node.ANY, NodeFactory.createLiteralString("o4"))), "by object");
					assertEquals(300, count(dsg.find(B, Node.ANY, Node.ANY, Node.ANY)), "the other graph");
				});
			}
		}
	}

	private static void assertGone(EvidenceStore store) {
		store.read(() -> {
			DatasetGraph dsg = store.dataset().asDatasetGraph();
			assertFalse(dsg.find(A, Node.ANY, Node.ANY, Node.ANY).hasNext(), "by graph");
			assertEquals(2500, count(dsg.find(Node.ANY, Node.ANY, P, Node.ANY)), "by predicate");
			assertEquals(1, count(dsg.find(Node.ANY, Node.ANY, Node.ANY, NodeFactory.createLiteralString("o0"))), "by object");
			assertEquals(0, count(dsg.find(Node.ANY, Node.ANY, Node.ANY, NodeFactory.createLiteralString("o1"))), "by object");
			assertTrue(dsg.find(Node.ANY, Node.ANY, P, Node.ANY).hasNext());
			dsg.find(Node.ANY, Node.ANY, Node.ANY, Node.ANY).forEachRemaining(q -> assertFalse(A.equals(q.getGraph()), q.toString()));
			return null;
		});
	}

	private static long count(java.util.Iterator<?> it) {
		long n = 0;
		for (; it.hasNext(); it.next()) {
			n++;
		}
		return n;
	}
}
