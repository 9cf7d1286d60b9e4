package dev.loupe.core.ingest.findings;

import java.io.IOException;
import java.io.InputStream;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.loupe.core.ingest.EvidenceReader;
import dev.loupe.core.ingest.JsonRecords;
import dev.loupe.core.ingest.RecordSink;

/**
 * Security Hub findings in the AWS Security Finding Format (ASFF): GetFindings output and BatchImportFindings
 * payloads ({@code {"Findings":[...]}}), EventBridge "Security Hub Findings - Imported" events (findings in
 * detail.findings), arrays, JSON lines, single findings. GuardDuty's copies in Security Hub keep the GuardDuty
 * finding's ARN as their Id, so they are the same finding as GuardDuty's own.
 */
public final class AsffReader implements EvidenceReader {
	private static final Pattern SCHEMA = Pattern.compile("\"SchemaVersion\"\\s*:\\s*\"2018-10-08\"");
	private static final Pattern EVENT = Pattern.compile("\"detail-type\"\\s*:\\s*\"Security Hub Findings - Imported\"");

	@Override
	public String format() {
		return "asff";
	}

	@Override
	public boolean accepts(String head) {
		return SCHEMA.matcher(head).find() || EVENT.matcher(head).find();
	}

	@Override
	public void read(InputStream in, String fileName, RecordSink sink) throws IOException {
		AsffMapper mapper = new AsffMapper(sink);
		JsonRecords.read(in, fileName, sink, Set.of("Findings", "findings"), "ASFF finding",
				(node, line, column, index) -> FindingEvents.each(node, (f, where) -> JsonRecords.handle(sink, fileName,
						line, column, index, where, () -> check(f), () -> mapper.map((ObjectNode) f))));
		mapper.finish();
	}

	private static String check(JsonNode f) {
		if (!(f instanceof ObjectNode)) {
			return "expected an ASFF finding object, found " + f.getNodeType().name().toLowerCase();
		}
		for (String field : new String[] { "Id", "AwsAccountId", "ProductArn" }) {
			if (!f.path(field).isTextual() || f.get(field).asText().isBlank()) {
				return "missing \"" + field + "\"; expected an ASFF finding with Id, ProductArn, AwsAccountId, Types and CreatedAt";
			}
		}
		return null;
	}
}
