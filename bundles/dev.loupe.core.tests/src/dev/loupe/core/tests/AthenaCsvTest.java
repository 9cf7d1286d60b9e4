package dev.loupe.core.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.eclipse.core.runtime.NullProgressMonitor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.loupe.core.ingest.FileResult;
import dev.loupe.core.ingest.FileResult.Status;
import dev.loupe.core.ingest.IngestReport;
import dev.loupe.core.ingest.ParseProblem;
import dev.loupe.core.reason.Findings;
import dev.loupe.core.reason.Reasoner;
import dev.loupe.core.reason.RuleSet;
import dev.loupe.core.store.EvidenceStore;

/**
 * CloudTrail events as analysts download them from an Athena query over the CloudTrail table (CSV): the whole
 * table ({@code SELECT *}), a few columns, bad rows among good ones.
 */
class AthenaCsvTest {
	private static final ObjectMapper JSON = new ObjectMapper();

	/** Every Stratus recording as Athena gives it back: the same events and, after the rules, the same signals. */
	@Test
	void theStratusRecordingsFromAthenaGiveTheSameEventsAndSignals(@TempDir Path dir) throws IOException {
		Path csv = Files.createDirectories(dir.resolve("athena"));
		try (Stream<Path> files = Files.list(Fixtures.stratus())) {
			for (Path f : files.sorted().toList()) {
				StringBuilder sb = new StringBuilder(AthenaCsv.header());
				JSON.readTree(f.toFile()).forEach(e -> sb.append(AthenaCsv.row(e)));
				Files.writeString(csv.resolve(f.getFileName().toString().replace(".json", ".csv")), sb);
			}
		}
		Set<String> fromJson = signals(dir.resolve("json"), Fixtures.stratus(), null);
		Set<String> fromCsv = signals(dir.resolve("csv"), csv, r -> {
			assertEquals(35, r.files().size());
			for (FileResult f : r.files()) {
				assertEquals(Status.INGESTED, f.status(), f.file());
				assertEquals("cloudtrail", f.format(), f.file());
				assertTrue(f.problems().isEmpty(), f.file() + ": " + f.problems());
			}
			try {
				assertEquals(Fixtures.stratusEventTotal(), r.records());
			} catch (IOException e) {
				throw new IllegalStateException(e);
			}
		});
		assertTrue(fromJson.size() > 100, fromJson.toString());
		assertEquals(fromJson, fromCsv);
	}

	/** Each signal by its time, technique, call, actor and event: the event's IRI comes from its ID. */
	private static Set<String> signals(Path storeDir, Path evidence, java.util.function.Consumer<IngestReport> check) throws IOException {
		try (EvidenceStore store = EvidenceStore.open(storeDir)) {
			IngestReport r = IngestTest.ingest(store, evidence);
			if (check != null) {
				check.accept(r);
			}
			new Reasoner(store).run(RuleSet.load(null), new NullProgressMonitor());
			return new Findings(store).signals("en").stream()
					.map(s -> s.time() + " " + s.technique() + " " + s.eventName() + " " + s.actorLabel() + " " + s.event() + " " + s.ip())
					.collect(Collectors.toCollection(TreeSet::new));
		}
	}

	/**
	 * A download of a few columns, a message over three lines with commas and quotes, a row cut short and a struct
	 * left open: the good rows are read, each bad one is named by its line.
	 */
	@Test
	void aQueryOfSomeColumnsWithBadRowsKeepsTheGoodOnes(@TempDir Path dir) throws IOException {
		String session = "{type=AssumedRole, principalid=AROA4D7QCMG4DYN7MGA25:i-0c29d6abb6a09589a, "
				+ "arn=arn:aws:sts::833190257080:assumed-role/EC2_S3_ROLE/i-0c29d6abb6a09589a, accountid=833190257080, invokedby=null, "
				+ "accesskeyid=ASIA4D7QCMG4M3U7HEOS, username=null, onbehalfof=null, sessioncontext={attributes={mfaauthenticated=false, "
				+ "creationdate=2020-04-12T20:14:55Z}, sessionissuer={type=Role, principalid=AROA4D7QCMG4DYN7MGA25, "
				+ "arn=arn:aws:iam::833190257080:role/EC2_S3_ROLE, accountid=833190257080, username=EC2_S3_ROLE}, ec2roledelivery=2.0, "
				+ "webidfederationdata=null}}";
		String text = "\"eventtime\",\"eventsource\",\"eventname\",\"awsregion\",\"sourceipaddress\",\"useragent\",\"useridentity\","
				+ "\"errorcode\",\"errormessage\",\"requestparameters\",\"eventid\"\n"
				// 2: denied, the message over three lines
				+ "\"2020-04-12T20:20:01Z\",\"iam.amazonaws.com\",\"ListUsers\",\"us-east-1\",\"203.0.113.9\",\"aws-cli/2.0.7\",\"" + session
				+ "\",\"AccessDenied\",\"User: arn:aws:sts::833190257080:assumed-role/EC2_S3_ROLE/i-0c29d6abb6a09589a\nis not authorized, "
				+ "\"\"iam:ListUsers\"\"\nwas denied\",,\"3c5e3b54-7b8a-4a61-9f64-1b0d3f0e0a01\"\n"
				// 5: cut short
				+ "\"2020-04-12T20:21:00Z\",\"s3.amazonaws.com\",\"ListBuckets\"\n"
				// 6: the trail stopped from the instance's credentials off the instance
				+ "\"2020-04-12T20:22:13Z\",\"cloudtrail.amazonaws.com\",\"StopLogging\",\"us-east-1\",\"203.0.113.9\",\"aws-cli/2.0.7\",\"" + session
				+ "\",,,\"{\"\"name\"\":\"\"arn:aws:cloudtrail:us-east-1:833190257080:trail/main\"\"}\",\"3c5e3b54-7b8a-4a61-9f64-1b0d3f0e0a02\"\n"
				// 7: a struct left open
				+ "\"2020-04-12T20:23:00Z\",\"iam.amazonaws.com\",\"CreateUser\",\"us-east-1\",\"203.0.113.9\",\"aws-cli/2.0.7\","
				+ "\"{type=IAMUser, arn=arn:aws:iam::833190257080:user/x\",,,\"{}\",\"3c5e3b54-7b8a-4a61-9f64-1b0d3f0e0a03\"\n"
				// 8: the trail deleted
				+ "\"2020-04-12T20:24:40Z\",\"cloudtrail.amazonaws.com\",\"DeleteTrail\",\"us-east-1\",\"203.0.113.9\",\"aws-cli/2.0.7\",\"" + session
				+ "\",,,\"{\"\"name\"\":\"\"main\"\"}\",\"3c5e3b54-7b8a-4a61-9f64-1b0d3f0e0a04\"\n";
		Path file = Files.writeString(dir.resolve("9f1c2d3e-results.csv"), text);
		try (EvidenceStore store = EvidenceStore.open(dir.resolve("store"))) {
			FileResult r = IngestTest.ingest(store, file).files().get(0);
			assertEquals(Status.INGESTED, r.status(), r.toString());
			assertEquals(3, r.records(), r.problems().toString());
			assertEquals(List.of(5L, 7L), r.problems().stream().map(ParseProblem::line).toList(), r.problems().toString());
			assertTrue(r.problems().get(0).message().contains("3 fields, expected 11"), r.problems().toString());
			assertTrue(r.problems().get(1).message().startsWith("useridentity"), r.problems().toString());
			assertTrue(r.problems().get(1).toString().contains("9f1c2d3e-results.csv:7: record 4"), r.problems().toString());
			new Reasoner(store).run(RuleSet.load(null), new NullProgressMonitor());
			List<Findings.Signal> signals = new Findings(store).signals("en");
			Set<String> seen = signals.stream().map(s -> s.eventName() + " " + s.actorLabel() + " " + s.ip()).collect(Collectors.toCollection(TreeSet::new));
			assertTrue(seen.contains("StopLogging EC2_S3_ROLE/i-0c29d6abb6a09589a 203.0.113.9"), seen.toString());
			assertTrue(seen.contains("DeleteTrail EC2_S3_ROLE/i-0c29d6abb6a09589a 203.0.113.9"), seen.toString());
			JsonNode denied = JSON.readTree(GuardDutyTest.select(store, "m", "?e loupe:eventName \"ListUsers\" ; loupe:rawRecord ?m").get(0));
			assertEquals("User: arn:aws:sts::833190257080:assumed-role/EC2_S3_ROLE/i-0c29d6abb6a09589a\nis not authorized, \"iam:ListUsers\"\nwas denied",
					denied.path("errorMessage").asText());
		}
	}

	/** {@code SELECT eventtime, eventsource, eventname, useridentity.arn, ...}: Athena names the column arn. */
	@Test
	void userIdentitysFieldsSelectedOnTheirOwnNameTheActor(@TempDir Path dir) throws IOException {
		String text = "eventtime,eventsource,eventname,arn,type,accesskeyid,sourceipaddress,useragent\n"
				+ "2024-07-31T12:46:41Z,cloudtrail.amazonaws.com,DeleteTrail,arn:aws:iam::847129010505:user/christophe,IAMUser,"
				+ "AKIA4SZ5PQAEXAMPLE01,8.1.250.216,aws-cli/2.15.0\n";
		Path file = Files.writeString(dir.resolve("some-columns.csv"), text);
		Path noSource = Files.writeString(dir.resolve("no-source.csv"), "eventtime,eventname,arn\n2024-07-31T12:46:41Z,DeleteTrail,x\n");
		try (EvidenceStore store = EvidenceStore.open(dir.resolve("store"))) {
			IngestReport report = IngestTest.ingest(store, file, noSource);
			FileResult r = report.files().stream().filter(f -> f.file().endsWith("some-columns.csv")).findFirst().orElseThrow();
			assertEquals(1, r.records(), r.problems().toString());
			FileResult bad = report.files().stream().filter(f -> f.file().endsWith("no-source.csv")).findFirst().orElseThrow();
			assertEquals(0, bad.records());
			assertEquals(1, bad.problems().size(), bad.problems().toString());
			assertTrue(bad.problems().get(0).toString().contains("no-source.csv:1: the header has no column eventsource"), bad.problems().toString());
			new Reasoner(store).run(RuleSet.load(null), new NullProgressMonitor());
			Set<String> seen = new Findings(store).signals("en").stream().map(s -> s.eventName() + " " + s.actor())
					.collect(Collectors.toCollection(TreeSet::new));
			assertEquals(Set.of("DeleteTrail urn:loupe:arn:aws:iam::847129010505:user/christophe"), seen);
		}
	}

	/** LookupEvents flattened to CSV (and CloudQuery's cloud_trail_event): the event is its JSON column. */
	@Test
	void aColumnHoldingTheWholeEventGivesThatEvent(@TempDir Path dir) throws IOException {
		StringBuilder sb = new StringBuilder("EventId,EventName,EventTime,Username,CloudTrailEvent\r\n");
		for (JsonNode e : CloudTrailShapesTest.events()) {
			sb.append(e.path("eventID").asText()).append(',').append(e.path("eventName").asText()).append(',')
					.append(e.path("eventTime").asText()).append(',').append(e.path("userIdentity").path("userName").asText()).append(",\"")
					.append(JSON.writeValueAsString(e).replace("\"", "\"\"")).append("\"\r\n");
		}
		CloudTrailShapesTest.assertSameEventsAsTheRecording(Files.writeString(dir.resolve("lookup.csv"), sb), "cloudtrail", dir);
	}
}
