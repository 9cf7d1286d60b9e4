package dev.loupe.core.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.loupe.core.reason.Findings;
import dev.loupe.core.store.EvidenceStore;

/**
 * Whoever runs commands on an instance (SSM), opens a shell on it (Session Manager, EC2 Instance Connect) or
 * replaces its user data holds its profile's credentials: what the instance's session does soon after, from the
 * instance's own address or the sender's, is their story, named for them rather than for the instance. Its
 * credentials used from elsewhere are not: an administrator's shell in the morning does not make her the thief.
 */
class InstanceAccessTest {
	static final String INSTANCE = "i-0123456789abcdef0";
	static final String INSTANCE_IP = "54.170.33.44";
	static final Instant T = Instant.parse("2025-11-12T14:00:00Z");
	static final String HOST_CLI = "aws-cli/2.15.30 Python/3.11.8 Linux/6.1.109-118.189.amzn2023.x86_64 exe/x86_64.amzn.2023";
	private final ScenarioTest events = new ScenarioTest();

	/**
	 * Hank's key sends a shell script to the operations team's instance (which called AWS from its address before);
	 * from it, a user is made an administrator.
	 */
	@Test
	void commandsSentToAnInstanceAreTheSendersStory(@TempDir Path dir) throws IOException {
		try (EvidenceStore store = ScenarioTest.reasoned(dir, ScenarioTest.trail(dir, commandThenAdmin(INSTANCE_IP)))) {
			Findings.Sequence q = ScenarioTest.onlySequence(store);
			assertEquals("hank", q.actorLabel());
			assertEquals(List.of("SendCommand", "CreateUser", "AttachUserPolicy"), q.members().stream().map(Findings.Signal::eventName).toList());
			assertTrue(q.members().subList(1, 3).stream().allMatch(m -> "SendCommand".equals(m.deployedBy().call())), q.toString());
		}
	}

	/**
	 * Stratus Red Team's recording: the instance's credentials fetched through an SSM command and used from the
	 * sender's own address. One sequence, named for the sender.
	 */
	@Test
	void theRecordingsThiefIsTheSender(@TempDir Path dir) throws IOException {
		try (EvidenceStore store = ScenarioTest.reasoned(dir, Fixtures.stratus("aws.credential-access.ec2-steal-instance-credentials"))) {
			Findings.Sequence q = ScenarioTest.onlySequence(store);
			assertEquals("christophe", q.actorLabel());
			assertEquals(List.of("SendCommand", "GetCallerIdentity"), q.members().stream().map(Findings.Signal::eventName).toList());
			assertEquals("SendCommand", q.members().get(1).deployedBy().call());
		}
	}

	/** The same calls with the instance's credentials from a third address: a thief's, not hank's. */
	@Test
	void theInstancesCredentialsUsedElsewhereAreNotTheSenders(@TempDir Path dir) throws IOException {
		try (EvidenceStore store = ScenarioTest.reasoned(dir, ScenarioTest.trail(dir, commandThenAdmin("185.220.101.9")))) {
			assertEquals(List.of(), GuardDutyTest.select(store, "c", "?s loupe:deployedBy ?c"));
		}
	}

	/**
	 * Hank launches the instance; it lists buckets from its own address; two hours later its credentials make a
	 * user an administrator from a third address: a thief's, not hank's.
	 */
	@Test
	void aLaunchedInstancesCredentialsUsedElsewhereAreNotTheLaunchers(@TempDir Path dir) throws IOException {
		ArrayNode calls = ScenarioTest.JSON.createArrayNode();
		ObjectNode run = hank(T, "ec2.amazonaws.com", "RunInstances");
		((ObjectNode) run.get("requestParameters")).put("instanceType", "t3.micro").putObject("iamInstanceProfile").put("name", "ops-admin");
		run.putObject("responseElements").putObject("instancesSet").putArray("items").addObject().put("instanceId", INSTANCE);
		ObjectNode session = ScenarioTest.roleSession("ops-admin", INSTANCE);
		calls.add(run).add(events.call(T.plusSeconds(90), "s3.amazonaws.com", "ListBuckets", session, INSTANCE_IP, HOST_CLI));
		ObjectNode user = events.call(T.plusSeconds(7200), "iam.amazonaws.com", "CreateUser", session, "185.220.101.9", HOST_CLI);
		((ObjectNode) user.get("requestParameters")).put("userName", "svc-sync");
		calls.add(user);
		try (EvidenceStore store = ScenarioTest.reasoned(dir, ScenarioTest.trail(dir, calls))) {
			assertEquals(List.of(), GuardDutyTest.select(store, "c", "?s loupe:deployedBy ?c"));
		}
	}

	/**
	 * Hank puts the operations team's administrator profile onto an instance of his (the replacement names only
	 * the association; the response names the instance); from it, its new session makes a user an administrator.
	 */
	@Test
	void aRolePutOntoAnInstanceActsForWhoeverPutItThere(@TempDir Path dir) throws IOException {
		ArrayNode calls = ScenarioTest.JSON.createArrayNode();
		ObjectNode swap = hank(T, "ec2.amazonaws.com", "ReplaceIamInstanceProfileAssociation");
		((ObjectNode) swap.get("requestParameters")).put("associationId", "iip-assoc-0e7736511a163c209").putObject("iamInstanceProfile")
				.put("name", "ops-admin");
		swap.putObject("responseElements").putObject("iamInstanceProfileAssociation").put("associationId", "iip-assoc-0c3ea3c3e4f9fa9d6")
				.put("instanceId", INSTANCE).put("state", "associating");
		ObjectNode session = ScenarioTest.roleSession("ops-admin", INSTANCE);
		ObjectNode user = events.call(T.plusSeconds(120), "iam.amazonaws.com", "CreateUser", session, INSTANCE_IP, HOST_CLI);
		((ObjectNode) user.get("requestParameters")).put("userName", "svc-sync");
		ObjectNode admin = events.call(T.plusSeconds(130), "iam.amazonaws.com", "AttachUserPolicy", session, INSTANCE_IP, HOST_CLI);
		((ObjectNode) admin.get("requestParameters")).put("userName", "svc-sync").put("policyArn", "arn:aws:iam::aws:policy/AdministratorAccess");
		calls.add(swap).add(user).add(admin);
		try (EvidenceStore store = ScenarioTest.reasoned(dir, ScenarioTest.trail(dir, calls))) {
			Findings.Sequence q = ScenarioTest.onlySequence(store);
			assertEquals("hank", q.actorLabel());
			assertEquals(List.of("ReplaceIamInstanceProfileAssociation", "CreateUser", "AttachUserPolicy"),
					q.members().stream().map(Findings.Signal::eventName).toList());
			assertEquals("ReplaceIamInstanceProfileAssociation", q.members().get(1).deployedBy().call());
		}
	}

	/** Hank's command, then the instance's session (which called from its own address an hour before) from {@code ip}. */
	private ArrayNode commandThenAdmin(String ip) {
		ArrayNode calls = ScenarioTest.JSON.createArrayNode();
		ObjectNode session = ScenarioTest.roleSession("ops-admin", INSTANCE);
		calls.add(events.call(T.minusSeconds(3600), "s3.amazonaws.com", "ListBuckets", session, INSTANCE_IP, HOST_CLI));
		ObjectNode send = hank(T, "ssm.amazonaws.com", "SendCommand");
		((ObjectNode) send.get("requestParameters")).put("documentName", "AWS-RunShellScript").putArray("instanceIds").add(INSTANCE);
		calls.add(send);
		ObjectNode user = events.call(T.plusSeconds(60), "iam.amazonaws.com", "CreateUser", session, ip, HOST_CLI);
		((ObjectNode) user.get("requestParameters")).put("userName", "svc-sync");
		ObjectNode admin = events.call(T.plusSeconds(70), "iam.amazonaws.com", "AttachUserPolicy", session, ip, HOST_CLI);
		((ObjectNode) admin.get("requestParameters")).put("userName", "svc-sync").put("policyArn", "arn:aws:iam::aws:policy/AdministratorAccess");
		return calls.add(user).add(admin);
	}

	/** Each way in names the instance; a refused one names none. */
	@Test
	void eachWayInNamesTheInstance(@TempDir Path dir) throws IOException {
		ArrayNode calls = ScenarioTest.JSON.createArrayNode();
		ObjectNode targets = hank(T, "ssm.amazonaws.com", "SendCommand");
		((ObjectNode) targets.get("requestParameters")).put("documentName", "AWS-RunShellScript").putArray("targets").addObject()
				.put("key", "InstanceIds").putArray("values").add("i-00000000000000001");
		ObjectNode shell = hank(T.plusSeconds(1), "ssm.amazonaws.com", "StartSession");
		((ObjectNode) shell.get("requestParameters")).put("target", "i-00000000000000002");
		ObjectNode key = hank(T.plusSeconds(2), "ec2-instance-connect.amazonaws.com", "SendSSHPublicKey");
		((ObjectNode) key.get("requestParameters")).put("instanceId", "i-00000000000000003").put("instanceOSUser", "ec2-user");
		ObjectNode userData = hank(T.plusSeconds(3), "ec2.amazonaws.com", "ModifyInstanceAttribute");
		((ObjectNode) userData.get("requestParameters")).put("instanceId", "i-00000000000000004").putObject("userData");
		ObjectNode refused = hank(T.plusSeconds(4), "ssm.amazonaws.com", "StartSession");
		((ObjectNode) refused.get("requestParameters")).put("target", "i-00000000000000005");
		refused.put("errorCode", "AccessDeniedException");
		calls.add(targets).add(shell).add(key).add(userData).add(refused);
		try (EvidenceStore store = ScenarioTest.reasoned(dir, ScenarioTest.trail(dir, calls))) {
			assertEquals(List.of("i-00000000000000001", "i-00000000000000002", "i-00000000000000003", "i-00000000000000004"),
					GuardDutyTest.select(store, "id", "?c loupe:runsOnInstance/loupe:instanceId ?id").stream().sorted().toList());
		}
	}

	private ObjectNode hank(Instant t, String source, String name) {
		return events.call(t, source, name, ScenarioTest.user("hank"), "203.0.113.50", DeployedCodeTest.BOTO);
	}
}
