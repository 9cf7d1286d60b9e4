package dev.loupe.core.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
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
 * Findings as signals, and links other than "same identity": a finding about an instance meets the calls made
 * with that instance's credentials; a second stolen identity used from the attacker's client (same address and
 * user agent) joins the first one's sequence while the administrator behind the same address does not; automation
 * acting on the same instance stays out; tampering opens a coverage gap until logging is restored.
 */
class CorrelationTest {
	private static final String GD_ACCOUNT = "987654321098";
	private static final String INSTANCE = "i-0987654321fedcba0";
	private final ScenarioTest events = new ScenarioTest();

	@Test
	void everyFindingIsASignalWithTheTacticOfItsKind(@TempDir Path dir) throws IOException {
		try (EvidenceStore store = EvidenceStore.open(dir.resolve("store"))) {
			IngestTest.ingest(store, GuardDutyTest.sentinel("sample-data/guardduty_findings.jsonl"),
					GuardDutyTest.sentinel("samples/data/sample-findings"), GuardDutyTest.fixture("guardduty/attack-sequence-api.json"));
			new Reasoner(store).run(RuleSet.load(null), new NullProgressMonitor());
			Map<String, String> tactics = new TreeMap<>();
			for (Findings.Signal s : new Findings(store).signals("en")) {
				tactics.put(s.eventName(), String.valueOf(s.tactic()));
			}
			List<String> findings = GuardDutyTest.select(store, "t",
					"?f a loupe:Finding ; loupe:findingType ?t FILTER (!STRSTARTS(?t, \"AttackSequence:\"))");
			assertEquals(findings, List.copyOf(tactics.keySet()), "one signal per finding, none for GuardDuty's own sequences");
			var timeline = dev.loupe.core.reason.Timeline.load(store, "en");
			assertTrue(timeline.lanes().stream().filter(l -> !l.signals().isEmpty())
					.allMatch(l -> l.source().equals("GuardDuty / Security Hub")), "findings are drawn on the findings' streams");
			assertEquals("TA0011", tactics.get("Backdoor:EC2/C&CActivity.B!DNS"));
			assertEquals("TA0011", tactics.get("Behavior:EC2/NetworkPortUnusual"));
			assertEquals("TA0040", tactics.get("CryptoCurrency:EC2/BitcoinTool.B!DNS"));
			assertEquals("TA0010", tactics.get("Trojan:EC2/DNSDataExfiltration"), "the longer prefix wins over Trojan:");
			assertEquals("TA0005", tactics.get("Stealth:IAMUser/CloudTrailLoggingDisabled"));
			assertEquals("TA0005", tactics.get("Policy:S3/BucketBlockPublicAccessDisabled"));
			assertEquals("TA0002", tactics.get("Execution:Kubernetes/ExecInKubeSystemPod"));
			assertEquals("TA0004", tactics.get("PrivilegeEscalation:Kubernetes/PrivilegedContainer"));
			assertEquals("TA0010", tactics.get("Exfiltration:S3/ObjectRead.Unusual"));
			assertEquals("TA0001", tactics.get("UnauthorizedAccess:EC2/TorIPCaller"));
			assertEquals("null", tactics.get("Test:Minimal/Finding"), "a finding of no known kind is a signal without a tactic");
			Findings.Signal stealth = new Findings(store).signals("en").stream()
					.filter(s -> s.eventName().equals("Stealth:IAMUser/CloudTrailLoggingDisabled")).findFirst().orElseThrow();
			assertEquals("security-admin", stealth.actorLabel(), "the finding's principal is the signal's actor");
			assertEquals(0, new java.math.BigDecimal("8.5").compareTo(stealth.severity()), "the finding's own severity");
		}
	}

	@Test
	void aFindingAboutAnInstanceMeetsTheUseOfItsCredentials(@TempDir Path dir) throws IOException {
		Instant seen = Instant.parse("2024-01-02T10:15:00Z");
		ArrayNode calls = ScenarioTest.JSON.createArrayNode();
		String ua = "python-requests/2.31";
		ObjectNode stolen = instanceSession();
		calls.add(account(events.call(seen.plus(2, ChronoUnit.HOURS), "cloudtrail.amazonaws.com", "StopLogging", stolen, "198.51.100.66", ua)));
		// Terraform, a minute later, changes the same instance's user data: automation, not part of the story
		ObjectNode terraform = role("terraform-apply", "tf-run-1");
		ObjectNode tf = account(events.call(seen.plus(3, ChronoUnit.HOURS), "ec2.amazonaws.com", "ModifyInstanceAttribute", terraform,
				"192.0.2.80", "APN/1.0 HashiCorp/1.0 Terraform/1.7.5 (+https://www.terraform.io) terraform-provider-aws/5.40.0"));
		((ObjectNode) tf.get("requestParameters")).put("instanceId", INSTANCE).put("attribute", "userData");
		calls.add(tf);
		Path trail = Files.writeString(dir.resolve("trail.json"),
				ScenarioTest.JSON.writeValueAsString(ScenarioTest.JSON.createObjectNode().set("Records", calls)));
		try (EvidenceStore store = EvidenceStore.open(dir.resolve("store"))) {
			IngestTest.ingest(store, GuardDutyTest.sentinel("samples/data/sample-findings/ec2-findings/backdoor-cc-activity.json"), trail);
			new Reasoner(store).run(RuleSet.load(null), new NullProgressMonitor());
			List<Findings.Sequence> sequences = new Findings(store).sequences("en");
			assertEquals(1, sequences.size(), sequences.toString());
			Findings.Sequence q = sequences.get(0);
			assertEquals(List.of("Backdoor:EC2/C&CActivity.B!DNS", "StopLogging"), q.members().stream().map(Findings.Signal::eventName).toList());
			assertTrue(q.members().get(0).resources().contains(INSTANCE), "the finding's instance is the signal's resource: " + q.members().get(0));
			Findings.Link link = q.links().get(0);
			assertTrue(link.kind().endsWith("#resourceKey"), link.toString());
			assertTrue(link.shared().endsWith(INSTANCE), link.toString());
			assertEquals("PT2H", link.gap());
			assertTrue(link.explanation().startsWith("same resource " + INSTANCE + ", 2 h later"), link.explanation());
			// written when read, in the reader's language
			String ja = new Findings(store).sequences("ja").get(0).links().get(0).explanation();
			assertTrue(ja.startsWith("同一のリソース " + INSTANCE + "、2 時間 後"), ja);
			assertEquals("AttackSequence:EC2/CompromisedInstanceGroup", q.type());
			assertEquals(List.of("urn:loupe:arn:aws:sts::" + GD_ACCOUNT + ":assumed-role/terraform-apply/tf-run-1"),
					GuardDutyTest.select(store, "p", "?p a loupe:AutomatedPrincipal"));
		}
	}

	/**
	 * Calls aimed at an instance meet what marks it as a foothold (a finding about it, its credentials used, its
	 * flows), not each other: an administrator who runs a command on the instance the next day is no part of the
	 * intruder's story, though both acted on it within the window. (The window runs from the end of what lasts:
	 * GuardDuty saw the backdoor's traffic from 10:15 to 11:45, and the command comes more than a day after that.)
	 */
	@Test
	void callsAimedAtAnInstanceMeetItsFindingsButNotEachOther(@TempDir Path dir) throws IOException {
		Instant seen = Instant.parse("2024-01-02T10:15:00Z");
		ArrayNode calls = ScenarioTest.JSON.createArrayNode();
		ObjectNode password = account(events.call(seen.plus(2, ChronoUnit.HOURS), "ec2.amazonaws.com", "GetPasswordData",
				ScenarioTest.user("carol"), "198.51.100.66", "aws-cli/2.13.1 Python/3.11 Linux/6.5 exe/x86_64.ubuntu.22"));
		((ObjectNode) password.get("requestParameters")).put("instanceId", INSTANCE);
		calls.add(password);
		ObjectNode command = account(events.call(seen.plus(25, ChronoUnit.HOURS).plus(45, ChronoUnit.MINUTES), "ssm.amazonaws.com",
				"SendCommand", ScenarioTest.user("alice"), "192.0.2.44", "aws-cli/2.15.0 Python/3.11 Darwin/23.1"));
		((ObjectNode) command.get("requestParameters")).putArray("instanceIds").add(INSTANCE);
		calls.add(command);
		try (EvidenceStore store = ScenarioTest.reasoned(dir,
				GuardDutyTest.sentinel("samples/data/sample-findings/ec2-findings/backdoor-cc-activity.json"), ScenarioTest.trail(dir, calls))) {
			assertEquals(List.of("Backdoor:EC2/C&CActivity.B!DNS", "GetPasswordData", "SendCommand"),
					new Findings(store).signals("en").stream().map(Findings.Signal::eventName).toList());
			List<Findings.Sequence> sequences = new Findings(store).sequences("en");
			assertEquals(1, sequences.size(), sequences.toString());
			Findings.Sequence q = sequences.get(0);
			assertEquals(List.of("Backdoor:EC2/C&CActivity.B!DNS", "GetPasswordData"),
					q.members().stream().map(Findings.Signal::eventName).toList(), "alice's command, 23 h 45 min after carol's call, stays out");
			Findings.Link link = q.links().get(0);
			assertTrue(link.kind().endsWith("#targetKey"), link.toString());
			assertTrue(link.explanation().startsWith("call aimed at the same resource " + INSTANCE + ", 2 h later"), link.explanation());
		}
	}

	/**
	 * GuardDuty keeps one finding for activity that goes on, and moves its last-seen time: a miner it first saw
	 * three days ago and still sees meets what happens to the same instance now, though its first sighting is far
	 * outside the window; the sequence lasts as long as the miner.
	 */
	@Test
	void aFindingThatGoesOnMeetsWhatFollowsItsLastSighting(@TempDir Path dir) throws IOException {
		ObjectNode miner = (ObjectNode) ScenarioTest.JSON.readTree(GuardDutyTest.sentinel(
				"samples/data/sample-findings/ec2-findings/backdoor-cc-activity.json").toFile());
		miner.put("type", "CryptoCurrency:EC2/BitcoinTool.B!DNS").put("severity", 5).put("id", "miner1").put("arn",
				miner.get("arn").asText().replaceAll("/finding/.*", "/finding/miner1"));
		((ObjectNode) miner.get("service")).put("eventFirstSeen", "2024-01-02T10:15:00.000Z").put("eventLastSeen", "2024-01-05T12:00:00.000Z")
				.put("count", 400);
		Path finding = Files.writeString(dir.resolve("miner.json"), ScenarioTest.JSON.writeValueAsString(miner));
		// a port probe the day before, about the same instance: nearer in start than the miner, ended long before
		ObjectNode probe = miner.deepCopy().put("type", "Recon:EC2/PortProbeUnprotectedPort").put("severity", 2).put("id", "probe1");
		probe.put("arn", miner.get("arn").asText().replace("/finding/miner1", "/finding/probe1"));
		((ObjectNode) probe.get("service")).put("eventFirstSeen", "2024-01-04T08:00:00.000Z").put("eventLastSeen", "2024-01-04T08:00:00.000Z")
				.put("count", 1);
		Path probed = Files.writeString(dir.resolve("probe.json"), ScenarioTest.JSON.writeValueAsString(probe));
		ArrayNode calls = ScenarioTest.JSON.createArrayNode();
		ObjectNode password = account(events.call(Instant.parse("2024-01-05T10:00:00Z"), "ec2.amazonaws.com", "GetPasswordData",
				ScenarioTest.user("carol"), "198.51.100.66", "aws-cli/2.13.1 Python/3.11 Linux/6.5 exe/x86_64.ubuntu.22"));
		((ObjectNode) password.get("requestParameters")).put("instanceId", INSTANCE);
		calls.add(password);
		try (EvidenceStore store = ScenarioTest.reasoned(dir, finding, probed, ScenarioTest.trail(dir, calls))) {
			List<Findings.Sequence> sequences = new Findings(store).sequences("en");
			assertEquals(1, sequences.size(), "impact and credential access, two tactics: " + sequences);
			// the call is measured from the miner's last sighting, not from the probe that started later
			assertEquals(List.of("CryptoCurrency:EC2/BitcoinTool.B!DNS", "Recon:EC2/PortProbeUnprotectedPort", "GetPasswordData"),
					sequences.get(0).members().stream().map(Findings.Signal::eventName).toList());
			// the call's link is to the miner, and gives the time between their starts, as the timeline draws them
			Findings.Sequence q = sequences.get(0);
			Findings.Link call = q.links().stream().filter(l -> l.to().equals(q.members().get(2).iri())).findFirst().orElseThrow();
			assertEquals(q.members().get(0).iri(), call.from());
			assertEquals("PT71H45M", call.gap());
			assertEquals("2024-01-05T12:00:00Z", q.end(), "until the miner's last sighting, after the call");
		}
	}

	@Test
	void aSecondIdentityFromTheAttackersClientJoinsButNotTheAdminBesideIt(@TempDir Path dir) throws IOException {
		Instant t = Instant.parse("2025-03-04T06:00:00Z");
		String attacker = "aws-cli/2.13.1 Python/3.11 Linux/6.5 exe/x86_64.ubuntu.22";
		String admin = "aws-cli/2.15.0 Python/3.11 Darwin/23.1";
		ArrayNode calls = ScenarioTest.JSON.createArrayNode();
		calls.add(events.call(t, "cloudtrail.amazonaws.com", "StopLogging", ScenarioTest.user("carol"), ScenarioTest.SHARED_IP, attacker));
		ObjectNode admin1 = events.call(t.plus(20, ChronoUnit.MINUTES), "iam.amazonaws.com", "AttachUserPolicy", ScenarioTest.user("erin"),
				ScenarioTest.SHARED_IP, attacker);
		((ObjectNode) admin1.get("requestParameters")).put("userName", "mallory").put("policyArn", "arn:aws:iam::aws:policy/AdministratorAccess");
		calls.add(admin1);
		// the administrator, behind the same address, restores logging and deletes an old trail of her own
		calls.add(events.call(t.plus(2, ChronoUnit.HOURS), "cloudtrail.amazonaws.com", "StartLogging", ScenarioTest.user("alice"),
				ScenarioTest.SHARED_IP, admin));
		calls.add(events.call(t.plus(3, ChronoUnit.HOURS), "cloudtrail.amazonaws.com", "DeleteTrail", ScenarioTest.user("alice"),
				ScenarioTest.SHARED_IP, admin));
		Path trail = Files.writeString(dir.resolve("trail.json"),
				ScenarioTest.JSON.writeValueAsString(ScenarioTest.JSON.createObjectNode().set("Records", calls)));
		try (EvidenceStore store = EvidenceStore.open(dir.resolve("store"))) {
			IngestTest.ingest(store, trail);
			new Reasoner(store).run(RuleSet.load(null), new NullProgressMonitor());
			List<Findings.Sequence> sequences = new Findings(store).sequences("en");
			Findings.Sequence attack = sequences.stream().filter(q -> q.members().size() == 2).findFirst().orElseThrow(
					() -> new AssertionError(sequences.toString()));
			assertEquals(List.of("carol", "erin"), attack.members().stream().map(Findings.Signal::actorLabel).toList());
			Findings.Link link = attack.links().get(0);
			assertTrue(link.kind().endsWith("#endpointKey"), link.toString());
			assertTrue(link.explanation().contains(ScenarioTest.SHARED_IP + " · " + attacker), link.explanation());
			assertTrue(attack.explanation().contains("2 identities"), attack.explanation());
			assertFalse(sequences.stream().anyMatch(q -> q != attack && q.members().stream().anyMatch(m -> !"alice".equals(m.actorLabel()))),
					"alice's own signal stays out of the attacker's sequence: " + sequences);

			// StopLogging opened a gap that alice's StartLogging closed; her DeleteTrail opened one never closed
			List<String> gaps = GuardDutyTest.select(store, "g", "GRAPH <urn:loupe:graph:inferred> { ?x a loupe:CoverageGap ; "
					+ "loupe:gapSource ?s ; loupe:time ?t OPTIONAL { ?x loupe:endTime ?e } } BIND (CONCAT(?s, ' ', STR(?t), ' ', COALESCE(STR(?e), '-')) AS ?g)");
			assertEquals(List.of("CloudTrail 2025-03-04T06:00:00Z 2025-03-04T08:00:00Z", "CloudTrail 2025-03-04T09:00:00Z -"), gaps);
		}
	}

	/**
	 * A service acting for AWS (a call of type AWSService) is the same node in every account: keyed by it, one
	 * account's deployment and another's linked into a sequence of two tactics that no one performed.
	 */
	@Test
	void anAwsServiceIsNoActorToLinkOn(@TempDir Path dir) throws IOException {
		Instant t = Instant.parse("2025-05-06T07:00:00Z");
		ObjectNode inA = events.call(t, "ssm.amazonaws.com", "SendCommand", service("cloudformation.amazonaws.com"),
				"cloudformation.amazonaws.com", "cloudformation.amazonaws.com");
		ObjectNode inB = account(events.call(t.plus(30, ChronoUnit.MINUTES), "iam.amazonaws.com", "CreateUser",
				service("cloudformation.amazonaws.com"), "cloudformation.amazonaws.com", "cloudformation.amazonaws.com"));
		((ObjectNode) inB.get("userIdentity")).remove("accountId");
		((ObjectNode) inB.get("requestParameters")).put("userName", "app-deployer");
		Path trail = Files.writeString(dir.resolve("trail.json"), ScenarioTest.JSON.writeValueAsString(
				ScenarioTest.JSON.createObjectNode().set("Records", ScenarioTest.JSON.createArrayNode().add(inA).add(inB))));
		try (EvidenceStore store = EvidenceStore.open(dir.resolve("store"))) {
			IngestTest.ingest(store, trail);
			new Reasoner(store).run(RuleSet.load(null), new NullProgressMonitor());
			List<Findings.Signal> signals = new Findings(store).signals("en");
			assertEquals(List.of("SendCommand", "CreateUser"), signals.stream().map(Findings.Signal::eventName).toList(),
					"what the service did is still shown");
			assertEquals(List.of(), new Findings(store).sequences("en"), "two accounts' deployments are not one story");
		}
	}

	/**
	 * A service-linked role's session is automation, whatever client it called from; the same calls by a role of
	 * the customer's are not.
	 */
	@Test
	void aServiceLinkedRolesSessionIsAutomation(@TempDir Path dir) throws IOException {
		Instant t = Instant.parse("2025-05-06T07:00:00Z");
		ArrayNode calls = ScenarioTest.JSON.createArrayNode();
		calls.add(events.call(t, "secretsmanager.amazonaws.com", "GetSecretValue",
				role("AWSServiceRoleForAmazonGuardDuty", "GuardDuty-1"), "198.51.100.20", "aws-internal/3"));
		calls.add(events.call(t.plus(5, ChronoUnit.MINUTES), "secretsmanager.amazonaws.com", "GetSecretValue",
				role("app-reader", "run-1"), "198.51.100.21", "aws-internal/3"));
		assertEquals(Map.of("urn:loupe:arn:aws:sts::" + GD_ACCOUNT + ":assumed-role/AWSServiceRoleForAmazonGuardDuty/GuardDuty-1", true,
				"urn:loupe:arn:aws:sts::" + GD_ACCOUNT + ":assumed-role/app-reader/run-1", false), automated(dir, calls));
	}

	/** Whether each actor of a signal among {@code calls}, reasoned over on their own, is automation. */
	private static Map<String, Boolean> automated(Path dir, ArrayNode calls) throws IOException {
		Path trail = Files.writeString(dir.resolve("trail.json"), ScenarioTest.JSON.writeValueAsString(
				ScenarioTest.JSON.createObjectNode().set("Records", calls)));
		try (EvidenceStore store = EvidenceStore.open(dir.resolve("store"))) {
			IngestTest.ingest(store, trail);
			new Reasoner(store).run(RuleSet.load(null), new NullProgressMonitor());
			Map<String, Boolean> automated = new TreeMap<>();
			new Findings(store).signals("en").forEach(s -> automated.put(s.actor(), s.automated()));
			return automated;
		}
	}

	/**
	 * A role only AWS Backup called with (the service's host as user agent and source) is automation; a role whose
	 * calls say the same user agent but come from an address is not: a user agent is whatever the caller says.
	 */
	@Test
	void aRoleOnlyAnAwsServiceCalledWithIsAutomation(@TempDir Path dir) throws IOException {
		Instant t = Instant.parse("2025-05-06T05:00:00Z");
		ArrayNode calls = ScenarioTest.JSON.createArrayNode();
		calls.add(share(events.call(t, "ec2.amazonaws.com", "ModifySnapshotAttribute", role("AWSBackupDefaultServiceRole", "AWSBackup-1"),
				"backup.amazonaws.com", "backup.amazonaws.com")));
		calls.add(share(events.call(t.plus(5, ChronoUnit.MINUTES), "ec2.amazonaws.com", "ModifySnapshotAttribute",
				role("backup-helper", "run-1"), "203.0.113.40", "backup.amazonaws.com")));
		assertEquals(Map.of("urn:loupe:arn:aws:sts::" + GD_ACCOUNT + ":assumed-role/AWSBackupDefaultServiceRole/AWSBackup-1", true,
				"urn:loupe:arn:aws:sts::" + GD_ACCOUNT + ":assumed-role/backup-helper/run-1", false), automated(dir, calls));
	}

	/** A snapshot shared with another account, as the call's request says. */
	private static ObjectNode share(ObjectNode call) {
		((ObjectNode) call.get("requestParameters")).put("snapshotId", "snap-0123456789abcdef0")
				.putObject("createVolumePermission").putObject("add").putArray("items").addObject().put("userId", "999988887777");
		return call;
	}

	private static ObjectNode service(String name) {
		return ScenarioTest.JSON.createObjectNode().put("type", "AWSService").put("invokedBy", name);
	}

	private static ObjectNode account(ObjectNode call) {
		call.put("recipientAccountId", GD_ACCOUNT);
		((ObjectNode) call.get("userIdentity")).put("accountId", GD_ACCOUNT);
		return call;
	}

	private static ObjectNode instanceSession() {
		ObjectNode id = role("WindowsServer-Role", INSTANCE);
		assertNull(id.get("invokedBy"));
		return id;
	}

	private static ObjectNode role(String role, String session) {
		ObjectNode id = ScenarioTest.JSON.createObjectNode().put("type", "AssumedRole").put("accountId", GD_ACCOUNT)
				.put("arn", "arn:aws:sts::" + GD_ACCOUNT + ":assumed-role/" + role + "/" + session)
				.put("principalId", "AROAEXAMPLE:" + session).put("accessKeyId", "ASIA" + (session.toUpperCase() + "00000000000000000").substring(0, 16));
		id.putObject("sessionContext").putObject("sessionIssuer").put("type", "Role").put("accountId", GD_ACCOUNT)
				.put("arn", "arn:aws:iam::" + GD_ACCOUNT + ":role/" + role).put("userName", role);
		return id;
	}
}
