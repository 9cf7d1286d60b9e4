package dev.loupe.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.NullProgressMonitor;

import dev.loupe.core.handoff.HandoffClient;
import dev.loupe.core.handoff.HandoffServer;
import dev.loupe.core.ingest.FolderWatch;
import dev.loupe.core.ingest.IngestReport;
import dev.loupe.core.reason.Findings;
import dev.loupe.core.reason.Reasoner;
import dev.loupe.core.reason.RuleSet;
import dev.loupe.core.store.EvidenceStore;

/**
 * `loupe watch [--store DIR] [--rules DIR] [--every SECONDS] [--cycles N] PATH...`: ingests the evidence under the
 * paths and reasons, then looks again every few seconds, as logs keep arriving during an incident (an `aws s3 sync`
 * of the trail bucket into a folder, say), and ingests each new file and updates the results. One process for the
 * whole watch: after its first update an update takes a fraction of what a `loupe ingest --reason` of its own
 * does, whose JVM starts cold every time.
 * {@link FolderWatch} says which files are ready; one that changed after it was read is named, not read again.
 */
final class WatchCommand implements Cli.Command {
	static final int DEFAULT_EVERY_SECONDS = 10;

	@Override
	public String help() {
		return Messages.helpWatch;
	}

	@Override
	public int run(Options o, Cli cli) throws Exception {
		if (o.positional.isEmpty()) {
			throw new Options.UsageException(Messages.errorNoPaths);
		}
		List<Path> paths = o.positional.stream().map(Path::of).toList();
		for (Path p : paths) {
			if (!Files.exists(p)) {
				throw new Options.UsageException(Messages.bind(Messages.errorCannotRead, p));
			}
		}
		int every = o.every != null ? o.every : DEFAULT_EVERY_SECONDS;
		java.util.Optional<String> holder = HandoffClient.holder(cli.storeOf(o));
		if (holder.isPresent()) {
			return WatchThere.run(o, cli, paths, every, holder.get());
		}
		NullProgressMonitor stop = new NullProgressMonitor();
		// the interrupt is let go last: once it is, the JVM ends, and the store must be closed by then
		try (AutoCloseable interrupt = cli.interruptible(stop); EvidenceStore store = cli.openStore(o);
				HandoffServer served = Handoff.serveOrSay(store, Messages.watchWho, cli)) {
			cli.out.println(Messages.bind(Messages.watchStart, paths, every));
			FolderWatch watch = new FolderWatch(paths);
			watch.start();
			IngestReport first = IngestCommand.ingest(store, paths, cli);
			if (first.cancelled()) {
				return Cli.USER_ERROR;
			}
			Reasoner.Result[] before = { ReasonCommand.reason(store, o, cli) };
			if (before[0].mode() != Reasoner.Mode.UPDATE) {
				// a full run leaves the update's code and pages cold, and so does a store already up to date
				ReasonCommand.rehearse(store, o, cli);
			}
			List<Map<String, Findings.SequenceSize>> sizes = new java.util.ArrayList<>(List.of(new Findings(store).sequenceSizes()));
			boolean[] anyFailed = { first.anyFailed() };
			loop(o, cli, watch, every, stop, ready -> {
				IngestReport r = IngestCommand.ingest(store, ready, cli);
				anyFailed[0] |= r.anyFailed();
				if (r.cancelled()) {
					return false;
				}
				if (r.records() > 0) {
					before[0] = update(store, o, cli, before[0]);
					sizes.set(0, changes(sizes.get(0), new Findings(store).sequenceSizes(), cli));
				}
				return true;
			});
			cli.out.println(Messages.watchStopped);
			return anyFailed[0] ? Cli.USER_ERROR : Cli.OK;
		}
	}

	/** What a watch does with the files that arrived; returns whether to go on watching. */
	interface Arrivals {
		boolean take(List<Path> ready) throws Exception;
	}

	/** Looks at the paths every few seconds until stopped (or after --cycles looks), giving each batch that arrived. */
	static void loop(Options o, Cli cli, FolderWatch watch, int every, IProgressMonitor stop, Arrivals arrivals) throws Exception {
		for (int cycle = 1; (o.cycles == null || cycle <= o.cycles) && !stop.isCanceled(); cycle++) {
			FolderWatch.pause(every, stop);
			if (stop.isCanceled()) {
				break;
			}
			FolderWatch.Look look = watch.look();
			look.changed().forEach(f -> cli.err.println(Messages.bind(Messages.watchChanged, f)));
			if (look.ready().isEmpty()) {
				continue;
			}
			cli.out.println(Messages.bind(Messages.watchNew, LocalTime.now().truncatedTo(ChronoUnit.SECONDS), look.ready().size()));
			if (!arrivals.take(look.ready())) {
				break;
			}
		}
	}

	/** Says which sequences are new and which grew, the most severe first; returns the sizes now. */
	static Map<String, Findings.SequenceSize> changes(Map<String, Findings.SequenceSize> before,
			Map<String, Findings.SequenceSize> now, Cli cli) {
		now.values().stream().sorted(Comparator.comparing(Findings.SequenceSize::severity).reversed()).forEach(q -> {
			Findings.SequenceSize was = before.get(q.iri());
			if (was == null) {
				cli.out.println(Messages.bind(Messages.watchSequenceNew, new Object[] { q.type(), q.actorLabel(), q.severity(), q.members() }));
			} else if (q.members() > was.members()) {
				cli.out.println(Messages.bind(Messages.watchSequenceGrown, new Object[] { q.type(), q.actorLabel(), q.severity(), q.members(),
						q.members() - was.members() }));
			}
		});
		return now;
	}

	/** Updates the results and says how long it took and what is new: the point of watching is to see it at once. */
	private static Reasoner.Result update(EvidenceStore store, Options o, Cli cli, Reasoner.Result before) throws java.io.IOException {
		long t = System.nanoTime();
		RuleSet rules = ReasonCommand.rules(o, cli);
		Reasoner.Result r = new Reasoner(store).update(rules, new NullProgressMonitor());
		double secs = (System.nanoTime() - t) / 1e9;
		cli.out.println(Messages.bind(Messages.watchUpdated, new Object[] { String.format("%.2f", secs), r.signals(),
				String.format("%+d", r.signals() - before.signals()), r.sequences(),
				String.format("%+d", r.sequences() - before.sequences()), r.gaps() }));
		return r;
	}
}
