package dev.loupe.core.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.loupe.core.ingest.FileResult;
import dev.loupe.core.ingest.FileResult.Status;
import dev.loupe.core.store.EvidenceStore;

/**
 * OCSF activity records as Security Lake writes them: Panther's DNS Activity test events
 * (../shared/datasets/panther-analysis), and API and Network Activity records written from a Stratus CloudTrail
 * event and a flow log record after the OCSF 1.1 attribute names (no public sample of either exists). The API
 * Activity copy of an event is the same call as the event itself; a record missing what its class needs is named.
 */
class OcsfActivityTest {
	static final ObjectMapper JSON = new ObjectMapper();

	/** A CloudTrail event as Security Lake's API Activity record (OCSF 1.1 names). */
	static ObjectNode apiActivity(JsonNode e) {
		ObjectNode r = JSON.createObjectNode();
		r.put("class_uid", 6003).put("category_uid", 6).put("activity_id", 99)
				.put("time", Instant.parse(e.path("eventTime").asText()).toEpochMilli());
		r.putObject("metadata").put("uid", e.path("eventID").asText()).put("version", "1.1.0").putObject("product")
				.put("name", "CloudTrail").put("vendor_name", "AWS");
		r.putObject("api").put("operation", e.path("eventName").asText()).putObject("service").put("name", e.path("eventSource").asText());
		((ObjectNode) r.get("api")).putObject("request").put("uid", e.path("requestID").asText());
		r.putObject("cloud").put("provider", "AWS").put("region", e.path("awsRegion").asText()).putObject("account")
				.put("uid", e.path("recipientAccountId").asText());
		JsonNode id = e.path("userIdentity");
		ObjectNode user = r.putObject("actor").putObject("user");
		user.put("type", id.path("type").asText()).put("uid", id.path("arn").asText()).put("uid_alt", id.path("principalId").asText())
				.put("credential_uid", id.path("accessKeyId").asText());
		if (id.hasNonNull("userName")) {
			user.put("name", id.get("userName").asText());
		}
		user.putObject("account").put("uid", id.path("accountId").asText());
		r.putObject("src_endpoint").put("ip", e.path("sourceIPAddress").asText());
		r.putObject("http_request").put("user_agent", e.path("userAgent").asText());
		ObjectNode unmapped = r.putObject("unmapped");
		if (e.get("requestParameters") instanceof ObjectNode rp) {
			unmapped.put("requestParameters", rp.toString());
		}
		return r;
	}

	/**
	 * Security Lake's three activity classes: Panther's DNS Activity events, the API Activity copies of
	 * {@code events} and one Network Activity record, then an API Activity record without its API (the last line).
	 */
	static List<String> securityLakeLines(JsonNode events) throws IOException {
		List<String> lines = new ArrayList<>();
		for (String l : Files.readAllLines(Fixtures.datasets().resolve("panther-analysis/rule-tests/panther_rule_tests.OCSF.DnsActivity.jsonl"))) {
			lines.add(JSON.readTree(l).get("log").toString());
		}
		for (JsonNode e : events) {
			lines.add(apiActivity(e).toString());
		}
		ObjectNode flow = JSON.createObjectNode().put("class_uid", 4001).put("time", 1418530010000L).put("start_time", 1418530010000L)
				.put("end_time", 1418530070000L).put("status_code", "OK").put("disposition", "Allowed");
		flow.putObject("cloud").put("region", "us-east-1").putObject("account").put("uid", "123456789010");
		flow.putObject("src_endpoint").put("ip", "172.31.16.139").put("port", 20641).put("interface_uid", "eni-1235b8ca123456789")
				.put("instance_uid", "i-0123456789abcdef0").put("vpc_uid", "vpc-0a1b2c3d");
		flow.putObject("dst_endpoint").put("ip", "203.0.113.12").put("port", 443);
		flow.putObject("connection_info").put("protocol_num", 6).put("direction", "Outbound");
		flow.putObject("traffic").put("bytes", 4249).put("packets", 20);
		lines.add(flow.toString());
		lines.add(JSON.createObjectNode().put("class_uid", 6003).put("time", 1722430000000L).toString());
		return lines;
	}

	@Test
	void securityLakeActivityIsReadAsItsSource(@TempDir Path dir) throws IOException {
		Path trailFile = Fixtures.stratus("aws.persistence.iam-create-admin-user");
		JsonNode events = JSON.readTree(trailFile.toFile());
		List<String> lines = securityLakeLines(events);
		Path lake = Files.write(dir.resolve("security-lake-export.jsonl"), lines);
		try (EvidenceStore store = EvidenceStore.open(dir.resolve("store"))) {
			var report = IngestTest.ingest(store, lake);
			assertSecurityLakeFacts(store, report, "ocsf-activity", lines.size(), events.size());
			// the events from CloudTrail itself are the calls the OCSF copies already made
			IngestTest.ingest(store, trailFile);
			assertEquals(events.size(), GuardDutyTest.select(store, "e", "?e a loupe:ApiCall").size());
		}
	}

	/**
	 * What the records of {@link #securityLakeLines} give, read from one file of {@code format}: all but the last
	 * (named as the record that lacks its API), Panther's DNS queries, the flow and the calls of {@code calls} events.
	 */
	static void assertSecurityLakeFacts(EvidenceStore store, dev.loupe.core.ingest.IngestReport report, String format, int lines,
			int calls) {
		FileResult f = report.files().get(0);
		assertEquals(Status.INGESTED, f.status(), f.toString());
		assertEquals(format, f.format());
		assertEquals(lines - 1, f.records(), f.problems().toString());
		assertEquals(1, f.problems().size(), f.problems().toString());
		assertTrue(f.problems().get(0).toString().contains(": record " + lines + ": missing api.operation or api.service.name"),
				f.problems().toString());
		GuardDutyTest.assertConforms(store, report);
		assertEquals(List.of("dynamodb.us-west-2.amazonaws.com", "moneropool.ru"), GuardDutyTest.select(store, "n",
				"?q a loupe:DnsQuery ; loupe:queryName/loupe:domainName ?n ; loupe:ofInstance/loupe:instanceId \"i-0abc234\""));
		assertEquals(List.of("4249"), GuardDutyTest.select(store, "b",
				"?f a loupe:NetworkFlow ; loupe:bytes ?b ; loupe:flowAction \"ACCEPT\" ; loupe:ofInstance/loupe:instanceId \"i-0123456789abcdef0\""));
		assertEquals(calls, GuardDutyTest.select(store, "e", "?e a loupe:ApiCall").size());
		assertEquals(List.of("christophe"), GuardDutyTest.select(store, "l", "?e a loupe:ApiCall ; loupe:actor/rdfs:label ?l"));
	}
}
