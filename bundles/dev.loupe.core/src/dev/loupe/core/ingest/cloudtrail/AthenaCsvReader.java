package dev.loupe.core.ingest.cloudtrail;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.loupe.core.ingest.CsvRows;
import dev.loupe.core.ingest.EvidenceReader;
import dev.loupe.core.ingest.ParseProblem;
import dev.loupe.core.ingest.RecordSink;

/**
 * CloudTrail events as an Athena query over the CloudTrail table downloads them (CSV; the same from other SQL
 * engines over such a table): a header of the table's lowercase column names, then one event per row, the structs
 * (useridentity, resources, tlsdetails) printed as {@link HiveText} or as JSON, the request and response as JSON
 * text. Any selection of columns is read as long as it has eventtime, eventsource and eventname; the fields of
 * useridentity selected on their own ({@code useridentity.arn} comes out as a column named arn) are put back in
 * it. Each row then goes the way of the other CloudTrail shapes ({@link LowercaseKeys}). A table that keeps the whole
 * event as JSON in a column (LookupEvents flattened to CSV, {@code CloudTrailEvent}; CloudQuery's
 * {@code cloud_trail_event}) gives that event, whatever its other columns say.
 */
public final class AthenaCsvReader implements EvidenceReader {
	static final List<String> REQUIRED = List.of("eventtime", "eventsource", "eventname");
	/** userIdentity's own fields: no CloudTrail event has them at its top level. */
	private static final Set<String> IDENTITY = Set.of("type", "principalid", "arn", "accountid", "accesskeyid", "username",
			"invokedby", "sessioncontext");
	private static final Set<String> SERVICE_DATA = Set.of("requestparameters", "responseelements", "additionaleventdata",
			"serviceeventdetails", "insightdetails", "edgedevicedetails");

	@Override
	public String format() {
		return "cloudtrail";
	}

	@Override
	public boolean accepts(String head) {
		List<String> header = names(CsvRows.firstLine(head));
		return header.size() > 1 && (header.contains("eventname") && (header.contains("eventtime") || header.contains("eventsource"))
				|| wholeEvent(header) >= 0);
	}

	/** The column holding the whole event as JSON, or -1. */
	private static int wholeEvent(List<String> header) {
		for (int i = 0; i < header.size(); i++) {
			if (header.get(i).replace("_", "").replace(" ", "").equals("cloudtrailevent")) {
				return i;
			}
		}
		return -1;
	}

	private static List<String> names(List<String> header) {
		return header.stream().map(h -> h == null ? "" : h.strip().toLowerCase(Locale.ROOT)).toList();
	}

	@Override
	public void read(InputStream in, String fileName, RecordSink sink) throws IOException {
		var mapper = new CloudTrailMapper(sink);
		AtomicReference<Header> header = new AtomicReference<>();
		try {
			CsvRows.read(in, sink, (fields, line, row) -> {
				if (header.get() == null) {
					Header h = Header.of(names(fields));
					header.set(h);
					List<String> missing = REQUIRED.stream().filter(c -> !h.names().contains(c)).toList();
					if (!missing.isEmpty() && h.whole() < 0) {
						throw new MissingColumns(line, missing);
					}
					return;
				}
				long record = row - 1;
				if (fields.size() != header.get().names().size()) {
					sink.problem(new ParseProblem(fileName, line, 0, record,
							fields.size() + " fields, expected " + header.get().names().size() + " as the header names"));
					return;
				}
				ObjectNode event;
				try {
					event = event(header.get(), fields);
				} catch (IllegalArgumentException e) {
					sink.problem(new ParseProblem(fileName, line, 0, record, e.getMessage()));
					return;
				}
				CloudTrailReader.handle(event, fileName, line, 0, record, sink, mapper);
			});
		} catch (MissingColumns e) {
			sink.problem(new ParseProblem(fileName, e.line, 0, 0, "the header has no column " + String.join(", ", e.missing)
					+ "; expected the CloudTrail table's columns, at least " + String.join(", ", REQUIRED)));
		} catch (CsvRows.UnclosedQuote e) {
			sink.problem(new ParseProblem(fileName, e.line(), 0, 0, e.getMessage()));
		}
	}

	/**
	 * The columns (lowercase names), read once per file: the one holding the whole event (-1: none), and whether
	 * the identity is a column of its own.
	 */
	record Header(List<String> names, int whole, boolean ownIdentity) {
		static Header of(List<String> names) {
			return new Header(names, wholeEvent(names), names.contains("useridentity"));
		}
	}

	/** One row as an event with the table's (lowercase) names, which {@link LowercaseKeys} puts back. */
	static ObjectNode event(Header h, List<String> fields) {
		List<String> header = h.names();
		int whole = h.whole();
		if (whole >= 0) {
			String json = fields.get(whole);
			try {
				if (json != null && CloudTrailReader.JSON.readTree(json) instanceof ObjectNode o) {
					return o;
				}
			} catch (JsonProcessingException e) {
				throw new IllegalArgumentException(header.get(whole) + " does not hold the event as JSON: " + e.getOriginalMessage());
			}
			throw new IllegalArgumentException(header.get(whole) + " is empty; expected the event as JSON");
		}
		ObjectNode event = CloudTrailReader.JSON.createObjectNode();
		boolean ownIdentity = h.ownIdentity();
		for (int i = 0; i < header.size(); i++) {
			String column = header.get(i);
			String v = fields.get(i);
			if (v == null || v.isEmpty() || column.isEmpty()) {
				continue;
			}
			JsonNode value = value(column, v);
			if (value.isNull()) {
				continue;
			}
			if (!ownIdentity && IDENTITY.contains(column)) {
				JsonNode id = event.get("useridentity");
				(id instanceof ObjectNode o ? o : event.putObject("useridentity")).set(column, value);
			} else {
				event.set(column, value);
			}
		}
		return event;
	}

	private static JsonNode value(String column, String v) {
		if (SERVICE_DATA.contains(column)) {
			return CloudTrailReader.JSON.getNodeFactory().textNode(v);
		}
		if (HiveText.looksLike(v)) {
			return HiveText.parse(v, column);
		}
		if (v.startsWith("{\"") || v.startsWith("[{\"") || v.startsWith("[\"")) {
			try {
				return CloudTrailReader.JSON.readTree(v);
			} catch (JsonProcessingException e) {
				throw new IllegalArgumentException(column + " holds neither a struct nor valid JSON: " + e.getOriginalMessage());
			}
		}
		return "null".equals(v) ? CloudTrailReader.JSON.getNodeFactory().nullNode() : CloudTrailReader.JSON.getNodeFactory().textNode(v);
	}

	/** The header lacks a column every event needs: nothing of the file can be read. */
	private static final class MissingColumns extends IOException {
		private static final long serialVersionUID = 1L;
		final long line;
		final List<String> missing;

		MissingColumns(long line, List<String> missing) {
			super(String.join(", ", missing));
			this.line = line;
			this.missing = missing;
		}
	}
}
