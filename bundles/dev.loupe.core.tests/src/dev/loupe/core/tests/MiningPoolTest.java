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

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.loupe.core.reason.Findings;
import dev.loupe.core.store.EvidenceStore;

/**
 * Names watched for themselves in Route 53 Resolver logs. Quinn's leaked key switches GuardDuty off and launches a
 * GPU instance; from then on only the Resolver sees it ask for its mining pool every five minutes. The web server
 * resolves an Interactsh name once, as a vulnerability scanner's payload makes it do. A day of both servers'
 * everyday queries around it.
 */
class MiningPoolTest {
	static final Instant START = Instant.parse("2025-08-11T00:00:00Z");
	static final Instant ATTACK = START.plus(14, ChronoUnit.HOURS);
	static final String MINER = "i-0f1e2d3c4b5a69788";
	static final String POOL = "gulf.moneroocean.stream";

	@Test
	void aMinerSeenOnlyByTheResolverIsInTheKeysStory(@TempDir Path dir) throws IOException {
		try (EvidenceStore store = ScenarioTest.reasoned(dir, evidence(dir).toArray(Path[]::new))) {
			Findings f = new Findings(store);
			List<Findings.Signal> signals = f.signals("en");
			List<Findings.Signal> pool = signals.stream().filter(s -> s.detector().endsWith("/dns-mining-pool")).toList();
			assertEquals(1, pool.size(), pool.toString());
			assertEquals("24 8.0 T1496 TA0040", pool.get(0).burstSize() + " " + pool.get(0).severity() + " " + pool.get(0).technique() + " "
					+ pool.get(0).tactic());
			assertEquals(List.of(POOL, MINER), pool.get(0).resources(), "the name asked for and the instance that asked");
			assertEquals("10.0.4.40", pool.get(0).ip(), "where the query came from: the asker's address");
			List<Findings.Signal> oob = signals.stream().filter(s -> s.detector().endsWith("/dns-out-of-band-service")).toList();
			assertEquals(List.of("TA0011 " + DnsContactTest.WEB), oob.stream().map(s -> s.tactic() + " " + s.resources().get(1)).toList());
			Findings.Sequence q = ScenarioTest.onlySequence(store);
			assertEquals("quinn", q.actorLabel());
			assertEquals(List.of("guardduty-detector-disabled", "ec2-unusual-instances", "dns-mining-pool"),
					q.members().stream().map(s -> s.detector().substring(s.detector().lastIndexOf('/') + 1)).toList());
			assertTrue(signals.stream().noneMatch(s -> s.detector().endsWith("/dns-suspect-name")), "the pool is not a suspect twice");
		}
	}

	/** The same files one at a time, in both orders, with an update after each: the full run's results every time. */
	@Test
	void updatesAfterEachFileGiveTheFullRunsResults(@TempDir Path dir) throws IOException {
		WindowedUpdateTest.updateAfterEachBothWays(dir, evidence(dir));
	}

	/** The Resolver's log and the trail. */
	private static List<Path> evidence(Path dir) throws IOException {
		List<String> queries = new ArrayList<>();
		for (Instant t = START; t.isBefore(START.plus(1, ChronoUnit.DAYS)); t = t.plus(10, ChronoUnit.MINUTES)) {
			queries.add(DnsContactTest.query(t, DnsContactTest.WEB, "10.0.1.15", "api.github.com", "140.82.121.6"));
			queries.add(DnsContactTest.query(t.plusSeconds(3), DnsContactTest.BATCH, "10.0.2.20", "s3.eu-west-1.amazonaws.com", "52.218.1.1"));
		}
		for (int i = 0; i < 24; i++) {
			queries.add(DnsContactTest.query(ATTACK.plus(10 + 5L * i, ChronoUnit.MINUTES), MINER, "10.0.4.40", POOL, "51.255.34.118"));
		}
		queries.add(DnsContactTest.query(START.plus(9, ChronoUnit.HOURS), DnsContactTest.WEB, "10.0.1.15",
				"d1k2m3n4o5p6q7r8s9t0.oast.fun", "206.189.156.69"));
		Path resolver = Files.write(dir.resolve("resolver.log"), queries);

		ScenarioTest events = new ScenarioTest();
		ObjectNode quinn = ScenarioTest.user("quinn");
		ArrayNode calls = ScenarioTest.JSON.createArrayNode();
		calls.add(events.call(ATTACK, "guardduty.amazonaws.com", "UpdateDetector", quinn, DeployedCodeTest.VPS, DeployedCodeTest.BOTO,
				r -> r.put("detectorId", "12abc34d").put("enable", false)));
		ObjectNode run = events.call(ATTACK.plus(3, ChronoUnit.MINUTES), "ec2.amazonaws.com", "RunInstances", quinn, DeployedCodeTest.VPS,
				DeployedCodeTest.BOTO, r -> r.put("instanceType", "g4dn.12xlarge").put("imageId", "ami-0abcdef1234567890"));
		run.putObject("responseElements").putObject("instancesSet").putArray("items").addObject().put("instanceId", MINER)
				.put("instanceType", "g4dn.12xlarge");
		calls.add(run);
		return List.of(resolver, ScenarioTest.trail(dir, calls));
	}
}
