package dev.loupe.core.ingest;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.zip.ZipException;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Streams the records of a JSON evidence file in the shapes AWS and tools write: an object whose first field is an
 * array of records ({@code {"Records":[...]}}, {@code {"Findings":[...]}}), a bare array, JSON lines, or JSON
 * values one after another (a single pretty-printed record). Arrays are read element by element: a file is never
 * held in memory whole. Bad JSON is reported with its line and column; what came before it is kept.
 */
public final class JsonRecords {
	public static final ObjectMapper JSON = new ObjectMapper();

	/** Receives each top-level record; {@code index} counts from 1. */
	public interface Handler {
		void record(JsonNode node, long line, long column, long index);
	}

	private JsonRecords() {
	}

	/**
	 * @param containers names of the record arrays a root object may start with
	 * @param what what one record is, for messages ("CloudTrail event")
	 */
	public static void read(InputStream in, String fileName, RecordSink sink, Set<String> containers, String what,
			Handler handler) throws IOException {
		try {
			var input = new BufferedInputStream(in, 1 << 16);
			input.mark(1 << 16);
			byte[] head = input.readNBytes(1 << 12);
			input.reset();
			String start = new String(head, StandardCharsets.UTF_8).stripLeading();
			if (start.startsWith("[") || startsWithContainer(start, containers)) {
				readArray(input, fileName, sink, containers, what, handler);
			} else if (firstLineIsOneObject(start)) {
				readLines(input, fileName, sink, containers, what, handler);
			} else {
				readValues(input, fileName, sink, containers, handler);
			}
		} catch (EOFException | ZipException e) {
			// a truncated or damaged .gz (an interrupted download): keep what was read, say where it stopped
			sink.problem(new ParseProblem(fileName, 0, 0, 0,
					"the compressed file ends early or is damaged, reading stopped there: " + e.getMessage()));
		}
	}

	private static boolean startsWithContainer(String start, Set<String> containers) {
		for (String c : containers) {
			if (Pattern.compile("^\\{\\s*\"" + Pattern.quote(c) + "\"\\s*:\\s*\\[").matcher(start).find()) {
				return true;
			}
		}
		return false;
	}

	private static void readArray(InputStream in, String fileName, RecordSink sink, Set<String> containers, String what,
			Handler handler) throws IOException {
		long[] record = { 0 };
		long reading = 0; // the record a JSON error is in
		try (JsonParser p = JSON.getFactory().createParser(in)) {
			JsonToken t = p.nextToken();
			boolean inObject = t == JsonToken.START_OBJECT;
			if (inObject && !advanceToRecords(p, containers)) {
				sink.problem(problem(fileName, p.currentLocation(), 0,
						"expected a " + String.join(" or ", containers) + " array of " + what + "s"));
				return;
			}
			while (!sink.isCancelled() && (t = p.nextToken()) != JsonToken.END_ARRAY && t != null) {
				reading = ++record[0];
				JsonLocation at = p.currentTokenLocation();
				JsonNode node = p.readValueAsTree();
				handler.record(node, at.getLineNr(), at.getColumnNr(), record[0]);
			}
			if (t == null || sink.isCancelled()) {
				return;
			}
			if (inObject) {
				// the rest of the object: keys after the records
				while ((t = p.nextToken()) != null && t != JsonToken.END_OBJECT) {
					p.nextToken();
					p.skipChildren();
				}
			}
			// files put one after the other (`zcat *.json.gz > all.json`): each further one whole, its records read
			while (!sink.isCancelled() && p.nextToken() != null) {
				reading = record[0] + 1;
				JsonLocation at = p.currentTokenLocation();
				each(p.readValueAsTree(), containers, at.getLineNr(), at.getColumnNr(), record, handler);
			}
		} catch (JsonProcessingException e) {
			invalid(fileName, sink, e, reading);
		}
	}

	/** Moves the parser onto the first element of the records array; other keys before it are skipped. */
	private static boolean advanceToRecords(JsonParser p, Set<String> containers) throws IOException {
		while (p.nextToken() == JsonToken.FIELD_NAME) {
			String name = p.currentName();
			JsonToken value = p.nextToken();
			if (containers.contains(name) && value == JsonToken.START_ARRAY) {
				return true;
			}
			p.skipChildren();
		}
		return false;
	}

	/** JSON lines put a whole record on its first line; a pretty-printed record does not. */
	private static boolean firstLineIsOneObject(String start) {
		int nl = start.indexOf('\n');
		String first = nl < 0 ? start : start.substring(0, nl);
		try {
			return JSON.readTree(first) instanceof ObjectNode;
		} catch (JsonProcessingException e) {
			return false;
		}
	}

	private static void readValues(InputStream in, String fileName, RecordSink sink, Set<String> containers, Handler handler)
			throws IOException {
		long[] record = { 0 };
		try (JsonParser p = JSON.getFactory().createParser(in)) {
			while (!sink.isCancelled() && p.nextToken() != null) {
				JsonLocation at = p.currentTokenLocation();
				each(p.readValueAsTree(), containers, at.getLineNr(), at.getColumnNr(), record, handler);
			}
		} catch (JsonProcessingException e) {
			invalid(fileName, sink, e, record[0] + 1); // the record being read
		}
	}

	/**
	 * One value read whole: the records of its container when it is one whose records array does not come first
	 * (`{"NextToken": ..., "Events": [...]}`, or after a byte order mark), else a record itself.
	 */
	private static void each(JsonNode value, Set<String> containers, long line, long column, long[] record, Handler handler) {
		if (value instanceof ObjectNode o) {
			for (String c : containers) {
				if (o.get(c) instanceof com.fasterxml.jackson.databind.node.ArrayNode records) {
					for (JsonNode r : records) {
						handler.record(r, line, column, ++record[0]);
					}
					return;
				}
			}
		}
		handler.record(value, line, column, ++record[0]);
	}

	private static void readLines(InputStream in, String fileName, RecordSink sink, Set<String> containers, String what,
			Handler handler) throws IOException {
		long[] record = { 0 };
		TextLines.read(in, sink, (line, lineNr) -> {
			// usually one record a line; Firehose writes records one after the other with nothing between them, so
			// a line may hold many (reading only the first lost the others without a word)
			try (JsonParser p = JSON.getFactory().createParser(line)) {
				boolean first = true;
				while (!sink.isCancelled() && p.nextToken() != null) {
					long column = first ? 0 : p.currentTokenLocation().getColumnNr();
					first = false;
					each(p.readValueAsTree(), containers, lineNr, column, record, handler);
				}
			} catch (JsonProcessingException e) {
				record[0]++;
				JsonLocation at = e.getLocation();
				sink.problem(new ParseProblem(fileName, lineNr, at == null ? 0 : at.getColumnNr(), record[0],
						"invalid JSON line, expected one " + what + " object: " + e.getOriginalMessage()));
			}
		});
	}

	private static void invalid(String fileName, RecordSink sink, JsonProcessingException e, long record) {
		JsonLocation at = e.getLocation();
		sink.problem(new ParseProblem(fileName, at == null ? 0 : at.getLineNr(), at == null ? 0 : at.getColumnNr(),
				record, "invalid JSON, reading stopped here: " + e.getOriginalMessage()));
	}

	private static ParseProblem problem(String file, JsonLocation at, long record, String message) {
		return new ParseProblem(file, at.getLineNr(), at.getColumnNr(), record, message);
	}

	/** A field's value as text, or null when it is absent, null or blank. */
	public static String text(JsonNode n, String field) {
		JsonNode v = n.get(field);
		return v != null && v.isValueNode() && !v.isNull() && !v.asText().isBlank() ? v.asText() : null;
	}

	/** A parsed record as compact JSON (what loupe:rawRecord keeps). */
	public static String compact(JsonNode n) {
		try {
			return JSON.writeValueAsString(n);
		} catch (JsonProcessingException e) {
			throw new IllegalStateException("a parsed JSON tree always serialises", e);
		}
	}

	/**
	 * The shape of every reader's record handling: {@code check} says why a record cannot be used (null when it
	 * can), {@code map} turns it into facts; either way a problem names the file, position and reason.
	 * @param where added to the reason, e.g. which finding of an EventBridge event
	 */
	public static void handle(RecordSink sink, String file, long line, long column, long index, String where,
			java.util.function.Supplier<String> check, Runnable map) {
		String why = check.get();
		if (why == null) {
			try {
				map.run();
				return;
			} catch (IllegalArgumentException e) {
				why = e.getMessage();
			} catch (RuntimeException e) {
				why = "could not map this record: " + e;
			}
		}
		sink.problem(new ParseProblem(file, line, column, index, why + where));
	}
}
