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
 * CloudTrail events in the wrappers other tools put around them: EventBridge, LookupEvents, CloudTrail Lake query
 * results, pipelines that renamed eventTime to @timestamp; digest files recognised and set aside. Every copy of a
 * Stratus recording must give the very events (same IRIs) the recording gives.
 */
class CloudTrailShapesTest {
	static final ObjectMapper JSON = new ObjectMapper();
	static final String TECHNIQUE = "aws.persistence.iam-create-admin-user";

	static List<ObjectNode> events() throws IOException {
		List<ObjectNode> out = new ArrayList<>();
		JSON.readTree(Fixtures.stratus(TECHNIQUE).toFile()).forEach(e -> out.add((ObjectNode) e));
		return out;
	}

	static long apiCalls(EvidenceStore store) {
		return GuardDutyTest.select(store, "e", "?e a loupe:ApiCall").size();
	}

	static void assertSameEventsAsTheRecording(Path copy, String format, Path dir) throws IOException {
		try (EvidenceStore store = EvidenceStore.open(dir.resolve("store-" + copy.getFileName()))) {
			FileResult r = IngestTest.ingest(store, copy).files().get(0);
			assertEquals(Status.INGESTED, r.status(), r.toString());
			assertEquals(format, r.format());
			assertEquals(events().size(), r.records(), r.problems().toString());
			assertEquals(0, r.errors(), r.problems().toString());
			IngestTest.ingest(store, Fixtures.stratus(TECHNIQUE));
			assertEquals(events().size(), apiCalls(store), "the copy and the recording name the same events");
		}
	}

	@Test
	void eventBridgeEnvelopes(@TempDir Path dir) throws IOException {
		StringBuilder lines = new StringBuilder();
		for (ObjectNode e : events()) {
			ObjectNode env = JSON.createObjectNode();
			env.put("version", "0").put("id", "6a7e8feb-b491-4cf7-a9f1-bf3703467718")
					.put("detail-type", "AWS API Call via CloudTrail").put("source", "aws.iam")
					.put("account", e.path("recipientAccountId").asText()).put("time", e.get("eventTime").asText())
					.put("region", e.get("awsRegion").asText());
			env.putArray("resources");
			env.set("detail", e);
			lines.append(JSON.writeValueAsString(env)).append('\n');
		}
		assertSameEventsAsTheRecording(Files.writeString(dir.resolve("eventbridge.jsonl"), lines), "cloudtrail", dir);
		// the same events through Firehose to S3: one after the other, nothing between them
		assertSameEventsAsTheRecording(Files.writeString(dir.resolve("firehose-eventbridge"), lines.toString().replace("\n", "")),
				"cloudtrail", dir);
	}

	/**
	 * Tables that fold column names (Athena's CloudTrail table, Snowflake and the data lakes on it, Panther's
	 * among them) give the events with lowercase names, the request and response as JSON text and the time
	 * without its zone.
	 */
	@Test
	void lowercasedNamesOfTables(@TempDir Path dir) throws IOException {
		StringBuilder lines = new StringBuilder();
		for (ObjectNode e : events()) {
			ObjectNode folded = (ObjectNode) lowercased(e);
			for (String text : new String[] { "requestparameters", "responseelements" }) {
				if (folded.get(text) instanceof ObjectNode o) {
					folded.put(text, JSON.writeValueAsString(e.get(text.equals("requestparameters") ? "requestParameters" : "responseElements")));
				}
			}
			folded.put("eventtime", e.get("eventTime").asText().replace('T', ' ').replace("Z", ""));
			folded.put("p_log_type", "AWS.CloudTrail");
			lines.append(JSON.writeValueAsString(folded)).append('\n');
		}
		assertTrue(lines.indexOf("\"useridentity\":{") >= 0 && lines.indexOf("eventName") < 0, lines.substring(0, 300));
		assertSameEventsAsTheRecording(Files.writeString(dir.resolve("athena.jsonl"), lines), "cloudtrail", dir);
	}

	/** Every field name lowercased, at every depth (what a service wrote inside the request too: it is text above). */
	private static com.fasterxml.jackson.databind.JsonNode lowercased(com.fasterxml.jackson.databind.JsonNode n) {
		if (n instanceof ObjectNode o) {
			ObjectNode out = JSON.createObjectNode();
			o.properties().forEach(f -> out.set(f.getKey().toLowerCase(java.util.Locale.ROOT), lowercased(f.getValue())));
			return out;
		}
		if (n instanceof ArrayNode a) {
			ArrayNode out = JSON.createArrayNode();
			a.forEach(i -> out.add(lowercased(i)));
			return out;
		}
		return n;
	}

	@Test
	void pipelineTimestamps(@TempDir Path dir) throws IOException {
		ArrayNode all = JSON.createArrayNode();
		for (ObjectNode e : events()) {
			e.set("@timestamp", e.remove("eventTime"));
			all.add(e);
		}
		assertSameEventsAsTheRecording(Files.writeString(dir.resolve("pipeline.json"), JSON.writeValueAsString(all)),
				"cloudtrail", dir);
	}

	@Test
	void cloudWatchLogsExportToS3(@TempDir Path dir) throws IOException {
		// a trail sent to a log group, then exported (CreateExportTask): gzipped, each event after its timestamp
		StringBuilder lines = new StringBuilder();
		for (ObjectNode e : events()) {
			lines.append(e.get("eventTime").asText().replace("Z", ".000Z")).append(' ').append(JSON.writeValueAsString(e)).append('\n');
		}
		assertSameEventsAsTheRecording(gzip(dir.resolve("000000.gz"), lines), "cloudtrail", dir);
	}

	@Test
	void cloudWatchLogsSubscriptionThroughFirehose(@TempDir Path dir) throws IOException {
		// a trail sent to a log group, its subscription filter to Firehose, Firehose to S3: records concatenated
		// without a separator, the first a check of the destination
		StringBuilder out = new StringBuilder();
		ObjectNode control = JSON.createObjectNode().put("messageType", "CONTROL_MESSAGE").put("owner", "CloudwatchLogs")
				.put("logGroup", "").put("logStream", "");
		control.putArray("subscriptionFilters");
		control.putArray("logEvents").addObject().put("id", "").put("timestamp", 1722519000000L)
				.put("message", "CWL CONTROL MESSAGE: Checking health of destination Firehose.");
		out.append(JSON.writeValueAsString(control));
		List<ObjectNode> events = events();
		for (List<ObjectNode> part : List.of(events.subList(0, events.size() / 2), events.subList(events.size() / 2, events.size()))) {
			ObjectNode data = JSON.createObjectNode().put("messageType", "DATA_MESSAGE").put("owner", "111122223333")
					.put("logGroup", "aws-cloudtrail-logs-111122223333").put("logStream", "111122223333_CloudTrail_us-east-1");
			data.putArray("subscriptionFilters").add("to-firehose");
			ArrayNode logEvents = data.putArray("logEvents");
			for (ObjectNode e : part) {
				logEvents.addObject().put("id", e.get("eventID").asText()).put("timestamp", 1722519000000L)
						.put("message", JSON.writeValueAsString(e));
			}
			out.append(JSON.writeValueAsString(data));
		}
		assertSameEventsAsTheRecording(gzip(dir.resolve("firehose-1-2024-08-01-13-35-00-abc.gz"), out), "cloudwatch-logs", dir);
	}

	private static Path gzip(Path file, CharSequence text) throws IOException {
		try (java.io.OutputStream o = new java.util.zip.GZIPOutputStream(Files.newOutputStream(file))) {
			o.write(text.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
		}
		return file;
	}

	@Test
	void textWithAByteOrderMark(@TempDir Path dir) throws IOException {
		String recording = Files.readString(Fixtures.stratus(TECHNIQUE));
		// as Windows tools save it: UTF-8 with a byte order mark, and PowerShell 5's `aws ... > file` in UTF-16
		assertSameEventsAsTheRecording(Files.writeString(dir.resolve("utf8-bom.json"), "\uFEFF" + recording), "cloudtrail", dir);
		assertSameEventsAsTheRecording(Files.writeString(dir.resolve("utf16le.json"), "\uFEFF" + recording,
				java.nio.charset.StandardCharsets.UTF_16LE), "cloudtrail", dir);
		assertSameEventsAsTheRecording(Files.writeString(dir.resolve("utf16be.json"), "\uFEFF" + recording,
				java.nio.charset.StandardCharsets.UTF_16BE), "cloudtrail", dir);
	}

	@Test
	void recordsAfterOtherKeys(@TempDir Path dir) throws IOException {
		// a tool's copy that puts its own keys before the records, pretty-printed and on one line
		ObjectNode copy = JSON.createObjectNode().put("exportedBy", "incident-bot").put("NextToken", "abc");
		ArrayNode records = copy.putArray("Records");
		events().forEach(records::add);
		assertSameEventsAsTheRecording(Files.writeString(dir.resolve("pretty.json"), JSON.writerWithDefaultPrettyPrinter()
				.writeValueAsString(copy)), "cloudtrail", dir);
		assertSameEventsAsTheRecording(Files.writeString(dir.resolve("one-line.json"), JSON.writeValueAsString(copy)), "cloudtrail", dir);
	}

	@Test
	void deliveriesPutOneAfterTheOther(@TempDir Path dir) throws IOException {
		// `zcat *.json.gz > all.json`: several S3 deliveries in one file, with and without a line between them
		List<ObjectNode> events = events();
		StringBuilder joined = new StringBuilder();
		for (int i = 0; i < events.size(); i++) {
			ObjectNode delivery = JSON.createObjectNode();
			delivery.putArray("Records").add(events.get(i));
			joined.append(JSON.writeValueAsString(delivery)).append(i % 2 == 0 ? "" : "\n");
		}
		assertSameEventsAsTheRecording(Files.writeString(dir.resolve("all.json"), joined), "cloudtrail", dir);
	}

	@Test
	void siemExports(@TempDir Path dir) throws IOException {
		StringBuilder splunk = new StringBuilder();
		StringBuilder elastic = new StringBuilder();
		int offset = 0;
		for (ObjectNode e : events()) {
			// Splunk's export (output_mode=json): the event as its raw text
			ObjectNode result = JSON.createObjectNode().put("preview", false).put("offset", offset++);
			result.putObject("result").put("_raw", JSON.writeValueAsString(e)).put("_time", e.get("eventTime").asText())
					.put("sourcetype", "aws:cloudtrail");
			splunk.append(JSON.writeValueAsString(result)).append('\n');
			// an Elasticsearch hit of an index that kept the event as it was
			ObjectNode hit = JSON.createObjectNode().put("_index", "cloudtrail-2024.08").put("_id", e.get("eventID").asText());
			hit.set("_source", e);
			elastic.append(JSON.writeValueAsString(hit)).append('\n');
		}
		assertSameEventsAsTheRecording(Files.writeString(dir.resolve("splunk-export.json"), splunk), "cloudtrail", dir);
		assertSameEventsAsTheRecording(Files.writeString(dir.resolve("elastic-hits.ndjson"), elastic), "cloudtrail", dir);
	}

	@Test
	void lookupEventsOutput(@TempDir Path dir) throws IOException {
		ObjectNode out = JSON.createObjectNode();
		ArrayNode list = out.putArray("Events");
		for (ObjectNode e : events()) {
			ObjectNode entry = list.addObject();
			entry.put("EventId", e.path("eventID").asText()).put("EventName", e.get("eventName").asText())
					.put("ReadOnly", "false").put("EventSource", e.get("eventSource").asText())
					.put("CloudTrailEvent", JSON.writeValueAsString(e));
		}
		assertSameEventsAsTheRecording(Files.writeString(dir.resolve("lookup.json"), JSON.writeValueAsString(out)),
				"cloudtrail", dir);

		// the AWS CLI's own example: one console sign-in
		try (EvidenceStore store = EvidenceStore.open(dir.resolve("cli"))) {
			FileResult r = IngestTest.ingest(store, Fixtures.datasets().resolve("aws-cli-examples/cloudtrail_lookup-events.output0.json"))
					.files().get(0);
			assertEquals(1, r.records(), r.toString());
			assertEquals(List.of("ConsoleLogin"), GuardDutyTest.select(store, "n", "?e loupe:eventName ?n"));
		}
	}

	@Test
	void lakeQueryResults(@TempDir Path dir) throws IOException {
		ObjectNode out = JSON.createObjectNode();
		ArrayNode rows = out.putArray("QueryResultRows");
		for (ObjectNode e : events()) {
			ArrayNode row = rows.addArray();
			for (String column : new String[] { "eventVersion", "eventID", "eventTime", "eventSource", "eventName", "awsRegion",
					"sourceIPAddress", "userAgent", "requestID", "recipientAccountId", "userIdentity", "requestParameters",
					"additionalEventData", "errorCode" }) {
				JsonNode v = e.get(column);
				if (v != null) {
					// Lake returns maps as JSON text
					row.addObject().put(column, v.isObject() ? JSON.writeValueAsString(v) : v.asText());
				}
			}
		}
		out.put("QueryStatus", "FINISHED");
		assertSameEventsAsTheRecording(Files.writeString(dir.resolve("lake.json"), JSON.writeValueAsString(out)),
				"cloudtrail", dir);
	}

	@Test
	void digestFilesAreRecognisedNotRead(@TempDir Path dir) throws IOException {
		String digest = "{\"awsAccountId\":\"111122223333\",\"digestStartTime\":\"2024-07-31T12:00:00Z\","
				+ "\"digestEndTime\":\"2024-07-31T13:00:00Z\",\"digestS3Bucket\":\"trail-bucket\","
				+ "\"digestPublicKeyFingerprint\":\"a4d2c1b8e3f09c7d5e6f7a8b9c0d1e2f\",\"digestSignatureAlgorithm\":\"SHA256withRSA\","
				+ "\"logFiles\":[{\"s3Bucket\":\"trail-bucket\",\"s3Object\":\"AWSLogs/111122223333/CloudTrail/us-east-1/x.json.gz\","
				+ "\"hashValue\":\"00\",\"hashAlgorithm\":\"SHA-256\",\"newestEventTime\":\"2024-07-31T12:59:00Z\","
				+ "\"oldestEventTime\":\"2024-07-31T12:01:00Z\"}]}";
		Path f = Files.writeString(dir.resolve("111122223333_CloudTrail-Digest_us-east-1_x.json"), digest);
		try (EvidenceStore store = EvidenceStore.open(dir.resolve("store"))) {
			FileResult r = IngestTest.ingest(store, f).files().get(0);
			assertEquals(Status.SKIPPED, r.status());
			assertEquals("cloudtrail-digest", r.format());
			assertTrue(r.problems().get(0).message().contains("digest"));
		}
	}
}
