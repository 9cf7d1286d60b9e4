package dev.loupe.aws;

import java.util.ArrayList;
import java.util.List;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.SubMonitor;

import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Pulls evidence from AWS into files, one folder per service and region, each page a file as the service
 * answered it; the caller ingests the folders like any other evidence. A service or region that fails (access
 * denied, unreachable) is reported and the others still pulled.
 */
public final class Pulls {
	private Pulls() {
	}

	public static PullReport pull(PullRequest request, IProgressMonitor monitor) {
		SubMonitor sub = SubMonitor.convert(monitor, request.services().size() * request.regions().size());
		List<PullReport.Part> parts = new ArrayList<>();
		try (AwsClients clients = new AwsClients(request)) {
			for (PullRequest.Service s : request.services()) {
				for (String region : request.regions()) {
					if (sub.isCanceled()) {
						return new PullReport(parts);
					}
					sub.subTask(s.id + " " + region);
					PullState state = PullState.load(request.folder(s, region), window(request));
					if (state.done) {
						// this window was pulled completely before: not asked again
						parts.add(new PullReport.Part(s, region, state.pages, 0, true, null, List.of()));
						sub.worked(1);
						continue;
					}
					parts.add(switch (s) {
					case CLOUDTRAIL -> CloudTrailPull.run(clients, request, region, state, sub.split(1));
					case GUARDDUTY -> GuardDutyPull.run(clients, request, region, state, sub.split(1));
					case SECURITYHUB -> SecurityHubPull.run(clients, request, region, state, sub.split(1));
					});
				}
			}
		}
		return new PullReport(parts);
	}

	/** The time window as named in page files. */
	static String window(PullRequest r) {
		return r.since() + "_" + r.until();
	}

	/** What went wrong, for the analyst: the service's own code and words, and access denied said plainly. */
	static String describe(SdkException e) {
		if (e instanceof AwsServiceException s && s.awsErrorDetails() != null) {
			String code = s.awsErrorDetails().errorCode();
			String what = s.statusCode() == 403 || code != null && code.contains("AccessDenied") ? "access denied" : "service error";
			return what + " (" + code + ", HTTP " + s.statusCode() + "): " + s.awsErrorDetails().errorMessage();
		}
		return "cannot complete the call: " + e.getMessage();
	}
}
