package dev.loupe.aws;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.eclipse.core.runtime.IProgressMonitor;

import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.guardduty.GuardDutyClient;
import software.amazon.awssdk.services.guardduty.model.Condition;
import software.amazon.awssdk.services.guardduty.model.FindingCriteria;
import software.amazon.awssdk.services.guardduty.model.GetFindingsResponse;
import software.amazon.awssdk.services.guardduty.model.ListFindingsResponse;

/**
 * GuardDuty findings updated in the window, for every detector of the region: ListFindings pages of IDs, each
 * fetched with GetFindings (50 at a time, the API's most); the GetFindings answers are the pages kept.
 */
final class GuardDutyPull {
	private static final String OPERATION = "get-findings";

	private GuardDutyPull() {
	}

	static PullReport.Part run(AwsClients clients, PullRequest r, String region, PullState state,
			IProgressMonitor monitor) {
		PageRecorder recorder = new PageRecorder(bytes -> bytes);
		List<Path> files = new ArrayList<>();
		int records = 0;
		String error = null;
		FindingCriteria updated = FindingCriteria.builder().criterion(Map.of("updatedAt", Condition.builder()
				.greaterThanOrEqual(r.since().toEpochMilli()).lessThanOrEqual(r.until().toEpochMilli()).build())).build();
		int page = 0;
		try (GuardDutyClient client = clients.guardDuty(region, recorder)) {
			for (String detector : client.listDetectorsPaginator(b -> b.maxResults(50)).detectorIds()) {
				String token = null;
				do {
					String t = token;
					ListFindingsResponse ids = client.listFindings(b -> b.detectorId(detector).findingCriteria(updated)
							.maxResults(50).nextToken(t));
					if (!ids.findingIds().isEmpty() && !monitor.isCanceled()) {
						recorder.target(state.page(OPERATION, ++page));
						GetFindingsResponse findings = client.getFindings(b -> b.detectorId(detector).findingIds(ids.findingIds()));
						records += findings.findings().size();
						files.add(recorder.written());
					}
					token = ids.nextToken();
				} while (token != null && !token.isEmpty() && !monitor.isCanceled());
			}
			state.pages = page;
			state.done = !monitor.isCanceled();
			state.save();
		} catch (SdkException e) {
			error = Paged.failed(e, recorder, files);
		}
		return new PullReport.Part(PullRequest.Service.GUARDDUTY, region, null, files.size(), records, false, error, files,
				state.folder());
	}
}
