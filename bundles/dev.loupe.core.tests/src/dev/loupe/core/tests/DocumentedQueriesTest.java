package dev.loupe.core.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.eclipse.core.runtime.NullProgressMonitor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.loupe.core.query.QueryService;
import dev.loupe.core.reason.Reasoner;
import dev.loupe.core.reason.RuleSet;
import dev.loupe.core.store.EvidenceStore;

/** The example queries of docs/ONTOLOGY.md answer what they promise on the Stratus recordings. */
class DocumentedQueriesTest {

	static List<String> run(EvidenceStore store, String file) throws IOException {
		Path q = Path.of(System.getProperty("loupe.repo"), "docs", "queries", file);
		var out = new ByteArrayOutputStream();
		new QueryService(store, 60).run(Files.readString(q), QueryService.Format.CSV, out);
		return out.toString(StandardCharsets.UTF_8).lines().toList();
	}

	@Test
	void documentedQueriesAnswer(@TempDir Path dir) throws IOException {
		try (EvidenceStore store = EvidenceStore.open(dir.resolve("store"))) {
			IngestTest.ingest(store, Fixtures.stratus());
			new Reasoner(store).run(RuleSet.load(null), new NullProgressMonitor());

			List<String> activity = run(store, "principal-activity.rq");
			assertTrue(activity.size() > 30, activity.toString());
			assertTrue(activity.get(1).contains("christophe"), activity.get(1));

			List<String> chains = run(store, "role-chains.rq");
			assertTrue(chains.stream().anyMatch(l -> l.contains("christophe") && l.contains(",ASIA")), chains.toString());

			List<String> tampering = run(store, "tampering-with-provenance.rq");
			assertEquals(8, tampering.size(), String.join("\n", tampering)); // header + 6 logging tampering + 1 firewall opened
			assertTrue(tampering.stream().anyMatch(l -> l.contains("CloudTrail logging stopped")
					&& l.contains("aws.defense-evasion.cloudtrail-stop.json")), String.join("\n", tampering));
		}
	}
}
