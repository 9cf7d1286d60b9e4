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

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.loupe.core.reason.Findings;
import dev.loupe.core.store.EvidenceStore;

/**
 * A Pacu run in the noisy account, module by module, with the user agent Pacu sets in place of its own (one of
 * its list, a Windows CLI): iam__enum_permissions and iam__privesc_scan (refused probes, then an administrator
 * version of a policy the key's user holds), iam__backdoor_users_keys (a key for another user),
 * lambda__backdoor_new_roles (a function with an IAM role, an event rule on role creation to run it) and
 * detection__disruption (GuardDuty switched off). One sequence, the key's user's, every module in it and none of
 * the account's three days of background.
 */
class PacuRunTest {
	static final ObjectNode KEY = NoisyAccount.iamUser("svc-reporting", "AKIASVCREPORTING0001");
	static final Instant RUN = NoisyAccount.START.plus(2, ChronoUnit.DAYS).plus(19, ChronoUnit.HOURS);
	static final String VPS = "45.133.1.20";
	static final String PACU_UA = "aws-cli/1.16.145 Python/3.6.7 Windows/10 botocore/1.12.135";

	@Test
	void aPacuRunIsOneSequenceOfItsModules(@TempDir Path dir) throws IOException {
		try (EvidenceStore store = ScenarioTest.reasoned(dir, NoisyAccount.quiet().writeTrail(dir), run(dir))) {
			List<Findings.Sequence> sequences = new Findings(store).sequences("en");
			assertEquals(List.of("svc-reporting"), sequences.stream().map(Findings.Sequence::actorLabel).toList(), sequences.toString());
			Findings.Sequence q = sequences.get(0);
			assertEquals(List.of("access-denied-burst", "iam-policy-version-admin", "iam-access-key-for-other-user", "eventbridge-iam-trigger",
					"guardduty-detector-disabled"), q.members().stream().map(PacuRunTest::detector).toList());
			assertTrue(q.members().stream().allMatch(m -> m.actorLabel().equals("svc-reporting")), q.members().toString());
			assertEquals(List.of("TA0003", "TA0004", "TA0005", "TA0007"), q.tactics().stream().sorted().toList());
		}
	}

	private static Path run(Path dir) throws IOException {
		NoisyAccount a = new NoisyAccount();
		String[] probes = { "ListRoles", "ListUsers", "ListPolicies", "GetAccountAuthorizationDetails", "ListGroups", "ListInstanceProfiles",
				"GetRole", "ListRolePolicies", "ListAttachedRolePolicies", "GetLoginProfile", "ListAccessKeys", "ListMFADevices" };
		a.call(RUN, "sts.amazonaws.com", "GetCallerIdentity", KEY, VPS, PACU_UA);
		a.call(RUN.plusSeconds(2), "iam.amazonaws.com", "GetUser", KEY, VPS, PACU_UA);
		NoisyAccount.params(a.call(RUN.plusSeconds(3), "iam.amazonaws.com", "ListAttachedUserPolicies", KEY, VPS, PACU_UA))
				.put("userName", "svc-reporting");
		for (int i = 0; i < probes.length; i++) {
			a.denied(a.call(RUN.plusSeconds(5 + 2L * i), "iam.amazonaws.com", probes[i], KEY, VPS, PACU_UA));
		}
		Instant t = RUN.plus(3, ChronoUnit.MINUTES);
		NoisyAccount.params(a.call(t, "iam.amazonaws.com", "CreatePolicyVersion", KEY, VPS, PACU_UA))
				.put("policyArn", "arn:aws:iam::" + NoisyAccount.ACCOUNT + ":policy/reporting-read").put("setAsDefault", true)
				.put("policyDocument", "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}]}");
		NoisyAccount.params(a.call(t.plusSeconds(40), "iam.amazonaws.com", "CreateAccessKey", KEY, VPS, PACU_UA)).put("userName", "erin");
		ObjectNode fn = a.call(t.plusSeconds(90), "lambda.amazonaws.com", "CreateFunction20150331", KEY, VPS, PACU_UA);
		String role = "arn:aws:iam::" + NoisyAccount.ACCOUNT + ":role/lambda-admin";
		NoisyAccount.params(fn).put("functionName", "pacu-role-sync").put("role", role).put("runtime", "python3.12");
		fn.putObject("responseElements").put("functionName", "pacu-role-sync").put("role", role);
		NoisyAccount.params(a.call(t.plusSeconds(95), "events.amazonaws.com", "PutRule", KEY, VPS, PACU_UA)).put("name", "pacu-role-sync")
				.put("eventPattern", BackdoorsTest.PATTERN).put("state", "ENABLED");
		NoisyAccount.params(a.call(t.plusSeconds(96), "events.amazonaws.com", "PutTargets", KEY, VPS, PACU_UA)).put("rule", "pacu-role-sync");
		NoisyAccount.params(a.call(t.plusSeconds(97), "lambda.amazonaws.com", "AddPermission20150331v2", KEY, VPS, PACU_UA))
				.put("functionName", "pacu-role-sync").put("principal", "events.amazonaws.com").put("action", "lambda:InvokeFunction");
		NoisyAccount.params(a.call(t.plus(2, ChronoUnit.MINUTES), "guardduty.amazonaws.com", "UpdateDetector", KEY, VPS, PACU_UA))
				.put("detectorId", "12abc34d567e8fa901bc2d34e56789f0").put("enable", false);
		return a.writeTrail(dir, "pacu.json");
	}

	private static String detector(Findings.Signal s) {
		return s.detector().substring(s.detector().lastIndexOf('/') + 1);
	}
}
