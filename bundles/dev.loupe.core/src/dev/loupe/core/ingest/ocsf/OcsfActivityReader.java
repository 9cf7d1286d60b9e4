package dev.loupe.core.ingest.ocsf;

import java.io.IOException;
import java.io.InputStream;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.loupe.core.ingest.EvidenceReader;
import dev.loupe.core.ingest.FactBuffer;
import dev.loupe.core.ingest.JsonRecords;
import dev.loupe.core.ingest.ParseProblem;
import dev.loupe.core.ingest.RecordSink;
import dev.loupe.core.ingest.cloudtrail.CloudTrailMapper;
import dev.loupe.core.ingest.dns.ResolverQueryLogReader;
import dev.loupe.core.ingest.vpcflow.FlowMapper;

/**
 * OCSF activity records, as Amazon Security Lake normalises its sources (and as its query results and exports
 * carry them, JSON lines or arrays): API Activity (class 6003, from CloudTrail), Network Activity (4001, from VPC
 * Flow Logs) and DNS Activity (4003, from Route 53 Resolver). Each is read back into the source's own fields and
 * mapped as the source is, so an OCSF copy and the original meet on the same principals, addresses and instances.
 */
public final class OcsfActivityReader implements EvidenceReader {
	private static final Pattern CLASS = Pattern.compile("\"class_uid\"\\s*:\\s*\"?(6003|4001|4003)\\b");

	@Override
	public String format() {
		return "ocsf-activity";
	}

	@Override
	public boolean accepts(String head) {
		return CLASS.matcher(head).find() && !head.contains("\"finding_info\"");
	}

	@Override
	public void read(InputStream in, String fileName, RecordSink sink) throws IOException {
		JsonRecords.read(in, fileName, sink, Set.of("events", "Items", "Rows"), "OCSF activity record", handler(fileName, sink));
	}

	/** Maps one record at a time, wherever it was read from (a JSON file, a Parquet row). */
	public static JsonRecords.Handler handler(String fileName, RecordSink sink) {
		FactBuffer facts = new FactBuffer(sink);
		CloudTrailMapper calls = new CloudTrailMapper(sink);
		FlowMapper flows = new FlowMapper(sink);
		return (node, line, column, index) -> {
			if (!(node instanceof ObjectNode r)) {
				sink.problem(new ParseProblem(fileName, line, column, index, "expected an OCSF activity object"));
				return;
			}
			try {
				switch (r.path("class_uid").asInt()) {
				case 6003 -> calls.map(OcsfShapes.cloudTrail(r));
				case 4001 -> {
					OcsfShapes.Flow f = OcsfShapes.flow(r);
					flows.map(f.fields(), f.values(), JsonRecords.compact(r));
				}
				case 4003 -> {
					ObjectNode q = OcsfShapes.resolver(r);
					String why = ResolverQueryLogReader.check(q);
					if (why != null) {
						throw new IllegalArgumentException(why.replace("query_name", "query.hostname")
								.replace("query_timestamp", "time"));
					}
					facts.record(() -> ResolverQueryLogReader.map(facts, q, JsonRecords.compact(r)));
				}
				default -> throw new IllegalArgumentException("class_uid " + r.path("class_uid")
						+ " is not an activity Loupe reads; expected 6003 (API), 4001 (Network) or 4003 (DNS)");
				}
			} catch (IllegalArgumentException e) {
				sink.problem(new ParseProblem(fileName, line, column, index, e.getMessage()));
			}
		};
	}

	static String text(JsonNode n, String path) {
		JsonNode v = n;
		for (String p : path.split("\\.")) {
			v = v.path(p);
		}
		return v.isValueNode() && !v.isNull() && !v.asText().isBlank() ? v.asText() : null;
	}
}
