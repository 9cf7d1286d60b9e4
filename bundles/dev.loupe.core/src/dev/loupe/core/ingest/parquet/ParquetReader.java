package dev.loupe.core.ingest.parquet;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.loupe.core.ingest.EvidenceReader;
import dev.loupe.core.ingest.ParseProblem;
import dev.loupe.core.ingest.RecordSink;
import dev.loupe.core.ingest.findings.OcsfFindingReader;
import dev.loupe.core.ingest.ocsf.OcsfActivityReader;

/**
 * Amazon Security Lake's Parquet files: OCSF API, Network and DNS Activity (read as {@link OcsfActivityReader}
 * reads their JSON) and Detection Findings (as {@link OcsfFindingReader} does). DuckDB reads the columns; each row
 * becomes the JSON object Security Lake's own exports give, without the columns a record leaves empty, and is
 * read by the JSON reader of its class. Problems name the row. DuckDB may read that one file and nothing else:
 * no other path, no network, no extensions fetched.
 */
public final class ParquetReader implements EvidenceReader {
	private static final ObjectMapper JSON = new ObjectMapper();

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
		// Parquet keeps its schema at the end: DuckDB needs the whole file, and JSON lines are what the readers take
		Path parquet = Files.createTempFile("loupe-", ".parquet");
		Path lines = Files.createTempFile("loupe-", ".jsonl");
		try {
			Files.copy(in, parquet, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
			int firstClass = rows(parquet, lines, fileName, sink);
			if (firstClass < 0) {
				return;
			}
			EvidenceReader reader = firstClass == 2004 ? new OcsfFindingReader() : new OcsfActivityReader();
			try (InputStream json = Files.newInputStream(lines)) {
				reader.read(json, fileName, new RowSink(sink));
			}
		} finally {
			Files.deleteIfExists(parquet);
			Files.deleteIfExists(lines);
		}
	}

	/** Writes the rows as JSON lines; returns the first row's class_uid (0 when it has none), -1 if unreadable. */
	private static int rows(Path parquet, Path lines, String fileName, RecordSink sink) throws IOException {
		Properties p = new Properties();
		p.setProperty("jdbc_stream_results", "true");
		int firstClass = 0;
		try (Connection c = new DuckDBDriver().connect("jdbc:duckdb:", p); BufferedWriter out = Files.newBufferedWriter(lines,
				StandardCharsets.UTF_8)) {
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
					while (rs.next()) {
						JsonNode r = JSON.readTree(rs.getString(1));
						withoutNulls(r);
						if (row++ == 0) {
							firstClass = r.path("class_uid").asInt();
						}
						out.write(JSON.writeValueAsString(r));
						out.newLine();
					}
				}
			}
		} catch (SQLException e) {
			sink.problem(new ParseProblem(fileName, 0, 0, 0, "not a readable Parquet file: " + e.getMessage().lines().findFirst().orElse("")));
			return -1;
		}
		return firstClass;
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

	/** The JSON readers name lines and records; in a Parquet file both are the row, said once. */
	private record RowSink(RecordSink sink) implements RecordSink {
		@Override
		public void triple(org.apache.jena.graph.Triple t) {
			sink.triple(t);
		}

		@Override
		public void recordDone() {
			sink.recordDone();
		}

		@Override
		public void problem(ParseProblem p) {
			sink.problem(new ParseProblem(p.file(), 0, 0, p.record() > 0 ? p.record() : p.line(), p.message()));
		}

		@Override
		public boolean isCancelled() {
			return sink.isCancelled();
		}
	}
}
