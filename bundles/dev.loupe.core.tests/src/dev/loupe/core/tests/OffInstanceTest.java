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
 * An instance's role credentials taken (through the metadata service, by a server-side request forgery) and used
 * from the intruder's own address to list buckets and download one, without ever asking who they are: the instance
 * goes on calling from its own address all along. The flow log shows the intruder's requests to the instance just
 * before: the way in. Around it, instances whose addresses change for good reasons: one
 * started again after a stop, one that calls through a VPC endpoint as well as its NAT gateway, one that calls from
 * two addresses from its first minute.
 */
class OffInstanceTest {
	static final Instant START = Instant.parse("2025-06-02T00:00:00Z");
	static final Instant THEFT = START.plus(5, ChronoUnit.HOURS).plus(17, ChronoUnit.MINUTES);
	static final String INTRUDER = "203.0.113.99";
	static final String CURL_UA = "aws-cli/2.15.30 Python/3.11.8 Linux/6.1.0 exe/x86_64.debian.12 prompt/off command/s3.cp";

	final NoisyAccount account = new NoisyAccount();

	ObjectNode instance(String id) {
		return NoisyAccount.session("", "app-role", id, "ASIA" + id.substring(2, 14).toUpperCase() + "0000");
	}

	/** Eight hours of four instances' own calls, and the theft. */
	ArrayNode trail() {
		String agent = "aws-sdk-go/1.44.322 (go1.20.6; linux; amd64) amazon-ssm-agent/3.2.1377.0";
		for (Instant t = START; t.isBefore(START.plus(8, ChronoUnit.HOURS)); t = t.plus(5, ChronoUnit.MINUTES)) {
			account.call(t, "ssm.amazonaws.com", "UpdateInstanceInformation", instance("i-0aaaaaaaaaaaaaaa1"), "54.170.10.20", agent);
			// stopped at 03:00, started again at 03:20 with a new public address
			boolean down = !t.isBefore(START.plus(3, ChronoUnit.HOURS)) && t.isBefore(START.plus(200, ChronoUnit.MINUTES));
			if (!down) {
				account.call(t, "ssm.amazonaws.com", "UpdateInstanceInformation", instance("i-0bbbbbbbbbbbbbbb2"),
						t.isBefore(START.plus(3, ChronoUnit.HOURS)) ? "54.170.10.30" : "34.245.1.77", agent);
			}
			// S3 through a gateway endpoint (its private address) from 02:00 on, everything else through the NAT
			account.call(t, "ssm.amazonaws.com", "UpdateInstanceInformation", instance("i-0ccccccccccccccc3"), "52.49.0.9", agent);
			if (!t.isBefore(START.plus(2, ChronoUnit.HOURS))) {
				account.call(t.plusSeconds(30), "s3.amazonaws.com", "PutObject", instance("i-0ccccccccccccccc3"), "10.0.3.17", agent);
			}
			// two NAT gateways' addresses from the start
			account.call(t, "ssm.amazonaws.com", "UpdateInstanceInformation", instance("i-0ddddddddddddddd4"),
					t.getEpochSecond() / 300 % 2 == 0 ? "52.49.1.1" : "52.49.1.2", agent);
		}
		ObjectNode admin = NoisyAccount.iamUser("ops", "AKIAOPS0000000000001");
		ObjectNode start = account.call(START.plus(195, ChronoUnit.MINUTES), "ec2.amazonaws.com", "StartInstances", admin,
				"198.51.100.20", NoisyAccount.CHROME);
		NoisyAccount.params(start).putObject("instancesSet").putArray("items").addObject().put("instanceId", "i-0bbbbbbbbbbbbbbb2");
		// two hours before the theft the administrator opens a shell on the web server from the office
		NoisyAccount.params(account.call(THEFT.minus(2, ChronoUnit.HOURS), "ssm.amazonaws.com", "StartSession", admin, "198.51.100.20",
				NoisyAccount.CHROME)).put("target", "i-0aaaaaaaaaaaaaaa1");
		// the theft: the intruder lists the buckets and downloads one, 150 objects in five minutes
		account.call(THEFT, "s3.amazonaws.com", "ListBuckets", instance("i-0aaaaaaaaaaaaaaa1"), INTRUDER, CURL_UA);
		for (int i = 0; i < 150; i++) {
			ObjectNode get = account.call(THEFT.plusSeconds(60 + 2 * i), "s3.amazonaws.com", "GetObject", instance("i-0aaaaaaaaaaaaaaa1"),
					INTRUDER, CURL_UA);
			get.put("eventCategory", "Data").put("managementEvent", false);
			NoisyAccount.params(get).put("bucketName", "orders-exports").put("key", "2025/06/export-" + i + ".csv");
		}
		return account.trail();
	}

	/**
	 * The web server's flow log: the intruder's requests to it three minutes before the theft (the forged requests
	 * that made it fetch its credentials), its replies, and its steady traffic with a package mirror.
	 */
	static Path flows(Path dir) throws IOException {
		List<String> lines = new ArrayList<>();
		lines.add("version account-id interface-id instance-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status");
		Instant ssrf = THEFT.minus(3, ChronoUnit.MINUTES);
		for (int i = 0; i < 4; i++) {
			lines.add(flow(INTRUDER, "10.0.1.5", 51234 + i, 443, 2_000, ssrf.plusSeconds(20 * i)));
			lines.add(flow("10.0.1.5", INTRUDER, 443, 51234 + i, 6_000, ssrf.plusSeconds(20 * i)));
		}
		for (int h = 0; h < 8; h++) {
			lines.add(flow("10.0.1.5", "151.101.2.132", 40000 + h, 443, 90_000, START.plus(h, ChronoUnit.HOURS)));
		}
		return Files.write(dir.resolve(NoisyAccount.ACCOUNT + "_vpcflowlogs_eu-west-1_fl-0a1b_20250602T0500Z_hash.log"), lines);
	}

	private static String flow(String src, String dst, int srcPort, int dstPort, long bytes, Instant start) {
		long s = start.getEpochSecond();
		return String.join(" ", "5", NoisyAccount.ACCOUNT, "eni-0aaaaaaaaaaaaaaa1", "i-0aaaaaaaaaaaaaaa1", src, dst, String.valueOf(srcPort),
				String.valueOf(dstPort), "6", String.valueOf(Math.max(1, bytes / 1400)), String.valueOf(bytes), String.valueOf(s),
				String.valueOf(s + 60), "ACCEPT", "OK");
	}

	@Test
	void credentialsUsedFromTheIntrudersAddressAreOneSequence(@TempDir Path dir) throws IOException {
		Path file = Files.writeString(dir.resolve("trail.json"),
				NoisyAccount.JSON.writeValueAsString(NoisyAccount.JSON.createObjectNode().set("Records", trail())));
		try (EvidenceStore store = EvidenceStore.open(dir.resolve("store"))) {
			IngestTest.ingest(store, file, flows(dir));
			new Reasoner(store).run(RuleSet.load(null), new NullProgressMonitor());
			Findings f = new Findings(store);
			List<Findings.Signal> off = f.signals("en").stream().filter(s -> s.detector().endsWith("/instance-credentials-off-instance"))
					.toList();
			assertEquals(1, off.size(), off.toString());
			Findings.Signal s = off.get(0);
			assertEquals("app-role/i-0aaaaaaaaaaaaaaa1", s.actorLabel());
			assertEquals(THEFT.toString(), s.time());
			assertEquals("T1552.005", s.technique());
			assertEquals("TA0006", s.tactic());
			assertEquals(INTRUDER, s.ip());
			List<Findings.Sequence> sequences = f.sequences("en");
			assertEquals(1, sequences.size(), sequences.toString());
			// the way in (flow log), the credentials used elsewhere and the downloads (CloudTrail): one story
			assertEquals(List.of("flow-way-in", "instance-credentials-off-instance", "s3-download-burst"),
					sequences.get(0).members().stream().map(m -> m.detector().replaceAll(".*/", "")).sorted().toList());
			// data taken out names the sequence before the instance does (70-sequence-types.ru)
			assertEquals("AttackSequence:S3/CompromisedData", sequences.get(0).type());
			// the administrator's shell two hours before neither joins the story nor makes it hers
			assertEquals("app-role/i-0aaaaaaaaaaaaaaa1", sequences.get(0).actorLabel());
			assertEquals(List.of(), GuardDutyTest.select(store, "c", "?s loupe:deployedBy ?c"));
		}
	}

	/**
	 * The same theft where the bucket has no CloudTrail data events, only its server access log: the downloads are
	 * known from the access log alone, and the stolen credentials are known to be used away from the instance from
	 * it too (the instance's own calls are in CloudTrail). Flow log, trail and access log make one story.
	 */
	@Test
	void theftSeenOnlyInTheAccessLogIsTheSameStory(@TempDir Path dir) throws IOException {
		ArrayNode all = trail();
		ArrayNode management = NoisyAccount.JSON.createArrayNode();
		List<String> access = new ArrayList<>();
		java.time.format.DateTimeFormatter s3 = java.time.format.DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", java.util.Locale.ENGLISH)
				.withZone(java.time.ZoneOffset.UTC);
		String requester = "arn:aws:sts::" + NoisyAccount.ACCOUNT + ":assumed-role/app-role/i-0aaaaaaaaaaaaaaa1";
		int n = 0;
		for (JsonNode e : all) {
			if (!"GetObject".equals(e.path("eventName").asText())) {
				// (the intruder's listing left out too: the access log alone tells where the credentials were used)
				if (!INTRUDER.equals(e.path("sourceIPAddress").asText())) {
					management.add(e);
				}
				continue;
			}
			String key = e.path("requestParameters").path("key").asText();
			access.add(String.join(" ", "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be", "orders-exports",
					"[" + s3.format(Instant.parse(e.path("eventTime").asText())) + "]", INTRUDER, requester, "3E57427F3EXAMPLE" + n++,
					"REST.GET.OBJECT", key, "\"GET /orders-exports/" + key + " HTTP/1.1\"", "200", "-", "52311", "52311", "40", "12",
					"\"-\"", "\"" + CURL_UA + "\"", "-", "s9lzHYrFp76ZVxRcpX9+5cjAnEH2ROuNkd2BHfIa6UkFVdtjf5mKR3/eTPFvsiP/XV/VLi31234=",
					"SigV4", "ECDHE-RSA-AES128-GCM-SHA256", "AuthHeader", "orders-exports.s3.eu-west-1.amazonaws.com", "TLSv1.3"));
		}
		assertEquals(150, access.size());
		Path trail = Files.writeString(dir.resolve("trail.json"),
				NoisyAccount.JSON.writeValueAsString(NoisyAccount.JSON.createObjectNode().set("Records", management)));
		Path log = Files.write(dir.resolve("2025-06-02-05-30-00-0123456789ABCDEF"), access);
		try (EvidenceStore store = EvidenceStore.open(dir.resolve("store"))) {
			IngestTest.ingest(store, trail, log, flows(dir));
			new Reasoner(store).run(RuleSet.load(null), new NullProgressMonitor());
			List<Findings.Sequence> sequences = new Findings(store).sequences("en");
			assertEquals(1, sequences.size(), sequences.toString());
			assertEquals(List.of("flow-way-in", "instance-credentials-off-instance", "s3-download-burst"),
					sequences.get(0).members().stream().map(m -> m.detector().replaceAll(".*/", "")).sorted().toList());
			assertEquals("app-role/i-0aaaaaaaaaaaaaaa1", sequences.get(0).actorLabel());
		}
	}

	/** The same evidence, the trail an hour at a time, with an update after each: the full run's results every time. */
	@Test
	void updatesHourByHourGiveTheFullRunsResults(@TempDir Path dir) throws IOException {
		List<Reasoner.Result> updates = WindowedUpdateTest.updateAfterEach(dir, hourByHour(dir));
		assertTrue(updates.get(updates.size() - 1).signals() >= 3, updates.toString());
	}

	/** The hours delivered last first: the instance's home is known only after the theft was. */
	@Test
	void updatesHoursInReverseGiveTheFullRunsResults(@TempDir Path dir) throws IOException {
		List<Path> files = new ArrayList<>(hourByHour(dir));
		java.util.Collections.reverse(files);
		WindowedUpdateTest.updateAfterEach(dir, files);
	}

	/** The flow log, then the trail an hour at a time. */
	private List<Path> hourByHour(Path dir) throws IOException {
		ArrayNode calls = trail();
		// the flow log first (delivered while CloudTrail's files were still on their way)
		List<Path> files = new ArrayList<>(List.of(flows(dir)));
		for (int h = 0; h < 8; h++) {
			ArrayNode hour = NoisyAccount.JSON.createArrayNode();
			for (JsonNode e : calls) {
				if (Instant.parse(e.path("eventTime").asText()).getEpochSecond() / 3600 == START.getEpochSecond() / 3600 + h) {
					hour.add(e);
				}
			}
			files.add(Files.writeString(dir.resolve("hour-" + h + ".json"),
					NoisyAccount.JSON.writeValueAsString(NoisyAccount.JSON.createObjectNode().set("Records", hour))));
		}
		return files;
	}
}
