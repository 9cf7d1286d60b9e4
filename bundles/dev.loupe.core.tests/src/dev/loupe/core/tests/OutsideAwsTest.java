package dev.loupe.core.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.loupe.core.reason.Findings;
import dev.loupe.core.store.AsnSource;
import dev.loupe.core.store.EvidenceStore;

/**
 * An instance's credentials used from a network outside AWS (GuardDuty's InstanceCredentialExfiltration.OutsideAWS):
 * no home address is needed, so an instance that never called AWS itself is covered too. The table of networks is
 * the analyst's own, in Loupe's home, with the lines the bundled table has for these ranges.
 */
class OutsideAwsTest {
	static final String LINODE = "45.33.32.156";
	static final ObjectNode REPORTS = NoisyAccount.session("", "reports-role", "i-0123456789abcdef0", "ASIAREPORTSROLE00001");
	static final Instant THEFT = NoisyAccount.START.plus(1, ChronoUnit.DAYS).plus(22, ChronoUnit.HOURS);
	private Path table;

	@BeforeEach
	void ownTable() throws IOException {
		table = Files.createDirectories(AsnSource.ownTables()).resolve("outside-aws.csv");
		Files.writeString(table, """
				45.33.0.0,45.33.127.255,63949,"Akamai Technologies, Inc."
				52.40.0.0,52.43.255.255,16509,"Amazon.com, Inc."
				54.170.0.0,54.170.255.255,16509,"Amazon.com, Inc."
				52.48.0.0,52.49.255.255,16509,"Amazon.com, Inc."
				""");
	}

	@AfterEach
	void noTable() throws IOException {
		Files.deleteIfExists(table);
	}

	/**
	 * Panther's tests of its IMDS exfiltration rule, each event in a store of its own. Panther alerts on any public
	 * address, Amazon's included; Loupe judges an Amazon address only against the instance's own (the intruder's
	 * instance in another account looks like the instance's NAT gateway); a call to the Session Manager's channel
	 * from outside AWS is as much a theft as any other; and a call a service made for the instance is recorded with
	 * the service's name where the address would be (the test gives it an address, which Loupe takes at its word).
	 */
	@Test
	void panthersTests(@TempDir Path dir) throws IOException {
		Map<String, String> table = new TreeMap<>();
		int n = 0;
		for (String line : Files.readAllLines(Fixtures.datasets().resolve("panther-analysis/rule-tests/panther_rule_tests.AWS.CloudTrail.jsonl"))) {
			JsonNode t = ScenarioTest.JSON.readTree(line);
			if (!t.path("rule_id").asText().equals("AWS.CloudTrail.IMDSCredentialExfiltration")) {
				continue;
			}
			Path d = Files.createDirectories(dir.resolve("t" + ++n));
			Path file = Files.writeString(d.resolve("event.json"), ScenarioTest.JSON.writeValueAsString(
					ScenarioTest.JSON.createObjectNode().set("Records", ScenarioTest.JSON.createArrayNode().add(t.get("log")))));
			try (EvidenceStore store = ScenarioTest.reasoned(d, file)) {
				boolean loupe = new Findings(store).signals("en").stream().anyMatch(s -> s.detector().endsWith("/instance-credentials-off-instance"));
				table.put(t.path("test_name").asText(), "panther " + t.path("expected_result").asBoolean() + ", loupe " + loupe);
			}
		}
		table.forEach((k, v) -> System.out.println("IMDS exfiltration: " + k + ": " + v));
		assertEquals(10, table.size());
		List<String> disagree = new ArrayList<>();
		table.forEach((k, v) -> {
			String[] verdicts = v.replace("panther ", "").replace(" loupe ", "").split(",");
			if (!verdicts[0].equals(verdicts[1])) {
				disagree.add(k);
			}
		});
		assertEquals(List.of("AWS Service InvokedBy on behalf of instance", "IMDS Credentials Used From Amazon.com ASN Source IP",
				"SSM Messages Service Source"), disagree, table.toString());
		assertEquals("panther true, loupe true", table.get("IMDS Credentials Used From Public IP"));
	}

	/**
	 * In the noisy account, a reporting server that never calls AWS itself (it only serves pages) has its role's
	 * credentials taken through a forged request and used from a Linode server: the intruder asks who it is, lists
	 * the buckets and downloads twenty reports. That is one sequence of the instance's session; nothing of the
	 * background joins it.
	 */
	@Test
	void anInstanceThatNeverCalledAwsItself(@TempDir Path dir) throws IOException {
		try (EvidenceStore store = ScenarioTest.reasoned(dir, NoisyAccount.quiet().writeTrail(dir), theft(dir))) {
			List<Findings.Sequence> sequences = new Findings(store).sequences("en");
			assertEquals(List.of("reports-role/i-0123456789abcdef0"), sequences.stream().map(Findings.Sequence::actorLabel).toList(),
					sequences.toString());
			Findings.Signal taken = sequences.get(0).members().stream().filter(m -> m.detector().endsWith("/instance-credentials-off-instance"))
					.findFirst().orElseThrow(() -> new AssertionError(sequences.toString()));
			assertEquals("T1552.005", taken.technique());
			assertEquals(22, taken.evidence().size(), "who am I, the list and the twenty downloads");
			assertEquals(LINODE, taken.ip());
			assertTrue(sequences.get(0).members().stream().allMatch(m -> m.actor().endsWith("/i-0123456789abcdef0")), sequences.toString());
		}
	}

	/** The background first, then the theft: the update gives what a full run over both gives. */
	@Test
	void anUpdateFindsWhatAFullRunFinds(@TempDir Path dir) throws IOException {
		NoisyAccount.updateOnTheQuietAccount(dir, theft(dir));
	}

	static Path theft(Path dir) throws IOException {
		NoisyAccount a = new NoisyAccount();
		String ua = "aws-cli/2.15.30 Python/3.11.8 Linux/6.1.0 exe/x86_64.debian.12 prompt/off command/";
		a.call(THEFT, "sts.amazonaws.com", "GetCallerIdentity", REPORTS, LINODE, ua + "sts.get-caller-identity");
		a.call(THEFT.plusSeconds(20), "s3.amazonaws.com", "ListBuckets", REPORTS, LINODE, ua + "s3.ls");
		for (int i = 0; i < 20; i++) {
			ObjectNode get = a.call(THEFT.plusSeconds(60 + 3 * i), "s3.amazonaws.com", "GetObject", REPORTS, LINODE, ua + "s3.cp");
			NoisyAccount.params(get).put("bucketName", "shop-finance-reports").put("key", "2025/q2/report-" + i + ".pdf");
			get.put("eventCategory", "Data").put("managementEvent", false).put("readOnly", true);
		}
		return a.writeTrail(dir, "theft.json");
	}
}
