package dev.loupe.core.ingest.cloudtrail;

import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;

/** JSON as text with object keys sorted: the same content gives the same text whatever order it was written in. */
final class Fingerprint {
	private Fingerprint() {
	}

	static String sorted(JsonNode n) {
		if (n == null || n.isNull() || n.isMissingNode()) {
			return "";
		}
		StringBuilder sb = new StringBuilder();
		write(n, sb);
		return sb.toString();
	}

	private static void write(JsonNode n, StringBuilder sb) {
		if (n.isObject()) {
			Map<String, JsonNode> fields = new TreeMap<>();
			n.properties().forEach(e -> fields.put(e.getKey(), e.getValue()));
			sb.append('{');
			fields.forEach((k, v) -> {
				sb.append(k).append(':');
				write(v, sb);
				sb.append(',');
			});
			sb.append('}');
		} else if (n.isArray()) {
			sb.append('[');
			n.forEach(x -> {
				write(x, sb);
				sb.append(',');
			});
			sb.append(']');
		} else {
			sb.append(n.asText());
		}
	}
}
