package dev.loupe.core.ingest;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import dev.loupe.core.store.Csv;

/**
 * Comma-separated values as query consoles download them (RFC 4180): fields in double quotes may hold commas,
 * line breaks and doubled quotes. Read as a stream, row by row, each with the line it starts on, for the errors.
 */
public final class CsvRows {

	/** One row: its fields (null for a field left empty without quotes, as Athena writes a null) and where it starts. */
	public interface Row {
		void accept(List<String> fields, long line, long row) throws IOException;
	}

	/** A quoted field that the file ends inside. */
	public static final class UnclosedQuote extends IOException {
		private static final long serialVersionUID = 1L;
		private final long line;

		UnclosedQuote(long line) {
			super("a quoted field opened on line " + line + " is not closed before the end of the file");
			this.line = line;
		}

		public long line() {
			return line;
		}
	}

	private CsvRows() {
	}

	/** The fields of the first line of {@code head} (a quoted field may not span lines there). */
	public static List<String> firstLine(String head) {
		String text = head.startsWith("\uFEFF") ? head.substring(1) : head;
		int end = text.indexOf('\n');
		return Csv.fields((end < 0 ? text : text.substring(0, end)).replace("\r", ""));
	}

	/** Every row of the file, the header included, blank lines skipped, until the sink is cancelled. */
	public static void read(InputStream in, RecordSink sink, Row each) throws IOException {
		BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16);
		List<String> fields = new ArrayList<>();
		StringBuilder field = new StringBuilder();
		long line = 1;
		long start = 1;
		long row = 0;
		boolean quoted = false;
		boolean wasQuoted = false;
		boolean first = true;
		int c;
		while ((c = reader.read()) >= 0) {
			if (first) {
				first = false;
				if (c == '\uFEFF') {
					continue;
				}
			}
			if (quoted) {
				if (c == '"') {
					reader.mark(1);
					int next = reader.read();
					if (next == '"') {
						field.append('"');
						continue;
					}
					quoted = false;
					if (next >= 0) {
						reader.reset();
					}
					continue;
				}
				if (c == '\n') {
					line++;
				}
				field.append((char) c);
				continue;
			}
			switch (c) {
			case '"' -> {
				quoted = true;
				wasQuoted = true;
			}
			case ',' -> {
				fields.add(value(field, wasQuoted));
				field.setLength(0);
				wasQuoted = false;
			}
			case '\r' -> {
				// CRLF: the line ends at the LF
			}
			case '\n' -> {
				fields.add(value(field, wasQuoted));
				if (fields.size() > 1 || fields.get(0) != null) {
					each.accept(fields, start, ++row);
					if (sink.isCancelled()) {
						return;
					}
				}
				fields = new ArrayList<>();
				field.setLength(0);
				wasQuoted = false;
				start = ++line;
			}
			default -> field.append((char) c);
			}
		}
		if (quoted) {
			throw new UnclosedQuote(start);
		}
		fields.add(value(field, wasQuoted));
		if (fields.size() > 1 || fields.get(0) != null) {
			each.accept(fields, start, ++row);
		}
	}

	private static String value(StringBuilder field, boolean quoted) {
		return field.isEmpty() && !quoted ? null : field.toString();
	}
}
