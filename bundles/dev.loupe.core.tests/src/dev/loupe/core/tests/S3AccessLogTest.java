package dev.loupe.core.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.loupe.core.ingest.FileResult;
import dev.loupe.core.ingest.FileResult.Status;
import dev.loupe.core.store.EvidenceStore;

/**
 * S3 server access logs: Panther's S3 access test events (../shared/datasets/panther-analysis), written back as
 * the lines S3 delivers, become API calls named as CloudTrail names them, by the principal CloudTrail would name
 * (so a download seen only here joins that principal's activity); a damaged line is named and the others kept.
 */
class S3AccessLogTest {
	static final ObjectMapper JSON = new ObjectMapper();
	static final DateTimeFormatter PANTHER = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss[.SSSSSSSSS][.SSS]");
	static final DateTimeFormatter S3 = DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss", Locale.ENGLISH);

	/** Panther's normalised record as the line S3 wrote: fields in the documented order, "-" when absent. */
	static String line(JsonNode l) {
		String time = "[" + LocalDateTime.parse(l.path("time").asText(), PANTHER).format(S3) + " +0000]";
		return String.join(" ", f(l, "bucketowner"), f(l, "bucket"), time, f(l, "remoteip"), f(l, "requester"),
				f(l, "requestid"), f(l, "operation"), f(l, "key"), q(l, "requesturi"), f(l, "httpstatus"), f(l, "errorcode"),
				f(l, "bytessent"), f(l, "objectsize"), f(l, "totaltime"), f(l, "turnaroundtime"), q(l, "referrer"),
				q(l, "useragent"), f(l, "versionid"), f(l, "hostid"), f(l, "signatureversion"), f(l, "ciphersuite"),
				f(l, "authenticationtype"), f(l, "hostheader"), f(l, "tlsVersion"));
	}

	private static String f(JsonNode l, String name) {
		return l.hasNonNull(name) ? l.get(name).asText() : "-";
	}

	private static String q(JsonNode l, String name) {
		return "\"" + f(l, name) + "\"";
	}

	@Test
	void accessLogLinesAreCallsOfTheirRequesters(@TempDir Path dir) throws IOException {
		List<String> lines = new ArrayList<>();
		for (String json : Files.readAllLines(Fixtures.datasets().resolve("panther-analysis/rule-tests/panther_rule_tests.AWS.S3ServerAccess.jsonl"))) {
			JsonNode log = JSON.readTree(json).get("log");
			// some test events keep only the fields one rule reads: without a time and an operation there is no line
			if (log.hasNonNull("time") && log.hasNonNull("operation")) {
				lines.add(line(log));
			}
		}
		assertEquals(11, lines.size());
		List<String> withBad = new ArrayList<>(lines);
		withBad.add(3, lines.get(0).replace("[21/Jun/2020:20:41:25 +0000]", "[2020-06-21T20:41:25Z]"));
		Path log = Files.write(dir.resolve("2020-06-21-20-41-25-0123456789ABCDEF"), withBad);
		try (EvidenceStore store = EvidenceStore.open(dir.resolve("store"))) {
			var report = IngestTest.ingest(store, log);
			FileResult f = report.files().get(0);
			assertEquals(Status.INGESTED, f.status(), f.toString());
			assertEquals("s3-access", f.format());
			assertEquals(11, f.records(), f.problems().toString());
			assertEquals(1, f.problems().size());
			assertTrue(f.problems().get(0).toString().contains(":4: record 4: time \"2020-06-21T20:41:25Z\" is not like"),
					f.problems().toString());
			assertEquals(11, GuardDutyTest.select(store, "e", "?e a loupe:S3AccessRecord ; a loupe:ApiCall").size());
			assertEquals(5, GuardDutyTest.select(store, "e", "?e a loupe:S3AccessRecord ; loupe:eventName \"GetObject\"").size());
			// the user's calls are the same principal CloudTrail names by this ARN, with the error and the bytes sent
			assertEquals(List.of("jim-bob"), GuardDutyTest.select(store, "l",
					"?e a loupe:S3AccessRecord ; loupe:actor ?a . ?a a loupe:IamUser ; rdfs:label ?l ;"
							+ " loupe:arn \"arn:aws:iam::123456789012:user/jim-bob\""));
			assertEquals(List.of("eagle"), GuardDutyTest.select(store, "l",
					"?e a loupe:S3AccessRecord ; loupe:actor ?s . ?s a loupe:RoleSession ; loupe:sessionOf ?r . ?r rdfs:label ?l"
							+ " FILTER (?l = \"eagle\")"));
			assertEquals(List.of("SignatureDoesNotMatch"), GuardDutyTest.select(store, "c",
					"?e a loupe:S3AccessRecord ; loupe:errorCode ?c ; loupe:bytesSent ?b ; loupe:qualifier \"outcome:failed\" FILTER (?b = 9438)"));
			assertEquals(List.of("us-west-2"), GuardDutyTest.select(store, "r",
					"?e loupe:bytesSent ?b ; loupe:inRegion ?reg . ?reg loupe:regionName ?r FILTER (?b = 9438)"));
			GuardDutyTest.assertConforms(store, report);
			// delivered twice, the same requests add nothing
			Path again = Files.write(dir.resolve("again.log"), lines);
			IngestTest.ingest(store, again);
			assertEquals(11, GuardDutyTest.select(store, "e", "?e a loupe:S3AccessRecord").size());
		}
	}

	/** A ransom note seen only in a bucket's access log (CloudTrail data events off) is the same signal. */
	@Test
	void aRansomNoteInTheAccessLogIsASignal(@TempDir Path dir) throws IOException {
		String line = "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be acme-data [04/Jun/2025:03:15:%02d +0000]"
				+ " 203.0.113.200 arn:aws:iam::123456789012:user/data-sync 3E57427F3EXAMPL%d REST.PUT.OBJECT %s"
				+ " \"PUT /acme-data/%s HTTP/1.1\" 200 - - 2048 70 10 \"-\" \"Boto3/1.34.84\" -"
				+ " s9lzHYrFp76ZVxRcpX9+5cjAnEH2ROuNkd2BHfIa6UkFVdtjf5mKR3/eTPFvsiP/XV/VLi31234= SigV4 ECDHE-RSA-AES128-GCM-SHA256"
				+ " AuthHeader acme-data.s3.eu-west-1.amazonaws.com TLSv1.2";
		List<String> lines = new ArrayList<>();
		String[] keys = { "customers/HOW_TO_DECRYPT_FILES.txt", "HOW%20TO%20DECRYPT%20FILES.txt", "reports/quarterly-report.pdf" };
		for (int i = 0; i < keys.length; i++) {
			lines.add(String.format(line, 20 + i, i, keys[i], keys[i]));
		}
		Path log = Files.write(dir.resolve("2025-06-04-03-16-00-0123456789ABCDEF"), lines);
		try (EvidenceStore store = ScenarioTest.reasoned(dir, log)) {
			List<dev.loupe.core.reason.Findings.Signal> notes = new dev.loupe.core.reason.Findings(store).signals("en").stream()
					.filter(x -> x.detector().endsWith("/s3-ransom-note")).toList();
			assertEquals(List.of(2L), notes.stream().map(dev.loupe.core.reason.Findings.Signal::burstSize).toList(), notes.toString());
			assertTrue(notes.get(0).actor().endsWith(":user/data-sync"), notes.toString());
		}
	}
}
