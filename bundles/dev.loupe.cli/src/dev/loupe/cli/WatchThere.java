package dev.loupe.cli;

import java.nio.file.Path;
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
		try (AutoCloseable interrupt = cli.interruptible(stop)) {
			cli.err.println(Messages.bind(Messages.watchThere, holder));
			cli.out.println(Messages.bind(Messages.watchStart, paths, every));
			FolderWatch watch = new FolderWatch(paths);
			watch.start();
			OptionalInt first = Handoff.forwardIngest(o, true, paths, cli, false);
			if (first.isEmpty()) {
				return gone(cli);
			}
			boolean[] failed = { first.getAsInt() != Cli.OK };
			boolean[] lost = { false };
			WatchCommand.loop(o, cli, watch, every, stop, ready -> {
				OptionalInt code = Handoff.forwardIngest(o, true, ready, cli, false);
				lost[0] = code.isEmpty();
				failed[0] |= lost[0] || code.getAsInt() != Cli.OK;
				return !lost[0];
			});
			if (lost[0]) {
				return gone(cli);
			}
			cli.out.println(Messages.watchStopped);
			return failed[0] ? Cli.USER_ERROR : Cli.OK;
		}
	}

	/** The holder ended: what arrived later is not read. */
	private static int gone(Cli cli) {
		cli.err.println(Messages.watchHolderGone);
		return Cli.USER_ERROR;
	}
}
