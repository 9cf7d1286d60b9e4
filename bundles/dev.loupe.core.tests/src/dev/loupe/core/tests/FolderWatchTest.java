package dev.loupe.core.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.List;

import org.eclipse.core.runtime.NullProgressMonitor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.loupe.core.ingest.FileResult;
import dev.loupe.core.ingest.FolderWatch;
import dev.loupe.core.ingest.IngestReport;
import dev.loupe.core.reason.Reasoner;
import dev.loupe.core.reason.RuleSet;
import dev.loupe.core.store.EvidenceStore;

/** Files arriving in a watched folder are offered once they stop changing, and once only. */
class FolderWatchTest {

	@Test
	void aFileIsOfferedOnceItStopsChangingAndAChangedOneIsReportedOnce(@TempDir Path dir) throws IOException {
		Path there = Files.writeString(dir.resolve("there.json"), "{}");
		FolderWatch watch = new FolderWatch(List.of(dir));
		watch.start();
		assertEquals(new FolderWatch.Look(List.of(), List.of()), watch.look(), "what was there at the start is read");

		Path sub = Files.createDirectories(dir.resolve("AWSLogs/111122223333"));
		Path arriving = Files.writeString(sub.resolve("part.json.gz"), "{\"Records\":[");
		Files.writeString(dir.resolve(".hidden"), "x");
		assertEquals(List.of(), watch.look().ready(), "first seen: it may still be being written");
		Files.writeString(arriving, "]}", StandardOpenOption.APPEND);
		assertEquals(List.of(), watch.look().ready(), "it grew since: still waiting");
		assertEquals(List.of(arriving), watch.look().ready(), "the same size and time twice: ready");
		assertEquals(List.of(), watch.look().ready(), "offered once");

		Files.writeString(there, "{ }");
		Files.setLastModifiedTime(there, FileTime.fromMillis(System.currentTimeMillis() + 5000));
		FolderWatch.Look changed = watch.look();
		assertEquals(List.of(), changed.ready());
		assertEquals(List.of(there), changed.changed(), "a read file that changed is reported");
		assertEquals(List.of(), watch.look().changed(), "once");

		Files.delete(arriving);
		Path other = Files.writeString(sub.resolve("next.json"), "{}");
		watch.look();
		assertEquals(List.of(other), watch.look().ready(), "a removed file is no trouble");

		Path moved = Files.move(dir.resolve("AWSLogs"), dir.getParent().resolve(dir.getFileName() + "-away"));
		Files.move(dir, dir.getParent().resolve(dir.getFileName() + "-gone"));
		assertEquals(new FolderWatch.Look(List.of(), List.of()), watch.look(), "nor is the watched folder gone for a while");
		Files.move(dir.getParent().resolve(dir.getFileName() + "-gone"), dir);
		Files.move(moved, dir.resolve("AWSLogs"));
		assertEquals(new FolderWatch.Look(List.of(), List.of()), watch.look(), "back as it was: nothing new");
	}

	/**
	 * The analyst's usual `loupe watch --store ./store .` (or an ingest of the same folder): the store's own
	 * files, which each update changes, and hidden folders such as .git are not evidence.
	 */
	@Test
	void theStoreInTheFolderAndHiddenFoldersAreLeftOut(@TempDir Path dir) throws IOException {
		Path trail = Files.copy(Fixtures.stratus("aws.defense-evasion.cloudtrail-stop"), dir.resolve("trail.json"));
		Files.writeString(Files.createDirectories(dir.resolve(".git/objects")).resolve("ab12"), "x");
		try (EvidenceStore store = EvidenceStore.open(dir.resolve("store"))) {
			FolderWatch watch = new FolderWatch(List.of(dir));
			watch.start();
			IngestReport r = IngestTest.ingest(store, dir);
			assertEquals(List.of(trail.toString()), r.files().stream().map(FileResult::file).toList(), "the evidence only");
			new Reasoner(store).run(RuleSet.load(null), new NullProgressMonitor());
			assertEquals(new FolderWatch.Look(List.of(), List.of()), watch.look(), "the store changed, no evidence did");
			assertEquals(new FolderWatch.Look(List.of(), List.of()), watch.look());
		}
		// a case folder that links to the evidence, and a link back up that would loop
		Path cases = Files.createDirectories(dir.getParent().resolve(dir.getFileName() + "-case"));
		Files.createSymbolicLink(cases.resolve("evidence"), dir);
		Files.createSymbolicLink(dir.resolve("up"), cases);
		try (EvidenceStore store = EvidenceStore.open(dir.resolve("store-2"))) {
			IngestReport r = IngestTest.ingest(store, cases);
			assertEquals(List.of(cases.resolve("evidence/trail.json").toString()), r.files().stream().map(FileResult::file).toList());
		} finally {
			Files.delete(cases.resolve("evidence"));
			Files.delete(cases);
		}
	}
}
