package dev.loupe.core.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
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
 * Instances launched in many regions in a few minutes: what a script does with a leaked key to start miners
 * wherever the account has capacity. Stratus Red Team's recorded RunInstances (refused, as quota often refuses
 * such calls), replayed by a leaked key in five regions; an administrator's launches in two regions and Terraform's
 * in four are no story.
 */
class ManyRegionsTest {
	static final String[] REGIONS = { "us-east-1", "us-east-2", "us-west-2", "eu-west-1", "ap-southeast-1" };

	@Test
	void aKeyLaunchingInFiveRegionsIsASequence(@TempDir Path dir) throws IOException {
		ObjectNode recorded = recorded();
		ArrayNode calls = ScenarioTest.JSON.createArrayNode();
		Instant t = Instant.parse("2025-11-02T03:00:00Z");
		int n = 0;
		for (int i = 0; i < REGIONS.length; i++) {
			calls.add(launch(recorded, ++n, t.plusSeconds(40L * i), REGIONS[i], ScenarioTest.user("build-bot"), "45.61.10.3",
					"aws-sdk-go-v2/1.30.3 os/linux lang/go#1.22.5 md/GOOS#linux md/GOARCH#amd64 api/ec2#1.177.0", i % 2 == 0));
		}
		// the administrator: two regions within the window
		calls.add(launch(recorded, ++n, t.plusSeconds(600), "eu-west-1", ScenarioTest.user("alice"), "198.51.100.20",
				"aws-cli/2.17.0 Python/3.11.9 Darwin/23.4.0 exe/x86_64 prompt/off command/ec2.run-instances", false));
		calls.add(launch(recorded, ++n, t.plusSeconds(660), "eu-central-1", ScenarioTest.user("alice"), "198.51.100.20",
				"aws-cli/2.17.0 Python/3.11.9 Darwin/23.4.0 exe/x86_64 prompt/off command/ec2.run-instances", false));
		// Terraform, four regions in a minute
		String terraform = "APN/1.0 HashiCorp/1.0 Terraform/1.9.8 (+https://www.terraform.io) terraform-provider-aws/5.80.0";
		for (int i = 0; i < 4; i++) {
			calls.add(launch(recorded, ++n, t.plusSeconds(1200 + 15L * i), REGIONS[i], ScenarioTest.terraformSession(7), "192.0.2.90",
					terraform, false));
		}
		Path trail = Files.writeString(dir.resolve("trail.json"), ScenarioTest.JSON.writeValueAsString(
				ScenarioTest.JSON.createObjectNode().set("Records", calls)));
		try (EvidenceStore store = ScenarioTest.reasoned(dir, trail)) {
			Findings f = new Findings(store);
			List<Findings.Signal> launches = f.signals("en").stream().filter(s -> s.detector().endsWith("/ec2-launch-many-regions")).toList();
			assertEquals(List.of("build-bot", "terraform-apply/tf-7"), launches.stream().map(Findings.Signal::actorLabel).toList());
			assertEquals(5, launches.get(0).burstSize(), "each call, refused or not");
			assertEquals("T1535", launches.get(0).technique());
			assertTrue(launches.get(1).automated(), launches.get(1).toString());
			List<Findings.Sequence> sequences = f.sequences("en");
			assertEquals(List.of("build-bot"), sequences.stream().map(Findings.Sequence::actorLabel).toList(), sequences.toString());
		}
	}

	/** Two regions in one file, three more in the next: the update after the second gives the full run's results. */
	@Test
	void anUpdateCountsTheRegionsOfBothFiles(@TempDir Path dir) throws IOException {
		ObjectNode recorded = recorded();
		Instant t = Instant.parse("2025-11-02T03:00:00Z");
		ArrayNode first = ScenarioTest.JSON.createArrayNode();
		ArrayNode second = ScenarioTest.JSON.createArrayNode();
		for (int i = 0; i < REGIONS.length; i++) {
			(i < 2 ? first : second).add(launch(recorded, i + 1, t.plusSeconds(40L * i), REGIONS[i], ScenarioTest.user("build-bot"), "45.61.10.3",
					"aws-sdk-go-v2/1.30.3 os/linux lang/go#1.22.5", false));
		}
		Path a = Files.writeString(Files.createDirectories(dir.resolve("a")).resolve("first.json"),
				ScenarioTest.JSON.writeValueAsString(ScenarioTest.JSON.createObjectNode().set("Records", first)));
		Path b = Files.writeString(Files.createDirectories(dir.resolve("b")).resolve("second.json"),
				ScenarioTest.JSON.writeValueAsString(ScenarioTest.JSON.createObjectNode().set("Records", second)));
		WindowedUpdateTest.updateAfterEach(dir, List.of(a, b));
	}

	private static ObjectNode recorded() throws IOException {
		for (var e : ScenarioTest.JSON.readTree(Fixtures.stratus("aws.execution.ec2-launch-unusual-instances").toFile())) {
			if (e.path("eventName").asText().equals("RunInstances")) {
				return (ObjectNode) e;
			}
		}
		throw new AssertionError("the recording's RunInstances");
	}

	/** The recorded call, at another time, in another region, by another caller; refused for quota or accepted. */
	private static ObjectNode launch(ObjectNode recorded, int n, Instant t, String region, ObjectNode who, String ip, String ua, boolean refused) {
		ObjectNode e = recorded.deepCopy();
		e.put("eventTime", t.toString()).put("awsRegion", region).put("sourceIPAddress", ip).put("userAgent", ua)
				.put("recipientAccountId", ScenarioTest.ACCOUNT).put("eventID", "00000000-0000-0000-0000-" + String.format("%012d", n))
				.put("requestID", "run-" + n).set("userIdentity", who);
		((ObjectNode) e.get("requestParameters")).put("instanceType", "c5.4xlarge");
		if (refused) {
			e.put("errorCode", "Client.VcpuLimitExceeded").put("errorMessage", "You have requested more vCPU capacity than your current vCPU limit");
		} else {
			e.remove("errorCode");
			e.remove("errorMessage");
		}
		return e;
	}
}
