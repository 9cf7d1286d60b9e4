package dev.loupe.core.ingest.cloudtrail;

import java.util.List;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Ways back in that tools such as Pacu set up, read from the request: a Lambda function URL anyone may call
 * ("url:public", auth type NONE); an EventBridge rule that reacts to new IAM users, roles, keys or security groups
 * ("rule:iam-trigger": Pacu's lambda__backdoor_new_* modules give each new role a trust in the intruder's account,
 * each new user a key); and an SSH key given to a Glue development endpoint ("ssh-key:added"), which runs with the
 * role it was passed and lets whoever holds the key use that role.
 */
final class Backdoors {
	/** Creation events a backdoor reacts to, as an event pattern names them. */
	private static final Pattern CREATION = Pattern.compile("\"(CreateUser|CreateRole|CreateAccessKey|CreateLoginProfile|CreateSecurityGroup)\"");

	private Backdoors() {
	}

	static void qualify(String name, JsonNode rp, List<String> q) {
		if (name == null) {
			return;
		}
		if (name.matches("(Create|Update)FunctionUrlConfig.*") && "NONE".equals(rp.path("authType").asText())) {
			q.add("url:public");
		}
		if ("PutRule".equals(name)) {
			// CloudTrail records the pattern as the JSON text the caller sent
			JsonNode pattern = rp.path("eventPattern");
			String text = pattern.isTextual() ? pattern.asText() : pattern.toString();
			if (CREATION.matcher(text).find()) {
				q.add("rule:iam-trigger");
			}
		}
		if (("CreateDevEndpoint".equals(name) || "UpdateDevEndpoint".equals(name))
				&& (rp.path("publicKey").isTextual() || !rp.path("publicKeys").isEmpty() || !rp.path("addPublicKeys").isEmpty())) {
			q.add("ssh-key:added");
		}
	}
}
