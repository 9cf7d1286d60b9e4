package dev.loupe.core.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import org.eclipse.core.runtime.NullProgressMonitor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.node.ArrayNode;

import dev.loupe.core.query.EntityGraph;
import dev.loupe.core.reason.Findings;
import dev.loupe.core.reason.Reasoner;
import dev.loupe.core.reason.RuleSet;
import dev.loupe.core.store.AsnSource;
import dev.loupe.core.store.EvidenceStore;

/**
 * Alice reads a secret now and then from her office; one day from another address of the office's provider, then
 * from a hosting provider. Both addresses are new to her; only the second is in a network she never used. The
 * table is the analyst's own, in Loupe's home, as a user would put it there.
 */
class NetworkBaselineTest {
	private static final String LAPTOP = "aws-cli/2.17.0 Python/3.12 Darwin/24.0";
	private final ScenarioTest events = new ScenarioTest();
	private Path table;

	@BeforeEach
	void ownTable() throws IOException {
		table = Files.createDirectories(AsnSource.ownTables()).resolve("scenario.csv");
		Files.writeString(table, """
				198.51.100.0,198.51.100.255,64500,Example Office Fibre
				203.0.113.0/24,64511,"Example Hosting, Inc."
				""");
	}

	@AfterEach
	void noTable() throws IOException {
		Files.deleteIfExists(table);
	}

	@Test
	void anAddressInANetworkThePrincipalNeverUsedIsNew(@TempDir Path dir) throws IOException {
		try (EvidenceStore store = ScenarioTest.reasoned(dir, ScenarioTest.trail(dir, calls()))) {
			List<Findings.Signal> signals = new Findings(store).signals("en");
			Findings.Signal office = at(signals, "198.51.100.77");
			assertTrue(office.newlyObserved().contains("address"), office.toString());
			assertFalse(office.newlyObserved().contains("asn"), "the office's provider is not a new network: " + office);
			Findings.Signal hosting = at(signals, "203.0.113.99");
			assertTrue(hosting.newlyObserved().containsAll(List.of("address", "asn")), hosting.toString());
			assertEquals(List.of("AS64511 Example Hosting, Inc."),
					GuardDutyTest.select(store, "l", "<urn:loupe:ip:203.0.113.99> loupe:inAutonomousSystem/rdfs:label ?l"));
			assertEquals(List.of("64500"), GuardDutyTest.select(store, "n", "<urn:loupe:ip:198.51.100.20> loupe:inAutonomousSystem/loupe:asn ?n"));
			// an address the table does not hold is said to be so, and not looked up again by the next ingest
			assertEquals(List.of("true"), GuardDutyTest.select(store, "u", "<urn:loupe:ip:192.0.2.1> loupe:networkUnknown ?u"));
			// the overview graph's address nodes carry their network
			assertTrue(EntityGraph.load(store, 10, 10).nodes().stream()
					.anyMatch(n -> n.label().equals("203.0.113.99") && "AS64511 Example Hosting, Inc.".equals(n.network())));
		}
	}

	@Test
	void anotherTableLooksTheAddressesUpAgainAndDerivesAgain(@TempDir Path dir) throws IOException {
		ScenarioTest.reasoned(dir, ScenarioTest.trail(dir, calls())).close();
		// the hosting provider's range moves to another AS
		Files.writeString(table, """
				198.51.100.0,198.51.100.255,64500,Example Office Fibre
				203.0.113.0/24,64512,Example Cloud
				""");
		try (EvidenceStore store = EvidenceStore.open(dir.resolve("store"))) {
			assertEquals(List.of("64512"), GuardDutyTest.select(store, "n", "<urn:loupe:ip:203.0.113.99> loupe:inAutonomousSystem/loupe:asn ?n"));
			Reasoner.Result r = new Reasoner(store).update(RuleSet.load(null), new NullProgressMonitor());
			assertEquals(Reasoner.Mode.FULL, r.mode(), "the networks changed, and with them what is new to a principal");
			assertTrue(at(new Findings(store).signals("en"), "203.0.113.99").newlyObserved().contains("asn"));
		}
	}

	/**
	 * Evidence arriving in three files, the last one older than the others: Alice had once called from the hosting
	 * provider's network. Each update gives what a full run gives, and the network stops being new.
	 */
	@Test
	void updatesAgreeWithAFullRunAndOlderEvidenceCanMakeANetworkKnown(@TempDir Path dir) throws IOException {
		ArrayNode all = calls();
		ArrayNode first = ScenarioTest.JSON.createArrayNode();
		ArrayNode second = ScenarioTest.JSON.createArrayNode();
		for (int i = 0; i < all.size(); i++) {
			(i < 4 ? first : second).add(all.get(i));
		}
		ArrayNode older = ScenarioTest.JSON.createArrayNode();
		older.add(read(Instant.parse("2025-06-02T02:00:00Z"), "203.0.113.50"));
		List<Path> files = List.of(file(dir, "first.json", first), file(dir, "second.json", second), file(dir, "older.json", older));
		RuleSet rules = RuleSet.load(null);
		try (EvidenceStore step = EvidenceStore.open(dir.resolve("step")); EvidenceStore full = EvidenceStore.open(dir.resolve("full"))) {
			for (Path f : files) {
				IngestTest.ingest(step, f);
				Reasoner.Mode mode = new Reasoner(step).update(rules, new NullProgressMonitor()).mode();
				assertEquals(f == files.get(0) ? Reasoner.Mode.FULL : Reasoner.Mode.UPDATE, mode, f.toString());
				if (f.getFileName().toString().equals("second.json")) {
					assertTrue(at(new Findings(step).signals("en"), "203.0.113.99").newlyObserved().contains("asn"));
				}
			}
			IngestTest.ingest(full, files.toArray(Path[]::new));
			new Reasoner(full).run(rules, new NullProgressMonitor());
			IncrementalUpdateTest.assertSameInferences(full, step);
			Findings.Signal hosting = at(new Findings(step).signals("en"), "203.0.113.99");
			assertTrue(hosting.newlyObserved().contains("address") && !hosting.newlyObserved().contains("asn"), hosting.toString());
		}
	}

	private static Path file(Path dir, String name, ArrayNode calls) throws IOException {
		return Files.writeString(dir.resolve(name), ScenarioTest.JSON.writeValueAsString(ScenarioTest.JSON.createObjectNode().set("Records", calls)));
	}

	private ArrayNode calls() {
		Instant start = Instant.parse("2025-06-02T00:00:00Z");
		ArrayNode calls = ScenarioTest.JSON.createArrayNode();
		for (int h : new int[] { 1, 9, 17, 26 }) {
			calls.add(read(start.plus(h, ChronoUnit.HOURS), "198.51.100.20"));
		}
		calls.add(read(start.plus(40, ChronoUnit.HOURS), "198.51.100.77"));
		calls.add(read(start.plus(44, ChronoUnit.HOURS), "203.0.113.99"));
		// a call from an address no range holds
		calls.add(events.call(start.plus(45, ChronoUnit.HOURS), "sts.amazonaws.com", "GetCallerIdentity", ScenarioTest.user("bob"),
				"192.0.2.1", LAPTOP));
		return calls;
	}

	private com.fasterxml.jackson.databind.node.ObjectNode read(Instant t, String ip) {
		return events.call(t, "secretsmanager.amazonaws.com", "GetSecretValue", ScenarioTest.user("alice"), ip, LAPTOP);
	}

	private static Findings.Signal at(List<Findings.Signal> signals, String ip) {
		return signals.stream().filter(s -> ip.equals(s.ip())).findFirst().orElseThrow(() -> new AssertionError("no signal from " + ip + ": " + signals));
	}
}
