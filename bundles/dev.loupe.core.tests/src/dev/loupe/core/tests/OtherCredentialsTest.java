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
 * Ways back in besides keys and passwords, in the request shapes IAM's CloudTrail records have: a Bedrock API key
 * (a service-specific credential), an SSH key for another user, an OpenID Connect provider the intruder controls.
 * Each is a signal; with the secret read before them they are one sequence, and the SSH key given to another
 * user meets that user's own use.
 */
class OtherCredentialsTest {
	static final String VPS = "203.0.113.140";
	static final String CLI = "aws-cli/2.27.0 md/awscrt#0.26.1 ua/2.1 os/linux#6.8.0-60-generic md/arch#x86_64 lang/python#3.13.3 md/command#";
	private final ScenarioTest events = new ScenarioTest();

	@Test
	void otherCredentialsAreWaysBackIn(@TempDir Path dir) throws IOException {
		Instant t = Instant.parse("2025-11-10T02:00:00Z");
		ObjectNode dana = ScenarioTest.user("dev-dana");
		ArrayNode calls = ScenarioTest.JSON.createArrayNode();
		calls.add(events.call(t, "secretsmanager.amazonaws.com", "GetSecretValue", dana, VPS, CLI + "secretsmanager.get-secret-value",
				p -> p.put("secretId", "prod/openai")));
		calls.add(events.call(t.plusSeconds(60), "iam.amazonaws.com", "CreateServiceSpecificCredential", dana, VPS,
				CLI + "iam.create-service-specific-credential",
				p -> p.put("userName", "dev-dana").put("serviceName", "bedrock.amazonaws.com").put("credentialAgeDays", 90)));
		calls.add(events.call(t.plusSeconds(120), "iam.amazonaws.com", "UploadSSHPublicKey", dana, VPS, CLI + "iam.upload-ssh-public-key",
				p -> p.put("userName", "ci-bot").put("sSHPublicKeyBody", "ssh-rsa AAAAB3NzaC1yc2E...")));
		calls.add(events.call(t.plusSeconds(180), "iam.amazonaws.com", "CreateOpenIDConnectProvider", dana, VPS,
				CLI + "iam.create-open-id-connect-provider",
				p -> p.put("url", "https://token.example-ci.net").putArray("clientIDList").add("sts.amazonaws.com")));
		// ci-bot's own use the next morning, from elsewhere: the SSH key given to it meets it
		calls.add(events.call(t.plusSeconds(6 * 3600), "secretsmanager.amazonaws.com", "GetSecretValue", ScenarioTest.user("ci-bot"),
				"198.51.100.201", "git/2.43.0", p -> p.put("secretId", "prod/deploy-token")));
		try (EvidenceStore store = ScenarioTest.reasoned(dir, ScenarioTest.trail(dir, calls))) {
			Findings.Sequence q = ScenarioTest.onlySequence(store);
			assertEquals("dev-dana", q.actorLabel());
			assertEquals(List.of("secret-retrieved", "iam-other-credentials-created", "iam-other-credentials-created", "iam-oidc-provider-changed",
					"secret-retrieved"), q.members().stream().map(m -> m.detector().substring(m.detector().lastIndexOf('/') + 1)).toList());
			assertEquals(List.of("TA0003", "TA0006"), q.tactics());
		}
	}
}
