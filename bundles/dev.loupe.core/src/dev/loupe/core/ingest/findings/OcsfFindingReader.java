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
		Rows rows = handler(fileName, sink);
		JsonRecords.read(in, fileName, sink, Set.of("Findings", "findings"), "OCSF Detection Finding", rows);
		rows.finish();
	}

	/** Findings read one record at a time; {@link #finish} after the last. */
	public interface Rows extends JsonRecords.Handler {
		/** States the latest version's state and severity of each finding read (see FindingVersions). */
		void finish();
	}

	/** Maps one record at a time, wherever it was read from (a JSON file, a Parquet row). */
	public static Rows handler(String fileName, RecordSink sink) {
		OcsfFindingMapper mapper = new OcsfFindingMapper(sink);
		return new Rows() {
			@Override
			public void record(JsonNode node, long line, long column, long index) {
				FindingEvents.each(node, (f, where) -> JsonRecords.handle(sink, fileName, line, column, index, where, () -> check(f),
						() -> mapper.map((ObjectNode) f)));
			}

			@Override
			public void finish() {
				mapper.finish();
			}
		};
	}

	private static String check(JsonNode f) {
		if (!(f instanceof ObjectNode)) {
			return "expected an OCSF finding object, found " + f.getNodeType().name().toLowerCase();
		}
		if (f.path("class_uid").asInt() != 2004) {
			return "class_uid " + f.path("class_uid") + "; expected 2004 (Detection Finding)";
		}
		if (!f.path("finding_info").path("uid").isTextual()) {
			return "missing finding_info.uid; expected an OCSF Detection Finding with finding_info.uid and a time";
		}
		return null;
	}
}
