package dev.loupe.cli;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.eclipse.core.runtime.NullProgressMonitor;

import dev.loupe.aws.PullReport;
import dev.loupe.aws.PullRequest;
import dev.loupe.aws.Pulls;
import dev.loupe.core.ingest.IngestReport;
import dev.loupe.core.store.EvidenceStore;

/**
 * `loupe pull [SERVICE...] [--profile P] [--region R[,R...]] [--since T] [--until T] [--out DIR] [--endpoint URL]`:
 * saves what AWS answers as evidence files, then ingests them.
 */
final class PullCommand implements Cli.Command {
	private static final Duration DEFAULT_WINDOW = Duration.ofDays(1);

	@Override
	public String help() {
		return Messages.helpPull;
	}

	@Override
	public int run(Options o, Cli cli) throws Exception {
		List<PullRequest.Service> services = new ArrayList<>();
		for (String s : o.positional) {
			try {
				services.add(PullRequest.Service.of(s));
			} catch (IllegalArgumentException e) {
				throw new Options.UsageException(e.getMessage());
			}
		}
		if (services.isEmpty()) {
			services.addAll(Arrays.asList(PullRequest.Service.values()));
		}
		Instant until = o.until != null ? time(o.until, "--until") : Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
		Instant since = o.since != null ? time(o.since, "--since") : until.minus(DEFAULT_WINDOW);
		if (!since.isBefore(until)) {
			throw new Options.UsageException(Messages.bind(Messages.errorWindow, since, until));
		}
		List<String> regions = o.region != null ? List.of(o.region.split(",")) : List.of(defaultRegion());
		Path out = o.out != null ? o.out : cli.home.resolve("pulls").resolve(o.profile != null ? o.profile : "default");
		URI endpoint = o.endpoint != null ? URI.create(o.endpoint) : null;
		PullRequest request = new PullRequest(services, o.profile, regions, since, until, endpoint, out);
		cli.out.println(Messages.bind(Messages.pullStart, new Object[] { String.join(" ", services.stream().map(s -> s.id).toList()),
				String.join(",", regions), since, until, out }));
		PullReport report = Pulls.pull(request, new NullProgressMonitor());
		List<Path> folders = new ArrayList<>();
		for (PullReport.Part p : report.parts()) {
			if (p.error() != null) {
				cli.err.println(Messages.bind(Messages.pullFailed, new Object[] { p.service().id, p.region(), p.error(), p.pages() }));
			} else if (p.skipped()) {
				cli.out.println(Messages.bind(Messages.pullSkipped, p.service().id, p.region()));
			} else {
				cli.out.println(Messages.bind(Messages.pullDone, new Object[] { p.service().id, p.region(), p.pages(), p.records() }));
			}
			Path folder = out.resolve(p.service().id).resolve(p.region());
			if (Files.isDirectory(folder)) {
				folders.add(folder); // pages saved before a failure are evidence too
			}
		}
		boolean ingestFailed = false;
		if (!folders.isEmpty()) {
			try (EvidenceStore store = cli.openStore(o)) {
				IngestReport r = IngestCommand.ingest(store, folders, cli);
				ingestFailed = r.anyFailed() || r.cancelled();
			}
		}
		return report.anyFailed() || ingestFailed ? Cli.USER_ERROR : Cli.OK;
	}

	private static Instant time(String text, String option) {
		try {
			return Instant.parse(text);
		} catch (DateTimeParseException e) {
			throw new Options.UsageException(Messages.bind(Messages.errorTime, option, text));
		}
	}

	/** As the AWS CLI: AWS_REGION, then AWS_DEFAULT_REGION, else us-east-1 (profiles name theirs with --region). */
	private static String defaultRegion() {
		String r = System.getenv("AWS_REGION");
		if (r == null || r.isBlank()) {
			r = System.getenv("AWS_DEFAULT_REGION");
		}
		return r == null || r.isBlank() ? "us-east-1" : r;
	}
}
