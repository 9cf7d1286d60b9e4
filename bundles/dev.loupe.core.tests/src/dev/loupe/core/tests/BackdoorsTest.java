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
 * Ways back in as Pacu's backdoor modules set them up: a function that gives every new role a trust in the
 * intruder's account, run by an event rule on role creation, and a function URL anyone may call; and an SSH key
 * on a Glue development endpoint; a function's layer from another account.
 */
class BackdoorsTest {
	static final String ACCOUNT = ScenarioTest.ACCOUNT;
	static final Instant T = Instant.parse("2025-11-10T22:00:00Z");
	static final String PATTERN = "{\"source\":[\"aws.iam\"],\"detail-type\":[\"AWS API Call via CloudTrail\"],"
			+ "\"detail\":{\"eventSource\":[\"iam.amazonaws.com\"],\"eventName\":[\"CreateRole\"]}}";
	private final ScenarioTest events = new ScenarioTest();

	/**
	 * Erin's leaked key probes IAM, deploys the function, routes role creation to it and opens its URL. Hours later
	 * frank, an administrator, creates a role; the function gives it a trust in another account. One sequence,
	 * erin's, with the function's change in it; frank's role is not part of it.
	 */
	@Test
	void aRoleCreationTriggerIsTheIntrudersStory(@TempDir Path dir) throws IOException {
		ArrayNode calls = DeployedCodeTest.probes(events, T, "erin");
		ObjectNode fn = erin(T.plus(10, ChronoUnit.MINUTES), "lambda.amazonaws.com", "CreateFunction20150331");
		((ObjectNode) fn.get("requestParameters")).put("functionName", "role-sync").put("role", "arn:aws:iam::" + ACCOUNT + ":role/lambda-iam");
		fn.putObject("responseElements").put("functionName", "role-sync").put("role", "arn:aws:iam::" + ACCOUNT + ":role/lambda-iam");
		ObjectNode rule = erin(T.plus(11, ChronoUnit.MINUTES), "events.amazonaws.com", "PutRule");
		((ObjectNode) rule.get("requestParameters")).put("name", "role-sync").put("eventPattern", PATTERN).put("state", "ENABLED");
		ObjectNode targets = erin(T.plus(11, ChronoUnit.MINUTES).plusSeconds(5), "events.amazonaws.com", "PutTargets");
		((ObjectNode) targets.get("requestParameters")).put("rule", "role-sync").putArray("targets").addObject().put("id", "1")
				.put("arn", "arn:aws:lambda:eu-west-1:" + ACCOUNT + ":function:role-sync");
		ObjectNode url = erin(T.plus(12, ChronoUnit.MINUTES), "lambda.amazonaws.com", "CreateFunctionUrlConfig20211031");
		((ObjectNode) url.get("requestParameters")).put("functionName", "role-sync").put("authType", "NONE");
		calls.add(fn).add(rule).add(targets).add(url);
		Instant later = T.plus(3, ChronoUnit.HOURS);
		ObjectNode role = events.call(later, "iam.amazonaws.com", "CreateRole", ScenarioTest.user("frank"), "198.51.100.20",
				"aws-cli/2.17.0 md/awscrt#0.20.11 ua/2.0 os/macos#23.5.0 md/arch#arm64 lang/python#3.11.9");
		((ObjectNode) role.get("requestParameters")).put("roleName", "reporting");
		ObjectNode trust = events.call(later.plusSeconds(4), "iam.amazonaws.com", "UpdateAssumeRolePolicy",
				ScenarioTest.roleSession("lambda-iam", "role-sync"), "3.250.10.21", "Boto3/1.34.0 exec-env/AWS_Lambda_python3.12");
		((ObjectNode) trust.get("requestParameters")).put("roleName", "reporting").put("policyDocument",
				"{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::999988887777:root\"},\"Action\":\"sts:AssumeRole\"}]}");
		calls.add(role).add(trust);
		try (EvidenceStore store = ScenarioTest.reasoned(dir, ScenarioTest.trail(dir, calls))) {
			Findings.Sequence q = ScenarioTest.onlySequence(store);
			assertEquals("erin", q.actorLabel());
			assertEquals(List.of("access-denied-burst", "eventbridge-iam-trigger", "lambda-url-public", "iam-role-trust-changed"),
					q.members().stream().map(BackdoorsTest::detector).toList());
		}
	}

	/** The security team's own rule on the same events, deployed by Terraform: automation's, no sequence. */
	@Test
	void aWatchRuleFromTerraformIsNoStory(@TempDir Path dir) throws IOException {
		ArrayNode calls = ScenarioTest.JSON.createArrayNode();
		ObjectNode rule = events.call(T, "events.amazonaws.com", "PutRule", ScenarioTest.terraformSession(3), "192.0.2.90",
				"APN/1.0 HashiCorp/1.0 Terraform/1.9.8 (+https://www.terraform.io) terraform-provider-aws/5.80.0");
		((ObjectNode) rule.get("requestParameters")).put("name", "alert-on-new-roles").put("eventPattern", PATTERN);
		calls.add(rule);
		try (EvidenceStore store = ScenarioTest.reasoned(dir, ScenarioTest.trail(dir, calls))) {
			assertEquals(List.of(), new Findings(store).sequences("en"));
			assertEquals(List.of("eventbridge-iam-trigger"), new Findings(store).signals("en").stream().map(BackdoorsTest::detector).toList());
		}
	}

	/** A development endpoint given a key is a signal; one made without a key, or a rule on other events, is none. */
	@Test
	void anSshKeyOnAGlueEndpointIsASignal(@TempDir Path dir) throws IOException {
		ArrayNode calls = ScenarioTest.JSON.createArrayNode();
		ObjectNode plain = erin(T, "glue.amazonaws.com", "CreateDevEndpoint");
		((ObjectNode) plain.get("requestParameters")).put("endpointName", "etl-dev").put("roleArn", "arn:aws:iam::" + ACCOUNT + ":role/glue-dev");
		ObjectNode key = erin(T.plusSeconds(60), "glue.amazonaws.com", "UpdateDevEndpoint");
		((ObjectNode) key.get("requestParameters")).put("endpointName", "etl-dev").put("publicKey", "ssh-rsa AAAAB3NzaC1yc2E erin@kali");
		ObjectNode other = erin(T.plusSeconds(90), "events.amazonaws.com", "PutRule");
		((ObjectNode) other.get("requestParameters")).put("name", "nightly").put("scheduleExpression", "cron(0 3 * * ? *)");
		calls.add(plain).add(key).add(other);
		try (EvidenceStore store = ScenarioTest.reasoned(dir, ScenarioTest.trail(dir, calls))) {
			List<Findings.Signal> signals = new Findings(store).signals("en");
			assertEquals(List.of("glue-dev-endpoint-ssh-key"), signals.stream().map(BackdoorsTest::detector).toList());
			assertEquals(List.of("T1098.004", "TA0004"), List.of(signals.get(0).technique(), signals.get(0).tactic()));
		}
	}

	/**
	 * A function given a layer another account published (the request names it by ARN, the response as an object)
	 * is a way back in; a layer of the account's own is an everyday configuration change.
	 */
	@Test
	void aLayerFromAnotherAccountIsAWayBackIn(@TempDir Path dir) throws IOException {
		ArrayNode calls = ScenarioTest.JSON.createArrayNode();
		String foreign = "arn:aws:lambda:eu-west-1:999988887777:layer:requests-extra:3";
		String own = "arn:aws:lambda:eu-west-1:" + ACCOUNT + ":layer:shared-utils:12";
		ObjectNode backdoor = erin(T, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2");
		((ObjectNode) backdoor.get("requestParameters")).put("functionName", "billing-api").putArray("layers").add(own).add(foreign);
		ObjectNode everyday = erin(T.plusSeconds(60), "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2");
		((ObjectNode) everyday.get("requestParameters")).put("functionName", "billing-api");
		everyday.putObject("responseElements").putArray("layers").addObject().put("arn", own).put("codeSize", 4096);
		calls.add(backdoor).add(everyday);
		try (EvidenceStore store = ScenarioTest.reasoned(dir, ScenarioTest.trail(dir, calls))) {
			assertEquals(List.of("lambda-configuration-changed", "lambda-foreign-layer", "lambda-configuration-changed"),
					new Findings(store).signals("en").stream().map(BackdoorsTest::detector).toList());
		}
	}

	private ObjectNode erin(Instant t, String source, String name) {
		return events.call(t, source, name, ScenarioTest.user("erin"), DeployedCodeTest.VPS, DeployedCodeTest.BOTO);
	}

	private static String detector(Findings.Signal s) {
		return s.detector().substring(s.detector().lastIndexOf('/') + 1);
	}
}
