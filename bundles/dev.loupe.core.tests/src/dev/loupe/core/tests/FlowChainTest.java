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

import org.eclipse.core.runtime.NullProgressMonitor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.loupe.core.reason.Findings;
import dev.loupe.core.reason.Reasoner;
import dev.loupe.core.reason.RuleSet;
import dev.loupe.core.store.EvidenceStore;

/**
 * A chain from CloudTrail into the network: an instance's role credentials, stolen, stop the trail from the
 * attacker's client; an hour later the instance sends 150 MB to that client's address (VPC Flow Logs, custom
 * format with the instance ID). Both are one sequence, linked by the endpoint and by the instance; the instance's
 * steady traffic with S3 raises nothing, nor do the administrator's SSH sessions from the office, although her
 * office address made a signalled call the next evening: the instance has talked with it all along.
 */
class FlowChainTest {
	static final String ACCOUNT = ScenarioTest.ACCOUNT;
	static final String INSTANCE = "i-0a1b2c3d4e5f60718";
	static final String ATTACKER = "203.0.113.66";
	static final String ENI = "eni-0f1e2d3c4b5a69788";
	private final ScenarioTest events = new ScenarioTest();

	static ObjectNode instanceSession() {
		ObjectNode id = ScenarioTest.JSON.createObjectNode().put("type", "AssumedRole").put("accountId", ACCOUNT)
				.put("arn", "arn:aws:sts::" + ACCOUNT + ":assumed-role/web-role/" + INSTANCE)
				.put("principalId", "AROAWEB:" + INSTANCE).put("accessKeyId", "ASIAWEBROLE000001");
		id.putObject("sessionContext").putObject("sessionIssuer").put("type", "Role").put("accountId", ACCOUNT)
				.put("arn", "arn:aws:iam::" + ACCOUNT + ":role/web-role").put("userName", "web-role");
		return id;
	}

	static String flow(String src, String dst, int srcPort, int dstPort, long bytes, Instant start) {
		long s = start.getEpochSecond();
		return String.join(" ", "5", ACCOUNT, ENI, INSTANCE, src, dst, String.valueOf(srcPort), String.valueOf(dstPort), "6",
				String.valueOf(Math.max(1, bytes / 1400)), String.valueOf(bytes), String.valueOf(s), String.valueOf(s + 60), "ACCEPT", "OK");
	}

	@Test
	void stolenInstanceCredentialsAndTheExfiltrationThatFollowsAreOneSequence(@TempDir Path dir) throws IOException {
		Instant t0 = Instant.parse("2025-07-01T09:00:00Z");
		String ua = "python-requests/2.31.0";
		ArrayNode calls = ScenarioTest.JSON.createArrayNode();
		calls.add(events.call(t0, "cloudtrail.amazonaws.com", "StopLogging", instanceSession(), ATTACKER, ua));
		// the administrator works from the office all day, and makes a key for a colleague (a signal) in the evening
		for (int h = 0; h < 8; h++) {
			calls.add(events.call(t0.plus(h, ChronoUnit.HOURS), "ec2.amazonaws.com", "DescribeInstances", ScenarioTest.user("alice"),
					"198.51.100.20", "aws-cli/2.15.0"));
		}
		ObjectNode key = events.call(t0.plus(30, ChronoUnit.HOURS), "iam.amazonaws.com", "CreateAccessKey", ScenarioTest.user("alice"),
				"198.51.100.20", "aws-cli/2.15.0");
		((ObjectNode) key.get("requestParameters")).put("userName", "bob");
		key.putObject("responseElements").putObject("accessKey").put("accessKeyId", "AKIABOBNEWKEY0000001").put("userName", "bob");
		calls.add(key);
		Path trail = Files.writeString(dir.resolve("trail.json"),
				ScenarioTest.JSON.writeValueAsString(ScenarioTest.JSON.createObjectNode().set("Records", calls)));
		List<String> flows = new ArrayList<>();
		flows.add("version account-id interface-id instance-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status");
		for (int m = 0; m < 32 * 60; m += 5) {
			Instant t = t0.minus(1, ChronoUnit.HOURS).plus(m, ChronoUnit.MINUTES);
			flows.add(flow("10.0.1.15", "52.94.133.131", 40000 + m, 443, 800_000, t)); // S3, all day
			if (m % 60 == 0) {
				flows.add(flow("198.51.100.20", "10.0.1.15", 50022, 22, 40_000, t)); // the office's SSH
			}
		}
		for (int i = 0; i < 3; i++) {
			flows.add(flow("10.0.1.15", ATTACKER, 51000 + i, 443, 50_000_000, t0.plus(60 + 5 * i, ChronoUnit.MINUTES)));
		}
		Path flowLog = Files.write(dir.resolve(ACCOUNT + "_vpcflowlogs_eu-west-1_fl-0123_20250701T0900Z_hash.log"), flows);
		try (EvidenceStore store = EvidenceStore.open(dir.resolve("store"))) {
			IngestTest.ingest(store, trail, flowLog);
			new Reasoner(store).run(RuleSet.load(null), new NullProgressMonitor());
			Findings findings = new Findings(store);
			List<Findings.Sequence> sequences = findings.sequences("en");
			assertEquals(1, sequences.size(), sequences.toString());
			Findings.Sequence q = sequences.get(0);
			assertTrue(findings.signals("en").stream().anyMatch(s -> "alice".equals(s.actorLabel())), "her key for bob is a signal");
			assertEquals(List.of("CloudTrail logging stopped", "Large transfer to a suspect address"),
					q.members().stream().map(Findings.Signal::detectorLabel).toList());
			assertEquals(List.of("TA0005", "TA0010"), q.tactics());
			assertEquals(3L, q.members().get(1).burstSize(), "the three transfers are one signal");
			assertEquals("10.0.1.15 \u2192 " + ATTACKER + ":443", q.members().get(1).eventName(), "a flow is shown by its ends");
			assertTrue(q.links().stream().anyMatch(l -> l.kind().endsWith("#endpointKey") && l.explanation().contains(ATTACKER)),
					q.links().toString());
			assertEquals("AttackSequence:EC2/CompromisedInstanceGroup", q.type());
			assertTrue(q.explanation().startsWith("2 signals of 1 identity, linked by "), q.explanation());
			assertEquals(1, findings.signals("en").stream().filter(s -> s.detector().contains("flow-")).count(),
					"nothing for the traffic with S3 or the office");
		}
	}

	@Test
	void sessionsOpenedFromTheAttackersSharedAddressAreNotContact(@TempDir Path dir) throws IOException {
		// the attacker works behind the office's address; the administrators SSH into the instance from there, and the
		// flow logs begin with the incident: no history tells them apart, the direction does
		Instant t0 = Instant.parse("2025-07-01T09:00:00Z");
		String office = "198.51.100.20";
		ArrayNode calls = ScenarioTest.JSON.createArrayNode();
		calls.add(events.call(t0.plus(10, ChronoUnit.MINUTES), "cloudtrail.amazonaws.com", "StopLogging", instanceSession(), office,
				"python-requests/2.31.0"));
		Path trail = Files.writeString(dir.resolve("trail.json"),
				ScenarioTest.JSON.writeValueAsString(ScenarioTest.JSON.createObjectNode().set("Records", calls)));
		List<String> flows = new ArrayList<>();
		flows.add("version account-id interface-id instance-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status");
		for (int m = 0; m < 120; m += 10) {
			Instant t = t0.plus(m, ChronoUnit.MINUTES);
			flows.add(flow(office, "10.0.1.15", 50022 + m, 22, 40_000, t));
			flows.add(flow("10.0.1.15", office, 22, 50022 + m, 900_000, t)); // the replies
		}
		Path flowLog = Files.write(dir.resolve("flows.log"), flows);
		try (EvidenceStore store = EvidenceStore.open(dir.resolve("store"))) {
			IngestTest.ingest(store, trail, flowLog);
			new Reasoner(store).run(RuleSet.load(null), new NullProgressMonitor());
			assertEquals(0, new Findings(store).signals("en").stream().filter(s -> s.detector().contains("flow-")).count());
		}
	}
}
