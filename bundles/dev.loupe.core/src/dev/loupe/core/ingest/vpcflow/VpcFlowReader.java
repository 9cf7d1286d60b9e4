package dev.loupe.core.ingest.vpcflow;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import dev.loupe.core.ingest.EvidenceReader;
import dev.loupe.core.ingest.ParseProblem;
import dev.loupe.core.ingest.RecordSink;
import dev.loupe.core.ingest.TextLines;

/**
 * VPC Flow Logs as delivered to S3 or exported from CloudWatch Logs: space-separated records, the default
 * version 2 format or a custom format (versions 3 to 5, any field order) named by a header line. A header can
 * start the file or come again later (concatenated files); CloudWatch Logs exports put a timestamp first.
 */
public final class VpcFlowReader implements EvidenceReader {
	/** Every field name AWS documents for flow log records (versions 2 to 5). */
	static final Set<String> FIELDS = Set.of("version", "account-id", "interface-id", "srcaddr", "dstaddr", "srcport",
			"dstport", "protocol", "packets", "bytes", "start", "end", "action", "log-status", "vpc-id", "subnet-id",
			"instance-id", "tcp-flags", "type", "pkt-srcaddr", "pkt-dstaddr", "region", "az-id", "sublocation-type",
			"sublocation-id", "pkt-src-aws-service", "pkt-dst-aws-service", "flow-direction", "traffic-path",
			"ecs-cluster-arn", "ecs-cluster-name", "ecs-container-instance-arn", "ecs-container-instance-id",
			"ecs-container-id", "ecs-second-container-id", "ecs-service-name", "ecs-task-definition-arn", "ecs-task-arn",
			"ecs-task-id", "reject-reason");
	/** The default format, used when a file has no header line. */
	static final List<String> DEFAULT = List.of("version", "account-id", "interface-id", "srcaddr", "dstaddr", "srcport",
			"dstport", "protocol", "packets", "bytes", "start", "end", "action", "log-status");
	private static final Pattern DEFAULT_LINE = Pattern.compile("^2 (\\d{12}|unknown) (eni-[0-9a-f]+|-) .*");
	private static final Pattern EXPORT_TIME = Pattern.compile("^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?Z$");

	@Override
	public String format() {
		return "vpc-flow";
	}

	@Override
	public boolean accepts(String head) {
		String first = head.lines().map(String::strip).filter(l -> !l.isEmpty()).findFirst().orElse("");
		String[] tokens = withoutExportTime(first.split("\\s+"));
		if (isHeader(tokens)) {
			return true;
		}
		return DEFAULT_LINE.matcher(String.join(" ", tokens)).matches() && tokens.length == DEFAULT.size();
	}

	@Override
	public void read(InputStream in, String fileName, RecordSink sink) throws IOException {
		FlowMapper mapper = new FlowMapper(sink);
		var file = new Object() {
			List<String> fields = DEFAULT;
			boolean headerSeen;
			long record;
		};
		TextLines.read(in, sink, (line, lineNr) -> {
			String stripped = line.strip();
			String[] tokens = withoutExportTime(stripped.split("\\s+"));
			if (isHeader(tokens)) {
				file.fields = List.of(tokens);
				file.headerSeen = true;
				return;
			}
			file.record++;
			if (tokens.length != file.fields.size()) {
				sink.problem(new ParseProblem(fileName, lineNr, 0, file.record, tokens.length + " fields, expected "
						+ file.fields.size() + (file.headerSeen ? " as the header line names (" : " of the default format (")
						+ String.join(" ", file.fields) + ")"));
				return;
			}
			try {
				mapper.map(file.fields, tokens, stripped);
			} catch (IllegalArgumentException e) {
				sink.problem(new ParseProblem(fileName, lineNr, 0, file.record, e.getMessage()));
			}
		});
	}

	/** A header names known fields only, and at least the addresses or the status. */
	static boolean isHeader(String[] tokens) {
		if (tokens.length == 0 || !Arrays.stream(tokens).allMatch(FIELDS::contains)) {
			return false;
		}
		List<String> t = List.of(tokens);
		return t.contains("srcaddr") || t.contains("log-status") || t.contains("interface-id");
	}

	private static String[] withoutExportTime(String[] tokens) {
		return tokens.length > 1 && EXPORT_TIME.matcher(tokens[0]).matches() ? Arrays.copyOfRange(tokens, 1, tokens.length)
				: tokens;
	}
}
