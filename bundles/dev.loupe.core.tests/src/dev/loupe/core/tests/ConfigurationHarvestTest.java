package dev.loupe.core.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.node.ArrayNode;

import dev.loupe.core.reason.Findings;
import dev.loupe.core.store.EvidenceStore;

/**
 * Environment variables collected: a leaked key reads twenty functions' configurations and task definitions in
 * five minutes, as CloudFox's env-vars does. A developer browsing as many functions in the console, and a key
 * that reads ten, raise nothing.
 */
class ConfigurationHarvestTest {
	static final Instant T = Instant.parse("2025-06-03T23:10:00Z");
	private final ScenarioTest events = new ScenarioTest();

	@Test
	void configurationAfterConfigurationIsABurstOfCredentialAccess(@TempDir Path dir) throws IOException {
		ArrayNode calls = ScenarioTest.JSON.createArrayNode();
		String console = "console.amazonaws.com";
		for (int i = 0; i < 20; i++) {
			String name = i % 4 == 3 ? "DescribeTaskDefinition" : "GetFunctionConfiguration20150331v2";
			String source = i % 4 == 3 ? "ecs.amazonaws.com" : "lambda.amazonaws.com";
			int n = i;
			calls.add(events.call(T.plusSeconds(15L * i), source, name, ScenarioTest.user("rita"), DeployedCodeTest.VPS, DeployedCodeTest.BOTO,
					r -> r.put("functionName", "svc-" + n).put("taskDefinition", "svc-" + n)));
			calls.add(events.call(T.plusSeconds(15L * i + 5), "lambda.amazonaws.com", "GetFunction20150331v2", ScenarioTest.user("sam"),
					"198.51.100.20", console, r -> r.put("functionName", "svc-" + n)));
			if (i < 10) {
				calls.add(events.call(T.plusSeconds(15L * i + 9), "lambda.amazonaws.com", "GetFunction20150331v2", ScenarioTest.user("tara"),
						"198.51.100.21", DeployedCodeTest.BOTO, r -> r.put("functionName", "svc-" + n)));
			}
		}
		try (EvidenceStore store = ScenarioTest.reasoned(dir, ScenarioTest.trail(dir, calls))) {
			List<Findings.Signal> signals = new Findings(store).signals("en");
			assertEquals(List.of("rita configuration-harvest T1552 TA0006 20"), signals.stream().map(s -> s.actorLabel() + " "
					+ s.detector().substring(s.detector().lastIndexOf('/') + 1) + " " + s.technique() + " " + s.tactic() + " " + s.burstSize())
					.toList());
		}
	}
}
