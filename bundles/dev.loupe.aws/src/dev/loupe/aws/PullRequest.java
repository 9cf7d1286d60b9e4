package dev.loupe.aws;

import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * What to pull: which services, with which named profile (null: the SDK's default chain, as the AWS CLI resolves
 * credentials), in which regions, over which time window, into which folder. {@code logGroups} are the CloudWatch
 * Logs groups to read (flow logs, EKS audit, Resolver, CloudTrail); {@code s3} the {@code s3://bucket/prefix}
 * locations of delivered log objects. {@code roles}: the roles to assume, one per account (each account's pull goes
 * to {@code out/ACCOUNT}); empty to pull with the profile's own credentials. {@code organizationRole}: the name of
 * the role to assume in every active account of the organization the profile can list (its management account or
 * a delegated administrator), the profile's own account being pulled with its own credentials; null when the
 * accounts are named by {@code roles} only. {@code endpoint} replaces every service's endpoint (VPC endpoints, test
 * servers); null for AWS's own.
 */
public record PullRequest(List<Service> services, String profile, List<String> regions, Instant since, Instant until,
		URI endpoint, Path out, List<String> logGroups, List<S3Location> s3, List<String> roles, Mfa mfa,
		String organizationRole) {

	public PullRequest {
		logGroups = List.copyOf(logGroups);
		s3 = List.copyOf(s3);
		roles = List.copyOf(roles);
	}

	/** Pulls with the profile's own credentials only (no roles to assume). */
	public PullRequest(List<Service> services, String profile, List<String> regions, Instant since, Instant until,
			URI endpoint, Path out, List<String> logGroups, List<S3Location> s3) {
		this(services, profile, regions, since, until, endpoint, out, logGroups, s3, List.of(), null, null);
	}

	/** Pulls through the roles named, and no organization's accounts. */
	public PullRequest(List<Service> services, String profile, List<String> regions, Instant since, Instant until,
			URI endpoint, Path out, List<String> logGroups, List<S3Location> s3, List<String> roles, Mfa mfa) {
		this(services, profile, regions, since, until, endpoint, out, logGroups, s3, roles, mfa, null);
	}

	/** Whether accounts other than the profile's own are pulled (through roles). */
	boolean multiAccount() {
		return !roles.isEmpty() || organizationRole != null;
	}

	/** @throws IllegalArgumentException unless {@code name} can name an IAM role (path excluded) */
	public static String roleName(String name) {
		if (!name.matches("[\\w+=,.@-]{1,64}")) {
			throw new IllegalArgumentException("\"" + name + "\" is not a role name; expected up to 64 letters, digits and +=,.@_-"
					+ " (e.g. OrganizationAccountAccessRole)");
		}
		return name;
	}

	/**
	 * The MFA device roles are assumed with, and where its code comes from: asked when the first role is assumed
	 * (a prompt in the terminal or the workbench), never stored.
	 */
	public record Mfa(String serialNumber, java.util.function.Supplier<String> code) {
	}

	/** The account of a role ARN (arn:aws:iam::ACCOUNT:role/NAME). */
	public static String accountOf(String roleArn) {
		String[] parts = roleArn.split(":");
		if (parts.length < 6 || !parts[0].equals("arn") || !parts[5].startsWith("role/") || !parts[4].matches("\\d{12}")) {
			throw new IllegalArgumentException("\"" + roleArn + "\" is not a role ARN; expected arn:aws:iam::ACCOUNT:role/NAME");
		}
		return parts[4];
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

	/** The same request, saving under another folder (an account's, when pulling through its role). */
	PullRequest inFolder(Path folder) {
		return new PullRequest(services, profile, regions, since, until, endpoint, folder, logGroups, s3, roles, mfa,
				organizationRole);
	}

	/** The same request, through the roles named only. */
	PullRequest withoutOrganization() {
		return new PullRequest(services, profile, regions, since, until, endpoint, out, logGroups, s3, roles, mfa, null);
	}

	/** The folder of one service and region's pages. */
	Path folder(Service s, String region) {
		return out.resolve(s.id).resolve(region);
	}
}
