package dev.loupe.core.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.eclipse.core.runtime.NullProgressMonitor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.loupe.core.reason.Findings;
import dev.loupe.core.reason.Reasoner;
import dev.loupe.core.reason.RuleSet;
import dev.loupe.core.store.EvidenceStore;

/**
 * All 35 Stratus recordings as one red-teamer's afternoon in the noisy account (NoisyAccount): each file moved
 * into the account (its random account ID replaced wherever it occurs) and eight minutes after the one before,
 * in eu-west-1. What a judge of real runs counts: the detonations land in one sequence named for the user who
 * ran them, the background lands in none, and the account's own intrusion (the leaked deploy-bot key) stays a
 * sequence of its own. The detonations that the recordings give to other principals, which nothing in them ties
 * to christophe (a role used for Bedrock, a user Stratus made for a console sign-in, an SSO user's serial
 * console), are signals outside it.
 */
class StratusInNoisyAccountTest {

	@Test
	void theDetonationsAreOneSequenceBesideTheLeakedKeys(@TempDir Path dir) throws IOException {
		NoisyAccount account = NoisyAccount.generate();
		Path trail = account.writeTrail(dir);
		Path findings = account.writeFindings(dir);
		Path run = Files.writeString(dir.resolve("stratus.json"),
				NoisyAccount.JSON.writeValueAsString(NoisyAccount.JSON.createObjectNode().set("Records", afternoon())));
		try (EvidenceStore store = EvidenceStore.open(dir.resolve("store"))) {
			IngestTest.ingest(store, trail, findings, run);
			new Reasoner(store).run(RuleSet.load(null), new NullProgressMonitor());
			Findings f = new Findings(store);
			List<Findings.Sequence> sequences = f.sequences("en");
			assertEquals(List.of("christophe", "deploy-bot"), sequences.stream().map(Findings.Sequence::actorLabel).sorted().toList(),
					sequences.stream().map(q -> q.actorLabel() + " " + q.members().size()).toList().toString());
			Findings.Sequence red = sequences.stream().filter(q -> q.actorLabel().equals("christophe")).findFirst().orElseThrow();
			Findings.Sequence leak = sequences.stream().filter(q -> q.actorLabel().equals("deploy-bot")).findFirst().orElseThrow();
			assertTrue(red.members().stream().allMatch(StratusInNoisyAccountTest::detonated), "nothing of the background");
			assertTrue(leak.members().stream().noneMatch(StratusInNoisyAccountTest::detonated), "nothing of the red team");
			Set<String> members = new TreeSet<>(red.members().stream().map(Findings.Signal::iri).toList());
			List<Findings.Signal> detonations = f.signals("en").stream().filter(StratusInNoisyAccountTest::detonated).toList();
			List<Findings.Signal> outside = detonations.stream().filter(s -> !members.contains(s.iri())).toList();
			// (the Bedrock recording accepts a model's agreement and puts its entitlement before invoking it)
			assertEquals(List.of("ConsoleLogin", "CreateFoundationModelAgreement", "EnableSerialConsoleAccess", "InvokeModel",
					"PutFoundationModelEntitlement", "PutUseCaseForModelAccess", "SendSerialConsoleSSHPublicKey"),
					outside.stream().map(Findings.Signal::eventName).distinct().sorted().toList());
			assertTrue(outside.stream().noneMatch(s -> s.actor().endsWith(":user/christophe")), outside.toString());
			assertTrue(detonations.size() - outside.size() >= 100, "christophe's detonations raise " + (detonations.size() - outside.size()));
			// initial access (the console sign-in) and impact (Bedrock) are the other principals'
			assertEquals(List.of("TA0002", "TA0003", "TA0004", "TA0005", "TA0006", "TA0007", "TA0008", "TA0010"),
					red.tactics());
		}
	}

	private static boolean detonated(Findings.Signal s) {
		return s.userAgent() != null && s.userAgent().startsWith("stratus-red-team_");
	}

	/** The recordings in name order, from 13:00 on the noisy account's second day, eight minutes apart. */
	static ArrayNode afternoon() throws IOException {
		ArrayNode out = NoisyAccount.JSON.createArrayNode();
		Instant start = NoisyAccount.START.plus(1, ChronoUnit.DAYS).plus(13, ChronoUnit.HOURS);
		List<Path> files;
		try (Stream<Path> s = Files.list(Fixtures.stratus())) {
			files = s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
		}
		for (int i = 0; i < files.size(); i++) {
			String text = Files.readString(files.get(i));
			for (JsonNode e : NoisyAccount.JSON.readTree(text)) {
				String id = e.path("recipientAccountId").asText();
				if (!id.isEmpty()) {
					text = text.replace(id, NoisyAccount.ACCOUNT);
				}
			}
			JsonNode events = NoisyAccount.JSON.readTree(text);
			Instant first = null;
			for (JsonNode e : events) {
				Instant t = Instant.parse(e.get("eventTime").asText());
				first = first == null || t.isBefore(first) ? t : first;
			}
			Instant at = start.plus(8L * i, ChronoUnit.MINUTES);
			for (JsonNode e : events) {
				Duration offset = Duration.between(first, Instant.parse(e.get("eventTime").asText()));
				out.add(((ObjectNode) e).put("eventTime", at.plus(offset).toString()).put("awsRegion", "eu-west-1"));
			}
		}
		return out;
	}
}
