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
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.loupe.core.reason.Findings;
import dev.loupe.core.store.EvidenceStore;

/**
 * Intruders who share what tells people apart with the people they hide among, in {@link NoisyAccount}'s busy
 * account: malware in the office using a developer's key from the office's one address while the administrators
 * work there, and an administrator's own stolen session used at night while her onboarding work of the afternoon
 * before is still within the link window. The sequence holds the intrusion and nothing of the people's work.
 */
class SharedClientsTest {
	static final String CLI = "aws-cli/2.15.30 Python/3.11.8 Darwin/23.4.0 exe/x86_64 prompt/off command/ecr.get-login-password";
	static final String VPS = "203.0.113.77";
	static final String VPS2 = "203.0.113.78";
	static final String ALICE_SSO = "aws-reserved/sso.amazonaws.com/eu-west-1/";

	/**
	 * Carol's key, used every working day from the office with the CLI, is used from the same address by a script
	 * on an infected workstation; within the hour bob rotates terraform-ci's key and alice deletes an old log
	 * group in the console, signals of their own from that address. Only the principal and the user agent tell them
	 * apart.
	 */
	@Test
	void malwareBehindTheOfficeAddressIsOneStory(@TempDir Path dir) throws IOException {
		NoisyAccount a = NoisyAccount.quiet();
		ObjectNode carol = NoisyAccount.iamUser("dev-carol", "AKIADEVCAROL00000001");
		for (int d = 0; d < 3; d++) {
			for (int m = 9 * 60; m < 17 * 60; m += 45) {
				Instant t = NoisyAccount.START.plus(d, ChronoUnit.DAYS).plus(m, ChronoUnit.MINUTES);
				a.call(t, "ecr.amazonaws.com", "GetAuthorizationToken", carol, NoisyAccount.OFFICE, CLI);
				a.call(t.plusSeconds(30), "ecs.amazonaws.com", "DescribeServices", carol, NoisyAccount.OFFICE, CLI);
			}
		}
		Instant t = NoisyAccount.START.plus(2, ChronoUnit.DAYS).plus(13 * 60 + 5, ChronoUnit.MINUTES);
		probe(a, t, carol, NoisyAccount.OFFICE);
		a.call(t.plusSeconds(200), "secretsmanager.amazonaws.com", "ListSecrets", carol, NoisyAccount.OFFICE, NoisyAccount.BOTO);
		for (int i = 0; i < 6; i++) {
			NoisyAccount.params(a.call(t.plusSeconds(210 + 5 * i), "secretsmanager.amazonaws.com", "GetSecretValue", carol,
					NoisyAccount.OFFICE, NoisyAccount.BOTO)).put("secretId", "prod/db-" + i);
		}
		key(a, t.plusSeconds(260), carol, NoisyAccount.OFFICE, "svc-reports", "AKIASVCREPORTS000001");
		NoisyAccount.params(a.call(t.plusSeconds(280), "s3.amazonaws.com", "PutBucketPolicy", carol, NoisyAccount.OFFICE,
				NoisyAccount.BOTO)).put("bucketName", "shop-invoices").put("bucketPolicy", "{\"Version\":\"2012-10-17\",\"Statement\":"
						+ "[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::210987654321:root\"},\"Action\":\"s3:GetObject\","
						+ "\"Resource\":\"arn:aws:s3:::shop-invoices/*\"}]}");
		NoisyAccount.params(a.call(t.plusSeconds(300), "ec2.amazonaws.com", "DeleteFlowLogs", carol, NoisyAccount.OFFICE,
				NoisyAccount.BOTO)).putObject("DeleteFlowLogsRequest").putObject("FlowLogId").put("content", "fl-0123456789abcdef0");
		// the administrators' work of the same hour, from the same address
		ObjectNode bob = NoisyAccount.session(ALICE_SSO, NoisyAccount.SSO_ROLE, "bob@example.com", "ASIABOBSSO000000003");
		key(a, t.plus(5, ChronoUnit.MINUTES), bob, NoisyAccount.OFFICE, "terraform-ci", "AKIATERRAFORMCI00002").put("userAgent",
				NoisyAccount.CHROME);
		NoisyAccount.params(a.call(t.plus(6, ChronoUnit.MINUTES), "iam.amazonaws.com", "DeleteAccessKey", bob, NoisyAccount.OFFICE,
				NoisyAccount.CHROME)).put("userName", "terraform-ci").put("accessKeyId", "AKIATERRAFORMCI00001");
		ObjectNode alice = NoisyAccount.session(ALICE_SSO, NoisyAccount.SSO_ROLE, "alice@example.com", "ASIAALISSO000000003");
		// (through the console, which CloudTrail records as AWS Internal: every console user's user agent)
		NoisyAccount.params(a.call(t.plus(15, ChronoUnit.MINUTES), "logs.amazonaws.com", "DeleteLogGroup", alice, NoisyAccount.OFFICE,
				"AWS Internal")).put("logGroupName", "/aws/lambda/orders-fn-old");

		try (EvidenceStore store = reasoned(dir, a)) {
			Findings f = new Findings(store);
			List<Findings.Signal> signals = f.signals("en");
			Findings.Sequence q = only(f.sequences("en", signals));
			assertEquals("dev-carol", q.actorLabel());
			assertEquals(signals.stream().filter(s -> "dev-carol".equals(s.actorLabel())).map(Findings.Signal::iri).sorted().toList(),
					q.members().stream().map(Findings.Signal::iri).sorted().toList());
			assertTrue(q.members().size() >= 8, q.members().toString());
			// the administrators' work is signals of their own, from the clients they have used every day
			for (String[] work : new String[][] { { "bob@example.com", "CreateAccessKey" }, { "bob@example.com", "PutBucketPolicy" },
					{ "alice@example.com", "DeleteLogGroup" }, { "alice@example.com", "CreateLoginProfile" } }) {
				Findings.Signal s = signals.stream().filter(x -> work[0].equals(sessionName(x)) && work[1].equals(x.eventName()))
						.findFirst().orElseThrow(() -> new AssertionError(String.join(" ", work)));
				assertEquals(Findings.Uncounted.HABITUAL, s.uncountedBecause(), s.toString());
			}
			assertTrue(q.members().stream().noneMatch(Findings.Signal::habitual), "the script's user agent is new to carol");
			// the script's reading around its signals is context; carol's own work with the CLI that hour is not
			Set<String> context = Set.copyOf(q.context().stream().map(Findings.ContextEvent::eventName).toList());
			assertTrue(context.contains("ListSecrets"), context.toString());
			assertFalse(context.contains("GetAuthorizationToken") || context.contains("DescribeServices"), context.toString());
		}
	}

	/**
	 * Alice's SSO session is used at night from a rented server: a new administrator with a key, a snapshot shared
	 * with an unknown account, GuardDuty deleted. Her onboarding of erin twelve hours before, from the office and
	 * her browser, carries signals of the same identity but is her work, not the intruder's.
	 */
	@Test
	void aStolenSessionLeavesItsOwnersWorkOut(@TempDir Path dir) throws IOException {
		NoisyAccount a = stolenSession();
		Instant t = NoisyAccount.ATTACK;
		try (EvidenceStore store = reasoned(dir, a)) {
			Findings f = new Findings(store);
			List<Findings.Signal> signals = f.signals("en");
			Findings.Sequence q = only(f.sequences("en", signals));
			List<String> attack = signals.stream().filter(s -> !Instant.parse(s.time()).isBefore(t))
					.filter(s -> "support-tmp".equals(s.actorLabel()) || "alice@example.com".equals(sessionName(s)))
					.map(Findings.Signal::iri).sorted().toList();
			assertTrue(attack.size() >= 5, attack.toString());
			assertEquals(attack, q.members().stream().map(Findings.Signal::iri).sorted().toList(), () -> q.members().stream()
					.map(s -> s.time() + " " + s.actorLabel() + " " + s.eventName()).toList().toString());
			Findings.Signal onboarding = signals.stream().filter(s -> "alice@example.com".equals(sessionName(s))
					&& s.time().compareTo(t.toString()) < 0 && "CreateLoginProfile".equals(s.eventName())).findFirst().orElseThrow();
			assertTrue(onboarding.habitual(), onboarding.toString());
		}
	}

	/**
	 * The stolen session's night and the days before it, delivered night first: whether a client was everyday
	 * changes as earlier evidence arrives, and each update gives what a full run over the files so far gives.
	 */
	@Test
	void updatesOnTheStolenSessionGiveTheFullRunsResults(@TempDir Path dir) throws IOException {
		ArrayNode all = stolenSession().trail();
		Instant day2 = NoisyAccount.START.plus(1, ChronoUnit.DAYS);
		List<Path> parts = new ArrayList<>();
		Instant[] cuts = { NoisyAccount.ATTACK, day2, NoisyAccount.START };
		Instant to = null;
		for (Instant from : cuts) {
			ArrayNode out = NoisyAccount.JSON.createArrayNode();
			for (JsonNode e : all) {
				Instant at = Instant.parse(e.path("eventTime").asText());
				if (!at.isBefore(from) && (to == null || at.isBefore(to))) {
					out.add(e);
				}
			}
			parts.add(Files.writeString(dir.resolve("trail-" + from.getEpochSecond() + ".json"),
					NoisyAccount.JSON.writeValueAsString(NoisyAccount.JSON.createObjectNode().set("Records", out))));
			to = from;
		}
		WindowedUpdateTest.updateAfterEach(dir, parts);
	}

	private static NoisyAccount stolenSession() {
		NoisyAccount a = NoisyAccount.quiet();
		ObjectNode alice = NoisyAccount.session(ALICE_SSO, NoisyAccount.SSO_ROLE, "alice@example.com", "ASIAALISSO000000009");
		Instant t = NoisyAccount.ATTACK;
		a.call(t, "sts.amazonaws.com", "GetCallerIdentity", alice, VPS, NoisyAccount.BOTO);
		a.call(t.plusSeconds(20), "iam.amazonaws.com", "ListUsers", alice, VPS, NoisyAccount.BOTO);
		a.call(t.plusSeconds(25), "iam.amazonaws.com", "ListRoles", alice, VPS, NoisyAccount.BOTO);
		NoisyAccount.params(a.call(t.plusSeconds(60), "iam.amazonaws.com", "CreateUser", alice, VPS, NoisyAccount.BOTO))
				.put("userName", "support-tmp");
		NoisyAccount.params(a.call(t.plusSeconds(63), "iam.amazonaws.com", "AttachUserPolicy", alice, VPS, NoisyAccount.BOTO))
				.put("userName", "support-tmp").put("policyArn", "arn:aws:iam::aws:policy/AdministratorAccess");
		key(a, t.plusSeconds(66), alice, VPS, "support-tmp", "AKIASUPPORTTMP000001");
		ObjectNode tmp = NoisyAccount.iamUser("support-tmp", "AKIASUPPORTTMP000001");
		ObjectNode share = a.call(t.plus(5, ChronoUnit.MINUTES), "ec2.amazonaws.com", "ModifySnapshotAttribute", tmp, VPS2,
				NoisyAccount.BOTO);
		NoisyAccount.params(share).put("snapshotId", "snap-0feedface0000001").put("attributeType", "CREATE_VOLUME_PERMISSION")
				.putObject("createVolumePermission").putObject("add").putArray("items").addObject().put("userId", "111122223333");
		NoisyAccount.params(a.call(t.plus(7, ChronoUnit.MINUTES), "guardduty.amazonaws.com", "DeleteDetector", tmp, VPS2,
				NoisyAccount.BOTO)).put("detectorId", "12abc34d567e8fa901bc2d34e56789f0");
		return a;
	}

	/**
	 * Carol's key is used from a rented server on the first night, and again from there two nights later. By then
	 * the server and its user agent are two days old to carol, but she raised a signal from them while they were
	 * new: the intruder is not at home there. Delivered night by night, each update gives what a full run gives,
	 * though the first night's signal is settled (not derived again) when the last night's evidence comes.
	 */
	@Test
	void anIntruderBackOnTheSameServerIsNotAtHome(@TempDir Path dir) throws IOException {
		NoisyAccount a = NoisyAccount.quiet();
		ObjectNode carol = NoisyAccount.iamUser("dev-carol", "AKIADEVCAROL00000002");
		Instant night1 = NoisyAccount.START.plus(2, ChronoUnit.HOURS);
		Instant night3 = night1.plus(2, ChronoUnit.DAYS);
		probe(a, night1, carol, VPS);
		probe(a, night3, carol, VPS);
		ArrayNode all = a.trail();
		List<Path> parts = new ArrayList<>();
		for (Instant[] night : new Instant[][] { { night1, night3 }, { night3, night3.plus(1, ChronoUnit.DAYS) } }) {
			ArrayNode out = NoisyAccount.JSON.createArrayNode();
			for (JsonNode e : all) {
				Instant at = Instant.parse(e.path("eventTime").asText());
				if (!at.isBefore(night[0]) && at.isBefore(night[1])) {
					out.add(e);
				}
			}
			parts.add(Files.writeString(dir.resolve("trail-" + night[0].getEpochSecond() + ".json"),
					NoisyAccount.JSON.writeValueAsString(NoisyAccount.JSON.createObjectNode().set("Records", out))));
		}
		WindowedUpdateTest.updateAfterEach(dir, parts);
		try (EvidenceStore store = EvidenceStore.open(dir.resolve("step"))) {
			List<Findings.Signal> back = new Findings(store).signals("en").stream()
					.filter(s -> s.time().compareTo(night3.toString()) >= 0).toList();
			assertFalse(back.isEmpty(), "the third night raises signals");
			assertTrue(back.stream().noneMatch(Findings.Signal::habitual), back.toString());
		}
	}

	/**
	 * Tampering is never everyday work: bob stopping the trail from the office, in the browser he has used for two
	 * days, is a sequence of its own, while his work of lower severity from there is not.
	 */
	@Test
	void tamperingFromTheEverydayClientStillCounts(@TempDir Path dir) throws IOException {
		NoisyAccount a = NoisyAccount.quiet();
		ObjectNode bob = NoisyAccount.session(ALICE_SSO, NoisyAccount.SSO_ROLE, "bob@example.com", "ASIABOBSSO000000004");
		NoisyAccount.params(a.call(NoisyAccount.START.plus(2, ChronoUnit.DAYS).plus(10, ChronoUnit.HOURS), "cloudtrail.amazonaws.com",
				"StopLogging", bob, NoisyAccount.OFFICE, NoisyAccount.CHROME)).put("name", "management-events");
		try (EvidenceStore store = reasoned(dir, a)) {
			Findings f = new Findings(store);
			List<Findings.Signal> signals = f.signals("en");
			Findings.Signal stop = signals.stream().filter(s -> "StopLogging".equals(s.eventName())).findFirst().orElseThrow();
			assertFalse(stop.habitual(), stop.toString());
			Findings.Sequence q = only(f.sequences("en", signals));
			assertEquals(List.of(stop.iri()), q.members().stream().map(Findings.Signal::iri).toList(),
					"bob's share with the partner the day before, everyday work, stays out");
		}
	}

	/**
	 * The web server's role credentials used from a rented server; twenty minutes later bob changes the
	 * instance's user data from the office, as he does. His change does not join the story (code put on the
	 * instance reaches its work only from the instance's own addresses or his), and the console pages he browses
	 * around it are not the intruder's context (they were once: DescribeInstances, GetMetricData and six more).
	 */
	@Test
	void everydayWorkOnTheInstanceStaysOutOfTheTheftsStory(@TempDir Path dir) throws IOException {
		NoisyAccount a = NoisyAccount.quiet();
		Instant t = NoisyAccount.START.plus(2, ChronoUnit.DAYS).plus(11, ChronoUnit.HOURS);
		ObjectNode web = NoisyAccount.session("", "web-role", NoisyAccount.INSTANCE, "ASIAWEBROLE000000001");
		a.call(t, "sts.amazonaws.com", "GetCallerIdentity", web, VPS, NoisyAccount.BOTO);
		a.call(t.plusSeconds(30), "secretsmanager.amazonaws.com", "ListSecrets", web, VPS, NoisyAccount.BOTO);
		a.call(t.plusSeconds(40), "secretsmanager.amazonaws.com", "DescribeSecret", web, VPS, NoisyAccount.BOTO);
		ObjectNode bob = NoisyAccount.session(ALICE_SSO, NoisyAccount.SSO_ROLE, "bob@example.com", "ASIABOBSSO000000005");
		NoisyAccount.params(a.call(t.plus(20, ChronoUnit.MINUTES), "ec2.amazonaws.com", "ModifyInstanceAttribute", bob,
				NoisyAccount.OFFICE, NoisyAccount.CHROME)).put("instanceId", NoisyAccount.INSTANCE).putObject("userData").put("value", "<sensitiveDataRemoved>");
		try (EvidenceStore store = reasoned(dir, a)) {
			Findings f = new Findings(store);
			Findings.Sequence q = only(f.sequences("en"));
			assertTrue(q.members().stream().noneMatch(m -> "ModifyInstanceAttribute".equals(m.eventName())), q.members().toString());
			// (the intruder's calls from the rented server are the off-instance signal's own evidence)
			Set<String> context = Set.copyOf(q.context().stream().map(Findings.ContextEvent::eventName).toList());
			assertTrue(Set.of("GetCallerIdentity", "ListSecrets", "DescribeSecret").containsAll(context), context.toString());
		}
	}

	/** A burst of denied and allowed reads across services, as enumeration scripts make. */
	private static void probe(NoisyAccount a, Instant t, ObjectNode who, String ip) {
		a.call(t, "sts.amazonaws.com", "GetCallerIdentity", who, ip, NoisyAccount.BOTO);
		String[][] calls = { { "iam", "ListUsers" }, { "iam", "ListRoles" }, { "iam", "ListPolicies" }, { "iam", "GetAccountSummary" },
				{ "s3", "ListBuckets" }, { "ec2", "DescribeInstances" }, { "ec2", "DescribeSnapshots" }, { "lambda", "ListFunctions" },
				{ "rds", "DescribeDBInstances" }, { "ssm", "DescribeParameters" }, { "dynamodb", "ListTables" }, { "sqs", "ListQueues" },
				{ "sns", "ListTopics" }, { "kms", "ListKeys" }, { "cloudtrail", "DescribeTrails" }, { "guardduty", "ListDetectors" },
				{ "organizations", "ListAccounts" }, { "route53", "ListHostedZones" }, { "eks", "ListClusters" },
				{ "ecr", "DescribeRepositories" } };
		for (int i = 0; i < calls.length; i++) {
			ObjectNode e = a.call(t.plusSeconds(10 + 5 * i), calls[i][0] + ".amazonaws.com", calls[i][1], who, ip, NoisyAccount.BOTO);
			if (i % 3 == 1 || calls[i][0].matches("organizations|guardduty|route53|eks|kms|sns|sqs|dynamodb")) {
				a.denied(e);
			}
		}
	}

	private static ObjectNode key(NoisyAccount a, Instant t, ObjectNode who, String ip, String user, String key) {
		ObjectNode e = a.call(t, "iam.amazonaws.com", "CreateAccessKey", who, ip, NoisyAccount.BOTO);
		NoisyAccount.params(e).put("userName", user);
		e.putObject("responseElements").putObject("accessKey").put("accessKeyId", key).put("userName", user).put("status", "Active");
		return e;
	}

	private static EvidenceStore reasoned(Path dir, NoisyAccount a) throws IOException {
		Path trail = Files.writeString(dir.resolve("trail.json"),
				NoisyAccount.JSON.writeValueAsString(NoisyAccount.JSON.createObjectNode().set("Records", a.trail())));
		return ScenarioTest.reasoned(dir, trail);
	}

	private static Findings.Sequence only(List<Findings.Sequence> sequences) {
		assertEquals(1, sequences.size(), () -> sequences.stream().map(q -> q.actorLabel() + " " + q.members().stream()
				.map(s -> s.actorLabel() + ":" + s.eventName()).toList()).toList().toString());
		return sequences.get(0);
	}

	/** The session name of a signal's actor (an SSO session's label is its role and session). */
	private static String sessionName(Findings.Signal s) {
		String label = String.valueOf(s.actorLabel());
		return label.substring(label.lastIndexOf('/') + 1);
	}
}
