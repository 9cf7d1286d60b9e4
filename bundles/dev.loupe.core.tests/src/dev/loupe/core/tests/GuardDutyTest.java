package dev.loupe.core.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.apache.jena.query.QueryExecution;
import org.apache.jena.sparql.graph.GraphFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.loupe.core.ingest.FileResult;
import dev.loupe.core.ingest.FileResult.Status;
import dev.loupe.core.ingest.IngestReport;
import dev.loupe.core.reason.Findings;
import dev.loupe.core.store.EvidenceStore;
import dev.loupe.core.store.ShapeCheck;
import dev.loupe.core.vocab.Ids;

/**
 * GuardDuty findings in the API's PascalCase (aws-cli GetFindings output), EventBridge envelopes and bare
 * camelCase findings (guardduty-sentinel-integration samples), and an Extended Threat Detection attack sequence
 * built from the documented API shape (fixtures/guardduty).
 */
class GuardDutyTest {
	static Path sentinel(String path) {
		return Fixtures.datasets().resolve("guardduty-sentinel-integration-samples/" + path);
	}

	static Path fixture(String path) {
		return Path.of(System.getProperty("loupe.repo", "../..")).resolve("bundles/dev.loupe.core.tests/fixtures/" + path);
	}

	static List<String> select(EvidenceStore store, String var, String where) {
		return store.read(() -> {
			List<String> out = new ArrayList<>();
			String q = Fixtures.sparql("SELECT DISTINCT ?" + var + " { " + where + " } ORDER BY ?" + var);
			try (QueryExecution qe = QueryExecution.dataset(store.dataset()).query(q).build()) {
				qe.execSelect().forEachRemaining(s -> {
					var n = s.get(var);
					out.add(n.isLiteral() ? n.asLiteral().getLexicalForm() : n.toString());
				});
			}
			return out;
		});
	}

	static void assertConforms(EvidenceStore store, IngestReport r) {
		List<String> problems = new ArrayList<>();
		for (FileResult f : r.files()) {
			if (f.status() != Status.INGESTED) {
				continue;
			}
			var copy = GraphFactory.createDefaultGraph();
			store.read(() -> {
				store.dataset().asDatasetGraph().getGraph(Ids.sourceGraph(f.sha256())).find().forEachRemaining(copy::add);
				return null;
			});
			ShapeCheck.violations(copy).forEach(v -> problems.add(f.file() + ": " + v));
		}
		assertEquals(List.of(), problems);
	}

	@Test
	void apiOutputNamesThePrincipalKeyAndCaller(@TempDir Path dir) throws IOException {
		try (EvidenceStore store = EvidenceStore.open(dir.resolve("store"))) {
			IngestReport r = IngestTest.ingest(store, Fixtures.datasets().resolve("aws-cli-examples/guardduty_get-findings.output0.json"));
			FileResult f = r.files().get(0);
			assertEquals("guardduty", f.format());
			assertEquals(1, f.records());
			assertEquals(List.of("Recon:IAMUser/UserPermissions"), select(store, "t", "?f loupe:findingType ?t"));
			assertEquals(List.of("urn:loupe:arn:aws:iam::111122223333:user/testuser"), select(store, "a", "?f a loupe:Finding ; loupe:actor ?a"));
			assertEquals(List.of("52.94.36.7"), select(store, "ip", "?f loupe:concerns/loupe:address ?ip"));
			assertEquals(List.of("16509"), select(store, "asn", "?f loupe:concerns/loupe:inAutonomousSystem/loupe:asn ?asn"));
			assertEquals(List.of("ASIASZ4SI7REEEXAMPLE"), select(store, "k", "?f loupe:concerns/loupe:accessKeyId ?k"));
			assertEquals(List.of("2020-05-26T22:02:24Z"), select(store, "t", "?f a loupe:Finding ; loupe:eventTime ?t"));
			assertEquals(List.of("5.0"), select(store, "s", "?f a loupe:Finding ; loupe:severity ?s"));
			assertConforms(store, r);
		}
	}

	@Test
	void eventBridgeAndBareFindingsAreTheSameFinding(@TempDir Path dir) throws IOException {
		try (EvidenceStore store = EvidenceStore.open(dir.resolve("store"))) {
			IngestReport r = IngestTest.ingest(store, sentinel("sample-data/guardduty_findings.jsonl"),
					sentinel("tests/fixtures/guardduty/network-finding.json"),
					sentinel("tests/fixtures/guardduty/network-eventbridge.json"), sentinel("samples/data/sample-findings"));
			for (FileResult f : r.files()) {
				String name = Path.of(f.file()).getFileName().toString();
				if (name.equals("README.md")) {
					assertEquals(Status.SKIPPED, f.status());
				} else if (name.startsWith("invalid-")) {
					// the samples' negative fixtures: a number where text belongs, broken JSON
					assertEquals(Status.FAILED, f.status(), f.toString());
					String why = f.problems().get(0).toString();
					assertTrue(why.contains(name) && (why.contains("\"accountId\" is a number") || why.contains(":11:3: record 1: invalid JSON")), why);
				} else {
					assertEquals(Status.INGESTED, f.status(), f.toString());
					assertEquals(0, f.errors(), f.toString());
				}
			}
			assertEquals(7, r.files().get(0).records());
			Set<String> types = new TreeSet<>(select(store, "t", "?f loupe:findingType ?t"));
			assertTrue(types.containsAll(Set.of("Policy:S3/BucketBlockPublicAccessDisabled", "UnauthorizedAccess:EC2/TorIPCaller",
					"Backdoor:EC2/DenialOfService.Tcp", "Stealth:IAMUser/CloudTrailLoggingDisabled")), types.toString());
			// the bare C&C finding and its EventBridge copy have one ARN: one finding, mentioned by two sources
			List<String> cc = select(store, "f", "?f loupe:findingId \"00000000000000000000000000000000\"");
			assertEquals(1, cc.size(), cc.toString());
			assertEquals(List.of("203.0.113.10"), select(store, "ip", "<" + cc.get(0) + "> loupe:concerns/loupe:address ?ip"));
			assertEquals(List.of("i-0123456789abcdef0"), select(store, "i", "<" + cc.get(0) + "> loupe:concerns/loupe:instanceId ?i"));
			assertEquals(List.of("arn:aws:iam::999888777666:user/security-admin"),
					select(store, "arn", "?f loupe:findingType \"Stealth:IAMUser/CloudTrailLoggingDisabled\" ; loupe:actor/loupe:arn ?arn"));
			assertConforms(store, r);
		}
	}

	/** Malware Protection for S3's finding type (ThreatPurpose Object) has a tactic: a tool brought in. */
	@Test
	void aMaliciousFileInABucketIsATacticToo(@TempDir Path dir) throws IOException {
		ObjectNode f = (ObjectNode) ScenarioTest.JSON.readTree(sentinel("samples/data/sample-findings/iam-findings/cloudtrail-logging-disabled.json").toFile());
		f.put("type", "Object:S3/MaliciousFile").put("id", "s3-malware-1");
		f.putObject("resource").put("resourceType", "S3Object").putArray("s3BucketDetails").addObject().put("name", "uploads-inbox");
		Path file = Files.writeString(dir.resolve("malware.json"), ScenarioTest.JSON.writeValueAsString(f));
		try (EvidenceStore store = ScenarioTest.reasoned(dir, file)) {
			List<Findings.Signal> signals = new Findings(store).signals("en");
			assertEquals(List.of("Object:S3/MaliciousFile TA0011"), signals.stream().map(s -> s.eventName() + " " + s.tactic()).toList());
		}
	}

	@Test
	void attackSequenceKeepsItsSignalsActorsAndIndicators(@TempDir Path dir) throws IOException {
		try (EvidenceStore store = EvidenceStore.open(dir.resolve("store"))) {
			IngestReport r = IngestTest.ingest(store, fixture("guardduty/attack-sequence-api.json"));
			assertEquals(1, r.records());
			String f = "?f loupe:findingType \"AttackSequence:IAM/CompromisedCredentials\" . ";
			assertEquals(List.of("urn:loupe:arn:aws:iam::111122223333:user/john_doe"), select(store, "a", f + "?f loupe:actor ?a"));
			assertEquals(List.of("AKIA3UBBJ2K3TVEXAMPLE"), select(store, "k",
					f + "?f loupe:concerns ?key . ?key loupe:accessKeyId ?k ; loupe:keyOf/loupe:arn \"arn:aws:iam::111122223333:user/john_doe\""));
			assertEquals(List.of("https://attack.mitre.org/TA0001", "https://attack.mitre.org/TA0003", "https://attack.mitre.org/TA0004",
					"https://attack.mitre.org/TA0005", "https://attack.mitre.org/TA0007"), select(store, "t", f + "?f loupe:tactic ?t"));
			assertEquals(List.of("https://attack.mitre.org/T1078.004", "https://attack.mitre.org/T1087.004",
					"https://attack.mitre.org/T1098.003", "https://attack.mitre.org/T1562.008"), select(store, "t", f + "?f loupe:technique ?t"));
			assertEquals(List.of("CreateRole", "DeleteTrail", "ListUsers", "UnauthorizedAccess:IAMUser/TorIPCaller"),
					select(store, "n", "?s a loupe:ReportedSignal ; loupe:reportedIn ?f ; loupe:title ?n"));
			assertEquals(List.of("arn:aws:cloudtrail:us-east-1:111122223333:trail/management-events", "arn:aws:iam::111122223333:user/john_doe"),
					select(store, "arn", "?s loupe:title \"DeleteTrail\" ; loupe:concerns/loupe:arn ?arn"));
			assertEquals(List.of("urn:loupe:arn:aws:guardduty:us-east-1:111122223333:detector/111111bbbbbbbbbb5555555551111111/finding/1ab92989eaf0e742df4a014d5example"),
					select(store, "x", "?s loupe:signalType \"FINDING\" ; loupe:refersTo ?x"));
			assertEquals(List.of("64500"), select(store, "asn", "?s loupe:title \"ListUsers\" ; loupe:concerns/loupe:inAutonomousSystem/loupe:asn ?asn"));
			assertEquals(List.of("prod-customer-exports"), select(store, "b", f + "?f loupe:concerns/loupe:bucketName ?b"));
			assertEquals(List.of("2025-02-25T19:12:41Z", "2025-02-25T20:31:09Z"),
					select(store, "t", f + "{ ?f loupe:eventTime ?t } UNION { ?f loupe:endTime ?t }"));
			assertConforms(store, r);
		}
	}

	@Test
	void aFindingWithoutItsTypeIsReportedAndTheOthersKept(@TempDir Path dir) throws IOException {
		Path in = dir.resolve("findings.jsonl");
		List<String> lines = Files.readAllLines(sentinel("sample-data/guardduty_findings.jsonl"));
		lines.set(0, lines.get(0).replaceFirst("\"type\"\\s*:", "\"kind\":"));
		Files.write(in, lines);
		try (EvidenceStore store = EvidenceStore.open(dir.resolve("store"))) {
			FileResult f = IngestTest.ingest(store, in).files().get(0);
			assertEquals(Status.INGESTED, f.status());
			assertEquals(6, f.records());
			assertEquals(1, f.errors());
			String why = f.problems().get(0).toString();
			assertTrue(why.contains("findings.jsonl") && why.contains("findings.jsonl:1:") && why.contains("missing \"type\""), why);
		}
	}
}
