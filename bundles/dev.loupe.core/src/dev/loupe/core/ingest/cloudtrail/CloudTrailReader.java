package dev.loupe.core.ingest.cloudtrail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.loupe.core.ingest.EvidenceReader;
import dev.loupe.core.ingest.ParseProblem;
import dev.loupe.core.ingest.RecordSink;

/**
 * CloudTrail events in the shapes AWS and tools write them: S3 delivery {@code {"Records":[...]}}, a bare JSON
 * array, and JSON lines. Arrays are streamed element by element, so a file is never held in memory whole.
 */
public final class CloudTrailReader implements EvidenceReader {
	static final ObjectMapper JSON = new ObjectMapper();
	private static final Pattern RECORDS_OBJECT = Pattern.compile("^\\s*\\{\\s*\"Records\"\\s*:", Pattern.DOTALL);
	private static final Pattern EVENT_SOURCE = Pattern.compile("\"eventSource\"\\s*:");
	private static final Pattern EVENT_TIME = Pattern.compile("\"(eventTime|eventVersion)\"\\s*:");

	@Override
	public String format() {
		return "cloudtrail";
	}

	@Override
	public boolean accepts(String head) {
		// Security Hub's GetFindingHistory also answers {"Records":[...]}: CloudTrail's own fields decide
		return EVENT_SOURCE.matcher(head).find()
				&& (RECORDS_OBJECT.matcher(head).find() || EVENT_TIME.matcher(head).find());
	}

	@Override
	public void read(InputStream in, String fileName, RecordSink sink) throws IOException {
		var mapper = new CloudTrailMapper(sink);
		try {
			readShape(in, fileName, sink, mapper);
		} catch (java.io.EOFException | java.util.zip.ZipException e) {
			// a truncated or damaged .gz (an interrupted download): keep what was read, say where it stopped
			sink.problem(new ParseProblem(fileName, 0, 0, 0,
					"the compressed file ends early or is damaged, reading stopped there: " + e.getMessage()));
		}
	}

	private static void readShape(InputStream in, String fileName, RecordSink sink, CloudTrailMapper mapper)
			throws IOException {
		var input = new java.io.BufferedInputStream(in, 1 << 16);
		input.mark(1 << 16);
		byte[] head = input.readNBytes(1 << 12);
		input.reset();
		String start = new String(head, StandardCharsets.UTF_8).stripLeading();
		if (start.startsWith("[") || RECORDS_OBJECT.matcher(start).find()) {
			readArray(input, fileName, sink, mapper);
		} else if (firstLineIsOneObject(start)) {
			readLines(input, fileName, sink, mapper);
		} else {
			readValues(input, fileName, sink, mapper);
		}
	}

	private static void readArray(InputStream in, String fileName, RecordSink sink, CloudTrailMapper mapper)
			throws IOException {
		long record = 0;
		try (JsonParser p = JSON.getFactory().createParser(in)) {
			JsonToken t = p.nextToken();
			if (t == JsonToken.START_OBJECT) {
				if (!advanceToRecords(p)) {
					sink.problem(problem(fileName, p.currentLocation(), 0,
							"expected a \"Records\" array of CloudTrail events"));
					return;
				}
			}
			while (!sink.isCancelled() && (t = p.nextToken()) != JsonToken.END_ARRAY && t != null) {
				record++;
				JsonLocation at = p.currentTokenLocation();
				JsonNode node = p.readValueAsTree();
				handle(node, fileName, at.getLineNr(), at.getColumnNr(), record, sink, mapper);
			}
		} catch (JsonProcessingException e) {
			JsonLocation at = e.getLocation();
			sink.problem(new ParseProblem(fileName, at == null ? 0 : at.getLineNr(), at == null ? 0 : at.getColumnNr(),
					record, "invalid JSON, reading stopped here: " + e.getOriginalMessage()));
		}
	}

	/** Moves the parser onto the first element of the top-level "Records" array; other keys are skipped. */
	private static boolean advanceToRecords(JsonParser p) throws IOException {
		while (p.nextToken() == JsonToken.FIELD_NAME) {
			String name = p.currentName();
			JsonToken value = p.nextToken();
			if ("Records".equals(name) && value == JsonToken.START_ARRAY) {
				return true;
			}
			p.skipChildren();
		}
		return false;
	}

	/** JSON lines put a whole event on its first line; a pretty-printed event does not. */
	private static boolean firstLineIsOneObject(String start) {
		int nl = start.indexOf('\n');
		String first = nl < 0 ? start : start.substring(0, nl);
		try {
			return JSON.readTree(first) instanceof ObjectNode;
		} catch (JsonProcessingException e) {
			return false;
		}
	}

	/** One or more top-level JSON values one after another (a single pretty-printed event, or several). */
	private static void readValues(InputStream in, String fileName, RecordSink sink, CloudTrailMapper mapper)
			throws IOException {
		long record = 0;
		try (JsonParser p = JSON.getFactory().createParser(in)) {
			while (!sink.isCancelled() && p.nextToken() != null) {
				record++;
				JsonLocation at = p.currentTokenLocation();
				handle(p.readValueAsTree(), fileName, at.getLineNr(), at.getColumnNr(), record, sink, mapper);
			}
		} catch (JsonProcessingException e) {
			JsonLocation at = e.getLocation();
			sink.problem(new ParseProblem(fileName, at == null ? 0 : at.getLineNr(), at == null ? 0 : at.getColumnNr(),
					record, "invalid JSON, reading stopped here: " + e.getOriginalMessage()));
		}
	}

	private static void readLines(InputStream in, String fileName, RecordSink sink, CloudTrailMapper mapper)
			throws IOException {
		var reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
		String line;
		long lineNr = 0;
		long record = 0;
		while (!sink.isCancelled() && (line = reader.readLine()) != null) {
			lineNr++;
			if (line.isBlank()) {
				continue;
			}
			record++;
			JsonNode node;
			try {
				node = JSON.readTree(line);
			} catch (JsonProcessingException e) {
				JsonLocation at = e.getLocation();
				sink.problem(new ParseProblem(fileName, lineNr, at == null ? 0 : at.getColumnNr(), record,
						"invalid JSON line, expected one CloudTrail event object: " + e.getOriginalMessage()));
				continue;
			}
			handle(node, fileName, lineNr, 0, record, sink, mapper);
		}
	}

	private static void handle(JsonNode node, String fileName, long line, long column, long record, RecordSink sink,
			CloudTrailMapper mapper) {
		if (!(node instanceof ObjectNode event)) {
			sink.problem(new ParseProblem(fileName, line, column, record,
					"expected a CloudTrail event object, found " + node.getNodeType().name().toLowerCase()));
			return;
		}
		String missing = CloudTrailMapper.missingField(event);
		if (missing != null) {
			sink.problem(new ParseProblem(fileName, line, column, record, missing));
			return;
		}
		try {
			mapper.map(event);
		} catch (RuntimeException e) {
			// a record Loupe cannot map is reported where it is; the records around it are still read
			sink.problem(new ParseProblem(fileName, line, column, record, "could not map this event: " + e));
			return;
		}
		sink.recordDone();
	}

	private static ParseProblem problem(String file, JsonLocation at, long record, String message) {
		return new ParseProblem(file, at.getLineNr(), at.getColumnNr(), record, message);
	}
}
