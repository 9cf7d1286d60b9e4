package dev.loupe.cli.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;


/**
 * `loupe pull logs` and `loupe pull s3` with the real SDK clients against {@link FakeAws}: a CloudWatch Logs group
 * of flow logs read page by page and a group the analyst may not read; CloudTrail and flow-log objects under an
 * S3 prefix in the real AWSLogs layout, an object outside the window left alone, a throttled download retried,
 * an object the analyst may not decrypt reported, no session token on disk, and a second pull that downloads
 * nothing it already has.
 */
class PullLogsTest {
	private static final String BUCKET = "org-trail-bucket";
	private static final String TRAIL = "AWSLogs/111122223333/CloudTrail/us-east-1/";
	@TempDir
	Path home;
	FakeAws aws;
	int events;
	int flowLines;

	@BeforeEach
	void start() throws Exception {
		Path datasets = Path.of(System.getProperty("loupe.test.datasets"));
		ArrayNode records = FakeAws.JSON.createArrayNode();
		FakeAws.JSON.readTree(datasets.resolve("stratus-red-team-detonation-logs/detonation-logs/aws.defense-evasion.cloudtrail-stop.json")
				.toFile()).forEach(records::add);
		ObjectNode assume = (ObjectNode) records.get(0).deepCopy();
		assume.put("eventName", "AssumeRole").put("eventSource", "sts.amazonaws.com").put("eventID", "0f1e2d3c-assume-s3");
		assume.putObject("responseElements").putObject("credentials").put("accessKeyId", "ASIAEXAMPLEPULLTEST2")
				.put("sessionToken", "IQoJb3JpZ2luX2VjELT-s3-secret-session-token").put("expiration", "Jul 31, 2024, 2:00:00 PM");
		records.add(assume);
		events = records.size();
		List<String> flows = new ArrayList<>();
		for (int b : new int[] { 0, 1, 4 }) {
			Files.readAllLines(datasets.resolve(String.format("awsdocs-examples/vpc-flow-logs/flow-logs-records-examples.block%02d.txt", b)))
					.stream().filter(l -> !l.isBlank()).forEach(flows::add);
		}
		flowLines = flows.size();
		aws = new FakeAws("eu-west-1", List.of(List.of()), List.of(), List.of());
		aws.logGroups.put("/vpc/prod-flow-logs", List.of(flows.subList(0, 2), flows.subList(2, flows.size())));
		ObjectNode trailFile = FakeAws.JSON.createObjectNode();
		trailFile.set("Records", records);
		aws.objects.put(BUCKET + "/" + TRAIL + "2024/07/31/111122223333_CloudTrail_us-east-1_20240731T1405Z_a1.json.gz",
				gzip(FakeAws.JSON.writeValueAsBytes(trailFile)));
		aws.objects.put(BUCKET + "/" + TRAIL + "2024/06/01/111122223333_CloudTrail_us-east-1_20240601T0000Z_old.json.gz",
				gzip(FakeAws.JSON.writeValueAsBytes(trailFile)));
		aws.objects.put(BUCKET + "/" + TRAIL + "2024/08/01/111122223333_CloudTrail_us-east-1_20240801T0000Z_kms.json.gz",
				gzip(FakeAws.JSON.writeValueAsBytes(trailFile)));
		aws.deniedObjects.add(BUCKET + "/" + TRAIL + "2024/08/01/111122223333_CloudTrail_us-east-1_20240801T0000Z_kms.json.gz");
		aws.objects.put(BUCKET + "/AWSLogs/111122223333/vpcflowlogs/us-east-1/2024/08/01/111122223333_vpcflowlogs_us-east-1_fl-1_20240801T0000Z_b2.log.gz",
				gzip(String.join("\n", flows).getBytes(StandardCharsets.UTF_8)));
		AwsTestProfile.install(home);
	}

	private static byte[] gzip(byte[] bytes) throws IOException {
		var out = new ByteArrayOutputStream();
		try (var gz = new GZIPOutputStream(out)) {
			gz.write(bytes);
		}
		return out.toByteArray();
	}

	@AfterEach
	void stop() {
		AwsTestProfile.uninstall(aws);
	}

	AwsTestProfile.Run loupe(String... args) {
		return AwsTestProfile.loupe(home, args);
	}

	AwsTestProfile.Run pull(String... what) {
		List<String> args = new ArrayList<>(List.of("pull"));
		args.addAll(List.of(what));
		args.addAll(List.of("--profile", "incident", "--region", "us-east-1", "--since", "2024-07-31T00:00:00Z", "--until",
				"2024-08-03T00:00:00Z", "--endpoint", aws.endpoint(), "--store", home.resolve("store").toString()));
		return loupe(args.toArray(String[]::new));
	}

	long count(String type) {
		AwsTestProfile.Run q = loupe("query", "--store", home.resolve("store").toString(), "--format", "csv",
				"SELECT (COUNT(DISTINCT ?x) AS ?n) { ?x a loupe:" + type + " }");
		return Long.parseLong(q.out().split("\\R")[1].strip());
	}

	@Test
	void logGroupsArePulledPageByPageAndADeniedGroupIsReported() {
		AwsTestProfile.Run r = pull("logs", "--log-group", "/vpc/prod-flow-logs", "--log-group", "/secret/app-logs");
		assertEquals(1, r.code(), r.out() + r.err());
		assertTrue(r.out().contains("logs us-east-1 /vpc/prod-flow-logs: 2 pages, " + flowLines + " records"), r.out() + r.err());
		assertTrue(r.err().contains("logs us-east-1 /secret/app-logs: access denied (AccessDeniedException"), r.err());
		assertTrue(Files.isDirectory(home.resolve("pulls/incident/logs/us-east-1/vpc_prod-flow-logs")));
		assertEquals(flowLines, count("NetworkFlow"));

		AwsTestProfile.Run again = pull("logs", "--log-group", "/vpc/prod-flow-logs");
		assertEquals(0, again.code(), again.out() + again.err());
		assertTrue(again.out().contains("logs us-east-1 /vpc/prod-flow-logs: already pulled for this window"), again.out());
		assertEquals(flowLines, count("NetworkFlow"));
	}

	@Test
	void logsWithoutAGroupIsAUsageError() {
		AwsTestProfile.Run r = pull("logs");
		assertEquals(1, r.code(), r.out() + r.err());
		assertTrue(r.err().contains("--log-group"), r.err());
	}

	@Test
	void objectsUnderAPrefixInTheWindowAreSavedRedactedAndIngested() throws IOException {
		AwsTestProfile.Run r = pull("s3", "--s3", "s3://" + BUCKET + "/AWSLogs/");
		assertEquals(1, r.code(), "a denied object is a failure: " + r.out() + r.err());
		assertTrue(r.out().contains("s3 s3://" + BUCKET + "/AWSLogs/: 2 objects saved, 0 already saved, of 3 in the window"),
				r.out() + r.err());
		assertTrue(r.err().contains("1 object(s) not saved; the first: " + TRAIL + "2024/08/01/111122223333_CloudTrail_us-east-1_20240801T0000Z_kms.json.gz:"
				+ " access denied (AccessDenied, HTTP 403)"), r.err());
		assertFalse(aws.calls.stream().anyMatch(c -> c.contains("2024/06/01")), "an object outside the window is not asked for");
		assertEquals(2, aws.calls.stream().filter(c -> c.contains("T1405Z_a1")).count(), "the throttled download was retried: " + aws.calls);
		Path saved = home.resolve("pulls/incident/s3/" + BUCKET + "/" + TRAIL + "2024/07/31/111122223333_CloudTrail_us-east-1_20240731T1405Z_a1.json.gz");
		assertTrue(Files.isRegularFile(saved), "saved under its key");
		assertEquals(events, count("ApiCall"));
		assertEquals(flowLines, count("NetworkFlow"));
		try (Stream<Path> files = Files.walk(home.resolve("pulls"))) {
			for (Path p : files.filter(Files::isRegularFile).toList()) {
				try (var in = new java.util.zip.GZIPInputStream(Files.newInputStream(p))) {
					String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
					assertFalse(text.contains("s3-secret-session-token"), "a session token reached the disk in " + p);
				}
			}
		}

		int before = aws.calls.size();
		AwsTestProfile.Run again = pull("s3", "--s3", "s3://" + BUCKET + "/AWSLogs/");
		assertTrue(again.out().contains("0 objects saved, 2 already saved, of 3 in the window"), again.out() + again.err());
		List<String> asked = aws.calls.subList(before, aws.calls.size());
		assertTrue(asked.stream().noneMatch(c -> c.contains("T1405Z_a1") || c.contains("b2.log.gz")), "nothing saved is downloaded again: " + asked);
		assertEquals(events, count("ApiCall"));
	}

	@Test
	void aLocationThatIsNotS3IsAUsageError() {
		AwsTestProfile.Run r = pull("s3", "--s3", "trail-bucket/AWSLogs");
		assertEquals(1, r.code(), r.out() + r.err());
		assertTrue(r.err().contains("expected s3://BUCKET or s3://BUCKET/PREFIX"), r.err());
	}
}
