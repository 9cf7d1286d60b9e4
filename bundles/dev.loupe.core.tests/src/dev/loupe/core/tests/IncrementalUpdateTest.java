package dev.loupe.core.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;

import org.apache.jena.graph.Node;
import org.eclipse.core.runtime.NullProgressMonitor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;

import dev.loupe.core.reason.Findings;
import dev.loupe.core.reason.Reasoner;
import dev.loupe.core.reason.RuleSet;
import dev.loupe.core.store.EvidenceStore;
import dev.loupe.core.vocab.Ids;

/**
 * An update after new evidence must give what a full run over all of it gives, triple for triple. The evidence:
 * ScenarioTest's two days (background, the chain, the backdoor key) cut into one file per six hours, the instance
 * whose stolen credentials stop the trail, try what they may (a burst of denied calls, in two files) and exfiltrate
 * over the flow logs, and GuardDuty findings, ingested in a
 * shuffled order (later evidence before earlier, so that what was "newly observed" must be taken back) with an
 * update after each file.
 */
class IncrementalUpdateTest {

	@Test
	void anUpdateAfterEachNewSourceGivesWhatAFullRunGives(@TempDir Path dir) throws IOException {
		List<Path> files = evidence(dir);
		RuleSet rules = RuleSet.load(null);
		List<Reasoner.Mode> modes = new ArrayList<>();
		List<Long> scopes = new ArrayList<>();
		try (EvidenceStore step = EvidenceStore.open(dir.resolve("step")); EvidenceStore all = EvidenceStore.open(dir.resolve("all"))) {
			for (Path f : files) {
				IngestTest.ingest(step, f);
				Reasoner.Result r = new Reasoner(step).update(rules, new NullProgressMonitor());
				modes.add(r.mode());
				scopes.add(r.derivedAgain());
			}
			IngestTest.ingest(all, files.toArray(Path[]::new));
			new Reasoner(all).run(rules, new NullProgressMonitor());
			assertSameInferences(all, step);
			assertTrue(new Findings(step).signals("en").stream().anyMatch(g -> g.burstSize() == 12), "the burst spans both files");
			assertEquals(Reasoner.Mode.FULL, modes.get(0), modes.toString());
			assertTrue(modes.subList(1, modes.size()).stream().allMatch(Reasoner.Mode.UPDATE::equals), modes.toString());
			assertTrue(new Findings(step).sequences("en").size() >= 2);
			// context is found again only for the sequences new evidence touched: the others keep theirs
			assertTrue(new Findings(step).sequences("en").stream().anyMatch(q -> !q.context().isEmpty()),
					"the comparison covers sequence context");
			assertEquals(Reasoner.Mode.UP_TO_DATE, new Reasoner(step).update(rules, new NullProgressMonitor()).mode());
		}
		// the last files were small: their updates derived again only a part of the signals
		assertTrue(scopes.stream().anyMatch(n -> n == 0), scopes.toString());
	}

	/**
	 * A full run keeps what its forward rules and its linker wrote before, and they write only the difference: over
	 * older results, with more evidence, with rules that link less or with fewer sources, it must still give what a
	 * first run gives.
	 */
	@Test
	void aFullRunOverEarlierResultsGivesWhatAFirstRunGives(@TempDir Path dir) throws IOException {
		List<Path> files = evidence(dir);
		RuleSet rules = RuleSet.load(null);
		RuleSet narrow = RuleSet.load(narrowWindow(dir));
		try (EvidenceStore again = EvidenceStore.open(dir.resolve("again")); EvidenceStore first = EvidenceStore.open(dir.resolve("first"));
				EvidenceStore firstNarrow = EvidenceStore.open(dir.resolve("first-narrow"));
				EvidenceStore later = EvidenceStore.open(dir.resolve("later"))) {
			IngestTest.ingest(again, files.subList(0, files.size() / 2).toArray(Path[]::new));
			new Reasoner(again).run(rules, new NullProgressMonitor());
			IngestTest.ingest(again, files.subList(files.size() / 2, files.size()).toArray(Path[]::new));
			new Reasoner(again).run(rules, new NullProgressMonitor());
			IngestTest.ingest(first, files.toArray(Path[]::new));
			new Reasoner(first).run(rules, new NullProgressMonitor());
			assertSameInferences(first, again);
			List<String> wide = links(again);
			new Reasoner(again).run(narrow, new NullProgressMonitor());
			IngestTest.ingest(firstNarrow, files.toArray(Path[]::new));
			new Reasoner(firstNarrow).run(narrow, new NullProgressMonitor());
			assertSameInferences(firstNarrow, again);
			assertTrue(!links(again).equals(wide), "the narrower window changed the links: " + wide);
			// with the first half's sources removed, signals and sequences go
			List<Path> firstHalf = files.subList(0, files.size() / 2);
			dev.loupe.core.store.Sources sources = new dev.loupe.core.store.Sources(again);
			sources.remove(sources.list().stream().filter(src -> firstHalf.stream().anyMatch(f -> src.location().endsWith(f.getFileName().toString())))
					.toList());
			long before = new Findings(again).signals("en").size();
			new Reasoner(again).run(rules, new NullProgressMonitor());
			IngestTest.ingest(later, files.subList(files.size() / 2, files.size()).toArray(Path[]::new));
			new Reasoner(later).run(rules, new NullProgressMonitor());
			assertSameInferences(later, again);
			assertTrue(new Findings(again).signals("en").size() < before, "signals went with the sources");
		}
	}

	private static List<String> links(EvidenceStore store) {
		return store.read(() -> {
			List<String> out = new ArrayList<>();
			store.dataset().asDatasetGraph().find(Ids.inferredGraph(), Node.ANY, dev.loupe.core.vocab.Loupe.link, Node.ANY)
					.forEachRemaining(q -> out.add(q.getSubject() + " " + q.getObject()));
			Collections.sort(out);
			return out;
		});
	}

	/** Link settings of a two-hour window. */
	private static Path narrowWindow(Path dir) throws IOException {
		Path mine = Files.createDirectories(dir.resolve("rules"));
		Files.writeString(mine.resolve("60-link-settings.ttl"), """
				@prefix loupe: <https://w3id.org/loupe/ontology#> .
				@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
				<urn:loupe:rules:link-settings> a loupe:LinkSettings ; loupe:linkWindow "PT2H" ; loupe:minTactics 2 ;
				    loupe:minSeverity 7.0 .
				""");
		return mine;
	}

	@Test
	void changedRulesOrARemovedSourceMakeAFullRun(@TempDir Path dir) throws IOException {
		List<Path> files = evidence(dir);
		try (EvidenceStore store = EvidenceStore.open(dir.resolve("store"))) {
			IngestTest.ingest(store, files.get(0), files.get(1));
			new Reasoner(store).run(RuleSet.load(null), new NullProgressMonitor());
			Path mine = narrowWindow(dir);
			IngestTest.ingest(store, files.get(2));
			assertEquals(Reasoner.Mode.FULL, new Reasoner(store).update(RuleSet.load(mine), new NullProgressMonitor()).mode());
			IngestTest.ingest(store, files.get(3));
			assertEquals(Reasoner.Mode.UPDATE, new Reasoner(store).update(RuleSet.load(mine), new NullProgressMonitor()).mode());
			new dev.loupe.core.store.Sources(store).remove(List.of(new dev.loupe.core.store.Sources(store).list().get(0)));
			assertEquals(Reasoner.Mode.FULL, new Reasoner(store).update(RuleSet.load(mine), new NullProgressMonitor()).mode());
		}
	}

	/** The scenario's files in a shuffled order: CloudTrail per six hours, the instance's trail and flows, findings. */
	static List<Path> evidence(Path dir) throws IOException {
		ScenarioTest scenario = new ScenarioTest();
		Map<Long, ArrayNode> bySixHours = new TreeMap<>();
		for (JsonNode e : scenario.events()) {
			long bucket = Instant.parse(e.get("eventTime").asText()).getEpochSecond() / (6 * 3600);
			bySixHours.computeIfAbsent(bucket, b -> ScenarioTest.JSON.createArrayNode()).add(e);
		}
		List<Path> files = new ArrayList<>();
		for (Map.Entry<Long, ArrayNode> b : bySixHours.entrySet()) {
			files.add(Files.writeString(dir.resolve("trail-" + b.getKey() + ".json"),
					ScenarioTest.JSON.writeValueAsString(ScenarioTest.JSON.createObjectNode().set("Records", b.getValue()))));
		}
		Instant t0 = Instant.parse("2025-03-04T09:00:00Z");
		ArrayNode stolen = ScenarioTest.JSON.createArrayNode();
		stolen.add(scenario.call(t0, "cloudtrail.amazonaws.com", "StopLogging", FlowChainTest.instanceSession(), FlowChainTest.ATTACKER,
				"python-requests/2.31.0"));
		files.add(Files.writeString(dir.resolve("instance-trail.json"),
				ScenarioTest.JSON.writeValueAsString(ScenarioTest.JSON.createObjectNode().set("Records", stolen))));
		// a burst of denied calls cut in two files: the update after the second must count the first's calls too
		for (int half = 0; half < 2; half++) {
			ArrayNode denied = ScenarioTest.JSON.createArrayNode();
			for (int i = 0; i < 6; i++) {
				com.fasterxml.jackson.databind.node.ObjectNode c = (com.fasterxml.jackson.databind.node.ObjectNode) scenario.call(
						t0.minus(30, ChronoUnit.MINUTES).plusSeconds(40 * (half * 6 + i)), "iam.amazonaws.com", "ListUsers",
						FlowChainTest.instanceSession(), FlowChainTest.ATTACKER, "python-requests/2.31.0");
				c.put("errorCode", "AccessDenied");
				denied.add(c);
			}
			files.add(Files.writeString(dir.resolve("denied-" + half + ".json"),
					ScenarioTest.JSON.writeValueAsString(ScenarioTest.JSON.createObjectNode().set("Records", denied))));
		}
		// calls of two people aimed at the stolen instance, each in a file of its own and read first: the instance's
		// signals that come later must reach them through their target key (and not link them to each other)
		List<Path> targets = new ArrayList<>();
		for (String who : List.of("oliver", "paula")) {
			com.fasterxml.jackson.databind.node.ObjectNode c = (com.fasterxml.jackson.databind.node.ObjectNode) scenario.call(
					t0.plus("oliver".equals(who) ? 3 : 20, ChronoUnit.HOURS), "ec2.amazonaws.com", "GetPasswordData", ScenarioTest.user(who),
					"oliver".equals(who) ? "192.0.2.44" : "192.0.2.45", "aws-cli/2.15.0 Python/3.11 Darwin/23.1");
			((com.fasterxml.jackson.databind.node.ObjectNode) c.get("requestParameters")).put("instanceId", FlowChainTest.INSTANCE);
			targets.add(Files.writeString(dir.resolve("target-" + who + ".json"), ScenarioTest.JSON.writeValueAsString(
					ScenarioTest.JSON.createObjectNode().set("Records", ScenarioTest.JSON.createArrayNode().add(c)))));
		}
		List<String> flows = new ArrayList<>();
		flows.add("version account-id interface-id instance-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status");
		for (int i = 0; i < 3; i++) {
			flows.add(FlowChainTest.flow("10.0.1.15", FlowChainTest.ATTACKER, 51000 + i, 443, 50_000_000, t0.plus(60 + 5 * i, ChronoUnit.MINUTES)));
		}
		files.add(Files.write(dir.resolve(ScenarioTest.ACCOUNT + "_vpcflowlogs_eu-west-1_fl-0123_20250304T0900Z_hash.log"), flows));
		files.add(Fixtures.datasets().resolve("aws-cli-examples/guardduty_get-findings.output0.json"));
		files.add(Fixtures.datasets().resolve("awsdocs-examples/guardduty/securityhub-integration.block00.json"));
		Collections.shuffle(files, new Random(11));
		files.addAll(0, targets);
		return files;
	}

	static void assertSameInferences(EvidenceStore expected, EvidenceStore actual) {
		TreeSet<String> want = triples(expected);
		TreeSet<String> got = triples(actual);
		TreeSet<String> missing = new TreeSet<>(want);
		missing.removeAll(got);
		TreeSet<String> extra = new TreeSet<>(got);
		extra.removeAll(want);
		assertTrue(missing.isEmpty() && extra.isEmpty(), "missing " + missing.size() + ": " + first(missing) + "\nextra " + extra.size()
				+ ": " + first(extra));
	}

	private static TreeSet<String> triples(EvidenceStore store) {
		return store.read(() -> {
			TreeSet<String> out = new TreeSet<>();
			Node g = Ids.inferredGraph();
			store.dataset().asDatasetGraph().find(g, Node.ANY, Node.ANY, Node.ANY)
					.forEachRemaining(q -> out.add(q.getSubject() + " " + q.getPredicate() + " " + q.getObject()));
			return out;
		});
	}

	private static String first(TreeSet<String> s) {
		return String.join("\n  ", s.stream().limit(15).toList());
	}
}
