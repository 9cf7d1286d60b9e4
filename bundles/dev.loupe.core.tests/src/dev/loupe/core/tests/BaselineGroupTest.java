package dev.loupe.core.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.loupe.core.reason.Findings;
import dev.loupe.core.store.EvidenceStore;

/**
 * Three administrators sign in through IAM Identity Center to one role and read secrets now and then: together,
 * eight different hours over more than a day, each of them two or three. An intruder in one administrator's
 * session reads a secret and makes a key for another user. Pooled by role, the secret read was routine and only
 * one tactic was left; a person's session is its own baseline, so the intrusion is a sequence, and what is new in
 * it is new for that person.
 */
class BaselineGroupTest {
	private static final String ROLE = "AWSReservedSSO_AdministratorAccess_0123456789abcdef";
	private final ScenarioTest events = new ScenarioTest();

	@Test
	void aPersonsSessionIsItsOwnBaseline(@TempDir Path dir) throws IOException {
		Instant start = Instant.parse("2025-06-02T00:00:00Z");
		String laptop = "aws-cli/2.17.0 Python/3.12 Darwin/24.0";
		ArrayNode calls = ScenarioTest.JSON.createArrayNode();
		Map<String, List<Integer>> hours = Map.of("alice@example.com", List.of(1, 9, 17), "bob@example.com", List.of(3, 11, 26),
				"erin@example.com", List.of(5, 14));
		hours.forEach((who, at) -> at.forEach(h -> calls.add(events.call(start.plus(h, ChronoUnit.HOURS), "secretsmanager.amazonaws.com",
				"GetSecretValue", sso(who), "198.51.100.20", laptop))));
		Instant attack = start.plus(44, ChronoUnit.HOURS);
		String tool = "aws-cli/2.13.1 Python/3.11 Linux/6.5 exe/x86_64.ubuntu.22";
		calls.add(events.call(attack, "secretsmanager.amazonaws.com", "GetSecretValue", sso("erin@example.com"), "203.0.113.99", tool));
		ObjectNode key = events.call(attack.plus(3, ChronoUnit.MINUTES), "iam.amazonaws.com", "CreateAccessKey", sso("erin@example.com"),
				"203.0.113.99", tool);
		((ObjectNode) key.get("requestParameters")).put("userName", "svc-backup");
		calls.add(key);
		try (EvidenceStore store = ScenarioTest.reasoned(dir, ScenarioTest.trail(dir, calls))) {
			List<Findings.Signal> signals = new Findings(store).signals("en");
			assertEquals(10, signals.size(), signals.toString());
			assertFalse(signals.stream().anyMatch(Findings.Signal::routine), "no administrator reads secrets routinely");
			List<Findings.Sequence> sequences = new Findings(store).sequences("en");
			assertEquals(1, sequences.size(), sequences.toString());
			Findings.Sequence q = sequences.get(0);
			assertEquals(List.of("GetSecretValue", "CreateAccessKey"), q.members().stream().map(Findings.Signal::eventName).toList());
			assertEquals(ROLE + "/erin@example.com", q.actorLabel());
			// against erin's own first day, not everyone's: the client and the address are new
			assertTrue(q.members().get(0).newlyObserved().containsAll(List.of("address", "user-agent")), q.members().get(0).toString());
		}
	}

	private static ObjectNode sso(String user) {
		ObjectNode id = ScenarioTest.roleSession(ROLE, user);
		// Identity Center's roles live under a path of their own
		((ObjectNode) id.path("sessionContext").path("sessionIssuer")).put("arn",
				"arn:aws:iam::" + ScenarioTest.ACCOUNT + ":role/aws-reserved/sso.amazonaws.com/" + ROLE);
		return id;
	}
}
