package dev.loupe.core.ingest;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * What a CloudWatch Logs export to S3 (CreateExportTask) writes: each event as its timestamp, a space and the
 * message. When the messages are JSON (CloudTrail, Kubernetes audit or Resolver query logs sent to a log group),
 * the lines without their timestamps are the JSON lines the readers know. Lines keep their numbers; a column a
 * problem names counts from after the timestamp.
 */
final class TimestampedLines {
	private static final Pattern PREFIX = Pattern.compile("^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?Z (?=\\{)");

	private TimestampedLines() {
	}

	/** Whether the first line that is not blank is a timestamp and a JSON object. */
	static boolean matches(String head) {
		for (String line : head.split("\n", 8)) {
			if (!line.isBlank()) {
				return PREFIX.matcher(line).find();
			}
		}
		return false;
	}

	static String strip(String head) {
		StringBuilder b = new StringBuilder(head.length());
		for (String line : head.split("\n", -1)) {
			b.append(PREFIX.matcher(line).replaceFirst("")).append('\n');
		}
		return b.toString();
	}

	/** The lines of {@code in} without their timestamps. */
	static InputStream strip(InputStream in) {
		BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16);
		return new InputStream() {
			private byte[] line = new byte[0];
			private int pos;
			private boolean ended;

			private boolean more() throws IOException {
				while (!ended && pos >= line.length) {
					String l = lines.readLine();
					if (l == null) {
						ended = true;
					} else {
						line = (PREFIX.matcher(l).replaceFirst("") + "\n").getBytes(StandardCharsets.UTF_8);
						pos = 0;
					}
				}
				return !ended || pos < line.length;
			}

			@Override
			public int read() throws IOException {
				return more() && pos < line.length ? line[pos++] & 0xff : -1;
			}

			@Override
			public int read(byte[] b, int off, int len) throws IOException {
				if (len == 0) {
					return 0;
				}
				if (!more() || pos >= line.length) {
					return -1;
				}
				int n = Math.min(len, line.length - pos);
				System.arraycopy(line, pos, b, off, n);
				pos += n;
				return n;
			}

			@Override
			public void close() throws IOException {
				lines.close();
			}
		};
	}
}
