package dev.loupe.core.ingest.cloudtrail;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What makes a call notable beyond its name, read from its request and identity so that detectors stay data
 * (ontology/detectors.ttl, loupe:matchQualifier): a console login without MFA, a resource shared with another
 * account or the world, ingress opened to every address, credentials made (or an MFA device registered) for another
 * user, an administrator policy attached, an instance's role session, unusual compute or a compute quota asked for
 * ({@link Capacity}), a cryptominer set running ({@link Miners}), a resource policy open to anyone or to another
 * account ({@link Policies}), a security setting switched off or a leaked key ({@link Settings}), a user added to a
 * group named for administrators, S3 writes that take data from its owner ({@link ObjectWrites}), an S3 access
 * control list that lets everyone in ({@link Acls}), ways back in such as a public function URL
 * ({@link Backdoors}), resources shared outside the account or builds opened to anyone ({@link Shares}), and
 * whether the call failed (detectors match what succeeded; failed attempts are evidence of their own).
 */
final class Qualifiers {
	private static final Pattern INSTANCE_SESSION = Pattern.compile("i-[0-9a-fA-F]{8,17}");

	static boolean isInstanceSession(String sessionName) {
		return INSTANCE_SESSION.matcher(sessionName).matches();
	}

	/** Groups named for what they grant: the group's policies are rarely in the same evidence. */
	private static final Pattern ADMIN_GROUP = Pattern.compile("(?i)admin|poweruser|power-user|superuser|root|fullaccess");

	private Qualifiers() {
	}

	static List<String> of(ObjectNode ev) {
		List<String> q = new ArrayList<>();
		String name = CloudTrailMapper.text(ev, "eventName");
		JsonNode rp = ev.path("requestParameters");
		JsonNode id = ev.path("userIdentity");
		if (CloudTrailMapper.failed(ev) || "Failure".equals(ev.path("responseElements").path("ConsoleLogin").asText())
				|| "Failure".equals(ev.path("responseElements").path("PasswordUpdated").asText())) {
			q.add("outcome:failed");
		}
		String identity = id.path("type").asText();
		// federated and SSO sign-ins report MFAUsed "No": their identity provider did the MFA, not IAM
		JsonNode extra = ev.path("additionalEventData");
		if ("No".equals(extra.path("MFAUsed").asText()) && !extra.has("SamlProviderArn")
				&& ("IAMUser".equals(identity) || "Root".equals(identity))) {
			q.add("mfa:no");
		}
		if ("ConsoleLogin".equals(name) && q.contains("outcome:failed")) {
			q.add("login:failed");
			// MFA is asked only after the right password: whoever failed it knew the password
			if ("Yes".equals(ev.path("additionalEventData").path("MFAUsed").asText())) {
				q.add("login:mfa-failed");
			}
		}
		if ("Root".equals(id.path("type").asText())) {
			q.add("actor:root");
			// a detector matches one qualifier: the root user's failed attempts get one of their own
			if (q.contains("outcome:failed")) {
				q.add("root:failed");
			}
		}
		if ("AssumedRole".equals(id.path("type").asText())) {
			String arn = id.path("arn").asText("");
			if (INSTANCE_SESSION.matcher(arn.substring(arn.lastIndexOf('/') + 1)).matches()) {
				q.add("session:instance");
			}
		}
		if (!added(rp.path("launchPermission")).isEmpty() || !added(rp.path("createVolumePermission")).isEmpty()
				|| "restore".equals(rp.path("attributeName").asText()) && rp.path("valuesToAdd").size() > 0) {
			q.add("share:added");
			if (rp.toString().contains("\"group\":\"all\"") || rp.path("valuesToAdd").toString().contains("\"all\"")) {
				q.add("share:public");
			}
		}
		if (openToWorld(rp)) {
			q.add("ingress:world");
		}
		String user = rp.path("userName").asText(null);
		boolean self = "IAMUser".equals(id.path("type").asText()) && user != null && user.equals(id.path("userName").asText());
		if (user != null && !self && name != null && name.matches("CreateAccessKey|CreateLoginProfile|UpdateLoginProfile|EnableMFADevice")) {
			q.add("target:other-user");
		}
		// (managedPolicyArn: an IAM Identity Center permission set's; IAMFullAccess lets its holder grant itself the rest)
		String policy = rp.path("policyArn").asText(rp.path("managedPolicyArn").asText(""));
		if (policy.endsWith("/AdministratorAccess") || policy.endsWith(":aws:policy/IAMFullAccess")) {
			q.add("policy:admin");
		}
		Capacity.qualify(name, rp, q);
		Miners.qualify(name, rp, q);
		if ("*".equals(rp.path("principal").asText())) {
			q.add("principal:any");
		}
		if ("userData".equals(rp.path("attribute").asText()) || rp.has("userData")) {
			q.add("attribute:user-data");
		}
		Policies.qualify(ev, rp, q);
		Settings.qualify(ev, name, identity, rp, q);
		EksSettings.qualify(name, rp, q);
		ObjectWrites.qualify(ev, name, rp, q);
		Acls.qualify(name, rp, q);
		Backdoors.qualify(name, rp, ev.path("responseElements"), Grantees.own(ev), q);
		Shares.qualify(ev, name, rp, q);
		if ("AddUserToGroup".equals(name) && ADMIN_GROUP.matcher(rp.path("groupName").asText("")).find()) {
			q.add("group:admin");
		}
		return q;
	}


	/**
	 * A rule for every address: cidrIp/cidrIpv6 ending in /0, at the top or in ipPermissions.items[], or an allowing
	 * network ACL entry for inbound traffic from /0.
	 */
	private static boolean openToWorld(JsonNode rp) {
		if (rp.path("cidrIp").asText("").endsWith("/0")) {
			return true;
		}
		// a network ACL entry letting every address in
		boolean everyone = rp.path("cidrBlock").asText("").endsWith("/0") || rp.path("ipv6CidrBlock").asText("").endsWith("/0");
		if (everyone && !rp.path("egress").asBoolean(false) && !"deny".equalsIgnoreCase(rp.path("ruleAction").asText())) {
			return true;
		}
		for (JsonNode permission : rp.path("ipPermissions").path("items")) {
			for (JsonNode range : permission.path("ipRanges").path("items")) {
				if (range.path("cidrIp").asText("").endsWith("/0")) {
					return true;
				}
			}
			for (JsonNode range : permission.path("ipv6Ranges").path("items")) {
				if (range.path("cidrIpv6").asText("").endsWith("/0")) {
					return true;
				}
			}
		}
		return false;
	}

	/**
	 * The grants a permission change adds: to an account (a twelve-digit ID), or to everyone (group "all"; no other
	 * group exists). Anything else is refused by EC2 and shares nothing.
	 */
	static List<JsonNode> added(JsonNode permission) {
		List<JsonNode> out = new ArrayList<>();
		for (JsonNode item : permission.path("add").path("items")) {
			if (item.path("userId").asText("").matches("\\d{12}") || "all".equals(item.path("group").asText())) {
				out.add(item);
			}
		}
		return out;
	}
}
