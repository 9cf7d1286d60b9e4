package dev.loupe.core.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPOutputStream;

import org.apache.jena.query.QueryExecution;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.loupe.core.ingest.FileResult;
import dev.loupe.core.ingest.FileResult.Status;
import dev.loupe.core.ingest.IngestReport;
import dev.loupe.core.query.EntityQueries;
import dev.loupe.core.store.EvidenceStore;
import dev.loupe.core.vocab.Ids;

/**
 * VPC Flow Logs from the AWS documentation's record examples (../shared/datasets/awsdocs-examples/vpc-flow-logs):
 * default v2 records without a header, custom v3 and v5 formats named by a header line, NODATA and SKIPDATA,
 * IPv6, and the documentation's illustrations that are not records. The examples print a header and its records
 * in separate blocks: fixtures join them as a flow log file does, header first.
 */
class FlowLogTest {
	static Path block(int n) {
		return Fixtures.datasets().resolve(String.format("awsdocs-examples/vpc-flow-logs/flow-logs-records-examples.block%02d.txt", n));
	}

	/** A flow log file made of the given example blocks, in order. */
	static Path join(Path dir, String name, int... blocks) throws IOException {
		StringBuilder sb = new StringBuilder();
		for (int b : blocks) {
			sb.append(Files.readString(block(b))).append('\n');
		}
		Path f = dir.resolve(name);
		Files.writeString(f, sb.toString());
		return f;
	}

	static long count(EvidenceStore store, String where) {
		return store.read(() -> {
			String q = Fixtures.sparql("SELECT (COUNT(DISTINCT ?f) AS ?n) { ?f a loupe:NetworkFlow . " + where + " }");
			try (QueryExecution qe = QueryExecution.dataset(store.dataset()).query(q).build()) {
				return qe.execSelect().next().getLiteral("n").getLong();
			}
		});
	}

	@Test
	void defaultAndCustomFormatsBecomeFlows(@TempDir Path dir) throws IOException {
		Path in = Files.createDirectories(dir.resolve("in"));
		for (int b = 0; b <= 6; b++) {
			Files.copy(block(b), in.resolve("v2-" + b + ".log"));
		}
		join(in, "v3.log", 7, 8, 9, 10);
		Path v5 = join(dir, "v5.log", 20, 21);
		try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(in.resolve("v5.log.gz")))) {
			out.write(Files.readAllBytes(v5));
		}
		try (EvidenceStore store = EvidenceStore.open(dir.resolve("store"))) {
			IngestReport r = IngestTest.ingest(store, in);
			Map<String, Long> records = new TreeMap<>();
			r.files().forEach(f -> records.put(Path.of(f.file()).getFileName().toString(), f.records()));
			assertEquals(Map.of("v2-0.log", 1L, "v2-1.log", 1L, "v2-2.log", 1L, "v2-3.log", 1L, "v2-4.log", 1L,
					"v2-5.log", 1L, "v2-6.log", 1L, "v3.log", 8L, "v5.log.gz", 2L), records);
			assertTrue(r.files().stream().allMatch(f -> f.status() == Status.INGESTED && f.errors() == 0), r.files().toString());
			assertTrue(r.files().stream().allMatch(f -> "vpc-flow".equals(f.format())));

			assertEquals(17, count(store, ""));
			assertEquals(1, count(store, "?f loupe:logStatus \"NODATA\""));
			assertEquals(1, count(store, "?f loupe:logStatus \"SKIPDATA\""));
			assertEquals(2, count(store, "?f loupe:flowAction \"REJECT\""));
			assertEquals(1, count(store, "?f loupe:srcAddress/loupe:address \"2001:db8:1234:a100:8d6e:3477:df66:f105\" ; loupe:dstPort 22"));
			assertEquals(1, count(store, "?f loupe:srcAddress/loupe:address \"172.31.9.69\" ; loupe:dstPort 3389 ; loupe:flowAction \"REJECT\""));
			// the custom v3 format: instance, interface, bytes in the header's field order
			assertEquals(8, count(store, "?f loupe:ofInstance/loupe:instanceId \"i-01234567890123456\""));
			assertEquals(1, count(store, "?f loupe:bytes ?b ; loupe:packets ?p ; loupe:srcPort 43418 FILTER (?b = 23294588 && ?p = 15774)"));
			assertEquals(2, count(store, "?f loupe:inRegion/loupe:regionName \"ap-southeast-2\" ; loupe:flowDirection ?d"));
			assertEquals(2, count(store, "?f loupe:eventTime \"2014-12-14T04:06:50Z\"^^xsd:dateTime ; loupe:endTime \"2014-12-14T04:07:50Z\"^^xsd:dateTime"));

			// which addresses the instance talked to, from the summaries
			var around = new EntityQueries(store).neighbours(Ids.resource("ec2-instance", "123456789010", "i-01234567890123456").getURI());
			assertTrue(around.stream().anyMatch(n -> n.label().equals("52.213.180.42") && n.events() == 4), around.toString());

			GuardDutyTest.assertConforms(store, r);

			IngestReport again = IngestTest.ingest(store, in);
			assertTrue(again.files().stream().allMatch(f -> f.status() == Status.ALREADY_PRESENT));
			assertEquals(17, count(store, ""));
		}
	}

	@Test
	void linesThatAreNotRecordsAreReportedWhereTheyAre(@TempDir Path dir) throws IOException {
		// a v3 file with a line that is not a record between good ones
		List<String> lines = new ArrayList<>(Files.readAllLines(block(7)));
		lines.addAll(Files.readAllLines(block(8)));
		int bad = lines.size() + 1;
		lines.add("...");
		lines.addAll(Files.readAllLines(block(9)));
		Path withGap = Files.write(dir.resolve("gap.log"), lines);
		// blocks 16 to 19 and 11 to 14 name formats without start times: no record can be placed in time
		Path noStart = join(dir, "no-start.log", 16, 17, 18, 19);
		Path noTime = join(dir, "nat.log", 11, 12, 13, 14);
		try (EvidenceStore store = EvidenceStore.open(dir.resolve("store"))) {
			FileResult gap = IngestTest.ingest(store, withGap).files().get(0);
			assertEquals(Status.INGESTED, gap.status());
			assertEquals(6, gap.records());
			assertEquals(1, gap.errors(), gap.problems().toString());
			String why = gap.problems().get(0).toString();
			assertTrue(why.contains("gap.log:" + bad + ":") && why.contains("1 fields, expected 21"), why);
			for (Path p : List.of(noStart, noTime)) {
				FileResult r = IngestTest.ingest(store, p).files().get(0);
				assertEquals(Status.FAILED, r.status());
				assertTrue(r.problems().get(0).message().contains("start"), r.problems().toString());
			}
			assertEquals(6, count(store, ""));
		}
	}

	@Test
	void flowLogLinesAreRecognisedByContentNotName(@TempDir Path dir) throws IOException {
		Path f = Files.writeString(dir.resolve("capture.json"), Files.readString(block(0)), StandardCharsets.UTF_8);
		try (EvidenceStore store = EvidenceStore.open(dir.resolve("store"))) {
			FileResult r = IngestTest.ingest(store, f).files().get(0);
			assertEquals("vpc-flow", r.format());
			assertEquals(1, r.records());
		}
	}
}
