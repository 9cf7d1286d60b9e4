package dev.loupe.core.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.loupe.core.reason.Findings;
import dev.loupe.core.store.EvidenceStore;

/**
 * Another account let in, then at work. Uma's leaked key opens the exports bucket to an account of the intruder's;
 * twenty minutes later the bucket's access log shows that account's user downloading 150 objects from another
 * address. The organisation's trail also holds a sibling account, with which an administrator shares a snapshot the
 * same hour; the sibling's own administrator reads an instance's password in the sibling's trail. And a vendor is
 * onboarded: a new role its account may assume, then its copy of the reports. Two stories: the intruder's (the grant
 * and the downloads), and the share, without the sibling's everyday work or the vendor's copy.
 */
class ForeignAccountTest {
	static final Instant T = Instant.parse("2025-10-21T02:00:00Z");
	static final String INTRUDERS = "999988887777";
	static final String SIBLING = "444455556666";
	static final String VENDOR = "777766665555";
	static final DateTimeFormatter S3 = DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss", Locale.ENGLISH).withZone(ZoneOffset.UTC);

	@Test
	void theAccountABucketWasOpenedToJoinsTheStoryWithItsDownloads(@TempDir Path dir) throws IOException {
		try (EvidenceStore store = ScenarioTest.reasoned(dir, evidence(dir).toArray(Path[]::new))) {
			List<Findings.Sequence> sequences = new Findings(store).sequences("en");
			List<String> stories = sequences.stream().map(q -> q.members().stream()
					.map(s -> s.actorLabel() + " " + s.detector().substring(s.detector().lastIndexOf('/') + 1)).toList().toString()).sorted().toList();
			assertEquals(List.of("[uma resource-policy-foreign-account, collector s3-download-burst]", "[victor ec2-snapshot-shared]"), stories);
		}
	}

	/** The files one at a time, in both orders, with an update after each: the full run's results every time. */
	@Test
	void updatesAfterEachFileGiveTheFullRunsResults(@TempDir Path dir) throws IOException {
		WindowedUpdateTest.updateAfterEachBothWays(dir, evidence(dir));
	}

	private static List<Path> evidence(Path dir) throws IOException {
		ScenarioTest events = new ScenarioTest();
		ArrayNode calls = ScenarioTest.JSON.createArrayNode();
		String policy = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::" + INTRUDERS
				+ ":root\"},\"Action\":[\"s3:GetObject\",\"s3:ListBucket\"],\"Resource\":[\"arn:aws:s3:::acme-exports\",\"arn:aws:s3:::acme-exports/*\"]}]}";
		calls.add(events.call(T, "s3.amazonaws.com", "PutBucketPolicy", ScenarioTest.user("uma"), DeployedCodeTest.VPS, DeployedCodeTest.BOTO,
				r -> r.put("bucketName", "acme-exports").set("bucketPolicy", json(policy))));
		String laptop = "aws-cli/2.17.0 md/awscrt#0.20.11 ua/2.0 os/macos#23.5.0 md/arch#arm64 lang/python#3.11.9";
		calls.add(events.call(T.plus(30, ChronoUnit.MINUTES), "ec2.amazonaws.com", "ModifySnapshotAttribute", ScenarioTest.user("victor"),
				"198.51.100.20", laptop, r -> r.put("snapshotId", "snap-0a1b2c3d4e5f60718").put("attributeType", "CREATE_VOLUME_PERMISSION")
						.putObject("createVolumePermission").putObject("add").putArray("items").addObject().put("userId", SIBLING)));
		// the sibling account's own trail in the organisation's
		ObjectNode admin = ScenarioTest.JSON.createObjectNode().put("type", "IAMUser").put("accountId", SIBLING).put("userName", "wendy")
				.put("arn", "arn:aws:iam::" + SIBLING + ":user/wendy").put("principalId", "AIDAWENDY").put("accessKeyId", "AKIAWENDY00000000000");
		calls.add(ScenarioTest.record(SIBLING, 90, T.plus(40, ChronoUnit.MINUTES), "ec2.amazonaws.com", "GetPasswordData", admin, "198.51.100.30",
				laptop));
		// a vendor onboarded: a new role its account may assume, then its nightly copy of the reports bucket
		String trust = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::" + VENDOR
				+ ":root\"},\"Action\":\"sts:AssumeRole\"}]}";
		calls.add(events.call(T.plus(5, ChronoUnit.MINUTES), "iam.amazonaws.com", "CreateRole", ScenarioTest.user("xena"), "198.51.100.21", laptop,
				r -> r.put("roleName", "vendor-backup").put("assumeRolePolicyDocument", trust)));
		Path trail = ScenarioTest.trail(dir, calls);
		List<String> lines = new ArrayList<>();
		downloads(lines, T.plus(20, ChronoUnit.MINUTES), "198.51.100.99", "arn:aws:iam::" + INTRUDERS + ":user/collector", "exports/", ".csv",
				"aws-cli/2.15.0 Python/3.11.6 Linux/6.1");
		downloads(lines, T.plus(50, ChronoUnit.MINUTES), "192.0.2.44", "arn:aws:sts::" + VENDOR + ":assumed-role/backup/nightly", "reports/",
				".pdf", "Boto3/1.34.84");
		Path log = Files.write(Files.createDirectories(dir.resolve("access")).resolve("2025-10-21-02-30-00-0123456789ABCDEF"), lines);
		return List.of(trail, log);
	}

	/** 150 objects of acme-exports read by {@code requester} from {@code ip}, two seconds apart: its access log's lines. */
	private static void downloads(List<String> lines, Instant from, String ip, String requester, String prefix, String suffix, String ua) {
		for (int i = 0; i < 150; i++) {
			String key = prefix + i + suffix;
			String request = Integer.toHexString((ip + i).hashCode()).toUpperCase();
			lines.add("79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be acme-exports [" + S3.format(from.plusSeconds(2L * i))
					+ " +0000] " + ip + " " + requester + " " + request + " REST.GET.OBJECT " + key
					+ " \"GET /acme-exports/" + key + " HTTP/1.1\" 200 - 52133 52133 40 20 \"-\" \"" + ua + "\" -"
					+ " s9lzHYrFp76ZVxRcpX9+5cjAnEH2ROuNkd2BHfIa6UkFVdtjf5mKR3/eTPFvsiP/XV/VLi31234= SigV4 ECDHE-RSA-AES128-GCM-SHA256"
					+ " AuthHeader acme-exports.s3.eu-west-1.amazonaws.com TLSv1.2");
		}
	}

	private static com.fasterxml.jackson.databind.JsonNode json(String text) {
		try {
			return ScenarioTest.JSON.readTree(text);
		} catch (IOException e) {
			throw new IllegalArgumentException(e);
		}
	}
}
