package dev.loupe.core.ingest;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;


import com.fasterxml.jackson.databind.JsonNode;

/**
 * CloudWatch Logs pages ({@code FilterLogEvents} output, as {@code loupe pull logs} saves them and
 * {@code aws logs filter-log-events} prints them): each event's message is one record of whatever the log group
 * holds (flow log lines, CloudTrail events, Resolver queries, EKS audit events). The messages are handed, a chunk
 * at a time, to the reader that recognises the first of them; problems name the page's file and the log event.
 */
public final class CloudWatchLogsReader implements EvidenceReader {
	private static final Pattern START = Pattern.compile("^\\s*\\{\\s*\"(events|searchedLogStreams)\"\\s*:\\s*\\[");
	private static final Pattern EVENT = Pattern.compile("\"logStreamName\"\\s*:|\"ingestionTime\"\\s*:");
	private static final Pattern MESSAGE = Pattern.compile("\"message\"\\s*:\\s*\"");
	/** A page of a search that found nothing in this stretch (FilterLogEvents pages on with empty pages). */
	private static final Pattern EMPTY = Pattern.compile("^\\s*\\{\\s*\"events\"\\s*:\\s*\\[\\s*\\]\\s*[,}]");
	/** Bounded, so memory does not grow with an export's size; a FilterLogEvents page holds at most 10,000. */
	static final int CHUNK = 5_000;

	@Override
	public String format() {
		return "cloudwatch-logs";
	}

	/** What a subscription filter delivers (through Firehose to S3): records of log events, concatenated. */
	private static final Pattern SUBSCRIPTION = Pattern.compile("\"messageType\"\\s*:\\s*\"(DATA|CONTROL)_MESSAGE\"");

	@Override
	public boolean accepts(String head) {
		return EMPTY.matcher(head).find() || SUBSCRIPTION.matcher(head).find() && head.contains("\"logEvents\"")
				|| START.matcher(head).find() && EVENT.matcher(head).find() && MESSAGE.matcher(head).find();
	}

	@Override
	public void read(java.io.InputStream in, String fileName, RecordSink sink) throws IOException {
		Chunk chunk = new Chunk(fileName, sink);
		JsonRecords.read(in, fileName, sink, Set.of("events"), "log event", (node, line, column, index) -> {
			if (node.has("messageType")) {
				// a subscription's record: its log events, or CloudWatch's check that the destination is reachable
				if ("DATA_MESSAGE".equals(JsonRecords.text(node, "messageType"))) {
					for (JsonNode event : node.path("logEvents")) {
						JsonNode message = event.get("message");
						if (message != null && message.isTextual()) {
							chunk.add(message.asText(), line, index, JsonRecords.text(node, "logStream"));
						} else {
							sink.problem(new ParseProblem(fileName, line, column, index, "expected log events with a \"message\" string"));
						}
					}
					if (chunk.size() >= CHUNK) {
						chunk.flush();
					}
				}
				return;
			}
			JsonNode message = node.get("message");
			if (message == null || !message.isTextual()) {
				sink.problem(new ParseProblem(fileName, line, column, index,
						"expected a log event with a \"message\" string (FilterLogEvents output)"));
				return;
			}
			chunk.add(message.asText(), line, index, JsonRecords.text(node, "logStreamName"));
			if (chunk.size() >= CHUNK) {
				chunk.flush();
			}
		});
		chunk.flush();
	}

	/** Messages waiting for their reader, with where each came from in the page. */
	private static final class Chunk {
		private final String file;
		private final RecordSink sink;
		private final StringBuilder text = new StringBuilder();
		private final List<long[]> where = new ArrayList<>();
		private final List<String> streams = new ArrayList<>();
		private EvidenceReader inner;

		Chunk(String file, RecordSink sink) {
			this.file = file;
			this.sink = sink;
		}

		int size() {
			return where.size();
		}

		void add(String message, long line, long index, String stream) {
			// one message, one line: a message never legitimately spans lines in these formats
			text.append(message.replace('\r', ' ').replace('\n', ' ')).append('\n');
			where.add(new long[] { line, index });
			streams.add(stream);
		}

		/** Reads from memory: no I/O can fail here. */
		void flush() {
			if (where.isEmpty()) {
				return;
			}
			if (inner == null) {
				inner = Formats.innerReader(text.substring(0, Math.min(text.length(), 1 << 12)));
			}
			if (inner == null) {
				long[] first = where.get(0);
				sink.problem(new ParseProblem(file, first[0], 0, first[1], "the log events' messages are not a format Loupe"
						+ " reads (expected VPC flow log lines, CloudTrail events, Resolver query logs or Kubernetes audit events)"));
			} else {
				try {
					inner.read(new ByteArrayInputStream(text.toString().getBytes(StandardCharsets.UTF_8)), file, sink.rewritingProblems(this::remapped));
				} catch (IOException e) {
					throw new UncheckedIOException(e);
				}
			}
			text.setLength(0);
			where.clear();
			streams.clear();
		}

		/** Says problems with the page's own line and the log event's index and stream. */
		private ParseProblem remapped(ParseProblem p) {
			int i = (int) Math.max(0, Math.min(where.size() - 1, (p.line() > 0 ? p.line() : p.record()) - 1));
			long[] at = where.get(i);
			String stream = streams.get(i) == null ? "" : ", log stream " + streams.get(i);
			return new ParseProblem(file, at[0], 0, at[1], p.message() + " (log event " + at[1] + stream + ")");
		}
	}
}
