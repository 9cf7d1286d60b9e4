package dev.loupe.core.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
 * More ways to let data out and to go unseen: an Aurora cluster's snapshot or a Resource Access Manager share
 * given to another account, a CodeBuild project made public, GuardDuty's findings archived or no longer exported,
 * CloudWatch alarms (or their metric filters) deleted or muted, a Bedrock guardrail loosened, a log group's
 * forwarding cut or its retention shortened, a VPC's DNS logging detached, a web ACL deleted, a KMS key or a
 * function another account may use; and ways to stay:
 * an MFA device registered on another user, a new account in the organisation. Each has a harmless twin that
 * raises nothing.
 */
class SharedOutAndSilencedTest {
	static final Instant T = Instant.parse("2025-09-14T01:00:00Z");
	static final String FOREIGN = "999988887777";
	/** Another account of the same organisation. */
	static final String SIBLING = "444455556666";
	private final ScenarioTest events = new ScenarioTest();
	private int minute;

	@Test
	void eachSharingOrSilencingIsASignalAndItsTwinIsNot(@TempDir Path dir) throws IOException {
		ArrayNode calls = ScenarioTest.JSON.createArrayNode();
		String share = "{\"dBClusterSnapshotIdentifier\":\"orders-final\",\"attributeName\":\"restore\",\"valuesTo%s\":[\"" + FOREIGN + "\"]}";
		calls.add(mallory("rds.amazonaws.com", "ModifyDBClusterSnapshotAttribute", share.formatted("Add"), "{}"));
		calls.add(mallory("rds.amazonaws.com", "ModifyDBClusterSnapshotAttribute", share.formatted("Remove"), "{}"));
		String subnet = "\"resourceArns\":[\"arn:aws:ec2:eu-west-1:" + ScenarioTest.ACCOUNT + ":subnet/subnet-0a1b2c3d\"]";
		calls.add(mallory("ram.amazonaws.com", "CreateResourceShare", "{\"name\":\"x\"," + subnet + ",\"principals\":[\"" + FOREIGN + "\"]}",
				"{\"resourceShare\":{\"allowExternalPrincipals\":true,\"status\":\"ACTIVE\"}}"));
		// inside the organisation: a share that refuses outsiders, an association RAM marks internal, the organisation itself
		calls.add(mallory("ram.amazonaws.com", "CreateResourceShare", "{\"name\":\"y\"," + subnet + ",\"principals\":[\"" + SIBLING
				+ "\"],\"allowExternalPrincipals\":false}", "{}"));
		String associate = "{\"resourceShareArn\":\"arn:aws:ram:eu-west-1:" + ScenarioTest.ACCOUNT + ":resource-share/7ab6\",\"principals\":[\"%s\"]}";
		String association = "{\"resourceShareAssociations\":[{\"associatedEntity\":\"%s\",\"associationType\":\"PRINCIPAL\",\"external\":%s}]}";
		calls.add(mallory("ram.amazonaws.com", "AssociateResourceShare", associate.formatted(SIBLING), association.formatted(SIBLING, false)));
		calls.add(mallory("ram.amazonaws.com", "AssociateResourceShare", associate.formatted(FOREIGN), association.formatted(FOREIGN, true)));
		calls.add(mallory("ram.amazonaws.com", "CreateResourceShare", "{\"name\":\"z\"," + subnet + ",\"principals\":[\"arn:aws:organizations::"
				+ SIBLING + ":organization/o-exampleorgid\"]}", "{}"));
		String visibility = "{\"projectArn\":\"arn:aws:codebuild:eu-west-1:" + ScenarioTest.ACCOUNT + ":project/web\",\"projectVisibility\":\"%s\"}";
		calls.add(mallory("codebuild.amazonaws.com", "UpdateProjectVisibility", visibility.formatted("PUBLIC_READ"), "{}"));
		calls.add(mallory("codebuild.amazonaws.com", "UpdateProjectVisibility", visibility.formatted("PRIVATE"), "{}"));
		calls.add(mallory("guardduty.amazonaws.com", "ArchiveFindings", "{\"detectorId\":\"12abc34d\",\"findingIds\":[\"5ab3\",\"77c1\"]}", "{}"));
		calls.add(mallory("guardduty.amazonaws.com", "ArchiveFindings", "{\"detectorId\":\"12abc34d\",\"findingIds\":[\"9f00\"]}", "{}")
				.put("errorCode", "AccessDeniedException"));
		calls.add(mallory("monitoring.amazonaws.com", "DeleteAlarms", "{\"alarmNames\":[\"root-sign-in\"]}", "{}"));
		calls.add(mallory("monitoring.amazonaws.com", "DisableAlarmActions", "{\"alarmNames\":[\"trail-stopped\"]}", "{}"));
		calls.add(mallory("monitoring.amazonaws.com", "EnableAlarmActions", "{\"alarmNames\":[\"trail-stopped\"]}", "{}"));
		calls.add(mallory("bedrock.amazonaws.com", "DeleteGuardrail", "{\"guardrailIdentifier\":\"cmy5azq5koeo\"}", "{}"));
		calls.add(mallory("bedrock.amazonaws.com", "ListGuardrails", "{\"maxResults\":100}", "{}"));
		calls.add(mallory("iam.amazonaws.com", "EnableMFADevice", "{\"userName\":\"dave\",\"serialNumber\":\"arn:aws:iam::"
				+ ScenarioTest.ACCOUNT + ":mfa/dave-2\"}", "{}"));
		calls.add(mallory("iam.amazonaws.com", "EnableMFADevice", "{\"userName\":\"mallory\",\"serialNumber\":\"arn:aws:iam::"
				+ ScenarioTest.ACCOUNT + ":mfa/mallory\"}", "{}"));
		calls.add(mallory("organizations.amazonaws.com", "CreateAccount", "{\"accountName\":\"sandbox-7\",\"email\":\"ops+7@example.com\"}",
				"{\"createAccountStatus\":{\"id\":\"car-4f1a\",\"state\":\"IN_PROGRESS\"}}"));
		// logs and filters that stop reaching the team
		calls.add(mallory("logs.amazonaws.com", "DeleteSubscriptionFilter", "{\"logGroupName\":\"/aws/cloudtrail\",\"filterName\":\"to-siem\"}", "{}"));
		calls.add(mallory("logs.amazonaws.com", "PutRetentionPolicy", "{\"logGroupName\":\"/aws/cloudtrail\",\"retentionInDays\":1}", "{}"));
		calls.add(mallory("logs.amazonaws.com", "PutRetentionPolicy", "{\"logGroupName\":\"/aws/lambda/api\",\"retentionInDays\":365}", "{}"));
		calls.add(mallory("logs.amazonaws.com", "DeleteMetricFilter", "{\"logGroupName\":\"/aws/cloudtrail\",\"filterName\":\"root-use\"}", "{}"));
		calls.add(mallory("route53resolver.amazonaws.com", "DisassociateResolverQueryLogConfig",
				"{\"resolverQueryLogConfigId\":\"rqlc-8ca61fe7c055415a\",\"resourceId\":\"vpc-0abc1234\"}", "{}"));
		calls.add(mallory("guardduty.amazonaws.com", "DeletePublishingDestination", "{\"detectorId\":\"12abc34d\",\"destinationId\":\"a4b1\"}", "{}"));
		calls.add(mallory("wafv2.amazonaws.com", "DeleteWebACL", "{\"name\":\"api-acl\",\"scope\":\"REGIONAL\",\"id\":\"a1b2\"}", "{}"));
		// a key and a function another account may use; the twins: the account's own role, a service
		calls.add(mallory("kms.amazonaws.com", "CreateGrant", "{\"keyId\":\"arn:aws:kms:eu-west-1:" + ScenarioTest.ACCOUNT
				+ ":key/1234abcd\",\"granteePrincipal\":\"arn:aws:iam::" + FOREIGN + ":role/copier\",\"operations\":[\"Decrypt\"]}", "{}"));
		calls.add(mallory("kms.amazonaws.com", "CreateGrant", "{\"keyId\":\"1234abcd\",\"granteePrincipal\":\"arn:aws:iam::"
				+ ScenarioTest.ACCOUNT + ":role/backup\",\"operations\":[\"Decrypt\"]}", "{}"));
		calls.add(mallory("lambda.amazonaws.com", "AddPermission20150331v2", "{\"functionName\":\"billing-api\",\"statementId\":\"x\","
				+ "\"action\":\"lambda:InvokeFunction\",\"principal\":\"" + FOREIGN + "\"}", "{}"));
		calls.add(mallory("lambda.amazonaws.com", "AddPermission20150331v2", "{\"functionName\":\"thumbnails\",\"statementId\":\"s3\","
				+ "\"action\":\"lambda:InvokeFunction\",\"principal\":\"s3.amazonaws.com\",\"sourceAccount\":\"" + ScenarioTest.ACCOUNT + "\"}", "{}"));
		assertEquals(List.of("ModifyDBClusterSnapshotAttribute TA0010 rds-snapshot-shared", "CreateResourceShare TA0010 ram-share-external",
				"AssociateResourceShare TA0010 ram-share-external", "UpdateProjectVisibility TA0010 codebuild-project-public",
				"ArchiveFindings TA0005 guardduty-findings-archived", "DeleteAlarms TA0005 cloudwatch-alarms-silenced",
				"DisableAlarmActions TA0005 cloudwatch-alarms-silenced", "DeleteGuardrail TA0005 bedrock-guardrail-changed",
				"EnableMFADevice TA0003 iam-mfa-device-for-other-user", "CreateAccount TA0003 organizations-account-created",
				"DeleteSubscriptionFilter TA0005 logs-forwarding-cut", "PutRetentionPolicy TA0005 logs-retention-shortened",
				"DeleteMetricFilter TA0005 cloudwatch-alarms-silenced",
				"DisassociateResolverQueryLogConfig TA0005 route53-resolver-delete-query-logging",
				"DeletePublishingDestination TA0005 guardduty-export-stopped", "DeleteWebACL TA0005 waf-disassociated",
				"CreateGrant TA0010 kms-grant-to-another-account", "AddPermission20150331v2 TA0003 lambda-invocable-by-another-account"),
				TamperingAndSharingTest.described(dir, calls, Findings.Signal::tactic));
	}

	/**
	 * Ivan's key, leaked, probes from a VPS, then archives GuardDuty's findings about it, deletes the alarm on
	 * root sign-ins, shares the orders cluster's final snapshot and a subnet with the intruder's account. The same
	 * night grace, on call, archives a finding after looking at it and mutes a noisy alarm from her laptop: one
	 * sequence, ivan's, with none of grace's work.
	 */
	@Test
	void aLeakedKeyThatSharesOutAndSilencesIsOneStory(@TempDir Path dir) throws IOException {
		ArrayNode calls = DeployedCodeTest.probes(events, T, "ivan");
		Instant t = T.plus(20, ChronoUnit.MINUTES);
		calls.add(ivan(t, "guardduty.amazonaws.com", "ArchiveFindings", "{\"detectorId\":\"12abc34d\",\"findingIds\":[\"5ab3\",\"77c1\"]}", "{}"));
		calls.add(ivan(t.plusSeconds(30), "monitoring.amazonaws.com", "DeleteAlarms", "{\"alarmNames\":[\"root-sign-in\"]}", "{}"));
		calls.add(ivan(t.plusSeconds(90), "rds.amazonaws.com", "ModifyDBClusterSnapshotAttribute",
				"{\"dBClusterSnapshotIdentifier\":\"orders-final\",\"attributeName\":\"restore\",\"valuesToAdd\":[\"" + FOREIGN + "\"]}", "{}"));
		calls.add(ivan(t.plusSeconds(150), "ram.amazonaws.com", "CreateResourceShare", "{\"name\":\"net\",\"resourceArns\":[\"arn:aws:ec2:eu-west-1:"
				+ ScenarioTest.ACCOUNT + ":subnet/subnet-0a1b2c3d\"],\"principals\":[\"" + FOREIGN + "\"]}", "{}"));
		String laptop = "aws-cli/2.17.0 md/awscrt#0.20.11 ua/2.0 os/macos#23.5.0 md/arch#arm64 lang/python#3.11.9";
		for (int i = 0; i < 6; i++) {
			calls.add(events.call(t.plus(10L * i, ChronoUnit.MINUTES), "guardduty.amazonaws.com", "GetFindings", ScenarioTest.user("grace"),
					"198.51.100.20", laptop));
		}
		calls.add(events.call(t.plus(61, ChronoUnit.MINUTES), "guardduty.amazonaws.com", "ArchiveFindings", ScenarioTest.user("grace"),
				"198.51.100.20", laptop, r -> r.put("detectorId", "12abc34d").putArray("findingIds").add("a001")));
		calls.add(events.call(t.plus(63, ChronoUnit.MINUTES), "monitoring.amazonaws.com", "DisableAlarmActions", ScenarioTest.user("grace"),
				"198.51.100.20", laptop, r -> r.putArray("alarmNames").add("batch-latency")));
		try (EvidenceStore store = ScenarioTest.reasoned(dir, ScenarioTest.trail(dir, calls))) {
			Findings.Sequence q = ScenarioTest.onlySequence(store);
			assertEquals("ivan", q.actorLabel());
			assertEquals(List.of("access-denied-burst", "guardduty-findings-archived", "cloudwatch-alarms-silenced", "rds-snapshot-shared",
					"ram-share-external"), q.members().stream().map(s -> s.detector().substring(s.detector().lastIndexOf('/') + 1)).toList());
		}
	}

	private ObjectNode mallory(String source, String name, String request, String response) throws IOException {
		return ivanOrMallory("mallory", T.plus(minute++, ChronoUnit.MINUTES), source, name, request, response);
	}

	private ObjectNode ivan(Instant t, String source, String name, String request, String response) throws IOException {
		return ivanOrMallory("ivan", t, source, name, request, response);
	}

	private ObjectNode ivanOrMallory(String who, Instant t, String source, String name, String request, String response) throws IOException {
		ObjectNode e = events.call(t, source, name, ScenarioTest.user(who), DeployedCodeTest.VPS, DeployedCodeTest.BOTO);
		e.set("requestParameters", ScenarioTest.JSON.readTree(request));
		e.set("responseElements", ScenarioTest.JSON.readTree(response));
		return e;
	}
}
