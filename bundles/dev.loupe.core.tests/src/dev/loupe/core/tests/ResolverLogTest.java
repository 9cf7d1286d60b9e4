package dev.loupe.core.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.loupe.core.ingest.FileResult;
import dev.loupe.core.ingest.FileResult.Status;
import dev.loupe.core.ingest.IngestReport;
import dev.loupe.core.store.EvidenceStore;

/**
 * Route 53 Resolver query logs: the AWS documentation's example record, and the 13 VPC DNS events of Panther's
 * rule tests (their "log" objects, as JSON lines: times without a zone, answers as one object, DNS names with
 * and without the final dot).
 */
class ResolverLogTest {
	@Test
	void documentationExample(@TempDir Path dir) throws IOException {
		try (EvidenceStore store = EvidenceStore.open(dir.resolve("store"))) {
			IngestReport r = IngestTest.ingest(store,
					Fixtures.datasets().resolve("awsdocs-examples/route53-resolver/resolver-query-logs-example-json.block00.json"));
			FileResult f = r.files().get(0);
			assertEquals("route53-resolver", f.format());
			assertEquals(1, f.records());
			String q = "?q a loupe:DnsQuery ; ";
			assertEquals(List.of("15.3.4.32.in-addr.arpa"), GuardDutyTest.select(store, "n", q + "loupe:queryName/loupe:domainName ?n"));
			assertEquals(List.of("i-0d15cd0d3example"), GuardDutyTest.select(store, "i", q + "loupe:ofInstance/loupe:instanceId ?i"));
			assertEquals(List.of("4.5.64.102"), GuardDutyTest.select(store, "a", q + "loupe:srcAddress/loupe:address ?a"));
			assertEquals(List.of("203.0.113.9"), GuardDutyTest.select(store, "a", q + "loupe:answer ?a"));
			assertEquals(List.of("2021-02-04T17:51:55Z"), GuardDutyTest.select(store, "t", q + "loupe:eventTime ?t"));
			assertEquals(List.of("PTR"), GuardDutyTest.select(store, "t", q + "loupe:queryType ?t"));
			GuardDutyTest.assertConforms(store, r);
		}
	}

	@Test
	void pantherRuleTestEvents(@TempDir Path dir) throws IOException {
		ObjectMapper json = new ObjectMapper();
		List<String> lines = new ArrayList<>();
		TreeSet<String> names = new TreeSet<>();
		for (String l : Files.readAllLines(Fixtures.datasets().resolve("panther-analysis/rule-tests/panther_rule_tests.AWS.VPCDns.jsonl"))) {
			JsonNode log = json.readTree(l).get("log");
			lines.add(json.writeValueAsString(log));
			String n = log.get("query_name").asText().toLowerCase(Locale.ROOT);
			names.add(n.endsWith(".") ? n.substring(0, n.length() - 1) : n);
		}
		Path in = Files.write(dir.resolve("resolver.jsonl"), lines);
		try (EvidenceStore store = EvidenceStore.open(dir.resolve("store"))) {
			IngestReport r = IngestTest.ingest(store, in);
			FileResult f = r.files().get(0);
			assertEquals(Status.INGESTED, f.status());
			assertEquals(13, f.records(), f.problems().toString());
			assertEquals(13, GuardDutyTest.select(store, "q", "?q a loupe:DnsQuery").size());
			assertEquals(List.copyOf(names), GuardDutyTest.select(store, "n", "?d a loupe:Domain ; loupe:domainName ?n"));
			assertTrue(GuardDutyTest.select(store, "t", "?q loupe:eventTime ?t").contains("2022-06-25T00:27:53Z"));
			GuardDutyTest.assertConforms(store, r);
		}
	}
}
