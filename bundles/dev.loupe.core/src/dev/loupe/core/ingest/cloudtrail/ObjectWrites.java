package dev.loupe.core.ingest.cloudtrail;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Qualifiers of S3 writes that take data away from its owner, read from CloudTrail's data events: objects written
 * under a key the account does not hold (a key the caller sends with each request, SSE-C, as the Codefinger
 * ransomware does; a KMS key of another account, also as a bucket's default, told apart when objects are copied
 * onto themselves under it), a ransom note put among them,
 * objects copied into another account's bucket, and a bucket replicated to another account.
 */
public final class ObjectWrites {
	/** The calls that write an object's bytes (a read with a customer key is not an encryption). */
	private static final Set<String> WRITES = Set.of("PutObject", "CopyObject", "CreateMultipartUpload", "UploadPart",
			"UploadPartCopy", "CompleteMultipartUpload");
	private static final Set<String> COPIES = Set.of("CopyObject", "UploadPartCopy");
	/**
	 * The file names ransomware leaves beside what it encrypted. Narrow on purpose: README and RESTORE alone are
	 * what people upload every day.
	 */
	private static final Pattern NOTE = Pattern.compile("(?i)(^|/)[!#_ .-]*(read[_ .-]?me[_ .-]*)?(how[_ .-]*)?(to[_ .-]*)?("
			+ "(decrypt|ransom)([_ .-]*(your|my|all|the))?([_ .-]*(files|data|note))?"
			+ "|(restore|recover|unlock|get[_ .-]?back)([_ .-]*(your|my|all|the))?[_ .-]*(files|data)"
			+ "|(your|my|all)[_ .-]*(files|data)[_ .-]*((are|is|were|have|has)[_ .-]*)?(been[_ .-]*)?encrypted"
			+ ")[!#_ .-]*\\.(txt|html?|hta|md|rtf)$");
	private static final Pattern KEY_ACCOUNT = Pattern.compile("^arn:aws[a-z-]*:kms:[^:]*:(\\d{12}):");

	private ObjectWrites() {
	}

	static void qualify(ObjectNode ev, String name, JsonNode rp, List<String> q) {
		if (name == null) {
			return;
		}
		String own = Grantees.own(ev);
		if (WRITES.contains(name) && (rp.hasNonNull("x-amz-server-side-encryption-customer-algorithm")
				|| "SSE_C".equals(ev.path("additionalEventData").path("SSEApplied").asText()))) {
			q.add("encryption:customer-key");
		}
		String key = rp.path("x-amz-server-side-encryption-aws-kms-key-id").asText("");
		if ("PutBucketEncryption".equals(name)) {
			key = defaultKey(rp.path("ServerSideEncryptionConfiguration").path("Rule"));
		}
		Matcher account = KEY_ACCOUNT.matcher(key);
		if ((WRITES.contains(name) || "PutBucketEncryption".equals(name)) && account.find() && own != null
				&& !own.equals(account.group(1))) {
			// an object copied onto itself under another account's key is rewritten, not shared: ransomware's way
			q.add(COPIES.contains(name) && inPlace(rp) ? "encryption:foreign-key-rewrite" : "encryption:foreign-key");
		}
		if ("PutObject".equals(name) && ransomNote(rp.path("key").asText(""))) {
			q.add("object:ransom-note");
		}
		if (COPIES.contains(name) && copiedAcrossAccounts(rp, ev.path("resources"))) {
			q.add("copy:foreign-bucket");
		}
		if ("PutBucketReplication".equals(name) && own != null && !replicatedTo(rp, own).isEmpty()) {
			q.add("replication:foreign-account");
		}
	}

	/** The accounts other than {@code own} a bucket's replication rules send its objects to. */
	static Set<String> replicatedTo(JsonNode rp, String own) {
		Set<String> out = new java.util.TreeSet<>();
		for (JsonNode rule : each(rp.path("ReplicationConfiguration").path("Rule"))) {
			String to = rule.path("Destination").path("Account").asText("");
			if (to.matches("\\d{12}") && !to.equals(own)) {
				out.add(to);
			}
		}
		return out;
	}

	/** Whether an object key names a ransom note (S3 server access logs ask too). */
	public static boolean ransomNote(String key) {
		return NOTE.matcher(key).find();
	}

	private static boolean inPlace(JsonNode rp) {
		String source = rp.path("x-amz-copy-source").asText("").replaceFirst("^/", "").replaceFirst("\\?.*", "");
		return source.equals(rp.path("bucketName").asText() + "/" + rp.path("key").asText());
	}

	/** The KMS key a bucket's new default encryption names, or "". */
	private static String defaultKey(JsonNode rules) {
		for (JsonNode rule : each(rules)) {
			String key = rule.path("ApplyServerSideEncryptionByDefault").path("KMSMasterKeyID").asText("");
			if (!key.isEmpty()) {
				return key;
			}
		}
		return "";
	}

	/**
	 * Whether a copy's source and destination buckets belong to different accounts, by the owners CloudTrail gives
	 * the buckets among its resources: the two named in the request when both are there, else any two.
	 */
	private static boolean copiedAcrossAccounts(JsonNode rp, JsonNode resources) {
		String to = rp.path("bucketName").asText("");
		String source = rp.path("x-amz-copy-source").asText("");
		String from = source.replaceFirst("^/", "").replaceFirst("/.*", "");
		String toOwner = null;
		String fromOwner = null;
		Set<String> owners = new LinkedHashSet<>();
		for (JsonNode r : resources) {
			String arn = r.path("ARN").asText(r.path("arn").asText(""));
			String owner = r.path("accountId").asText("");
			if (!"AWS::S3::Bucket".equals(r.path("type").asText()) || owner.isEmpty()) {
				continue;
			}
			owners.add(owner);
			String bucket = arn.substring(arn.lastIndexOf(':') + 1);
			if (bucket.equals(to)) {
				toOwner = owner;
			}
			if (bucket.equals(from)) {
				fromOwner = owner;
			}
		}
		if (toOwner != null && fromOwner != null) {
			return !toOwner.equals(fromOwner);
		}
		return owners.size() > 1;
	}

	private static Iterable<JsonNode> each(JsonNode node) {
		return node.isArray() ? node : node.isObject() ? List.of(node) : List.of();
	}
}
