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

import dev.loupe.core.ingest.UserAgents;
import dev.loupe.core.reason.Findings;
import dev.loupe.core.store.EvidenceStore;

/**
 * The AWS CLI v2 and the SDKs put the command or service of each call into their user agent: one client is one
 * user agent only once that is taken out. The user agents are the shapes real clients send (those of the public
 * datasets: the CLI on macOS and in CloudShell, the Go SDK v2, Terraform's provider, S3's brackets).
 */
class ClientUserAgentTest {
	static final String CLI = "aws-cli/2.15.59 md/awscrt#0.19.19 ua/2.0 os/linux#6.8.0-45-generic md/arch#x86_64 lang/python#3.11.11 "
			+ "md/pyimpl#CPython cfg/retry-mode#standard md/installer#exe md/distrib#ubuntu.24 md/prompt#off md/command#";
	static final String MAC = "aws-cli/2.15.59 md/awscrt#0.19.19 ua/2.0 os/macos#22.6.0 md/arch#arm64 lang/python#3.11.11 "
			+ "md/pyimpl#CPython cfg/retry-mode#standard md/installer#source md/prompt#off md/command#";
	static final String VPS = "203.0.113.61";
	private final ScenarioTest events = new ScenarioTest();

	@Test
	void theCallsOfOneClientShareItsUserAgent() {
		assertEquals(UserAgents.client(MAC + "sts.get-caller-identity"), UserAgents.client(MAC + "lambda.list-functions"));
		assertEquals("aws-cli/2.15.59 md/awscrt#0.19.19 ua/2.0 os/macos#22.6.0 md/arch#arm64 lang/python#3.11.11 md/pyimpl#CPython "
				+ "cfg/retry-mode#standard md/installer#source md/prompt#off", UserAgents.client(MAC + "sts.get-caller-identity"));
		assertEquals("aws-cli/2.13.5 Python/3.11.4 Linux/4.14.255-314-253.539.amzn2.x86_64 exec-env/CloudShell exe/x86_64.amzn.2 prompt/off",
				UserAgents.client("aws-cli/2.13.5 Python/3.11.4 Linux/4.14.255-314-253.539.amzn2.x86_64 exec-env/CloudShell "
						+ "exe/x86_64.amzn.2 prompt/off command/ec2.stop-instances"));
		assertEquals("aws-sdk-go-v2/1.14.0 os/macos lang/go/1.17.6 md/GOOS/darwin md/GOARCH/arm64",
				UserAgents.client("aws-sdk-go-v2/1.14.0 os/macos lang/go/1.17.6 md/GOOS/darwin md/GOARCH/arm64 api/iam/1.17.0"));
		String terraform = "APN/1.0 HashiCorp/1.0 Terraform/1.9.8 (+https://www.terraform.io) terraform-provider-aws/5.80.0 "
				+ "(+https://registry.terraform.io/providers/hashicorp/aws) aws-sdk-go-v2/1.32.5 ua/2.1 os/linux lang/go#1.23.3 "
				+ "md/GOOS#linux md/GOARCH#amd64 ";
		assertEquals(UserAgents.client(terraform + "api/ec2#1.193.0 m/C,g"), UserAgents.client(terraform + "api/iam#1.38.1 m/g"));
		assertEquals(UserAgents.client(CLI + "s3.cp"), UserAgents.client("[" + CLI + "s3.cp m/E,N,b,Z sid/4c55b1738b6d]"),
				"S3's data events wrap the user agent in brackets");
		assertEquals("AWS Internal", UserAgents.client("AWS Internal"));
		assertEquals("S3Console/0.4, aws-internal/3 aws-sdk-java/1.12.488", UserAgents.client("[S3Console/0.4, aws-internal/3 aws-sdk-java/1.12.488]"));
	}

	/**
	 * Two keys stolen from one place and used from one VPS with the CLI, a command each: a secret read with one, a
	 * key made for another user with the other. The same client (address and user agent) links them into one
	 * sequence, whose context holds what the intruder listed in between with either key.
	 */
	@Test
	void twoKeysUsedFromOneClientAreOneStory(@TempDir Path dir) throws IOException {
		Instant t = Instant.parse("2025-07-08T02:10:00Z");
		ArrayNode calls = ScenarioTest.JSON.createArrayNode();
		calls.add(events.call(t, "secretsmanager.amazonaws.com", "ListSecrets", ScenarioTest.user("ci-reader"), VPS,
				CLI + "secretsmanager.list-secrets"));
		ObjectNode secret = events.call(t.plusSeconds(40), "secretsmanager.amazonaws.com", "GetSecretValue", ScenarioTest.user("ci-reader"),
				VPS, CLI + "secretsmanager.get-secret-value");
		((ObjectNode) secret.get("requestParameters")).put("secretId", "prod/db");
		calls.add(secret);
		calls.add(events.call(t.plus(9, ChronoUnit.MINUTES), "iam.amazonaws.com", "ListUsers", ScenarioTest.user("dev-dana"), VPS,
				CLI + "iam.list-users"));
		ObjectNode key = events.call(t.plus(11, ChronoUnit.MINUTES), "iam.amazonaws.com", "CreateAccessKey", ScenarioTest.user("dev-dana"),
				VPS, CLI + "iam.create-access-key");
		((ObjectNode) key.get("requestParameters")).put("userName", "backup-admin");
		calls.add(key);
		try (EvidenceStore store = ScenarioTest.reasoned(dir, ScenarioTest.trail(dir, calls))) {
			Findings.Sequence q = ScenarioTest.onlySequence(store);
			assertEquals(List.of("GetSecretValue", "CreateAccessKey"), q.members().stream().map(Findings.Signal::eventName).toList());
			assertTrue(q.links().get(0).kind().endsWith("#endpointKey"), q.links().toString());
			assertEquals(List.of("ListSecrets", "ListUsers"), q.context().stream().map(Findings.ContextEvent::eventName).toList());
		}
	}

	/**
	 * Alice runs the CLI from the office every working day, a few commands each time; on the third day she reads a
	 * secret, a command she had never run. Her client is not new to her, so the read is her everyday work.
	 */
	@Test
	void aCommandNeverRunBeforeIsNoNewClient(@TempDir Path dir) throws IOException {
		Instant day = Instant.parse("2025-07-07T09:00:00Z");
		String[] commands = { "ec2.describe-instances", "s3.ls", "logs.tail", "ecs.describe-services" };
		ArrayNode calls = ScenarioTest.JSON.createArrayNode();
		for (int d = 0; d < 3; d++) {
			for (int i = 0; i < commands.length; i++) {
				calls.add(events.call(day.plus(d, ChronoUnit.DAYS).plus(i, ChronoUnit.HOURS), "ec2.amazonaws.com", "DescribeInstances",
						ScenarioTest.user("alice"), "198.51.100.20", MAC + commands[i]));
			}
		}
		ObjectNode read = events.call(day.plus(2, ChronoUnit.DAYS).plus(5, ChronoUnit.HOURS), "secretsmanager.amazonaws.com", "GetSecretValue",
				ScenarioTest.user("alice"), "198.51.100.20", MAC + "secretsmanager.get-secret-value");
		((ObjectNode) read.get("requestParameters")).put("secretId", "staging/api-key");
		calls.add(read);
		try (EvidenceStore store = ScenarioTest.reasoned(dir, ScenarioTest.trail(dir, calls))) {
			Findings.Signal s = new Findings(store).signals("en").stream().filter(x -> "GetSecretValue".equals(x.eventName())).findFirst()
					.orElseThrow();
			assertTrue(s.habitual(), s.toString());
			assertTrue(!s.newlyObserved().contains("user-agent"), s.toString());
		}
	}
}
