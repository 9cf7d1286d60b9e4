package dev.loupe.core.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.eclipse.core.runtime.NullProgressMonitor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.loupe.core.reason.Reasoner;
import dev.loupe.core.reason.RuleException;
import dev.loupe.core.reason.RuleSet;
import dev.loupe.core.store.EvidenceStore;

/**
 * A rule file of the analyst's that cannot be parsed, or whose update fails when it runs, is reported with the
 * file and line; the inferred graph of the last good run stays as it was.
 */
class RuleErrorTest {

	@Test
	void brokenRulesNameFileAndLineAndChangeNothing(@TempDir Path dir) throws IOException {
		Path rules = Files.createDirectories(dir.resolve("rules"));
		try (EvidenceStore store = EvidenceStore.open(dir.resolve("store"))) {
			IngestTest.ingest(store, Fixtures.stratus("aws.defense-evasion.cloudtrail-stop"));
			var good = new Reasoner(store).run(RuleSet.load(rules), new NullProgressMonitor());

			Files.writeString(rules.resolve("90-mine.ru"), """
					# my rule: mark the trail's stoppers
					PREFIX loupe: <https://w3id.org/loupe/ontology#>
					INSERT { GRAPH ?inferred { ?a loupe:stoppedTheTrail true } }
					WHERE { GRAPH ?inferred { ?s loupe:actor ?a ; loupe:detector ?d } ;

					CREATE GRAPH <urn:loupe:graph:inferred>
					""");
			RuleException syntax = assertThrows(RuleException.class, () -> new Reasoner(store).run(RuleSet.load(rules),
					new NullProgressMonitor()));
			assertTrue(syntax.getMessage().contains("90-mine.ru: ") && syntax.getMessage().contains("line 4"), syntax.getMessage());

			Files.writeString(rules.resolve("90-mine.ru"), """
					# my rule: mark the trail's stoppers
					PREFIX loupe: <https://w3id.org/loupe/ontology#>
					INSERT { GRAPH ?inferred { ?a loupe:stoppedTheTrail true } }
					WHERE { GRAPH ?inferred { ?s loupe:actor ?a ; loupe:detector ?d } } ;

					# a graph that does not exist cannot be added to another one
					ADD <urn:loupe:graph:never-written> TO <urn:loupe:graph:mine>
					""");
			RuleException run = assertThrows(RuleException.class, () -> new Reasoner(store).run(RuleSet.load(rules),
					new NullProgressMonitor()));
			assertTrue(run.getMessage().contains("90-mine.ru, line 7, update 2 of 2: "), run.getMessage());
			assertEquals(good.signals(), GuardDutyTest.select(store, "s", "GRAPH <urn:loupe:graph:inferred> { ?s a loupe:Signal }").size(),
					"the last good run's results are kept");
			assertEquals(0, GuardDutyTest.select(store, "a", "?a loupe:stoppedTheTrail true").size());
		}
	}
}
