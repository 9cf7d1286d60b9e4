package dev.loupe.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPOutputStream;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * VPC Flow Logs (custom format with the instance ID, as S3 delivers them) and Route 53 Resolver query logs (JSON
 * lines) of the generated instances, over the same span and accounts as the CloudTrail: traffic with AWS service
 * addresses and with peers in the VPC, SSH from the humans' addresses (the habitual contacts an attacker's address
 * must stand out from), and DNS lookups of AWS endpoints and a few common domains.
 */
final class NetworkGenerator {
	private static final DateTimeFormatter KEY_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmm'Z'").withZone(ZoneOffset.UTC);
	private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy/MM/dd").withZone(ZoneOffset.UTC);
	private static final String HEADER = "version account-id interface-id instance-id srcaddr dstaddr srcport dstport protocol"
			+ " packets bytes start end action log-status";
	private static final String[] DOMAINS = { "s3.us-east-1.amazonaws.com", "sts.amazonaws.com", "dynamodb.eu-west-1.amazonaws.com",
			"sqs.us-east-1.amazonaws.com", "api.github.com", "registry.npmjs.org", "repo1.maven.org", "pypi.org" };
	private final Random random;
	private final Identities ids;
	private final ObjectMapper json = new ObjectMapper();

	NetworkGenerator(long seed, Identities ids) {
		this.random = new Random(seed * 31 + 7);
		this.ids = ids;
	}

	/** Writes about {@code flows} flow records and {@code queries} DNS queries over {@code span} from {@code start}. */
	long[] generate(Path out, long flows, long queries, Instant start, java.time.Duration span) throws IOException {
		List<Identities.Actor> instances = ids.actors.stream().filter(a -> a.kind() == Identities.Kind.INSTANCE_SESSION).toList();
		List<Identities.Actor> humans = ids.actors.stream().filter(a -> a.kind() == Identities.Kind.HUMAN).toList();
		long windows = Math.max(1, span.toSeconds() / 300);
		long flowsPerWindow = Math.max(1, flows / windows);
		long queriesPerWindow = Math.max(0, queries / windows);
		long[] written = { 0, 0 };
		for (long w = 0; w < windows; w++) {
			Instant window = start.plusSeconds(300 * w);
			for (String account : ids.accounts) {
				List<Identities.Actor> local = instances.stream().filter(i -> i.accountId().equals(account)).toList();
				List<Identities.Actor> people = humans.stream().filter(h -> h.accountId().equals(account)).toList();
				long n = flowsPerWindow / ids.accounts.size();
				Path flowFile = out.resolve("AWSLogs/" + account + "/vpcflowlogs/us-east-1/" + DAY.format(window) + "/" + account
						+ "_vpcflowlogs_us-east-1_fl-0" + account.substring(4) + "_" + KEY_TIME.format(window) + "_" + ids.id(8).toLowerCase()
						+ ".log.gz");
				Files.createDirectories(flowFile.getParent());
				try (Writer wr = new java.io.OutputStreamWriter(new GZIPOutputStream(Files.newOutputStream(flowFile), 1 << 16),
						StandardCharsets.UTF_8)) {
					wr.write(HEADER + "\n");
					for (long i = 0; i < n; i++) {
						wr.write(flow(account, local.get(random.nextInt(local.size())), people, window) + "\n");
						written[0]++;
					}
				}
				long q = queriesPerWindow / ids.accounts.size();
				if (q > 0) {
					Path dnsFile = out.resolve("AWSLogs/" + account + "/vpcdnsquerylogs/vpc-0" + account.substring(4) + "/" + DAY.format(window)
							+ "/vpc-0" + account.substring(4) + "_vpcdnsquerylogs_" + account + "_" + KEY_TIME.format(window) + "_"
							+ ids.id(8).toLowerCase() + ".log.gz");
					Files.createDirectories(dnsFile.getParent());
					try (OutputStream os = new GZIPOutputStream(Files.newOutputStream(dnsFile), 1 << 16)) {
						for (long i = 0; i < q; i++) {
							os.write(json.writeValueAsBytes(query(account, local.get(random.nextInt(local.size())), window)));
							os.write('\n');
							written[1]++;
						}
					}
				}
			}
		}
		return written;
	}

	private String flow(String account, Identities.Actor instance, List<Identities.Actor> people, Instant window) {
		String eni = "eni-0" + Integer.toHexString(instance.name().hashCode() & 0xfffffff);
		String self = "10.0." + (Math.abs(instance.name().hashCode()) % 200) + "." + (10 + Math.abs(instance.name().hashCode() >> 8) % 200);
		long t = window.getEpochSecond() + random.nextInt(300);
		int kind = random.nextInt(100);
		String src;
		String dst;
		int srcPort;
		int dstPort;
		long bytes;
		if (kind < 2 && !people.isEmpty()) {
			// SSH from a human's address: a habitual contact
			Identities.Actor h = people.get(random.nextInt(people.size()));
			src = h.addresses().get(random.nextInt(h.addresses().size()));
			dst = self;
			srcPort = 49152 + random.nextInt(16000);
			dstPort = 22;
			bytes = 2_000 + random.nextInt(40_000);
		} else if (kind < 60) {
			src = self;
			dst = "52.94." + random.nextInt(256) + "." + (1 + random.nextInt(254)); // AWS service endpoints
			srcPort = 32768 + random.nextInt(28000);
			dstPort = 443;
			bytes = 1_000 + random.nextInt(2_000_000);
		} else {
			src = self;
			dst = "10.0." + random.nextInt(200) + "." + (10 + random.nextInt(200)); // peers in the VPC
			srcPort = 32768 + random.nextInt(28000);
			dstPort = random.nextBoolean() ? 5432 : 8080;
			bytes = 500 + random.nextInt(200_000);
		}
		boolean accepted = random.nextInt(50) != 0;
		return String.join(" ", "5", account, eni, instance.name(), src, dst, String.valueOf(srcPort), String.valueOf(dstPort), "6",
				String.valueOf(Math.max(1, bytes / 1400)), String.valueOf(bytes), String.valueOf(t), String.valueOf(t + 60),
				accepted ? "ACCEPT" : "REJECT", "OK");
	}

	private ObjectNode query(String account, Identities.Actor instance, Instant window) {
		ObjectNode q = json.createObjectNode();
		String self = "10.0." + (Math.abs(instance.name().hashCode()) % 200) + "." + (10 + Math.abs(instance.name().hashCode() >> 8) % 200);
		q.put("version", "1.100000").put("account_id", account).put("region", "us-east-1").put("vpc_id", "vpc-0" + account.substring(4))
				.put("query_timestamp", window.plusSeconds(random.nextInt(300)).toString())
				.put("query_name", DOMAINS[random.nextInt(DOMAINS.length)] + ".").put("query_type", "A").put("query_class", "IN")
				.put("rcode", "NOERROR").put("srcaddr", self).put("srcport", String.valueOf(1024 + random.nextInt(60000)))
				.put("transport", "UDP");
		q.putObject("srcids").put("instance", instance.name());
		q.putArray("answers").addObject().put("Rdata", "52.94." + random.nextInt(256) + "." + (1 + random.nextInt(254))).put("Type", "A")
				.put("Class", "IN");
		return q;
	}
}
