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
 * Security Hub findings in OCSF (Detection Finding, class 2004): EventBridge "Findings Imported V2" events
 * (findings in detail.findings), GetFindingsV2 output ({@code {"Findings":[...]}}), arrays, JSON lines and single
 * findings. A GuardDuty finding keeps its ARN as finding_info.uid: the same node as GuardDuty's and ASFF's copies.
 */
public final class OcsfFindingReader implements EvidenceReader {
	private static final Pattern CLASS = Pattern.compile("\"class_uid\"\\s*:\\s*2004\\b");
	private static final Pattern EVENT = Pattern.compile("\"detail-type\"\\s*:\\s*\"Findings Imported V2\"");

	@Override
	public String format() {
		return "ocsf-finding";
	}

	@Override
	public boolean accepts(String head) {
		return CLASS.matcher(head).find() || EVENT.matcher(head).find();
	}

	@Override
	public void read(InputStream in, String fileName, RecordSink sink) throws IOException {
		OcsfFindingMapper mapper = new OcsfFindingMapper(sink);
		JsonRecords.read(in, fileName, sink, Set.of("Findings", "findings"), "OCSF Detection Finding", (node, line, column, index) -> {
			JsonNode list = node.path("detail").path("findings");
			if (node.path("detail-type").isTextual() && list.isArray()) {
				int i = 0;
				for (JsonNode f : list) {
					i++;
					one(f, fileName, line, column, index, sink, mapper, " (finding " + i + " of the event)");
				}
				return;
			}
			one(node, fileName, line, column, index, sink, mapper, "");
		});
	}

	private static void one(JsonNode f, String fileName, long line, long column, long index, RecordSink sink,
			OcsfFindingMapper mapper, String where) {
		String why;
		if (!(f instanceof ObjectNode o)) {
			why = "expected an OCSF finding object, found " + f.getNodeType().name().toLowerCase();
		} else if (f.path("class_uid").asInt() != 2004) {
			why = "class_uid " + f.path("class_uid") + "; expected 2004 (Detection Finding)";
		} else if (!f.path("finding_info").path("uid").isTextual()) {
			why = "missing finding_info.uid; expected an OCSF Detection Finding with finding_info.uid and a time";
		} else {
			try {
				mapper.map(o);
				return;
			} catch (IllegalArgumentException e) {
				why = e.getMessage();
			} catch (RuntimeException e) {
				why = "could not map this finding: " + e;
			}
		}
		sink.problem(new ParseProblem(fileName, line, column, index, why + where));
	}
}
