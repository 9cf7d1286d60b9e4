package dev.loupe.core.ingest.cloudtrail;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The CloudTrail event inside the wrappers other tools put around it: an EventBridge event (the event is its
 * detail), a LookupEvents entry (the event is a JSON string in CloudTrailEvent), a CloudTrail Lake result row (a
 * list of one-column objects), a log pipeline's copy with @timestamp instead of eventTime, a SIEM's export (Splunk's
 * raw text, Elasticsearch's source document), a table's copy with its field names lowercased ({@link LowercaseKeys}).
 */
final class Envelopes {
	private Envelopes() {
	}

	/**
	 * @return the event, or the node itself when it is not wrapped
	 * @throws IllegalArgumentException when a wrapper holds no readable event
	 */
	static JsonNode event(JsonNode node) {
		if (node.isArray()) {
			return lakeRow(node);
		}
		if (!(node instanceof ObjectNode o)) {
			return node;
		}
		JsonNode detailType = o.get("detail-type");
		if (detailType != null && detailType.isTextual() && o.get("detail") instanceof ObjectNode detail) {
			if (!detailType.asText().endsWith("via CloudTrail")) {
				throw new IllegalArgumentException("an EventBridge event of type \"" + detailType.asText()
						+ "\", expected one of CloudTrail's (\"AWS API Call via CloudTrail\", ...)");
			}
			return timestamp(detail);
		}
		// a SIEM's export: Splunk's `{"result": {"_raw": "<event>"}}` or `{"_raw": ...}`, Elasticsearch's `{"_source": {...}}`
		JsonNode raw = o.path("result").isObject() ? o.path("result").get("_raw") : o.get("_raw");
		if (raw != null && raw.isTextual()) {
			return text(raw.asText(), "_raw");
		}
		if (o.get("_source") instanceof ObjectNode source && source.has("eventSource")) {
			return timestamp(source);
		}
		JsonNode lookup = o.get("CloudTrailEvent");
		if (lookup != null) {
			if (!lookup.isTextual()) {
				throw new IllegalArgumentException("CloudTrailEvent is not a string; expected the event as JSON text, as LookupEvents returns it");
			}
			return text(lookup.asText(), "CloudTrailEvent");
		}
		return timestamp(LowercaseKeys.folded(o) ? LowercaseKeys.restored(o) : o);
	}

	/** An event kept as JSON text in a field of a wrapper. */
	private static JsonNode text(String json, String field) {
		try {
			return timestamp(CloudTrailReader.JSON.readTree(json));
		} catch (JsonProcessingException e) {
			throw new IllegalArgumentException(field + " does not hold valid JSON: " + e.getOriginalMessage());
		}
	}

	/** Lake returns each row as [{"eventID": "..."}, {"eventTime": "..."}, ...]: one object per selected column. */
	private static JsonNode lakeRow(JsonNode row) {
		ObjectNode event = CloudTrailReader.JSON.createObjectNode();
		for (JsonNode column : row) {
			if (!(column instanceof ObjectNode c)) {
				throw new IllegalArgumentException("a CloudTrail Lake result row holds a " + column.getNodeType().name().toLowerCase()
						+ "; expected objects of one column each");
			}
			c.properties().forEach(e -> event.set(e.getKey(), nested(e.getValue())));
		}
		return timestamp(event);
	}

	/**
	 * Lake returns nested columns (userIdentity, requestParameters) as JSON text or as maps, and other tables keep
	 * the request and response as text: both are read.
	 */
	static JsonNode nested(JsonNode v) {
		if (v.isTextual() && v.asText().startsWith("{")) {
			try {
				return CloudTrailReader.JSON.readTree(v.asText());
			} catch (JsonProcessingException e) {
				return v;
			}
		}
		return v;
	}

	private static JsonNode timestamp(JsonNode event) {
		if (event instanceof ObjectNode o && !o.has("eventTime") && o.path("@timestamp").isTextual()) {
			o.set("eventTime", o.get("@timestamp"));
		}
		return event;
	}
}
