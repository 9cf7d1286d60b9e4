package dev.loupe.core.ingest;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * How the line formats (JSON lines, VPC Flow Logs, S3 server access logs) read a file: line by line, blank lines
 * skipped, stopping when the sink is cancelled; each line with its number in the file, for the errors.
 */
public final class TextLines {

	/** One line that is not blank, and its number in the file (from 1). */
	public interface Line {
		void accept(String line, long lineNr) throws IOException;
	}

	private TextLines() {
	}

	public static void read(InputStream in, RecordSink sink, Line each) throws IOException {
		BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16);
		String line;
		long lineNr = 0;
		while (!sink.isCancelled() && (line = reader.readLine()) != null) {
			lineNr++;
			if (!line.isBlank()) {
				each.accept(line, lineNr);
			}
		}
	}
}
