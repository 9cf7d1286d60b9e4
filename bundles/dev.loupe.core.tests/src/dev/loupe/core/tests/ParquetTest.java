package dev.loupe.core.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;

import org.duckdb.DuckDBDriver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import dev.loupe.core.ingest.FileResult;
import dev.loupe.core.store.EvidenceStore;

/**
 * Security Lake's Parquet files. No public Security Lake Parquet sample exists: the same records OcsfActivityTest
 * reads as JSON (Panther's DNS Activity events, API Activity copies of a Stratus recording, a flow, a record
 * without its API) and the Security Hub OCSF finding of the Sumo Logic sample are written to Parquet by DuckDB,
 * and must give what their JSON gives.
 */
class ParquetTest {

	/** What Security Lake does with OCSF records: columns inferred from them, written as Parquet. */
	static Path parquet(Path jsonLines, Path out) throws IOException {
		try (Connection c = new DuckDBDriver().connect("jdbc:duckdb:", new Properties()); Statement s = c.createStatement()) {
			s.execute("COPY (SELECT * FROM read_json('" + jsonLines + "', format = 'newline_delimited')) TO '" + out
					+ "' (FORMAT parquet, COMPRESSION snappy)");
		} catch (SQLException e) {
			throw new IOException(e);
		}
		return out;
	}

	@Test
	void activityInParquetGivesWhatItsJsonGives(@TempDir Path dir) throws IOException {
		Path trailFile = Fixtures.stratus("aws.persistence.iam-create-admin-user");
		JsonNode events = OcsfActivityTest.JSON.readTree(trailFile.toFile());
		List<String> lines = OcsfActivityTest.securityLakeLines(events);
		Path json = Files.write(dir.resolve("lake.jsonl"), lines);
		Path lake = parquet(json, dir.resolve("part-00000.snappy.parquet"));
		try (EvidenceStore store = EvidenceStore.open(dir.resolve("store"))) {
			var report = IngestTest.ingest(store, lake);
			OcsfActivityTest.assertSecurityLakeFacts(store, report, "parquet", lines.size(), events.size());
			assertTrue(report.files().get(0).problems().get(0).toString().contains("part-00000.snappy.parquet: record "),
					"the row is named in the file");
			// the JSON export of the same records and CloudTrail's own events are the same calls, queries and flow
			long quads = store.quadCount();
			IngestTest.ingest(store, json, trailFile);
			assertEquals(events.size(), GuardDutyTest.select(store, "e", "?e a loupe:ApiCall").size());
			assertEquals(1, GuardDutyTest.select(store, "f", "?f a loupe:NetworkFlow").size());
			assertTrue(store.quadCount() > quads, "the other sources say the same in graphs of their own");
		}
	}

	@Test
	void flowLogsInParquetGiveWhatTheirTextGives(@TempDir Path dir) throws IOException, SQLException {
		// the default format's records of the AWS documentation, as VPC Flow Logs writes them when asked for Parquet
		StringBuilder text = new StringBuilder();
		for (int b = 0; b <= 6; b++) {
			text.append(Files.readString(FlowLogTest.block(b)).strip()).append('\n');
		}
		Path log = Files.writeString(dir.resolve("flows.log"), text);
		Path parquet = dir.resolve("123456789010_vpcflowlogs_us-east-1_fl-1234abcd_20241101T1200Z_abcd1234.log.parquet");
		try (Connection c = new DuckDBDriver().connect("jdbc:duckdb:", new Properties()); Statement s = c.createStatement()) {
			s.execute("COPY (SELECT * FROM read_csv('" + log + "', delim = ' ', header = false, nullstr = '-', columns = {"
					+ "'version': 'INTEGER', 'account_id': 'VARCHAR', 'interface_id': 'VARCHAR', 'srcaddr': 'VARCHAR',"
					+ " 'dstaddr': 'VARCHAR', 'srcport': 'INTEGER', 'dstport': 'INTEGER', 'protocol': 'BIGINT', 'packets': 'BIGINT',"
					+ " 'bytes': 'BIGINT', 'start': 'BIGINT', 'end': 'BIGINT', 'action': 'VARCHAR', 'log_status': 'VARCHAR'})) TO '"
					+ parquet + "' (FORMAT parquet, COMPRESSION gzip)");
		}
		try (EvidenceStore store = EvidenceStore.open(dir.resolve("store"))) {
			FileResult r = IngestTest.ingest(store, parquet).files().get(0);
			assertEquals(FileResult.Status.INGESTED, r.status(), r.toString());
			assertEquals(7, r.records(), r.toString());
			assertEquals(0, r.errors(), r.toString());
			assertEquals(1, GuardDutyTest.select(store, "f", "?f loupe:logStatus \"NODATA\"").size());
			assertEquals(1, GuardDutyTest.select(store, "f",
					"?f loupe:srcAddress/loupe:address \"172.31.9.69\" ; loupe:dstPort 3389 ; loupe:flowAction \"REJECT\"").size());
			long quads = store.quadCount();
			IngestTest.ingest(store, log);
			assertEquals(7, GuardDutyTest.select(store, "f", "?f a loupe:NetworkFlow").size(), "the text and the Parquet give the same flows");
			assertTrue(store.quadCount() > quads);
		}
	}

	@Test
	void aFindingInParquetGivesWhatItsJsonGives(@TempDir Path dir) throws IOException {
		JsonNode sample = OcsfActivityTest.JSON.readTree(
				Fixtures.datasets().resolve("sumologic-docs-samples/aws-security-hub-ocsf.sample-findings-imported-v2.json").toFile());
		Path json = Files.writeString(dir.resolve("findings.jsonl"), sample.path("detail").path("findings").get(0).toString() + "\n");
		Path lake = parquet(json, dir.resolve("findings.parquet"));
		try (EvidenceStore store = EvidenceStore.open(dir.resolve("store"))) {
			var report = IngestTest.ingest(store, lake);
			FileResult f = report.files().get(0);
			assertEquals("parquet", f.format());
			assertEquals(1, f.records(), f.toString());
			String q = "?f a loupe:Finding ; ";
			assertEquals(List.of("Stealth:IAMUser/CloudTrailLoggingDisabled"), GuardDutyTest.select(store, "t", q + "loupe:findingType ?t"));
			assertEquals(List.of("2024-10-24T10:21:26Z"), GuardDutyTest.select(store, "t", q + "loupe:eventTime ?t"));
			assertEquals(List.of("arn:aws:iam::869728294964:role/cis_automation"), GuardDutyTest.select(store, "a", q + "loupe:actor/loupe:arn ?a"));
			assertEquals(List.of("ASIA4U76YS3TB3MEOA3O"), GuardDutyTest.select(store, "k", q + "loupe:concerns/loupe:accessKeyId ?k"));
			GuardDutyTest.assertConforms(store, report);
		}
	}

	@Test
	void aDamagedParquetFileIsNamedAndNothingIsWritten(@TempDir Path dir) throws IOException {
		Path bad = Files.write(dir.resolve("cut.parquet"), ("PAR1" + "\u0015\u0000 not the rest of a Parquet file").getBytes(StandardCharsets.ISO_8859_1));
		try (EvidenceStore store = EvidenceStore.open(dir.resolve("store"))) {
			long before = store.quadCount();
			FileResult f = IngestTest.ingest(store, bad).files().get(0);
			assertEquals(0, f.records(), f.toString());
			assertTrue(f.problems().get(0).toString().contains("cut.parquet: not a readable Parquet file"), f.problems().toString());
			assertEquals(before, store.quadCount(), "nothing was written for it");
		}
	}
}
