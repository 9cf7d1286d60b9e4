package dev.loupe.core.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.loupe.core.reason.Findings;
import dev.loupe.core.store.EvidenceStore;

/**
 * Quieter ways to blind an account, to let data out and to destroy it, beside those of the Stratus recordings: GuardDuty
 * switched off or told to archive what it finds, CloudTrail's bucket told to expire its logs, a bucket opened to
 * another account. Their harmless twins (GuardDuty switched back on, a policy for the account itself, a long
 * retention) raise nothing; GuardDuty's being off is a coverage gap until it is switched back on.
 */
class TamperingAndSharingTest {
	private final ScenarioTest events = new ScenarioTest();
	private int minute;

	@Test
	void eachQuietTamperingOrSharingIsASignalAndItsTwinIsNot(@TempDir Path dir) throws IOException {
		ArrayNode calls = ScenarioTest.JSON.createArrayNode();
		calls.add(call("guardduty.amazonaws.com", "UpdateDetector", "{\"detectorId\":\"12abc34d\",\"enable\":false}"));
		calls.add(call("guardduty.amazonaws.com", "UpdateDetector", "{\"detectorId\":\"12abc34d\",\"enable\":true}"));
		calls.add(call("guardduty.amazonaws.com", "CreateFilter",
				"{\"detectorId\":\"12abc34d\",\"name\":\"quiet\",\"action\":\"ARCHIVE\",\"findingCriteria\":{}}"));
		calls.add(call("s3.amazonaws.com", "PutBucketLifecycle", "{\"bucketName\":\"acme-cloudtrail-logs\",\"LifecycleConfiguration\":"
				+ "{\"Rule\":[{\"ID\":\"x\",\"Status\":\"Enabled\",\"Expiration\":{\"Days\":1}}]}}"));
		calls.add(call("s3.amazonaws.com", "PutBucketLifecycle", "{\"bucketName\":\"acme-cloudtrail-logs\",\"LifecycleConfiguration\":"
				+ "{\"Rule\":{\"ID\":\"y\",\"Status\":\"Enabled\",\"Expiration\":{\"Days\":\"400\"}}}}"));
		calls.add(call("s3.amazonaws.com", "PutBucketPolicy", policy("arn:aws:iam::999988887777:root")));
		calls.add(call("s3.amazonaws.com", "PutBucketPolicy", policy("arn:aws:iam::" + ScenarioTest.ACCOUNT + ":role/reader")));
		calls.add(call("account.amazonaws.com", "EnableRegion", "{\"RegionName\":\"ap-southeast-7\"}"));
		try (EvidenceStore store = ScenarioTest.reasoned(dir, ScenarioTest.trail(dir, calls))) {
			List<String> signals = new Findings(store).signals("en").stream()
					.map(s -> s.eventName() + " " + s.technique() + " " + s.detector().substring(s.detector().lastIndexOf('/') + 1)).toList();
			assertEquals(List.of("UpdateDetector T1562.001 guardduty-detector-disabled", "CreateFilter T1562.001 guardduty-archive-filter",
					"PutBucketLifecycle T1562.008 cloudtrail-bucket-short-lifecycle", "PutBucketPolicy T1537 resource-policy-foreign-account", "EnableRegion T1535 region-enabled"),
					signals);
			// GuardDuty was off from the first call until the second switched it back on
			assertEquals(List.of("GuardDuty 2025-07-01T10:00:00Z 2025-07-01T10:01:00Z"), GuardDutyTest.select(store, "g",
					"GRAPH <urn:loupe:graph:inferred> { ?x a loupe:CoverageGap ; loupe:gapSource ?s ; loupe:time ?t ; loupe:endTime ?e }"
							+ " BIND (CONCAT(?s, ' ', STR(?t), ' ', STR(?e)) AS ?g)"));
		}
	}

	/**
	 * The escalations privilege-escalation tools try besides attaching AdministratorAccess: an inline policy that
	 * allows everything (for a user, a role, a group), a managed policy's new default version that does, an older
	 * version rolled back to, a role put into an instance profile or onto an instance. Their twins (a narrow
	 * inline policy, an allow-everything statement limited by a condition) raise nothing.
	 */
	@Test
	void everyWayToAllowEverythingIsAnEscalation(@TempDir Path dir) throws IOException {
		String all = "{\\\"Version\\\":\\\"2012-10-17\\\",\\\"Statement\\\":[{\\\"Effect\\\":\\\"Allow\\\",\\\"Action\\\":\\\"*\\\",\\\"Resource\\\":\\\"*\\\"}]}";
		String narrow = all.replace("\\\"Action\\\":\\\"*\\\"", "\\\"Action\\\":[\\\"s3:GetObject\\\"]");
		String limited = all.replace("\\\"Resource\\\":\\\"*\\\"}", "\\\"Resource\\\":\\\"*\\\",\\\"Condition\\\":{\\\"Bool\\\":{\\\"aws:MultiFactorAuthPresent\\\":\\\"true\\\"}}}");
		ArrayNode calls = ScenarioTest.JSON.createArrayNode();
		calls.add(call("iam.amazonaws.com", "PutUserPolicy", "{\"userName\":\"dave\",\"policyName\":\"x\",\"policyDocument\":\"" + all + "\"}"));
		calls.add(call("iam.amazonaws.com", "PutRolePolicy", "{\"roleName\":\"ci\",\"policyName\":\"x\",\"policyDocument\":\"" + all + "\"}"));
		calls.add(call("iam.amazonaws.com", "PutGroupPolicy", "{\"groupName\":\"devs\",\"policyName\":\"x\",\"policyDocument\":\"" + all + "\"}"));
		calls.add(call("iam.amazonaws.com", "AttachGroupPolicy",
				"{\"groupName\":\"devs\",\"policyArn\":\"arn:aws:iam::aws:policy/AdministratorAccess\"}"));
		calls.add(call("iam.amazonaws.com", "CreatePolicyVersion", "{\"policyArn\":\"arn:aws:iam::" + ScenarioTest.ACCOUNT
				+ ":policy/deploy\",\"setAsDefault\":true,\"policyDocument\":\"" + all + "\"}"));
		calls.add(call("iam.amazonaws.com", "PutUserPolicy", "{\"userName\":\"dave\",\"policyName\":\"y\",\"policyDocument\":\"" + narrow + "\"}"));
		calls.add(call("iam.amazonaws.com", "PutRolePolicy", "{\"roleName\":\"ci\",\"policyName\":\"y\",\"policyDocument\":\"" + limited + "\"}"));
		calls.add(call("iam.amazonaws.com", "SetDefaultPolicyVersion", "{\"policyArn\":\"arn:aws:iam::" + ScenarioTest.ACCOUNT
				+ ":policy/deploy\",\"versionId\":\"v1\"}"));
		calls.add(call("iam.amazonaws.com", "AddRoleToInstanceProfile", "{\"instanceProfileName\":\"web\",\"roleName\":\"admin\"}"));
		calls.add(call("ec2.amazonaws.com", "AssociateIamInstanceProfile",
				"{\"instanceId\":\"i-0a1b2c3d4e5f60718\",\"iamInstanceProfile\":{\"name\":\"web\"}}"));
		assertEquals(List.of("PutUserPolicy TA0004 iam-admin-policy-to-user", "PutRolePolicy TA0004 iam-admin-policy-to-role",
				"PutGroupPolicy TA0004 iam-admin-policy-to-group", "AttachGroupPolicy TA0004 iam-admin-policy-to-group",
				"CreatePolicyVersion TA0004 iam-policy-version-admin", "SetDefaultPolicyVersion TA0004 iam-policy-default-version-set",
				"AddRoleToInstanceProfile TA0004 instance-profile-role-changed",
				"AssociateIamInstanceProfile TA0004 instance-profile-role-changed"), described(dir, calls, Findings.Signal::tactic));
	}

	/**
	 * Other logs and security services an intruder silences: CloudWatch log groups deleted, Bedrock's invocation
	 * logging deleted, a GuardDuty member cut loose, Macie paused, Inspector and Detective switched off. Their twins
	 * (Macie's publishing frequency changed, a deletion refused) raise nothing.
	 */
	@Test
	void otherLogsAndSecurityServicesSwitchedOff(@TempDir Path dir) throws IOException {
		ArrayNode calls = ScenarioTest.JSON.createArrayNode();
		calls.add(call("logs.amazonaws.com", "DeleteLogGroup", "{\"logGroupName\":\"/aws/vpc/flow-logs\"}"));
		calls.add(call("bedrock.amazonaws.com", "DeleteModelInvocationLoggingConfiguration", "{}"));
		calls.add(call("guardduty.amazonaws.com", "DisassociateFromAdministratorAccount", "{\"detectorId\":\"12abc34d\"}"));
		calls.add(call("macie2.amazonaws.com", "UpdateMacieSession", "{\"status\":\"PAUSED\"}"));
		calls.add(call("inspector2.amazonaws.com", "Disable", "{\"resourceTypes\":[\"EC2\",\"ECR\"]}"));
		calls.add(call("detective.amazonaws.com", "DeleteGraph", "{\"GraphArn\":\"arn:aws:detective:eu-west-1:" + ScenarioTest.ACCOUNT
				+ ":graph:abc\"}"));
		calls.add(call("macie2.amazonaws.com", "UpdateMacieSession", "{\"findingPublishingFrequency\":\"SIX_HOURS\"}"));
		calls.add(call("logs.amazonaws.com", "DeleteLogGroup", "{\"logGroupName\":\"/aws/cloudtrail\"}").put("errorCode", "AccessDenied"));
		// the intruder's address on GuardDuty's trusted IP list: no finding about it from then on
		calls.add(call("guardduty.amazonaws.com", "CreateIPSet", "{\"detectorId\":\"12abc34d\",\"name\":\"office\",\"format\":\"TXT\","
				+ "\"location\":\"https://s3.amazonaws.com/ops-lists/trusted.txt\",\"activate\":true}"));
		// the organization's guardrail (deny leaving, deny StopLogging) taken off the account, before leaving
		calls.add(call("organizations.amazonaws.com", "DetachPolicy", "{\"policyId\":\"p-9ab3x7k2\",\"targetId\":\"" + ScenarioTest.ACCOUNT + "\"}"));
		calls.add(call("organizations.amazonaws.com", "AttachPolicy", "{\"policyId\":\"p-9ab3x7k2\",\"targetId\":\"ou-ab12-cd34ef56\"}"));
		assertEquals(List.of("DeleteLogGroup T1070 logs-deleted",
				"DeleteModelInvocationLoggingConfiguration T1562.008 bedrock-invocation-logging-deleted",
				"DisassociateFromAdministratorAccount T1562.001 guardduty-membership-cut", "UpdateMacieSession T1562.001 macie-paused",
				"Disable T1562.001 security-service-disabled", "DeleteGraph T1562.001 security-service-disabled",
				"CreateIPSet T1562.001 guardduty-trusted-ip-list", "DetachPolicy T1484 organizations-guardrail-removed"),
				described(dir, calls, Findings.Signal::technique));
	}

	/**
	 * A database restored from a snapshot where the internet reaches it (the response says so: a restore may
	 * inherit the setting), and EBS encryption by default switched off; a restore kept private raises nothing.
	 */
	@Test
	void aPublicRestoreAndUnencryptedVolumes(@TempDir Path dir) throws IOException {
		ArrayNode calls = ScenarioTest.JSON.createArrayNode();
		calls.add(call("rds.amazonaws.com", "RestoreDBInstanceFromDBSnapshot",
				"{\"dBInstanceIdentifier\":\"copy-1\",\"dBSnapshotIdentifier\":\"orders-2025-07-01\"}")
				.set("responseElements", ScenarioTest.JSON.createObjectNode().put("publiclyAccessible", true)));
		calls.add(call("rds.amazonaws.com", "RestoreDBInstanceFromDBSnapshot",
				"{\"dBInstanceIdentifier\":\"copy-2\",\"dBSnapshotIdentifier\":\"orders-2025-07-01\"}")
				.set("responseElements", ScenarioTest.JSON.createObjectNode().put("publiclyAccessible", false)));
		calls.add(call("ec2.amazonaws.com", "DisableEbsEncryptionByDefault", "{}"));
		assertEquals(List.of("RestoreDBInstanceFromDBSnapshot TA0010 rds-restored-public",
				"DisableEbsEncryptionByDefault TA0005 ebs-default-encryption-disabled"), described(dir, calls, Findings.Signal::tactic));
	}

	/**
	 * A role anyone may assume, made or changed (an external ID keeps nobody out), is a backdoor; a role trusting
	 * an AWS service, or any principal of the organisation, is not. A new role another account may assume is a
	 * lesser signal (vendors' roles are made so too); one this account's own principals may assume is none.
	 */
	@Test
	void aRoleAnyoneMayAssumeIsABackdoor(@TempDir Path dir) throws IOException {
		String anyone = "{\\\"Version\\\":\\\"2012-10-17\\\",\\\"Statement\\\":[{\\\"Effect\\\":\\\"Allow\\\",\\\"Principal\\\":{\\\"AWS\\\":\\\"*\\\"},"
				+ "\\\"Action\\\":\\\"sts:AssumeRole\\\",\\\"Condition\\\":{\\\"StringEquals\\\":{\\\"sts:ExternalId\\\":\\\"x1\\\"}}}]}";
		String service = anyone.replace("{\\\"AWS\\\":\\\"*\\\"}", "{\\\"Service\\\":\\\"lambda.amazonaws.com\\\"}");
		String org = anyone.replace("sts:ExternalId", "aws:PrincipalOrgID");
		ArrayNode calls = ScenarioTest.JSON.createArrayNode();
		calls.add(call("iam.amazonaws.com", "CreateRole", "{\"roleName\":\"support\",\"assumeRolePolicyDocument\":\"" + anyone + "\"}"));
		calls.add(call("iam.amazonaws.com", "CreateRole", "{\"roleName\":\"fn\",\"assumeRolePolicyDocument\":\"" + service + "\"}"));
		calls.add(call("iam.amazonaws.com", "UpdateAssumeRolePolicy", "{\"roleName\":\"ops\",\"policyDocument\":\"" + anyone + "\"}"));
		calls.add(call("iam.amazonaws.com", "UpdateAssumeRolePolicy", "{\"roleName\":\"ops\",\"policyDocument\":\"" + org + "\"}"));
		// a new role another account may assume (the intruder's own), and one of this account's own principals may
		String foreign = service.replace("{\\\"Service\\\":\\\"lambda.amazonaws.com\\\"}", "{\\\"AWS\\\":\\\"arn:aws:iam::999988887777:root\\\"}");
		String own = foreign.replace("999988887777", ScenarioTest.ACCOUNT);
		calls.add(call("iam.amazonaws.com", "CreateRole", "{\"roleName\":\"audit\",\"assumeRolePolicyDocument\":\"" + foreign + "\"}"));
		calls.add(call("iam.amazonaws.com", "CreateRole", "{\"roleName\":\"ops2\",\"assumeRolePolicyDocument\":\"" + own + "\"}"));
		try (EvidenceStore store = ScenarioTest.reasoned(dir, ScenarioTest.trail(dir, calls))) {
			List<Findings.Signal> all = new Findings(store).signals("en");
			List<String> signals = all.stream().filter(s -> s.detector().endsWith("/iam-role-trust-public"))
					.map(s -> s.eventName() + " " + s.technique() + " " + s.severity()).toList();
			assertEquals(List.of("CreateRole T1098.003 8.0", "UpdateAssumeRolePolicy T1098.003 8.0"), signals);
			assertEquals(List.of("CreateRole T1098.003 5.0"), all.stream().filter(s -> s.detector().endsWith("/iam-role-created-for-foreign-account"))
					.map(s -> s.eventName() + " " + s.technique() + " " + s.severity()).toList());
		}
	}

	/** Object after object deleted in a few minutes (a ransomware run) is one burst of destruction. */
	@Test
	void manyDeletionsInAFewMinutesAreOneBurst(@TempDir Path dir) throws IOException {
		ArrayNode calls = ScenarioTest.JSON.createArrayNode();
		for (int i = 0; i < 40; i++) {
			ObjectNode c = events.call(Instant.parse("2025-07-01T11:00:00Z").plusSeconds(7L * i), "s3.amazonaws.com", "DeleteObject",
					ScenarioTest.user("mallory"), "203.0.113.77", "aws-cli/2.13.1 Python/3.11 Linux/6.5");
			((ObjectNode) c.get("requestParameters")).put("bucketName", "acme-exports").put("key", "reports/" + i + ".csv");
			calls.add(c);
		}
		try (EvidenceStore store = ScenarioTest.reasoned(dir, ScenarioTest.trail(dir, calls))) {
			List<Findings.Signal> signals = new Findings(store).signals("en");
			assertEquals(List.of("Burst of object deletions T1485 TA0040 40"), signals.stream()
					.map(s -> s.detectorLabel() + " " + s.technique() + " " + s.tactic() + " " + s.burstSize()).toList());
		}
	}

	/**
	 * AWS quarantines carol's key, found exposed in public; an hour later the key makes a backdoor for another user.
	 * The quarantine, though another principal attached it, is part of carol's story, and carol is named.
	 */
	@Test
	void aQuarantinedKeyJoinsItsOwnersStory(@TempDir Path dir) throws IOException {
		Instant t = Instant.parse("2025-07-02T08:00:00Z");
		ObjectNode quarantine = events.call(t, "iam.amazonaws.com", "AttachUserPolicy", ScenarioTest.ciSession(7), "203.0.113.5",
				"AWS Internal");
		((ObjectNode) quarantine.get("requestParameters")).put("userName", "carol")
				.put("policyArn", "arn:aws:iam::aws:policy/AWSCompromisedKeyQuarantineV3");
		ObjectNode backdoor = events.call(t.plus(1, ChronoUnit.HOURS), "iam.amazonaws.com", "CreateAccessKey", ScenarioTest.user("carol"),
				"198.51.100.250", "python-requests/2.31.0");
		((ObjectNode) backdoor.get("requestParameters")).put("userName", "svc-report");
		try (EvidenceStore store = ScenarioTest.reasoned(dir,
				ScenarioTest.trail(dir, ScenarioTest.JSON.createArrayNode().add(quarantine).add(backdoor)))) {
			List<Findings.Sequence> sequences = new Findings(store).sequences("en");
			assertEquals(1, sequences.size(), sequences.toString());
			Findings.Sequence q = sequences.get(0);
			assertEquals(List.of("AttachUserPolicy", "CreateAccessKey"), q.members().stream().map(Findings.Signal::eventName).toList());
			assertEquals("carol", q.actorLabel());
			assertTrue(q.links().get(0).kind().endsWith("#victimKey"), q.links().toString());
			assertTrue(q.links().get(0).explanation().startsWith("about the same identity carol, 1 h later"), q.links().toString());
		}
	}

	/**
	 * Quieter ways in and out: a user put into a group named for administrators (not into another group), a
	 * permissions boundary and an MFA device removed, CloudTrail Lake's store stopped (a denied deletion of it
	 * does nothing), a bucket's default encryption pointed at another account's KMS key (not at the account's
	 * own), and replication into another account (not within the account).
	 */
	@Test
	void membershipBoundariesMfaLakeAndBucketDefaults(@TempDir Path dir) throws IOException {
		ArrayNode calls = ScenarioTest.JSON.createArrayNode();
		calls.add(call("iam.amazonaws.com", "AddUserToGroup", "{\"groupName\":\"Admins\",\"userName\":\"svc-backup\"}"));
		calls.add(call("iam.amazonaws.com", "AddUserToGroup", "{\"groupName\":\"developers\",\"userName\":\"svc-backup\"}"));
		calls.add(call("iam.amazonaws.com", "DeleteRolePermissionsBoundary", "{\"roleName\":\"ci-deploy\"}"));
		calls.add(call("iam.amazonaws.com", "DeactivateMFADevice", "{\"userName\":\"alice\",\"serialNumber\":\"arn:aws:iam::"
				+ ScenarioTest.ACCOUNT + ":mfa/alice\"}"));
		calls.add(call("cloudtrail.amazonaws.com", "StopEventDataStoreIngestion", "{\"eventDataStore\":\"org-lake\"}"));
		calls.add(call("cloudtrail.amazonaws.com", "DeleteEventDataStore", "{\"eventDataStore\":\"org-lake\"}").put("errorCode",
				"AccessDenied"));
		String encryption = "{\"bucketName\":\"acme-data\",\"ServerSideEncryptionConfiguration\":{\"Rule\":{"
				+ "\"ApplyServerSideEncryptionByDefault\":{\"SSEAlgorithm\":\"aws:kms\",\"KMSMasterKeyID\":\"arn:aws:kms:eu-west-1:%s:key/k1\"}}}}";
		calls.add(call("s3.amazonaws.com", "PutBucketEncryption", String.format(encryption, "777766665555")));
		calls.add(call("s3.amazonaws.com", "PutBucketEncryption", String.format(encryption, ScenarioTest.ACCOUNT)));
		String replication = "{\"bucketName\":\"acme-data\",\"ReplicationConfiguration\":{\"Role\":\"arn:aws:iam::" + ScenarioTest.ACCOUNT
				+ ":role/r\",\"Rule\":[{\"Status\":\"Enabled\",\"Destination\":{\"Bucket\":\"arn:aws:s3:::b\",\"Account\":\"%s\"}}]}}";
		calls.add(call("s3.amazonaws.com", "PutBucketReplication", String.format(replication, "777766665555")));
		calls.add(call("s3.amazonaws.com", "PutBucketReplication", String.format(replication, ScenarioTest.ACCOUNT)));
		assertEquals(List.of("AddUserToGroup T1098.003 iam-user-added-to-admin-group",
				"DeleteRolePermissionsBoundary T1098 iam-permissions-boundary-removed", "DeactivateMFADevice T1556.006 iam-mfa-device-removed",
				"StopEventDataStoreIngestion T1562.008 cloudtrail-lake-stopped", "PutBucketEncryption T1486 s3-encrypted-with-foreign-kms-key",
				"PutBucketReplication T1537 s3-replication-to-foreign-account"), described(dir, calls, Findings.Signal::technique));
	}

	/**
	 * IAM Identity Center: AdministratorAccess on a permission set (not ReadOnlyAccess), an inline policy allowing
	 * everything on one, a user created in its identity store and given an account; IAM's own CreateUser stays
	 * IAM's.
	 */
	@Test
	void identityCenterEscalation(@TempDir Path dir) throws IOException {
		String set = "\"instanceArn\":\"arn:aws:sso:::instance/ssoins-1\",\"permissionSetArn\":\"arn:aws:sso:::permissionSet/ssoins-1/ps-1\"";
		ArrayNode calls = ScenarioTest.JSON.createArrayNode();
		calls.add(call("sso.amazonaws.com", "AttachManagedPolicyToPermissionSet", "{" + set
				+ ",\"managedPolicyArn\":\"arn:aws:iam::aws:policy/AdministratorAccess\"}"));
		calls.add(call("sso.amazonaws.com", "AttachManagedPolicyToPermissionSet", "{" + set
				+ ",\"managedPolicyArn\":\"arn:aws:iam::aws:policy/ReadOnlyAccess\"}"));
		calls.add(call("sso.amazonaws.com", "PutInlinePolicyToPermissionSet", "{" + set + ",\"inlinePolicy\":"
				+ "\"{\\\"Version\\\":\\\"2012-10-17\\\",\\\"Statement\\\":[{\\\"Effect\\\":\\\"Allow\\\",\\\"Action\\\":\\\"*\\\",\\\"Resource\\\":\\\"*\\\"}]}\"}"));
		calls.add(call("identitystore.amazonaws.com", "CreateUser", "{\"identityStoreId\":\"d-1234567890\",\"userName\":\"helpdesk2\"}"));
		calls.add(call("sso.amazonaws.com", "CreateAccountAssignment", "{" + set + ",\"targetId\":\"" + ScenarioTest.ACCOUNT
				+ "\",\"targetType\":\"AWS_ACCOUNT\",\"principalType\":\"USER\",\"principalId\":\"9067-u1\"}"));
		assertEquals(List.of("AttachManagedPolicyToPermissionSet TA0004 sso-admin-permission-set",
				"PutInlinePolicyToPermissionSet TA0004 sso-admin-permission-set", "CreateUser TA0003 identity-center-user-created",
				"CreateAccountAssignment TA0003 sso-account-assignment"), described(dir, calls, Findings.Signal::tactic));
	}

	/**
	 * CloudTrail Lake's event data store stopped, then started again; a trail's selectors narrowed to writes, then
	 * narrowed again (no end), then set back to every management event: a gap in each, with its end.
	 */
	@Test
	void aStoppedLakeOrNarrowedSelectorsAreAGapUntilRestored(@TempDir Path dir) throws IOException {
		ArrayNode calls = ScenarioTest.JSON.createArrayNode();
		calls.add(call("cloudtrail.amazonaws.com", "StopEventDataStoreIngestion", "{\"eventDataStore\":\"org-lake\"}"));
		calls.add(call("cloudtrail.amazonaws.com", "StartEventDataStoreIngestion", "{\"eventDataStore\":\"org-lake\"}"));
		String writes = "{\"trailName\":\"org-trail\",\"eventSelectors\":[{\"readWriteType\":\"WriteOnly\",\"includeManagementEvents\":true}]}";
		calls.add(call("cloudtrail.amazonaws.com", "PutEventSelectors", writes));
		calls.add(call("cloudtrail.amazonaws.com", "PutEventSelectors", writes));
		calls.add(call("cloudtrail.amazonaws.com", "PutEventSelectors",
				"{\"trailName\":\"org-trail\",\"eventSelectors\":[{\"readWriteType\":\"All\",\"includeManagementEvents\":true}]}"));
		try (EvidenceStore store = ScenarioTest.reasoned(dir, ScenarioTest.trail(dir, calls))) {
			assertEquals(List.of("CloudTrail Lake 2025-07-01T10:00:00Z 2025-07-01T10:01:00Z",
					"CloudTrail management events 2025-07-01T10:02:00Z 2025-07-01T10:04:00Z",
					"CloudTrail management events 2025-07-01T10:03:00Z 2025-07-01T10:04:00Z"), GuardDutyTest.select(store, "g",
					"GRAPH <urn:loupe:graph:inferred> { ?x a loupe:CoverageGap ; loupe:gapSource ?s ; loupe:time ?t ; loupe:endTime ?e }"
							+ " BIND (CONCAT(?s, ' ', STR(?t), ' ', STR(?e)) AS ?g)").stream().sorted().toList());
		}
	}

	/** Each signal of the calls as "event ATT&CK-ID detector", the ID being the technique or the tactic. */
	static List<String> described(Path dir, ArrayNode calls, java.util.function.Function<Findings.Signal, String> id)
			throws IOException {
		try (EvidenceStore store = ScenarioTest.reasoned(dir, ScenarioTest.trail(dir, calls))) {
			return new Findings(store).signals("en").stream()
					.map(s -> s.eventName() + " " + id.apply(s) + " " + s.detector().substring(s.detector().lastIndexOf('/') + 1)).toList();
		}
	}

	private ObjectNode call(String source, String name, String request) throws IOException {
		ObjectNode e = events.call(Instant.parse("2025-07-01T10:00:00Z").plus(minute++, ChronoUnit.MINUTES), source, name,
				ScenarioTest.user("mallory"), "203.0.113.77", "aws-cli/2.13.1 Python/3.11 Linux/6.5");
		e.set("requestParameters", ScenarioTest.JSON.readTree(request));
		return e;
	}

	private static String policy(String principal) {
		return "{\"bucketName\":\"acme-exports\",\"bucketPolicy\":{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
				+ "\"Principal\":{\"AWS\":\"" + principal + "\"},\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::acme-exports/*\"}]}}";
	}
}
