package dev.loupe.aws;

import java.util.ArrayList;
import java.util.List;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.SubMonitor;

import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Pulls evidence from AWS into files, one folder per service and region (and log group, or bucket), each page a
 * file as the service answered it; the caller ingests the folders like any other evidence. A service, region,
 * log group or bucket that fails (access denied, unreachable) is reported and the others still pulled.
 */
public final class Pulls {
	private Pulls() {
	}

	public static PullReport pull(PullRequest request, IProgressMonitor monitor) {
		try (AwsClients base = new AwsClients(request)) {
			if (request.roles().isEmpty()) {
				return new PullReport(pull(base, request, monitor));
			}
			// one account after the other, each through its role, each into its own folder
			SubMonitor sub = SubMonitor.convert(monitor, request.roles().size());
			List<PullReport.Part> parts = new ArrayList<>();
			for (String role : request.roles()) {
				if (sub.isCanceled()) {
					break;
				}
				String account = PullRequest.accountOf(role);
				PullRequest forAccount = request.inFolder(request.out().resolve(account));
				try (AwsClients clients = base.assume(role, forAccount)) {
					clients.check();
					pull(clients, forAccount, sub.split(1)).forEach(p -> parts.add(p.in(account)));
				} catch (SdkException e) {
					for (PullRequest.Service s : request.services()) {
						parts.add(new PullReport.Part(s, request.regions().get(0), null, 0, 0, false,
								"cannot assume " + role + ": " + describe(e), List.of(), forAccount.out(), 0, account));
					}
				}
			}
			return new PullReport(parts);
		}
	}

	private static List<PullReport.Part> pull(AwsClients clients, PullRequest request, IProgressMonitor monitor) {
		SubMonitor sub = SubMonitor.convert(monitor, units(request));
		List<PullReport.Part> parts = new ArrayList<>();
		for (PullRequest.Service s : request.services()) {
			if (s == PullRequest.Service.S3) {
				// buckets are global: the client follows each bucket to its own region
				for (PullRequest.S3Location location : request.s3()) {
					if (sub.isCanceled()) {
						return parts;
					}
					sub.subTask(location.toString());
					parts.add(S3Pull.run(clients, request, location, sub.split(1)));
				}
				continue;
			}
			for (String region : request.regions()) {
				for (String group : s == PullRequest.Service.LOGS ? request.logGroups() : List.of("")) {
					if (sub.isCanceled()) {
						return parts;
					}
					sub.subTask(s.id + " " + region + " " + group);
					PullState state = PullState.load(s == PullRequest.Service.LOGS
							? CloudWatchLogsPull.folder(request, region, group) : request.folder(s, region), window(request));
					if (state.done) {
						// this window was pulled completely before: not asked again
						parts.add(new PullReport.Part(s, region, group.isEmpty() ? null : group, state.pages, 0, true, null,
								List.of(), state.folder()));
						sub.worked(1);
						continue;
					}
					parts.add(switch (s) {
					case CLOUDTRAIL -> CloudTrailPull.run(clients, request, region, state, sub.split(1));
					case GUARDDUTY -> GuardDutyPull.run(clients, request, region, state, sub.split(1));
					case SECURITYHUB -> SecurityHubPull.run(clients, request, region, state, sub.split(1));
					case LOGS -> CloudWatchLogsPull.run(clients, request, region, group, state, sub.split(1));
					case S3 -> throw new IllegalStateException("S3 is pulled per location");
					});
				}
			}
		}
		return parts;
	}

	private static int units(PullRequest r) {
		int n = 0;
		for (PullRequest.Service s : r.services()) {
			n += switch (s) {
			case S3 -> r.s3().size();
			case LOGS -> r.regions().size() * r.logGroups().size();
			default -> r.regions().size();
			};
		}
		return n;
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
