package dev.loupe.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPOutputStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * GuardDuty findings for the generated organisation, as JSON lines of camelCase findings (the shape GuardDuty
 * exports to S3). Templates are the real sample findings of guardduty-sentinel-integration-samples; each copy is
 * about one of the generated instances or users, at a time inside the events' span, so that findings and
 * CloudTrail meet on the same instances and principals as they would in an account.
 */
final class FindingGenerator {
	private static final List<String> TEMPLATES = List.of("ec2-findings/backdoor-cc-activity.json",
			"ec2-findings/cryptocurrency-mining.json", "ec2-findings/trojan-dns-exfiltration.json",
			"iam-findings/cloudtrail-logging-disabled.json", "s3-findings/bucket-public-access-disabled.json");
	static final int FINDINGS_PER_FILE = 1000;
	private static final int BUCKETS_PER_ACCOUNT = 20;

	private final ObjectMapper json = new ObjectMapper();
	private final Random random;
	private final Identities ids;
	private final List<ObjectNode> templates = new ArrayList<>();

	FindingGenerator(long seed, Path datasets, Identities ids) throws IOException {
		this.random = new Random(seed ^ 0x5eedf1dL);
		this.ids = ids;
		Path dir = datasets.resolve("guardduty-sentinel-integration-samples/samples/data/sample-findings");
		for (String t : TEMPLATES) {
			templates.add((ObjectNode) json.readTree(dir.resolve(t).toFile()));
		}
	}

	/** Writes {@code count} findings spread over [start, start + span) under {@code out}; returns files written. */
	int generate(Path out, int count, Instant start, Duration span) throws IOException {
		List<Identities.Actor> instances = ids.actors.stream().filter(a -> a.kind() == Identities.Kind.INSTANCE_SESSION).toList();
		List<Identities.Actor> humans = ids.actors.stream().filter(a -> a.kind() == Identities.Kind.HUMAN).toList();
		Files.createDirectories(out);
		int files = 0;
		for (int written = 0; written < count; files++) {
			Path file = out.resolve(String.format("guardduty-findings-%04d.jsonl.gz", files));
			try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(file), 1 << 16)) {
				for (int i = 0; i < FINDINGS_PER_FILE && written < count; i++, written++) {
					ObjectNode f = templates.get(random.nextInt(templates.size())).deepCopy();
					Instant seen = start.plusMillis((long) (random.nextDouble() * span.toMillis()));
					Identities.Actor about = f.path("resource").has("instanceDetails")
							? instances.get(random.nextInt(instances.size())) : humans.get(random.nextInt(humans.size()));
					rewrite(f, about, seen);
					o.write(json.writeValueAsBytes(f));
					o.write('\n');
				}
			}
		}
		return files;
	}

	private void rewrite(ObjectNode f, Identities.Actor about, Instant seen) {
		byte[] b = new byte[16];
		random.nextBytes(b);
		String id = HexFormat.of().formatHex(b);
		String region = f.path("region").asText("us-east-1");
		f.put("id", id).put("accountId", about.accountId())
				.put("arn", "arn:aws:guardduty:" + region + ":" + about.accountId() + ":detector/bench/finding/" + id)
				.put("createdAt", seen.toString()).put("updatedAt", seen.toString());
		ObjectNode service = (ObjectNode) f.path("service");
		service.put("eventFirstSeen", seen.toString()).put("eventLastSeen", seen.plusSeconds(600).toString());
		ObjectNode resource = (ObjectNode) f.path("resource");
		JsonNode instance = resource.path("instanceDetails");
		if (instance.isObject()) {
			((ObjectNode) instance).put("instanceId", about.name());
		}
		// the template's bucket would be one bucket shared by every account: a bucket of the finding's own account
		for (JsonNode bucket : resource.path("s3BucketDetails")) {
			String name = "bench-data-" + about.accountId() + "-" + random.nextInt(BUCKETS_PER_ACCOUNT);
			((ObjectNode) bucket).put("name", name).put("arn", "arn:aws:s3:::" + name);
		}
		JsonNode key = resource.path("accessKeyDetails");
		if (key.isObject()) {
			((ObjectNode) key).put("userName", about.name()).put("userType", "IAMUser").put("accessKeyId", about.accessKeyId())
					.put("principalId", about.principalId());
		}
	}
}
