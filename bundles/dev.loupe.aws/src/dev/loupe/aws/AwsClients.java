package dev.loupe.aws;

import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudtrail.CloudTrailClient;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.guardduty.GuardDutyClient;
import software.amazon.awssdk.services.organizations.OrganizationsClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;
import software.amazon.awssdk.services.sts.model.AssumeRoleRequest;
import software.amazon.awssdk.services.securityhub.SecurityHubClient;

/**
 * SDK clients for a pull: credentials resolved as the AWS CLI resolves them (a named profile from ~/.aws/config
 * and credentials, with SSO and role assumption, or the default chain: environment, profile, container and
 * instance metadata), throttling and transient errors retried with backoff, every page recorded. Loupe keeps no
 * credentials: the SDK holds them in memory for the pull.
 */
final class AwsClients implements AutoCloseable {
	/** Throttled pulls of a busy account must get through: more attempts than the SDK's default three. */
	static final int MAX_ATTEMPTS = 8;
	private final PullRequest request;
	private final AwsCredentialsProvider credentials;
	// given explicitly: inside OSGi the SDK cannot find an HTTP client through ServiceLoader
	private final SdkHttpClient http;
	private final boolean ownsHttp;
	private final StsClient sts;

	AwsClients(PullRequest request) {
		this(request, request.profile() != null ? ProfileCredentialsProvider.create(request.profile())
				: DefaultCredentialsProvider.builder().build(), UrlConnectionHttpClient.create(), true, null);
	}

	private AwsClients(PullRequest request, AwsCredentialsProvider credentials, SdkHttpClient http, boolean ownsHttp, StsClient sts) {
		this.request = request;
		this.credentials = credentials;
		this.http = http;
		this.ownsHttp = ownsHttp;
		this.sts = sts;
	}

	/**
	 * Clients acting through a role assumed with these clients' credentials (and the request's MFA device, whose
	 * code is asked for once), for {@code forAccount}. The session is named "loupe-investigation": the account's
	 * own CloudTrail then says who looked.
	 */
	AwsClients assume(String roleArn, PullRequest forAccount) {
		StsClient client = sts();
		AssumeRoleRequest.Builder ask = AssumeRoleRequest.builder().roleArn(roleArn).roleSessionName("loupe-investigation");
		if (request.mfa() != null) {
			ask.serialNumber(request.mfa().serialNumber()).tokenCode(request.mfa().code().get());
		}
		AwsCredentialsProvider role = StsAssumeRoleCredentialsProvider.builder().stsClient(client).refreshRequest(ask.build())
				.build();
		return new AwsClients(forAccount, role, http, false, client);
	}

	/** Resolves the credentials now, so that a role that cannot be assumed is reported once, not per call. */
	void check() {
		credentials.resolveCredentials();
	}

	/** STS with these clients' own credentials (who they are: GetCallerIdentity). */
	StsClient sts() {
		return configure(StsClient.builder(), request.regions().get(0), null).httpClient(http).build();
	}

	/** Organizations is global: its endpoint is that of the partition of the first region asked for. */
	OrganizationsClient organizations() {
		String partition = OrganizationAccounts.partition(request);
		Region global = switch (partition) {
		case "aws-cn" -> Region.AWS_CN_GLOBAL;
		case "aws-us-gov" -> Region.AWS_US_GOV_GLOBAL;
		default -> Region.AWS_GLOBAL;
		};
		return configure(OrganizationsClient.builder(), global.id(), null).httpClient(http).build();
	}

	CloudTrailClient cloudTrail(String region, PageRecorder recorder) {
		return configure(CloudTrailClient.builder(), region, recorder).httpClient(http).build();
	}

	GuardDutyClient guardDuty(String region, PageRecorder recorder) {
		return configure(GuardDutyClient.builder(), region, recorder).httpClient(http).build();
	}

	SecurityHubClient securityHub(String region, PageRecorder recorder) {
		return configure(SecurityHubClient.builder(), region, recorder).httpClient(http).build();
	}

	CloudWatchLogsClient logs(String region, PageRecorder recorder) {
		return configure(CloudWatchLogsClient.builder(), region, recorder).httpClient(http).build();
	}

	/**
	 * Objects are saved by the S3 pull itself, not recorded. Buckets are reached in their own region whatever
	 * {@code region} is; a custom endpoint is addressed by path (it has no bucket host names).
	 */
	S3Client s3(String region) {
		return configure(S3Client.builder(), region, null).httpClient(http).forcePathStyle(request.endpoint() != null)
				.crossRegionAccessEnabled(request.endpoint() == null).build();
	}

	private <B extends AwsClientBuilder<B, ?>> B configure(B builder, String region, PageRecorder recorder) {
		ClientOverrideConfiguration.Builder config = ClientOverrideConfiguration.builder()
				.retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder().maxAttempts(MAX_ATTEMPTS).build());
		if (recorder != null) {
			config.addExecutionInterceptor(recorder);
		}
		builder.region(Region.of(region)).credentialsProvider(credentials).overrideConfiguration(config.build());
		if (request.endpoint() != null) {
			builder.endpointOverride(request.endpoint());
		}
		return builder;
	}

	@Override
	public void close() {
		if (sts != null) {
			sts.close();
		}
		if (ownsHttp) {
			http.close();
		}
		if (credentials instanceof AutoCloseable c) {
			try {
				c.close();
			} catch (Exception e) {
				// nothing held that outlives the pull
			}
		}
	}
}
