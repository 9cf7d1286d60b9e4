package dev.loupe.cli;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.eclipse.core.runtime.NullProgressMonitor;

import dev.loupe.aws.PullReport;
import dev.loupe.aws.PullRequest;
import dev.loupe.aws.Pulls;
import dev.loupe.core.ingest.IngestReport;
import dev.loupe.core.store.EvidenceStore;

/**
 * `loupe pull [SERVICE...] [--profile P] [--region R[,R...]] [--since T] [--until T] [--out DIR] [--endpoint URL]
 * [--log-group NAME]... [--s3 s3://BUCKET/PREFIX]... [--role-arn ARN]... [--org-role NAME] [--mfa-serial ARN [--mfa-code CODE]]`:
 * saves
 * what AWS answers as evidence files, then ingests them.
 */
final class PullCommand implements Cli.Command {
	private static final Duration DEFAULT_WINDOW = Duration.ofDays(1);

	@Override
	public String help() {
		return Messages.helpPull;
	}

	@Override
	public int run(Options o, Cli cli) throws Exception {
		List<PullRequest.Service> services = parsed(o.positional, PullRequest.Service::of);
		List<PullRequest.S3Location> s3 = parsed(o.s3, PullRequest.S3Location::parse);
		if (services.isEmpty()) {
			services.addAll(List.of(PullRequest.Service.CLOUDTRAIL, PullRequest.Service.GUARDDUTY, PullRequest.Service.SECURITYHUB));
			// naming a log group or a bucket asks for it
			if (!o.logGroups.isEmpty()) {
				services.add(PullRequest.Service.LOGS);
			}
			if (!s3.isEmpty()) {
				services.add(PullRequest.Service.S3);
			}
		}
		if (services.contains(PullRequest.Service.LOGS) && o.logGroups.isEmpty()) {
			throw new Options.UsageException(Messages.errorNoLogGroup);
		}
		if (services.contains(PullRequest.Service.S3) && s3.isEmpty()) {
			throw new Options.UsageException(Messages.errorNoS3);
		}
		Instant until = o.until != null ? Options.time(o.until, "--until") : Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
		Instant since = o.since != null ? Options.time(o.since, "--since") : until.minus(DEFAULT_WINDOW);
		if (!since.isBefore(until)) {
			throw new Options.UsageException(Messages.bind(Messages.errorWindow, since, until));
		}
		List<String> regions = o.region != null ? List.of(o.region.split(",")) : List.of(defaultRegion());
		Path out = o.out != null ? o.out : cli.home.resolve("pulls").resolve(o.profile != null ? o.profile : "default");
		URI endpoint = o.endpoint != null ? URI.create(o.endpoint) : null;
		try {
			o.roles.forEach(PullRequest::accountOf);
			if (o.orgRole != null) {
				PullRequest.roleName(o.orgRole);
			}
		} catch (IllegalArgumentException e) {
			throw new Options.UsageException(e.getMessage());
		}
		PullRequest.Mfa mfa = o.mfaSerial == null ? null : new PullRequest.Mfa(o.mfaSerial, mfaCode(o, cli));
		PullRequest request = new PullRequest(services, o.profile, regions, since, until, endpoint, out, o.logGroups, s3,
				o.roles, mfa, o.orgRole);
		cli.out.println(Messages.bind(Messages.pullStart, new Object[] { String.join(" ", services.stream().map(s -> s.id).toList()),
				String.join(",", regions), since, until, out }));
		NullProgressMonitor monitor = new NullProgressMonitor();
		PullReport report;
		// Ctrl-C or SIGTERM stops the pull at its next page or object; what was saved stays, the next pull resumes
		try (AutoCloseable interrupt = cli.interruptible(monitor)) {
			report = Pulls.pull(request, monitor);
			if (monitor.isCanceled()) {
				cli.err.println(Messages.pullCancelled);
				return Cli.USER_ERROR;
			}
		}
		List<Path> folders = new ArrayList<>();
		for (PullReport.Part p : report.parts()) {
			String what = p.where();
			if (p.service() == PullRequest.Service.S3) {
				// objects are independent: what was saved is said even when some could not be
				cli.out.println(Messages.bind(Messages.pullObjects, new Object[] { p.service().id, what, p.pages(),
						p.records() - p.pages() - p.failedObjects(), p.records() }));
			}
			if (p.error() != null) {
				cli.err.println(Messages.bind(Messages.pullFailed, new Object[] { p.service().id, what, p.error(), p.pages() }));
			} else if (p.skipped()) {
				cli.out.println(Messages.bind(Messages.pullSkipped, p.service().id, what));
			} else if (p.service() != PullRequest.Service.S3) {
				cli.out.println(Messages.bind(Messages.pullDone, new Object[] { p.service().id, what, p.pages(), p.records() }));
			}
		}
		folders.addAll(report.folders());
		boolean ingestFailed = false;
		java.util.OptionalInt there = folders.isEmpty() ? java.util.OptionalInt.empty() : Handoff.forwardIngest(o, folders, cli);
		if (there.isPresent()) {
			ingestFailed = there.getAsInt() != Cli.OK;
		} else if (!folders.isEmpty()) {
			try (EvidenceStore store = cli.openStore(o)) {
				IngestReport r = IngestCommand.ingest(store, folders, cli);
				ingestFailed = r.anyFailed() || r.cancelled();
				if (o.reason && !r.cancelled()) {
					ReasonCommand.reason(store, o, cli);
				}
			}
		}
		return report.anyFailed() || ingestFailed ? Cli.USER_ERROR : Cli.OK;
	}

	/** The MFA code: given with --mfa-code, else asked for once, when the first role is assumed; never stored. */
	private static java.util.function.Supplier<String> mfaCode(Options o, Cli cli) {
		if (o.mfaCode != null) {
			return () -> o.mfaCode;
		}
		String[] asked = { null };
		return () -> {
			if (asked[0] == null) {
				cli.err.print(Messages.bind(Messages.mfaPrompt, o.mfaSerial));
				cli.err.flush();
				java.io.Console console = System.console();
				try {
					asked[0] = console != null ? console.readLine()
							: new java.io.BufferedReader(new java.io.InputStreamReader(System.in, java.nio.charset.StandardCharsets.UTF_8)).readLine();
				} catch (java.io.IOException e) {
					asked[0] = "";
				}
				asked[0] = asked[0] == null ? "" : asked[0].strip();
			}
			return asked[0];
		};
	}


	/** As the AWS CLI: AWS_REGION, then AWS_DEFAULT_REGION, else us-east-1 (profiles name theirs with --region). */
	private static String defaultRegion() {
		String r = System.getenv("AWS_REGION");
		if (r == null || r.isBlank()) {
			r = System.getenv("AWS_DEFAULT_REGION");
		}
		return r == null || r.isBlank() ? "us-east-1" : r;
	}

	/** Each argument parsed; one that does not parse is a usage error naming it. */
	private static <T> List<T> parsed(List<String> args, java.util.function.Function<String, T> parse) {
		List<T> out = new ArrayList<>();
		for (String a : args) {
			try {
				out.add(parse.apply(a));
			} catch (IllegalArgumentException e) {
				throw new Options.UsageException(e.getMessage());
			}
		}
		return out;
	}
}
