package dev.loupe.core.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.loupe.core.reason.Findings;
import dev.loupe.core.store.EvidenceStore;

/**
 * S3 ransomware as Codefinger ran it, in {@link NoisyAccount}'s busy account: a sync job's leaked key removes the
 * bucket's replication to its backup, rewrites its objects in place under a key only the intruder holds (SSE-C)
 * and leaves ransom notes. Around it, S3 work that looks alike: a media service that writes with its own customer
 * key all day, nightly backups under the organisation's KMS key in its key account, a daily export copied into a
 * partner's bucket from the same bucket, and an administrator's runbook on restoring from backup.
 */
class S3RansomwareTest {
	static final String DATA = "acme-data";
	static final String ONPREM = "192.0.2.10";
	static final String RCLONE = "rclone/v1.66.0";
	static final String INTRUDER = "203.0.113.200";
	static final String KEY_ACCOUNT = "111122223333";
	static final String PARTNER = "999988887777";
	static final Instant ATTACK = NoisyAccount.START.plus(2, ChronoUnit.DAYS).plus(3 * 60 + 10, ChronoUnit.MINUTES);
	static final String DB_HOST = "54.170.10.31";
	static final String ANALYTICS_HOST = "54.170.10.42";

	@Test
	void theEncryptionTheNotesAndTheLostReplicationAreOneSequence(@TempDir Path dir) throws IOException {
		NoisyAccount a = sseC();
		try (EvidenceStore store = ScenarioTest.reasoned(dir, ScenarioTest.trail(dir, a.trail()))) {
			Findings f = new Findings(store);
			List<Findings.Signal> signals = f.signals("en");
			List<Findings.Signal> encrypted = of(signals, "s3-encrypted-with-customer-key");
			List<Findings.Signal> attack = encrypted.stream().filter(s -> s.actor().endsWith(":user/data-sync")).toList();
			assertEquals(1, attack.size(), encrypted.toString());
			assertEquals(120, attack.get(0).burstSize());
			assertEquals(120, attack.get(0).evidence().size());
			assertEquals("T1486", attack.get(0).technique());
			assertEquals("TA0040", attack.get(0).tactic());
			// the media service's own customer key, every 20 minutes for three days
			assertTrue(encrypted.size() > 1 && encrypted.stream().filter(s -> s != attack.get(0)).allMatch(Findings.Signal::routine),
					encrypted.toString());
			assertEquals(List.of(2L), of(signals, "s3-ransom-note").stream().map(Findings.Signal::burstSize).toList());
			assertEquals(1, of(signals, "s3-replication-removed").size());
			assertEquals(3, of(signals, "s3-encrypted-with-foreign-kms-key").size(), "the nightly backups");
			assertEquals(3, of(signals, "s3-copied-to-foreign-bucket").size(), "the daily exports");

			List<Findings.Sequence> sequences = f.sequences("en", signals);
			assertEquals(1, sequences.size(), sequences.toString());
			Findings.Sequence q = sequences.get(0);
			assertEquals("data-sync", q.actorLabel());
			Set<String> detectors = q.members().stream().map(s -> s.detector().replaceAll(".*/", "")).collect(Collectors.toSet());
			assertTrue(detectors.containsAll(Set.of("s3-encrypted-with-customer-key", "s3-ransom-note", "s3-replication-removed")),
					detectors.toString());
			assertTrue(q.members().stream().allMatch(s -> s.actor().endsWith(":user/data-sync")), q.members().toString());
			assertTrue(q.tactics().contains("TA0040"), q.tactics().toString());
			assertFalse(q.severity().doubleValue() < 7.0, q.severity().toString());
		}
	}

	/** The background, and the intrusion that rewrites the objects with SSE-C. */
	private static NoisyAccount sseC() {
		NoisyAccount a = NoisyAccount.quiet();
		background(a);
		ObjectNode sync = NoisyAccount.iamUser("data-sync", "AKIADATASYNC00000001");
		Instant t = ATTACK;
		a.call(t, "sts.amazonaws.com", "GetCallerIdentity", sync, INTRUDER, NoisyAccount.BOTO);
		a.call(t.plusSeconds(5), "s3.amazonaws.com", "ListBuckets", sync, INTRUDER, NoisyAccount.BOTO);
		NoisyAccount.params(a.call(t.plusSeconds(20), "s3.amazonaws.com", "GetBucketReplication", sync, INTRUDER, NoisyAccount.BOTO))
				.put("bucketName", DATA).put("replication", "");
		NoisyAccount.params(a.call(t.plusSeconds(25), "s3.amazonaws.com", "DeleteBucketReplication", sync, INTRUDER, NoisyAccount.BOTO))
				.put("bucketName", DATA).put("replication", "");
		for (int i = 0; i < 120; i++) {
			String key = String.format("customers/part-%03d.csv", i);
			ObjectNode e = data(a, t.plusSeconds(60 + 2L * i), "CopyObject", sync, INTRUDER, NoisyAccount.BOTO, DATA, key);
			NoisyAccount.params(e).put("x-amz-copy-source", DATA + "/" + key)
					.put("x-amz-server-side-encryption-customer-algorithm", "AES256");
			((ObjectNode) e.get("additionalEventData")).put("SSEApplied", "SSE_C");
		}
		data(a, t.plusSeconds(320), "PutObject", sync, INTRUDER, NoisyAccount.BOTO, DATA, "customers/HOW_TO_DECRYPT_FILES.txt");
		data(a, t.plusSeconds(322), "PutObject", sync, INTRUDER, NoisyAccount.BOTO, DATA, "HOW_TO_DECRYPT_FILES.txt");
		return a;
	}

	/**
	 * The same evidence in three files, the second ending in the middle of the encryption: each update gives what
	 * a full run over the files so far gives, and the burst split across files is one episode in the end.
	 */
	@Test
	void updatesAcrossTheEncryptionGiveTheFullRunsResults(@TempDir Path dir) throws IOException {
		ArrayNode trail = sseC().trail();
		Instant middle = ATTACK.plusSeconds(120);
		WindowedUpdateTest.updateAfterEach(dir, List.of(NoisyAccountTest.part(dir, "a", trail, null, ATTACK),
				NoisyAccountTest.part(dir, "b", trail, ATTACK, middle), NoisyAccountTest.part(dir, "c", trail, middle, null)));
	}

	/**
	 * The other way to take the data hostage: the same key sends the bucket's new objects to the intruder's account
	 * by a replication rule, then copies every object onto itself under the intruder's KMS key (the key is then
	 * deleted in the intruder's account, where this trail does not reach). The nightly backups under the
	 * organisation's key stay out.
	 */
	@Test
	void aRewriteUnderTheIntrudersKmsKeyIsTheSameStory(@TempDir Path dir) throws IOException {
		NoisyAccount a = NoisyAccount.quiet();
		background(a);
		ObjectNode sync = NoisyAccount.iamUser("data-sync", "AKIADATASYNC00000001");
		Instant t = ATTACK;
		ObjectNode rule = NoisyAccount.params(a.call(t, "s3.amazonaws.com", "PutBucketReplication", sync, INTRUDER, NoisyAccount.BOTO))
				.put("bucketName", DATA).putObject("ReplicationConfiguration").put("Role", "arn:aws:iam::" + NoisyAccount.ACCOUNT
						+ ":role/replication").putObject("Rule");
		rule.put("Status", "Enabled").putObject("Destination").put("Bucket", "arn:aws:s3:::loot-7731").put("Account", "777766665555");
		String key = "arn:aws:kms:eu-west-1:777766665555:key/0f1e2d3c-aaaa-bbbb-cccc-1234567890ab";
		for (int i = 0; i < 60; i++) {
			String object = String.format("customers/part-%03d.csv", i);
			ObjectNode e = data(a, t.plusSeconds(60 + 3L * i), "CopyObject", sync, INTRUDER, NoisyAccount.BOTO, DATA, object);
			NoisyAccount.params(e).put("x-amz-copy-source", DATA + "/" + object).put("x-amz-server-side-encryption", "aws:kms")
					.put("x-amz-server-side-encryption-aws-kms-key-id", key);
		}
		try (EvidenceStore store = ScenarioTest.reasoned(dir, ScenarioTest.trail(dir, a.trail()))) {
			Findings f = new Findings(store);
			List<Findings.Signal> signals = f.signals("en");
			assertEquals(List.of(60L), of(signals, "s3-rewritten-with-foreign-kms-key").stream().map(Findings.Signal::burstSize).toList());
			assertEquals(3, of(signals, "s3-encrypted-with-foreign-kms-key").size(), "the nightly backups only");
			List<Findings.Sequence> sequences = f.sequences("en", signals);
			assertEquals(1, sequences.size(), sequences.stream().map(Findings.Sequence::actorLabel).toList().toString());
			Findings.Sequence q = sequences.get(0);
			assertEquals("data-sync", q.actorLabel());
			Set<String> detectors = q.members().stream().map(s -> s.detector().replaceAll(".*/", "")).collect(Collectors.toSet());
			assertEquals(Set.of("s3-replication-to-foreign-account", "s3-rewritten-with-foreign-kms-key"), detectors);
			assertEquals(List.of("TA0010", "TA0040"), q.tactics());
		}
	}

	/** The signals of one detector. */
	private static List<Findings.Signal> of(List<Findings.Signal> signals, String detector) {
		return signals.stream().filter(s -> s.detector().endsWith("/" + detector)).toList();
	}

	private static void background(NoisyAccount a) {
		ObjectNode sync = NoisyAccount.iamUser("data-sync", "AKIADATASYNC00000001");
		ObjectNode media = NoisyAccount.session("", "media-service", "ecs-task-7f3a", "ASIAMEDIASERVICE0001");
		ObjectNode backup = NoisyAccount.session("", "backup-writer", "nightly", "ASIABACKUPWRITER0001");
		ObjectNode export = NoisyAccount.session("", "analytics-export", "daily", "ASIAANALYTICSEXP0001");
		ObjectNode alice = NoisyAccount.session(SharedClientsTest.ALICE_SSO, NoisyAccount.SSO_ROLE, "alice@example.com",
				"ASIAALISSO000000001");
		for (Instant t = NoisyAccount.START; t.isBefore(NoisyAccount.END); t = t.plus(20, ChronoUnit.MINUTES)) {
			int minute = (int) ChronoUnit.MINUTES.between(NoisyAccount.START, t);
			ObjectNode put = data(a, t.plusSeconds(7), "PutObject", media, NoisyAccount.INSTANCE_IP, NoisyAccount.LAMBDA, "acme-media",
					"renditions/" + minute + ".mp4");
			NoisyAccount.params(put).put("x-amz-server-side-encryption-customer-algorithm", "AES256");
			((ObjectNode) put.get("additionalEventData")).put("SSEApplied", "SSE_C");
			if (minute % 60 == 0) {
				data(a, t.plusSeconds(30), "ListObjectsV2", sync, ONPREM, RCLONE, DATA, null);
				for (int i = 0; i < 5; i++) {
					data(a, t.plusSeconds(40 + i), "PutObject", sync, ONPREM, RCLONE, DATA, "sync/" + minute + "-" + i + ".csv");
				}
			}
		}
		for (int d = 0; d < 3; d++) {
			Instant night = NoisyAccount.START.plus(d, ChronoUnit.DAYS).plus(2, ChronoUnit.HOURS);
			for (int i = 0; i < 4; i++) {
				NoisyAccount.params(data(a, night.plusSeconds(10L * i), "PutObject", backup, DB_HOST, NoisyAccount.BOTO,
						"acme-backups", "db/" + d + "/" + i + ".dump"))
						.put("x-amz-server-side-encryption", "aws:kms")
						.put("x-amz-server-side-encryption-aws-kms-key-id", "arn:aws:kms:eu-west-1:" + KEY_ACCOUNT + ":key/backups");
			}
			Instant export1 = NoisyAccount.START.plus(d, ChronoUnit.DAYS).plus(60 + 5, ChronoUnit.MINUTES);
			ObjectNode copy = data(a, export1, "CopyObject", export, ANALYTICS_HOST, NoisyAccount.BOTO, "partner-dropbox",
					"acme/" + d + "/report.csv");
			NoisyAccount.params(copy).put("x-amz-copy-source", DATA + "/reports/" + d + ".csv");
			ArrayNode resources = copy.putArray("resources");
			resources.addObject().put("type", "AWS::S3::Bucket").put("ARN", "arn:aws:s3:::" + DATA).put("accountId", NoisyAccount.ACCOUNT);
			resources.addObject().put("type", "AWS::S3::Object").put("ARN", "arn:aws:s3:::" + DATA + "/reports/" + d + ".csv");
			resources.addObject().put("type", "AWS::S3::Bucket").put("ARN", "arn:aws:s3:::partner-dropbox").put("accountId", PARTNER);
			resources.addObject().put("type", "AWS::S3::Object").put("ARN", "arn:aws:s3:::partner-dropbox/acme/" + d + "/report.csv");
		}
		data(a, NoisyAccount.START.plus(1, ChronoUnit.DAYS).plus(11, ChronoUnit.HOURS), "PutObject", alice, NoisyAccount.OFFICE,
				NoisyAccount.CHROME, "acme-runbooks", "docs/HOW_TO_RESTORE_FROM_BACKUP.md");
	}

	/** An S3 data event as CloudTrail records it: the bucket and object among the resources. */
	static ObjectNode data(NoisyAccount a, Instant t, String name, ObjectNode who, String ip, String ua, String bucket, String key) {
		ObjectNode e = a.call(t, "s3.amazonaws.com", name, who, ip, ua);
		e.put("managementEvent", false).put("eventCategory", "Data").put("readOnly", name.startsWith("List") || name.startsWith("Get"));
		ObjectNode p = NoisyAccount.params(e).put("bucketName", bucket).put("Host", bucket + ".s3.eu-west-1.amazonaws.com");
		ArrayNode resources = e.putArray("resources");
		resources.addObject().put("type", "AWS::S3::Bucket").put("ARN", "arn:aws:s3:::" + bucket).put("accountId", NoisyAccount.ACCOUNT);
		if (key != null) {
			p.put("key", key);
			resources.addObject().put("type", "AWS::S3::Object").put("ARN", "arn:aws:s3:::" + bucket + "/" + key);
		}
		e.putObject("additionalEventData").put("SignatureVersion", "SigV4").put("CipherSuite", "TLS_AES_128_GCM_SHA256")
				.put("bytesTransferredIn", 0).put("bytesTransferredOut", 0);
		return e;
	}
}
