package dev.loupe.core.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.zip.GZIPOutputStream;

import org.eclipse.core.runtime.NullProgressMonitor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.loupe.core.ingest.FileResult;
import dev.loupe.core.ingest.FileResult.Status;
import dev.loupe.core.ingest.IngestReport;
import dev.loupe.core.ingest.IngestService;
import dev.loupe.core.ingest.ParseProblem;
import dev.loupe.core.store.EvidenceStore;

/** CloudTrail ingest on real public samples: counts per file, idempotency, malformed input, shapes. */
class IngestTest {

	static IngestReport ingest(EvidenceStore store, Path... paths) throws IOException {
		return new IngestService(store).ingest(List.of(paths), new NullProgressMonitor(), r -> {
		});
	}

	@Test
	void everyStratusFileIsIngestedWithItsEventCount(@TempDir Path dir) throws IOException {
		try (EvidenceStore store = EvidenceStore.open(dir.resolve("store"))) {
			IngestReport r = ingest(store, Fixtures.stratus());
			assertEquals(35, r.files().size());
			for (FileResult f : r.files()) {
				assertEquals(Status.INGESTED, f.status(), f.file());
				assertEquals(Fixtures.arrayLength(Path.of(f.file())), f.records(), f.file());
				assertTrue(f.problems().isEmpty(), f.file() + ": " + f.problems());
			}
			assertEquals(Fixtures.stratusEventTotal(), r.records());
			assertEquals(310, r.records());
		}
	}

	@Test
	void ingestingTwiceAddsNothing(@TempDir Path dir) throws IOException {
		try (EvidenceStore store = EvidenceStore.open(dir.resolve("store"))) {
			ingest(store, Fixtures.stratus());
			long before = store.quadCount();
			IngestReport again = ingest(store, Fixtures.stratus());
			assertEquals(before, store.quadCount());
			assertTrue(again.files().stream().allMatch(f -> f.status() == Status.ALREADY_PRESENT));
			// the same bytes under another name are the same evidence
			Path copy = Files.copy(Fixtures.stratus("aws.defense-evasion.cloudtrail-stop"), dir.resolve("renamed.json"));
			assertEquals(Status.ALREADY_PRESENT, ingest(store, copy).files().get(0).status());
			assertEquals(before, store.quadCount());
		}
	}

	@Test
	void malformedFileIsReportedWithPositionAndGoodFilesStillIngested(@TempDir Path dir) throws IOException {
		Path in = Files.createDirectories(dir.resolve("in"));
		Path ct = Fixtures.datasets().resolve("awsdocs-examples/cloudtrail");
		Files.copy(ct.resolve("cloudtrail-log-file-examples.block07.INVALID-JSON.txt"), in.resolve("bad.json"));
		Files.copy(ct.resolve("cloudtrail-log-file-examples.block02.json"), in.resolve("good.json"));
		Files.copy(Fixtures.stratus("aws.defense-evasion.cloudtrail-stop"), in.resolve("stop.json"));
		try (EvidenceStore store = EvidenceStore.open(dir.resolve("store"))) {
			IngestReport r = ingest(store, in);
			Map<String, FileResult> byName = r.files().stream()
					.collect(Collectors.toMap(f -> Path.of(f.file()).getFileName().toString(), f -> f));
			ParseProblem p = byName.get("bad.json").problems().get(0);
			assertTrue(p.file().endsWith("bad.json"), p.toString());
			assertEquals(19, p.line(), p.toString());
			assertTrue(p.message().contains("invalid JSON"), p.toString());
			assertEquals(0, byName.get("bad.json").records());
			assertEquals(1, byName.get("good.json").records());
			assertEquals(1, byName.get("stop.json").records());
			assertTrue(r.anyFailed());
		}
	}

	@Test
	void badLineInJsonLinesIsSkippedAndTheRestIngested(@TempDir Path dir) throws IOException {
		List<String> events = Files.readAllLines(Fixtures.datasets().resolve("stratus-red-team-detonation-logs/detonation-logs/aws.credential-access.ec2-get-password-data.json"));
		String all = String.join("\n", events);
		var array = new com.fasterxml.jackson.databind.ObjectMapper().readTree(all);
		StringBuilder lines = new StringBuilder();
		lines.append(array.get(0).toString()).append('\n');
		lines.append("{\"eventName\": \"Broken\", \"eventSource\": \n");
		lines.append(array.get(1).toString()).append('\n');
		lines.append("{\"eventName\": \"NoTime\", \"eventSource\": \"iam.amazonaws.com\"}\n");
		lines.append(array.get(2).toString()).append('\n');
		Path f = Files.writeString(dir.resolve("events.jsonl"), lines);
		try (EvidenceStore store = EvidenceStore.open(dir.resolve("store"))) {
			FileResult r = ingest(store, f).files().get(0);
			assertEquals(3, r.records());
			assertEquals(2, r.problems().size(), r.problems().toString());
			assertEquals(2, r.problems().get(0).line());
			assertEquals(4, r.problems().get(1).line());
			assertTrue(r.problems().get(1).message().contains("eventTime"), r.problems().get(1).toString());
		}
	}

	@Test
	void recordsObjectAndGzipAreRead(@TempDir Path dir) throws IOException {
		Path ct = Fixtures.datasets().resolve("awsdocs-examples/cloudtrail/cloudtrail-log-file-examples.block09.json");
		Path gz = dir.resolve("AWSLogs-object.json.gz");
		try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
			Files.copy(ct, out);
		}
		try (EvidenceStore store = EvidenceStore.open(dir.resolve("store"))) {
			FileResult r = ingest(store, gz).files().get(0);
			assertEquals(Status.INGESTED, r.status());
			assertEquals(2, r.records());
		}
	}

	@Test
	void nonEvidenceInFoldersIsSkippedButNamedFilesFail(@TempDir Path dir) throws IOException {
		Path in = Files.createDirectories(dir.resolve("in"));
		Path readme = Files.writeString(in.resolve("README.txt"), "not evidence");
		try (EvidenceStore store = EvidenceStore.open(dir.resolve("store"))) {
			assertEquals(Status.SKIPPED, ingest(store, in).files().get(0).status());
			assertEquals(Status.FAILED, ingest(store, readme).files().get(0).status());
		}
	}

	@Test
	void credentialsInRecordsNeverReachTheStore(@TempDir Path dir) throws IOException {
		List<String> tokens = new java.util.ArrayList<>();
		try (var files = Files.list(Fixtures.stratus())) {
			for (Path f : files.toList()) {
				for (var ev : new com.fasterxml.jackson.databind.ObjectMapper().readTree(f.toFile())) {
					var token = ev.path("responseElements").path("credentials").path("sessionToken");
					if (token.isTextual()) {
						tokens.add(token.asText());
					}
				}
			}
		}
		assertTrue(tokens.size() >= 5, "the recordings hold session tokens: " + tokens.size());
		try (EvidenceStore store = EvidenceStore.open(dir.resolve("store"))) {
			ingest(store, Fixtures.stratus());
			long leaks = store.read(() -> {
				long n = 0;
				var it = store.dataset().asDatasetGraph().find();
				while (it.hasNext()) {
					var o = it.next().getObject();
					if (o.isLiteral() && tokens.stream().anyMatch(t -> o.getLiteralLexicalForm().contains(t))) {
						n++;
					}
				}
				return n;
			});
			assertEquals(0, leaks, "session tokens written to the store");
		}
		try (var walk = Files.walk(dir.resolve("store"))) {
			// literals are stored in the node table (nodes*.dat) and pass through the journal
			for (Path p : walk.filter(Files::isRegularFile).filter(p -> p.getFileName().toString().startsWith("nodes")
					|| p.getFileName().toString().startsWith("journal")).toList()) {
				String bytes = new String(Files.readAllBytes(p), java.nio.charset.StandardCharsets.ISO_8859_1);
				assertTrue(tokens.stream().noneMatch(t -> bytes.contains(t.substring(0, 40))), "token on disk in " + p);
			}
		}
	}

	@Test
	void truncatedGzipKeepsTheRecordsBeforeTheCut(@TempDir Path dir) throws IOException {
		Path whole = dir.resolve("whole.json.gz");
		try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(whole))) {
			Files.copy(Fixtures.stratus("aws.credential-access.ec2-steal-instance-credentials"), out);
		}
		byte[] bytes = Files.readAllBytes(whole);
		Path cut = Files.write(dir.resolve("cut.json.gz"), java.util.Arrays.copyOf(bytes, bytes.length * 2 / 3));
		try (EvidenceStore store = EvidenceStore.open(dir.resolve("store"))) {
			FileResult r = ingest(store, cut).files().get(0);
			assertEquals(Status.INGESTED, r.status(), r.problems().toString());
			assertTrue(r.records() > 10 && r.records() < 45, "records before the cut: " + r.records());
			assertTrue(r.problems().get(0).message().contains("ends early"), r.problems().toString());
		}
	}

	@Test
	void theSameFileTwiceInOneRunIsOneSource(@TempDir Path dir) throws IOException {
		Path in = Files.createDirectories(dir.resolve("in"));
		Files.copy(Fixtures.stratus("aws.defense-evasion.cloudtrail-stop"), in.resolve("a.json"));
		Files.copy(Fixtures.stratus("aws.defense-evasion.cloudtrail-stop"), in.resolve("b.json"));
		try (EvidenceStore store = EvidenceStore.open(dir.resolve("store"))) {
			List<FileResult> r = ingest(store, in).files();
			assertEquals(Status.INGESTED, r.get(0).status());
			assertEquals(Status.ALREADY_PRESENT, r.get(1).status());
			assertEquals(1, new dev.loupe.core.store.Sources(store).list().size());
		}
	}
}
