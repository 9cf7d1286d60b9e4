package dev.loupe.core.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.loupe.core.ingest.FileResult;
import dev.loupe.core.ingest.FileResult.Status;
import dev.loupe.core.ingest.IngestReport;
import dev.loupe.core.store.EvidenceStore;

/**
 * Kubernetes audit events (the JSON EKS writes to CloudWatch Logs) from Falco's trace files: single events, arrays
 * and JSON lines; the same events as a CloudWatch Logs export and as an EventList must be the very same events.
 */
class KubernetesAuditTest {
	static final ObjectMapper JSON = new ObjectMapper();

	static Path falco() {
		return Fixtures.datasets().resolve("falco-k8s-audit-trace-files/k8s_audit");
	}

	/** The events of one trace file, read here independently of Loupe's reader. */
	static List<JsonNode> events(Path f) throws IOException {
		List<JsonNode> out = new ArrayList<>();
		// one value, an array, or values one after another (JSON lines)
		try (var values = JSON.readerFor(JsonNode.class).<JsonNode>readValues(f.toFile())) {
			while (values.hasNext()) {
				JsonNode n = values.next();
				if (n.isArray()) {
					n.forEach(out::add);
				} else {
					out.add(n);
				}
			}
		}
		return out;
	}

	@Test
	void falcoTraceFiles(@TempDir Path dir) throws IOException {
		try (EvidenceStore store = EvidenceStore.open(dir.resolve("store"))) {
			IngestReport r = IngestTest.ingest(store, falco());
			Set<String> distinct = new HashSet<>();
			for (FileResult f : r.files()) {
				if (f.file().endsWith("fal_01_003.json")) {
					// {"kind": 0}: Falco's negative trace, not an audit event
					assertEquals(Status.SKIPPED, f.status(), f.toString());
					continue;
				}
				assertEquals(Status.INGESTED, f.status(), f.toString());
				assertEquals("k8s-audit", f.format(), f.file());
				List<JsonNode> expected = events(Path.of(f.file()));
				assertEquals(expected.size(), f.records(), f.file() + " " + f.problems());
				// (two of Falco's files hold one audit ID and stage for requests of different users: two events)
				expected.forEach(e -> distinct.add(e.path("auditID").asText() + "|" + e.path("stage").asText() + "|"
						+ e.path("requestReceivedTimestamp").asText() + "|" + e.path("verb").asText() + "|" + e.path("user").path("username").asText()
						+ "|" + e.path("requestURI").asText()));
			}
			assertEquals(distinct.size(), GuardDutyTest.select(store, "e", "?e a loupe:KubernetesAuditEvent").size());
			String exec = "?e loupe:k8sResource \"pods/exec\" ; ";
			assertTrue(GuardDutyTest.select(store, "e", exec + "loupe:eventName \"create\"").size() >= 1);
			assertTrue(GuardDutyTest.select(store, "p", exec + "loupe:target/loupe:podName ?p").size() >= 1);
			assertTrue(GuardDutyTest.select(store, "u", "?e a loupe:KubernetesAuditEvent ; loupe:actor/rdfs:label ?u")
					.contains("minikube-user"));
			GuardDutyTest.assertConforms(store, r);
		}
	}

	@Test
	void cloudWatchExportsAndEventListsAreTheSameEvents(@TempDir Path dir) throws IOException {
		List<JsonNode> events = firstTenFilesEvents();
		ObjectNode export = JSON.createObjectNode();
		var list = export.putArray("events");
		ObjectNode eventList = JSON.createObjectNode().put("kind", "EventList").put("apiVersion", "audit.k8s.io/v1");
		var items = eventList.putArray("items");
		for (JsonNode e : events) {
			list.addObject().put("logStreamName", "kube-apiserver-audit-0123456789abcdef").put("timestamp", 1540559256905L)
					.put("message", JSON.writeValueAsString(e)).put("ingestionTime", 1540559257000L);
			items.add(e);
		}
		Path cw = Files.writeString(dir.resolve("filter-log-events.json"), JSON.writeValueAsString(export));
		Path el = Files.writeString(dir.resolve("eventlist.json"), JSON.writeValueAsString(eventList));
		try (EvidenceStore store = EvidenceStore.open(dir.resolve("store"))) {
			for (Path p : List.of(cw, el)) {
				FileResult f = IngestTest.ingest(store, p).files().get(0);
				assertEquals(Status.INGESTED, f.status(), f.toString());
				assertEquals(events.size(), f.records(), f.problems().toString());
			}
			long before = GuardDutyTest.select(store, "e", "?e a loupe:KubernetesAuditEvent").size();
			try (var files = Files.list(falco())) {
				IngestTest.ingest(store, files.sorted().limit(10).toArray(Path[]::new));
			}
			assertEquals(before, GuardDutyTest.select(store, "e", "?e a loupe:KubernetesAuditEvent").size());
		}
	}

	/** Generated logs that give every event the same placeholder audit ID keep their requests apart. */
	@Test
	void placeholderAuditIdsKeepRequestsApart(@TempDir Path dir) throws IOException {
		List<JsonNode> events = firstTenFilesEvents();
		StringBuilder lines = new StringBuilder();
		for (JsonNode e : events) {
			lines.append(JSON.writeValueAsString(((ObjectNode) e.deepCopy()).put("auditID", "00000000-0000-0000-0000-000000000000"))).append('\n');
		}
		try (EvidenceStore store = EvidenceStore.open(dir.resolve("store"))) {
			IngestTest.ingest(store, Files.writeString(dir.resolve("placeholders.log"), lines));
			long distinct = events.stream().map(e -> e.path("stage").asText() + e.path("requestReceivedTimestamp").asText()
					+ e.path("verb").asText() + e.path("user").path("username").asText() + e.path("requestURI").asText()).distinct().count();
			assertTrue(distinct > 1);
			assertEquals(distinct, GuardDutyTest.select(store, "e", "?e a loupe:KubernetesAuditEvent").size());
		}
	}

	/** The events of the first ten of Falco's trace files. */
	private static List<JsonNode> firstTenFilesEvents() throws IOException {
		List<JsonNode> events = new ArrayList<>();
		try (var files = Files.list(falco())) {
			for (Path f : files.sorted().limit(10).toList()) {
				events.addAll(events(f));
			}
		}
		return events;
	}
}
