package dev.loupe.core.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.loupe.core.reason.Findings;
import dev.loupe.core.store.EvidenceStore;

/**
 * An ECS task taken over: GuardDuty Runtime Monitoring sees a miner start in the task's container, and the task
 * role's credentials (a session ECS names after the task's ID) then read secrets and make a key for an
 * administrator. The finding and the calls meet through the task: one sequence, typed as GuardDuty types an ECS
 * cluster's.
 */
class EcsTaskTest {
	static final String ACCOUNT = ScenarioTest.ACCOUNT;
	static final String TASK = "0f9e8d7c6b5a49382716a5b4c3d2e1f0";
	static final Instant T = Instant.parse("2025-11-18T03:10:00Z");
	private final ScenarioTest events = new ScenarioTest();

	@Test
	void aRuntimeFindingAndTheTaskRolesCallsAreOneSequence(@TempDir Path dir) throws IOException {
		try (EvidenceStore store = ScenarioTest.reasoned(dir, keyFromTheTask(dir), finding(dir))) {
			Findings.Sequence q = ScenarioTest.onlySequence(store);
			assertEquals("AttackSequence:ECS/CompromisedCluster", q.type());
			assertEquals(List.of("CryptoCurrency:Runtime/BitcoinTool.B", "CreateAccessKey"),
					q.members().stream().map(Findings.Signal::eventName).toList());
			assertEquals(List.of(TASK), GuardDutyTest.select(store, "id", "?s loupe:ofTask/loupe:taskId ?id"));
		}
	}

	/**
	 * The task started by ECS itself (a service's scheduler, calling as the AWS service): the task's work stays
	 * its own, and the finding and the calls still meet.
	 */
	@Test
	void aTaskTheSchedulerStartedIsItsOwnStory(@TempDir Path dir) throws IOException {
		ObjectNode ecs = ScenarioTest.JSON.createObjectNode().put("type", "AWSService").put("invokedBy", "ecs.amazonaws.com");
		ObjectNode run = events.call(T.minusSeconds(600), "ecs.amazonaws.com", "RunTask", ecs, "ecs.amazonaws.com", "ecs.amazonaws.com");
		((ObjectNode) run.get("requestParameters")).put("cluster", "orders").put("startedBy", "ecs-svc/1234567890123456789");
		run.putObject("responseElements").putArray("tasks").addObject().put("taskArn", "arn:aws:ecs:eu-west-1:" + ACCOUNT + ":task/orders/" + TASK);
		Path started = ScenarioTest.trail(Files.createDirectories(dir.resolve("started")), ScenarioTest.JSON.createArrayNode().add(run));
		try (EvidenceStore store = ScenarioTest.reasoned(dir, started, keyFromTheTask(dir), finding(dir))) {
			Findings.Sequence q = ScenarioTest.onlySequence(store);
			assertEquals("orders-task-role/" + TASK, q.actorLabel());
			assertEquals(2, q.members().size(), q.toString());
			assertEquals(List.of(), GuardDutyTest.select(store, "c", "?s loupe:deployedBy ?c"));
		}
	}

	/** Security Hub's copy of a GuardDuty finding (ASFF) naming the task as its resource: the same story. */
	@Test
	void securityHubsCopyNamesTheTaskToo(@TempDir Path dir) throws IOException {
		ObjectNode f = (ObjectNode) ScenarioTest.JSON.readTree(
				Fixtures.datasets().resolve("awsdocs-examples/guardduty/securityhub-integration.block00.json").toFile());
		f.put("AwsAccountId", ACCOUNT).put("FirstObservedAt", T.toString()).put("LastObservedAt", T.toString()).put("CreatedAt", T.toString())
				.put("Title", "A container in task " + TASK + " is running a cryptocurrency miner.");
		f.putArray("Types").add("TTPs/Impact/CryptoCurrency:Runtime-BitcoinTool.B");
		f.putObject("Severity").put("Product", 8).put("Label", "HIGH").put("Normalized", 80);
		((ObjectNode) f.get("ProductFields")).put("aws/guardduty/service/additionalInfo/sample", "false");
		f.putArray("Resources").addObject().put("Type", "AwsEcsTask").put("Region", "eu-west-1")
				.put("Id", "arn:aws:ecs:eu-west-1:" + ACCOUNT + ":task/orders/" + TASK);
		Path asff = Files.writeString(Files.createDirectories(dir.resolve("hub")).resolve("findings.json"),
				ScenarioTest.JSON.writeValueAsString(ScenarioTest.JSON.createObjectNode().set("Findings", ScenarioTest.JSON.createArrayNode().add(f))));
		try (EvidenceStore store = ScenarioTest.reasoned(dir, keyFromTheTask(dir), asff)) {
			Findings.Sequence q = ScenarioTest.onlySequence(store);
			assertEquals("AttackSequence:ECS/CompromisedCluster", q.type());
			assertEquals(2, q.members().size(), q.toString());
		}
	}

	/** The task role's session makes a key for an administrator, five minutes after the miner started. */
	private Path keyFromTheTask(Path dir) throws IOException {
		ObjectNode session = ScenarioTest.roleSession("orders-task-role", TASK);
		String ua = "Boto3/1.34.90 md/Botocore#1.34.90 ua/2.0 os/linux#5.10.226-214.880.amzn2.x86_64 lang/python#3.12.3 exec-env/AWS_ECS_FARGATE";
		ObjectNode key = events.call(T.plusSeconds(300), "iam.amazonaws.com", "CreateAccessKey", session, "18.202.9.31", ua);
		((ObjectNode) key.get("requestParameters")).put("userName", "admin-ops");
		return ScenarioTest.trail(dir, ScenarioTest.JSON.createArrayNode().add(key));
	}

	/** GuardDuty's runtime finding about the task, in the shape GetFindings returns. */
	private static Path finding(Path dir) throws IOException {
		ObjectNode f = (ObjectNode) ScenarioTest.JSON.readTree(GuardDutyTest.sentinel(
				"samples/data/sample-findings/iam-findings/cloudtrail-logging-disabled.json").toFile());
		f.put("accountId", ACCOUNT).put("region", "eu-west-1").put("type", "CryptoCurrency:Runtime/BitcoinTool.B").put("severity", 8)
				.put("id", "ecs-runtime-1").put("title", "A container in task " + TASK + " is running a cryptocurrency miner.");
		ObjectNode resource = f.putObject("resource").put("resourceType", "ECSCluster");
		ObjectNode cluster = resource.putObject("ecsClusterDetails").put("name", "orders")
				.put("arn", "arn:aws:ecs:eu-west-1:" + ACCOUNT + ":cluster/orders").put("status", "ACTIVE");
		cluster.putObject("taskDetails").put("arn", "arn:aws:ecs:eu-west-1:" + ACCOUNT + ":task/orders/" + TASK)
				.put("definitionArn", "arn:aws:ecs:eu-west-1:" + ACCOUNT + ":task-definition/orders-api:14")
				.putArray("containers").addObject().put("name", "api").put("image", "111122223333.dkr.ecr.eu-west-1.amazonaws.com/orders:2.3.1");
		ObjectNode service = f.putObject("service").put("serviceName", "guardduty").put("count", 1)
				.put("eventFirstSeen", T.toString()).put("eventLastSeen", T.toString());
		service.putObject("runtimeDetails").putObject("process").put("name", "xmrig").put("executablePath", "/tmp/xmrig");
		return Files.writeString(Files.createDirectories(dir.resolve("gd")).resolve("ecs-finding.json"), ScenarioTest.JSON.writeValueAsString(f));
	}
}
