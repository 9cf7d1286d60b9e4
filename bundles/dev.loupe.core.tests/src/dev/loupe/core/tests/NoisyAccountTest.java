package dev.loupe.core.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
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

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.loupe.core.reason.Findings;
import dev.loupe.core.reason.Reasoner;
import dev.loupe.core.reason.RuleSet;
import dev.loupe.core.store.EvidenceStore;

/**
 * A leaked key used at night in a busy account ({@link NoisyAccount}): the whole chain, the backdoor user's
 * console sign-in included, is the one sequence, attributed to the leaked key's user; the background's 480
 * signals (a Lambda function's secret reads, CloudFormation's deployments, AWS Backup's snapshots shared with the
 * backup account, Terraform's administrator, an onboarding, a posture vendor's scans, GuardDuty's probes of the web
 * server) are in none; the stopped trail and disabled GuardDuty are gaps.
 */
class NoisyAccountTest {

	@Test
	void theLeakedKeyIsTheOnlySequence(@TempDir Path dir) throws IOException {
		NoisyAccount account = NoisyAccount.generate();
		Path trail = account.writeTrail(dir);
		Path findings = account.writeFindings(dir);
		try (EvidenceStore store = EvidenceStore.open(dir.resolve("store"))) {
			IngestTest.ingest(store, trail, findings);
			new Reasoner(store).run(RuleSet.load(null), new NullProgressMonitor());
			Findings f = new Findings(store);
			List<Findings.Signal> signals = f.signals("en");
			List<Findings.Sequence> sequences = f.sequences("en");
			assertEquals(1, sequences.size(), () -> sequences.stream().map(q -> q.actorLabel() + " " + q.members().stream()
					.map(Findings.Signal::eventName).toList()).toList().toString());
			Findings.Sequence q = sequences.get(0);
			assertEquals("deploy-bot", q.actorLabel());
			assertEquals("AttackSequence:IAM/CompromisedCredentials", q.type());
			// every signal of the leaked key and the user it made is in it, and nothing else (the Lambda function's
			// secret reads go on during the attack)
			List<String> attack = signals.stream().filter(s -> "deploy-bot".equals(s.actorLabel()) || "svc-backup".equals(s.actorLabel()))
					.map(Findings.Signal::iri).sorted().toList();
			assertEquals(attack, q.members().stream().map(Findings.Signal::iri).sorted().toList());
			assertEquals(List.of("AttachUserPolicy", "ConsoleLogin", "CreateAccessKey", "CreateLoginProfile", "CreateUser",
					"Discovery:IAMUser/AnomalousBehavior", "GetCallerIdentity", "GetSendQuota", "ListIdentities", "ListRoles",
					"RunInstances", "RunInstances", "RunInstances", "StopLogging", "UnauthorizedAccess:IAMUser/TorIPCaller",
					"UpdateDetector"), q.members().stream().map(Findings.Signal::eventName).sorted().toList());
			assertEquals(List.of("TA0001", "TA0002", "TA0003", "TA0004", "TA0005", "TA0007"), q.tactics());
			assertTrue(signals.size() > 450, "the background raises signals too: " + signals.size());
			// the backdoor user's sign-in joins through the password its creator gave it
			assertTrue(q.links().stream().anyMatch(l -> l.kind().endsWith("#grantKey") && l.explanation().startsWith("access given to svc-backup")),
					q.links().toString());
			// why the background makes no sequence, signal by signal
			Findings.Signal erin = signals.stream().filter(s -> "erin".equals(s.actorLabel())).findFirst().orElseThrow();
			assertTrue(erin.firstSignIn(), "alice set erin's password 25 minutes before: " + erin);
			assertTrue(signals.stream().filter(s -> s.eventName().contains("EC2/")).allMatch(Findings.Signal::lowSeverity));
			assertTrue(signals.stream().filter(s -> s.actorLabel() != null && s.actorLabel().startsWith("orders-fn-role/"))
					.allMatch(Findings.Signal::routine));
			assertTrue(signals.stream().filter(s -> "terraform-ci".equals(s.actorLabel()) || String.valueOf(s.actorLabel()).startsWith("cfn-exec/"))
					.allMatch(Findings.Signal::automated));
			// the posture vendor's scans are enumerations, some refused, from a new address each time: routine
			List<Findings.Signal> scans = signals.stream().filter(s -> String.valueOf(s.actorLabel()).startsWith("PostureAudit-Role/")).toList();
			assertTrue(scans.size() >= 12 && scans.stream().allMatch(s -> "TA0007".equals(s.tactic()) && s.routine()), signals.stream().filter(s -> "TA0007".equals(s.tactic())).map(s -> s.actorLabel() + " " + s.detector()).distinct().toList().toString());
			// AWS Backup shares a snapshot with another account every night, with a role of the account: automation
			List<Findings.Signal> backup = signals.stream().filter(s -> String.valueOf(s.actorLabel()).startsWith("AWSBackupDefaultServiceRole/"))
					.toList();
			assertEquals(2, backup.size(), "the third night falls in the stopped trail's gap: " + backup);
			assertTrue(backup.stream().allMatch(Findings.Signal::automated), backup.toString());
			assertTrue(q.members().stream().filter(s -> !"svc-backup".equals(s.actorLabel()) || !s.eventName().equals("ConsoleLogin"))
					.noneMatch(Findings.Signal::uncounted));
			// the tampering shows, with the hole it leaves: the trail until bob starts it again, GuardDuty for good
			Findings.Gap trailGap = f.gaps().stream().filter(g -> g.source().equals("CloudTrail") && !g.silence()).findFirst().orElseThrow();
			assertEquals("svc-backup", trailGap.actorLabel());
			assertEquals("StartLogging", trailGap.restoreName());
			assertEquals(NoisyAccount.RESTART.toString(), trailGap.end());
			Findings.Gap guardDuty = f.gaps().stream().filter(g -> g.source().equals("GuardDuty")).findFirst().orElseThrow();
			assertEquals("UpdateDetector", guardDuty.causeName());
			assertNull(guardDuty.end());
		}
	}

	/**
	 * A script on a server shares each night's database snapshot with the recovery account, at 01:30 with the CLI
	 * and its own user's key: a signal of high severity every night, but always the same thing at the same hour. On
	 * three nights it is routine and makes no sequence of its own; the leaked key is still the one sequence.
	 */
	@Test
	void aNightlyScriptThatSharesSnapshotsIsRoutine(@TempDir Path dir) throws IOException {
		NoisyAccount account = NoisyAccount.generate();
		ObjectNode script = NoisyAccount.iamUser("dr-sync", "AKIADRSYNC0000000001");
		for (int night = 0; night < 3; night++) {
			ObjectNode share = account.call(NoisyAccount.START.plus(night, ChronoUnit.DAYS).plus(90 + night, ChronoUnit.MINUTES),
					"ec2.amazonaws.com", "ModifySnapshotAttribute", script, "198.51.100.80", SharedClientsTest.CLI);
			NoisyAccount.params(share).put("snapshotId", "snap-0nightly" + night).put("attributeType", "CREATE_VOLUME_PERMISSION")
					.putObject("createVolumePermission").putObject("add").putArray("items").addObject().put("userId", "210987654321");
		}
		Path trail = account.writeTrail(dir);
		try (EvidenceStore store = ScenarioTest.reasoned(dir, trail)) {
			Findings f = new Findings(store);
			List<Findings.Signal> shares = f.signals("en").stream().filter(s -> "dr-sync".equals(s.actorLabel())).toList();
			assertEquals(3, shares.size(), shares.toString());
			assertTrue(shares.stream().allMatch(Findings.Signal::routine), shares.toString());
			List<Findings.Sequence> sequences = f.sequences("en");
			assertEquals(List.of("deploy-bot"), sequences.stream().map(Findings.Sequence::actorLabel).toList());
		}
	}

	/**
	 * A Low finding about what a principal did still counts: GuardDuty rates a weakened password policy Low, and
	 * with the backdoor key the same user made it is a story of two tactics. Only Low findings that name no actor
	 * (probes of a resource) are left out of the count.
	 */
	@Test
	void aLowFindingAboutAPrincipalStillCounts(@TempDir Path dir) throws IOException {
		NoisyAccount account = new NoisyAccount();
		Instant t = NoisyAccount.START.plus(3, ChronoUnit.HOURS);
		ObjectNode key = account.call(t, "iam.amazonaws.com", "CreateAccessKey", NoisyAccount.iamUser("mallory", "AKIAMALLORY000000001"),
				"203.0.113.9", NoisyAccount.BOTO);
		NoisyAccount.params(key).put("userName", "svc-report");
		ObjectNode finding = NoisyAccount.JSON.createObjectNode().put("AccountId", NoisyAccount.ACCOUNT).put("Id", "f1")
				.put("Arn", "arn:aws:guardduty:eu-west-1:" + NoisyAccount.ACCOUNT + ":detector/d1/finding/f1").put("Region", "eu-west-1")
				.put("Type", "Stealth:IAMUser/PasswordPolicyChange").put("Title", "Password policy weakened").put("Severity", 2.0)
				.put("CreatedAt", t.plusSeconds(60).toString()).put("UpdatedAt", t.plusSeconds(60).toString()).put("SchemaVersion", "2.0");
		finding.putObject("Resource").put("ResourceType", "AccessKey").putObject("AccessKeyDetails").put("AccessKeyId", "AKIAMALLORY000000001")
				.put("UserName", "mallory").put("UserType", "IAMUser");
		finding.putObject("Service").put("ServiceName", "guardduty").put("EventFirstSeen", t.plusSeconds(60).toString())
				.put("EventLastSeen", t.plusSeconds(60).toString()).put("Count", 1);
		Path trail = account.writeTrail(dir);
		Path findings = Files.writeString(dir.resolve("findings.json"), NoisyAccount.JSON.writeValueAsString(
				NoisyAccount.JSON.createObjectNode().set("Findings", NoisyAccount.JSON.createArrayNode().add(finding))));
		try (EvidenceStore store = ScenarioTest.reasoned(dir, trail, findings)) {
			Findings f = new Findings(store);
			assertTrue(f.signals("en").stream().noneMatch(Findings.Signal::lowSeverity), f.signals("en").toString());
			List<Findings.Sequence> sequences = f.sequences("en");
			assertEquals(1, sequences.size(), sequences.toString());
			assertEquals("mallory", sequences.get(0).actorLabel());
		}
	}

	/**
	 * The same evidence arriving in parts, with an update after each: the password alice set and erin's sign-in
	 * fall in different files, and so do the backdoor user's password and its sign-in. Each update gives what a
	 * full run over the files so far gives.
	 */
	@Test
	void updatesAfterEachPartGiveTheFullRunsResults(@TempDir Path dir) throws IOException {
		List<Path> parts = parts(dir);
		WindowedUpdateTest.updateAfterEach(dir, parts);
	}

	/** The same parts delivered out of order: the attack first, then the days before it. */
	@Test
	void updatesAfterPartsOutOfOrderGiveTheFullRunsResults(@TempDir Path dir) throws IOException {
		List<Path> parts = new ArrayList<>(parts(dir));
		java.util.Collections.reverse(parts);
		WindowedUpdateTest.updateAfterEach(dir, parts);
	}

	/** The trail until the onboarding, until the backdoor user's sign-in, the findings, and the rest. */
	private static List<Path> parts(Path dir) throws IOException {
		NoisyAccount account = NoisyAccount.generate();
		Instant onboarding = NoisyAccount.START.plus(1, ChronoUnit.DAYS).plus(14, ChronoUnit.HOURS).plus(10, ChronoUnit.MINUTES);
		Instant backdoor = NoisyAccount.ATTACK.plus(8, ChronoUnit.MINUTES);
		return List.of(part(dir, "a", account.trail(), null, onboarding), part(dir, "b", account.trail(), onboarding, backdoor),
				account.writeFindings(dir),
				part(dir, "c", account.trail(), backdoor, null));
	}

	/** The calls from {@code from} (inclusive) to {@code to}, as a CloudTrail file. */
	static Path part(Path dir, String name, ArrayNode calls, Instant from, Instant to) throws IOException {
		ArrayNode out = NoisyAccount.JSON.createArrayNode();
		for (JsonNode e : calls) {
			Instant t = Instant.parse(e.path("eventTime").asText());
			if ((from == null || !t.isBefore(from)) && (to == null || t.isBefore(to))) {
				out.add(e);
			}
		}
		return Files.writeString(dir.resolve("trail-" + name + ".json"),
				NoisyAccount.JSON.writeValueAsString(NoisyAccount.JSON.createObjectNode().set("Records", out)));
	}
}
