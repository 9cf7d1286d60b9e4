package dev.loupe.core.ingest;

import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

/**
 * Removes credentials from evidence before any of it is stored: Loupe never writes secrets to disk or into
 * snapshots. CloudTrail records, for example, carry the session token that STS returned to AssumeRole.
 * Identifiers (access key IDs, ARNs) are kept: they are what an investigation follows.
 */
public final class Redaction {
	public static final String REDACTED = "<redacted by Loupe>";
	/** Field names (compared in lower case) whose values are secrets wherever they appear. */
	private static final Set<String> SECRET_FIELDS = Set.of("sessiontoken", "secretaccesskey", "password",
			"privatekey", "clientsecret", "accesstoken", "refreshtoken", "idtoken", "samlassertion");

	private Redaction() {
	}

	/** Redacts in place; returns how many values were replaced. */
	public static int redact(JsonNode node) {
		int n = 0;
		if (node instanceof ObjectNode o) {
			Iterator<Map.Entry<String, JsonNode>> it = o.fields();
			while (it.hasNext()) {
				Map.Entry<String, JsonNode> f = it.next();
				if (SECRET_FIELDS.contains(f.getKey().toLowerCase(Locale.ROOT)) && !f.getValue().isNull()) {
					f.setValue(TextNode.valueOf(REDACTED));
					n++;
				} else {
					n += redact(f.getValue());
				}
			}
		} else if (node instanceof ArrayNode a) {
			for (JsonNode child : a) {
				n += redact(child);
			}
		}
		return n;
	}
}
