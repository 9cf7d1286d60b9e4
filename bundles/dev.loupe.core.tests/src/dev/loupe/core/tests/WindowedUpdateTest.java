package dev.loupe.core.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

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
 * A week of one account's trail arriving in order, half a day per file, with an update after each: what a
 * running investigation sees. An update derives again only the signals from a day or so before the new evidence
 * on; each must still give what a full run gives, also where new evidence changes older signals:
 * <ul>
 * <li>a CI role's Lambda deployments become routine on day 4, which makes its deployment of day 1 routine too;</li>
 * <li>a deployer that only ever ran Terraform (automation) uses the CLI on day 5: its signals of days 1 and 2 are
 * no longer automation's;</li>
 * <li>an intruder's password read on day 1, and its enumeration and stopped trail on day 6, in two files: the
 * enumeration detector reads the calls around each of the intruder's signals, so the stopped trail makes a burst
 * of calls ten hours before it, in the file before.</li>
 * </ul>
 */
class WindowedUpdateTest {
	private static final Instant DAY1 = Instant.parse("2025-05-05T00:00:00Z");
	private static final String LAMBDA = "lambda.amazonaws.com";
	private static final String DEPLOY = "UpdateFunctionCode20150331v2";
	private static final String SDK = "aws-sdk-go-v2/1.24.0 os/linux lang/go#1.21";
	private static final String TERRAFORM = "APN/1.0 HashiCorp/1.0 Terraform/1.7.4 (+https://www.terraform.io) terraform-provider-aws/5.40.0";
	private static final String CLI = "aws-cli/2.15.0 Python/3.11 Linux/6.1";
	private static final String INTRUDER = "198.51.100.7";
	private static final String REQUESTS = "python-requests/2.31.0";

	private final ScenarioTest events = new ScenarioTest();

	@Test
	void anUpdateDerivesAgainOnlyRecentSignalsAndStillGivesWhatAFullRunGives(@TempDir Path dir) throws IOException {
		List<Reasoner.Result> updates = updateAfterEach(dir, halfDays(dir, week()));
		try (EvidenceStore step = EvidenceStore.open(dir.resolve("step"))) {
			List<Findings.Signal> signals = new Findings(step).signals("en");
			Findings.Signal firstDeploy = signals.stream().filter(s -> s.actor().contains("ci-deploy/gha-1")).findFirst().orElseThrow();
			assertTrue(firstDeploy.routine(), "day 1's deployment became routine with day 4's");
			assertTrue(signals.stream().filter(s -> s.actor().contains("user/deployer")).noneMatch(Findings.Signal::automated),
					"the deployer's Terraform days are no longer automation once it used the CLI");
			assertTrue(new Findings(step).sequences("en").stream().anyMatch(q -> q.members().stream()
					.anyMatch(m -> m.burstSize() >= 25) && q.members().stream()
					.anyMatch(m -> "StopLogging".equals(m.eventName()))), "the intruder's enumeration and stopped trail form a sequence");
		}
		Reasoner.Result last = updates.get(updates.size() - 1);
		assertTrue(last.derivedAgain() * 2 < last.signals(), "the last half day derived again " + last.derivedAgain() + " of "
				+ last.signals() + " signals");
		assertFalse(updates.stream().anyMatch(r -> r.derivedAgain() > 0 && r.derivedAgain() >= r.signals()), updates.toString());
	}

	/**
	 * IncrementalUpdateTest's evidence (the scenario's chain and backdoor key, an instance's stolen credentials,
	 * a burst of denied calls cut in two files, flows, findings) in time order instead of shuffled: later files
	 * then settle what came before them.
	 */
	@Test
	void theScenarioInTimeOrderGivesWhatAFullRunGivesAfterEachFile(@TempDir Path dir) throws IOException {
		List<Path> files = new ArrayList<>(IncrementalUpdateTest.evidence(dir));
		files.sort(java.util.Comparator.comparing(WindowedUpdateTest::begins));
		List<Reasoner.Result> updates = updateAfterEach(dir, files);
		assertTrue(updates.stream().anyMatch(r -> r.mode() == Reasoner.Mode.UPDATE && r.derivedAgain() * 2 < r.signals()),
				updates.toString());
	}

	/**
	 * A sequence's context leaves out the calls from a client whose address its actor used for more than
	 * contextMaxCalls calls (here ten). An intruder's sequence of day 2 has three calls around it as context; on
	 * day 5, twelve more calls from the same client push it over: the older sequence, which the update keeps and
	 * whose context window is long past, loses its context as in a full run. Another intruder's sequence just
	 * before a file begins gains context from it, but not from a call of its own delivered again later.
	 */
	@Test
	void aClientPushedOverTheLimitLosesItsContextInOlderSequences(@TempDir Path dir) throws IOException {
		Path rules = Files.createDirectories(dir.resolve("rules"));
		Files.writeString(rules.resolve("60-link-settings.ttl"), """
				@prefix loupe: <https://w3id.org/loupe/ontology#> .
				@prefix xsd:   <http://www.w3.org/2001/XMLSchema#> .
				<urn:loupe:settings:link> a loupe:LinkSettings ; loupe:linkWindow "PT24H"^^xsd:dayTimeDuration ;
				    loupe:minTactics 2 ; loupe:minSeverity 7.0 ; loupe:contextWindow "PT1H"^^xsd:dayTimeDuration ;
				    loupe:contextMaxCalls 10 .
				""");
		ArrayNode calls = ScenarioTest.JSON.createArrayNode();
		Instant day2 = DAY1.plus(1, ChronoUnit.DAYS).plus(10, ChronoUnit.HOURS);
		ObjectNode password = events.call(day2, "ec2.amazonaws.com", "GetPasswordData", ScenarioTest.user("trudy"), INTRUDER, REQUESTS);
		((ObjectNode) password.get("requestParameters")).put("instanceId", "i-0a1b2c3d4e5f60718");
		calls.add(password);
		calls.add(events.call(day2.plus(20, ChronoUnit.MINUTES), "cloudtrail.amazonaws.com", "StopLogging", ScenarioTest.user("trudy"),
				INTRUDER, REQUESTS));
		for (int i = 0; i < 3; i++) {
			calls.add(events.call(day2.plus(5 + 5 * i, ChronoUnit.MINUTES), "s3.amazonaws.com", "ListBuckets", ScenarioTest.user("trudy"),
					INTRUDER, REQUESTS));
		}
		for (int i = 0; i < 12; i++) {
			calls.add(events.call(DAY1.plus(4, ChronoUnit.DAYS).plus(9, ChronoUnit.HOURS).plus(7L * i, ChronoUnit.MINUTES),
					"s3.amazonaws.com", "ListBuckets", ScenarioTest.user("trudy"), INTRUDER, REQUESTS));
		}
		// another intruder's sequence late on day 3, and a call of the same client ten minutes into day 4, the next
		// file: the update keeps the sequence, whose context window reaches the new call
		Instant day3 = DAY1.plus(2, ChronoUnit.DAYS).plus(23, ChronoUnit.HOURS);
		ObjectNode other = events.call(day3, "ec2.amazonaws.com", "GetPasswordData", ScenarioTest.user("victor"), "203.0.113.9", REQUESTS);
		((ObjectNode) other.get("requestParameters")).put("instanceId", "i-0a1b2c3d4e5f60719");
		calls.add(other);
		ObjectNode stop = events.call(day3.plus(20, ChronoUnit.MINUTES), "cloudtrail.amazonaws.com", "StopLogging",
				ScenarioTest.user("victor"), "203.0.113.9", REQUESTS);
		calls.add(stop);
		calls.add(events.call(day3.plus(70, ChronoUnit.MINUTES), "s3.amazonaws.com", "ListBuckets", ScenarioTest.user("victor"),
				"203.0.113.9", REQUESTS));
		List<Path> files = new ArrayList<>(halfDays(dir, calls));
		// CloudTrail delivers an event again, in a file of its own: the same call, not context of its own sequence
		files.add(Files.writeString(dir.resolve("trail-again.json"), ScenarioTest.JSON.writeValueAsString(
				ScenarioTest.JSON.createObjectNode().set("Records", ScenarioTest.JSON.createArrayNode().add(stop.deepCopy())))));
		try (EvidenceStore first = EvidenceStore.open(dir.resolve("first"))) {
			IngestTest.ingest(first, files.get(0));
			new Reasoner(first).run(RuleSet.load(rules), new NullProgressMonitor());
			assertEquals(3, new Findings(first).sequences("en").get(0).context().size(), "before day 5, the sequence has context");
		}
		updateAfterEach(dir, files, RuleSet.load(rules));
		try (EvidenceStore step = EvidenceStore.open(dir.resolve("step"))) {
			List<Findings.Sequence> sequences = new Findings(step).sequences("en");
			assertEquals(2, sequences.size(), sequences.toString());
			assertTrue(sequences.stream().filter(q -> q.actor().contains("trudy")).allMatch(q -> q.context().isEmpty()),
					"day 5's calls crowd the client out");
			assertTrue(sequences.stream().filter(q -> q.actor().contains("victor")).allMatch(q -> q.context().size() == 1),
					"day 4's call is context of day 3's sequence");
		}
	}

	/**
	 * A lifecycle rule that empties a bucket within a day is tampering when the bucket receives a trail's logs,
	 * whatever it is called: known from the trail's CreateTrail, in a file before the rule (archive-a) or after it
	 * (archive-b, where the update must turn the older call into a signal). A bucket no trail names stays quiet.
	 */
	@Test
	void aLifecycleRuleOnATrailsBucketIsTamperingWhicheverFileNamesTheTrail(@TempDir Path dir) throws IOException {
		ArrayNode calls = ScenarioTest.JSON.createArrayNode();
		calls.add(trail(DAY1.plus(3, ChronoUnit.HOURS), "acme-audit-archive-a"));
		calls.add(lifecycle(DAY1.plus(1, ChronoUnit.DAYS).plus(2, ChronoUnit.HOURS), "acme-audit-archive-a"));
		calls.add(lifecycle(DAY1.plus(1, ChronoUnit.DAYS).plus(3, ChronoUnit.HOURS), "acme-audit-archive-b"));
		calls.add(lifecycle(DAY1.plus(1, ChronoUnit.DAYS).plus(4, ChronoUnit.HOURS), "acme-app-assets"));
		calls.add(trail(DAY1.plus(3, ChronoUnit.DAYS).plus(5, ChronoUnit.HOURS), "acme-audit-archive-b"));
		updateAfterEach(dir, halfDays(dir, calls));
		try (EvidenceStore step = EvidenceStore.open(dir.resolve("step"))) {
			List<String> emptied = new Findings(step).signals("en").stream().filter(x -> "PutBucketLifecycle".equals(x.eventName()))
					.flatMap(x -> x.resources().stream()).sorted().toList();
			assertEquals(2, emptied.size(), emptied.toString());
			assertTrue(emptied.get(0).contains("acme-audit-archive-a") && emptied.get(1).contains("acme-audit-archive-b"), emptied.toString());
		}
	}

	private ObjectNode trail(Instant t, String bucket) {
		ObjectNode c = events.call(t, "cloudtrail.amazonaws.com", "CreateTrail", ScenarioTest.user("alice"), "192.0.2.10", CLI);
		((ObjectNode) c.get("requestParameters")).put("name", "org-trail").put("s3BucketName", bucket);
		return c;
	}

	private ObjectNode lifecycle(Instant t, String bucket) {
		ObjectNode c = events.call(t, "s3.amazonaws.com", "PutBucketLifecycle", ScenarioTest.user("oscar"), INTRUDER, REQUESTS);
		ObjectNode rule = ((ObjectNode) c.get("requestParameters")).put("bucketName", bucket).putObject("LifecycleConfiguration")
				.putObject("Rule");
		rule.putObject("Expiration").put("Days", 1);
		rule.put("Status", "Enabled").put("ID", "expire");
		return c;
	}

	/** When a file of IncrementalUpdateTest's evidence begins (the GuardDuty samples are from 2020). */
	private static Instant begins(Path f) {
		String n = f.getFileName().toString();
		Instant t0 = Instant.parse("2025-03-04T09:00:00Z");
		if (n.startsWith("trail-")) {
			return Instant.ofEpochSecond(Long.parseLong(n.substring("trail-".length(), n.length() - ".json".length())) * 6 * 3600);
		}
		if (n.startsWith("denied-")) {
			return t0.minus(30, ChronoUnit.MINUTES).plus(4L * (n.charAt("denied-".length()) - '0'), ChronoUnit.MINUTES);
		}
		return switch (n) {
		case "instance-trail.json" -> t0;
		case "target-oliver.json" -> t0.plus(3, ChronoUnit.HOURS);
		case "target-paula.json" -> t0.plus(20, ChronoUnit.HOURS);
		default -> n.contains("vpcflowlogs") ? t0.plus(60, ChronoUnit.MINUTES) : Instant.EPOCH;
		};
	}

	/**
	 * Ingests the files one by one into {@code dir/step}, updating after each, and compares each update with a
	 * full run over the files so far.
	 */
	static List<Reasoner.Result> updateAfterEach(Path dir, List<Path> files) throws IOException {
		return updateAfterEach(dir, files, RuleSet.load(null));
	}

	/** {@link #updateAfterEach(Path, List)} with the files in their order, then in the reverse order. */
	static void updateAfterEachBothWays(Path dir, List<Path> files) throws IOException {
		updateAfterEach(dir.resolve("a"), files);
		updateAfterEach(dir.resolve("b"), files.reversed());
	}

	private static List<Reasoner.Result> updateAfterEach(Path dir, List<Path> files, RuleSet rules) throws IOException {
		List<Reasoner.Result> updates = new ArrayList<>();
		try (EvidenceStore step = EvidenceStore.open(dir.resolve("step"))) {
			for (int i = 0; i < files.size(); i++) {
				IngestTest.ingest(step, files.get(i));
				updates.add(new Reasoner(step).update(rules, new NullProgressMonitor()));
				try (EvidenceStore all = EvidenceStore.open(dir.resolve("all-" + i))) {
					IngestTest.ingest(all, files.subList(0, i + 1).toArray(Path[]::new));
					new Reasoner(all).run(rules, new NullProgressMonitor());
					IncrementalUpdateTest.assertSameInferences(all, step);
				}
			}
		}
		assertTrue(updates.subList(1, updates.size()).stream().allMatch(r -> r.mode() == Reasoner.Mode.UPDATE), updates.toString());
		return updates;
	}

	private ArrayNode week() {
		ArrayNode out = ScenarioTest.JSON.createArrayNode();
		// the CI role deploys once on day 1, then six times on day 4
		out.add(events.call(DAY1.plus(2, ChronoUnit.HOURS), LAMBDA, DEPLOY, ScenarioTest.ciSession(1), "192.0.2.90", SDK));
		for (int i = 0; i < 6; i++) {
			out.add(events.call(DAY1.plus(3, ChronoUnit.DAYS).plus(1 + 2 * i, ChronoUnit.HOURS), LAMBDA, DEPLOY,
					ScenarioTest.ciSession(2 + i), "192.0.2.90", SDK));
		}
		out.add(events.call(DAY1.plus(6, ChronoUnit.DAYS).plus(3, ChronoUnit.HOURS), LAMBDA, DEPLOY, ScenarioTest.ciSession(9),
				"192.0.2.90", SDK));
		// the deployer: Terraform on days 1 and 2, the CLI on day 5
		out.add(events.call(DAY1.plus(9, ChronoUnit.HOURS), LAMBDA, DEPLOY, ScenarioTest.user("deployer"), "192.0.2.80", TERRAFORM));
		out.add(events.call(DAY1.plus(1, ChronoUnit.DAYS).plus(15, ChronoUnit.HOURS), LAMBDA, DEPLOY,
				ScenarioTest.user("deployer"), "192.0.2.80", TERRAFORM));
		out.add(events.call(DAY1.plus(4, ChronoUnit.DAYS).plus(10, ChronoUnit.HOURS), "s3.amazonaws.com", "ListBuckets",
				ScenarioTest.user("deployer"), "192.0.2.81", CLI));
		// the intruder
		ObjectNode password = events.call(DAY1.plus(10, ChronoUnit.HOURS), "ec2.amazonaws.com", "GetPasswordData",
				ScenarioTest.user("mallory"), INTRUDER, REQUESTS);
		((ObjectNode) password.get("requestParameters")).put("instanceId", "i-0a1b2c3d4e5f60718");
		out.add(password);
		Instant enumeration = DAY1.plus(5, ChronoUnit.DAYS).plus(9, ChronoUnit.HOURS).plus(50, ChronoUnit.MINUTES);
		for (int i = 0; i < 26; i++) {
			String name = (i % 3 == 0 ? "List" : i % 3 == 1 ? "Describe" : "Get") + "Thing" + i;
			out.add(events.call(enumeration.plusSeconds(10 * i), "ec2.amazonaws.com", name, ScenarioTest.user("mallory"), INTRUDER,
					REQUESTS));
		}
		// ten hours later, in the next file: only then are the enumeration's calls read (around a signal) and a burst
		out.add(events.call(enumeration.plus(10, ChronoUnit.HOURS), "cloudtrail.amazonaws.com", "StopLogging",
				ScenarioTest.user("mallory"), INTRUDER, REQUESTS));
		out.add(events.call(DAY1.plus(6, ChronoUnit.DAYS).plus(8, ChronoUnit.HOURS), "s3.amazonaws.com", "ListBuckets",
				ScenarioTest.user("mallory"), INTRUDER, REQUESTS));
		return out;
	}

	/** The calls in one CloudTrail file per half day, in time order. */
	static List<Path> halfDays(Path dir, ArrayNode calls) throws IOException {
		Map<Long, ArrayNode> byHalfDay = new TreeMap<>();
		calls.forEach(e -> byHalfDay.computeIfAbsent(Instant.parse(e.get("eventTime").asText()).getEpochSecond() / (12 * 3600),
				b -> ScenarioTest.JSON.createArrayNode()).add(e));
		List<Path> files = new ArrayList<>();
		for (Map.Entry<Long, ArrayNode> b : byHalfDay.entrySet()) {
			files.add(Files.writeString(dir.resolve("trail-" + b.getKey() + ".json"),
					ScenarioTest.JSON.writeValueAsString(ScenarioTest.JSON.createObjectNode().set("Records", b.getValue()))));
		}
		return files;
	}
}
