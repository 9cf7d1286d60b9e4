package dev.loupe.core.ingest.findings;

import java.io.IOException;
import java.io.InputStream;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.loupe.core.ingest.EvidenceReader;
import dev.loupe.core.ingest.JsonRecords;
import dev.loupe.core.ingest.ParseProblem;
import dev.loupe.core.ingest.RecordSink;

/**
 * GuardDuty findings as the API returns them (GetFindings, PascalCase, {@code {"Findings":[...]}}), as
 * EventBridge delivers them ("GuardDuty Finding", camelCase, the finding in detail), and as exports and tools
 * keep them (arrays, JSON lines, one finding per file). Extended Threat Detection's attack sequences included.
 * GuardDuty findings copied into Security Hub (ASFF) are read by {@link AsffReader}.
 */
public final class GuardDutyReader implements EvidenceReader {
	private static final Pattern SERVICE = Pattern.compile("\"[sS]erviceName\"\\s*:\\s*\"guardduty\"");
	private static final Pattern EVENT = Pattern.compile("\"detail-type\"\\s*:\\s*\"GuardDuty Finding\"");

	@Override
	public String format() {
		return "guardduty";
	}

	@Override
	public boolean accepts(String head) {
		return EVENT.matcher(head).find() || SERVICE.matcher(head).find();
	}

	@Override
	public void read(InputStream in, String fileName, RecordSink sink) throws IOException {
		GuardDutyMapper mapper = new GuardDutyMapper(sink);
		JsonRecords.read(in, fileName, sink, Set.of("Findings", "findings"), "GuardDuty finding",
				(node, line, column, index) -> {
					String why = handle(node, mapper);
					if (why != null) {
						sink.problem(new ParseProblem(fileName, line, column, index, why));
					}
				});
		mapper.finish();
	}

	/** @return why the record was not used, or null */
	private static String handle(JsonNode node, GuardDutyMapper mapper) {
		JsonNode finding = node;
		if (node.path("detail-type").isTextual()) {
			if (!"GuardDuty Finding".equals(node.get("detail-type").asText())) {
				return "an EventBridge event of type \"" + node.get("detail-type").asText() + "\", expected \"GuardDuty Finding\"";
			}
			finding = node.path("detail");
		}
		if (!(finding instanceof ObjectNode raw)) {
			return "expected a GuardDuty finding object, found " + finding.getNodeType().name().toLowerCase();
		}
		JsonNode f = Camel.of(raw);
		for (String field : new String[] { "id", "type", "accountId" }) {
			JsonNode v = f.path(field);
			if (!v.isMissingNode() && !v.isNull() && !v.isTextual()) {
				return "\"" + field + "\" is a " + v.getNodeType().name().toLowerCase() + "; expected text, as in \"accountId\": \"123456789012\"";
			}
			if (!v.isTextual() || v.asText().isBlank()) {
				return "missing \"" + field + "\"; expected a GuardDuty finding with Id, Type, AccountId and CreatedAt or UpdatedAt";
			}
		}
		try {
			mapper.map(f, raw);
			return null;
		} catch (IllegalArgumentException e) {
			return e.getMessage();
		} catch (RuntimeException e) {
			return "could not map this finding: " + e;
		}
	}
}
