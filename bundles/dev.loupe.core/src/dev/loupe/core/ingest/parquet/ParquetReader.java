package dev.loupe.core.ingest.parquet;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Iterator;
import java.util.Map;
import java.util.Properties;

import org.duckdb.DuckDBDriver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.loupe.core.ingest.EvidenceReader;
import dev.loupe.core.ingest.JsonRecords;
import dev.loupe.core.ingest.ParseProblem;
import dev.loupe.core.ingest.RecordSink;
import dev.loupe.core.ingest.findings.OcsfFindingReader;
import dev.loupe.core.ingest.ocsf.OcsfActivityReader;

/**
 * Amazon Security Lake's Parquet files (OCSF API, Network and DNS Activity and Detection Findings) and VPC Flow Logs
 * delivered as Parquet ({@link FlowRows}). DuckDB reads the
 * columns; each row becomes the JSON object Security Lake's own exports give, without the columns that record
 * leaves empty, and goes to the record handler of its class (that of {@link OcsfActivityReader} or of
 * {@link OcsfFindingReader}), so a row gives exactly what its JSON gives. Rows stream: the file is copied once
 * (Parquet keeps its schema at its end) and nothing else grows with it. Problems name the row. DuckDB may read that
 * one file and nothing else: no other path, no network, no extensions fetched.
 */
public final class ParquetReader implements EvidenceReader {

	@Override
	public String format() {
		return "parquet";
	}

	@Override
	public boolean accepts(String head) {
		return head.startsWith("PAR1");
	}

	@Override
	public void read(InputStream in, String fileName, RecordSink sink) throws IOException {
		Path parquet = Files.createTempFile("loupe-", ".parquet");
		try {
			Files.copy(in, parquet, StandardCopyOption.REPLACE_EXISTING);
			rows(parquet, fileName, sink);
		} finally {
			Files.deleteIfExists(parquet);
		}
	}

	private static void rows(Path parquet, String fileName, RecordSink sink) throws IOException {
		JsonRecords.Handler activity = OcsfActivityReader.handler(fileName, sink);
		OcsfFindingReader.Rows findings = OcsfFindingReader.handler(fileName, sink);
		FlowRows flows = new FlowRows(fileName, sink);
		Properties p = new Properties();
		p.setProperty("jdbc_stream_results", "true");
		try (Connection c = new DuckDBDriver().connect("jdbc:duckdb:", p)) {
			try (Statement s = c.createStatement()) {
				// the file, and nothing else: a Parquet file is untrusted input
				s.execute("SET autoinstall_known_extensions = false");
				s.execute("SET autoload_known_extensions = false");
				s.execute("SET allowed_paths = ['" + parquet.toAbsolutePath().toString().replace("'", "''") + "']");
				s.execute("SET enable_external_access = false");
				s.execute("SET threads = 1");
				s.execute("SET memory_limit = '256MB'");
				s.execute("SET lock_configuration = true");
			}
			try (PreparedStatement ps = c.prepareStatement("SELECT to_json(t) FROM read_parquet(?) t")) {
				ps.setString(1, parquet.toAbsolutePath().toString());
				try (ResultSet rs = ps.executeQuery()) {
					long row = 0;
					while (!sink.isCancelled() && rs.next()) {
						JsonNode r = JsonRecords.JSON.readTree(rs.getString(1));
						row++;
						if (FlowRows.isFlow(r)) {
							flows.add(r, row); // an empty column is a "-" in the line
						} else {
							withoutNulls(r);
							(r.path("class_uid").asInt() == 2004 ? findings : activity).record(r, 0, 0, row);
						}
					}
					flows.flush();
				}
			}
		} catch (SQLException e) {
			sink.problem(new ParseProblem(fileName, 0, 0, 0, "not a readable Parquet file: " + e.getMessage().lines().findFirst().orElse("")));
		}
		// the findings read before a damaged part still get their state and severity
		findings.finish();
	}

	/** Columns a record leaves empty are null in every row: the JSON readers expect them absent. */
	private static void withoutNulls(JsonNode n) {
		if (n instanceof ObjectNode o) {
			for (Iterator<Map.Entry<String, JsonNode>> it = o.fields(); it.hasNext();) {
				Map.Entry<String, JsonNode> e = it.next();
				if (e.getValue().isNull()) {
					it.remove();
				} else {
					withoutNulls(e.getValue());
				}
			}
		} else if (n instanceof ArrayNode a) {
			a.forEach(ParquetReader::withoutNulls);
		}
	}
}
