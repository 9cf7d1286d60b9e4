package dev.loupe.core.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.loupe.core.query.EntityGraph;
import dev.loupe.core.query.EntityQueries;
import dev.loupe.core.store.EvidenceStore;
import dev.loupe.core.vocab.Ids;
import dev.loupe.core.vocab.Loupe;

/**
 * The entity index queries on the 35 Stratus recordings. Expected values are computed here from the raw JSON,
 * independently of Loupe's reader and mapper.
 */
class EntityQueriesTest {
	@TempDir
	static Path dir;
	static EvidenceStore store;
	static List<JsonNode> events = new ArrayList<>();

	@BeforeAll
	static void ingest() throws IOException {
		store = EvidenceStore.open(dir.resolve("store"));
		IngestTest.ingest(store, Fixtures.stratus());
		try (var files = Files.list(Fixtures.stratus())) {
			for (Path f : files.toList()) {
				new ObjectMapper().readTree(f.toFile()).forEach(events::add);
			}
		}
	}

	@AfterAll
	static void close() {
		store.close();
	}

	static String arn(JsonNode e) {
		return e.path("userIdentity").path("arn").asText(null);
	}

	static String address(JsonNode e) {
		String[] parts = e.path("sourceIPAddress").asText().split("\\.");
		return parts.length != 4 ? null
				: java.util.Arrays.stream(parts).map(p -> String.valueOf(Integer.parseInt(p))).collect(Collectors.joining("."));
	}

	/** The IAM user with the most events, and its events. */
	static List<JsonNode> busiestUser() {
		Map<String, List<JsonNode>> byUser = events.stream()
				.filter(e -> "IAMUser".equals(e.path("userIdentity").path("type").asText()))
				.collect(Collectors.groupingBy(EntityQueriesTest::arn));
		return byUser.values().stream().max(Comparator.comparingInt(List::size)).orElseThrow();
	}

	@Test
	void usersByTypeWithFirstLastSeenAndCounts() {
		Set<String> users = events.stream().filter(e -> "IAMUser".equals(e.path("userIdentity").path("type").asText()))
				.map(EntityQueriesTest::arn).collect(Collectors.toCollection(TreeSet::new));
		// and the users that got a key made by someone else (their key's creator is recorded)
		events.stream().filter(e -> e.get("eventName").asText().equals("CreateAccessKey"))
				.map(e -> e.path("responseElements").path("accessKey"))
				.filter(k -> k.has("userName") && k.has("accessKeyId"))
				.forEach(k -> events.stream().filter(e -> e.path("responseElements").path("accessKey").equals(k)).findFirst()
						.filter(e -> !k.get("userName").asText().equals(e.path("userIdentity").path("userName").asText()))
						.ifPresent(e -> users.add("arn:aws:iam::" + e.get("recipientAccountId").asText() + ":user/"
								+ k.get("userName").asText())));
		// and the users IAM calls acted on (a login profile made for them, a policy put on them)
		events.stream().filter(e -> "iam.amazonaws.com".equals(e.path("eventSource").asText())
				&& e.path("requestParameters").hasNonNull("userName") && e.hasNonNull("recipientAccountId"))
				.forEach(e -> users.add("arn:aws:iam::" + e.get("recipientAccountId").asText() + ":user/"
						+ e.path("requestParameters").get("userName").asText()));
		var rows = new EntityQueries(store).entities(Loupe.IamUser.getURI(), 1000, 0);
		assertEquals(users, rows.stream().map(r -> r.iri().substring("urn:loupe:".length()))
				.collect(Collectors.toCollection(TreeSet::new)));

		List<JsonNode> busiest = busiestUser();
		var top = rows.get(0);
		assertEquals("urn:loupe:" + arn(busiest.get(0)), top.iri(), "ordered by events");
		assertEquals(busiest.size(), top.events());
		List<String> times = busiest.stream().map(e -> Instant.parse(e.get("eventTime").asText()).toString()).sorted().toList();
		assertEquals(times.get(0), top.firstSeen());
		assertEquals(times.get(times.size() - 1), top.lastSeen());

		var principals = new EntityQueries(store).entities(Loupe.Principal.getURI(), 1000, 0);
		assertTrue(principals.stream().map(r -> r.iri()).collect(Collectors.toSet())
				.containsAll(rows.stream().map(r -> r.iri()).toList()), "subclasses are included");
		assertTrue(principals.stream().anyMatch(r -> r.type().equals("RoleSession")));
	}

	@Test
	void eventsInATimeWindow() {
		Instant from = Instant.parse("2024-07-31T00:00:00Z");
		Instant to = Instant.parse("2024-08-01T00:00:00Z");
		List<String> expected = events.stream().map(e -> Instant.parse(e.get("eventTime").asText()))
				.filter(t -> !t.isBefore(from) && t.isBefore(to)).map(Instant::toString).sorted().toList();
		var rows = new EntityQueries(store).events(from, to, 10_000);
		assertTrue(expected.size() >= 20, "window holds " + expected.size());
		assertEquals(expected, rows.stream().map(EntityQueries.EventRow::time).toList());
		assertEquals(5, new EntityQueries(store).events(from, to, 5).size());
	}

	@Test
	void neighboursThroughSharedEvidenceAndDirectLinks() {
		List<JsonNode> busiest = busiestUser();
		Map<String, Long> expected = busiest.stream().map(EntityQueriesTest::address).filter(a -> a != null)
				.collect(Collectors.groupingBy(Function.identity(), TreeMap::new, Collectors.counting()));
		var around = new EntityQueries(store).neighbours("urn:loupe:" + arn(busiest.get(0)));
		Map<String, Long> actual = around.stream().filter(n -> n.via().equals("sourceIp"))
				.collect(Collectors.toMap(EntityQueries.Neighbour::label, EntityQueries.Neighbour::events, Long::sum, TreeMap::new));
		assertEquals(expected, actual);
		Map<String, Long> agents = busiest.stream().map(e -> Ids.userAgent(e.get("userAgent").asText()).getURI())
				.collect(Collectors.groupingBy(Function.identity(), TreeMap::new, Collectors.counting()));
		assertEquals(agents, around.stream().filter(n -> n.via().equals("userAgent"))
				.collect(Collectors.toMap(EntityQueries.Neighbour::iri, EntityQueries.Neighbour::events, Long::sum, TreeMap::new)));
		String firstAddress = expected.keySet().iterator().next();
		List<String> times = busiest.stream().filter(e -> firstAddress.equals(address(e)))
				.map(e -> Instant.parse(e.get("eventTime").asText()).toString()).sorted().toList();
		var ip = around.stream().filter(x -> x.via().equals("sourceIp") && x.label().equals(firstAddress)).findFirst().orElseThrow();
		assertEquals(times.get(0), ip.firstSeen());
		assertEquals(times.get(times.size() - 1), ip.lastSeen());

		// a session created by AssumeRole links back to who assumed it and to its role
		JsonNode assume = events.stream().filter(e -> e.get("eventName").asText().equals("AssumeRole")
				&& e.path("responseElements").path("assumedRoleUser").has("arn")).findFirst().orElseThrow();
		String session = "urn:loupe:" + assume.path("responseElements").path("assumedRoleUser").get("arn").asText();
		var links = new EntityQueries(store).neighbours(session);
		assertTrue(links.stream().anyMatch(n -> n.via().equals("assumedBy") && n.outgoing()
				&& n.iri().equals("urn:loupe:" + arn(assume))), links.toString());
		assertTrue(links.stream().anyMatch(n -> n.via().equals("sessionOf")
				&& n.iri().equals("urn:loupe:" + assume.path("requestParameters").get("roleArn").asText())), links.toString());
		String key = assume.path("responseElements").path("credentials").get("accessKeyId").asText();
		assertTrue(links.stream().anyMatch(n -> n.via().equals("keyOf") && !n.outgoing() && n.label().equals(key)),
				"the temporary key points back to the session: " + links);
	}

	@Test
	void overviewGraphCountsCallsPerApiAndAddress() {
		List<JsonNode> busiest = busiestUser();
		String user = "urn:loupe:" + arn(busiest.get(0));
		EntityGraph g = EntityGraph.load(store, 1000, 1000);
		Map<String, Long> apis = busiest.stream().map(e -> "api:" + e.get("eventName").asText())
				.collect(Collectors.groupingBy(Function.identity(), TreeMap::new, Collectors.counting()));
		assertEquals(apis, g.edges().stream().filter(e -> e.from().equals(user))
				.collect(Collectors.toMap(EntityGraph.Edge::to, EntityGraph.Edge::calls, Long::sum, TreeMap::new)));
		Map<String, Long> addresses = busiest.stream().map(EntityQueriesTest::address).filter(a -> a != null)
				.collect(Collectors.groupingBy(a -> "urn:loupe:ip:" + a, TreeMap::new, Collectors.counting()));
		assertEquals(addresses, g.edges().stream().filter(e -> e.to().equals(user))
				.collect(Collectors.toMap(EntityGraph.Edge::from, EntityGraph.Edge::calls, Long::sum, TreeMap::new)));
		long principals = events.stream().map(e -> e.path("userIdentity")).filter(u -> u.has("arn")).map(u -> u.get("arn"))
				.distinct().count();
		assertTrue(g.totalPrincipals() >= principals, g.totalPrincipals() + " principals drawn of " + principals);
	}

	@Test
	void hourlyActivityOfAnEntity() {
		List<JsonNode> busiest = busiestUser();
		Map<String, Long> expected = busiest.stream()
				.collect(Collectors.groupingBy(e -> Instant.parse(e.get("eventTime").asText()).toString().substring(0, 13),
						TreeMap::new, Collectors.counting()));
		var hours = new EntityQueries(store).activityByHour("urn:loupe:" + arn(busiest.get(0)),
				Instant.parse("2020-01-01T00:00:00Z"), Instant.parse("2030-01-01T00:00:00Z"));
		assertEquals(expected, hours.stream().collect(Collectors.toMap(EntityQueries.HourCount::hour,
				EntityQueries.HourCount::events, Long::sum, TreeMap::new)));
	}
}
