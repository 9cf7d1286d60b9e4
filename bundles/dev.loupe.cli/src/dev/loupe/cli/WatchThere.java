package dev.loupe.cli;

import java.nio.file.Path;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.OptionalInt;

import org.eclipse.core.runtime.NullProgressMonitor;

import dev.loupe.core.ingest.FolderWatch;

/**
 * `loupe watch` on a store another process holds (the workbench, `loupe serve`): this process looks at the paths,
 * and hands each ingest of what arrived, with the update of the results, to the holder.
 */
final class WatchThere {
	private WatchThere() {
	}

	static int run(Options o, Cli cli, List<Path> paths, int every, String holder) throws Exception {
		NullProgressMonitor stop = new NullProgressMonitor();
		boolean failed = false;
		try (AutoCloseable interrupt = cli.interruptible(stop)) {
			cli.err.println(Messages.bind(Messages.watchThere, holder));
			cli.out.println(Messages.bind(Messages.watchStart, paths, every));
			FolderWatch watch = new FolderWatch(paths);
			watch.start();
			OptionalInt first = Handoff.forwardIngest(o, true, paths, cli, false);
			if (first.isEmpty()) {
				return gone(cli);
			}
			failed |= first.getAsInt() != Cli.OK;
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
				OptionalInt code = Handoff.forwardIngest(o, true, look.ready(), cli, false);
				if (code.isEmpty()) {
					return gone(cli);
				}
				failed |= code.getAsInt() != Cli.OK;
			}
			cli.out.println(Messages.watchStopped);
			return failed ? Cli.USER_ERROR : Cli.OK;
		}
	}

	/** The holder ended: what arrived later is not read. */
	private static int gone(Cli cli) {
		cli.err.println(Messages.watchHolderGone);
		return Cli.USER_ERROR;
	}
}
