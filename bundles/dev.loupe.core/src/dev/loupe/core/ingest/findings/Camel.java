package dev.loupe.core.ingest.findings;

import java.util.ArrayList;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * GuardDuty's API answers in PascalCase (GetFindings: "Service", "AccessKeyDetails") and its EventBridge events
 * in camelCase ("service", "accessKeyDetails"): the same finding either way. Field names are read with their
 * first letter in lower case, so one mapping serves both.
 */
final class Camel {
	private Camel() {
	}

	static JsonNode of(JsonNode n) {
		if (n instanceof ObjectNode o) {
			ObjectNode out = JsonNodeFactory.instance.objectNode();
			for (Map.Entry<String, JsonNode> e : new ArrayList<>(o.properties())) {
				out.set(lower(e.getKey()), of(e.getValue()));
			}
			return out;
		}
		if (n instanceof ArrayNode a) {
			ArrayNode out = JsonNodeFactory.instance.arrayNode();
			a.forEach(x -> out.add(of(x)));
			return out;
		}
		return n;
	}

	private static String lower(String key) {
		if (key.isEmpty() || !Character.isUpperCase(key.charAt(0))) {
			return key;
		}
		return Character.toLowerCase(key.charAt(0)) + key.substring(1);
	}
}
