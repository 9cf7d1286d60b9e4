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
 * A federation token outlives the key that asked for it, which is why intruders make one: what its federated user
 * does is the story of the user that made it. CloudTrail names that user as the federated user's session issuer,
 * and GetFederationToken's response names the federated user and its key.
 */
class FederationTokenTest {
	static final String ACCOUNT = ScenarioTest.ACCOUNT;
	private final ScenarioTest events = new ScenarioTest();

	/** Stratus Red Team's recording: the token's federated user is the IAM user's. */
	@Test
	void theRecordingsFederatedUserIsTheUsers(@TempDir Path dir) throws IOException {
		try (EvidenceStore store = ScenarioTest.reasoned(dir, Fixtures.stratus("aws.persistence.sts-federation-token"))) {
			assertEquals(List.of("arn:aws:iam::742491224508:user/stratus-red-team-user-federation-user"), GuardDutyTest.select(store, "by",
					"<urn:loupe:arn:aws:sts::742491224508:federated-user/stratus_red_team> loupe:assumedBy/loupe:arn ?by"));
			assertEquals(List.of("urn:loupe:arn:aws:sts::742491224508:federated-user/stratus_red_team"), GuardDutyTest.select(store, "u",
					"?k loupe:accessKeyId \"ASIASTJKC5GCM7ZE6LUP\" ; loupe:keyOf ?u"));
		}
	}

	/**
	 * Erin's leaked key asks for a federation token from one server; from another, the token's holder makes a user,
	 * an administrator of it, and a key for it. One sequence, named for erin, linked by her identity.
	 */
	@Test
	void whatTheTokenDoesIsTheStoryOfWhoeverMadeIt(@TempDir Path dir) throws IOException {
		Instant t = Instant.parse("2025-09-02T01:15:00Z");
		String boto = "Boto3/1.34.84 md/Botocore#1.34.84 ua/2.0 os/linux#6.5.0-21-generic md/arch#x86_64 lang/python#3.11.8";
		ArrayNode calls = ScenarioTest.JSON.createArrayNode();
		ObjectNode token = events.call(t, "sts.amazonaws.com", "GetFederationToken", ScenarioTest.user("erin"), "203.0.113.71", boto);
		((ObjectNode) token.get("requestParameters")).put("name", "sync").put("durationSeconds", 129600);
		ObjectNode response = token.putObject("responseElements");
		response.putObject("credentials").put("accessKeyId", "ASIAFEDERATED0000001").put("expiration", "Sep 3, 2025, 1:15:00 PM");
		response.putObject("federatedUser").put("arn", "arn:aws:sts::" + ACCOUNT + ":federated-user/sync")
				.put("federatedUserId", ACCOUNT + ":sync");
		calls.add(token);
		ObjectNode fed = ScenarioTest.JSON.createObjectNode().put("type", "FederatedUser").put("principalId", ACCOUNT + ":sync")
				.put("arn", "arn:aws:sts::" + ACCOUNT + ":federated-user/sync").put("accountId", ACCOUNT).put("accessKeyId", "ASIAFEDERATED0000001");
		fed.putObject("sessionContext").putObject("sessionIssuer").put("type", "IAMUser").put("principalId", "AIDAERIN")
				.put("arn", "arn:aws:iam::" + ACCOUNT + ":user/erin").put("accountId", ACCOUNT).put("userName", "erin");
		String cli = "aws-cli/2.15.30 Python/3.11.8 Linux/6.1.0 exe/x86_64.debian.12 prompt/off";
		Instant later = t.plus(5, ChronoUnit.HOURS);
		ObjectNode create = events.call(later, "iam.amazonaws.com", "CreateUser", fed, "198.51.100.140", cli);
		((ObjectNode) create.get("requestParameters")).put("userName", "svc-sync");
		calls.add(create);
		ObjectNode admin = events.call(later.plusSeconds(30), "iam.amazonaws.com", "AttachUserPolicy", fed, "198.51.100.140", cli);
		((ObjectNode) admin.get("requestParameters")).put("userName", "svc-sync").put("policyArn", "arn:aws:iam::aws:policy/AdministratorAccess");
		calls.add(admin);
		try (EvidenceStore store = ScenarioTest.reasoned(dir, ScenarioTest.trail(dir, calls))) {
			Findings.Sequence q = ScenarioTest.onlySequence(store);
			assertEquals("erin", q.actorLabel());
			assertEquals(List.of("GetFederationToken", "CreateUser", "AttachUserPolicy"), q.members().stream().map(Findings.Signal::eventName).toList());
			assertEquals("https://w3id.org/loupe/ontology#identityKey", q.links().get(0).kind());
		}
	}
}
