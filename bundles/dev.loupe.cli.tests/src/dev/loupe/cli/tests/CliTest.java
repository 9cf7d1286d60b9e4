package dev.loupe.cli.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.loupe.cli.Cli;

/** The `loupe` command contract, run as a user would, on the Stratus Red Team recordings. */
class CliTest {
	@TempDir
	Path home;

	record Run(int code, String out, String err) {
	}

	Run loupe(String... args) {
		return loupe(new ByteArrayOutputStream(), new ByteArrayOutputStream(), args);
	}

	/** The same, writing to streams the caller can read while the command runs. */
	Run loupe(ByteArrayOutputStream out, ByteArrayOutputStream err, String... args) {
		int code = new Cli(new PrintStream(out, true, StandardCharsets.UTF_8),
				new PrintStream(err, true, StandardCharsets.UTF_8), home).run(args);
		return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
	}

	static Path stratus() {
		return Path.of(System.getProperty("loupe.test.datasets"), "stratus-red-team-detonation-logs/detonation-logs");
	}

	String store() {
		return home.resolve("store").toString();
	}

	long quadCount() {
		Run r = loupe("query", "--store", store(), "--format", "csv",
				"SELECT (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } }");
		assertEquals(0, r.code(), r.err());
		return Long.parseLong(r.out().split("\\R")[1].strip());
	}

	@Test
	void ingestReportsEveryFileAndIsIdempotent() {
		Run first = loupe("ingest", "--store", store(), stratus().toString());
		assertEquals(0, first.code(), first.err());
		assertEquals(35, first.out().lines().filter(l -> l.strip().startsWith("ingested ")).count(), first.out());
		assertTrue(first.out().contains("aws.defense-evasion.cloudtrail-stop.json  (cloudtrail, 1 records"), first.out());
		assertTrue(first.out().contains("35 files: 310 records"), first.out());
		assertTrue(first.out().lines().anyMatch(l -> l.matches(".*\\[35/35 files, \\d+ records/s\\]")), "progress on the last file, of all files found: " + first.out());
		long quads = quadCount();
		assertTrue(quads > 3000, "facts: " + quads);

		Run second = loupe("ingest", "--store", store(), stratus().toString());
		assertEquals(0, second.code(), second.err());
		assertEquals(35, second.out().lines().filter(l -> l.strip().startsWith("unchanged")).count(), second.out());
		assertEquals(quads, quadCount());
	}

	@Test
	void malformedFileIsNamedWithItsPositionAndTheOthersAreIngested() throws IOException {
		Path in = Files.createDirectories(home.resolve("in"));
		Files.copy(stratus().resolve("aws.defense-evasion.cloudtrail-stop.json"), in.resolve("a-good.json"));
		// a download cut short: the first 25 lines of a real recording
		String whole = Files.readString(stratus().resolve("aws.persistence.iam-create-admin-user.json"));
		Files.writeString(in.resolve("b-broken.json"), String.join("\n", whole.lines().limit(25).toList()));
		Files.copy(stratus().resolve("aws.defense-evasion.cloudtrail-delete.json"), in.resolve("c-good.json"));
		Run r = loupe("ingest", "--store", store(), in.toString());
		assertEquals(1, r.code());
		assertTrue(java.util.regex.Pattern.compile("b-broken\\.json:2[0-9]:[0-9]+: record 1: invalid JSON").matcher(r.err()).find(),
				r.err());
		assertTrue(r.err().contains("invalid JSON"), r.err());
		assertEquals(2, r.out().lines().filter(l -> l.strip().startsWith("ingested ")).count(), r.out());
	}

	@Test
	void reasonAndSequencesShowCloudTrailTampering() throws IOException {
		assertEquals(0, loupe("ingest", "--store", store(), stratus().resolve("aws.defense-evasion.cloudtrail-stop.json").toString()).code());
		Run reason = loupe("reason", "--store", store());
		assertEquals(0, reason.code(), reason.err());
		assertTrue(reason.out().contains("Inferred 1 signals, 1 sequences and 1 coverage gaps."), reason.out());
		assertTrue(reason.out().contains("Derived everything again"), reason.out());
		Run again = loupe("reason", "--store", store());
		assertTrue(again.out().contains("No new evidence since the last run"), again.out());
		// ingest --reason updates in the same process
		Run update = loupe("ingest", "--reason", "--store", store(), stratus().resolve("aws.defense-evasion.cloudtrail-delete.json").toString());
		assertEquals(0, update.code(), update.err());
		assertTrue(update.out().contains("ingested ") && update.out().contains("Updated after new evidence:"), update.out());
		assertTrue(update.out().contains("Inferred 2 signals"), update.out());
		assertTrue(update.out().contains("  new sequence: "), "and says what the new evidence changed: " + update.out());
		assertFalse(reason.out().contains("new sequence"), "a full run does not: " + reason.out());
		assertTrue(loupe("reason", "--store", store()).out().contains("No new evidence since the last run"));
		Run full = loupe("reason", "--store", store(), "--full");
		assertTrue(full.out().contains("Derived everything again") && full.out().contains("Inferred 2 signals"), full.out());
		// the rules ran on the removed source's evidence: they run in full on what remains
		Run removed = loupe("remove", "--store", store(), stratus().resolve("aws.defense-evasion.cloudtrail-delete.json").toString());
		assertEquals(0, removed.code(), removed.err());
		assertTrue(removed.out().contains("Derived everything again") && removed.out().contains("Inferred 1 signals"), removed.out());

		Run text = loupe("sequences", "--store", store());
		assertEquals(0, text.code(), text.err());
		assertTrue(text.out().contains("AttackSequence:IAM/CompromisedCredentials"), text.out());
		assertTrue(text.out().contains("T1562.008 TA0005"), text.out());
		assertTrue(text.out().contains("CloudTrail logging stopped"), text.out());
		assertTrue(text.out().contains("StopLogging from 86.245.153.234"), text.out());

		JsonNode json = new ObjectMapper().readTree(loupe("sequences", "--store", store(), "--format", "json").out());
		assertEquals(1, json.size());
		assertEquals("StopLogging", json.get(0).get("members").get(0).get("eventName").asText());
		assertEquals("https://w3id.org/loupe/rule/api-call-detector-succeeded", json.get(0).get("members").get(0).get("rule").asText());
		// the sequence as a whole, as the text shows it
		assertEquals("[\"TA0005\"]", json.get(0).get("tactics").toString());
		assertEquals("[\"T1562.008\"]", json.get(0).get("techniques").toString());
		assertEquals(json.get(0).get("actor").asText(), json.get(0).get("actors").get(0).get("actor").asText());
		assertEquals(0, json.get(0).get("failedMembers").asInt());
		// each record behind the signal, with the ID CloudTrail gave it: what happened can be checked call by call
		JsonNode behind = json.get(0).get("members").get(0).get("evidence");
		assertEquals(1, behind.size(), behind.toString());
		assertEquals("10163ed2-2253-469d-a5ee-cbc6651f8934", behind.get(0).get("id").asText());
		assertEquals("2024-07-31T13:06:24Z", behind.get(0).get("time").asText());
		assertEquals(json.get(0).get("members").get(0).get("event").asText(), behind.get(0).get("event").asText());

		Run signals = loupe("signals", "--store", store(), "--format", "json");
		assertEquals("T1562.008", new ObjectMapper().readTree(signals.out()).get(0).get("technique").asText());

		// stopping the trail left CloudTrail off for the rest of the evidence
		Run gaps = loupe("gaps", "--store", store());
		assertEquals(0, gaps.code(), gaps.err());
		assertTrue(gaps.out().contains("CloudTrail off in account"), gaps.out());
		assertTrue(gaps.out().contains("(not restored in the evidence)"), gaps.out());
		assertTrue(gaps.out().contains("switched off by StopLogging (actor christophe)"), gaps.out());
		JsonNode gap = new ObjectMapper().readTree(loupe("gaps", "--store", store(), "--format", "json").out()).get(0);
		assertEquals("CloudTrail", gap.get("source").asText());
		assertTrue(gap.get("end").isNull(), gap.toString());

		// the record behind the signal, as CloudTrail delivered it, and behind the gap the call that caused it
		String signal = new ObjectMapper().readTree(signals.out()).get(0).get("iri").asText();
		Run evidence = loupe("evidence", "--store", store(), signal, gap.get("iri").asText());
		assertEquals(0, evidence.code(), evidence.err());
		assertEquals(2, evidence.out().split("\"eventName\" : \"StopLogging\"", -1).length - 1, evidence.out());
		assertTrue(evidence.out().contains("aws.defense-evasion.cloudtrail-stop.json)"), evidence.out());
		Run unknown = loupe("evidence", "--store", store(), "urn:loupe:signal:nothing");
		assertEquals(1, unknown.code());
		assertTrue(unknown.err().contains("urn:loupe:signal:nothing: no signal"), unknown.err());
	}

	/** The same StopLogging, made by a principal that only ever calls through Terraform: listed, no sequence. */
	@Test
	void automationsTeardownIsASignalButNoSequence() throws IOException {
		ObjectMapper json = new ObjectMapper();
		JsonNode trail = json.readTree(stratus().resolve("aws.defense-evasion.cloudtrail-stop.json").toFile());
		for (JsonNode e : trail.has("Records") ? trail.get("Records") : trail) {
			((com.fasterxml.jackson.databind.node.ObjectNode) e).put("userAgent",
					"APN/1.0 HashiCorp/1.0 Terraform/1.9.8 (+https://www.terraform.io) terraform-provider-aws/5.80.0");
		}
		Path teardown = Files.writeString(home.resolve("teardown.json"), json.writeValueAsString(trail));
		assertEquals(0, loupe("ingest", "--store", store(), teardown.toString()).code());
		Run reason = loupe("reason", "--store", store());
		assertTrue(reason.out().contains("Inferred 1 signals, 0 sequences and 1 coverage gaps."), reason.out());
		Run text = loupe("signals", "--store", store());
		assertTrue(text.out().contains("CloudTrail logging stopped") && text.out().contains("[automation: "), text.out());
		assertTrue(json.readTree(loupe("signals", "--store", store(), "--format", "json").out()).get(0).get("automated").asBoolean());
	}

	/**
	 * The bundled table names the network of each address: the instance's credentials were used from Stratus's
	 * runner, an address of Amazon's. The signal shows it, the store answers it.
	 */
	@Test
	void addressesAreShownWithTheirNetwork() throws IOException {
		assertEquals(0, loupe("ingest", "--reason", "--store", store(),
				stratus().resolve("aws.credential-access.ec2-steal-instance-credentials.json").toString()).code());
		Run q = loupe("query", "--store", store(), "--format", "csv",
				"SELECT ?l { <urn:loupe:ip:18.236.253.47> <https://w3id.org/loupe/ontology#inAutonomousSystem>/<http://www.w3.org/2000/01/rdf-schema#label> ?l }");
		assertEquals(0, q.code(), q.err());
		assertEquals(List.of("l", "\"AS16509 Amazon.com, Inc.\""), q.out().lines().toList());
		Run text = loupe("signals", "--store", store());
		assertTrue(text.out().contains(" from 18.236.253.47 (AS16509 Amazon.com, Inc.), "), text.out());
		JsonNode json = new ObjectMapper().readTree(loupe("signals", "--store", store(), "--format", "json").out());
		assertTrue(json.findValuesAsText("network").contains("AS16509 Amazon.com, Inc."), json.toString());
	}

	/**
	 * The analyst's own table replaces the bundled one; a line of it that is no range is named with its file and
	 * line by the ingest that read it, once, and the addresses of the other lines get their network.
	 */
	@Test
	void aBadLineOfTheAnalystsTableIsNamed() throws IOException {
		Path table = Files.createDirectories(dev.loupe.core.store.AsnSource.ownTables()).resolve("mine.csv");
		try {
			Files.writeString(table, "18.236.0.0/16,64999,Our Cloud\n18.236.253.47,AS1,Bad\n");
			Run r = loupe("ingest", "--store", store(), stratus().resolve("aws.credential-access.ec2-steal-instance-credentials.json").toString());
			assertEquals(0, r.code(), r.err());
			assertTrue(r.err().contains("table of autonomous systems: " + table + ":2: expected an address range"), r.err());
			Run again = loupe("ingest", "--store", store(), stratus().resolve("aws.defense-evasion.cloudtrail-stop.json").toString());
			assertTrue(!again.err().contains("table of autonomous systems"), again.err());
			Run q = loupe("query", "--store", store(), "--format", "csv",
					"SELECT ?l { <urn:loupe:ip:18.236.253.47> <https://w3id.org/loupe/ontology#inAutonomousSystem>/<http://www.w3.org/2000/01/rdf-schema#label> ?l }");
			assertEquals(List.of("l", "AS64999 Our Cloud"), q.out().lines().toList());
		} finally {
			Files.deleteIfExists(table);
		}
	}

	/** Stratus's 30 refused GetPasswordData calls: each signal says the attempt failed, and with which error. */
	@Test
	void refusedAttemptsSayTheyFailed() throws IOException {
		assertEquals(0, loupe("ingest", "--store", store(),
				stratus().resolve("aws.credential-access.ec2-get-password-data.json").toString()).code());
		assertEquals(0, loupe("reason", "--store", store()).code());
		Run text = loupe("signals", "--store", store());
		assertEquals(31, text.out().split("\\[failed with Client\\.UnauthorizedOperation: the attempt did not succeed\\]", -1).length - 1,
				text.out());
		JsonNode first = new ObjectMapper().readTree(loupe("signals", "--store", store(), "--format", "json").out()).get(0);
		assertEquals("Client.UnauthorizedOperation", first.get("errorCode").asText(), first.toString());
		Run sequences = loupe("sequences", "--store", store());
		assertTrue(sequences.out().contains("  failed:   31 of the 31 signals are attempts that did not succeed"), sequences.out());
	}

	/**
	 * GuardDuty's Low findings about an internet-facing instance (a port probe, then SSH brute force: two tactics on
	 * one instance) are listed, say why they make no sequence, and make none.
	 */
	@Test
	void lowSeverityFindingsAreListedButMakeNoSequence() throws IOException {
		ObjectMapper json = new ObjectMapper();
		var findings = json.createArrayNode();
		String[][] seen = { { "Recon:EC2/PortProbeUnprotectedPort", "2025-06-02T03:00:00Z" },
				{ "UnauthorizedAccess:EC2/SSHBruteForce", "2025-06-02T05:00:00Z" } };
		for (String[] f : seen) {
			var finding = findings.addObject().put("AccountId", "444455556666").put("Id", f[0].replaceAll("\\W", ""))
					.put("Arn", "arn:aws:guardduty:eu-west-1:444455556666:detector/d1/finding/" + f[0].replaceAll("\\W", ""))
					.put("Region", "eu-west-1").put("Type", f[0]).put("Title", f[0]).put("Severity", 2.0).put("CreatedAt", f[1])
					.put("UpdatedAt", f[1]).put("SchemaVersion", "2.0");
			finding.putObject("Resource").put("ResourceType", "Instance").putObject("InstanceDetails").put("InstanceId",
					"i-0a1b2c3d4e5f60789");
			finding.putObject("Service").put("ServiceName", "guardduty").put("EventFirstSeen", f[1]).put("EventLastSeen", f[1])
					.put("ResourceRole", "TARGET").put("Count", 1);
		}
		Path file = Files.writeString(home.resolve("findings.json"),
				json.writeValueAsString(json.createObjectNode().set("Findings", findings)));
		assertEquals(0, loupe("ingest", "--store", store(), file.toString()).code());
		Run reason = loupe("reason", "--store", store());
		assertTrue(reason.out().contains("Inferred 2 signals, 0 sequences"), reason.out());
		Run text = loupe("signals", "--store", store());
		assertEquals(2, text.out().split("\\[low severity: ", -1).length - 1, text.out());
		assertTrue(json.readTree(loupe("signals", "--store", store(), "--format", "json").out()).get(0).get("lowSeverity").asBoolean());
	}

	/**
	 * Logs that arrive while Loupe watches a folder: what is there is read at once, a file that appears later once
	 * it stops changing, and the results are updated; a file that changes after it was read is named, not read
	 * again.
	 */
	@Test
	void watchReadsFilesAsTheyArriveAndUpdatesTheResults() throws Exception {
		Path folder = Files.createDirectories(home.resolve("arriving"));
		Files.copy(stratus().resolve("aws.defense-evasion.cloudtrail-stop.json"), folder.resolve("stop.json"));
		var out = new ByteArrayOutputStream();
		var err = new ByteArrayOutputStream();
		Run[] done = new Run[1];
		Thread watch = new Thread(() -> done[0] = loupe(out, err, "watch", "--store", store(), "--every", "1", "--cycles", "15",
				folder.toString()));
		watch.start();
		await(out, "Inferred 1 signals, 1 sequences and 1 coverage gaps.");
		Files.copy(stratus().resolve("aws.defense-evasion.cloudtrail-delete.json"), folder.resolve("delete.json"));
		await(out, "Updated in ");
		Files.writeString(folder.resolve("stop.json"), "\n", java.nio.file.StandardOpenOption.APPEND);
		watch.join(120_000);
		assertEquals(0, done[0].code(), done[0].err() + done[0].out());
		String text = done[0].out();
		assertTrue(text.contains("Watching [" + folder + "] every 1 s"), text);
		assertTrue(text.contains("1 new file(s):") && text.contains("delete.json  (cloudtrail, 1 records"), text);
		assertTrue(text.contains("Updated in ") && text.contains(": 2 signals (+1), 2 sequences (+1), 2 coverage gaps."), text);
		assertTrue(text.contains("  new sequence: "), "the sequence the deleted trail made is named: " + text);
		assertTrue(text.contains("Stopped watching."), text);
		assertTrue(done[0].err().contains("stop.json changed after it was read"), done[0].err());
		assertEquals(2, loupe("sources", "--store", store(), "--format", "json").out().split("\"sha256\"", -1).length - 1,
				"the changed file is not a third source");
		Run bad = loupe("watch", "--store", store(), "--every", "0", folder.toString());
		assertEquals(1, bad.code());
		assertTrue(bad.err().contains("--every") && bad.err().contains("\"0\""), bad.err());
	}

	private static void await(ByteArrayOutputStream out, String text) throws InterruptedException {
		for (int i = 0; i < 600 && !out.toString(StandardCharsets.UTF_8).contains(text); i++) {
			Thread.sleep(100);
		}
		assertTrue(out.toString(StandardCharsets.UTF_8).contains(text), out.toString(StandardCharsets.UTF_8));
	}

	@Test
	void userErrorsExitWithOneAndSayWhat() {
		Run unknown = loupe("frobnicate");
		assertEquals(1, unknown.code());
		assertTrue(unknown.err().contains("frobnicate"));
		Run missing = loupe("ingest", "--store", store(), home.resolve("nope.json").toString());
		assertEquals(1, missing.code());
		assertTrue(missing.err().contains("nope.json"), missing.err());
		Run badQuery = loupe("query", "--store", store(), "SELECT ?x WHERE {");
		assertEquals(1, badQuery.code());
		assertTrue(badQuery.err().contains("line 1"), badQuery.err());
		Run service = loupe("query", "--store", store(), "SELECT * { SERVICE <http://127.0.0.1:1/> { ?s ?p ?o } }");
		assertEquals(1, service.code());
		Run format = loupe("query", "--store", store(), "--format", "xml", "ASK {}");
		assertEquals(1, format.code());
		assertTrue(format.err().contains("xml"), format.err());
	}

	@Test
	void helpForEveryCommand() {
		for (String c : new String[] { "ingest", "reason", "sequences", "signals", "gaps", "evidence", "query", "demo", "sources",
				"remove", "compact", "watch" }) {
			Run r = loupe(c, "--help");
			assertEquals(0, r.code(), c);
			assertTrue(r.out().startsWith("Usage: loupe " + c), r.out());
		}
		assertTrue(loupe("--help").out().contains("loupe demo"));
	}

	@Test
	void demoIngestsTheBundledSamplesAndPrintsTheSequences() {
		Run r = loupe("demo", "--store", store(), "--no-gui");
		assertEquals(0, r.code(), r.err() + r.out());
		assertEquals(8, r.out().lines().filter(l -> l.strip().startsWith("ingested ")).count(), r.out());
		assertTrue(r.out().contains("CloudTrail logging stopped"), r.out());
		assertTrue(r.out().contains("CloudTrail trail deleted"), r.out());
		// every link says why, written when read: "A -> B: same identity X, 3 min later"
		Run seq = loupe("sequences", "--store", store());
		assertTrue(seq.out().lines().anyMatch(l -> l.matches("\\s+\\S.* -> \\S.*: same \\S.*, .* later")), seq.out());
	}

	@Test
	void sourcesAreListedAndRemovedWithTheirInferences() {
		Path stop = stratus().resolve("aws.defense-evasion.cloudtrail-stop.json");
		Path delete = stratus().resolve("aws.defense-evasion.cloudtrail-delete.json");
		assertEquals(0, loupe("ingest", "--store", store(), stop.toString(), delete.toString()).code());
		Run both = loupe("reason", "--store", store());
		assertTrue(both.out().contains("Inferred 2 signals, 2 sequences and 2 coverage gaps."), both.out());
		Run list = loupe("sources", "--store", store());
		assertEquals(2, list.out().lines().count(), list.out());
		assertTrue(list.out().contains("cloudtrail  1 records, 0 errors"), list.out());

		Run remove = loupe("remove", "--store", store(), stop.toString());
		assertEquals(0, remove.code(), remove.err());
		assertTrue(remove.out().contains("Removed 1 sources"), remove.out());
		assertTrue(remove.out().contains("Inferred 1 signals, 1 sequences and 1 coverage gaps."), remove.out());
		Run seq = loupe("sequences", "--store", store());
		assertTrue(seq.out().contains("CloudTrail trail deleted"), seq.out());
		assertTrue(!seq.out().contains("CloudTrail logging stopped"), seq.out());

		// the space the removal and the second run left is given back; the facts stay
		Run compact = loupe("compact", "--store", store());
		assertEquals(0, compact.code(), compact.err());
		java.util.regex.Matcher sizes = java.util.regex.Pattern.compile("Compacted: ([\\d.]+) MB before, ([\\d.]+) MB after")
				.matcher(compact.out());
		assertTrue(sizes.find(), compact.out());
		// database files grow in preallocated steps: a store this small may keep its size, a large one halves
		assertTrue(Double.parseDouble(sizes.group(2)) <= Double.parseDouble(sizes.group(1)), compact.out());
		assertTrue(Files.isDirectory(Path.of(store(), "Data-0002")) && !Files.exists(Path.of(store(), "Data-0001")),
				"a new generation replaced the old one");
		assertEquals(seq.out(), loupe("sequences", "--store", store()).out());

		Run unknown = loupe("remove", "--store", store(), "0123456789abcdef");
		assertEquals(1, unknown.code());
		assertTrue(unknown.err().contains("0123456789abcdef"), unknown.err());
	}
}
