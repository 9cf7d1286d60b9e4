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
 * A leaked key spent on Bedrock (LLM-jacking, as reported in the wild): the intruder checks whether invocations are
 * logged, accepts a model's agreement, deletes the logging, and prompts through the streaming and Converse APIs.
 */
class ModelHijackTest {
	private final ScenarioTest events = new ScenarioTest();

	@Test
	void aKeySpentOnModelsIsOneSequence(@TempDir Path dir) throws IOException {
		Instant t = Instant.parse("2025-11-12T04:00:00Z");
		ObjectNode key = ScenarioTest.user("ml-batch");
		String proxy = "Boto3/1.35.50 md/Botocore#1.35.50 ua/2.0 os/linux#5.15.0-122-generic md/arch#x86_64 lang/python#3.10.12";
		String ip = "45.137.21.9";
		ArrayNode calls = ScenarioTest.JSON.createArrayNode();
		calls.add(events.call(t, "bedrock.amazonaws.com", "GetModelInvocationLoggingConfiguration", key, ip, proxy));
		calls.add(events.call(t.plusSeconds(30), "bedrock.amazonaws.com", "CreateFoundationModelAgreement", key, ip, proxy,
				p -> p.put("modelId", "anthropic.claude-3-5-sonnet-20240620-v1:0").put("offerToken", "...")));
		calls.add(events.call(t.plusSeconds(60), "bedrock.amazonaws.com", "DeleteModelInvocationLoggingConfiguration", key, ip, proxy));
		for (String api : List.of("InvokeModelWithResponseStream", "Converse", "ConverseStream")) {
			calls.add(events.call(t.plusSeconds(90 + calls.size()), "bedrock.amazonaws.com", api, key, ip, proxy,
					p -> p.put("modelId", "anthropic.claude-3-5-sonnet-20240620-v1:0")));
		}
		try (EvidenceStore store = ScenarioTest.reasoned(dir, ScenarioTest.trail(dir, calls))) {
			Findings.Sequence q = ScenarioTest.onlySequence(store);
			assertEquals(List.of("CreateFoundationModelAgreement", "DeleteModelInvocationLoggingConfiguration", "InvokeModelWithResponseStream",
					"Converse", "ConverseStream"), q.members().stream().map(Findings.Signal::eventName).toList());
			assertEquals(List.of("TA0005", "TA0040"), q.tactics());
		}
	}
}
