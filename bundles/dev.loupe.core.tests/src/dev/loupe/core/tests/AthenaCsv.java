package dev.loupe.core.tests;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * CloudTrail events as a {@code SELECT *} over Athena's CloudTrail table downloads them: the table's columns in its
 * order (the DDL of "Create a table for CloudTrail logs in Athena using manual partitioning", Athena user guide),
 * every value in double quotes, a null left empty; structs printed {@code {name=value, ...}} in the DDL's member
 * order with null members as {@code null}, arrays {@code [..., ...]}, maps like structs; the request, response and
 * other service data as the JSON text the table keeps. What the table has no column or member for is lost, as in
 * Athena.
 */
final class AthenaCsv {
	private static final ObjectMapper JSON = new ObjectMapper();
	/** Column (lowercase, as Athena prints it) and the event's field. */
	static final List<Map.Entry<String, String>> COLUMNS = List.of(Map.entry("eventversion", "eventVersion"),
			Map.entry("useridentity", "userIdentity"), Map.entry("eventtime", "eventTime"), Map.entry("eventsource", "eventSource"),
			Map.entry("eventname", "eventName"), Map.entry("awsregion", "awsRegion"), Map.entry("sourceipaddress", "sourceIPAddress"),
			Map.entry("useragent", "userAgent"), Map.entry("errorcode", "errorCode"), Map.entry("errormessage", "errorMessage"),
			Map.entry("requestparameters", "requestParameters"), Map.entry("responseelements", "responseElements"),
			Map.entry("additionaleventdata", "additionalEventData"), Map.entry("requestid", "requestID"), Map.entry("eventid", "eventID"),
			Map.entry("resources", "resources"), Map.entry("eventtype", "eventType"), Map.entry("apiversion", "apiVersion"),
			Map.entry("readonly", "readOnly"), Map.entry("recipientaccountid", "recipientAccountId"),
			Map.entry("serviceeventdetails", "serviceEventDetails"), Map.entry("sharedeventid", "sharedEventID"),
			Map.entry("vpcendpointid", "vpcEndpointId"), Map.entry("vpcendpointaccountid", "vpcEndpointAccountId"),
			Map.entry("eventcategory", "eventCategory"), Map.entry("addendum", "addendum"),
			Map.entry("sessioncredentialfromconsole", "sessionCredentialFromConsole"), Map.entry("edgedevicedetails", "edgeDeviceDetails"),
			Map.entry("tlsdetails", "tlsDetails"));
	private static final List<String> TEXT = List.of("requestParameters", "responseElements", "additionalEventData",
			"serviceEventDetails", "edgeDeviceDetails");

	private AthenaCsv() {
	}

	static String header() {
		StringBuilder sb = new StringBuilder();
		COLUMNS.forEach(c -> sb.append(sb.isEmpty() ? "" : ",").append('"').append(c.getKey()).append('"'));
		return sb.append('\n').toString();
	}

	static String row(JsonNode e) {
		StringBuilder sb = new StringBuilder();
		for (Map.Entry<String, String> c : COLUMNS) {
			if (!sb.isEmpty()) {
				sb.append(',');
			}
			JsonNode v = e.get(c.getValue());
			String text = v == null || v.isNull() ? null : switch (c.getValue()) {
			case "userIdentity" -> identity(v);
			case "resources" -> resources(v);
			case "addendum" -> struct(v, "reason", "updatedFields", "originalRequestID", "originalEventID");
			case "tlsDetails" -> struct(v, "tlsVersion", "cipherSuite", "clientProvidedHostHeader");
			default -> TEXT.contains(c.getValue()) && !v.isTextual() ? json(v) : v.asText();
			};
			if (text != null) {
				sb.append('"').append(text.replace("\"", "\"\"")).append('"');
			}
		}
		return sb.append('\n').toString();
	}

	private static String identity(JsonNode id) {
		JsonNode ctx = id.path("sessionContext");
		String context = ctx.isMissingNode() ? "null" : "{attributes=" + struct(ctx.get("attributes"), "mfaAuthenticated", "creationDate")
				+ ", sessionissuer=" + struct(ctx.get("sessionIssuer"), "type", "principalId", "arn", "accountId", "userName")
				+ ", ec2roledelivery=" + scalar(ctx.get("ec2RoleDelivery"))
				+ ", webidfederationdata=" + webIdentity(ctx.get("webIdFederationData")) + "}";
		return "{type=" + scalar(id.get("type")) + ", principalid=" + scalar(id.get("principalId")) + ", arn=" + scalar(id.get("arn"))
				+ ", accountid=" + scalar(id.get("accountId")) + ", invokedby=" + scalar(id.get("invokedBy")) + ", accesskeyid="
				+ scalar(id.get("accessKeyId")) + ", username=" + scalar(id.get("userName")) + ", onbehalfof="
				+ struct(id.get("onBehalfOf"), "userId", "identityStoreArn") + ", sessioncontext=" + context + "}";
	}

	private static String webIdentity(JsonNode w) {
		if (w == null || w.isNull() || w.isEmpty()) {
			return "null";
		}
		StringBuilder map = new StringBuilder("{");
		w.path("attributes").properties().forEach(a -> map.append(map.length() > 1 ? ", " : "").append(a.getKey()).append('=').append(scalar(a.getValue())));
		return "{federatedprovider=" + scalar(w.get("federatedProvider")) + ", attributes=" + map.append('}') + "}";
	}

	private static String resources(JsonNode rs) {
		StringBuilder sb = new StringBuilder("[");
		rs.forEach(r -> sb.append(sb.length() > 1 ? ", " : "").append(struct(r, "ARN", "accountId", "type")));
		return sb.append(']').toString();
	}

	/** The members in the DDL's order, named as Athena prints them (lowercase). */
	private static String struct(JsonNode v, String... members) {
		if (v == null || v.isNull() || v.isMissingNode()) {
			return "null";
		}
		StringBuilder sb = new StringBuilder("{");
		for (String m : members) {
			sb.append(sb.length() > 1 ? ", " : "").append(m.toLowerCase(java.util.Locale.ROOT)).append('=').append(scalar(v.get(m)));
		}
		return sb.append('}').toString();
	}

	private static String scalar(JsonNode v) {
		return v == null || v.isNull() || v.isMissingNode() ? "null" : v.isValueNode() ? v.asText() : json(v);
	}

	private static String json(JsonNode v) {
		try {
			return JSON.writeValueAsString(v);
		} catch (JsonProcessingException e) {
			throw new IllegalStateException(e);
		}
	}
}
