package dev.loupe.cli.tests;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A local endpoint speaking the wire protocols of the services Loupe pulls from, for the real SDK clients:
 * CloudTrail and CloudWatch Logs (AWS JSON 1.1, operation in X-Amz-Target), GuardDuty and Security Hub (REST
 * JSON), S3 (REST XML, path-style ListObjectsV2 and GetObject), STS (query protocol: AssumeRole,
 * GetCallerIdentity) and Organizations (AWS JSON 1.1: ListAccounts). Pages with tokens, a throttled first call, and a
 * region whose calls are denied. The region of a call is read from its SigV4 credential scope, as AWS does.
 */
final class FakeAws implements AutoCloseable {
	static final ObjectMapper JSON = new ObjectMapper();
	private static final Pattern SCOPE = Pattern.compile("Credential=([^/]+)/\\d{8}/([^/]+)/([^/]+)/aws4_request");

	final HttpServer server;
	/** Every call, as "service region operation". */
	final List<String> calls = Collections.synchronizedList(new ArrayList<>());
	/** Access key IDs the calls were signed with. */
	final List<String> keys = Collections.synchronizedList(new ArrayList<>());
	final Map<String, Integer> throttleFirst = new ConcurrentHashMap<>();
	final String deniedRegion;
	final List<List<JsonNode>> cloudTrailPages;
	final List<JsonNode> guardDutyFindings;
	final List<JsonNode> securityHubFindings;
	/** CloudWatch Logs: group name to pages of messages; a group not here is denied. */
	final Map<String, List<List<String>>> logGroups = new ConcurrentHashMap<>();
	/** S3: "bucket/key" to the object's bytes, listed in key order, two keys a page. */
	final Map<String, byte[]> objects = new java.util.TreeMap<>();
	/** S3 keys whose GetObject is denied (a KMS key the analyst may not use). */
	final java.util.Set<String> deniedObjects = ConcurrentHashMap.newKeySet();

	/**
	 * Organizations: account ID to its state (ACTIVE, SUSPENDED...), listed two a page; null: the caller is not
	 * allowed to list them (a member account).
	 */
	Map<String, String> organization;

	FakeAws(String deniedRegion, List<List<JsonNode>> cloudTrailPages, List<JsonNode> guardDutyFindings,
			List<JsonNode> securityHubFindings) throws IOException {
		this.deniedRegion = deniedRegion;
		this.cloudTrailPages = cloudTrailPages;
		this.guardDutyFindings = guardDutyFindings;
		this.securityHubFindings = securityHubFindings;
		server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		server.createContext("/", this::handle);
		server.start();
	}

	String endpoint() {
		return "http://127.0.0.1:" + server.getAddress().getPort();
	}

	private void handle(HttpExchange x) throws IOException {
		byte[] body;
		try (InputStream in = x.getRequestBody()) {
			body = in.readAllBytes();
		}
		String auth = String.valueOf(x.getRequestHeaders().getFirst("Authorization"));
		Matcher m = SCOPE.matcher(auth);
		if (!m.find()) {
			error(x, 403, "MissingAuthenticationTokenException", "Missing Authentication Token");
			return;
		}
		String key = m.group(1);
		String region = m.group(2);
		String service = m.group(3);
		keys.add(key);
		String target = String.valueOf(x.getRequestHeaders().getFirst("X-Amz-Target"));
		String op = target.contains(".") ? target.substring(target.lastIndexOf('.') + 1) : x.getRequestMethod() + " " + x.getRequestURI().getPath();
		if (service.equals("s3")) {
			op = String.valueOf(x.getRequestURI().getQuery()).contains("list-type=2") ? "ListObjectsV2"
					: "GetObject " + x.getRequestURI().getPath().substring(1);
		} else if (service.equals("sts")) {
			op = param(new String(body, StandardCharsets.UTF_8), "Action") + " " + param(new String(body, StandardCharsets.UTF_8), "RoleArn");
		}
		calls.add(service + " " + region + " " + op);
		if (service.equals("s3")) {
			s3(x, region);
			return;
		}
		if (service.equals("sts")) {
			sts(x, new String(body, StandardCharsets.UTF_8), key);
			return;
		}
		JsonNode request = body.length == 0 ? JSON.createObjectNode() : JSON.readTree(body);
		if (service.equals("organizations")) {
			organizations(x, request);
			return;
		}
		if (region.equals(deniedRegion)) {
			error(x, 403, "AccessDeniedException", "User: arn:aws:iam::111122223333:user/analyst is not authorized to perform this action");
			return;
		}
		if (throttleFirst.merge(service + op, 1, Integer::sum) == 1 && service.equals("cloudtrail")) {
			error(x, 400, "ThrottlingException", "Rate exceeded");
			return;
		}
		switch (service) {
		case "cloudtrail" -> cloudTrail(x, request);
		case "guardduty" -> guardDuty(x, request);
		case "securityhub" -> securityHub(x, request);
		case "logs" -> logs(x, request);
		default -> error(x, 400, "UnknownOperationException", service);
		}
	}

	private void cloudTrail(HttpExchange x, JsonNode request) throws IOException {
		int page = request.path("NextToken").isTextual() ? Integer.parseInt(request.get("NextToken").asText().substring(5)) : 0;
		ObjectNode out = JSON.createObjectNode();
		ArrayNode events = out.putArray("Events");
		for (JsonNode e : cloudTrailPages.get(page)) {
			events.addObject().put("EventId", e.path("eventID").asText()).put("EventName", e.path("eventName").asText())
					.put("EventTime", java.time.Instant.parse(e.path("eventTime").asText()).getEpochSecond())
					.put("EventSource", e.path("eventSource").asText()).put("CloudTrailEvent", JSON.writeValueAsString(e));
		}
		if (page + 1 < cloudTrailPages.size()) {
			out.put("NextToken", "page-" + (page + 1));
		}
		send(x, 200, out);
	}

	private void guardDuty(HttpExchange x, JsonNode request) throws IOException {
		String path = x.getRequestURI().getPath();
		if (path.equals("/detector")) {
			ObjectNode out = JSON.createObjectNode();
			out.putArray("detectorIds").add("12abc34d567e8fa901bc2d34eexample");
			send(x, 200, out);
		} else if (path.endsWith("/findings")) {
			// two pages of IDs
			int from = request.path("nextToken").isTextual() ? 1 : 0;
			ObjectNode out = JSON.createObjectNode();
			ArrayNode ids = out.putArray("findingIds");
			for (int i = from; i < guardDutyFindings.size(); i += 2) {
				ids.add(guardDutyFindings.get(i).path("id").asText());
			}
			if (from == 0) {
				out.put("nextToken", "second");
			}
			send(x, 200, out);
		} else if (path.endsWith("/findings/get")) {
			ObjectNode out = JSON.createObjectNode();
			ArrayNode list = out.putArray("findings");
			for (JsonNode id : request.path("findingIds")) {
				guardDutyFindings.stream().filter(f -> f.path("id").asText().equals(id.asText())).forEach(list::add);
			}
			send(x, 200, out);
		} else {
			error(x, 404, "NotFound", path);
		}
	}

	private void securityHub(HttpExchange x, JsonNode request) throws IOException {
		boolean second = request.path("NextToken").isTextual();
		ObjectNode out = JSON.createObjectNode();
		ArrayNode list = out.putArray("Findings");
		for (int i = second ? 1 : 0; i < securityHubFindings.size(); i += 2) {
			list.add(securityHubFindings.get(i));
		}
		if (!second && securityHubFindings.size() > 1) {
			out.put("NextToken", "second");
		}
		send(x, 200, out);
	}

	private void logs(HttpExchange x, JsonNode request) throws IOException {
		List<List<String>> pages = logGroups.get(request.path("logGroupName").asText());
		if (pages == null) {
			error(x, 400, "AccessDeniedException", "not authorized to perform: logs:FilterLogEvents on " + request.path("logGroupName").asText());
			return;
		}
		int page = request.path("nextToken").isTextual() ? Integer.parseInt(request.get("nextToken").asText().substring(5)) : 0;
		ObjectNode out = JSON.createObjectNode();
		ArrayNode events = out.putArray("events");
		long t = request.path("startTime").asLong();
		for (String m : pages.get(page)) {
			events.addObject().put("logStreamName", "eni-1235b8ca123456789-all").put("timestamp", t).put("message", m)
					.put("ingestionTime", t + 1000).put("eventId", String.valueOf(t));
			t += 1000;
		}
		out.putArray("searchedLogStreams").addObject().put("logStreamName", "eni-1235b8ca123456789-all").put("searchedCompletely", true);
		if (page + 1 < pages.size()) {
			out.put("nextToken", "page-" + (page + 1));
		}
		send(x, 200, out);
	}

	private void organizations(HttpExchange x, JsonNode request) throws IOException {
		if (organization == null) {
			error(x, 400, "AccessDeniedException", "You don't have permissions to access this resource.");
			return;
		}
		List<String> ids = new ArrayList<>(organization.keySet());
		int from = request.path("NextToken").isTextual() ? Integer.parseInt(request.get("NextToken").asText().substring(5)) : 0;
		ObjectNode out = JSON.createObjectNode();
		ArrayNode accounts = out.putArray("Accounts");
		for (String id : ids.subList(from, Math.min(from + 2, ids.size()))) {
			String state = organization.get(id);
			accounts.addObject().put("Id", id).put("Arn", "arn:aws:organizations::111122223333:account/o-exampleorgid/" + id)
					.put("Email", "aws+" + id + "@example.com").put("Name", "account " + id)
					.put("Status", state.equals("ACTIVE") || state.equals("SUSPENDED") ? state : "PENDING_CLOSURE").put("State", state)
					.put("JoinedMethod", "CREATED").put("JoinedTimestamp", 1.7e9);
		}
		if (from + 2 < ids.size()) {
			out.put("NextToken", "page-" + (from + 2));
		}
		send(x, 200, out);
	}

	private void s3(HttpExchange x, String region) throws IOException {
		String path = x.getRequestURI().getPath().substring(1);
		String query = String.valueOf(x.getRequestURI().getQuery());
		if (query.contains("list-type=2")) {
			String bucket = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
			String prefix = param(query, "prefix");
			String after = param(query, "continuation-token");
			List<String> keys = objects.keySet().stream().filter(k -> k.startsWith(bucket + "/" + prefix))
					.map(k -> k.substring(bucket.length() + 1)).filter(k -> after.isEmpty() || k.compareTo(after) > 0).toList();
			StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
					+ "<ListBucketResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Name>" + bucket + "</Name><Prefix>"
					+ prefix + "</Prefix><MaxKeys>1000</MaxKeys>");
			List<String> page = keys.subList(0, Math.min(2, keys.size()));
			xml.append("<KeyCount>").append(page.size()).append("</KeyCount><IsTruncated>").append(keys.size() > 2).append("</IsTruncated>");
			if (keys.size() > 2) {
				xml.append("<NextContinuationToken>").append(page.get(page.size() - 1)).append("</NextContinuationToken>");
			}
			for (String k : page) {
				xml.append("<Contents><Key>").append(k).append("</Key><LastModified>2024-08-01T00:10:00.000Z</LastModified>")
						.append("<ETag>&quot;0123&quot;</ETag><Size>").append(objects.get(bucket + "/" + k).length)
						.append("</Size><StorageClass>STANDARD</StorageClass></Contents>");
			}
			sendXml(x, 200, xml.append("</ListBucketResult>").toString());
			return;
		}
		byte[] bytes = objects.get(path);
		if (deniedObjects.contains(path)) {
			sendXml(x, 403, "<Error><Code>AccessDenied</Code><Message>User is not authorized to perform kms:Decrypt</Message></Error>");
		} else if (throttleFirst.merge("s3" + path, 1, Integer::sum) == 1) {
			sendXml(x, 503, "<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>");
		} else if (bytes == null) {
			sendXml(x, 404, "<Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message></Error>");
		} else {
			x.getResponseHeaders().add("Content-Type", "application/octet-stream");
			x.getResponseHeaders().add("ETag", "\"0123\"");
			x.sendResponseHeaders(200, bytes.length);
			x.getResponseBody().write(bytes);
			x.close();
		}
	}

	/**
	 * STS (query protocol: a form in, XML out). GetCallerIdentity names the account of the signing key. A role whose name contains NoAccess is denied; one whose
	 * name contains NeedsMfa wants the code 123456. The temporary key names the role's account.
	 */
	private void sts(HttpExchange x, String form, String key) throws IOException {
		if (param(form, "Action").equals("GetCallerIdentity")) {
			// the profile's key is the analyst's, in the management account
			String account = key.startsWith("ASIA") ? key.substring(4, 16) : "111122223333";
			sendXml(x, 200, "<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><GetCallerIdentityResult>"
					+ "<Arn>arn:aws:iam::" + account + ":user/analyst</Arn><UserId>AIDAEXAMPLEANALYST</UserId><Account>" + account
					+ "</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>01234567-89ab-cdef-0123-456789abcdef</RequestId>"
					+ "</ResponseMetadata></GetCallerIdentityResponse>");
			return;
		}
		String role = param(form, "RoleArn");
		String account = role.split(":")[4];
		if (role.contains("NoAccess") || role.contains("NeedsMfa") && !"123456".equals(param(form, "TokenCode"))) {
			String why = role.contains("NoAccess") ? "is not authorized to perform: sts:AssumeRole on resource: " + role
					: "MultiFactorAuthentication failed with invalid MFA one time pass code.";
			sendXml(x, 403, "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><Error><Type>Sender</Type>"
					+ "<Code>AccessDenied</Code><Message>User: arn:aws:iam::111122223333:user/analyst " + why + "</Message></Error>"
					+ "<RequestId>c6104cbe-af31-11e0-8154-cbc7ccf896c7</RequestId></ErrorResponse>");
			return;
		}
		String session = param(form, "RoleSessionName");
		sendXml(x, 200, "<AssumeRoleResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><AssumeRoleResult>"
				+ "<Credentials><AccessKeyId>ASIA" + account + "FAKE</AccessKeyId><SecretAccessKey>fake/secret/" + account
				+ "</SecretAccessKey><SessionToken>fake-session-token-" + account + "</SessionToken><Expiration>2099-01-01T00:00:00Z</Expiration>"
				+ "</Credentials><AssumedRoleUser><AssumedRoleId>AROAFAKE:" + session + "</AssumedRoleId><Arn>arn:aws:sts::" + account
				+ ":assumed-role/" + role.substring(role.indexOf("role/") + 5) + "/" + session + "</Arn></AssumedRoleUser>"
				+ "</AssumeRoleResult><ResponseMetadata><RequestId>c6104cbe-af31-11e0-8154-cbc7ccf896c7</RequestId></ResponseMetadata>"
				+ "</AssumeRoleResponse>");
	}

	private static String param(String query, String name) {
		for (String p : query.split("&")) {
			if (p.startsWith(name + "=")) {
				return java.net.URLDecoder.decode(p.substring(name.length() + 1), StandardCharsets.UTF_8);
			}
		}
		return "";
	}

	private static void sendXml(HttpExchange x, int status, String xml) throws IOException {
		byte[] bytes = xml.getBytes(StandardCharsets.UTF_8);
		x.getResponseHeaders().add("Content-Type", "application/xml");
		x.sendResponseHeaders(status, bytes.length);
		x.getResponseBody().write(bytes);
		x.close();
	}

	private static void error(HttpExchange x, int status, String type, String message) throws IOException {
		x.getResponseHeaders().add("x-amzn-ErrorType", type);
		ObjectNode o = JSON.createObjectNode().put("__type", type).put("message", message);
		send(x, status, o);
	}

	private static void send(HttpExchange x, int status, JsonNode body) throws IOException {
		byte[] bytes = JSON.writeValueAsString(body).getBytes(StandardCharsets.UTF_8);
		x.getResponseHeaders().add("Content-Type", "application/json");
		x.sendResponseHeaders(status, bytes.length);
		x.getResponseBody().write(bytes);
		x.close();
	}

	@Override
	public void close() {
		server.stop(0);
	}
}
