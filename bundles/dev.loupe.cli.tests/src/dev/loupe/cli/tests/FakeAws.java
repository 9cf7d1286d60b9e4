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
 * A local endpoint speaking the wire protocols of the three services Loupe pulls from, for the real SDK clients:
 * CloudTrail (AWS JSON 1.1, operation in X-Amz-Target), GuardDuty and Security Hub (REST JSON). Pages with
 * tokens, a throttled first call, and a region whose calls are denied. The region of a call is read from its
 * SigV4 credential scope, as AWS does.
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
		calls.add(service + " " + region + " " + op);
		JsonNode request = body.length == 0 ? JSON.createObjectNode() : JSON.readTree(body);
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
