package dev.loupe.core.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.loupe.core.reason.Findings;
import dev.loupe.core.store.EvidenceStore;

/**
 * Route 53 Resolver query logs in the story. GuardDuty finds the web server beaconing to a command-and-control
 * domain; the Resolver shows the batch server asking for the same domain three hours later (GuardDuty said
 * nothing of it), and asking for a name that resolves to the address from which a stolen key stopped the trail.
 * The database server has asked every day for a partner's name that resolves to an address a port-probe finding
 * names: a habit, no signal. Two days of every server's everyday queries around it.
 */
class DnsContactTest {
	static final String ACCOUNT = ScenarioTest.ACCOUNT;
	static final Instant START = Instant.parse("2025-03-03T00:00:00Z");
	static final Instant BEACON = START.plus(1, ChronoUnit.DAYS).plus(2, ChronoUnit.HOURS);
	static final String C2 = "c2.evil-updates.example";
	static final String WEB = "i-0aaa1111bbbb22223";
	static final String BATCH = "i-0ccc3333dddd44445";
	static final String DB = "i-0eee5555ffff66667";
	static final String INTRUDER = "203.0.113.66";
	static final String PARTNER = "198.51.100.7";

	@Test
	void theNamesTheServersAskedForBringTheBatchServerIntoTheStory(@TempDir Path dir) throws IOException {
		try (EvidenceStore store = ScenarioTest.reasoned(dir, evidence(dir).toArray(Path[]::new))) {
			Findings f = new Findings(store);
			List<Findings.Signal> signals = f.signals("en");
			List<Findings.Signal> dns = signals.stream().filter(s -> s.detector().endsWith("/dns-suspect-name")).toList();
			assertEquals(3, dns.size(), dns.toString());
			assertTrue(dns.stream().allMatch(s -> "T1071.004".equals(s.technique()) && "TA0011".equals(s.tactic())), dns.toString());
			assertEquals(List.of(6L, 2L, 1L), dns.stream().map(Findings.Signal::burstSize).toList());
			// a query has no name of its own: the reports show what was asked
			assertEquals(List.of("A " + C2, "A " + C2, "A cdn-static.example"), dns.stream().map(Findings.Signal::eventName).toList());
			assertEquals(List.of(C2, BATCH), dns.get(1).resources(), "the name asked for and the instance that asked");
			List<Findings.Sequence> sequences = f.sequences("en", signals);
			assertEquals(1, sequences.size(), sequences.toString());
			Set<String> members = sequences.get(0).members().stream().map(Findings.Signal::iri).collect(Collectors.toSet());
			assertTrue(members.containsAll(dns.stream().map(Findings.Signal::iri).toList()), members.toString());
			assertTrue(sequences.get(0).members().stream().anyMatch(s -> "StopLogging".equals(s.eventName())));
			assertTrue(sequences.get(0).members().stream().noneMatch(s -> "Recon:EC2/PortProbeUnprotectedPort".equals(s.eventName())));
		}
	}

	/** The Resolver's log, the findings and the trail, in that order. */
	private static List<Path> evidence(Path dir) throws IOException {
		List<String> queries = new ArrayList<>();
		for (Instant t = START; t.isBefore(START.plus(2, ChronoUnit.DAYS)); t = t.plus(10, ChronoUnit.MINUTES)) {
			queries.add(query(t, WEB, "10.0.1.15", "api.github.com", "140.82.121.6"));
			queries.add(query(t.plusSeconds(3), BATCH, "10.0.2.20", "s3.eu-west-1.amazonaws.com", "52.218.1.1"));
			if (t.getEpochSecond() % 3600 == 0) {
				queries.add(query(t.plusSeconds(7), DB, "10.0.3.30", "updates.partner.example", PARTNER));
			}
		}
		for (int i = 0; i < 6; i++) {
			queries.add(query(BEACON.plus(5L * i, ChronoUnit.MINUTES), WEB, "10.0.1.15", C2, "198.51.100.250"));
		}
		queries.add(query(BEACON.plus(3, ChronoUnit.HOURS), BATCH, "10.0.2.20", C2, "198.51.100.250"));
		queries.add(query(BEACON.plus(3, ChronoUnit.HOURS).plusSeconds(40), BATCH, "10.0.2.20", C2, "198.51.100.250"));
		queries.add(query(BEACON.plus(4, ChronoUnit.HOURS), BATCH, "10.0.2.20", "cdn-static.example", INTRUDER));
		Path resolver = Files.write(dir.resolve("resolver.log"), queries);

		ArrayNode findings = ScenarioTest.JSON.createArrayNode();
		ObjectNode beacon = finding(findings, BEACON.plus(10, ChronoUnit.MINUTES), "Backdoor:EC2/C&CActivity.B!DNS", 8.0, WEB);
		beacon.with("Service").with("Action").put("ActionType", "DNS_REQUEST").putObject("DnsRequestAction").put("Domain", C2)
				.put("Protocol", "UDP").put("Blocked", false);
		ObjectNode probe = finding(findings, BEACON.plus(2, ChronoUnit.HOURS), "Recon:EC2/PortProbeUnprotectedPort", 2.0, DB);
		probe.with("Service").with("Action").put("ActionType", "PORT_PROBE").putObject("PortProbeAction").putArray("PortProbeDetails")
				.addObject().putObject("RemoteIpDetails").put("IpAddressV4", PARTNER);
		Path gd = Files.writeString(dir.resolve("findings.json"),
				ScenarioTest.JSON.writeValueAsString(ScenarioTest.JSON.createObjectNode().set("Findings", findings)));

		ScenarioTest trail = new ScenarioTest();
		ArrayNode calls = ScenarioTest.JSON.createArrayNode();
		calls.add(trail.call(BEACON.plus(3, ChronoUnit.HOURS).plus(30, ChronoUnit.MINUTES), "cloudtrail.amazonaws.com", "StopLogging",
				ScenarioTest.user("ci-bot"), INTRUDER, "aws-cli/2.15.0 Python/3.11.6 Linux/6.1"));

		return List.of(resolver, gd, ScenarioTest.trail(dir, calls));
	}

	/** Without the trail no signal names a principal: the explanation says so instead of counting one identity. */
	@Test
	void aStoryOfInstancesAloneIsExplainedAsSuch(@TempDir Path dir) throws IOException {
		try (EvidenceStore store = ScenarioTest.reasoned(dir, evidence(dir).subList(0, 2).toArray(Path[]::new))) {
			Findings f = new Findings(store);
			assertTrue(f.sequences("en").get(0).explanation().startsWith("3 signals with no identity, linked by"),
					f.sequences("en").get(0).explanation());
			assertTrue(f.sequences("ja").get(0).explanation().startsWith("\u4e3b\u4f53\u306e\u306a\u3044\u30b7\u30b0\u30ca\u30eb 3 \u4ef6"),
					f.sequences("ja").get(0).explanation());
		}
	}

	/** The same files one at a time, in both orders, with an update after each: the full run's results every time. */
	@Test
	void updatesAfterEachFileGiveTheFullRunsResults(@TempDir Path dir) throws IOException {
		WindowedUpdateTest.updateAfterEachBothWays(dir, evidence(dir));
	}

	/** A Resolver query log record as delivered to S3 (one JSON object per line). */
	static String query(Instant t, String instance, String ip, String name, String answer) {
		ObjectNode r = ScenarioTest.JSON.createObjectNode();
		r.put("version", "1.100000").put("account_id", ACCOUNT).put("region", "eu-west-1").put("vpc_id", "vpc-0abc1234")
				.put("query_timestamp", t.toString()).put("query_name", name + ".").put("query_type", "A").put("query_class", "IN")
				.put("rcode", "NOERROR");
		r.putArray("answers").addObject().put("Rdata", answer).put("Type", "A").put("Class", "IN");
		r.put("srcaddr", ip).put("srcport", "53211").put("transport", "UDP");
		r.putObject("srcids").put("instance", instance);
		return r.toString();
	}

	/** A GuardDuty finding (GetFindings shape) about an instance; the caller adds its action. */
	private static ObjectNode finding(ArrayNode into, Instant t, String type, double severity, String instance) {
		String id = Integer.toHexString(type.hashCode());
		ObjectNode f = into.addObject();
		f.put("AccountId", ACCOUNT).put("Arn", "arn:aws:guardduty:eu-west-1:" + ACCOUNT + ":detector/12abc/finding/" + id)
				.put("CreatedAt", t.toString()).put("Id", id).put("Partition", "aws").put("Region", "eu-west-1").put("SchemaVersion", "2.0")
				.put("Severity", severity).put("Title", type).put("Type", type).put("UpdatedAt", t.toString()).put("Description", type);
		f.putObject("Resource").put("ResourceType", "Instance").putObject("InstanceDetails").put("InstanceId", instance);
		ObjectNode service = f.putObject("Service");
		service.put("ServiceName", "guardduty").put("DetectorId", "12abc").put("Archived", false).put("Count", 1)
				.put("EventFirstSeen", t.toString()).put("EventLastSeen", t.toString()).put("ResourceRole", "TARGET");
		service.putObject("Action");
		return f;
	}
}
