package dev.loupe.core.ingest.parquet;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import dev.loupe.core.ingest.ParseProblem;
import dev.loupe.core.ingest.RecordSink;
import dev.loupe.core.ingest.vpcflow.VpcFlowReader;

/**
 * VPC Flow Logs delivered as Parquet: one column per field of the log's format, named as the field with
 * underscores for hyphens (account_id, log_status, pkt_srcaddr). Each row is written back as the line the text
 * format would hold, under a header naming the columns, and read by {@link VpcFlowReader}: a flow from Parquet is
 * the flow its text line gives. Problems name the row.
 */
final class FlowRows {
	/** Rows read together: bounded, so memory does not grow with the file. */
	private static final int CHUNK = 5_000;

	private final String file;
	private final RecordSink sink;
	private final VpcFlowReader reader = new VpcFlowReader();
	private final StringBuilder lines = new StringBuilder();
	private final List<Long> rows = new ArrayList<>();
	private String header;

	FlowRows(String file, RecordSink sink) {
		this.file = file;
		this.sink = sink;
	}

	/** Whether a row is a flow log's: its addresses and interface, and no OCSF class. */
	static boolean isFlow(JsonNode row) {
		return !row.has("class_uid") && row.has("srcaddr") && row.has("dstaddr") && (row.has("interface_id") || row.has("account_id"));
	}

	void add(JsonNode row, long index) {
		StringBuilder names = new StringBuilder();
		StringBuilder values = new StringBuilder();
		for (Map.Entry<String, JsonNode> field : row.properties()) {
			names.append(names.isEmpty() ? "" : " ").append(field.getKey().replace('_', '-'));
			JsonNode v = field.getValue();
			String text = v == null || v.isNull() || v.asText().isEmpty() ? "-" : v.asText();
			values.append(values.isEmpty() ? "" : " ").append(text.replace(' ', '_'));
		}
		if (header != null && !header.equals(names.toString())) {
			flush();
		}
		header = names.toString();
		lines.append(values).append('\n');
		rows.add(index);
		if (rows.size() >= CHUNK) {
			flush();
		}
	}

	void flush() {
		if (rows.isEmpty()) {
			return;
		}
		byte[] text = (header + "\n" + lines).getBytes(StandardCharsets.UTF_8);
		try {
			List<Long> rowsOfLines = List.copyOf(rows);
			reader.read(new ByteArrayInputStream(text), file, sink.rewritingProblems(p -> byRow(p, rowsOfLines)));
		} catch (IOException e) {
			throw new UncheckedIOException(e); // read from memory
		}
		lines.setLength(0);
		rows.clear();
	}

	/** Problems named by the row of the Parquet file, not the line of the text made from it (line 1 is the header). */
	private static ParseProblem byRow(ParseProblem p, List<Long> rowsOfLines) {
		int i = (int) p.line() - 2;
		long row = i >= 0 && i < rowsOfLines.size() ? rowsOfLines.get(i) : 0;
		return new ParseProblem(p.file(), 0, 0, row, p.message());
	}
}
