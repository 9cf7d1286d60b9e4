package dev.loupe.aws;

import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * What to pull: which services, with which named profile (null: the SDK's default chain, as the AWS CLI resolves
 * credentials), in which regions, over which time window, into which folder. {@code endpoint} replaces every
 * service's endpoint (VPC endpoints, test servers); null for AWS's own.
 */
public record PullRequest(List<Service> services, String profile, List<String> regions, Instant since, Instant until,
		URI endpoint, Path out) {

	public enum Service {
		CLOUDTRAIL("cloudtrail"), GUARDDUTY("guardduty"), SECURITYHUB("securityhub");

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
			throw new IllegalArgumentException("no service \"" + id + "\"; Loupe pulls cloudtrail, guardduty and securityhub");
		}
	}

	/** The folder of one service and region's pages. */
	Path folder(Service s, String region) {
		return out.resolve(s.id).resolve(region);
	}
}
