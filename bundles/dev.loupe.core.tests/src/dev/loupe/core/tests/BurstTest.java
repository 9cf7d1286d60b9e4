package dev.loupe.core.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

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
 * A chain across two sources where no single call is a signal: stolen keys probed until calls stop being denied,
 * the account enumerated, then a bucket downloaded (seen only in its S3 server access log). The three bursts form
 * one sequence of the key's owner; a nightly backup role downloading as much every hour is routine and stays out;
 * the administrator behind the attacker's address, browsing the console, is not an enumeration (her stopping
 * CloudTrail is a sequence of its own, by its severity, and gains nothing from the burst detectors).
 */
class BurstTest {
	static final DateTimeFormatter S3_TIME = DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH)
			.withZone(ZoneOffset.UTC);
	static final String ATTACKER_UA = "Boto3/1.34.0 md/Botocore#1.34.0 ua/2.0 os/linux#6.5.0-21-generic lang/python#3.11.8";
	static final String[] SERVICES = { "ec2", "iam", "s3", "rds", "lambda", "dynamodb", "sns", "sqs", "kms", "secretsmanager",
			"ssm", "ecr", "ecs", "eks", "cloudformation", "route53", "elasticloadbalancing", "autoscaling", "logs", "glue" };
	private final ScenarioTest events = new ScenarioTest();
	private int request;

	String accessLine(Instant t, String bucket, String requester, String ip, String ua, String key) {
		return "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be " + bucket + " [" + S3_TIME.format(t) + "] " + ip
				+ " " + requester + " 3E57427F3EX" + String.format("%05d", ++request) + " REST.GET.OBJECT " + key + " \"GET /" + bucket + "/"
				+ key + " HTTP/1.1\" 200 - 48213 48213 31 30 \"-\" \"" + ua + "\" - s9lzHYrFp76ZVxRcpX9+5cjAnEH2ROuNkd2BHfIa6UkFVdtjf5mKR3/eTPFvsiP/XV/VLi31234="
				+ " SigV4 ECDHE-RSA-AES128-GCM-SHA256 AuthHeader " + bucket + ".s3.eu-west-1.amazonaws.com TLSv1.2 - -";
	}

	@Test
	void probingEnumerationAndADownloadAreOneSequenceAcrossSources(@TempDir Path dir) throws IOException {
		Instant t0 = Instant.parse("2025-06-10T02:00:00Z");
		ArrayNode calls = ScenarioTest.JSON.createArrayNode();
		ObjectNode dave = ScenarioTest.user("dave");
		// 12 denied attempts in 6 minutes
		for (int i = 0; i < 12; i++) {
			ObjectNode c = events.call(t0.plusSeconds(30L * i), SERVICES[i] + ".amazonaws.com", "List" + SERVICES[i].toUpperCase() + "Things",
					dave, "198.51.100.7", ATTACKER_UA);
			c.put("errorCode", "AccessDenied").put("errorMessage", "User: arn:aws:iam::111122223333:user/dave is not authorized");
			calls.add(c);
		}
		// then 30 different read APIs that work, in 7 minutes
		for (int i = 0; i < 30; i++) {
			String verb = i % 3 == 0 ? "List" : i % 3 == 1 ? "Describe" : "Get";
			calls.add(events.call(t0.plus(10, ChronoUnit.MINUTES).plusSeconds(14L * i), SERVICES[i % SERVICES.length] + ".amazonaws.com",
					verb + "Resource" + i, dave, "198.51.100.7", ATTACKER_UA));
		}
		// the administrator behind the same address browses 40 pages of the console and stops an old trail
		String console = "AWS Internal";
		for (int i = 0; i < 40; i++) {
			calls.add(events.call(t0.plus(12, ChronoUnit.MINUTES).plusSeconds(10L * i), "ec2.amazonaws.com", "Describe" + i,
					ScenarioTest.user("alice"), "198.51.100.7", console));
		}
		calls.add(events.call(t0.plus(20, ChronoUnit.MINUTES), "cloudtrail.amazonaws.com", "StopLogging", ScenarioTest.user("alice"),
				"198.51.100.7", console));
		Path trail = Files.writeString(dir.resolve("trail.json"),
				ScenarioTest.JSON.writeValueAsString(ScenarioTest.JSON.createObjectNode().set("Records", calls)));
		List<String> access = new ArrayList<>();
		String daveArn = "arn:aws:iam::" + ScenarioTest.ACCOUNT + ":user/dave";
		for (int i = 0; i < 140; i++) {
			access.add(accessLine(t0.plus(30, ChronoUnit.MINUTES).plusSeconds(2L * i), "finance-reports", daveArn, "198.51.100.7",
					ATTACKER_UA, "2025/q" + (i % 4 + 1) + "/statement-" + i + ".pdf"));
		}
		// the backup role copies the same bucket every hour for two days: routine
		for (int h = 0; h < 48; h++) {
			String session = "arn:aws:sts::" + ScenarioTest.ACCOUNT + ":assumed-role/backup/nightly-" + h;
			for (int i = 0; i < 110; i++) {
				access.add(accessLine(t0.minus(30, ChronoUnit.HOURS).plus(h, ChronoUnit.HOURS).plusSeconds(2L * i), "finance-reports",
						session, "10.0.5.5", "aws-sdk-java/2.25.0 Linux/5.10 OpenJDK_64-Bit_Server_VM/17", "2025/q1/statement-" + i + ".pdf"));
			}
		}
		Path log = Files.write(dir.resolve("finance-reports-access.log"), access);
		try (EvidenceStore store = EvidenceStore.open(dir.resolve("store"))) {
			IngestTest.ingest(store, trail, log);
			new Reasoner(store).run(RuleSet.load(null), new NullProgressMonitor());
			Findings findings = new Findings(store);
			List<Findings.Sequence> sequences = findings.sequences("en");
			assertEquals(List.of("alice", "dave"), sequences.stream().map(Findings.Sequence::actorLabel).sorted().toList());
			// stopping CloudTrail is a sequence of its own (high severity); her console browsing is not part of it
			Findings.Sequence admin = sequences.stream().filter(s -> s.actorLabel().equals("alice")).findFirst().orElseThrow();
			assertEquals(List.of("StopLogging"), admin.members().stream().map(Findings.Signal::eventName).toList());
			Findings.Sequence q = sequences.stream().filter(s -> s.actorLabel().equals("dave")).findFirst().orElseThrow();
			assertEquals(List.of("Burst of denied calls", "Enumeration of many services", "Burst of object downloads"),
					q.members().stream().map(Findings.Signal::detectorLabel).toList());
			List<Long> sizes = q.members().stream().map(Findings.Signal::burstSize).toList();
			assertEquals(12L, sizes.get(0));
			assertTrue(sizes.get(1) >= 30, "the 30 read APIs, and denied ones still in the window: " + sizes);
			assertEquals(140L, sizes.get(2));
			// every record behind a burst is listed, in time order, the access log's lines without an eventID
			List<Findings.Behind> behind = q.members().get(2).evidence();
			assertEquals(140, behind.size());
			assertTrue(behind.stream().allMatch(b -> b.event() != null && b.time() != null && "GetObject".equals(b.name())), behind.toString());
			assertEquals(behind.stream().map(Findings.Behind::time).sorted().toList(), behind.stream().map(Findings.Behind::time).toList());
			assertEquals(12, q.members().get(0).evidence().stream().filter(b -> b.id() != null).count(), "CloudTrail's eventIDs");
			assertEquals(List.of("TA0007", "TA0009"), q.tactics());
			assertEquals("AttackSequence:S3/CompromisedData", q.type());
			List<Findings.Signal> backup = findings.signals("en").stream().filter(s -> String.valueOf(s.actorLabel()).startsWith("backup/")).toList();
			assertEquals(48, backup.size(), "one download burst an hour");
			assertTrue(backup.stream().allMatch(Findings.Signal::routine), "the backup's hourly bursts are routine");
			assertTrue(findings.signals("en").stream().noneMatch(s -> "alice".equals(s.actorLabel())
					&& s.detectorLabel().startsWith("Enumeration")), "console browsing is not an enumeration");
			// on the timeline the downloads seen only in the access log are drawn on the access log's stream
			var timeline = dev.loupe.core.reason.Timeline.load(store, "en");
			var downloads = q.members().get(2);
			assertEquals(List.of("S3 server access logs"), timeline.lanes().stream().filter(l -> l.signals().contains(downloads))
					.map(dev.loupe.core.reason.Timeline.Lane::source).toList());
		}
	}
	/**
	 * A wiper deleting a bucket's objects a thousand at a time makes few DeleteObjects calls: one signal for the
	 * three calls of one episode, another for a second episode two hours later, none for a refused attempt.
	 */
	@Test
	void batchDeletionsAreOneSignalPerEpisode(@TempDir Path dir) throws IOException {
		Instant t0 = Instant.parse("2025-06-10T03:00:00Z");
		ArrayNode calls = ScenarioTest.JSON.createArrayNode();
		for (int i = 0; i < 3; i++) {
			calls.add(events.call(t0.plusSeconds(40L * i), "s3.amazonaws.com", "DeleteObjects", ScenarioTest.user("dave"), "198.51.100.7",
					ATTACKER_UA));
		}
		calls.add(events.call(t0.plus(2, ChronoUnit.HOURS), "s3.amazonaws.com", "DeleteObjects", ScenarioTest.user("dave"), "198.51.100.7",
				ATTACKER_UA));
		ObjectNode refused = events.call(t0, "s3.amazonaws.com", "DeleteObjects", ScenarioTest.user("erin"), "198.51.100.8", ATTACKER_UA);
		refused.put("errorCode", "AccessDenied").put("errorMessage", "Access Denied");
		calls.add(refused);
		Path trail = Files.writeString(dir.resolve("trail.json"),
				ScenarioTest.JSON.writeValueAsString(ScenarioTest.JSON.createObjectNode().set("Records", calls)));
		try (EvidenceStore store = EvidenceStore.open(dir.resolve("store"))) {
			IngestTest.ingest(store, trail);
			new Reasoner(store).run(RuleSet.load(null), new NullProgressMonitor());
			List<Findings.Signal> batches = new Findings(store).signals("en").stream()
					.filter(x -> x.detector().endsWith("/s3-batch-deletion")).toList();
			assertEquals(List.of(3L, 1L), batches.stream().map(Findings.Signal::burstSize).toList(), batches.toString());
			assertTrue(batches.stream().allMatch(x -> x.actor().endsWith(":user/dave") && "T1485".equals(x.technique())
					&& "TA0040".equals(x.tactic())), batches.toString());
		}
	}

	/**
	 * Console passwords guessed at night in {@link NoisyAccount}'s busy account: first names that do not exist
	 * (CloudTrail hides them), then frank's password, until it works. Each guessed user's failures are a burst;
	 * frank's sign-in without MFA from the same client follows; one sequence of frank's, with the spraying in it.
	 */
	@Test
	void guessedConsolePasswordsAndTheSignInThatWorkedAreOneSequence(@TempDir Path dir) throws IOException {
		NoisyAccount a = NoisyAccount.quiet();
		Instant t0 = NoisyAccount.START.plus(2, ChronoUnit.DAYS).plus(3, ChronoUnit.HOURS);
		String ip = "45.95.147.10";
		ObjectNode hidden = ScenarioTest.JSON.createObjectNode().put("type", "IAMUser").put("principalId", "")
				.put("accountId", NoisyAccount.ACCOUNT).put("accessKeyId", "").put("userName", "HIDDEN_DUE_TO_SECURITY_REASONS");
		for (int i = 0; i < 8; i++) {
			failedLogin(a, t0.plusSeconds(20L * i), hidden, ip, "No username found in supplied account");
		}
		ObjectNode frank = NoisyAccount.iamUser("frank", null);
		frank.remove("accessKeyId");
		for (int i = 0; i < 6; i++) {
			failedLogin(a, t0.plusSeconds(200 + 15L * i), frank, ip, "Failed authentication");
		}
		a.consoleLogin(t0.plusSeconds(320), frank, ip, false);
		// two mistyped passwords of an administrator's in the afternoon are no burst
		ObjectNode erin = NoisyAccount.iamUser("erin", null);
		erin.remove("accessKeyId");
		failedLogin(a, NoisyAccount.START.plus(1, ChronoUnit.DAYS).plus(15, ChronoUnit.HOURS), erin, NoisyAccount.OFFICE,
				"Failed authentication");
		Path trail = Files.writeString(dir.resolve("trail.json"),
				NoisyAccount.JSON.writeValueAsString(NoisyAccount.JSON.createObjectNode().set("Records", a.trail())));
		try (EvidenceStore store = ScenarioTest.reasoned(dir, trail)) {
			Findings f = new Findings(store);
			List<Findings.Signal> signals = f.signals("en");
			List<Findings.Signal> bursts = signals.stream().filter(s -> s.detector().endsWith("/console-login-failures")).toList();
			assertEquals(2, bursts.size(), bursts.toString());
			assertEquals(List.of(6L, 8L), bursts.stream().map(Findings.Signal::burstSize).sorted().toList());
			assertTrue(bursts.stream().allMatch(s -> "T1110".equals(s.technique()) && "TA0006".equals(s.tactic())), bursts.toString());
			List<Findings.Sequence> sequences = f.sequences("en", signals);
			assertEquals(1, sequences.size(), sequences.toString());
			Findings.Sequence q = sequences.get(0);
			assertEquals("frank", q.actorLabel());
			assertEquals(List.of("TA0001", "TA0006"), q.tactics());
			assertEquals(3, q.members().size(), q.members().toString());
		}
	}

	private static void failedLogin(NoisyAccount a, Instant t, ObjectNode who, String ip, String why) {
		ObjectNode e = a.consoleLogin(t, who, ip, false);
		e.put("errorMessage", why);
		((ObjectNode) e.get("responseElements")).put("ConsoleLogin", "Failure");
	}
}
