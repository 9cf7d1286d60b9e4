package dev.loupe.aws;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.eclipse.core.runtime.IProgressMonitor;

import software.amazon.awssdk.core.exception.SdkException;
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

	static PullReport.Part run(AwsClients clients, PullRequest r, String region, IProgressMonitor monitor) {
		PullState state = PullState.load(r.folder(PullRequest.Service.SECURITYHUB, region), Pulls.window(r));
		if (state.done) {
			return new PullReport.Part(PullRequest.Service.SECURITYHUB, region, state.pages, 0, true, null, List.of());
		}
		PageRecorder recorder = new PageRecorder(bytes -> bytes);
		List<Path> files = new ArrayList<>();
		int records = 0;
		String error = null;
		AwsSecurityFindingFilters filters = AwsSecurityFindingFilters.builder()
				.updatedAt(DateFilter.builder().start(r.since().toString()).end(r.until().toString()).build()).build();
		long last = 0;
		try (SecurityHubClient client = clients.securityHub(region, recorder)) {
			while (!state.done && !monitor.isCanceled()) {
				long wait = last + MIN_INTERVAL_MS - System.currentTimeMillis();
				if (wait > 0) {
					Thread.sleep(wait);
				}
				last = System.currentTimeMillis();
				recorder.target(state.page(OPERATION, state.pages + 1));
				String token = state.nextToken;
				GetFindingsResponse page = client.getFindings(b -> b.filters(filters).maxResults(100).nextToken(token));
				records += page.findings().size();
				files.add(recorder.written());
				state.pages++;
				state.nextToken = page.nextToken();
				state.done = state.nextToken == null || state.nextToken.isEmpty();
				state.save();
			}
		} catch (SdkException e) {
			error = Pulls.describe(e);
			// a page the SDK could not read (a model older than the service) was saved all the same: it is evidence
			if (recorder.written() != null && !files.contains(recorder.written())) {
				files.add(recorder.written());
			}
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			error = "interrupted";
		}
		return new PullReport.Part(PullRequest.Service.SECURITYHUB, region, files.size(), records, false, error, files);
	}
}
