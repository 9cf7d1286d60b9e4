package dev.loupe.core.ingest.s3;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import dev.loupe.core.ingest.EvidenceReader;
import dev.loupe.core.ingest.ParseProblem;
import dev.loupe.core.ingest.RecordSink;
import dev.loupe.core.ingest.TextLines;

/**
 * Amazon S3 server access logs as S3 delivers them: one request per line, fields separated by spaces, the time in
 * brackets and the request line, referrer and user agent in double quotes; "-" for an empty field. Older logs
 * have fewer fields (AWS added fields at the end over the years): the first 17 are required.
 */
public final class S3AccessLogReader implements EvidenceReader {
	static final String[] FIELDS = { "bucket_owner", "bucket", "time", "remote_ip", "requester", "request_id",
			"operation", "key", "request_uri", "http_status", "error_code", "bytes_sent", "object_size", "total_time",
			"turn_around_time", "referer", "user_agent", "version_id", "host_id", "signature_version", "cipher_suite",
			"authentication_type", "host_header", "tls_version", "access_point_arn", "acl_required" };
	static final int REQUIRED = 17;
	private static final Pattern LINE = Pattern.compile(
			"^\\S+ \\S+ \\[\\d{2}/\\w{3}/\\d{4}:\\d{2}:\\d{2}:\\d{2} [+-]\\d{4}\\] \\S+ \\S+ \\S+ (REST|BATCH|WEBSITE|S3)\\.\\S+ ");

	@Override
	public String format() {
		return "s3-access";
	}

	@Override
	public boolean accepts(String head) {
		String first = head.lines().filter(l -> !l.isBlank()).findFirst().orElse("");
		return LINE.matcher(first).find();
	}

	@Override
	public void read(InputStream in, String fileName, RecordSink sink) throws IOException {
		S3AccessMapper mapper = new S3AccessMapper(sink);
		long[] record = { 0 };
		TextLines.read(in, sink, (line, lineNr) -> {
			record[0]++;
			try {
				List<String> values = split(line);
				if (values.size() < REQUIRED) {
					throw new IllegalArgumentException(values.size() + " fields, expected at least " + REQUIRED
							+ " (bucket owner, bucket, [time], remote IP, requester, request ID, operation, key, \"request\","
							+ " status, error code, bytes sent, object size, total time, turn-around time, \"referrer\", \"user agent\")");
				}
				mapper.map(values, line);
			} catch (IllegalArgumentException e) {
				sink.problem(new ParseProblem(fileName, lineNr, 0, record[0], e.getMessage()));
			}
		});
	}

	/** The fields of one line: bracketed and quoted fields are one field each, without their delimiters. */
	static List<String> split(String line) {
		List<String> out = new ArrayList<>(FIELDS.length);
		int i = 0;
		int n = line.length();
		while (i < n) {
			char c = line.charAt(i);
			if (c == ' ') {
				i++;
				continue;
			}
			int end;
			if (c == '[' || c == '"') {
				char close = c == '[' ? ']' : '"';
				end = line.indexOf(close, i + 1);
				// a quote inside a user agent is escaped by S3 as \" : skip those
				while (close == '"' && end > 0 && line.charAt(end - 1) == '\\') {
					end = line.indexOf(close, end + 1);
				}
				if (end < 0) {
					throw new IllegalArgumentException("unclosed " + c + " starting at column " + (i + 1));
				}
				out.add(line.substring(i + 1, end));
				i = end + 1;
			} else {
				end = line.indexOf(' ', i);
				end = end < 0 ? n : end;
				out.add(line.substring(i, end));
				i = end;
			}
		}
		return out;
	}
}
