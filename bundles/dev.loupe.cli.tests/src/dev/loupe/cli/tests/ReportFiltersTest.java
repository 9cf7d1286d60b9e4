package dev.loupe.cli.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** `loupe sequences|signals|gaps` keep what --min-severity, --actor, --since and --until name. */
class ReportFiltersTest {
	@TempDir
	Path home;

	/** Hundreds of sequences in an incident: the analyst keeps the severe ones, one principal's, one window's. */
	@Test
	void sequencesSignalsAndGapsAreFilteredBySeverityActorAndTime() throws IOException {
		CliTest cli = new CliTest();
		cli.home = home;
		Path recordings = CliTest.stratus();
		assertEquals(0, cli.loupe("ingest", "--reason", "--store", cli.store(), recordings.resolve("aws.defense-evasion.cloudtrail-stop.json").toString(),
				recordings.resolve("aws.exfiltration.ec2-share-ebs-snapshot.json").toString()).code());
		ObjectMapper json = new ObjectMapper();
		assertEquals(2, json.readTree(cli.loupe("sequences", "--store", cli.store(), "--format", "json").out()).size());
		JsonNode severe = json.readTree(cli.loupe("sequences", "--store", cli.store(), "--format", "json", "--min-severity", "7.5").out());
		assertEquals(1, severe.size(), severe.toString());
		assertEquals("StopLogging", severe.get(0).get("members").get(0).get("eventName").asText());
		String account = severe.get(0).get("actor").asText().replaceAll(".*::(\\d{12}):.*", "$1");
		JsonNode theirs = json.readTree(cli.loupe("sequences", "--store", cli.store(), "--format", "json", "--actor", account).out());
		assertEquals(List.of(severe.get(0).get("iri")), List.of(theirs.get(0).get("iri")));
		assertEquals(1, theirs.size());
		assertEquals(2, json.readTree(cli.loupe("sequences", "--store", cli.store(), "--format", "json", "--actor", "CHRISTOPHE").out()).size(),
				"any case, part of the name");
		JsonNode later = json.readTree(cli.loupe("signals", "--store", cli.store(), "--format", "json", "--since", "2024-08-01T00:00:00Z").out());
		assertEquals(List.of("ModifySnapshotAttribute"), later.findValuesAsText("eventName"));
		assertEquals(0, json.readTree(cli.loupe("gaps", "--store", cli.store(), "--format", "json", "--until", "2024-07-31T00:00:00Z").out()).size(),
				"the trail was stopped later");
		assertEquals(1, json.readTree(cli.loupe("gaps", "--store", cli.store(), "--format", "json", "--since", "2025-01-01T00:00:00Z").out()).size(),
				"a gap never restored runs on");
		// two accounts' christophe: the text says which, the JSON keeps the name beside the IRI
		String text = cli.loupe("signals", "--store", cli.store()).out();
		assertTrue(text.matches("(?s).*\\(actor christophe · \\d{12}\\).*") && !text.contains("(actor christophe)"), text);
		assertEquals(List.of("christophe"), json.readTree(cli.loupe("signals", "--store", cli.store(), "--format", "json").out())
				.findValuesAsText("actorLabel").stream().distinct().toList());
		CliTest.Run bad = cli.loupe("sequences", "--store", cli.store(), "--min-severity", "high");
		assertEquals(1, bad.code());
		assertTrue(bad.err().contains("--min-severity needs a number such as 7 or 5.5, not \"high\""), bad.err());
	}
}
