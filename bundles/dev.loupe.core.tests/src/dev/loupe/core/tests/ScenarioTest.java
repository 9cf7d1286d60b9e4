package dev.loupe.core.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;

import org.eclipse.core.runtime.NullProgressMonitor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.loupe.core.reason.Findings;
import dev.loupe.core.reason.Reasoner;
import dev.loupe.core.reason.RuleSet;
import dev.loupe.core.store.EvidenceStore;

/**
 * A generated account: two days of benign activity (an administrator, a read-only user, a CI role deploying Lambda
 * code every hour and reading its secrets every third time: two tactics, routinely; a Terraform pipeline that
 * creates an administrator with a key and tears down a trail) and, on the second day, an attack chain by a compromised user calling from the administrator's
 * own address, who then uses the key it made for another user. Exactly one sequence must come out: the chain,
 * backdoor key included, attributed to the compromised user, with none of the background and not the administrator
 * who shares the address.
 */
class ScenarioTest {
	static final ObjectMapper JSON = new ObjectMapper();
	static final String ACCOUNT = "111122223333";
	static final String SHARED_IP = "203.0.113.10";
	int id;

	ObjectNode call(Instant t, String source, String name, ObjectNode identity, String ip, String ua) {
		return record(ACCOUNT, ++id, t, source, name, identity, ip, ua);
	}

	/** A call whose request parameters {@code request} fills in. */
	ObjectNode call(Instant t, String source, String name, ObjectNode identity, String ip, String ua,
			Consumer<ObjectNode> request) {
		ObjectNode e = call(t, source, name, identity, ip, ua);
		request.accept((ObjectNode) e.get("requestParameters"));
		return e;
	}

	/** A CloudTrail record of account {@code account}, the {@code n}th of its trail, with empty request parameters. */
	static ObjectNode record(String account, int n, Instant t, String source, String name, ObjectNode identity, String ip, String ua) {
		ObjectNode e = JSON.createObjectNode();
		e.put("eventVersion", "1.09").put("eventTime", t.toString()).put("eventSource", source).put("eventName", name)
				.put("awsRegion", "eu-west-1").put("sourceIPAddress", ip).put("userAgent", ua)
				.put("eventID", "00000000-0000-0000-0000-" + String.format("%012d", n)).put("requestID", "r-" + n)
				.put("recipientAccountId", account).put("eventType", "AwsApiCall").set("userIdentity", identity);
		e.putObject("requestParameters");
		return e;
	}

	static ObjectNode user(String name) {
		return JSON.createObjectNode().put("type", "IAMUser").put("accountId", ACCOUNT).put("userName", name)
				.put("arn", "arn:aws:iam::" + ACCOUNT + ":user/" + name).put("principalId", "AIDA" + name.toUpperCase())
				.put("accessKeyId", "AKIA" + (name.toUpperCase() + "0000000000000000").substring(0, 16));
	}

	static ObjectNode ciSession(int run) {
		return roleSession("ci-deploy", "gha-" + run);
	}

	static ObjectNode terraformSession(int run) {
		return roleSession("terraform-apply", "tf-" + run);
	}

	/** A session of a role of the account, as CloudTrail names its caller. */
	static ObjectNode roleSession(String role, String session) {
		ObjectNode id = JSON.createObjectNode().put("type", "AssumedRole").put("accountId", ACCOUNT)
				.put("arn", "arn:aws:sts::" + ACCOUNT + ":assumed-role/" + role + "/" + session)
				.put("principalId", "AROA" + role.toUpperCase().replaceAll("[^A-Z]", "") + ":" + session);
		id.putObject("sessionContext").putObject("sessionIssuer").put("type", "Role").put("accountId", ACCOUNT)
				.put("arn", "arn:aws:iam::" + ACCOUNT + ":role/" + role).put("userName", role);
		return id;
	}

	/** Writes {@code calls} as a CloudTrail file in {@code dir}. */
	static Path trail(Path dir, ArrayNode calls) throws IOException {
		return Files.writeString(dir.resolve("trail.json"), JSON.writeValueAsString(JSON.createObjectNode().set("Records", calls)));
	}

	/** The store's one sequence (a failure naming what there is when there is not exactly one). */
	static Findings.Sequence onlySequence(EvidenceStore store) {
		List<Findings.Sequence> sequences = new Findings(store).sequences("en");
		assertEquals(1, sequences.size(), sequences.toString());
		return sequences.get(0);
	}

	/** A store in {@code dir} with {@code evidence} ingested and the bundled rules run; the caller closes it. */
	static EvidenceStore reasoned(Path dir, Path... evidence) throws IOException {
		EvidenceStore store = EvidenceStore.open(dir.resolve("store"));
		IngestTest.ingest(store, evidence);
		new Reasoner(store).run(RuleSet.load(null), new NullProgressMonitor());
		return store;
	}

	@Test
	void theInjectedChainIsTheOnlySequence(@TempDir Path dir) throws IOException {
		ArrayNode events = events();
		Path f = Files.writeString(dir.resolve("account.json"), JSON.writeValueAsString(JSON.createObjectNode().set("Records", events)));
		try (EvidenceStore store = EvidenceStore.open(dir.resolve("store"))) {
			assertEquals(events.size(), IngestTest.ingest(store, f).records());
			new Reasoner(store).run(RuleSet.load(null), new NullProgressMonitor());
			List<Findings.Sequence> sequences = new Findings(store).sequences("en");
			assertEquals(1, sequences.size(), sequences.toString());
			Findings.Sequence q = sequences.get(0);
			assertEquals("carol", q.actorLabel());
			assertEquals(List.of("AttachUserPolicy", "BatchGetSecretValue", "CreateAccessKey", "StopLogging"),
					q.members().stream().map(Findings.Signal::eventName).sorted().toList());
			// the CI role's hourly deployments and secret reads are its routine; nothing of the chain is
			List<Findings.Signal> all = new Findings(store).signals("en");
			assertTrue(all.stream().filter(g -> g.actor().contains("assumed-role/ci-deploy/")).allMatch(Findings.Signal::routine));
			assertTrue(q.members().stream().noneMatch(Findings.Signal::routine));
			// Terraform's calls are still signals (a trail stopped is shown), but automation makes no sequence
			assertEquals(List.of("AttachUserPolicy", "CreateAccessKey", "CreateUser", "DeleteFlowLogs", "DeleteTrail", "StopLogging"),
					all.stream().filter(g -> g.actor().contains("assumed-role/terraform-apply/")).map(Findings.Signal::eventName)
							.sorted().toList());
			assertTrue(all.stream().filter(g -> g.actor().contains("assumed-role/terraform-apply/")).allMatch(Findings.Signal::automated));
			assertTrue(all.stream().filter(g -> !g.actor().contains("assumed-role/terraform-apply/")).noneMatch(Findings.Signal::automated));
			// carol's listing before the chain is its context; the administrator's calls from the same address are not
			assertEquals(List.of("ListUsers"), q.context().stream().map(Findings.ContextEvent::eventName).toList());
			assertTrue(q.context().stream().allMatch(c -> c.id() != null && !c.id().isBlank()), "with CloudTrail's eventIDs: " + q.context());
			// against carol's first day, the chain's client, address and APIs are new; the CI role's never are
			Findings.Signal first = q.members().get(0);
			assertEquals(List.of("address", "api", "user-agent"), first.newlyObserved(), first.toString());
			List<Findings.Signal> ci = all.stream().filter(g -> g.actor().contains("assumed-role/ci-deploy/")).toList();
			assertTrue(ci.stream().allMatch(g -> g.newlyObserved().isEmpty()), "nothing the CI role does is new to it");
			assertTrue(all.stream().filter(g -> g.actor().endsWith("user/dave")).allMatch(g -> g.newlyObserved().isEmpty()),
					"dave has no history to compare with");
		}
	}

	/** The two days of background with the chain in them (also what IncrementalUpdateTest feeds in parts). */
	ArrayNode events() {
		Random r = new Random(7);
		ArrayNode events = JSON.createArrayNode();
		Instant start = Instant.parse("2025-03-03T00:00:00Z");
		String[] reads = { "DescribeInstances", "ListBuckets", "GetBucketPolicy", "DescribeSecurityGroups", "ListRoles", "GetUser" };
		for (int minute = 0; minute < 2 * 24 * 60; minute += 3) {
			Instant t = start.plus(minute, ChronoUnit.MINUTES);
			events.add(call(t, "ec2.amazonaws.com", reads[r.nextInt(reads.length)], user("alice"), SHARED_IP, "aws-cli/2.15.0"));
			if (r.nextInt(3) == 0) {
				events.add(call(t, "s3.amazonaws.com", "ListBuckets", user("bob"), "198.51.100.7", "Mozilla/5.0"));
			}
			if (minute % 60 == 0 && minute < 24 * 60) {
				// carol's own habits on the first day: the console, from her office
				events.add(call(t, "iam.amazonaws.com", "GetUser", user("carol"), "198.51.100.9",
						"Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15"));
			}
			if (minute % 60 == 0) {
				events.add(call(t, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", ciSession(minute / 60),
						"192.0.2.44", "aws-sdk-go-v2/1.30"));
				// every third deployment also reads its secrets: persistence and credential access, every few hours
				if (minute % 180 == 0) {
					events.add(call(t.plusSeconds(20), "secretsmanager.amazonaws.com", "BatchGetSecretValue", ciSession(minute / 60),
							"192.0.2.44", "aws-sdk-go-v2/1.30"));
				}
			}
		}
		// a Terraform pipeline builds a test stack on the first morning and tears it down: a user with an admin policy
		// and a key, a trail and flow logs it deletes again. Each call is a signal; none is an intrusion
		String tf = "APN/1.0 HashiCorp/1.0 Terraform/1.9.8 (+https://www.terraform.io) terraform-provider-aws/5.80.0";
		Instant apply = start.plus(10, ChronoUnit.HOURS);
		ObjectNode tfUser = call(apply, "iam.amazonaws.com", "CreateUser", terraformSession(1), "192.0.2.80", tf);
		((ObjectNode) tfUser.get("requestParameters")).put("userName", "test-stack-svc");
		events.add(tfUser);
		ObjectNode tfPolicy = call(apply.plusSeconds(5), "iam.amazonaws.com", "AttachUserPolicy", terraformSession(1), "192.0.2.80", tf);
		((ObjectNode) tfPolicy.get("requestParameters")).put("userName", "test-stack-svc").put("policyArn",
				"arn:aws:iam::aws:policy/AdministratorAccess");
		events.add(tfPolicy);
		ObjectNode tfKey = call(apply.plusSeconds(9), "iam.amazonaws.com", "CreateAccessKey", terraformSession(1), "192.0.2.80", tf);
		((ObjectNode) tfKey.get("requestParameters")).put("userName", "test-stack-svc");
		events.add(tfKey);
		Instant destroy = apply.plus(2, ChronoUnit.HOURS);
		events.add(call(destroy, "cloudtrail.amazonaws.com", "StopLogging", terraformSession(2), "192.0.2.81", tf));
		events.add(call(destroy.plusSeconds(4), "cloudtrail.amazonaws.com", "DeleteTrail", terraformSession(2), "192.0.2.81", tf));
		events.add(call(destroy.plusSeconds(8), "ec2.amazonaws.com", "DeleteFlowLogs", terraformSession(2), "192.0.2.81", tf));

		// the chain: carol's key, from the administrator's address, on the second day
		Instant attack = start.plus(30, ChronoUnit.HOURS);
		String ua = "aws-cli/2.13.1 Python/3.11 Linux";
		events.add(call(attack, "iam.amazonaws.com", "ListUsers", user("carol"), SHARED_IP, ua));
		ObjectNode key = call(attack.plus(4, ChronoUnit.MINUTES), "iam.amazonaws.com", "CreateAccessKey", user("carol"), SHARED_IP, ua);
		((ObjectNode) key.get("requestParameters")).put("userName", "dave");
		key.putObject("responseElements").putObject("accessKey").put("accessKeyId", "AKIABACKDOORDAVE0001")
				.put("userName", "dave").put("status", "Active");
		events.add(key);
		ObjectNode admin = call(attack.plus(6, ChronoUnit.MINUTES), "iam.amazonaws.com", "AttachUserPolicy", user("carol"), SHARED_IP, ua);
		((ObjectNode) admin.get("requestParameters")).put("userName", "dave").put("policyArn", "arn:aws:iam::aws:policy/AdministratorAccess");
		events.add(admin);
		events.add(call(attack.plus(9, ChronoUnit.MINUTES), "cloudtrail.amazonaws.com", "StopLogging", user("carol"), SHARED_IP, ua));
		// five hours later the backdoor key works as dave, from elsewhere: it belongs to carol's story
		ObjectNode dave = user("dave").put("accessKeyId", "AKIABACKDOORDAVE0001");
		events.add(call(attack.plus(5, ChronoUnit.HOURS), "secretsmanager.amazonaws.com", "BatchGetSecretValue", dave,
				"198.51.100.200", ua));

		return events;
	}
}
