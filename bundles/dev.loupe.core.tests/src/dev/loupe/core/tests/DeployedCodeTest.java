package dev.loupe.core.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.loupe.core.reason.Findings;
import dev.loupe.core.store.EvidenceStore;

/**
 * Code an intruder deploys with a role they may not assume (a Lambda function, an instance launched with a
 * profile) acts for them: what its session does within the link window after the deployment is the deployer's
 * story, named for the deployer. Later, or when automation deployed it, the code's work is its own.
 */
class DeployedCodeTest {
	static final String ACCOUNT = ScenarioTest.ACCOUNT;
	static final String VPS = "203.0.113.88";
	static final String BOTO = "Boto3/1.34.84 md/Botocore#1.34.84 ua/2.0 os/linux#6.5.0-21-generic md/arch#x86_64 lang/python#3.11.8";
	static final String INSTANCE = "i-0feedfacecafe0001";
	static final Instant T = Instant.parse("2025-10-06T01:00:00Z");
	private final ScenarioTest events = new ScenarioTest();

	/** The function's session, from Stratus Red Team's recording of a Lambda function's code replaced. */
	@Test
	void theRecordingsFunctionRunsAsItsRole(@TempDir Path dir) throws IOException {
		try (EvidenceStore store = ScenarioTest.reasoned(dir, Fixtures.stratus("aws.persistence.lambda-overwrite-code"))) {
			assertEquals(List.of("arn:aws:sts::266106314375:assumed-role/stratus-red-team-olc-lambda-vayhjqkdav/stratus-red-team-olc-func-vayhjqkdav"),
					GuardDutyTest.select(store, "arn", "?c loupe:deploysSession/loupe:arn ?arn"));
		}
	}

	/**
	 * Chris's leaked key probes what it may do (a burst of refused calls), then launches an instance with the
	 * operations team's administrator profile; from the instance, its session makes a user, an administrator of
	 * it with a key, and stops the trail. One sequence, named for chris, with his probing in it.
	 */
	@Test
	void anInstanceLaunchedWithAnAdministratorsProfileActsForItsLauncher(@TempDir Path dir) throws IOException {
		try (EvidenceStore store = ScenarioTest.reasoned(dir, probeAndLaunch(dir), fromTheInstance(dir, T.plus(20, ChronoUnit.MINUTES)))) {
			List<Findings.Sequence> sequences = new Findings(store).sequences("en");
			assertEquals(1, sequences.size(), sequences.toString());
			Findings.Sequence q = sequences.get(0);
			assertEquals("chris", q.actorLabel());
			assertEquals("access-denied-burst", detector(q.members().get(0)));
			assertEquals(List.of("CreateUser", "AttachUserPolicy", "CreateAccessKey", "StopLogging"),
					q.members().subList(1, q.members().size()).stream().map(Findings.Signal::eventName).toList());
			assertTrue(q.members().subList(1, q.members().size()).stream().allMatch(m -> m.actor().endsWith("/" + INSTANCE)), q.toString());
			assertTrue(q.explanation().contains("same identity"), q.explanation());
			Findings.Deployer by = q.members().get(1).deployedBy();
			assertEquals(List.of("chris", "RunInstances", "2025-10-06T01:10:00Z"), List.of(by.label(), by.call(), by.time()));
			assertEquals(null, q.members().get(0).deployedBy(), "chris's own burst");
		}
	}

	/** The same instance acting two days later: its own story, not chris's. */
	@Test
	void laterTheCodesWorkIsItsOwn(@TempDir Path dir) throws IOException {
		try (EvidenceStore store = ScenarioTest.reasoned(dir, probeAndLaunch(dir), fromTheInstance(dir, T.plus(2, ChronoUnit.DAYS)))) {
			List<Findings.Sequence> sequences = new Findings(store).sequences("en");
			assertEquals(List.of("ops-admin-role/" + INSTANCE), sequences.stream().map(Findings.Sequence::actorLabel).toList());
		}
	}

	/**
	 * Chris creates a function with a role he passes to it (its path under service-role/) and the function reads
	 * three secrets and makes a key for an administrator: one story, chris's.
	 */
	@Test
	void aFunctionTheIntruderCreatedActsForHim(@TempDir Path dir) throws IOException {
		ArrayNode calls = ScenarioTest.JSON.createArrayNode();
		calls.add(createFunction(T, ScenarioTest.user("chris"), VPS, BOTO));
		ObjectNode fn = ScenarioTest.roleSession("debug-role", "log-rotate");
		String lambda = "Boto3/1.34.0 md/Botocore#1.34.0 ua/2.0 os/linux#5.10.227-239.884.amzn2.x86_64 lang/python#3.12.7 exec-env/AWS_Lambda_python3.12";
		for (int i = 0; i < 3; i++) {
			ObjectNode read = events.call(T.plusSeconds(90 + i), "secretsmanager.amazonaws.com", "GetSecretValue", fn, "3.250.10.20", lambda);
			((ObjectNode) read.get("requestParameters")).put("secretId", "prod/api-" + i);
			calls.add(read);
		}
		ObjectNode key = events.call(T.plusSeconds(95), "iam.amazonaws.com", "CreateAccessKey", fn, "3.250.10.20", lambda);
		((ObjectNode) key.get("requestParameters")).put("userName", "admin-bob");
		calls.add(key);
		try (EvidenceStore store = ScenarioTest.reasoned(dir, ScenarioTest.trail(dir, calls))) {
			List<Findings.Sequence> sequences = new Findings(store).sequences("en");
			assertEquals(1, sequences.size(), sequences.toString());
			assertEquals("chris", sequences.get(0).actorLabel());
			assertTrue(sequences.get(0).members().stream().allMatch(m -> m.actor().endsWith(":assumed-role/debug-role/log-rotate")),
					sequences.toString());
			assertEquals(List.of("CreateFunction20150331"), sequences.get(0).context().stream().map(Findings.ContextEvent::eventName).toList(),
					"the deployment is part of the story");
		}
	}

	/** A function Terraform deploys (a principal that only ever calls through it) does not make Terraform its story. */
	@Test
	void automationsDeploymentsAreNotItsStory(@TempDir Path dir) throws IOException {
		ArrayNode calls = ScenarioTest.JSON.createArrayNode();
		String terraform = "APN/1.0 HashiCorp/1.0 Terraform/1.9.8 (+https://www.terraform.io) terraform-provider-aws/5.80.0";
		calls.add(createFunction(T, ScenarioTest.terraformSession(1), "192.0.2.90", terraform));
		ObjectNode fn = ScenarioTest.roleSession("debug-role", "log-rotate");
		ObjectNode key = events.call(T.plusSeconds(95), "iam.amazonaws.com", "CreateAccessKey", fn, "3.250.10.20", "Boto3/1.34.0 exec-env/AWS_Lambda_python3.12");
		((ObjectNode) key.get("requestParameters")).put("userName", "admin-bob");
		calls.add(key);
		try (EvidenceStore store = ScenarioTest.reasoned(dir, ScenarioTest.trail(dir, calls))) {
			Findings.Signal s = new Findings(store).signals("en").stream().filter(x -> "CreateAccessKey".equals(x.eventName())).findFirst()
					.orElseThrow();
			assertEquals(List.of(), GuardDutyTest.select(store, "c", "?s loupe:deployedBy ?c"), s.toString());
		}
	}

	/** The launch first and the instance's calls after, and the other way round: each update gives the full run's results. */
	@Test
	void updatesInEitherOrderGiveTheFullRunsResults(@TempDir Path dir) throws IOException {
		Path launch = probeAndLaunch(Files.createDirectories(dir.resolve("a")));
		Path instance = fromTheInstance(Files.createDirectories(dir.resolve("b")), T.plus(20, ChronoUnit.MINUTES));
		WindowedUpdateTest.updateAfterEach(Files.createDirectories(dir.resolve("forward")), List.of(launch, instance));
		WindowedUpdateTest.updateAfterEach(Files.createDirectories(dir.resolve("backward")), List.of(instance, launch));
	}

	private ObjectNode createFunction(Instant t, ObjectNode who, String ip, String ua) {
		ObjectNode create = events.call(t, "lambda.amazonaws.com", "CreateFunction20150331", who, ip, ua);
		((ObjectNode) create.get("requestParameters")).put("functionName", "log-rotate")
				.put("role", "arn:aws:iam::" + ACCOUNT + ":role/service-role/debug-role").put("runtime", "python3.12");
		create.putObject("responseElements").put("functionName", "log-rotate")
				.put("functionArn", "arn:aws:lambda:eu-west-1:" + ACCOUNT + ":function:log-rotate")
				.put("role", "arn:aws:iam::" + ACCOUNT + ":role/service-role/debug-role");
		return create;
	}

	/** Twelve IAM calls refused to {@code who} from the VPS, twenty seconds apart from {@code t}: a burst. */
	static ArrayNode probes(ScenarioTest events, Instant t, String who) {
		ArrayNode calls = ScenarioTest.JSON.createArrayNode();
		String[] probes = { "ListUsers", "ListRoles", "ListPolicies", "GetAccountAuthorizationDetails", "ListGroups", "ListAccessKeys",
				"GetAccountSummary", "ListInstanceProfiles", "ListSAMLProviders", "ListOpenIDConnectProviders", "GetAccountPasswordPolicy",
				"ListVirtualMFADevices" };
		for (int i = 0; i < probes.length; i++) {
			ObjectNode e = events.call(t.plusSeconds(20L * i), "iam.amazonaws.com", probes[i], ScenarioTest.user(who), VPS, BOTO);
			e.put("errorCode", "AccessDenied").put("errorMessage", "not authorized");
			calls.add(e);
		}
		return calls;
	}

	/** Chris's twelve refused calls, then the launch. */
	private Path probeAndLaunch(Path dir) throws IOException {
		ArrayNode calls = probes(events, T, "chris");
		ObjectNode run = events.call(T.plus(10, ChronoUnit.MINUTES), "ec2.amazonaws.com", "RunInstances", ScenarioTest.user("chris"), VPS, BOTO);
		((ObjectNode) run.get("requestParameters")).put("instanceType", "t3.micro").putObject("iamInstanceProfile").put("name", "ops-admin");
		run.putObject("responseElements").putObject("instancesSet").putArray("items").addObject().put("instanceId", INSTANCE)
				.put("instanceType", "t3.micro");
		calls.add(run);
		return Files.writeString(dir.resolve("launch.json"), ScenarioTest.JSON.writeValueAsString(
				ScenarioTest.JSON.createObjectNode().set("Records", calls)));
	}

	/** From the instance, with its profile's session: a user made an administrator with a key, and the trail stopped. */
	private Path fromTheInstance(Path dir, Instant at) throws IOException {
		ObjectNode session = ScenarioTest.roleSession("ops-admin-role", INSTANCE);
		String cli = "aws-cli/2.15.30 Python/3.11.8 Linux/6.1.109-118.189.amzn2023.x86_64 exe/x86_64.amzn.2023";
		String ip = "54.170.33.44";
		ArrayNode calls = ScenarioTest.JSON.createArrayNode();
		ObjectNode user = events.call(at, "iam.amazonaws.com", "CreateUser", session, ip, cli);
		((ObjectNode) user.get("requestParameters")).put("userName", "svc-backup2");
		calls.add(user);
		ObjectNode admin = events.call(at.plusSeconds(20), "iam.amazonaws.com", "AttachUserPolicy", session, ip, cli);
		((ObjectNode) admin.get("requestParameters")).put("userName", "svc-backup2").put("policyArn", "arn:aws:iam::aws:policy/AdministratorAccess");
		calls.add(admin);
		ObjectNode key = events.call(at.plusSeconds(40), "iam.amazonaws.com", "CreateAccessKey", session, ip, cli);
		((ObjectNode) key.get("requestParameters")).put("userName", "svc-backup2");
		calls.add(key);
		ObjectNode stop = events.call(at.plusSeconds(60), "cloudtrail.amazonaws.com", "StopLogging", session, ip, cli);
		((ObjectNode) stop.get("requestParameters")).put("name", "org-trail");
		calls.add(stop);
		return Files.writeString(dir.resolve("instance-" + at.toEpochMilli() + ".json"), ScenarioTest.JSON.writeValueAsString(
				ScenarioTest.JSON.createObjectNode().set("Records", calls)));
	}

	private static String detector(Findings.Signal s) {
		return s.detector().substring(s.detector().lastIndexOf('/') + 1);
	}
}
