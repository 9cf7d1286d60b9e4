package dev.loupe.core.ingest.findings;

import java.util.function.BiConsumer;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Security Hub's EventBridge events ("Security Hub Findings - Imported", "Findings Imported V2") carry up to 100
 * findings in detail.findings: each is handed over with where it sits, other records as they are.
 */
final class FindingEvents {
	private FindingEvents() {
	}

	static void each(JsonNode node, BiConsumer<JsonNode, String> finding) {
		JsonNode list = node.path("detail").path("findings");
		if (node.path("detail-type").isTextual() && list.isArray()) {
			int i = 0;
			for (JsonNode f : list) {
				i++;
				finding.accept(f, " (finding " + i + " of the event)");
			}
			return;
		}
		if (node.path("detail-type").isTextual()) {
			finding.accept(node.path("detail"), " (an EventBridge event of type \"" + node.get("detail-type").asText()
					+ "\" without detail.findings)");
			return;
		}
		finding.accept(node, "");
	}
}
