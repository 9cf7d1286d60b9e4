package dev.loupe.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.eclipse.core.runtime.NullProgressMonitor;

import dev.loupe.core.ingest.FileResult;
import dev.loupe.core.ingest.IngestReport;
import dev.loupe.core.ingest.IngestService;
import dev.loupe.core.ingest.ParseProblem;
import dev.loupe.core.reason.Findings;
import dev.loupe.core.reason.Reasoner;
import dev.loupe.core.store.EvidenceStore;

/** `loupe ingest [--store DIR] [--reason [--rules DIR]] PATH...` */
final class IngestCommand implements Cli.Command {
	private static final int PROBLEMS_SHOWN = 20;

	@Override
	public String help() {
		return Messages.helpIngest;
	}

	@Override
	public int run(Options o, Cli cli) throws Exception {
		if (o.positional.isEmpty()) {
			throw new Options.UsageException(Messages.errorNoPaths);
		}
		try (EvidenceStore store = cli.openStore(o)) {
			IngestReport r = ingest(store, o.positional.stream().map(Path::of).toList(), cli);
			if (o.reason && !r.cancelled()) {
				Map<String, Findings.SequenceSize> before = new Findings(store).sequenceSizes();
				// in this process, whose store caches and compiled code the ingest has warmed: a `loupe reason`
				// after it starts from cold and costs several times more
				Reasoner.Result done = ReasonCommand.reason(store, o, cli);
				if (done.mode() == Reasoner.Mode.UPDATE) {
					// what the new evidence changed, as `loupe watch` says it (and says it when the watch hands
					// its ingests to a process that holds the store)
					WatchCommand.changes(before, new Findings(store).sequenceSizes(), cli);
				}
			}
			return r.anyFailed() || r.cancelled() ? Cli.USER_ERROR : Cli.OK;
		}
	}

	static IngestReport ingest(EvidenceStore store, List<Path> paths, Cli cli) throws Exception {
		cli.out.println(Messages.bind(Messages.ingestStore, store.location()));
		long start = System.nanoTime();
		Progress monitor = new Progress(start, cli);
		// Ctrl-C or SIGTERM cancels: the files being read are not written, those done stay, the summary is printed
		// and the store closes cleanly before the process ends
		try (AutoCloseable interrupt = cli.interruptible(monitor)) {
			IngestService ingest = new IngestService(store);
			monitor.total = ingest::filesFound;
			IngestReport r = ingest.ingest(paths, monitor, f -> {
				print(f, cli, monitor.next(f.records(), ingest.filesFound()));
			});
			double secs = (System.nanoTime() - start) / 1e9;
			long unchanged = r.files().stream().filter(f -> f.status() == FileResult.Status.ALREADY_PRESENT).count();
			long failed = r.files().stream().filter(f -> f.status() == FileResult.Status.FAILED).count();
			long facts = store.quadCount();
			cli.out.println(Messages.bind(Messages.ingestSummary, new Object[] { r.files().size(), r.records(),
					r.quadsAdded(), String.format("%.1f", secs), Math.round(r.records() / Math.max(secs, 1e-3)), unchanged,
					failed, r.problems(), facts }));
			String hint = CompactCommand.hint(store.diskBytes(), facts);
			if (hint != null) {
				cli.out.println(hint);
			}
			// lines of the analyst's own table that were skipped: the addresses they hold get no network
			r.tableProblems().forEach(p -> cli.err.println(Messages.bind(Messages.networksProblem, p)));
			if (r.cancelled()) {
				cli.err.println(Messages.ingestCancelled);
			}
			cli.out.flush();
			cli.err.flush();
			return r;
		}
	}

	/**
	 * How far an ingest is: files done of all it found, and the records per second so far. Files are committed
	 * in batches of about a minute's work, so while one is written a line says how far it got every 10 s.
	 */
	private static final class Progress extends NullProgressMonitor {
		private static final long QUIET_NANOS = 10_000_000_000L;
		private final long start;
		private final Cli cli;
		private java.util.function.IntSupplier total = () -> 0;
		private int files;
		private int written;
		private long records;
		private long lastLine;

		Progress(long start, Cli cli) {
			this.start = start;
			this.cli = cli;
			this.lastLine = start;
		}

		/** Called as each file starts being written (the root's ticks are scaled to 1000, not counted in files). */
		@Override
		public void subTask(String file) {
			written++;
			long now = System.nanoTime();
			if (now - lastLine >= QUIET_NANOS) {
				lastLine = now;
				cli.out.println(Messages.bind(Messages.ingestWriting, new Object[] { written - 1, total.getAsInt(),
						Math.round((now - start) / 1e9) }));
			}
		}

		String next(long more, int total) {
			lastLine = System.nanoTime();
			files++;
			records += more;
			double secs = Math.max((System.nanoTime() - start) / 1e9, 1e-3);
			return Messages.bind(Messages.ingestProgress, new Object[] { files, total, Math.round(records / secs) });
		}
	}

	private static void print(FileResult f, Cli cli, String progress) {
		switch (f.status()) {
		case INGESTED -> cli.out.println(Messages.bind(Messages.ingestFileIngested,
				new Object[] { f.file(), f.format(), f.records(), f.quadsAdded() }) + progress);
		case ALREADY_PRESENT -> cli.out.println(Messages.bind(Messages.ingestFileUnchanged, f.file()));
		case SKIPPED -> cli.out.println(Messages.bind(Messages.ingestFileSkipped, f.file(),
				f.problems().isEmpty() ? "" : f.problems().get(0).message()));
		case FAILED -> cli.err.println(Messages.bind(Messages.ingestFileFailed,
				f.problems().isEmpty() ? f.file() : f.problems().get(0).toString()));
		}
		if (f.status() == FileResult.Status.INGESTED || f.status() == FileResult.Status.FAILED && f.errors() > 1) {
			int first = f.status() == FileResult.Status.FAILED ? 1 : 0; // a failure's first problem is on its line
			List<ParseProblem> shown = f.problems().stream().skip(first).limit(PROBLEMS_SHOWN).toList();
			shown.forEach(p -> cli.err.println(Messages.bind(Messages.ingestProblem, p)));
			if (f.errors() > first + shown.size()) {
				cli.err.println(Messages.bind(Messages.ingestMoreProblems, f.errors() - first - shown.size(), f.file()));
			}
		}
	}
}
