package dev.loupe.core.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;

import org.eclipse.core.runtime.NullProgressMonitor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.loupe.core.reason.Reasoner;
import dev.loupe.core.reason.RuleSet;
import dev.loupe.core.store.EvidenceStore;

/**
 * A rehearsal (the update a holder of the store runs and throws away to be ready for the first one that counts)
 * leaves every fact of the store as it was, the run's record included, and the updates after it give what a full
 * run gives.
 */
class RehearsalTest {

	@Test
	void aRehearsalChangesNothingAndTheUpdatesAfterItAreRight(@TempDir Path dir) throws IOException {
		List<Path> files = IncrementalUpdateTest.evidence(dir);
		int half = files.size() / 2;
		try (EvidenceStore store = EvidenceStore.open(dir.resolve("store"))) {
			IngestTest.ingest(store, files.subList(0, half).toArray(Path[]::new));
			Reasoner reasoner = new Reasoner(store);
			assertFalse(reasoner.rehearse(RuleSet.load(null)), "no run yet: nothing to rehearse");
			reasoner.run(RuleSet.load(null), new NullProgressMonitor());
			TreeSet<String> before = quads(store);
			// the update it rehearses writes what is there already: the store's files tell a commit (TDB2 copies
			// every block a transaction changes into a new one) from an abort
			long bytes = store.diskBytes();
			assertTrue(reasoner.rehearse(RuleSet.load(null)));
			assertEquals(bytes, store.diskBytes());
			assertEquals(before, quads(store));
			assertEquals(Reasoner.Mode.UP_TO_DATE, reasoner.update(RuleSet.load(null), new NullProgressMonitor()).mode());
			for (Path f : files.subList(half, files.size())) {
				IngestTest.ingest(store, f);
				reasoner.rehearse(RuleSet.load(null));
				assertEquals(Reasoner.Mode.UPDATE, reasoner.update(RuleSet.load(null), new NullProgressMonitor()).mode());
			}
			try (EvidenceStore full = EvidenceStore.open(dir.resolve("full"))) {
				IngestTest.ingest(full, files.toArray(Path[]::new));
				new Reasoner(full).run(RuleSet.load(null), new NullProgressMonitor());
				IncrementalUpdateTest.assertSameInferences(full, store);
			}
		}
	}

	private static TreeSet<String> quads(EvidenceStore store) {
		return store.read(() -> {
			TreeSet<String> out = new TreeSet<>();
			store.dataset().asDatasetGraph().find().forEachRemaining(q -> out.add(q.toString()));
			return out;
		});
	}
}
