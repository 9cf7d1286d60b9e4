package dev.loupe.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Writes realistic multi-account CloudTrail in the S3 delivery layout
 * (AWSLogs/ACCOUNT/CloudTrail/REGION/YYYY/MM/DD/ACCOUNT_CloudTrail_REGION_YYYYMMDDTHHMMZ_ID.json.gz, about 240
 * events per 5-minute object), from real recorded events re-keyed onto a generated organisation. Seeded: the
 * same seed gives the same bytes. Tampering calls are left out of the background; calls a detector names are one
 * event in a thousand, as in an account where admins and CI work.
 */
final class CloudTrailGenerator {
	static final int EVENTS_PER_OBJECT = 240;
	private static final Set<String> NOT_BACKGROUND = Set.of("StopLogging", "DeleteTrail", "PutEventSelectors",
			"UpdateTrail", "DeleteDetector", "DisableSecurityHub", "DeleteFlowLogs", "DeleteResolverQueryLogConfig",
			"LeaveOrganization", "AssumeRole");
	private static final List<String> REGIONS = List.of("us-east-1", "eu-west-1", "ap-northeast-1");
	private static final DateTimeFormatter KEY_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmm'Z'").withZone(ZoneOffset.UTC);
	private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy/MM/dd").withZone(ZoneOffset.UTC);

	private final ObjectMapper json = new ObjectMapper();
	private final Random random;
	private final Identities ids;
	private final List<ObjectNode> templates = new ArrayList<>();
	/** Calls some detector names: in a real account a small share of the traffic (see RARE). */
	private final List<ObjectNode> detected = new ArrayList<>();
	/** One event in this many is drawn from the detected calls: about what an account with admins and CI sees. */
	private static final int RARE = 1000;
	private ObjectNode assumeRoleTemplate;

	CloudTrailGenerator(long seed, Path datasets) throws IOException {
		random = new Random(seed);
		ids = new Identities(random, 10);
		Set<String> watched = detectorEventNames();
		try (Stream<Path> files = Files.list(datasets.resolve("stratus-red-team-detonation-logs/detonation-logs"))) {
			for (Path f : files.sorted().toList()) {
				for (JsonNode e : json.readTree(f.toFile())) {
					String name = e.path("eventName").asText();
					if (name.equals("AssumeRole") && assumeRoleTemplate == null) {
						assumeRoleTemplate = (ObjectNode) e;
					}
					if (NOT_BACKGROUND.contains(name)) {
						continue;
					}
					(watched.contains(name) ? detected : templates).add((ObjectNode) e);
				}
			}
		}
	}

	static final Instant START = Instant.parse("2026-03-02T08:00:00Z");

	Identities identities() {
		return ids;
	}

	/** How long {@code events} events last: one object per account and region every five minutes. */
	java.time.Duration span(long events) {
		long objects = (events + EVENTS_PER_OBJECT - 1) / EVENTS_PER_OBJECT;
		long windows = (objects + ids.accounts.size() * REGIONS.size() - 1) / (ids.accounts.size() * REGIONS.size());
		return java.time.Duration.ofSeconds(300 * Math.max(1, windows));
	}

	/** Writes {@code events} events under {@code out}; returns the number of objects written. */
	long generate(Path out, long events) throws IOException {
		return generate(out, events, START);
	}

	/**
	 * The same accounts and principals, later: {@code events} new events (new IDs, drawn from {@code seed}) from
	 * {@code start} on. What an analyst adds when the next hours of the trail arrive.
	 */
	long generateLater(Path out, long events, Instant start, long seed) throws IOException {
		random.setSeed(seed);
		return generate(out, events, start);
	}

	private long generate(Path out, long events, Instant start) throws IOException {
		int perWindow = ids.accounts.size() * REGIONS.size();
		long objects = (events + EVENTS_PER_OBJECT - 1) / EVENTS_PER_OBJECT;
		long written = 0;
		for (long o = 0; o < objects; o++) {
			Instant window = start.plusSeconds(300 * (o / perWindow));
			String account = ids.accounts.get((int) (o % perWindow) / REGIONS.size());
			String region = REGIONS.get((int) (o % REGIONS.size()));
			int n = (int) Math.min(EVENTS_PER_OBJECT, events - written);
			Path file = out.resolve("AWSLogs/" + account + "/CloudTrail/" + region + "/" + DAY.format(window) + "/" + account
					+ "_CloudTrail_" + region + "_" + KEY_TIME.format(window) + "_" + ids.id(16) + ".json.gz");
			Files.createDirectories(file.getParent());
			writeObject(file, account, region, window, n);
			written += n;
		}
		return objects;
	}

	private void writeObject(Path file, String account, String region, Instant window, int n) throws IOException {
		List<Identities.Actor> local = ids.actors.stream().filter(a -> a.accountId().equals(account)).toList();
		long[] offsets = random.longs(n, 0, 300_000).sorted().toArray();
		try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file), 1 << 16);
				JsonGenerator g = json.getFactory().createGenerator(out)) {
			g.writeStartObject();
			g.writeArrayFieldStart("Records");
			for (int i = 0; i < n; i++) {
				Identities.Actor actor = local.get(random.nextInt(local.size()));
				Instant time = window.plusMillis(offsets[i]).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
				boolean assume = actor.assumedBy() != null && random.nextInt(40) == 0;
				g.writeTree(assume ? assumeRole(actor, region, time) : event(actor, account, region, time));
			}
			g.writeEndArray();
			g.writeEndObject();
		}
	}

	private static Set<String> detectorEventNames() throws IOException {
		org.apache.jena.rdf.model.Model m = org.apache.jena.rdf.model.ModelFactory.createDefaultModel();
		for (dev.loupe.core.reason.RuleSet.RuleFile f : dev.loupe.core.reason.RuleSet.load(null).files()) {
			if (f.isData()) {
				org.apache.jena.riot.RDFParser.fromString(f.text(), org.apache.jena.riot.Lang.TURTLE).parse(m);
			}
		}
		Set<String> names = new java.util.HashSet<>();
		m.listObjectsOfProperty(m.createProperty(dev.loupe.core.vocab.Loupe.matchEventName.getURI()))
				.forEach(n -> names.add(n.asLiteral().getString()));
		return names;
	}

	private ObjectNode event(Identities.Actor actor, String account, String region, Instant time) {
		List<ObjectNode> from = random.nextInt(RARE) == 0 ? detected : templates;
		ObjectNode e = from.get(random.nextInt(from.size())).deepCopy();
		common(e, account, region, time, actor.addresses().get(random.nextInt(actor.addresses().size())), actor.userAgent());
		e.set("userIdentity", identity(actor));
		return e;
	}

	/** The CI role's session is (re)created by its human owner: the chain that links ASIA keys to a person. */
	private ObjectNode assumeRole(Identities.Actor session, String region, Instant time) {
		Identities.Actor by = session.assumedBy();
		ObjectNode e = assumeRoleTemplate.deepCopy();
		common(e, session.accountId(), region, time, by.addresses().get(0), by.userAgent());
		e.set("userIdentity", identity(by));
		ObjectNode request = e.putObject("requestParameters");
		request.put("roleArn", session.roleArn()).put("roleSessionName", session.name()).put("durationSeconds", 3600);
		ObjectNode response = e.putObject("responseElements");
		response.putObject("assumedRoleUser").put("arn", session.arn()).put("assumedRoleId", session.principalId());
		response.putObject("credentials").put("accessKeyId", session.accessKeyId())
				.put("sessionToken", "IQoJb3JpZ2luX2Vj" + ids.id(200)).put("expiration", time.plusSeconds(3600).toString());
		return e;
	}

	private void common(ObjectNode e, String account, String region, Instant time, String address, String userAgent) {
		e.put("eventID", new UUID(random.nextLong(), random.nextLong()).toString());
		e.put("requestID", new UUID(random.nextLong(), random.nextLong()).toString());
		e.put("eventTime", time.toString());
		e.put("awsRegion", region);
		e.put("recipientAccountId", account);
		e.put("sourceIPAddress", address);
		e.put("userAgent", userAgent);
	}

	private ObjectNode identity(Identities.Actor a) {
		ObjectNode id = json.createObjectNode();
		switch (a.kind()) {
		case HUMAN -> id.put("type", "IAMUser").put("principalId", a.principalId()).put("arn", a.arn())
				.put("accountId", a.accountId()).put("accessKeyId", a.accessKeyId()).put("userName", a.name());
		case SERVICE -> id.put("type", "AWSService").put("invokedBy", a.name());
		default -> {
			id.put("type", "AssumedRole").put("principalId", a.principalId()).put("arn", a.arn())
					.put("accountId", a.accountId()).put("accessKeyId", a.accessKeyId());
			ObjectNode ctx = id.putObject("sessionContext");
			ctx.putObject("sessionIssuer").put("type", "Role").put("principalId", a.principalId().split(":")[0])
					.put("arn", a.roleArn()).put("accountId", a.accountId()).put("userName", a.roleName());
			ctx.putObject("attributes").put("mfaAuthenticated", "false");
		}
		}
		return id;
	}
}
