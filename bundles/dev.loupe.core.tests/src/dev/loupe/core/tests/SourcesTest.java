package dev.loupe.core.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.apache.jena.sparql.core.Quad;
import org.eclipse.core.runtime.NullProgressMonitor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.loupe.core.reason.Reasoner;
import dev.loupe.core.reason.RuleSet;
import dev.loupe.core.store.EvidenceStore;
import dev.loupe.core.store.Sources;
import dev.loupe.core.vocab.Loupe;

/** Removing a source removes exactly its facts and the inferences that rested on them, nothing else. */
class SourcesTest {
	static final Path STOP = Fixtures.stratus("aws.defense-evasion.cloudtrail-stop");
	static final Path DELETE = Fixtures.stratus("aws.defense-evasion.cloudtrail-delete");
	static final Path LEAVE = Fixtures.stratus("aws.defense-evasion.organizations-leave");

	/** Every quad but the ingest time, which differs between two stores by nature. */
	static Set<String> strings(Set<Quad> quads) {
		return quads.stream().map(Quad::toString).collect(Collectors.toCollection(TreeSet::new));
	}

	static Set<Quad> content(EvidenceStore store) {
		return store.read(() -> {
			Set<Quad> all = new HashSet<>();
			store.dataset().asDatasetGraph().find().forEachRemaining(q -> {
				if (!q.getPredicate().equals(Loupe.provGeneratedAtTime)) {
					all.add(q);
				}
			});
			return all;
		});
	}

	@Test
	void removingASourceLeavesWhatTheOthersWouldHaveAlone(@TempDir Path dir) throws IOException {
		try (EvidenceStore both = EvidenceStore.open(dir.resolve("all"));
				EvidenceStore expected = EvidenceStore.open(dir.resolve("expected"))) {
			IngestTest.ingest(both, STOP, DELETE, LEAVE);
			new Reasoner(both).run(RuleSet.load(null), new NullProgressMonitor());
			Sources sources = new Sources(both);
			assertEquals(3, sources.list().size());

			long removed = sources.remove(List.of(sources.find(STOP.toAbsolutePath().toString())));
			assertTrue(removed > 10, "quads removed: " + removed);
			new Reasoner(both).run(RuleSet.load(null), new NullProgressMonitor());

			IngestTest.ingest(expected, DELETE, LEAVE);
			new Reasoner(expected).run(RuleSet.load(null), new NullProgressMonitor());
			Set<String> want = strings(content(expected));
			Set<String> got = strings(content(both));
			Set<String> missing = new TreeSet<>(want);
			missing.removeAll(got);
			Set<String> extra = new TreeSet<>(got);
			extra.removeAll(want);
			assertEquals(List.of(), List.of(missing, extra).stream().filter(x -> !x.isEmpty()).toList(),
					"missing after removal, then left over");
			assertEquals(2, sources.list().size());
		}
	}

	@Test
	void compactingGivesBackTheSpaceARemovalLeftAndKeepsEveryFact(@TempDir Path dir) throws IOException {
		Path location = dir.resolve("store");
		Set<Quad> kept;
		try (EvidenceStore store = EvidenceStore.open(location)) {
			IngestTest.ingest(store, STOP, DELETE, LEAVE);
			new Reasoner(store).run(RuleSet.load(null), new NullProgressMonitor());
			Sources sources = new Sources(store);
			sources.remove(List.of(sources.find(STOP.toAbsolutePath().toString())));
			new Reasoner(store).run(RuleSet.load(null), new NullProgressMonitor());
			kept = content(store);

			EvidenceStore.Compaction c = store.compact();
			assertTrue(c.after() <= c.before(), "bytes before and after: " + c);
			assertTrue(Files.isDirectory(location.resolve("Data-0002")) && !Files.exists(location.resolve("Data-0001")),
					"a new generation replaced the old one");
			assertEquals(c.after(), store.diskBytes());
			assertEquals(kept, content(store), "the same facts, read through the same handle");
			assertEquals(2, sources.list().size());
		}
		try (EvidenceStore reopened = EvidenceStore.open(location)) {
			assertEquals(kept, content(reopened), "and after opening the store again");
			assertEquals("UP_TO_DATE", new Reasoner(reopened).update(RuleSet.load(null), new NullProgressMonitor()).mode().name(),
					"the last run's record survives");
		}
	}

	@Test
	void sourcesAreFoundByPathHashOrIriAndAmbiguityIsAnError(@TempDir Path dir) throws IOException {
		try (EvidenceStore store = EvidenceStore.open(dir.resolve("store"))) {
			IngestTest.ingest(store, STOP, DELETE);
			Sources sources = new Sources(store);
			Sources.Source s = sources.list().stream().filter(x -> x.location().endsWith("cloudtrail-stop.json"))
					.findFirst().orElseThrow();
			assertEquals(1, s.records());
			assertEquals("cloudtrail", s.format());
			assertEquals(s, sources.find(s.sha256().substring(0, 10)));
			assertEquals(s, sources.find(s.graph()));
			var e = assertThrows(IllegalArgumentException.class, () -> sources.find("nothing-like-this"));
			assertTrue(e.getMessage().contains("nothing-like-this"));
		}
	}

	@Test
	void readsDoNotWaitForAnIngestInProgress(@TempDir Path dir) throws Exception {
		try (EvidenceStore store = EvidenceStore.open(dir.resolve("store"))) {
			IngestTest.ingest(store, STOP);
			long before = store.quadCount();
			var writerInside = new java.util.concurrent.CountDownLatch(1);
			var release = new java.util.concurrent.CountDownLatch(1);
			Thread writer = new Thread(() -> store.write(() -> {
				store.dataset().asDatasetGraph().add(new Quad(org.apache.jena.graph.NodeFactory.createURI("urn:x:g"),
						org.apache.jena.graph.NodeFactory.createURI("urn:x:s"), Loupe.eventName,
						org.apache.jena.graph.NodeFactory.createLiteralString("x")));
				writerInside.countDown();
				try {
					release.await();
				} catch (InterruptedException e) {
					Thread.currentThread().interrupt();
				}
			}));
			writer.start();
			writerInside.await();
			long during = store.quadCount(); // would block forever if readers waited for the writer
			release.countDown();
			writer.join();
			assertEquals(before, during, "a reader sees the state before the open write transaction");
			assertEquals(before + 1, store.quadCount());
		}
	}
}
