package dev.loupe.core.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.eclipse.core.runtime.NullProgressMonitor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.loupe.core.ingest.IngestReport;
import dev.loupe.core.ingest.KnownFindings;
import dev.loupe.core.reason.Findings;
import dev.loupe.core.reason.Reasoner;
import dev.loupe.core.reason.RuleSet;
import dev.loupe.core.store.EvidenceStore;

/**
 * Findings whose files give several findings one ID (generated and hand-made data) stay several findings; versions
 * of one finding still meet, also across its sources, and nothing doubles when the files are read again.
 */
class PlaceholderFindingIdsTest {
	private static final ObjectMapper JSON = new ObjectMapper();
	private static final String ZEROS = "00000000000000000000000000000000";

	@Test
	void guardDutyFindingsSharingAPlaceholderIdAreSeparateFindings(@TempDir Path dir) throws IOException {
		Path sample = GuardDutyTest.sentinel("tests/fixtures/guardduty/network-finding.json");
		ObjectNode a = (ObjectNode) JSON.readTree(sample.toFile());
		assertEquals(ZEROS, a.get("id").asText());
		// another finding given the same ID: another type, instance and start
		ObjectNode b = a.deepCopy();
		b.put("type", "CryptoCurrency:EC2/BitcoinTool.B!DNS").put("severity", 8);
		((ObjectNode) b.path("resource").path("instanceDetails")).put("instanceId", "i-0bbbbbbbbbbbbbbbb");
		((ObjectNode) b.path("service")).put("eventFirstSeen", "2026-07-23T02:00:00.000Z");
		// a third: the same type and instance as the first, a day later
		ObjectNode c = a.deepCopy();
		((ObjectNode) c.path("service")).put("eventFirstSeen", "2026-07-23T18:41:17.000Z");
		ArrayNode all = JSON.createArrayNode().add(a).add(b).add(c);
		Path file = Files.writeString(dir.resolve("generated-findings.json"), JSON.writeValueAsString(all));
		// and the first finding again, updated, in a later pull: seen once more, later, and archived since
		ObjectNode aLater = a.deepCopy();
		aLater.put("updatedAt", "2026-07-22T20:00:00.000Z");
		((ObjectNode) aLater.path("service")).put("eventLastSeen", "2026-07-22T19:59:00.000Z").put("count", 7);
		Path later = Files.writeString(dir.resolve("generated-findings-later.json"), JSON.writeValueAsString(JSON.createArrayNode()
				.add(aLater).add(b)));

		try (EvidenceStore store = EvidenceStore.open(dir.resolve("store"))) {
			IngestReport r = IngestTest.ingest(store, file, later, GuardDutyTest.sentinel("tests/fixtures/guardduty/network-eventbridge.json"));
			assertEquals(0, r.problems(), r.toString());
			GuardDutyTest.assertConforms(store, r);
			List<String> findings = GuardDutyTest.select(store, "f", "?f a loupe:Finding ; loupe:findingId \"" + ZEROS + "\"");
			assertEquals(3, findings.size(), findings.toString());
			String plain = "urn:loupe:arn:aws:guardduty:us-west-2:123456789012:detector/12abc34d567e8fa901bc2d34eexample/finding/" + ZEROS;
			assertTrue(findings.contains(plain), "the first keeps the node its ARN names: " + findings);
			assertEquals(List.of("Backdoor:EC2/C&CActivity.B!DNS"), GuardDutyTest.select(store, "t", "<" + plain + "> loupe:findingType ?t"),
					"one type on each finding");
			assertEquals(List.of("i-0123456789abcdef0"), GuardDutyTest.select(store, "i", "<" + plain + "> loupe:concerns/loupe:instanceId ?i"));
			assertEquals(List.of("2026-07-22T20:00:00Z"),
					GuardDutyTest.select(store, "t", "<" + plain + "> loupe:updatedAt ?t FILTER NOT EXISTS { <" + plain
							+ "> loupe:updatedAt ?later FILTER (?later > ?t) }"),
					"its update in the later file met it on its node, as its EventBridge copy did");
			assertEquals(List.of("i-0bbbbbbbbbbbbbbbb"), GuardDutyTest.select(store, "i",
					"?f loupe:findingType \"CryptoCurrency:EC2/BitcoinTool.B!DNS\" ; loupe:concerns/loupe:instanceId ?i"));
			assertEquals(1, GuardDutyTest.select(store, "f", "?f loupe:findingType \"CryptoCurrency:EC2/BitcoinTool.B!DNS\"").size(),
					"the second finding, first in the later file, is still the same node as in the first file");
			long quads = store.quadCount();
			IngestTest.ingest(store, file);
			assertEquals(quads, store.quadCount(), "read again, nothing new");

			new Reasoner(store).run(RuleSet.load(null), new NullProgressMonitor());
			List<Findings.Signal> signals = new Findings(store).signals("en");
			assertEquals(3, signals.stream().filter(s -> s.event() != null && s.event().contains(ZEROS)).count(),
					"a signal for each: " + signals);
		}
	}

	/**
	 * Generated scenarios often keep one finding per file, each made from the same sample: one placeholder ID across
	 * files, in one ingest or in ingests one after the other. Each stays its own finding; an update of the first, in
	 * a later file, still meets it, and so does its Security Hub copy.
	 */
	@Test
	void findingsSharingAPlaceholderIdAcrossFilesAreSeparateFindings(@TempDir Path dir) throws IOException {
		ObjectNode a = (ObjectNode) JSON.readTree(GuardDutyTest.sentinel("tests/fixtures/guardduty/network-finding.json").toFile());
		((ObjectNode) a.path("service").path("additionalInfo")).put("sample", false);
		ObjectNode b = a.deepCopy();
		b.put("type", "CryptoCurrency:EC2/BitcoinTool.B!DNS").put("severity", 8);
		((ObjectNode) b.path("resource").path("instanceDetails")).put("instanceId", "i-0bbbbbbbbbbbbbbbb");
		((ObjectNode) b.path("service")).put("eventFirstSeen", "2026-07-23T02:00:00.000Z");
		ObjectNode c = b.deepCopy();
		c.put("type", "Trojan:EC2/DNSDataExfiltration");
		ObjectNode aLater = a.deepCopy().put("updatedAt", "2026-07-22T20:00:00.000Z");
		Path fa = Files.writeString(dir.resolve("finding-a.json"), JSON.writeValueAsString(a));
		Path fb = Files.writeString(dir.resolve("finding-b.json"), JSON.writeValueAsString(b));
		Path fc = Files.writeString(dir.resolve("finding-c.json"), JSON.writeValueAsString(c));
		// the update in a file that begins with another finding under the ID
		Path later = Files.writeString(dir.resolve("finding-a-updated.json"), JSON.writeValueAsString(JSON.createArrayNode().add(b).add(aLater)));
		// its copy in Security Hub: the GuardDuty finding's ARN as Id
		ObjectNode copy = JSON.createObjectNode().put("SchemaVersion", "2018-10-08").put("Id", a.get("arn").asText())
				.put("ProductArn", "arn:aws:securityhub:us-west-2::product/aws/guardduty").put("GeneratorId", "guardduty")
				.put("AwsAccountId", "123456789012").put("CreatedAt", "2026-07-22T18:47:17.000Z")
				.put("UpdatedAt", "2026-07-22T21:00:00.000Z").put("Title", "copy");
		copy.putArray("Types").add("TTPs/Command and Control/Backdoor:EC2-C&CActivity.B!DNS");
		copy.putObject("Severity").put("Product", 8).put("Label", "HIGH").put("Normalized", 80);
		copy.putArray("Resources").addObject().put("Type", "AwsEc2Instance")
				.put("Id", "arn:aws:ec2:us-west-2:123456789012:instance/i-0123456789abcdef0");
		Path asff = Files.writeString(dir.resolve("finding-a-in-security-hub.json"), JSON.writeValueAsString(copy));
		String plain = "urn:loupe:arn:aws:guardduty:us-west-2:123456789012:detector/12abc34d567e8fa901bc2d34eexample/finding/" + ZEROS;

		for (boolean oneIngest : new boolean[] { true, false }) {
			try (EvidenceStore store = EvidenceStore.open(dir.resolve("store-" + oneIngest))) {
				if (oneIngest) {
					assertEquals(0, IngestTest.ingest(store, fa, fb, fc, later, asff).problems());
				} else {
					for (Path f : List.of(fa, fb, fc, later, asff)) {
						assertEquals(0, IngestTest.ingest(store, f).problems());
					}
				}
				List<String> findings = GuardDutyTest.select(store, "f", "?f a loupe:Finding ; loupe:findingId ?id FILTER CONTAINS(?id, \"" + ZEROS + "\")");
				assertEquals(3, findings.size(), "one per finding, one ingest: " + oneIngest + " " + findings);
				assertEquals(List.of("Backdoor:EC2/C&CActivity.B!DNS", "TTPs/Command and Control/Backdoor:EC2-C&CActivity.B!DNS"),
						GuardDutyTest.select(store, "t", "<" + plain + "> loupe:findingType ?t"), "the first file's finding and its copy");
				assertEquals(List.of("2026-07-22T18:47:17Z", "2026-07-22T20:00:00Z", "2026-07-22T21:00:00Z"),
						GuardDutyTest.select(store, "t", "<" + plain + "> loupe:updatedAt ?t"), "its update and its copy met it");
				assertEquals(1, GuardDutyTest.select(store, "f", "?f loupe:findingType \"Trojan:EC2/DNSDataExfiltration\"").size());
				long quads = store.quadCount();
				IngestTest.ingest(store, fc, fb);
				assertEquals(quads, store.quadCount(), "read again, nothing new");
				new Reasoner(store).run(RuleSet.load(null), new NullProgressMonitor());
				assertEquals(3, new Findings(store).signals("en").size(), "a signal for each");
			}
		}
	}

	/**
	 * What a file said of an ID counts for the files after it only when the file is written (a file whose every
	 * record failed, or an ingest cancelled while reading it, leaves the ID free); formats do not meet.
	 */
	@Test
	void anIdIsTakenByAFileOnlyOnceTheFileIsKept() {
		KnownFindings known = new KnownFindings(java.util.Map::of);
		org.apache.jena.graph.Node f = org.apache.jena.graph.NodeFactory.createURI("urn:loupe:finding:" + ZEROS);
		assertFalse(known.another(f, "guardduty:aaaa"));
		assertFalse(known.another(f, "guardduty:aaaa"), "the same finding again");
		known.fileEnded(false);
		assertFalse(known.another(f, "guardduty:bbbb"), "the file that named aaaa was not written: the ID is free");
		known.fileEnded(true);
		assertTrue(known.another(f, "guardduty:aaaa"), "now bbbb's");
		assertFalse(known.another(f, "asff:cccc"), "another format's copy meets it");
	}

	@Test
	void ocsfFindingsSharingAUidAreSeparateFindings(@TempDir Path dir) throws IOException {
		ObjectNode event = (ObjectNode) JSON.readTree(Fixtures.datasets()
				.resolve("sumologic-docs-samples/aws-security-hub-ocsf.sample-findings-imported-v2.json").toFile());
		ObjectNode base = (ObjectNode) event.path("detail").path("findings").get(0);
		((ObjectNode) base.path("finding_info")).put("uid", "example-finding");
		ArrayNode findings = JSON.createArrayNode();
		for (String key : new String[] { "ASIAEXAMPLEKEY000001", "ASIAEXAMPLEKEY000002", "ASIAEXAMPLEKEY000001" }) {
			ObjectNode f = base.deepCopy();
			((ObjectNode) f.path("resources").get(0)).put("uid", key);
			findings.add(f);
		}
		((ObjectNode) event.path("detail")).set("findings", findings);
		Path file = Files.writeString(dir.resolve("ocsf.json"), JSON.writeValueAsString(event));
		try (EvidenceStore store = EvidenceStore.open(dir.resolve("store"))) {
			IngestReport r = IngestTest.ingest(store, file);
			assertEquals(3, r.records(), r.toString());
			List<String> nodes = GuardDutyTest.select(store, "f", "?f a loupe:Finding ; loupe:findingId \"example-finding\"");
			assertEquals(2, nodes.size(), "one per key, the same finding twice is one: " + nodes);
		}
	}

	@Test
	void securityHubFindingsSharingAnIdAreSeparateFindings(@TempDir Path dir) throws IOException {
		ObjectNode base = (ObjectNode) JSON.readTree(Fixtures.datasets().resolve("aws-cli-examples/securityhub_get-findings.output0.json")
				.toFile()).path("Findings").get(0);
		ArrayNode findings = JSON.createArrayNode();
		for (String bucket : new String[] { "logs-bucket", "backup-bucket", "logs-bucket" }) {
			ObjectNode f = base.deepCopy();
			f.put("Id", "example-finding-id");
			ObjectNode res = JSON.createObjectNode().put("Type", "AwsS3Bucket").put("Id", "arn:aws:s3:::" + bucket);
			f.putArray("Resources").add(res);
			findings.add(f);
		}
		Path file = Files.writeString(dir.resolve("findings.json"), JSON.writeValueAsString(JSON.createObjectNode().set("Findings", findings)));
		try (EvidenceStore store = EvidenceStore.open(dir.resolve("store"))) {
			IngestReport r = IngestTest.ingest(store, file);
			assertEquals(3, r.records(), r.toString());
			List<String> nodes = GuardDutyTest.select(store, "f", "?f a loupe:Finding ; loupe:findingId \"example-finding-id\"");
			assertEquals(2, nodes.size(), "one per bucket, the same finding twice is one: " + nodes);
		}
	}
}
