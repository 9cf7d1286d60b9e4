package dev.loupe.core.tests;

import dev.loupe.core.reason.Findings;
import java.nio.file.Files;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.loupe.core.ingest.FileResult;
import dev.loupe.core.ingest.FileResult.Status;
import dev.loupe.core.ingest.IngestReport;
import dev.loupe.core.store.EvidenceStore;

/**
 * Security Hub findings in ASFF: the AWS CLI's GetFindings output and BatchImportFindings payload, a GuardDuty
 * finding as Security Hub shows it (AWS documentation), and a GuardDuty attack sequence imported into Security
 * Hub through EventBridge (fixtures/guardduty), which must be the same finding as GuardDuty's own copy.
 */
class AsffTest {
	static Path cli(String name) {
		return Fixtures.datasets().resolve("aws-cli-examples/" + name);
	}

	@Test
	void securityHubOutputsAndPayloads(@TempDir Path dir) throws IOException {
		try (EvidenceStore store = EvidenceStore.open(dir.resolve("store"))) {
			IngestReport r = IngestTest.ingest(store, cli("securityhub_get-findings.output0.json"),
					cli("securityhub_batch-import-findings.input1.json"),
					Fixtures.datasets().resolve("awsdocs-examples/guardduty/securityhub-integration.block00.json"));
			for (FileResult f : r.files()) {
				assertEquals(Status.INGESTED, f.status(), f.toString());
				assertEquals("asff", f.format());
				assertEquals(1, f.records(), f.toString());
				assertEquals(0, f.errors(), f.toString());
			}
			assertEquals(List.of("PCI.Lambda.2 Lambda functions should be in a VPC"),
					GuardDutyTest.select(store, "t", "?f loupe:productName \"Security Hub\" ; loupe:title ?t"));
			// GuardDuty's copy: its product, its own 0-10 severity, the instance and the attacker's address
			String gd = "?f loupe:productName \"GuardDuty\" . ";
			assertEquals(List.of("2.0"), GuardDutyTest.select(store, "s", gd + "?f loupe:severity ?s"));
			assertEquals(List.of("i-0c10c2c7863d1a356"), GuardDutyTest.select(store, "i", gd + "?f loupe:concerns/loupe:instanceId ?i"));
			assertTrue(GuardDutyTest.select(store, "a", gd + "?f loupe:concerns/loupe:address ?a").contains("199.241.229.197"));
			GuardDutyTest.assertConforms(store, r);
		}
	}

	/**
	 * The AWS CLI's control finding, failed and critical, copied onto ten controls, and an Inspector vulnerability
	 * rated high on the instance GuardDuty's finding is about: all signals, none a sequence of its own; the
	 * vulnerability joins the story of GuardDuty's high finding about its instance (rated 8 here), without counting.
	 */
	@Test
	void postureFindingsLinkButMakeNoSequence(@TempDir Path dir) throws IOException {
		ObjectMapper json = new ObjectMapper();
		ObjectNode control = (ObjectNode) json.readTree(cli("securityhub_get-findings.output0.json").toFile()).get("Findings").get(0);
		ArrayNode findings = json.createArrayNode();
		for (int i = 0; i < 10; i++) {
			ObjectNode failed = control.deepCopy();
			failed.put("Id", control.get("Id").asText() + "-" + i);
			failed.putObject("Severity").put("Label", "CRITICAL").put("Normalized", 90);
			((ObjectNode) failed.get("Compliance")).put("Status", "FAILED");
			findings.add(failed);
		}
		ObjectNode vulnerability = control.deepCopy();
		vulnerability.put("Id", "arn:aws:inspector2:us-east-1:123456789012:finding/0123456789abcdef").put("Title", "CVE-2024-3094 - xz")
				.put("FirstObservedAt", "2020-08-22T09:00:00Z").put("CreatedAt", "2020-08-22T09:00:00Z")
				.put("AwsAccountId", "193043430472");
		vulnerability.remove("Compliance");
		vulnerability.putArray("Types").add("Software and Configuration Checks/Vulnerabilities/CVE");
		vulnerability.putObject("Severity").put("Label", "HIGH").put("Normalized", 70);
		vulnerability.putArray("Resources").addObject().put("Type", "AwsEc2Instance")
				.put("Id", "arn:aws:ec2:us-east-1:193043430472:instance/i-0c10c2c7863d1a356").put("Region", "us-east-1");
		findings.add(vulnerability);
		ObjectNode guardDuty = (ObjectNode) json.readTree(
				Fixtures.datasets().resolve("awsdocs-examples/guardduty/securityhub-integration.block00.json").toFile());
		((ObjectNode) guardDuty.get("ProductFields")).put("aws/guardduty/service/additionalInfo/sample", "false");
		guardDuty.putObject("Severity").put("Product", 8).put("Label", "HIGH").put("Normalized", 80);
		findings.add(guardDuty);
		Path file = Files.writeString(dir.resolve("findings.json"), json.writeValueAsString(json.createObjectNode().set("Findings", findings)));
		try (EvidenceStore store = ScenarioTest.reasoned(dir, file)) {
			Findings f = new Findings(store);
			List<Findings.Signal> signals = f.signals("en");
			assertEquals(12, signals.size(), signals.toString());
			assertEquals(11, signals.stream().filter(Findings.Signal::posture).count(), signals.toString());
			List<Findings.Sequence> sequences = f.sequences("en");
			assertEquals(1, sequences.size(), sequences.toString());
			assertEquals(List.of("Software and Configuration Checks/Vulnerabilities/CVE", "TTPs/Initial Access/UnauthorizedAccess:EC2-SSHBruteForce"), sequences.get(0).members().stream()
					.map(Findings.Signal::eventName).sorted().toList());
		}
	}

	@Test
	void anImportedAttackSequenceIsGuardDutysFinding(@TempDir Path dir) throws IOException {
		try (EvidenceStore store = EvidenceStore.open(dir.resolve("store"))) {
			IngestReport r = IngestTest.ingest(store, GuardDutyTest.fixture("guardduty/attack-sequence-asff-eventbridge.json"));
			assertEquals(1, r.records(), r.files().toString());
			assertEquals("asff", r.files().get(0).format());
			String f = "?f loupe:productName \"GuardDuty\" . ";
			assertEquals(List.of("9.0"), GuardDutyTest.select(store, "s", f + "?f loupe:severity ?s"));
			assertEquals(List.of("urn:loupe:arn:aws:iam::111122223333:user/john_doe"), GuardDutyTest.select(store, "a", f + "?f loupe:actor ?a"));
			assertEquals(4, GuardDutyTest.select(store, "s", "?s loupe:reportedIn ?f").size());
			// ASFF gives signal times in epoch milliseconds
			assertEquals(List.of("2025-02-25T20:31:09Z"), GuardDutyTest.select(store, "t", "?s loupe:title \"DeleteTrail\" ; loupe:time ?t"));
			assertEquals(5, GuardDutyTest.select(store, "t", f + "?f loupe:tactic ?t").size());
			GuardDutyTest.assertConforms(store, r);

			IngestTest.ingest(store, GuardDutyTest.fixture("guardduty/attack-sequence-api.json"));
			assertEquals(1, GuardDutyTest.select(store, "f", "?f a loupe:Finding").size(), "GuardDuty's and Security Hub's copies are one finding");
		}
	}

	@Test
	void ocsfFindingsImportedV2(@TempDir Path dir) throws IOException {
		try (EvidenceStore store = EvidenceStore.open(dir.resolve("store"))) {
			IngestReport r = IngestTest.ingest(store,
					Fixtures.datasets().resolve("sumologic-docs-samples/aws-security-hub-ocsf.sample-findings-imported-v2.json"));
			FileResult f = r.files().get(0);
			assertEquals("ocsf-finding", f.format());
			assertEquals(1, f.records(), f.toString());
			String q = "?f a loupe:Finding ; ";
			assertEquals(List.of("urn:loupe:arn:aws:guardduty:us-east-1:869728294630:detector/b4c71b47fb852d3fc0e99a82fa2841aa/finding/06c95f0cfdfd3b579b977e20e9da1aa4"),
					GuardDutyTest.select(store, "f", "?f a loupe:Finding"));
			assertEquals(List.of("Stealth:IAMUser/CloudTrailLoggingDisabled"), GuardDutyTest.select(store, "t", q + "loupe:findingType ?t"));
			assertEquals(List.of("GuardDuty"), GuardDutyTest.select(store, "p", q + "loupe:productName ?p"));
			assertEquals(List.of("3.0"), GuardDutyTest.select(store, "s", q + "loupe:severity ?s"));
			assertEquals(List.of("2024-10-24T10:21:26Z"), GuardDutyTest.select(store, "t", q + "loupe:eventTime ?t"));
			assertEquals(List.of("arn:aws:iam::869728294964:role/cis_automation"), GuardDutyTest.select(store, "a", q + "loupe:actor/loupe:arn ?a"));
			assertEquals(List.of("ASIA4U76YS3TB3MEOA3O"), GuardDutyTest.select(store, "k", q + "loupe:concerns/loupe:accessKeyId ?k"));
			GuardDutyTest.assertConforms(store, r);
		}
	}
}
