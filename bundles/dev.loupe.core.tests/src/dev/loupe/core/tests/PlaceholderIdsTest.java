package dev.loupe.core.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import org.eclipse.core.runtime.NullProgressMonitor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.loupe.core.reason.Findings;
import dev.loupe.core.reason.Reasoner;
import dev.loupe.core.reason.RuleSet;
import dev.loupe.core.store.EvidenceStore;

/**
 * Recordings whose eventIDs and requestIDs are placeholders: every call is still an event of its own, the same
 * signals come out as with the real IDs, and the same calls delivered again add nothing. Stratus's batch retrieval
 * of secrets makes four calls in one second with the same parameters: only the eventIDs told them apart.
 */
class PlaceholderIdsTest {
	static final ObjectMapper JSON = new ObjectMapper();
	static final String NIL = "00000000-0000-0000-0000-000000000000";

	/** The Stratus recordings with every eventID and requestID replaced by {@code id}, one file each. */
	static Path withIds(Path dir, String id) throws IOException {
		Path out = Files.createDirectories(dir);
		try (var files = Files.list(Fixtures.stratus())) {
			for (Path f : files.filter(p -> p.toString().endsWith(".json")).toList()) {
				ArrayNode records = (ArrayNode) JSON.readTree(f.toFile());
				records.forEach(r -> ((ObjectNode) r).put("eventID", id).put("requestID", id));
				JSON.writeValue(out.resolve(f.getFileName().toString()).toFile(), records);
			}
		}
		return out;
	}

	static long events(EvidenceStore store) {
		return CloudWatchLogsTest.count(store, "ApiCall");
	}

	/** How many signals each detector raised. */
	static Map<String, Long> signals(EvidenceStore store) throws IOException {
		new Reasoner(store).run(RuleSet.load(null), new NullProgressMonitor());
		return new Findings(store).signals("en").stream()
				.collect(Collectors.groupingBy(Findings.Signal::detectorLabel, TreeMap::new, Collectors.counting()));
	}

	@Test
	void everyCallIsAnEventAndTheSignalsAreThoseOfTheRealIds(@TempDir Path dir) throws IOException {
		Map<String, Long> real;
		try (EvidenceStore store = EvidenceStore.open(dir.resolve("real"))) {
			IngestTest.ingest(store, Fixtures.stratus());
			assertEquals(Fixtures.stratusEventTotal(), events(store));
			real = signals(store);
		}
		for (String id : new String[] { NIL, "EXAMPLE", "6b8f2ab1-0e5d-4a5c-9c3e-2f1d7a9b0c11" }) {
			try (EvidenceStore store = EvidenceStore.open(dir.resolve("store-" + id))) {
				IngestTest.ingest(store, withIds(dir.resolve("in-" + id), id));
				assertEquals(Fixtures.stratusEventTotal(), events(store), id);
				assertEquals(real, signals(store), id);
			}
		}
	}

	@Test
	void theSameCallsDeliveredAgainAddNothing(@TempDir Path dir) throws IOException {
		Path batch = withIds(dir.resolve("in"), NIL).resolve("aws.credential-access.secretsmanager-batch-retrieve-secrets.json");
		ArrayNode records = (ArrayNode) JSON.readTree(batch.toFile());
		// the same calls as JSON lines, newest first (as LookupEvents lists them): other bytes, the same calls
		StringBuilder lines = new StringBuilder();
		for (int i = records.size() - 1; i >= 0; i--) {
			lines.append(JSON.writeValueAsString(records.get(i))).append('\n');
		}
		Path again = Files.writeString(dir.resolve("again.jsonl"), lines);
		try (EvidenceStore store = EvidenceStore.open(dir.resolve("store"))) {
			IngestTest.ingest(store, batch);
			assertEquals(records.size(), events(store));
			IngestTest.ingest(store, again);
			assertEquals(records.size(), events(store));
		}
	}

	@Test
	void aRecordTwiceWithItsRealIdIsOneCall(@TempDir Path dir) throws IOException {
		ArrayNode records = (ArrayNode) JSON.readTree(Fixtures.stratus("aws.defense-evasion.cloudtrail-stop").toFile());
		ArrayNode twice = JSON.createArrayNode().addAll(records).addAll(records.deepCopy());
		Path file = dir.resolve("overlapping-exports.json");
		JSON.writeValue(file.toFile(), twice);
		try (EvidenceStore store = EvidenceStore.open(dir.resolve("store"))) {
			IngestTest.ingest(store, file);
			assertEquals(records.size(), events(store));
		}
	}
}
