package dev.loupe.core.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.loupe.core.reason.Findings;
import dev.loupe.core.store.EvidenceStore;

/**
 * A pivot across accounts, each account's trail a file of its own, as an organization's trails are. In the
 * development account a developer's leaked key reads an instance's password data, then assumes the
 * administrator role AWS Organizations leaves in every member account. In production the session makes an
 * administrator with a key, reads a secret, stops the trail and deletes GuardDuty's detector. CloudTrail records
 * the assumption twice: in the caller's account with the user, in the role's account with only the calling
 * account and the user's principal ID. All day a CI user of the development account deploys to production
 * through a role it assumes there, and an administrator works in each account.
 */
class CrossAccountTest {
	static final ObjectMapper JSON = new ObjectMapper();
	static final String DEV = "111111111111";
	static final String PROD = "222222222222";
	static final Instant START = Instant.parse("2025-09-08T00:00:00Z");
	static final Instant ATTACK = START.plus(20, ChronoUnit.HOURS).plus(7, ChronoUnit.MINUTES);
	static final String OFFICE = "198.51.100.7";
	static final String CI_IP = "203.0.113.44";
	static final String VPS = "45.148.10.82";
	static final String CHROME = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/128.0.0.0 Safari/537.36";
	static final String CI_UA = "aws-cli/2.17.20 Python/3.11.9 Linux/6.5.0-1025-azure exe/x86_64.ubuntu.22 prompt/off command/lambda.update-function-code";
	static final String CLI = "aws-cli/2.15.30 Python/3.11.8 Linux/6.1.0-18-amd64 exe/x86_64.debian.12 prompt/off";
	static final String ORG_ROLE = "OrganizationAccountAccessRole";

	private final List<ObjectNode> dev = new ArrayList<>();
	private final List<ObjectNode> prod = new ArrayList<>();
	private int id;
	private boolean viaSession;

	@Test
	void thePivotIsOneSequenceNamedForTheLeakedKeysUser(@TempDir Path dir) throws IOException {
		try (EvidenceStore store = bothTrails(dir)) {
			Findings f = new Findings(store);
			List<Findings.Signal> signals = f.signals("en");
			List<Findings.Sequence> sequences = f.sequences("en");
			assertEquals(1, sequences.size(), () -> sequences.stream().map(q -> q.actorLabel() + " " + q.members().stream()
					.map(Findings.Signal::eventName).toList()).toList() + "\n" + signals.stream().map(s -> s.actorLabel() + " " + s.eventName()).toList());
			Findings.Sequence q = sequences.get(0);
			assertEquals("carol", q.actorLabel(), "the compromised principal, not the account or the session: " + q);
			assertEquals(List.of("AttachUserPolicy", "CreateAccessKey", "CreateUser", "DeleteDetector", "GetPasswordData",
					"GetSecretValue", "StopLogging"), q.members().stream().map(Findings.Signal::eventName).sorted().toList());
			// both accounts' parts, linked through the session carol's key assumed
			assertTrue(q.members().stream().anyMatch(s -> s.actor().contains(DEV)) && q.members().stream().anyMatch(s -> s.actor().contains(PROD)),
					q.members().toString());
			// the CI user's deployments through the same kind of cross-account session are no part of it
			assertTrue(q.members().stream().noneMatch(s -> String.valueOf(s.actorLabel()).contains("deploy")), q.members().toString());
			// the tampering shows, with the hole it leaves in production's trail
			assertTrue(f.gaps().stream().anyMatch(g -> g.source().equals("CloudTrail") && "StopLogging".equals(g.causeName())),
					f.gaps().toString());
			assertTrue(f.gaps().stream().anyMatch(g -> g.source().equals("GuardDuty") && "DeleteDetector".equals(g.causeName())),
					f.gaps().toString());
		}
	}

	/** The same pivot made from a role session of the development account: the chain goes back through it to carol. */
	@Test
	void aPivotFromARoleSessionGoesBackToTheKeysUser(@TempDir Path dir) throws IOException {
		viaSession = true;
		try (EvidenceStore store = bothTrails(dir)) {
			List<Findings.Sequence> sequences = new Findings(store).sequences("en");
			assertEquals(1, sequences.size(), sequences::toString);
			assertEquals("carol", sequences.get(0).actorLabel());
			assertEquals(7, sequences.get(0).members().size(), sequences.get(0).members()::toString);
		}
	}

	/**
	 * Production's trail alone: the assumption names only the development account and carol's principal ID. The ID
	 * still tells her from the CI user, and names the sequence.
	 */
	@Test
	void theCalledAccountsTrailAloneNamesTheCallerByPrincipalId(@TempDir Path dir) throws IOException {
		assertProductionAloneNames("AIDA111CAROL", dir);
	}

	/**
	 * Production's trail alone, the pivot made from a role session of development: the caller's principal ID is the
	 * session's (role ID and session name), and it is still one actor apart from the CI user's sessions.
	 */
	@Test
	void theCalledAccountsTrailAloneNamesACallingSessionByItsPrincipalId(@TempDir Path dir) throws IOException {
		viaSession = true;
		assertProductionAloneNames("AROADEVADMIN:carol-s", dir);
	}

	/** Production's trail alone gives one sequence, of the six attack signals there, named {@code actor}. */
	private void assertProductionAloneNames(String actor, Path dir) throws IOException {
		generate();
		try (EvidenceStore store = ScenarioTest.reasoned(dir, write(dir, "prod-trail.json", prod))) {
			List<Findings.Sequence> sequences = new Findings(store).sequences("en");
			assertEquals(1, sequences.size(), sequences::toString);
			Findings.Sequence q = sequences.get(0);
			assertEquals(actor, q.actorLabel());
			assertEquals(List.of("AttachUserPolicy", "CreateAccessKey", "CreateUser", "DeleteDetector", "GetSecretValue", "StopLogging"),
					q.members().stream().map(Findings.Signal::eventName).sorted().toList());
		}
	}

	/** Each account's trail in turn, in both orders: each update gives what a full run over the files so far gives. */
	@Test
	void updatesAfterEachAccountsTrailGiveTheFullRunsResults(@TempDir Path dir) throws IOException {
		generate();
		Path devTrail = write(dir, "dev-trail.json", dev);
		Path prodTrail = write(dir, "prod-trail.json", prod);
		WindowedUpdateTest.updateAfterEach(dir.resolve("dev-first"), List.of(devTrail, prodTrail));
		WindowedUpdateTest.updateAfterEach(dir.resolve("prod-first"), List.of(prodTrail, devTrail));
	}

	/** Both trails ingested and reasoned over; the caller closes the store. */
	private EvidenceStore bothTrails(Path dir) throws IOException {
		generate();
		return ScenarioTest.reasoned(dir, write(dir, "dev-trail.json", dev), write(dir, "prod-trail.json", prod));
	}

	private void generate() {
		for (Instant t = START; t.isBefore(START.plus(1, ChronoUnit.DAYS)); t = t.plus(20, ChronoUnit.MINUTES)) {
			int hour = t.atZone(java.time.ZoneOffset.UTC).getHour();
			if (hour >= 8 && hour < 18) {
				dev.add(call(DEV, t, "ec2.amazonaws.com", "DescribeInstances", user(DEV, "alice"), OFFICE, CHROME));
				prod.add(call(PROD, t.plusSeconds(300), "s3.amazonaws.com", "ListBuckets", user(PROD, "bob"), OFFICE, CHROME));
			}
			if (t.getEpochSecond() % 3600 == 0 && !t.isAfter(ATTACK)) {
				deploy(t, hour);
			}
		}
		attack();
	}

	/** The CI user assumes production's deploy role and updates a function's code with it. */
	private void deploy(Instant t, int run) {
		String session = "gha-" + run;
		assume(t, user(DEV, "ci-bot"), CI_IP, CI_UA, "deploy", session, "ASIADEPLOY" + String.format("%06d", run));
		ObjectNode update = call(PROD, t.plusSeconds(20), "lambda.amazonaws.com", "UpdateFunctionCode20150331v2",
				session(PROD, "deploy", session, "ASIADEPLOY" + String.format("%06d", run)), CI_IP, CI_UA);
		((ObjectNode) update.get("requestParameters")).put("functionName", "orders-api");
		prod.add(update);
	}

	private void attack() {
		Instant t = ATTACK;
		ObjectNode carol = user(DEV, "carol");
		dev.add(call(DEV, t, "sts.amazonaws.com", "GetCallerIdentity", carol, VPS, CLI));
		ObjectNode password = call(DEV, t.plusSeconds(40), "ec2.amazonaws.com", "GetPasswordData", carol, VPS, CLI);
		((ObjectNode) password.get("requestParameters")).put("instanceId", "i-0d1e2f3a4b5c6d7e8");
		dev.add(password);
		ObjectNode caller = carol;
		if (viaSession) {
			// first a role of her own account: production then sees the session's principal ID, AROA...:session
			ObjectNode hop = call(DEV, t.plusSeconds(60), "sts.amazonaws.com", "AssumeRole", carol, VPS, CLI);
			((ObjectNode) hop.get("requestParameters")).put("roleArn", "arn:aws:iam::" + DEV + ":role/dev-admin").put("roleSessionName", "carol-s");
			ObjectNode response = hop.putObject("responseElements");
			response.putObject("credentials").put("accessKeyId", "ASIAHOP000000001");
			response.putObject("assumedRoleUser").put("assumedRoleId", "AROADEVADMIN:carol-s")
					.put("arn", "arn:aws:sts::" + DEV + ":assumed-role/dev-admin/carol-s");
			dev.add(hop);
			caller = session(DEV, "dev-admin", "carol-s", "ASIAHOP000000001");
		}
		String key = "ASIAPIVOT00000001";
		assume(t.plusSeconds(90), caller, VPS, CLI, ORG_ROLE, "carol", key);
		ObjectNode s = session(PROD, ORG_ROLE, "carol", key);
		ObjectNode createUser = call(PROD, t.plusSeconds(150), "iam.amazonaws.com", "CreateUser", s, VPS, CLI);
		((ObjectNode) createUser.get("requestParameters")).put("userName", "svc-metrics");
		prod.add(createUser);
		ObjectNode attach = call(PROD, t.plusSeconds(160), "iam.amazonaws.com", "AttachUserPolicy", s, VPS, CLI);
		((ObjectNode) attach.get("requestParameters")).put("userName", "svc-metrics").put("policyArn", "arn:aws:iam::aws:policy/AdministratorAccess");
		prod.add(attach);
		ObjectNode keyFor = call(PROD, t.plusSeconds(170), "iam.amazonaws.com", "CreateAccessKey", s, VPS, CLI);
		((ObjectNode) keyFor.get("requestParameters")).put("userName", "svc-metrics");
		keyFor.putObject("responseElements").putObject("accessKey").put("userName", "svc-metrics").put("accessKeyId", "AKIAMETRICS000001")
				.put("status", "Active");
		prod.add(keyFor);
		ObjectNode secret = call(PROD, t.plusSeconds(200), "secretsmanager.amazonaws.com", "GetSecretValue", s, VPS, CLI);
		((ObjectNode) secret.get("requestParameters")).put("secretId", "prod/orders/db");
		prod.add(secret);
		ObjectNode stop = call(PROD, t.plusSeconds(230), "cloudtrail.amazonaws.com", "StopLogging", s, VPS, CLI);
		((ObjectNode) stop.get("requestParameters")).put("name", "arn:aws:cloudtrail:eu-west-1:" + PROD + ":trail/org-trail");
		prod.add(stop);
		// GuardDuty's own record reaches the trail before it stops delivering: the order of the last calls is the
		// intruder's, the trail's silence begins after StopLogging
		ObjectNode detector = call(PROD, t.plusSeconds(225), "guardduty.amazonaws.com", "DeleteDetector", s, VPS, CLI);
		((ObjectNode) detector.get("requestParameters")).put("detectorId", "12abc34d567e8fa901bc2d34e56789f0");
		prod.add(detector);
		// after StopLogging production's trail records nothing more, background and all
		prod.removeIf(e -> Instant.parse(e.get("eventTime").asText()).isAfter(t.plusSeconds(230)));
	}

	/** An AssumeRole into production: in the caller's trail with the caller, in production's with its account. */
	private void assume(Instant t, ObjectNode caller, String ip, String ua, String role, String session, String key) {
		for (boolean callerSide : new boolean[] { true, false }) {
			ObjectNode identity = callerSide ? caller
					: JSON.createObjectNode().put("type", "AWSAccount").put("principalId", caller.get("principalId").asText())
							.put("accountId", caller.get("accountId").asText());
			ObjectNode e = call(callerSide ? DEV : PROD, t, "sts.amazonaws.com", "AssumeRole", identity, ip, ua);
			((ObjectNode) e.get("requestParameters")).put("roleArn", "arn:aws:iam::" + PROD + ":role/" + role).put("roleSessionName", session);
			ObjectNode response = e.putObject("responseElements");
			response.putObject("credentials").put("accessKeyId", key).put("expiration", t.plus(1, ChronoUnit.HOURS).toString());
			response.putObject("assumedRoleUser").put("assumedRoleId", "AROA" + role.toUpperCase().replaceAll("[^A-Z]", "") + ":" + session)
					.put("arn", "arn:aws:sts::" + PROD + ":assumed-role/" + role + "/" + session);
			e.put("sharedEventID", "5f2b6c1e-0000-4000-8000-" + String.format("%012d", id));
			(callerSide ? dev : prod).add(e);
		}
	}

	ObjectNode call(String account, Instant t, String source, String name, ObjectNode identity, String ip, String ua) {
		return ScenarioTest.record(account, ++id, t, source, name, identity, ip, ua);
	}

	static ObjectNode user(String account, String name) {
		return JSON.createObjectNode().put("type", "IAMUser").put("accountId", account).put("userName", name)
				.put("arn", "arn:aws:iam::" + account + ":user/" + name).put("principalId", "AIDA" + account.substring(0, 3) + name.toUpperCase())
				.put("accessKeyId", "AKIA" + (name.toUpperCase() + "0000000000000000").substring(0, 16));
	}

	static ObjectNode session(String account, String role, String session, String key) {
		ObjectNode id = JSON.createObjectNode().put("type", "AssumedRole").put("accountId", account)
				.put("arn", "arn:aws:sts::" + account + ":assumed-role/" + role + "/" + session)
				.put("principalId", "AROA" + role.toUpperCase().replaceAll("[^A-Z]", "") + ":" + session).put("accessKeyId", key);
		id.putObject("sessionContext").putObject("sessionIssuer").put("type", "Role").put("accountId", account)
				.put("arn", "arn:aws:iam::" + account + ":role/" + role).put("userName", role);
		return id;
	}

	private static Path write(Path dir, String name, List<ObjectNode> calls) throws IOException {
		calls.sort(Comparator.comparing((ObjectNode x) -> x.get("eventTime").asText()));
		ArrayNode records = JSON.createArrayNode().addAll(calls);
		return Files.writeString(dir.resolve(name), JSON.writeValueAsString(JSON.createObjectNode().set("Records", records)));
	}
}
