package dev.loupe.core.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
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
 * Policies that make their holder an administrator without saying "*": every IAM action (the holder grants itself
 * the rest), every action but a few that leave IAM's in, AWS's IAMFullAccess. Power-user policies that leave IAM
 * out, and IAM reads, do not.
 */
class AdminEquivalentPolicyTest {
	static final Instant T = Instant.parse("2025-11-12T14:00:00Z");
	private final ScenarioTest events = new ScenarioTest();

	@Test
	void policiesThatLetTheirHolderGrantItselfAnythingAreAdministrators(@TempDir Path dir) throws IOException {
		ArrayNode calls = ScenarioTest.JSON.createArrayNode();
		calls.add(inline(0, "PutUserPolicy", "\"Action\":\"iam:*\""));
		calls.add(inline(1, "PutRolePolicy", "\"NotAction\":[\"s3:DeleteBucket\",\"organizations:LeaveOrganization\"]"));
		calls.add(inline(2, "PutUserPolicy", "\"NotAction\":[\"iam:*\",\"organizations:*\"]"));
		calls.add(inline(3, "PutUserPolicy", "\"Action\":[\"iam:Get*\",\"iam:List*\"]"));
		ObjectNode attach = events.call(T.plusSeconds(40), "iam.amazonaws.com", "AttachUserPolicy", ScenarioTest.user("gina"), "203.0.113.7", "aws-cli/2.17.0");
		((ObjectNode) attach.get("requestParameters")).put("userName", "gina").put("policyArn", "arn:aws:iam::aws:policy/IAMFullAccess");
		calls.add(attach);
		try (EvidenceStore store = ScenarioTest.reasoned(dir, ScenarioTest.trail(dir, calls))) {
			List<String> signalled = new Findings(store).signals("en").stream()
					.map(s -> s.eventName() + " " + s.detector().substring(s.detector().lastIndexOf('/') + 1)).toList();
			assertEquals(List.of("PutUserPolicy iam-admin-policy-to-user", "PutRolePolicy iam-admin-policy-to-role",
					"AttachUserPolicy iam-admin-policy-to-user"), signalled);
		}
	}

	private ObjectNode inline(int i, String name, String actions) {
		ObjectNode e = events.call(T.plusSeconds(10L * i), "iam.amazonaws.com", name, ScenarioTest.user("gina"), "203.0.113.7", "aws-cli/2.17.0");
		((ObjectNode) e.get("requestParameters")).put(name.contains("Role") ? "roleName" : "userName", "target-" + i).put("policyName", "p" + i)
				.put("policyDocument", "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\"," + actions + ",\"Resource\":\"*\"}]}");
		return e;
	}
}
