package dev.loupe.core.ingest.ocsf;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.loupe.core.ingest.JsonRecords;
import dev.loupe.core.ingest.Times;

/**
 * OCSF activity records back in their sources' shapes (OCSF 1.1 attribute names, as Security Lake fills them):
 * the fields each source's mapper reads, nothing invented. A record without what its class needs is rejected
 * with the attribute that is missing.
 */
final class OcsfShapes {
	record Flow(List<String> fields, String[] values) {
	}

	private OcsfShapes() {
	}

	static Instant time(ObjectNode r, String attribute) {
		Instant t = Times.of(r.get(attribute));
		if (t == null) {
			throw new IllegalArgumentException("no " + attribute + "; expected epoch milliseconds or an ISO-8601 time");
		}
		return t;
	}

	/** API Activity as the CloudTrail event it came from. */
	static ObjectNode cloudTrail(ObjectNode r) {
		String operation = OcsfActivityReader.text(r, "api.operation");
		String service = OcsfActivityReader.text(r, "api.service.name");
		if (operation == null || service == null) {
			throw new IllegalArgumentException("missing api.operation or api.service.name; expected an API Activity record of CloudTrail");
		}
		ObjectNode e = JsonRecords.JSON.createObjectNode();
		e.put("eventVersion", "1.08").put("eventTime", time(r, "time").toString()).put("eventSource", service)
				.put("eventName", operation);
		put(e, "awsRegion", OcsfActivityReader.text(r, "cloud.region"));
		put(e, "recipientAccountId", OcsfActivityReader.text(r, "cloud.account.uid"));
		String ip = OcsfActivityReader.text(r, "src_endpoint.ip");
		put(e, "sourceIPAddress", ip != null ? ip : OcsfActivityReader.text(r, "src_endpoint.domain"));
		put(e, "userAgent", OcsfActivityReader.text(r, "http_request.user_agent"));
		put(e, "eventID", OcsfActivityReader.text(r, "metadata.uid"));
		put(e, "requestID", OcsfActivityReader.text(r, "api.request.uid"));
		put(e, "errorCode", OcsfActivityReader.text(r, "api.response.error"));
		put(e, "errorMessage", OcsfActivityReader.text(r, "api.response.message"));
		ObjectNode who = e.putObject("userIdentity");
		JsonNode user = r.path("actor").path("user");
		put(who, "type", text(user, "type"));
		put(who, "userName", text(user, "name"));
		String uid = text(user, "uid");
		String alt = text(user, "uid_alt");
		// Security Lake puts the ARN in uid and the principal ID in uid_alt; other producers do the reverse
		put(who, "arn", uid != null && uid.startsWith("arn:") ? uid : alt != null && alt.startsWith("arn:") ? alt : null);
		put(who, "principalId", uid != null && !uid.startsWith("arn:") ? uid : alt != null && !alt.startsWith("arn:") ? alt : null);
		put(who, "accountId", text(user.path("account"), "uid"));
		put(who, "accessKeyId", text(user, "credential_uid"));
		put(who, "invokedBy", OcsfActivityReader.text(r, "actor.invoked_by"));
		String issuer = OcsfActivityReader.text(r, "actor.session.issuer");
		if (issuer != null) {
			ObjectNode i = who.putObject("sessionContext").putObject("sessionIssuer").put("type", "Role").put("arn", issuer);
			i.put("userName", issuer.substring(issuer.lastIndexOf('/') + 1));
			String mfa = OcsfActivityReader.text(r, "actor.session.is_mfa");
			if (mfa != null) {
				((ObjectNode) who.get("sessionContext")).putObject("attributes").put("mfaAuthenticated", mfa);
			}
		}
		// what Security Lake keeps of the request and response, when it keeps them (unmapped)
		JsonNode unmapped = r.path("unmapped");
		for (String part : new String[] { "requestParameters", "responseElements", "additionalEventData" }) {
			JsonNode v = unmapped.get(part);
			if (v != null && v.isTextual()) {
				try {
					v = JsonRecords.JSON.readTree(v.asText());
				} catch (com.fasterxml.jackson.core.JsonProcessingException x) {
					v = null; // a truncated copy: the call is still read without it
				}
			}
			if (v != null && v.isObject()) {
				e.set(part, v);
			}
		}
		return e;
	}

	/** Network Activity as a flow log record in the custom format's field names. */
	static Flow flow(ObjectNode r) {
		List<String> fields = new ArrayList<>();
		List<String> values = new ArrayList<>();
		Instant start = Times.of(r.get("start_time")) != null ? Times.of(r.get("start_time")) : time(r, "time");
		Instant end = Times.of(r.get("end_time"));
		add(fields, values, "version", "5");
		add(fields, values, "account-id", OcsfActivityReader.text(r, "cloud.account.uid"));
		add(fields, values, "region", OcsfActivityReader.text(r, "cloud.region"));
		add(fields, values, "interface-id", OcsfActivityReader.text(r, "src_endpoint.interface_uid"));
		add(fields, values, "instance-id", OcsfActivityReader.text(r, "src_endpoint.instance_uid"));
		add(fields, values, "vpc-id", OcsfActivityReader.text(r, "src_endpoint.vpc_uid"));
		add(fields, values, "srcaddr", OcsfActivityReader.text(r, "src_endpoint.ip"));
		add(fields, values, "dstaddr", OcsfActivityReader.text(r, "dst_endpoint.ip"));
		add(fields, values, "srcport", OcsfActivityReader.text(r, "src_endpoint.port"));
		add(fields, values, "dstport", OcsfActivityReader.text(r, "dst_endpoint.port"));
		add(fields, values, "protocol", OcsfActivityReader.text(r, "connection_info.protocol_num"));
		add(fields, values, "bytes", OcsfActivityReader.text(r, "traffic.bytes"));
		add(fields, values, "packets", OcsfActivityReader.text(r, "traffic.packets"));
		add(fields, values, "start", Long.toString(start.getEpochSecond()));
		add(fields, values, "end", end == null ? null : Long.toString(end.getEpochSecond()));
		String action = OcsfActivityReader.text(r, "action");
		String disposition = OcsfActivityReader.text(r, "disposition");
		String verdict = action != null ? action : disposition;
		add(fields, values, "action", verdict == null ? null
				: verdict.equalsIgnoreCase("Allowed") || verdict.equalsIgnoreCase("ACCEPT") ? "ACCEPT" : "REJECT");
		add(fields, values, "log-status", OcsfActivityReader.text(r, "status_code"));
		String direction = OcsfActivityReader.text(r, "connection_info.direction");
		add(fields, values, "flow-direction", direction == null ? null : direction.toLowerCase(java.util.Locale.ROOT)
				.replace("inbound", "ingress").replace("outbound", "egress"));
		if (!fields.contains("srcaddr") && !fields.contains("log-status")) {
			throw new IllegalArgumentException("missing src_endpoint.ip and status_code; expected a Network Activity record of VPC Flow Logs");
		}
		return new Flow(fields, values.toArray(String[]::new));
	}

	/** DNS Activity as a Route 53 Resolver query log record. */
	static ObjectNode resolver(ObjectNode r) {
		ObjectNode q = JsonRecords.JSON.createObjectNode();
		q.put("query_timestamp", time(r, "time").toString());
		put(q, "query_name", OcsfActivityReader.text(r, "query.hostname"));
		put(q, "query_type", OcsfActivityReader.text(r, "query.type"));
		put(q, "query_class", OcsfActivityReader.text(r, "query.class"));
		String rcode = OcsfActivityReader.text(r, "rcode");
		put(q, "rcode", rcode == null ? null : rcode.equalsIgnoreCase("NoError") ? "NOERROR" : rcode.toUpperCase(java.util.Locale.ROOT));
		put(q, "srcaddr", OcsfActivityReader.text(r, "src_endpoint.ip"));
		put(q, "srcport", OcsfActivityReader.text(r, "src_endpoint.port"));
		put(q, "vpc_id", OcsfActivityReader.text(r, "src_endpoint.vpc_uid"));
		put(q, "account_id", OcsfActivityReader.text(r, "cloud.account.uid"));
		put(q, "region", OcsfActivityReader.text(r, "cloud.region"));
		String instance = OcsfActivityReader.text(r, "src_endpoint.instance_uid");
		if (instance != null) {
			q.putObject("srcids").put("instance", instance);
		}
		ArrayNode answers = q.putArray("answers");
		for (JsonNode a : r.path("answers")) {
			ObjectNode x = answers.addObject();
			put(x, "Rdata", text(a, "rdata"));
			put(x, "Type", text(a, "type"));
			put(x, "Class", text(a, "class"));
		}
		return q;
	}

	private static void add(List<String> fields, List<String> values, String field, String value) {
		if (value != null) {
			fields.add(field);
			values.add(value);
		}
	}

	private static String text(JsonNode n, String field) {
		return JsonRecords.text(n, field);
	}

	private static void put(ObjectNode o, String field, String value) {
		if (value != null) {
			o.put(field, value);
		}
	}
}
