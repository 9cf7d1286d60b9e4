package dev.loupe.core.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.loupe.core.reason.Findings;
import dev.loupe.core.store.EvidenceStore;

/**
 * Findings the team has judged expected: GuardDuty archives them (by hand or with a suppression rule) and Security
 * Hub's workflow marks them SUPPRESSED. `loupe pull` takes archived findings too, and a finding pulled again
 * later may have been archived, or brought back, since. Its latest version decides: archived or suppressed, its
 * signal links but makes no sequence.
 */
class SuppressedFindingTest {
	static final ObjectMapper JSON = new ObjectMapper();
	static final String KEY_FINDING = "arn:aws:guardduty:us-east-1:111122223333:detector/d4b0/finding/7ab9";

	/** A high-severity GuardDuty finding about a user's key, as GetFindings gives it in one pull. */
	static Path guardDuty(Path dir, String name, boolean archived, String updatedAt) throws IOException {
		ObjectNode f = JSON.createObjectNode().put("SchemaVersion", "2.0").put("AccountId", "111122223333").put("Region", "us-east-1")
				.put("Partition", "aws").put("Id", "7ab9").put("Arn", KEY_FINDING)
				.put("Type", "UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration.OutsideAWS").put("Severity", 8)
				.put("Title", "Credentials for instance role used from an external IP address.").put("CreatedAt", "2025-03-04T10:05:00Z")
				.put("UpdatedAt", updatedAt);
		f.putObject("Resource").put("ResourceType", "AccessKey").putObject("AccessKeyDetails").put("UserName", "deploy")
				.put("UserType", "IAMUser").put("PrincipalId", "AIDAEXAMPLEDEPLOY").put("AccessKeyId", "AKIAEXAMPLEDEPLOY001");
		f.putObject("Service").put("ServiceName", "guardduty").put("Archived", archived).put("Count", 3)
				.put("EventFirstSeen", "2025-03-04T10:00:00Z").put("EventLastSeen", "2025-03-04T10:20:00Z");
		return write(dir, name, JSON.createObjectNode().set("Findings", JSON.createArrayNode().add(f)));
	}

	/** A Security Hub finding of another product, in a workflow status an analyst set. */
	static Path securityHub(Path dir, String name, String id, String workflow) throws IOException {
		return securityHub(dir, name, id, workflow, "HIGH", 70, "2025-03-04T12:00:00Z");
	}

	static Path securityHub(Path dir, String name, String id, String workflow, String label, int normalized, String updatedAt)
			throws IOException {
		ObjectNode f = JSON.createObjectNode().put("SchemaVersion", "2018-10-08").put("Id", id)
				.put("ProductArn", "arn:aws:securityhub:us-east-1::product/acme/edr").put("GeneratorId", "acme-edr-credential-dump")
				.put("AwsAccountId", "111122223333").put("CreatedAt", "2025-03-04T11:00:00Z").put("UpdatedAt", updatedAt)
				.put("Title", "Credential dumping tool ran").put("Description", "LSASS memory read").put("RecordState", "ACTIVE");
		f.putArray("Types").add("TTPs/Credential Access/OS Credential Dumping");
		f.putObject("Severity").put("Label", label).put("Normalized", normalized);
		f.putObject("Workflow").put("Status", workflow);
		f.putArray("Resources").addObject().put("Type", "AwsEc2Instance").put("Id", "arn:aws:ec2:us-east-1:111122223333:instance/i-0abc" + id.length());
		return write(dir, name, JSON.createObjectNode().set("Findings", JSON.createArrayNode().add(f)));
	}

	private static Path write(Path dir, String name, ObjectNode body) throws IOException {
		return Files.writeString(dir.resolve(name), JSON.writeValueAsString(body));
	}

	@Test
	void theLatestVersionOfAnArchivedFindingDecides(@TempDir Path dir) throws IOException {
		Path active = guardDuty(dir, "pull-1.json", false, "2025-03-04T10:30:00Z");
		Path archived = guardDuty(dir, "pull-2.json", true, "2025-03-05T09:00:00Z");
		Path back = guardDuty(dir, "pull-3.json", false, "2025-03-06T09:00:00Z");
		assertSequences(1, null, dir.resolve("a"), active);
		assertSequences(0, Findings.Uncounted.SUPPRESSED, dir.resolve("b"), active, archived);
		// the pulls in another order: the latest update still decides
		assertSequences(0, Findings.Uncounted.SUPPRESSED, dir.resolve("c"), archived, active);
		assertSequences(1, null, dir.resolve("d"), active, archived, back);
		// an update after each pull gives what a full run gives
		WindowedUpdateTest.updateAfterEach(dir.resolve("e"), List.of(active, archived, back));
	}

	@Test
	void aSuppressedSecurityHubFindingMakesNoSequenceAResolvedOneDoes(@TempDir Path dir) throws IOException {
		assertSequences(0, Findings.Uncounted.SUPPRESSED, dir.resolve("a"), securityHub(dir, "suppressed.json", "edr/1", "SUPPRESSED"));
		assertSequences(1, null, dir.resolve("b"), securityHub(dir, "resolved-one.json", "edr/2", "RESOLVED"));
	}

	/**
	 * An analyst lowers a finding's severity in Security Hub after triage (BatchUpdateFindings): the version updated
	 * last gives the signal's severity, whatever order the pulls were read in.
	 */
	@Test
	void theSeverityOfTheVersionUpdatedLastCounts(@TempDir Path dir) throws IOException {
		Path high = securityHub(dir, "triage-1.json", "edr/3", "NEW", "HIGH", 70, "2025-03-04T12:00:00Z");
		Path lowered = securityHub(dir, "triage-2.json", "edr/3", "NOTIFIED", "INFORMATIONAL", 0, "2025-03-05T08:00:00Z");
		assertSequences(1, null, dir.resolve("a"), high);
		// no actor and below the minimum finding severity: it links, but makes no sequence
		assertSequences(0, Findings.Uncounted.LOW_SEVERITY, dir.resolve("b"), high, lowered);
		assertSequences(0, Findings.Uncounted.LOW_SEVERITY, dir.resolve("c"), lowered, high);
		try (EvidenceStore store = EvidenceStore.open(dir.resolve("c/store"))) {
			assertEquals("0.0", new Findings(store).signals("en").get(0).severity().toPlainString());
		}
		WindowedUpdateTest.updateAfterEach(dir.resolve("d"), List.of(high, lowered));
	}

	/**
	 * GuardDuty's findings in Security Hub carry GuardDuty's score (Severity.Product) and the label GuardDuty gave
	 * (FindingProviderFields); an analyst's change (BatchUpdateFindings) shows as a label that differs from the
	 * provider's, and wins over the score.
	 */
	@Test
	void anAnalystsLabelWinsOverTheProductsScore(@TempDir Path dir) throws IOException {
		ObjectNode kept = (ObjectNode) JSON.readTree(Files.readString(securityHub(dir, "kept.json", "gd/1", "NEW")));
		ObjectNode changed = (ObjectNode) JSON.readTree(Files.readString(securityHub(dir, "changed.json", "gd/2", "NOTIFIED")));
		for (ObjectNode body : List.of(kept, changed)) {
			ObjectNode f = (ObjectNode) body.get("Findings").get(0);
			f.putObject("Severity").put("Product", 8).put("Label", body == kept ? "HIGH" : "INFORMATIONAL").put("Normalized",
					body == kept ? 70 : 0);
			f.putObject("FindingProviderFields").putObject("Severity").put("Label", "HIGH").put("Original", "8");
		}
		try (EvidenceStore store = ScenarioTest.reasoned(dir, write(dir, "kept.json", kept), write(dir, "changed.json", changed))) {
			assertEquals(List.of("0.0", "8.0"), new Findings(store).signals("en").stream().map(g -> g.severity().toPlainString())
					.sorted().toList());
		}
	}

	/**
	 * EventBridge sends every update of a finding, and Firehose puts the events of several minutes in one object: one
	 * file then holds several versions of one finding. The latest in the file decides, as it does across pulls: an
	 * archived finding brought back counts again, whatever order the file holds the versions in.
	 */
	@Test
	void ofVersionsInOneFileTheLatestDecides(@TempDir Path dir) throws IOException {
		ObjectNode active = finding(guardDuty(dir, "v1.json", false, "2025-03-04T10:30:00Z"));
		ObjectNode archived = finding(guardDuty(dir, "v2.json", true, "2025-03-05T09:00:00Z"));
		ObjectNode back = finding(guardDuty(dir, "v3.json", false, "2025-03-06T09:00:00Z"));
		assertSequences(0, Findings.Uncounted.SUPPRESSED, dir.resolve("a"), firehose(dir, "a.json", "GuardDuty Finding", active, archived));
		assertSequences(1, null, dir.resolve("b"), firehose(dir, "b.json", "GuardDuty Finding", archived, back));
		// delivered out of order: the archiving is older than the version before it in the file
		assertSequences(1, null, dir.resolve("c"), firehose(dir, "c.json", "GuardDuty Finding", back, archived, active));
		try (EvidenceStore store = EvidenceStore.open(dir.resolve("c/store"))) {
			assertEquals(List.of("ACTIVE 2025-03-06T09:00:00Z"), GuardDutyTest.select(store, "v",
					"GRAPH ?g { ?f loupe:findingState ?s ; loupe:updatedAt ?t } BIND (CONCAT(?s, \" \", STR(?t)) AS ?v)"),
					"one state and one update time: the latest version's");
			assertEquals(3, GuardDutyTest.select(store, "r", "?f loupe:rawRecord ?r").size(), "each version's record is kept");
			long quads = store.quadCount();
			IngestTest.ingest(store, dir.resolve("c.json"));
			assertEquals(quads, store.quadCount(), "read again, nothing new");
		}
	}

	/** An analyst lowers a Security Hub finding's severity; both versions reach one file, in either order. */
	@Test
	void aSeverityLoweredInTheSameFileCounts(@TempDir Path dir) throws IOException {
		ObjectNode high = finding(securityHub(dir, "t1.json", "edr/4", "NEW", "HIGH", 70, "2025-03-04T12:00:00Z"));
		ObjectNode lowered = finding(securityHub(dir, "t2.json", "edr/4", "NOTIFIED", "INFORMATIONAL", 0, "2025-03-05T08:00:00Z"));
		String type = "Security Hub Findings - Imported";
		assertSequences(0, Findings.Uncounted.LOW_SEVERITY, dir.resolve("a"), firehose(dir, "a.json", type, high, lowered));
		assertSequences(0, Findings.Uncounted.LOW_SEVERITY, dir.resolve("b"), firehose(dir, "b.json", type, lowered, high));
		try (EvidenceStore store = EvidenceStore.open(dir.resolve("b/store"))) {
			assertEquals(List.of("0.0"), new Findings(store).signals("en").stream().map(g -> g.severity().toPlainString()).toList());
			assertEquals(List.of("NOTIFIED"), GuardDutyTest.select(store, "s", "?f loupe:findingState ?s"));
		}
	}

	private static ObjectNode finding(Path pull) throws IOException {
		return (ObjectNode) JSON.readTree(pull.toFile()).get("Findings").get(0);
	}

	/** EventBridge events of {@code type}, one per finding version, concatenated as Firehose writes them to S3. */
	private static Path firehose(Path dir, String name, String type, ObjectNode... versions) throws IOException {
		StringBuilder out = new StringBuilder();
		int i = 0;
		for (ObjectNode v : versions) {
			ObjectNode event = JSON.createObjectNode().put("version", "0").put("id", "5c1f3a0e-0000-4000-8000-00000000000" + i++)
					.put("detail-type", type).put("account", "111122223333").put("time", "2025-03-06T09:05:00Z")
					.put("region", "us-east-1");
			if (type.startsWith("GuardDuty")) {
				event.put("source", "aws.guardduty").set("detail", v);
			} else {
				event.put("source", "aws.securityhub").putObject("detail").putArray("findings").add(v);
			}
			out.append(JSON.writeValueAsString(event));
		}
		return Files.writeString(dir.resolve(name), out.toString());
	}

	/** A finding GuardDuty generated as a sample (CreateSampleFindings, as the console does on request). */
	@Test
	void aGuardDutySampleFindingMakesNoSequence(@TempDir Path dir) throws IOException {
		assertSequences(0, Findings.Uncounted.SUPPRESSED, dir,
				Fixtures.datasets().resolve("guardduty-sentinel-integration-samples/tests/fixtures/guardduty/network-finding.json"));
	}

	/** Security Hub's own OCSF sample: a GuardDuty finding of a deleted trail, which the team suppressed ("testing"). */
	@Test
	void anOcsfFindingSuppressedInSecurityHub(@TempDir Path dir) throws IOException {
		Path sample = Fixtures.datasets().resolve("sumologic-docs-samples/aws-security-hub-ocsf.sample-findings-imported-v2.json");
		assertSequences(0, Findings.Uncounted.SUPPRESSED, dir, sample);
		try (EvidenceStore store = EvidenceStore.open(dir.resolve("store"))) {
			// the version's state and when it was modified, side by side in its source
			assertEquals(List.of("SUPPRESSED 2025-07-22T03:02:34.272Z"), GuardDutyTest.select(store, "v",
					"GRAPH ?g { ?f loupe:findingState ?s ; loupe:updatedAt ?t } BIND (CONCAT(?s, \" \", STR(?t)) AS ?v)"));
		}
	}

	private static void assertSequences(int sequences, Findings.Uncounted why, Path dir, Path... pulls) throws IOException {
		Files.createDirectories(dir);
		try (EvidenceStore store = ScenarioTest.reasoned(dir, pulls)) {
			Findings f = new Findings(store);
			List<Findings.Signal> signals = f.signals("en");
			assertEquals(1, signals.size(), signals::toString);
			assertEquals(why, signals.get(0).uncountedBecause(), signals::toString);
			assertEquals(sequences, f.sequences("en").size());
			if (why == null) {
				assertNull(signals.get(0).uncountedBecause());
			}
		}
	}
}
