package dev.loupe.core.ingest.cloudtrail;

import org.apache.jena.graph.Node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.loupe.core.vocab.Loupe;

/**
 * Code a call put in place to run with a role: a Lambda function created, or its code or configuration replaced
 * (the response names the function and its role, and Lambda calls AWS as a session of that role named after the
 * function), and instances launched (EC2 names an instance profile's session after its instance). What that code
 * does is read as its deployer's story for a while (rules/40-correlation-keys.ru): passing a role to code of
 * one's own is how an intruder uses a role they may not assume.
 */
final class Deployments {
	private final CloudTrailMapper mapper;

	Deployments(CloudTrailMapper mapper) {
		this.mapper = mapper;
	}

	void of(ObjectNode ev, Node call, String accountId, Node region) {
		String name = CloudTrailMapper.text(ev, "eventName");
		if (name == null || CloudTrailMapper.failed(ev)) {
			return;
		}
		JsonNode response = ev.path("responseElements");
		if ("lambda.amazonaws.com".equals(CloudTrailMapper.text(ev, "eventSource"))
				&& name.matches("(CreateFunction|UpdateFunctionCode|UpdateFunctionConfiguration).*")) {
			String function = CloudTrailMapper.text(response, "functionName");
			String role = CloudTrailMapper.text(response, "role");
			if (role == null) {
				role = CloudTrailMapper.text(ev.path("requestParameters"), "role");
			}
			String session = session(role, function);
			if (session != null) {
				mapper.add(call, Loupe.deploysSession, mapper.principal(session, Loupe.RoleSession,
						CloudTrailMapper.sessionLabel(session), Sessions.accountOf(session)));
			}
		} else if ("RunInstances".equals(name)) {
			for (JsonNode item : response.path("instancesSet").path("items")) {
				String id = CloudTrailMapper.text(item, "instanceId");
				if (id != null && Qualifiers.isInstanceSession(id)) {
					mapper.add(call, Loupe.launchesInstance, mapper.resource("ec2-instance", Loupe.Ec2Instance, Loupe.instanceId, id,
							accountId, region));
				}
			}
		}
	}

	/** arn:aws:iam::ACCOUNT:role/path/NAME and a function name: arn:aws:sts::ACCOUNT:assumed-role/NAME/FUNCTION. */
	static String session(String roleArn, String function) {
		if (roleArn == null || function == null || function.isBlank() || function.contains(":") || !roleArn.contains(":role/")) {
			return null;
		}
		String[] parts = roleArn.split(":", 6);
		if (parts.length < 6 || parts[4].isEmpty()) {
			return null;
		}
		String roleName = parts[5].substring(parts[5].lastIndexOf('/') + 1);
		return "arn:" + parts[1] + ":sts::" + parts[4] + ":assumed-role/" + roleName + "/" + function;
	}
}
