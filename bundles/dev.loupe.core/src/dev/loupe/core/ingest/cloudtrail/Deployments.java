package dev.loupe.core.ingest.cloudtrail;

import java.util.Set;

import org.apache.jena.graph.Node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.loupe.core.ingest.FactBuffer;
import dev.loupe.core.vocab.Loupe;

/**
 * Code or templates a call put in place to run with a role it passed, and the session the service then calls AWS
 * as (loupe:deploysSession): a Lambda function created, or its code or configuration replaced (a session named
 * after the function); a CloudFormation stack created, updated, changed or deleted with a service role
 * ({@code AWSCloudFormation}); a Glue job created or given a role ({@code GlueJobRunnerSession}); a SageMaker
 * notebook, training or processing job ({@code SageMaker}); a CodeBuild build started ({@code AWSCodeBuild-}
 * and the build's ID). Instances launched name their instances (loupe:launchesInstance), as do calls that put a
 * role onto a running instance (loupe:givesInstanceRole), and calls that run
 * commands or code on an instance or open a shell on it (loupe:runsOnInstance: SSM commands and sessions, EC2
 * Instance Connect keys, user data replaced); tasks run or started name their task IDs (loupe:startsTask): EC2
 * names an instance profile's session after its instance, ECS a task role's after its task.
 * What that code does is read as its deployer's story for a while (rules/40-correlation-keys.ru): passing a role
 * to code or a template of one's own is how an intruder uses a role they may not assume (the iam:PassRole
 * escalations).
 */
final class Deployments {
	private static final Set<String> STACK_CALLS = Set.of("CreateStack", "UpdateStack", "CreateChangeSet", "DeleteStack");
	private static final Set<String> SAGEMAKER_CALLS = Set.of("CreateNotebookInstance", "CreateTrainingJob", "CreateProcessingJob");

	private final CloudTrailMapper mapper;

	Deployments(CloudTrailMapper mapper) {
		this.mapper = mapper;
	}

	void of(ObjectNode ev, Node call, String accountId, Node region) {
		String name = CloudTrailMapper.text(ev, "eventName");
		String source = CloudTrailMapper.text(ev, "eventSource");
		if (name == null || source == null || CloudTrailMapper.failed(ev)) {
			return;
		}
		JsonNode request = ev.path("requestParameters");
		JsonNode response = ev.path("responseElements");
		switch (source) {
		case "ec2.amazonaws.com", "ssm.amazonaws.com", "ec2-instance-connect.amazonaws.com" -> instances(name, request, response, call, accountId, region);
		case "ecs.amazonaws.com" -> tasks(name, response, call, accountId, region);
		default -> deploys(call, passedRoleSession(source, name, request, response, accountId));
		}
	}

	/** The session a service runs what the call set up as, with the role the call passed; null for other calls. */
	private static String passedRoleSession(String source, String name, JsonNode request, JsonNode response, String accountId) {
		switch (source) {
		case "lambda.amazonaws.com":
			if (name.matches("(CreateFunction|UpdateFunctionCode|UpdateFunctionConfiguration).*")) {
				String role = CloudTrailMapper.text(response, "role");
				return session(role != null ? role : CloudTrailMapper.text(request, "role"), CloudTrailMapper.text(response, "functionName"));
			}
			return null;
		case "cloudformation.amazonaws.com":
			return STACK_CALLS.contains(name) ? session(text(request, "roleARN", "roleArn"), "AWSCloudFormation") : null;
		case "glue.amazonaws.com":
			// a job's role may be given by name alone, in the caller's account
			String role = "CreateJob".equals(name) ? text(request, "role", "Role")
					: "UpdateJob".equals(name) ? text(request.path("jobUpdate"), "role", "Role") : null;
			if (role != null && !role.startsWith("arn:") && accountId != null) {
				role = "arn:aws:iam::" + accountId + ":role/" + role;
			}
			return session(role, "GlueJobRunnerSession");
		case "sagemaker.amazonaws.com":
			return SAGEMAKER_CALLS.contains(name) ? session(text(request, "roleArn", "RoleArn"), "SageMaker") : null;
		case "codebuild.amazonaws.com":
			if ("StartBuild".equals(name) || "RetryBuild".equals(name)) {
				// build IDs are project:uuid; the build's session is named AWSCodeBuild-uuid
				JsonNode build = response.path("build");
				String id = CloudTrailMapper.text(build, "id");
				String uuid = id == null ? "" : id.substring(id.lastIndexOf(':') + 1);
				return uuid.isEmpty() ? null : session(CloudTrailMapper.text(build, "serviceRole"), "AWSCodeBuild-" + uuid);
			}
			return null;
		default:
			return null;
		}
	}

	/** Instances launched, and those commands were sent to, a shell opened on, or whose user data was replaced. */
	private void instances(String name, JsonNode request, JsonNode response, Node call, String accountId, Node region) {
		switch (name) {
		case "RunInstances" -> response.path("instancesSet").path("items")
				.forEach(item -> instance(call, Loupe.launchesInstance, CloudTrailMapper.text(item, "instanceId"), accountId, region));
		// a role put onto a running instance starts a new session of it there, as a launch does (the replacement
		// names only the association in its request; the response names the instance)
		case "AssociateIamInstanceProfile", "ReplaceIamInstanceProfileAssociation" -> {
			String id = CloudTrailMapper.text(response.path("iamInstanceProfileAssociation"), "instanceId");
			instance(call, Loupe.givesInstanceRole, id != null ? id : CloudTrailMapper.text(request, "instanceId"), accountId, region);
		}
		case "ModifyInstanceAttribute" -> {
			if (request.has("userData") || "userData".equals(request.path("attribute").asText())) {
				instance(call, Loupe.runsOnInstance, CloudTrailMapper.text(request, "instanceId"), accountId, region);
			}
		}
		case "SendCommand" -> {
			request.path("instanceIds").forEach(id -> instance(call, Loupe.runsOnInstance, id.asText(null), accountId, region));
			for (JsonNode target : request.path("targets")) {
				if ("InstanceIds".equals(target.path("key").asText())) {
					target.path("values").forEach(id -> instance(call, Loupe.runsOnInstance, id.asText(null), accountId, region));
				}
			}
		}
		case "StartSession" -> instance(call, Loupe.runsOnInstance, CloudTrailMapper.text(request, "target"), accountId, region);
		case "SendSSHPublicKey", "SendSerialConsoleSSHPublicKey" ->
			instance(call, Loupe.runsOnInstance, CloudTrailMapper.text(request, "instanceId"), accountId, region);
		default -> {
		}
		}
	}

	/**
	 * Tasks run or started. A task's session is named by its ID, whichever role it runs with (passed in the call,
	 * or its task definition's, registered by another call): the rules meet it through loupe:ofTask.
	 */
	private void tasks(String name, JsonNode response, Node call, String accountId, Node region) {
		if ("RunTask".equals(name) || "StartTask".equals(name)) {
			for (JsonNode task : response.path("tasks")) {
				String arn = CloudTrailMapper.text(task, "taskArn");
				String id = arn == null ? null : arn.substring(arn.lastIndexOf('/') + 1);
				if (FactBuffer.isEcsTaskId(id)) {
					mapper.add(call, Loupe.startsTask, mapper.ecsTask(id, accountId, region));
				}
			}
		}
	}

	private void instance(Node call, Node relation, String id, String accountId, Node region) {
		if (id != null && Qualifiers.isInstanceSession(id)) {
			mapper.add(call, relation, mapper.resource("ec2-instance", Loupe.Ec2Instance, Loupe.instanceId, id, accountId, region));
		}
	}

	private void deploys(Node call, String session) {
		if (session != null) {
			mapper.add(call, Loupe.deploysSession, mapper.principal(session, Loupe.RoleSession, CloudTrailMapper.sessionLabel(session),
					Sessions.accountOf(session)));
		}
	}

	private static String text(JsonNode n, String field, String other) {
		String v = CloudTrailMapper.text(n, field);
		return v != null ? v : CloudTrailMapper.text(n, other);
	}

	/** arn:aws:iam::ACCOUNT:role/path/NAME and a session name: arn:aws:sts::ACCOUNT:assumed-role/NAME/SESSION. */
	static String session(String roleArn, String sessionName) {
		if (roleArn == null || sessionName == null || sessionName.isBlank() || sessionName.contains(":") || !roleArn.contains(":role/")) {
			return null;
		}
		String[] parts = roleArn.split(":", 6);
		if (parts.length < 6 || parts[4].isEmpty()) {
			return null;
		}
		String roleName = parts[5].substring(parts[5].lastIndexOf('/') + 1);
		return "arn:" + parts[1] + ":sts::" + parts[4] + ":assumed-role/" + roleName + "/" + sessionName;
	}
}
