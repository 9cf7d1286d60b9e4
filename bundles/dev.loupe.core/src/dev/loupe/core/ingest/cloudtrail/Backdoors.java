package dev.loupe.core.ingest.cloudtrail;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Ways back in that tools such as Pacu set up, read from the request: a Lambda function URL anyone may call
 * ("url:public", auth type NONE); an EventBridge rule that reacts to new IAM users, roles, keys or security groups
 * ("rule:iam-trigger": Pacu's lambda__backdoor_new_* modules give each new role a trust in the intruder's account,
 * each new user a key); and an SSH key given to a Glue development endpoint ("ssh-key:added"), which runs with the
 * role it was passed and lets whoever holds the key use that role; and a function given a layer from another account
 * ("layer:foreign-account"): code its owner can change runs in the function with the function's role.
 */
final class Backdoors {
	/** Creation events a backdoor reacts to, as an event pattern names them. */
	private static final Pattern CREATION = Pattern.compile("\"(CreateUser|CreateRole|CreateAccessKey|CreateLoginProfile|CreateSecurityGroup)\"");

	/** A layer version's ARN: arn:aws:lambda:REGION:ACCOUNT:layer:NAME:VERSION. */
	private static final Pattern LAYER_ACCOUNT = Pattern.compile("^arn:aws[a-z-]*:lambda:[^:]*:(\\d{12}):layer:");

	private Backdoors() {
	}

	private static boolean foreignLayer(JsonNode layers, String own) {
		for (JsonNode layer : layers) {
			Matcher m = LAYER_ACCOUNT.matcher(layer.isObject() ? layer.path("arn").asText("") : layer.asText(""));
			if (m.find() && !m.group(1).equals(own)) {
				return true;
			}
		}
		return false;
	}

	/** @param re the call's response: it lists a function's layers as objects, the request as ARNs */
	static void qualify(String name, JsonNode rp, JsonNode re, String own, List<String> q) {
		if (name == null) {
			return;
		}
		if (name.matches("(CreateFunction|UpdateFunctionConfiguration).*") && own != null
				&& (foreignLayer(rp.path("layers"), own) || foreignLayer(re.path("layers"), own))) {
			q.add("layer:foreign-account");
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
