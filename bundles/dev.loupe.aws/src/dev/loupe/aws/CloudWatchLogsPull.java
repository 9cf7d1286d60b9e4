package dev.loupe.aws;

import java.nio.file.Path;

import org.eclipse.core.runtime.IProgressMonitor;

import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.FilterLogEventsResponse;

/**
 * One CloudWatch Logs group over the window: FilterLogEvents across all its streams, page by page (up to 10,000
 * events or 1 MB each), resumable. The pages are read back by the CloudWatch Logs reader, whatever the group
 * holds (VPC flow logs, EKS audit, Resolver query logs, CloudTrail).
 */
final class CloudWatchLogsPull {
	private static final String OPERATION = "filter-log-events";

	private CloudWatchLogsPull() {
	}

	/** One folder per group: names like /aws/eks/prod/cluster become a single safe folder name. */
	static Path folder(PullRequest r, String region, String group) {
		String safe = group.replaceAll("^/+", "").replaceAll("[^A-Za-z0-9._-]", "_");
		return r.folder(PullRequest.Service.LOGS, region).resolve(safe.isEmpty() ? "_" : safe);
	}

	static PullReport.Part run(AwsClients clients, PullRequest r, String region, String group, PullState state,
			IProgressMonitor monitor) {
		// log events hold what the workload logged: no AWS credentials of Loupe's own pass through them
		PageRecorder recorder = new PageRecorder(bytes -> bytes);
		try (CloudWatchLogsClient client = clients.logs(region, recorder)) {
			return Paged.run(PullRequest.Service.LOGS, region, group, state, recorder, OPERATION, monitor, token -> {
				FilterLogEventsResponse page = client.filterLogEvents(b -> b.logGroupName(group)
						.startTime(r.since().toEpochMilli()).endTime(r.until().toEpochMilli()).nextToken(token));
				return new Paged.Page(page.events().size(), page.nextToken());
			});
		}
	}
}
