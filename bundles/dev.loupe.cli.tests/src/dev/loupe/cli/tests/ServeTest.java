package dev.loupe.cli.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.loupe.cli.Cli;
import dev.loupe.core.handoff.HandoffServer;
import dev.loupe.core.store.EvidenceStore;

/**
 * Commands on a store that the workbench, `loupe watch` or `loupe serve` holds run in that process and answer as
 * they would on their own (the launcher's check in run-tests does the same across two real processes).
 */
class ServeTest {
	@TempDir
	Path home;

	record Run(int code, String out, String err) {
	}

	Run loupe(String... args) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		ByteArrayOutputStream err = new ByteArrayOutputStream();
		int code = new Cli(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
				home).run(args);
		return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
	}

	/** The Stratus recordings in two folders: the first 20 files, and the other 15 that arrive later. */
	private List<Path> twoDeliveries() throws IOException {
		Path first = Files.createDirectories(home.resolve("first"));
		Path later = Files.createDirectories(home.resolve("later"));
		try (Stream<Path> files = Files.list(CliTest.stratus())) {
			List<Path> all = files.filter(f -> f.toString().endsWith(".json")).sorted().toList();
			for (int i = 0; i < all.size(); i++) {
				Files.copy(all.get(i), (i < 20 ? first : later).resolve(all.get(i).getFileName()));
			}
		}
		return List.of(first, later);
	}

	@Test
	void commandsOnAHeldStoreRunInTheProcessHoldingIt() throws Exception {
		List<Path> deliveries = twoDeliveries();
		Path store = home.resolve("store");
		assertEquals(0, loupe("ingest", "--reason", deliveries.get(0).toString()).code());
		Run alone = loupe("signals", "--format", "json");
		assertEquals(0, alone.code(), alone.err());
		assertFalse(alone.err().contains("holds this store"), "nobody else holds the store: the command ran here");

		AtomicInteger changes = new AtomicInteger();
		Run signals;
		Run ingest;
		Run badQuery;
		Run sequences;
		try (EvidenceStore held = EvidenceStore.open(store);
				HandoffServer server = Cli.serve(held, "the workbench", changes::incrementAndGet)) {
			signals = loupe("signals", "--format", "json");
			ingest = loupe("ingest", "--reason", deliveries.get(1).toString());
			badQuery = loupe("query", "SELECT ?s WHERE { ?s ?p }");
			sequences = loupe("sequences", "--format", "json");
		}
		String by = "the workbench (pid " + ProcessHandle.current().pid() + ") holds this store";
		assertTrue(signals.err().contains(by), signals.err());
		assertEquals(0, signals.code(), signals.err());
		assertEquals(json(alone.out()), json(signals.out()), "the same answer as the command on its own");

		assertTrue(ingest.err().contains(by), ingest.err());
		assertEquals(0, ingest.code(), ingest.err());
		assertTrue(ingest.out().contains("15 files: "), ingest.out());
		assertTrue(ingest.out().contains("Updated after new evidence"), "--reason ran there too: " + ingest.out());
		assertEquals(1, changes.get(), "the holder was told once, after the ingest, that the store changed (the workbench "
				+ "refreshes its views); reads and a failed query change nothing");

		assertEquals(1, badQuery.code(), "a user's error stays a user's error");
		assertTrue(badQuery.err().contains("loupe query: "), badQuery.err());

		// the holder closed the store: the same command runs here again, and sees what was ingested there
		Run after = loupe("sequences", "--format", "json");
		assertEquals(0, after.code(), after.err());
		assertFalse(after.err().contains("holds this store"), after.err());
		assertEquals(json(after.out()), json(sequences.out()));
		assertTrue(json(after.out()).size() > 0, after.out());
		Run all = loupe("sources");
		assertEquals(35, all.out().lines().filter(l -> l.contains(".json")).count(), all.out());
	}

	@Test
	void aWatchOnAHeldStoreLooksHereAndIngestsThere() throws Exception {
		Path store = home.resolve("store");
		Path folder = Files.createDirectories(home.resolve("arriving"));
		Files.copy(CliTest.stratus().resolve("aws.defense-evasion.cloudtrail-stop.json"), folder.resolve("stop.json"));
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		ByteArrayOutputStream err = new ByteArrayOutputStream();
		int[] code = { -1 };
		AtomicInteger changes = new AtomicInteger();
		try (EvidenceStore held = EvidenceStore.open(store);
				HandoffServer server = Cli.serve(held, "the workbench", changes::incrementAndGet)) {
			Thread watch = Thread.ofPlatform().start(() -> code[0] = new Cli(new PrintStream(out, true, StandardCharsets.UTF_8),
					new PrintStream(err, true, StandardCharsets.UTF_8), home).run(new String[] { "watch", "--every", "1", "--cycles", "6",
							folder.toString() }));
			await(out, "Inferred 1 signals");
			Files.copy(CliTest.stratus().resolve("aws.defense-evasion.cloudtrail-delete.json"), folder.resolve("delete.json"));
			watch.join(120_000);
		}
		String text = out.toString(StandardCharsets.UTF_8);
		assertEquals(0, code[0], err.toString(StandardCharsets.UTF_8) + text);
		assertTrue(err.toString(StandardCharsets.UTF_8).contains("loupe watch: the workbench (pid " + ProcessHandle.current().pid()
				+ ") holds this store"), err.toString(StandardCharsets.UTF_8));
		assertTrue(text.contains("1 new file(s):") && text.contains("delete.json  (cloudtrail, 1 records"), text);
		assertTrue(text.contains("Inferred 2 signals, 2 sequences and 2 coverage gaps."), "updated there: " + text);
		assertEquals(1, text.split("  new sequence: ", -1).length - 1, "what the update changed, said as a watch here says it: " + text);
		assertTrue(text.contains("Stopped watching."), text);
		assertEquals(2, changes.get(), "the holder was told after each ingest");
	}

	private static void await(ByteArrayOutputStream out, String text) throws InterruptedException {
		long until = System.nanoTime() + 60_000_000_000L;
		while (!out.toString(StandardCharsets.UTF_8).contains(text)) {
			if (System.nanoTime() > until) {
				throw new AssertionError("timed out waiting for \"" + text + "\" in " + out.toString(StandardCharsets.UTF_8));
			}
			Thread.sleep(50);
		}
	}

	private static JsonNode json(String text) throws IOException {
		return new ObjectMapper().readTree(text);
	}
}
