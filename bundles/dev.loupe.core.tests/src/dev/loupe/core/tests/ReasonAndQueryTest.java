package dev.loupe.core.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import org.apache.jena.graph.Node;
import org.apache.jena.graph.NodeFactory;
import org.apache.jena.sparql.core.DatasetGraph;
import org.eclipse.core.runtime.NullProgressMonitor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.loupe.core.query.EntityGraph;
import dev.loupe.core.query.QueryService;
import dev.loupe.core.query.UntrustedQueryException;
import dev.loupe.core.reason.Findings;
import dev.loupe.core.reason.Reasoner;
import dev.loupe.core.reason.RuleSet;
import dev.loupe.core.store.EvidenceStore;
import dev.loupe.core.vocab.Ids;
import dev.loupe.core.vocab.Loupe;

/** Rules, the read model of their results, and analysts' queries, on Stratus data. */
class ReasonAndQueryTest {

	@Test
	void stoppingCloudTrailIsATamperingSignalAndASequence(@TempDir Path dir) throws IOException {
		try (EvidenceStore store = EvidenceStore.open(dir.resolve("store"))) {
			// with benign activity beside it: the AWS documentation's CloudTrail examples
			IngestTest.ingest(store, Fixtures.stratus("aws.defense-evasion.cloudtrail-stop"),
					Fixtures.datasets().resolve("awsdocs-examples/cloudtrail/cloudtrail-log-file-examples.block02.json"));
			Reasoner.Result r = new Reasoner(store).run(RuleSet.load(null), new NullProgressMonitor());
			assertEquals(1, r.signals());
			assertEquals(1, r.sequences());
			Findings.Signal s = new Findings(store).signals("en").get(0);
			assertEquals("T1562.008", s.technique());
			assertEquals("TA0005", s.tactic());
			assertEquals("StopLogging", s.eventName());
			assertEquals("christophe", s.actorLabel());
			assertEquals("CloudTrail logging stopped", s.detectorLabel());
			assertEquals("CloudTrail のログ記録停止", new Findings(store).signals("ja").get(0).detectorLabel());
			// the record behind it, as CloudTrail delivered it, and the file it came from
			var behind = new dev.loupe.core.reason.EvidenceBehind(store).of(s.iri(), 10);
			assertEquals(1, behind.total());
			var record = behind.shown().get(0);
			assertEquals("StopLogging", record.name());
			assertTrue(record.source().endsWith("aws.defense-evasion.cloudtrail-stop.json"), record.source());
			assertTrue(record.text().contains("\"eventName\":\"StopLogging\""), record.text());
			var gap = new Findings(store).gaps().get(0);
			assertEquals(List.of("StopLogging"), new dev.loupe.core.reason.EvidenceBehind(store).of(gap.iri(), 10).shown().stream()
					.map(dev.loupe.core.reason.EvidenceBehind.Record::name).toList(), "the call that switched the trail off");
			Findings.Sequence q = new Findings(store).sequences("en").get(0);
			assertEquals(List.of(s), q.members());
			// one signal alone says so, in the singular
			assertEquals("1 signal, nothing linked to it within 24 h; 1 tactic, highest severity 8.0: high severity", q.explanation());
			String ja = new Findings(store).sequences("ja").get(0).explanation();
			assertTrue(ja.contains("高重大度"), ja);

			long quads = store.quadCount();
			Reasoner.Result again = new Reasoner(store).run(RuleSet.load(null), new NullProgressMonitor());
			assertEquals(r.signals(), again.signals());
			assertEquals(quads, store.quadCount(), "re-running the rules replaces, never duplicates");
			assertEquals(s.iri(), new Findings(store).signals("en").get(0).iri(), "signal IRIs are stable");
		}
	}

	/**
	 * Stratus asks for the Windows password data of 30 instances and is refused each time: the signals (an attempt
	 * is a signal) and the burst of denials say that the calls failed, and with which error, so that nobody reads
	 * "password data retrieved" as done. A call that succeeded carries no error.
	 */
	@Test
	void aRefusedCallsSignalSaysItFailed(@TempDir Path dir) throws IOException {
		try (EvidenceStore store = EvidenceStore.open(dir.resolve("store"))) {
			IngestTest.ingest(store, Fixtures.stratus("aws.credential-access.ec2-get-password-data"),
					Fixtures.stratus("aws.defense-evasion.cloudtrail-stop"));
			new Reasoner(store).run(RuleSet.load(null), new NullProgressMonitor());
			List<Findings.Signal> signals = new Findings(store).signals("en");
			List<Findings.Signal> refused = signals.stream().filter(s -> "GetPasswordData".equals(s.eventName())).toList();
			assertEquals(31, refused.size(), "30 attempts and their burst");
			assertTrue(refused.stream().allMatch(s -> "Client.UnauthorizedOperation".equals(s.errorCode())), refused.toString());
			assertEquals(List.of("StopLogging"), signals.stream().filter(s -> s.errorCode() == null).map(Findings.Signal::eventName).toList());
		}
	}

	/**
	 * A store reasoned over by another version of Loupe: its results are that version's (here an older wording of
	 * the explanation), and the run record names that version. The next update derives everything again instead
	 * of answering "nothing to derive", and the results become this version's.
	 */
	@Test
	void resultsOfAnotherVersionAreDerivedAgain(@TempDir Path dir) throws IOException {
		try (EvidenceStore store = EvidenceStore.open(dir.resolve("store"))) {
			IngestTest.ingest(store, Fixtures.stratus("aws.defense-evasion.cloudtrail-stop"));
			new Reasoner(store).run(RuleSet.load(null), new NullProgressMonitor());
			assertEquals(Reasoner.Mode.UP_TO_DATE, new Reasoner(store).update(RuleSet.load(null), new NullProgressMonitor()).mode());
			String now = new Findings(store).sequences("en").get(0).explanation();
			store.write(() -> {
				DatasetGraph dsg = store.dataset().asDatasetGraph();
				Node g = Ids.inferredGraph();
				Node run = NodeFactory.createURI("urn:loupe:reasoning-run");
				Node seq = dsg.find(g, Node.ANY, Loupe.explanation, Node.ANY).next().getSubject();
				dsg.deleteAny(g, seq, Loupe.explanation, Node.ANY);
				dsg.add(g, seq, Loupe.explanation, NodeFactory.createLiteralLang("1 signal(s) of the same identity", "en"));
				dsg.deleteAny(g, run, Loupe.rulesDigest, Node.ANY);
				dsg.add(g, run, Loupe.rulesDigest, NodeFactory.createLiteralString("another version"));
			});
			assertEquals(Reasoner.Mode.FULL, new Reasoner(store).update(RuleSet.load(null), new NullProgressMonitor()).mode());
			assertEquals(now, new Findings(store).sequences("en").get(0).explanation());
			assertEquals(Reasoner.Mode.UP_TO_DATE, new Reasoner(store).update(RuleSet.load(null), new NullProgressMonitor()).mode());
		}
	}

	@Test
	void aSessionsSignalsAreAttributedToWhoAssumedTheRole(@TempDir Path dir) throws IOException {
		try (EvidenceStore store = EvidenceStore.open(dir.resolve("store"))) {
			// christophe assumes a role; the role session leaves the organization
			IngestTest.ingest(store, Fixtures.stratus("aws.defense-evasion.organizations-leave"));
			new Reasoner(store).run(RuleSet.load(null), new NullProgressMonitor());
			Findings.Sequence q = new Findings(store).sequences("en").get(0);
			assertEquals("christophe", q.actorLabel(), "the sequence names the principal behind the session");
			Findings.Signal leave = q.members().get(0);
			assertEquals("LeaveOrganization", leave.eventName());
			assertTrue(leave.actor().contains(":assumed-role/"), "the signal keeps the session that acted: " + leave.actor());
			assertTrue(q.explanation().startsWith("1 signal, nothing linked to it"), q.explanation());
			assertEquals("AttackSequence:IAM/CompromisedCredentials", q.type());
		}
	}

	@Test
	void signalsMoreThanADayApartAreNotLinked(@TempDir Path dir) throws IOException {
		// one identity: stops logging, deletes the trail 20 minutes later, and leaves the organization 3 days later
		var json = new com.fasterxml.jackson.databind.ObjectMapper();
		var stop = (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(Fixtures.stratus("aws.defense-evasion.cloudtrail-stop").toFile()).get(0);
		var delete = stop.deepCopy().put("eventName", "DeleteTrail").put("eventID", "d-1").put("eventTime", "2024-07-31T13:26:24Z");
		var leave = stop.deepCopy().put("eventSource", "organizations.amazonaws.com").put("eventName", "LeaveOrganization")
				.put("eventID", "l-1").put("eventTime", "2024-08-03T13:06:24Z");
		Path f = java.nio.file.Files.writeString(dir.resolve("one-identity.json"), json.createArrayNode().add(stop).add(delete).add(leave).toString());
		try (EvidenceStore store = EvidenceStore.open(dir.resolve("store"))) {
			IngestTest.ingest(store, f);
			new Reasoner(store).run(RuleSet.load(null), new NullProgressMonitor());
			List<List<String>> sequences = new Findings(store).sequences("en").stream()
					.map(q -> q.members().stream().map(Findings.Signal::eventName).sorted().toList())
					.sorted((a, b) -> a.toString().compareTo(b.toString())).toList();
			assertEquals(List.of(List.of("DeleteTrail", "StopLogging"), List.of("LeaveOrganization")), sequences);
		}
	}

	@Test
	void sequencesAreTypedByWhatTheyDid(@TempDir Path dir) throws IOException {
		try (EvidenceStore store = EvidenceStore.open(dir.resolve("store"))) {
			IngestTest.ingest(store, Fixtures.stratus("aws.exfiltration.ec2-share-ebs-snapshot"));
			new Reasoner(store).run(RuleSet.load(null), new NullProgressMonitor());
			assertEquals("AttackSequence:S3/CompromisedData", new Findings(store).sequences("en").get(0).type());
		}
		try (EvidenceStore store = EvidenceStore.open(dir.resolve("store2"))) {
			IngestTest.ingest(store, Fixtures.stratus("aws.credential-access.ec2-steal-instance-credentials"),
					Fixtures.stratus("aws.defense-evasion.cloudtrail-stop"));
			new Reasoner(store).run(RuleSet.load(null), new NullProgressMonitor());
			List<String> types = new Findings(store).sequences("en").stream().map(Findings.Sequence::type).toList();
			assertTrue(types.contains("AttackSequence:IAM/CompromisedCredentials"), types.toString());
		}
	}

	@Test
	void everyDefenseEvasionTamperingFileRaisesASignal(@TempDir Path dir) throws IOException {
		try (EvidenceStore store = EvidenceStore.open(dir.resolve("store"))) {
			for (String t : List.of("cloudtrail-stop", "cloudtrail-delete", "cloudtrail-event-selectors",
					"vpc-remove-flow-logs", "organizations-leave", "dns-delete-logs")) {
				IngestTest.ingest(store, Fixtures.stratus("aws.defense-evasion." + t));
			}
			new Reasoner(store).run(RuleSet.load(null), new NullProgressMonitor());
			List<String> names = new Findings(store).signals("en").stream().map(Findings.Signal::eventName).sorted().toList();
			assertTrue(names.containsAll(List.of("DeleteFlowLogs", "DeleteResolverQueryLogConfig", "DeleteTrail",
					"LeaveOrganization", "PutEventSelectors", "StopLogging")), names.toString());
		}
	}

	@Test
	void queriesCountAndRefuseTheNetwork(@TempDir Path dir) throws IOException {
		try (EvidenceStore store = EvidenceStore.open(dir.resolve("store"))) {
			IngestTest.ingest(store, Fixtures.stratus("aws.defense-evasion.cloudtrail-stop"));
			QueryService q = new QueryService(store, 30);
			var out = new ByteArrayOutputStream();
			assertEquals(1, q.run("SELECT (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } }", QueryService.Format.CSV, out));
			long n = Long.parseLong(out.toString(StandardCharsets.UTF_8).split("\\R")[1].strip());
			assertEquals(store.quadCount(), n);
			out.reset();
			assertEquals(1, q.run("SELECT ?name { ?e a loupe:ApiCall ; loupe:eventName ?name }", QueryService.Format.TSV, out));
			assertTrue(out.toString(StandardCharsets.UTF_8).contains("StopLogging"));

			var e = assertThrows(UntrustedQueryException.class,
					() -> q.run("SELECT * { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }", QueryService.Format.TABLE, out));
			assertTrue(e.getMessage().contains("SERVICE"));
			assertThrows(UntrustedQueryException.class,
					() -> q.run("SELECT * FROM <file:///etc/passwd> { ?s ?p ?o }", QueryService.Format.TABLE, out));
			var syntax = assertThrows(UntrustedQueryException.class,
					() -> q.run("SELECT ?s\nWHERE { ?s ?p }", QueryService.Format.TABLE, out));
			assertTrue(syntax.getMessage().contains("line 2"), syntax.getMessage());
		}
	}

	@Test
	void overviewGraphHasPrincipalsAddressesAndFlaggedApis(@TempDir Path dir) throws IOException {
		try (EvidenceStore store = EvidenceStore.open(dir.resolve("store"))) {
			IngestTest.ingest(store, Fixtures.stratus("aws.defense-evasion.cloudtrail-stop"));
			new Reasoner(store).run(RuleSet.load(null), new NullProgressMonitor());
			EntityGraph g = EntityGraph.load(store, 10, 10);
			assertTrue(g.nodes().stream().anyMatch(n -> n.kind() == EntityGraph.Kind.PRINCIPAL && n.label().equals("christophe") && n.flagged()));
			assertTrue(g.nodes().stream().anyMatch(n -> n.kind() == EntityGraph.Kind.ADDRESS && n.label().equals("86.245.153.234")));
			assertTrue(g.nodes().stream().anyMatch(n -> n.kind() == EntityGraph.Kind.API && n.label().equals("StopLogging") && n.flagged()));
			assertEquals(2, g.edges().size());
		}
	}

	/** The recordings were made in many accounts, each with a user christophe: the graph tells them apart. */
	@Test
	void principalsOfOneNameInSeveralAccountsAreToldApart(@TempDir Path dir) throws IOException {
		try (EvidenceStore store = EvidenceStore.open(dir.resolve("store"))) {
			IngestTest.ingest(store, Fixtures.stratus("aws.defense-evasion.cloudtrail-stop"), Fixtures.stratus("aws.defense-evasion.cloudtrail-delete"));
			new Reasoner(store).run(RuleSet.load(null), new NullProgressMonitor());
			List<String> labels = EntityGraph.load(store, 10, 10).nodes().stream().filter(n -> n.kind() == EntityGraph.Kind.PRINCIPAL)
					.map(EntityGraph.Node::label).sorted().toList();
			assertEquals(2, labels.size(), labels.toString());
			assertTrue(labels.stream().allMatch(l -> l.matches("christophe · \\d{12}")) && !labels.get(0).equals(labels.get(1)), labels.toString());
		}
	}
}
