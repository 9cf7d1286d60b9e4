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
			if (!request.multiAccount()) {
				return new PullReport(pull(base, request, monitor));
			}
			List<PullReport.Part> parts = new ArrayList<>();
			OrganizationAccounts accounts = accounts(base, request, parts);
			accounts.inactive().forEach((account, state) -> failed(parts, request, request.out(), account,
					"not pulled: the organization lists the account as " + state));
			// one account after the other, each through its role, each into its own folder
			SubMonitor sub = SubMonitor.convert(monitor, accounts.roles().size() + (accounts.self() != null ? 1 : 0));
			if (accounts.self() != null) {
				PullRequest own = request.inFolder(request.out().resolve(accounts.self()));
				pull(base, own, sub.split(1)).forEach(p -> parts.add(p.in(accounts.self())));
			}
			for (var e : accounts.roles().entrySet()) {
				if (sub.isCanceled()) {
					break;
				}
				String account = e.getKey();
				PullRequest forAccount = request.inFolder(request.out().resolve(account));
				try (AwsClients clients = base.assume(e.getValue(), forAccount)) {
					clients.check();
					pull(clients, forAccount, sub.split(1)).forEach(p -> parts.add(p.in(account)));
				} catch (SdkException x) {
					failed(parts, request, forAccount.out(), account, "cannot assume " + e.getValue() + ": " + describe(x));
				}
			}
			return new PullReport(parts);
		}
	}

	private static OrganizationAccounts accounts(AwsClients base, PullRequest request, List<PullReport.Part> parts) {
		try {
			OrganizationAccounts accounts = OrganizationAccounts.of(base, request);
			if (accounts.listingError() != null) {
				failed(parts, request, request.out(), "organization", "cannot list the organization's accounts: " + accounts.listingError());
			}
			return accounts;
		} catch (SdkException e) {
			// the profile's own credentials fail (expired, denied): the roles named may still be assumed
			failed(parts, request, request.out(), "organization", "cannot list the organization's accounts: " + describe(e));
			return OrganizationAccounts.of(base, request.withoutOrganization());
		}
	}

	/** One failed part per service: nothing of {@code account} was pulled, for {@code why}. */
	private static void failed(List<PullReport.Part> parts, PullRequest request, java.nio.file.Path folder, String account, String why) {
		for (PullRequest.Service s : request.services()) {
			parts.add(new PullReport.Part(s, request.regions().get(0), null, 0, 0, false, why, List.of(), folder, 0, account));
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
