package dev.loupe.core.ingest.cloudtrail;

import java.util.Iterator;
import java.util.Map;
import java.util.function.BiPredicate;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A look through every field of a request at any depth, for qualifiers whose subject may sit anywhere: services
 * nest the same setting differently, and EC2's newer calls write their keys in PascalCase.
 */
final class RequestFields {
	/** Deeper than any request read here nests (CreateFleet's overrides are four down). */
	private static final int DEPTH = 10;

	private RequestFields() {
	}

	/**
	 * Whether {@code test} holds for a field's name and value somewhere in {@code request}; an array's items are
	 * tried as values of the array's field (null at the top).
	 */
	static boolean any(JsonNode request, BiPredicate<String, JsonNode> test) {
		return any(null, request, test, 0);
	}

	private static boolean any(String key, JsonNode node, BiPredicate<String, JsonNode> test, int depth) {
		if (depth > DEPTH) {
			return false;
		}
		if (node.isArray()) {
			for (JsonNode item : node) {
				if (test.test(key, item) || any(key, item, test, depth + 1)) {
					return true;
				}
			}
		}
		for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext();) {
			Map.Entry<String, JsonNode> field = it.next();
			if (test.test(field.getKey(), field.getValue()) || any(field.getKey(), field.getValue(), test, depth + 1)) {
				return true;
			}
		}
		return false;
	}
}
