package dev.loupe.core.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import org.eclipse.core.runtime.NullProgressMonitor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.loupe.core.reason.Findings;
import dev.loupe.core.reason.Reasoner;
import dev.loupe.core.reason.RuleSet;
import dev.loupe.core.reason.Timeline;
import dev.loupe.core.store.EvidenceStore;

/**
 * Coverage gaps no call announced: CloudTrail in one region goes quiet for five hours in the middle of steady
 * activity, another region's trail stops for good after StopLogging while the rest goes on, and a sparse stream
 * (a call every four hours) has pauses that mean nothing.
 */
class SilenceTest {
	private final ScenarioTest events = new ScenarioTest();

	private ObjectNode in(String region, ObjectNode call) {
		return call.put("awsRegion", region);
	}

	@Test
	void steadyStreamsThatGoQuietAreGapsAndSparseOnesAreNot(@TempDir Path dir) throws IOException {
		Instant start = Instant.parse("2025-05-01T00:00:00Z");
		Instant holeFrom = start.plus(20, ChronoUnit.HOURS);
		Instant holeTo = start.plus(25, ChronoUnit.HOURS);
		Instant stop = start.plus(30, ChronoUnit.HOURS);
		ArrayNode calls = ScenarioTest.JSON.createArrayNode();
		for (int minute = 0; minute < 48 * 60; minute += 10) {
			Instant t = start.plus(minute, ChronoUnit.MINUTES);
			if (t.isBefore(holeFrom) || !t.isBefore(holeTo)) {
				calls.add(in("eu-west-1", events.call(t, "ec2.amazonaws.com", "DescribeInstances", ScenarioTest.user("alice"),
						ScenarioTest.SHARED_IP, "aws-cli/2.15.0")));
			}
			if (t.isBefore(stop)) {
				calls.add(in("us-east-1", events.call(t, "s3.amazonaws.com", "ListBuckets", ScenarioTest.user("bob"), "198.51.100.7",
						"aws-cli/2.15.0")));
			}
			if (minute % 240 == 0) {
				calls.add(in("ap-south-1", events.call(t, "iam.amazonaws.com", "GetUser", ScenarioTest.user("carol"), "198.51.100.9",
						"aws-cli/2.15.0")));
			}
		}
		calls.add(in("us-east-1", events.call(stop.minusSeconds(30), "cloudtrail.amazonaws.com", "StopLogging",
				ScenarioTest.user("bob"), "198.51.100.7", "aws-cli/2.15.0")));
		Path trail = Files.writeString(dir.resolve("trail.json"),
				ScenarioTest.JSON.writeValueAsString(ScenarioTest.JSON.createObjectNode().set("Records", calls)));
		try (EvidenceStore store = EvidenceStore.open(dir.resolve("store"))) {
			IngestTest.ingest(store, trail);
			new Reasoner(store).run(RuleSet.load(null), new NullProgressMonitor());
			List<Findings.Gap> gaps = new Findings(store).gaps();
			List<Findings.Gap> silences = gaps.stream().filter(Findings.Gap::silence).toList();
			assertEquals(2, silences.size(), gaps.toString());
			Findings.Gap hole = silences.stream().filter(g -> "eu-west-1".equals(g.region())).findFirst().orElseThrow();
			assertEquals("CloudTrail", hole.source());
			assertEquals(holeFrom.minus(10, ChronoUnit.MINUTES).toString(), hole.start(), "from the last record before");
			assertEquals(holeTo.toString(), hole.end(), "to the first record after");
			assertNull(hole.follows());
			assertEquals(ScenarioTest.ACCOUNT, hole.account());
			Findings.Gap stopped = silences.stream().filter(g -> "us-east-1".equals(g.region())).findFirst().orElseThrow();
			assertNull(stopped.end(), "no records from it again while the others go on");
			Findings.Gap tampering = gaps.stream().filter(g -> !g.silence()).findFirst().orElseThrow();
			assertEquals("StopLogging", tampering.causeName());
			assertEquals(tampering.iri(), stopped.follows(), "the silence is what stopping the trail left");
			assertTrue(gaps.stream().noneMatch(g -> "ap-south-1".equals(g.region())), "a sparse stream's pauses are not gaps");

			// the timeline draws each gap over the stream it silenced, and the call that caused it on that stream
			Timeline timeline = Timeline.load(store, "en");
			assertEquals(List.of("ap-south-1", "eu-west-1", "us-east-1"), timeline.lanes().stream().map(Timeline.Lane::region).toList());
			Timeline.Lane eu = timeline.lanes().get(1);
			Timeline.Lane us = timeline.lanes().get(2);
			assertTrue(timeline.lanes().stream().allMatch(l -> l.source().equals("CloudTrail") && ScenarioTest.ACCOUNT.equals(l.account())));
			assertEquals(List.of(hole), eu.gaps());
			assertEquals(48 - 5, eu.hours().length, "no hours in the hole");
			assertEquals(48 * 6 - 5 * 6, eu.records());
			assertEquals(6, eu.maxCount());
			assertEquals(java.util.Set.of(stopped, tampering), java.util.Set.copyOf(us.gaps()));
			assertTrue(us.signals().stream().anyMatch(g -> "StopLogging".equals(g.eventName())), us.signals().toString());
			assertEquals(30 * 6 + 1, us.records());
			assertEquals(12, timeline.lanes().get(0).hours().length);
			assertTrue(timeline.lanes().get(0).gaps().isEmpty());
			assertEquals(start, timeline.from());
			assertEquals(start.plus(48, ChronoUnit.HOURS), timeline.to(), "to the end of the last hour with records");
			Timeline one = timeline.filtered(" EU-West ");
			assertEquals(List.of(eu), one.lanes(), "a filter keeps the streams it names");
			assertEquals(timeline.from(), one.from(), "and the time range of all the evidence");
			assertEquals(timeline, timeline.filtered(""));
		}
	}
}
