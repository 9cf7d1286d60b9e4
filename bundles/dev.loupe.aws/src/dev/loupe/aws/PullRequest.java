package dev.loupe.aws;

import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * What to pull: which services, with which named profile (null: the SDK's default chain, as the AWS CLI resolves
 * credentials), in which regions, over which time window, into which folder. {@code logGroups} are the CloudWatch
 * Logs groups to read (flow logs, EKS audit, Resolver, CloudTrail); {@code s3} the {@code s3://bucket/prefix}
 * locations of delivered log objects. {@code endpoint} replaces every service's endpoint (VPC endpoints, test
 * servers); null for AWS's own.
 */
public record PullRequest(List<Service> services, String profile, List<String> regions, Instant since, Instant until,
		URI endpoint, Path out, List<String> logGroups, List<S3Location> s3) {

	public PullRequest {
		logGroups = List.copyOf(logGroups);
		s3 = List.copyOf(s3);
	}

	public enum Service {
		CLOUDTRAIL("cloudtrail"), GUARDDUTY("guardduty"), SECURITYHUB("securityhub"), LOGS("logs"), S3("s3");

		public final String id;

		Service(String id) {
			this.id = id;
		}

		/** @throws IllegalArgumentException naming the services Loupe pulls */
		public static Service of(String id) {
			for (Service s : values()) {
				if (s.id.equalsIgnoreCase(id)) {
					return s;
				}
			}
			throw new IllegalArgumentException("no service \"" + id + "\"; Loupe pulls cloudtrail, guardduty, securityhub, logs"
					+ " (CloudWatch Logs groups) and s3 (log objects under a bucket prefix)");
		}
	}

	/** A bucket and a key prefix (possibly empty) of delivered logs, e.g. {@code s3://trail-bucket/AWSLogs/}. */
	public record S3Location(String bucket, String prefix) {
		/** @throws IllegalArgumentException saying what an S3 location looks like */
		public static S3Location parse(String text) {
			if (!text.startsWith("s3://") || text.length() <= 5 || text.charAt(5) == '/') {
				throw new IllegalArgumentException("\"" + text + "\" is not an S3 location; expected s3://BUCKET or s3://BUCKET/PREFIX");
			}
			String rest = text.substring(5);
			int slash = rest.indexOf('/');
			return slash < 0 ? new S3Location(rest, "") : new S3Location(rest.substring(0, slash), rest.substring(slash + 1));
		}

		@Override
		public String toString() {
			return "s3://" + bucket + "/" + prefix;
		}
	}

	/** The folder of one service and region's pages. */
	Path folder(Service s, String region) {
		return out.resolve(s.id).resolve(region);
	}
}
