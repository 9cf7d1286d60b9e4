package dev.loupe.core.ingest.cloudtrail;

import java.io.IOException;
import java.io.InputStream;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.loupe.core.ingest.EvidenceReader;
import dev.loupe.core.ingest.JsonRecords;
import dev.loupe.core.ingest.ParseProblem;
import dev.loupe.core.ingest.RecordSink;

/**
 * CloudTrail events in the shapes AWS and tools write them: S3 delivery {@code {"Records":[...]}}, a bare JSON
 * array, JSON lines, EventBridge envelopes ("AWS API Call via CloudTrail" and the other CloudTrail detail
 * types), LookupEvents output (each event a JSON string in CloudTrailEvent), CloudTrail Lake query results, and
 * log pipelines that renamed eventTime to @timestamp, and SIEM exports (Splunk's {@code _raw} text, Elasticsearch's
 * {@code _source} document).
 */
public final class CloudTrailReader implements EvidenceReader {
	static final ObjectMapper JSON = JsonRecords.JSON;
	private static final Set<String> CONTAINERS = Set.of("Records", "Events", "QueryResultRows");
	/** Any case: tables that fold column names lowercase them (LowercaseKeys). */
	private static final Pattern EVENT_SOURCE = Pattern.compile("\"eventSource\"\\s*:", Pattern.CASE_INSENSITIVE);
	private static final Pattern CONTAINER = Pattern.compile("^\\s*\\{\\s*\"(Records|QueryResultRows)\"\\s*:", Pattern.DOTALL);
	private static final Pattern EVENT_TIME = Pattern.compile("\"(eventTime|eventVersion|@timestamp)\"\\s*:", Pattern.CASE_INSENSITIVE);
	private static final Pattern LOOKUP = Pattern.compile("\"CloudTrailEvent\"\\s*:\\s*\"");
	/** A SIEM's export keeping each event as its raw text (Splunk's `_raw`), quotes escaped. */
	private static final Pattern RAW = Pattern.compile("\"_raw\"\\s*:\\s*\"\\{.*\\\\\"eventSource\\\\\"");

	@Override
	public String format() {
		return "cloudtrail";
	}

	@Override
	public boolean accepts(String head) {
		// Security Hub's GetFindingHistory also answers {"Records":[...]}: CloudTrail's own fields decide
		return LOOKUP.matcher(head).find() || RAW.matcher(head).find() || EVENT_SOURCE.matcher(head).find()
				&& (CONTAINER.matcher(head).find() || EVENT_TIME.matcher(head).find());
	}

	@Override
	public void read(InputStream in, String fileName, RecordSink sink) throws IOException {
		var mapper = new CloudTrailMapper(sink);
		JsonRecords.read(in, fileName, sink, CONTAINERS, "CloudTrail event",
				(node, line, column, index) -> handle(node, fileName, line, column, index, sink, mapper));
	}

	static void handle(JsonNode node, String fileName, long line, long column, long record, RecordSink sink,
			CloudTrailMapper mapper) {
		JsonNode unwrapped;
		try {
			unwrapped = Envelopes.event(node);
		} catch (IllegalArgumentException e) {
			sink.problem(new ParseProblem(fileName, line, column, record, e.getMessage()));
			return;
		}
		if (!(unwrapped instanceof ObjectNode event)) {
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
		}
	}
}
