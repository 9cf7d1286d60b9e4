package dev.loupe.core.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.loupe.core.reason.Findings;
import dev.loupe.core.store.EvidenceStore;

/**
 * Calls made through infrastructure-as-code by a principal that also calls otherwise. Two recordings where the
 * same credentials do both: a red-team run recorded whole (Terraform builds what each technique needs, the tool
 * detonates it, Terraform tears it down again, all from one laptop with one key), and a pipeline's key that an
 * intruder uses by hand while the pipeline goes on applying. Only the hand's calls are the story; Terraform's
 * signals, a trail deleted among them, are still listed.
 */
class AutomationClientTest {
	static final String TERRAFORM = "APN/1.0 HashiCorp/1.0 Terraform/1.9.8 (+https://www.terraform.io) terraform-provider-aws/5.80.0";
	static final String ACCOUNT = "143434273843";
	static final String LAPTOP = "86.245.153.234";

	@Test
	void aRedTeamRunRecordedWholeIsItsDetonations(@TempDir Path dir) throws IOException {
		Instant day = Instant.parse("2024-08-01T09:00:00Z");
		ArrayNode events = ScenarioTest.JSON.createArrayNode();
		Set<String> detonated = new TreeSet<>();
		int n = 0;
		// the red-teamer's own morning: a person's client, so the user is no automation
		for (int i = 0; i < 4; i++) {
			events.add(ScenarioTest.record(ACCOUNT, ++n, day.plus(i * 15, ChronoUnit.MINUTES), "sts.amazonaws.com",
					"GetCallerIdentity", christophe(), LAPTOP, "aws-cli/2.17.20 Python/3.11.9 Darwin/23.5.0 exe/x86_64 prompt/off"));
		}
		Instant t = day.plus(1, ChronoUnit.HOURS);
		String[][] runs = {
				{ "aws.defense-evasion.cloudtrail-stop", "s3:CreateBucket s3:PutBucketPolicy cloudtrail:CreateTrail cloudtrail:StartLogging",
						"cloudtrail:DeleteTrail s3:DeleteBucket" },
				{ "aws.persistence.iam-backdoor-role", "iam:CreateRole", "iam:DeleteRole" },
				{ "aws.exfiltration.ec2-share-ebs-snapshot", "ec2:CreateVolume ec2:CreateSnapshot", "ec2:DeleteSnapshot ec2:DeleteVolume" },
				{ "aws.persistence.iam-create-admin-user", "", "" } };
		for (String[] run : runs) {
			for (String call : run[1].split(" ")) {
				if (!call.isEmpty()) {
					events.add(terraform(++n, t, call));
					t = t.plusSeconds(20);
				}
			}
			t = t.plus(3, ChronoUnit.MINUTES);
			// the technique's own recording, moved into this account, laptop and morning
			for (JsonNode e : ScenarioTest.JSON.readTree(Fixtures.stratus(run[0]).toFile())) {
				ObjectNode d = (ObjectNode) e.deepCopy();
				d.put("eventTime", t.toString()).put("recipientAccountId", ACCOUNT).put("sourceIPAddress", LAPTOP).put("awsRegion", "eu-west-1");
				d.set("userIdentity", christophe());
				events.add(d);
				detonated.add(d.get("eventID").asText());
				t = t.plusSeconds(2);
			}
			t = t.plus(3, ChronoUnit.MINUTES);
			for (String call : run[2].split(" ")) {
				if (!call.isEmpty()) {
					events.add(terraform(++n, t, call));
					t = t.plusSeconds(20);
				}
			}
			t = t.plus(10, ChronoUnit.MINUTES);
		}
		Path f = Files.writeString(dir.resolve("run.json"), ScenarioTest.JSON.writeValueAsString(
				ScenarioTest.JSON.createObjectNode().set("Records", events)));
		try (EvidenceStore store = ScenarioTest.reasoned(dir, f)) {
			List<Findings.Sequence> sequences = new Findings(store).sequences("en");
			assertEquals(1, sequences.size(), sequences.toString());
			Findings.Sequence q = sequences.get(0);
			assertEquals("christophe", q.actorLabel());
			assertTrue(q.members().stream().allMatch(m -> m.userAgent().startsWith("stratus-red-team_")), q.members().toString());
			Set<String> behind = q.members().stream().flatMap(m -> m.evidence().stream()).map(Findings.Behind::id).collect(Collectors.toSet());
			assertTrue(detonated.containsAll(behind), behind.toString());
			assertEquals(List.of("AttachUserPolicy", "CreateAccessKey", "CreateUser", "ModifySnapshotAttribute", "StopLogging",
					"UpdateAssumeRolePolicy"), q.members().stream().map(Findings.Signal::eventName).sorted().distinct().toList());
			// the tear-down's deleted trail is no step of the attack, and is still there to see
			List<Findings.Signal> all = new Findings(store).signals("en");
			Findings.Signal deleted = all.stream().filter(s -> "DeleteTrail".equals(s.eventName())).findFirst().orElseThrow();
			assertEquals(Findings.Uncounted.AUTOMATION_CLIENT, deleted.uncountedBecause(), deleted.toString());
			assertFalse(deleted.automated(), "the user is no automation: only this call was");
			assertTrue(all.stream().filter(s -> s.userAgent() != null && s.userAgent().startsWith("stratus-red-team_"))
					.allMatch(s -> s.uncountedBecause() == null), "the detonations count");
		}
	}

	@Test
	void aPipelinesKeyUsedByHandJoinsOnlyTheHandsCalls(@TempDir Path dir) throws IOException {
		Path f = Files.writeString(dir.resolve("account.json"), ScenarioTest.JSON.writeValueAsString(
				ScenarioTest.JSON.createObjectNode().set("Records", pipelineAndIntruder())));
		try (EvidenceStore store = ScenarioTest.reasoned(dir, f)) {
			List<Findings.Sequence> sequences = new Findings(store).sequences("en");
			assertEquals(1, sequences.size(), sequences.toString());
			Findings.Sequence q = sequences.get(0);
			assertEquals("terraform-ci", q.actorLabel());
			// what CloudFormation did for the intruder's stack is the intruder's
			assertEquals(List.of("AttachUserPolicy", "CreateAccessKey", "CreateUser", "StopLogging"),
					q.members().stream().map(Findings.Signal::eventName).sorted().toList());
			List<Findings.Signal> pipeline = new Findings(store).signals("en").stream().filter(s -> TERRAFORM.equals(s.userAgent())).toList();
			assertEquals(List.of("AttachUserPolicy", "AuthorizeSecurityGroupIngress", "CreateAccessKey", "CreateUser", "DeleteFlowLogs"),
					pipeline.stream().map(Findings.Signal::eventName).sorted().toList());
			assertTrue(pipeline.stream().allMatch(s -> s.uncountedBecause() == Findings.Uncounted.AUTOMATION_CLIENT), pipeline.toString());
		}
	}

	/**
	 * The pipeline's days first, when its key is automation, then the intruder's hour and the rest, and the other
	 * way round: each update gives what a full run over the files so far gives.
	 */
	@Test
	void updatesAsTheHandAppearsGiveTheFullRunsResults(@TempDir Path dir) throws IOException {
		ArrayNode all = pipelineAndIntruder();
		Instant in = Instant.parse("2025-04-08T02:40:00Z");
		List<Path> parts = List.of(NoisyAccountTest.part(dir, "a", all, null, in), NoisyAccountTest.part(dir, "b", all, in, null));
		WindowedUpdateTest.updateAfterEach(dir.resolve("in-order"), parts);
		WindowedUpdateTest.updateAfterEach(dir.resolve("reversed"), List.of(parts.get(1), parts.get(0)));
	}

	/**
	 * Two days of a Terraform pipeline's key: plans every two hours, a service user with an administrator's policy
	 * and a key on the first day, a port opened to the world and a test stack's flow logs deleted on the second; and
	 * between those two, the key used from a VPS to make a key for an administrator, start a stack that makes
	 * another, and stop the trail.
	 */
	static ArrayNode pipelineAndIntruder() {
		ArrayNode events = ScenarioTest.JSON.createArrayNode();
		Instant start = Instant.parse("2025-04-07T00:00:00Z");
		int n = 0;
		String ip = "192.0.2.60";
		for (int h = 0; h < 48; h += 2) {
			Instant t = start.plus(h, ChronoUnit.HOURS);
			events.add(ScenarioTest.record(ACCOUNT, ++n, t, "ec2.amazonaws.com", "DescribeSecurityGroups", pipeline(), ip, TERRAFORM));
			events.add(ScenarioTest.record(ACCOUNT, ++n, t.plusSeconds(3), "iam.amazonaws.com", "GetUser", pipeline(), ip, TERRAFORM));
		}
		Instant apply = start.plus(10, ChronoUnit.HOURS).plusSeconds(30);
		ObjectNode user = ScenarioTest.record(ACCOUNT, ++n, apply, "iam.amazonaws.com", "CreateUser", pipeline(), ip, TERRAFORM);
		((ObjectNode) user.get("requestParameters")).put("userName", "reporting-svc");
		events.add(user);
		ObjectNode admin = ScenarioTest.record(ACCOUNT, ++n, apply.plusSeconds(4), "iam.amazonaws.com", "AttachUserPolicy", pipeline(), ip, TERRAFORM);
		((ObjectNode) admin.get("requestParameters")).put("userName", "reporting-svc").put("policyArn", "arn:aws:iam::aws:policy/AdministratorAccess");
		events.add(admin);
		ObjectNode key = ScenarioTest.record(ACCOUNT, ++n, apply.plusSeconds(8), "iam.amazonaws.com", "CreateAccessKey", pipeline(), ip, TERRAFORM);
		((ObjectNode) key.get("requestParameters")).put("userName", "reporting-svc");
		events.add(key);
		Instant second = start.plus(26, ChronoUnit.HOURS).plusSeconds(30);
		ObjectNode ingress = ScenarioTest.record(ACCOUNT, ++n, second, "ec2.amazonaws.com", "AuthorizeSecurityGroupIngress", pipeline(), ip, TERRAFORM);
		((ObjectNode) ingress.get("requestParameters")).put("groupId", "sg-0fedcba9876543210").putObject("ipPermissions").putArray("items")
				.addObject().put("ipProtocol", "tcp").put("fromPort", 22).put("toPort", 22).putObject("ipRanges").putArray("items")
				.addObject().put("cidrIp", "0.0.0.0/0");
		events.add(ingress);
		events.add(ScenarioTest.record(ACCOUNT, ++n, second.plus(90, ChronoUnit.MINUTES), "ec2.amazonaws.com", "DeleteFlowLogs", pipeline(), ip, TERRAFORM));
		// the intruder, by hand, from a VPS
		Instant in = start.plus(26, ChronoUnit.HOURS).plus(40, ChronoUnit.MINUTES);
		String vps = "45.146.165.37";
		String boto = "Boto3/1.34.84 md/Botocore#1.34.84 ua/2.0 os/linux#6.5.0 md/arch#x86_64 lang/python#3.11.8 md/pyimpl#CPython Botocore/1.34.84";
		events.add(ScenarioTest.record(ACCOUNT, ++n, in, "sts.amazonaws.com", "GetCallerIdentity", pipeline(), vps, boto));
		events.add(ScenarioTest.record(ACCOUNT, ++n, in.plusSeconds(30), "iam.amazonaws.com", "ListUsers", pipeline(), vps, boto));
		ObjectNode backdoor = ScenarioTest.record(ACCOUNT, ++n, in.plus(3, ChronoUnit.MINUTES), "iam.amazonaws.com", "CreateAccessKey", pipeline(), vps, boto);
		((ObjectNode) backdoor.get("requestParameters")).put("userName", "ops-admin");
		events.add(backdoor);
		// a stack the intruder starts: CloudFormation makes its administrator with the key's own credentials
		events.add(ScenarioTest.record(ACCOUNT, ++n, in.plus(4, ChronoUnit.MINUTES), "cloudformation.amazonaws.com", "CreateStack", pipeline(), vps, boto));
		String cfn = "cloudformation.amazonaws.com";
		ObjectNode stackUser = ScenarioTest.record(ACCOUNT, ++n, in.plus(5, ChronoUnit.MINUTES), "iam.amazonaws.com", "CreateUser", pipeline(), cfn, cfn);
		((ObjectNode) stackUser.get("requestParameters")).put("userName", "cfn-maint");
		((ObjectNode) stackUser.get("userIdentity")).put("invokedBy", cfn);
		events.add(stackUser);
		ObjectNode stackAdmin = ScenarioTest.record(ACCOUNT, ++n, in.plus(5, ChronoUnit.MINUTES).plusSeconds(3), "iam.amazonaws.com", "AttachUserPolicy",
				pipeline(), cfn, cfn);
		((ObjectNode) stackAdmin.get("requestParameters")).put("userName", "cfn-maint").put("policyArn", "arn:aws:iam::aws:policy/AdministratorAccess");
		((ObjectNode) stackAdmin.get("userIdentity")).put("invokedBy", cfn);
		events.add(stackAdmin);
		events.add(ScenarioTest.record(ACCOUNT, ++n, in.plus(8, ChronoUnit.MINUTES), "cloudtrail.amazonaws.com", "StopLogging", pipeline(), vps, boto));
		return events;
	}

	static ObjectNode pipeline() {
		return ScenarioTest.JSON.createObjectNode().put("type", "IAMUser").put("accountId", ACCOUNT).put("userName", "terraform-ci")
				.put("arn", "arn:aws:iam::" + ACCOUNT + ":user/terraform-ci").put("principalId", "AIDATERRAFORMCI0001")
				.put("accessKeyId", "AKIATERRAFORMCI00001");
	}

	static ObjectNode christophe() {
		return ScenarioTest.JSON.createObjectNode().put("type", "IAMUser").put("accountId", ACCOUNT).put("userName", "christophe")
				.put("arn", "arn:aws:iam::" + ACCOUNT + ":user/christophe").put("principalId", "AIDAOC1SYDVN0AF0FMMR")
				.put("accessKeyId", "AKIAGGWFBBHBE7D3M9WI");
	}

	/** A Terraform call {@code service:Name} by the red-teamer's key, from the laptop. */
	static ObjectNode terraform(int n, Instant t, String call) {
		String[] p = call.split(":");
		return ScenarioTest.record(ACCOUNT, n, t, p[0] + ".amazonaws.com", p[1], christophe(), LAPTOP, TERRAFORM);
	}
}
