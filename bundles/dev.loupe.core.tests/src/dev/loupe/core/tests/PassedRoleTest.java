package dev.loupe.core.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
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
 * The iam:PassRole escalations beyond Lambda and EC2: a stack created with a CloudFormation service role, a Glue
 * job, a SageMaker notebook and a CodeBuild build each run as a session of the role passed to them, named by the
 * service. What that session does soon after is the story of whoever passed the role.
 */
class PassedRoleTest {
	static final String ACCOUNT = ScenarioTest.ACCOUNT;
	static final Instant T = Instant.parse("2025-11-03T09:00:00Z");
	static final String TASK = "6b777c1809a94925ab48098fa09824de";
	static final String BUILD = "deploy-site:5f0c2e1a-8b1d-4c3e-9a55-0d6f2b7c9e41";
	private final ScenarioTest events = new ScenarioTest();

	/** Each deploying call names the session its service will call as (a task, its ID); a failed call names none. */
	@Test
	void eachServiceNamesTheSessionItRunsAs(@TempDir Path dir) throws IOException {
		ArrayNode calls = ScenarioTest.JSON.createArrayNode();
		calls.add(stack(T)).add(glueJob(T)).add(notebook(T)).add(build(T)).add(task(T));
		ObjectNode refused = stack(T);
		((ObjectNode) refused.get("requestParameters")).put("roleARN", "arn:aws:iam::" + ACCOUNT + ":role/other-role");
		calls.add(refused.put("errorCode", "AccessDenied"));
		try (EvidenceStore store = ScenarioTest.reasoned(dir, ScenarioTest.trail(dir, calls))) {
			assertEquals(List.of("arn:aws:sts::" + ACCOUNT + ":assumed-role/build-role/AWSCodeBuild-5f0c2e1a-8b1d-4c3e-9a55-0d6f2b7c9e41",
					"arn:aws:sts::" + ACCOUNT + ":assumed-role/cfn-admin/AWSCloudFormation",
					"arn:aws:sts::" + ACCOUNT + ":assumed-role/glue-etl/GlueJobRunnerSession",
					"arn:aws:sts::" + ACCOUNT + ":assumed-role/notebook-role/SageMaker"),
					GuardDutyTest.select(store, "arn", "?c loupe:deploysSession/loupe:arn ?arn").stream().sorted().toList());
			assertEquals(List.of(TASK), GuardDutyTest.select(store, "id", "?c loupe:startsTask/loupe:taskId ?id"), "a task's role is its definition's");
		}
	}

	/** Dana's stack, run by CloudFormation with an administrator's service role, makes a user an administrator with a key. */
	@Test
	void aStackMadeWithAServiceRoleActsForItsMaker(@TempDir Path dir) throws IOException {
		assertDanasStory(dir, stack(T), "cfn-admin", "AWSCloudFormation", "cloudformation.amazonaws.com", "cloudformation.amazonaws.com");
	}

	/** The same stack deployed by the pipeline (a principal that only calls through Terraform): automation's, no sequence. */
	@Test
	void aPipelinesStackStaysAutomations(@TempDir Path dir) throws IOException {
		ObjectNode deploy = stack(T);
		deploy.set("userIdentity", ScenarioTest.terraformSession(7));
		deploy.put("sourceIPAddress", "192.0.2.90").put("userAgent", "APN/1.0 HashiCorp/1.0 Terraform/1.9.8 (+https://www.terraform.io) terraform-provider-aws/5.80.0");
		try (EvidenceStore store = ScenarioTest.reasoned(dir, ScenarioTest.trail(dir, adminWithKey(deploy, "cfn-admin", "AWSCloudFormation",
				"cloudformation.amazonaws.com", "cloudformation.amazonaws.com")))) {
			assertEquals(List.of(), new Findings(store).sequences("en"));
			assertEquals(3, new Findings(store).signals("en").stream().filter(Findings.Signal::automated).count());
		}
	}

	/**
	 * Dana's stack, then the pipeline's own stack with the same service role a minute later: CloudFormation's one
	 * session name is the pipeline's again, and what it does then is automation's.
	 */
	@Test
	void aPipelinesLaterStackTakesTheSessionBack(@TempDir Path dir) throws IOException {
		ObjectNode pipeline = stack(T.plusSeconds(60));
		pipeline.set("userIdentity", ScenarioTest.terraformSession(8));
		pipeline.put("sourceIPAddress", "192.0.2.90").put("userAgent", "APN/1.0 HashiCorp/1.0 Terraform/1.9.8 (+https://www.terraform.io) terraform-provider-aws/5.80.0");
		ArrayNode calls = adminWithKey(stack(T), "cfn-admin", "AWSCloudFormation", "cloudformation.amazonaws.com", "cloudformation.amazonaws.com");
		calls.insert(1, pipeline);
		try (EvidenceStore store = ScenarioTest.reasoned(dir, ScenarioTest.trail(dir, calls))) {
			assertEquals(List.of(), new Findings(store).sequences("en"));
			assertEquals(List.of(), GuardDutyTest.select(store, "c", "?s loupe:deployedBy ?c"));
		}
	}

	/**
	 * A Glue job, a SageMaker notebook, a CodeBuild build of someone else's project, and a task of a definition
	 * registered earlier (its administrator role is the definition's), each calling from the service's side as
	 * its session: each its deployer's story.
	 */
	@Test
	void jobsNotebooksBuildsAndTasksActForWhoeverSetThemRunning(@TempDir Path dir) throws IOException {
		assertDanasStory(Files.createDirectories(dir.resolve("glue")), glueJob(T), "glue-etl", "GlueJobRunnerSession", "34.240.61.12",
				"aws-sdk-java/2.20.162 Linux/5.10.220-188.869.amzn2int.x86_64 OpenJDK_64-Bit_Server_VM/25.412-b08 java/1.8.0_412");
		assertDanasStory(Files.createDirectories(dir.resolve("sagemaker")), notebook(T), "notebook-role", "SageMaker", "52.18.44.7",
				"Boto3/1.34.51 md/Botocore#1.34.51 ua/2.0 os/linux#5.10.219-208.866.amzn2.x86_64 lang/python#3.10.14 md/sagemaker");
		assertDanasStory(Files.createDirectories(dir.resolve("codebuild")), build(T), "build-role",
				"AWSCodeBuild-5f0c2e1a-8b1d-4c3e-9a55-0d6f2b7c9e41", "3.250.77.9",
				"aws-cli/2.15.0 Python/3.11.6 Linux/4.14.355-275.570.amzn2.x86_64 exec-env/AWS_ECS_EC2 exe/x86_64.amzn.2");
		assertDanasStory(Files.createDirectories(dir.resolve("ecs")), task(T), "ecs-admin", TASK, "18.202.9.31",
				"Boto3/1.34.90 md/Botocore#1.34.90 ua/2.0 os/linux#5.10.226-214.880.amzn2.x86_64 lang/python#3.12.3 exec-env/AWS_ECS_FARGATE");
	}

	/** The task's start first and its session's calls after, and the other way round: each update gives the full run's results. */
	@Test
	void updatesInEitherOrderMeetTheTask(@TempDir Path dir) throws IOException {
		ArrayNode calls = adminWithKey(task(T), "ecs-admin", TASK, "18.202.9.31", "Boto3/1.34.90 exec-env/AWS_ECS_FARGATE");
		ArrayNode start = ScenarioTest.JSON.createArrayNode().add(calls.get(0));
		calls.remove(0);
		Path a = ScenarioTest.trail(Files.createDirectories(dir.resolve("a")), start);
		Path b = ScenarioTest.trail(Files.createDirectories(dir.resolve("b")), calls);
		WindowedUpdateTest.updateAfterEach(Files.createDirectories(dir.resolve("forward")), List.of(a, b));
		WindowedUpdateTest.updateAfterEach(Files.createDirectories(dir.resolve("backward")), List.of(b, a));
	}

	/**
	 * Dana's deploying call, then from the deployed session a user made an administrator with a key: one sequence,
	 * named for dana, every member the session's, the deployment its context.
	 */
	private void assertDanasStory(Path dir, ObjectNode deploy, String role, String sessionName, String ip, String ua) throws IOException {
		try (EvidenceStore store = ScenarioTest.reasoned(dir, ScenarioTest.trail(dir, adminWithKey(deploy, role, sessionName, ip, ua)))) {
			Findings.Sequence q = ScenarioTest.onlySequence(store);
			assertEquals("dana", q.actorLabel());
			assertEquals(List.of("CreateUser", "AttachUserPolicy", "CreateAccessKey"), q.members().stream().map(Findings.Signal::eventName).toList());
			assertTrue(q.members().stream().allMatch(m -> m.actor().endsWith(":assumed-role/" + role + "/" + sessionName)), q.toString());
			assertEquals(deploy.get("eventName").asText(), q.members().get(0).deployedBy().call());
			assertTrue(q.context().stream().anyMatch(c -> c.eventName().equals(deploy.get("eventName").asText())), q.context().toString());
		}
	}

	/** The deploying call, then from the deployed session a user made an administrator with a key. */
	private ArrayNode adminWithKey(ObjectNode deploy, String role, String sessionName, String ip, String ua) {
		ArrayNode calls = ScenarioTest.JSON.createArrayNode();
		calls.add(deploy);
		ObjectNode session = ScenarioTest.roleSession(role, sessionName);
		ObjectNode user = events.call(T.plusSeconds(120), "iam.amazonaws.com", "CreateUser", session, ip, ua);
		((ObjectNode) user.get("requestParameters")).put("userName", "svc-metrics");
		ObjectNode admin = events.call(T.plusSeconds(125), "iam.amazonaws.com", "AttachUserPolicy", session, ip, ua);
		((ObjectNode) admin.get("requestParameters")).put("userName", "svc-metrics").put("policyArn", "arn:aws:iam::aws:policy/AdministratorAccess");
		ObjectNode key = events.call(T.plusSeconds(130), "iam.amazonaws.com", "CreateAccessKey", session, ip, ua);
		((ObjectNode) key.get("requestParameters")).put("userName", "svc-metrics");
		return calls.add(user).add(admin).add(key);
	}

	private ObjectNode dana(Instant t, String source, String name) {
		return events.call(t, source, name, ScenarioTest.user("dana"), DeployedCodeTest.VPS, DeployedCodeTest.BOTO);
	}

	private ObjectNode stack(Instant t) {
		ObjectNode c = dana(t, "cloudformation.amazonaws.com", "CreateStack");
		((ObjectNode) c.get("requestParameters")).put("stackName", "metrics-exporter").put("templateURL", "https://s3.amazonaws.com/x/t.yaml")
				.put("roleARN", "arn:aws:iam::" + ACCOUNT + ":role/cfn-admin").putArray("capabilities").add("CAPABILITY_NAMED_IAM");
		c.putObject("responseElements").put("stackId", "arn:aws:cloudformation:eu-west-1:" + ACCOUNT + ":stack/metrics-exporter/1");
		return c;
	}

	/** The job's role given by name, as Glue allows. */
	private ObjectNode glueJob(Instant t) {
		ObjectNode c = dana(t, "glue.amazonaws.com", "CreateJob");
		((ObjectNode) c.get("requestParameters")).put("name", "nightly-compact").put("role", "glue-etl").putObject("command").put("name", "pythonshell")
				.put("scriptLocation", "s3://dana-tools/job.py");
		c.putObject("responseElements").put("name", "nightly-compact");
		return c;
	}

	private ObjectNode notebook(Instant t) {
		ObjectNode c = dana(t, "sagemaker.amazonaws.com", "CreateNotebookInstance");
		((ObjectNode) c.get("requestParameters")).put("notebookInstanceName", "scratch").put("instanceType", "ml.t3.medium")
				.put("roleArn", "arn:aws:iam::" + ACCOUNT + ":role/service-role/notebook-role");
		c.putObject("responseElements").put("notebookInstanceArn", "arn:aws:sagemaker:eu-west-1:" + ACCOUNT + ":notebook-instance/scratch");
		return c;
	}

	/** A task of an existing definition (its role, ecs-admin, is the definition's: not in the call). */
	private ObjectNode task(Instant t) {
		ObjectNode c = dana(t, "ecs.amazonaws.com", "RunTask");
		((ObjectNode) c.get("requestParameters")).put("cluster", "jobs").put("taskDefinition", "report:3").put("launchType", "FARGATE");
		c.putObject("responseElements").putArray("tasks").addObject()
				.put("taskArn", "arn:aws:ecs:eu-west-1:" + ACCOUNT + ":task/jobs/" + TASK).put("lastStatus", "PROVISIONING");
		return c;
	}

	/** A build of someone else's project, its build specification replaced by dana's. */
	private ObjectNode build(Instant t) {
		ObjectNode c = dana(t, "codebuild.amazonaws.com", "StartBuild");
		((ObjectNode) c.get("requestParameters")).put("projectName", "deploy-site").put("buildspecOverride", "version: 0.2");
		c.putObject("responseElements").putObject("build").put("id", BUILD).put("projectName", "deploy-site")
				.put("serviceRole", "arn:aws:iam::" + ACCOUNT + ":role/service-role/build-role").put("buildStatus", "IN_PROGRESS");
		return c;
	}
}
