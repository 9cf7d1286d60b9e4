package dev.loupe.core.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.loupe.core.ingest.FileResult;
import dev.loupe.core.ingest.FileResult.Status;
import dev.loupe.core.store.EvidenceStore;

/**
 * CloudWatch Logs pages (FilterLogEvents output, what `loupe pull logs` saves): the messages of a log group of flow
 * logs, of CloudTrail or of Resolver queries become the same facts as the same records read from their own files,
 * and a message that is not a record is named by its log event and stream while the others are still read.
 */
class CloudWatchLogsTest {
	static final ObjectMapper JSON = new ObjectMapper();

	static ObjectNode page(List<String> messages) {
		ObjectNode page = JSON.createObjectNode();
		ArrayNode events = page.putArray("events");
		long t = 1_418_530_010_000L;
		for (String m : messages) {
			events.addObject().put("logStreamName", "eni-1235b8ca123456789-all").put("timestamp", t).put("message", m)
					.put("ingestionTime", t + 60_000).put("eventId", "3" + t);
			t += 1000;
		}
		page.putArray("searchedLogStreams").addObject().put("logStreamName", "eni-1235b8ca123456789-all")
				.put("searchedCompletely", true);
		return page;
	}

	static long count(EvidenceStore store, String type) {
		return GuardDutyTest.select(store, "x", "?x a loupe:" + type).size();
	}

	@Test
	void flowLogLinesAreTheSameFlowsAndABadMessageIsNamed(@TempDir Path dir) throws IOException {
		List<String> lines = new ArrayList<>();
		List<Path> originals = new ArrayList<>();
		for (int b : new int[] { 0, 1, 4 }) {
			Path p = Fixtures.datasets().resolve(String.format("awsdocs-examples/vpc-flow-logs/flow-logs-records-examples.block%02d.txt", b));
			originals.add(p);
			Files.readAllLines(p).stream().filter(l -> !l.isBlank()).forEach(lines::add);
		}
		List<String> messages = new ArrayList<>(lines);
		messages.add(1, "2 123456789010 eni-1235b8ca123456789 172.31.16.139");
		Path cw = Files.writeString(dir.resolve("filter-log-events-00001.json"), JSON.writeValueAsString(page(messages)));
		long fromFiles;
		try (EvidenceStore store = EvidenceStore.open(dir.resolve("a"))) {
			IngestTest.ingest(store, originals.toArray(Path[]::new));
			fromFiles = count(store, "NetworkFlow");
		}
		try (EvidenceStore store = EvidenceStore.open(dir.resolve("b"))) {
			FileResult f = IngestTest.ingest(store, cw).files().get(0);
			assertEquals(Status.INGESTED, f.status(), f.toString());
			assertEquals("cloudwatch-logs", f.format());
			assertEquals(lines.size(), f.records());
			assertEquals(1, f.problems().size(), f.problems().toString());
			String problem = f.problems().get(0).toString();
			assertTrue(problem.contains("filter-log-events-00001.json:1: record 2: 4 fields, expected 14"), problem);
			assertTrue(problem.endsWith("(log event 2, log stream eni-1235b8ca123456789-all)"), problem);
			assertEquals(fromFiles, count(store, "NetworkFlow"));
			assertTrue(fromFiles > 0);
		}
	}

	@Test
	void cloudTrailAndResolverMessagesAreTheirRecords(@TempDir Path dir) throws IOException {
		Path stratus = Fixtures.datasets().resolve("stratus-red-team-detonation-logs/detonation-logs/aws.defense-evasion.cloudtrail-stop.json");
		List<String> events = new ArrayList<>();
		for (JsonNode e : JSON.readTree(stratus.toFile())) {
			events.add(JSON.writeValueAsString(e));
		}
		Path resolverFile = Fixtures.datasets().resolve("awsdocs-examples/route53-resolver/resolver-query-logs-example-json.block00.json");
		String query = JSON.writeValueAsString(JSON.readTree(resolverFile.toFile()));
		Path trail = Files.writeString(dir.resolve("trail.json"), JSON.writeValueAsString(page(events)));
		Path dns = Files.writeString(dir.resolve("dns.json"), JSON.writeValueAsString(page(List.of(query))));
		try (EvidenceStore store = EvidenceStore.open(dir.resolve("store"))) {
			for (FileResult f : IngestTest.ingest(store, trail, dns).files()) {
				assertEquals(Status.INGESTED, f.status(), f.toString());
				assertTrue(f.problems().isEmpty(), f.problems().toString());
			}
			assertEquals(events.size(), count(store, "ApiCall"));
			assertEquals(1, count(store, "DnsQuery"));
			// the same events from CloudTrail's own file are not added again
			IngestTest.ingest(store, stratus);
			assertEquals(events.size(), count(store, "ApiCall"));
		}
	}
}
