package dev.loupe.core.ingest.cloudtrail;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Qualifiers of calls that change a security setting or show a leaked key: AWS's quarantine of a leaked key, a
 * secret scanner trying one, root's own access key, a log bucket told to expire its objects within a week, bucket
 * logging or versioning switched off, GuardDuty switched off or told to archive findings, parameters read decrypted,
 * a database made reachable from the internet or its deletion protection switched off, a log group's retention
 * shortened to a week or less.
 */
final class Settings {
	private static final Pattern SCANNER = Pattern.compile("(?i)trufflehog");
	/** Where CloudTrail (or another log) is delivered, by the names such buckets are given. */
	private static final Pattern LOG_BUCKET = Pattern.compile("(?i)trail|log");

	private Settings() {
	}

	static void qualify(ObjectNode ev, String name, String identity, JsonNode rp, List<String> q) {
		// AWS puts its quarantine policy on a user whose key it found exposed in public
		if (rp.path("policyArn").asText("").contains(":policy/AWSCompromisedKeyQuarantine")
				|| rp.path("policyName").asText("").startsWith("AWSCompromisedKeyQuarantine")
				|| rp.path("policyName").asText("").startsWith("AWSExposedCredentialPolicy")) {
			q.add("policy:key-quarantine");
		}
		if ("PutBucketLifecycle".equals(name) && expiresSoon(rp.path("LifecycleConfiguration").path("Rule"))) {
			// a bucket named like a log bucket is one; one a trail delivers to is known only from the trail's
			// CreateTrail or UpdateTrail, maybe in another file: the rules' input adds expires-log-bucket then
			q.add("lifecycle:expires-soon");
			if (LOG_BUCKET.matcher(rp.path("bucketName").asText("")).find()) {
				q.add("lifecycle:expires-log-bucket");
			}
		}
		if ("CreateAccessKey".equals(name) && "Root".equals(identity) && !rp.hasNonNull("userName")) {
			q.add("key:root");
		}
		// a log group's events kept a week or less: what it holds is gone soon
		if ("PutRetentionPolicy".equals(name) && rp.path("retentionInDays").asInt(Integer.MAX_VALUE) <= 7) {
			q.add("retention:short");
		}
		JsonNode logging = rp.path("BucketLoggingStatus");
		if ("PutBucketLogging".equals(name) && logging.isObject() && !logging.has("LoggingEnabled")) {
			q.add("logging:disabled");
		}
		// a secret scanner checking whether a key it found still works: the key is out in the open
		if (SCANNER.matcher(ev.path("userAgent").asText("")).find()) {
			q.add("client:secret-scanner");
		}
		// a database (RDS instance or cluster) given an address on the internet; one restored from a snapshot says
		// so in its response (it may inherit the setting)
		JsonNode re = ev.path("responseElements");
		if (rp.path("publiclyAccessible").asBoolean(false)
				|| name != null && name.startsWith("Restore") && re.path("publiclyAccessible").asBoolean(false)) {
			q.add("exposure:public");
		}
		if (("ModifyDBInstance".equals(name) || "ModifyDBCluster".equals(name)) && rp.has("masterUserPassword")) {
			q.add("password:reset");
		}
		// a user's (or root's) key turned into session credentials without MFA: they outlive the key's deactivation
		// (people who must use MFA for the CLI send their device's serial number and code)
		if ("GetSessionToken".equals(name) && ("IAMUser".equals(identity) || "Root".equals(identity)) && !rp.has("serialNumber")) {
			q.add("session-token:no-mfa");
		}
		// the console reached with keys rather than a sign-in (an IAM Identity Center session's portal does it too)
		if ("GetSigninToken".equals(name) && !ev.path("userIdentity").path("arn").asText("").contains(":assumed-role/AWSReservedSSO_")) {
			q.add("signin:from-keys");
		}
		if (rp.has("deletionProtection") && !rp.path("deletionProtection").asBoolean(true)) {
			q.add("protection:off");
		}
		// SecureString parameters come back in clear only when asked to
		if ("true".equals(rp.path("withDecryption").asText())) {
			q.add("ssm:decrypted");
		}
		String versioning = rp.path("VersioningConfiguration").path("Status").asText();
		if ("PutBucketVersioning".equals(name) && ("Suspended".equals(versioning) || "Disabled".equals(versioning))) {
			q.add("versioning:suspended");
		}
		// versions can then be deleted without the owner's MFA device
		if ("PutBucketVersioning".equals(name) && "Disabled".equals(rp.path("VersioningConfiguration").path("MfaDelete").asText())) {
			q.add("mfa-delete:disabled");
		}
		// IAM Identity Center makes and keeps its own provider (AWSSSO_..._DO_NOT_DELETE); any other is someone's
		if (name != null && name.matches("(Create|Update|Delete)SAMLProvider")
				&& !rp.path("name").asText(rp.path("sAMLProviderArn").asText("")).replaceAll(".*saml-provider/", "").startsWith("AWSSSO_")) {
			q.add("saml:provider-changed");
		}
		if ("PutEventSelectors".equals(name) && fewerManagementEvents(rp)) {
			q.add("selectors:reduced");
		}
		if ("UpdateDetector".equals(name) && "false".equals(rp.path("enable").asText())) {
			q.add("detector:disabled");
		}
		if ("UpdateMacieSession".equals(name) && "PAUSED".equalsIgnoreCase(rp.path("status").asText())) {
			q.add("status:paused");
		}
		if (("CreateFilter".equals(name) || "UpdateFilter".equals(name))
				&& "ARCHIVE".equalsIgnoreCase(rp.path("action").asText())) {
			q.add("filter:archive");
		}
	}

	/** An enabled lifecycle rule that deletes objects (or their old versions) within a week. */
	private static boolean expiresSoon(JsonNode rules) {
		List<JsonNode> all = new ArrayList<>();
		if (rules.isArray()) {
			rules.forEach(all::add);
		} else if (rules.isObject()) {
			all.add(rules);
		}
		for (JsonNode r : all) {
			int days = Math.min(r.path("Expiration").path("Days").asInt(Integer.MAX_VALUE),
					r.path("NoncurrentVersionExpiration").path("NoncurrentDays").asInt(Integer.MAX_VALUE));
			if ("Enabled".equals(r.path("Status").asText()) && days <= 7) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Whether a trail's new event selectors leave management events out, in part or whole: not recorded at all,
	 * only reads or only writes, some sources excluded, or advanced selectors none of which asks for them.
	 * Selectors that add data events and keep every management event are routine.
	 */
	private static boolean fewerManagementEvents(JsonNode rp) {
		for (JsonNode s : rp.path("eventSelectors")) {
			if (!s.path("includeManagementEvents").asBoolean(true) || !"All".equals(s.path("readWriteType").asText("All"))
					|| !s.path("excludeManagementEventSources").isEmpty()) {
				return true;
			}
		}
		JsonNode advanced = rp.path("advancedEventSelectors");
		return advanced.isArray() && !advanced.isEmpty() && !advanced.toString().contains("\"Management\"");
	}
}
