package dev.loupe.core.ingest.s3;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.jena.graph.Node;
import org.apache.jena.vocabulary.RDF;

import dev.loupe.core.ingest.ArnPrincipals;
import dev.loupe.core.ingest.FactBuffer;
import dev.loupe.core.ingest.cloudtrail.ObjectWrites;
import dev.loupe.core.ingest.RecordSink;
import dev.loupe.core.vocab.Ids;
import dev.loupe.core.vocab.Loupe;

/**
 * One access log line as an API call by its requester: the operation named as CloudTrail names the same API, so
 * detectors, actors, endpoints and sequences treat a download seen only in the access log like any other call.
 */
final class S3AccessMapper {
	private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH);
	private static final Pattern HOST_REGION = Pattern.compile("s3[.-]([a-z]{2}(-gov)?-[a-z]+-\\d)\\.amazonaws\\.com");
	/** The log's operations under the names CloudTrail gives the same APIs; others keep the log's name. */
	private static final Map<String, String> API = Map.ofEntries(Map.entry("REST.GET.OBJECT", "GetObject"),
			Map.entry("WEBSITE.GET.OBJECT", "GetObject"), Map.entry("REST.HEAD.OBJECT", "HeadObject"),
			Map.entry("REST.PUT.OBJECT", "PutObject"), Map.entry("REST.POST.OBJECT", "PutObject"),
			Map.entry("REST.COPY.OBJECT", "CopyObject"), Map.entry("REST.COPY.OBJECT_GET", "GetObject"),
			Map.entry("REST.DELETE.OBJECT", "DeleteObject"), Map.entry("BATCH.DELETE.OBJECT", "DeleteObjects"),
			Map.entry("REST.POST.MULTI_OBJECT_DELETE", "DeleteObjects"), Map.entry("REST.GET.BUCKET", "ListObjects"),
			Map.entry("REST.HEAD.BUCKET", "HeadBucket"), Map.entry("REST.GET.SERVICE", "ListBuckets"),
			Map.entry("REST.POST.UPLOADS", "CreateMultipartUpload"), Map.entry("REST.PUT.PART", "UploadPart"),
			Map.entry("REST.POST.UPLOAD", "CompleteMultipartUpload"), Map.entry("REST.GET.ACL", "GetObjectAcl"),
			Map.entry("REST.PUT.ACL", "PutObjectAcl"), Map.entry("REST.GET.BUCKETPOLICY", "GetBucketPolicy"),
			Map.entry("REST.PUT.BUCKETPOLICY", "PutBucketPolicy"), Map.entry("REST.DELETE.BUCKETPOLICY", "DeleteBucketPolicy"),
			Map.entry("REST.GET.VERSIONING", "GetBucketVersioning"), Map.entry("REST.PUT.VERSIONING", "PutBucketVersioning"),
			Map.entry("REST.GET.LOGGING_STATUS", "GetBucketLogging"), Map.entry("REST.PUT.LOGGING_STATUS", "PutBucketLogging"),
			Map.entry("REST.GET.LIFECYCLE", "GetBucketLifecycle"), Map.entry("REST.PUT.LIFECYCLE", "PutBucketLifecycle"),
			Map.entry("REST.DELETE.LIFECYCLE", "DeleteBucketLifecycle"), Map.entry("REST.GET.ENCRYPTION", "GetBucketEncryption"),
			Map.entry("REST.DELETE.BUCKET", "DeleteBucket"), Map.entry("REST.GET.PUBLIC_ACCESS_BLOCK", "GetPublicAccessBlock"),
			Map.entry("REST.PUT.PUBLIC_ACCESS_BLOCK", "PutPublicAccessBlock"),
			Map.entry("REST.DELETE.PUBLIC_ACCESS_BLOCK", "DeletePublicAccessBlock"));

	private final FactBuffer facts;

	S3AccessMapper(RecordSink sink) {
		this.facts = new FactBuffer(sink);
	}

	void map(List<String> v, String line) {
		Instant time;
		try {
			time = OffsetDateTime.parse(v.get(2), TIME).toInstant();
		} catch (DateTimeParseException e) {
			throw new IllegalArgumentException("time \"" + v.get(2) + "\" is not like [06/Feb/2019:00:00:38 +0000]");
		}
		int status;
		try {
			// S3's own actions (lifecycle expirations, delete markers) have no HTTP status
			status = v.get(9).equals("-") ? 0 : Integer.parseInt(v.get(9));
		} catch (NumberFormatException e) {
			throw new IllegalArgumentException("HTTP status \"" + v.get(9) + "\" is not a number");
		}
		facts.record(() -> write(v, line, time, status));
	}

	private void write(List<String> v, String line, Instant time, int status) {
		String bucket = v.get(1);
		String operation = v.get(6);
		String key = value(v.get(7));
		// S3 occasionally delivers a record twice, byte for byte: the line itself identifies it (request IDs alone
		// are not trusted: test and replayed data reuse them)
		Node e = Ids.event("s3-access|" + line.strip());
		facts.add(e, RDF.type.asNode(), Loupe.ApiCall);
		facts.add(e, RDF.type.asNode(), Loupe.S3AccessRecord);
		facts.add(e, Loupe.eventName, FactBuffer.lit(API.getOrDefault(operation, operation)));
		facts.add(e, Loupe.eventSource, FactBuffer.lit("s3.amazonaws.com"));
		facts.add(e, Loupe.eventTime, FactBuffer.time(time));
		Node b = Ids.bucket(bucket);
		facts.describe(b, Loupe.S3Bucket, Loupe.bucketName, bucket, bucket);
		facts.add(e, Loupe.target, b);
		if (key != null) {
			facts.add(e, Loupe.objectKey, FactBuffer.lit(key));
		}
		String error = value(v.get(10));
		if (error != null) {
			facts.add(e, Loupe.errorCode, FactBuffer.lit(error));
		}
		if (status >= 400) {
			facts.add(e, Loupe.qualifier, FactBuffer.lit("outcome:failed"));
		}
		// the log writes keys URL-encoded
		if ("REST.PUT.OBJECT".equals(operation) && key != null
				&& ObjectWrites.ransomNote(java.net.URLDecoder.decode(key.replace("+", "%2B"), java.nio.charset.StandardCharsets.UTF_8))) {
			facts.add(e, Loupe.qualifier, FactBuffer.lit("object:ransom-note"));
		}
		String bytes = value(v.get(11));
		if (bytes != null && bytes.chars().allMatch(Character::isDigit)) {
			facts.add(e, Loupe.bytesSent, FactBuffer.longValue(Long.parseLong(bytes)));
		}
		Node ip = facts.ip(v.get(3));
		if (ip != null) {
			facts.add(e, Loupe.sourceIp, ip);
		}
		String ua = value(v.get(16));
		if (ua != null) {
			facts.add(e, Loupe.userAgent, facts.userAgent(ua.replace("\\\"", "\"")));
		}
		Node actor = requester(value(v.get(4)));
		if (actor != null) {
			facts.add(e, Loupe.actor, actor);
		}
		String host = v.size() > 22 ? value(v.get(22)) : null;
		Matcher region = host == null ? null : HOST_REGION.matcher(host);
		if (region != null && region.find()) {
			facts.add(e, Loupe.inRegion, facts.region(region.group(1)));
		}
		facts.add(e, Loupe.rawRecord, FactBuffer.lit(line));
	}

	/** The requester as the principal CloudTrail would name: sessions with their role, users, roots; else none. */
	private Node requester(String arn) {
		if (arn == null) {
			return null; // anonymous: the bucket or object is public
		}
		if (arn.startsWith("arn:")) {
			return ArnPrincipals.of(facts, arn);
		}
		// a canonical user ID (another account's, or an AWS service's delivery): a principal of its own
		return principal(null, Loupe.Principal, arn, null, Ids.arn("canonical-user:" + arn));
	}

	private Node principal(String arn, Node type, String label, String account, Node n) {
		return facts.principal(n, type, arn, label, account);
	}

	private static String value(String field) {
		return field == null || field.equals("-") || field.isEmpty() ? null : field;
	}
}
