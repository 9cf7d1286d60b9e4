package dev.loupe.aws;


import org.eclipse.core.runtime.IProgressMonitor;

import software.amazon.awssdk.services.securityhub.SecurityHubClient;
import software.amazon.awssdk.services.securityhub.model.AwsSecurityFindingFilters;
import software.amazon.awssdk.services.securityhub.model.DateFilter;
import software.amazon.awssdk.services.securityhub.model.GetFindingsResponse;

/**
 * Security Hub findings (ASFF) updated in the window, 100 per page, resumable, no faster than GetFindings' quota
 * of 3 requests per second (the SDK retries what is throttled anyway; pacing keeps a long pull from being).
 */
final class SecurityHubPull {
	private static final String OPERATION = "get-findings";
	static final long MIN_INTERVAL_MS = 334;

	private SecurityHubPull() {
	}

	static PullReport.Part run(AwsClients clients, PullRequest r, String region, PullState state,
			IProgressMonitor monitor) {
		PageRecorder recorder = new PageRecorder(bytes -> bytes);
		AwsSecurityFindingFilters filters = AwsSecurityFindingFilters.builder()
				.updatedAt(DateFilter.builder().start(r.since().toString()).end(r.until().toString()).build()).build();
		long[] last = { 0 };
		try (SecurityHubClient client = clients.securityHub(region, recorder)) {
			return Paged.run(PullRequest.Service.SECURITYHUB, region, state, recorder, OPERATION, monitor, token -> {
				pace(last);
				GetFindingsResponse page = client.getFindings(b -> b.filters(filters).maxResults(100).nextToken(token));
				return new Paged.Page(page.findings().size(), page.nextToken());
			});
		}
	}

	/** Waits until {@link #MIN_INTERVAL_MS} have passed since the last call. */
	private static void pace(long[] last) {
		long wait = last[0] + MIN_INTERVAL_MS - System.currentTimeMillis();
		if (wait > 0) {
			try {
				Thread.sleep(wait);
			} catch (InterruptedException e) {
				Thread.currentThread().interrupt();
			}
		}
		last[0] = System.currentTimeMillis();
	}
}
