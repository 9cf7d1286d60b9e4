package dev.loupe.cli;

import org.eclipse.core.runtime.NullProgressMonitor;

import dev.loupe.core.handoff.HandoffServer;
import dev.loupe.core.store.EvidenceStore;

/**
 * `loupe serve [--store DIR]`: holds the store open, and the other `loupe` commands on it run in this process
 * until Ctrl-C. Each of them then skips opening the store and finds the code and the store's pages an earlier
 * command used still warm: an update of the results after new evidence takes a fraction of what it takes in a
 * process of its own.
 */
final class ServeCommand implements Cli.Command {
	private static final long LOOK_MILLIS = 200;

	@Override
	public String help() {
		return Messages.helpServe;
	}

	@Override
	public int run(Options o, Cli cli) throws Exception {
		NullProgressMonitor stop = new NullProgressMonitor();
		// the interrupt is let go last: once it is, the JVM ends, and the store must be closed by then
		try (AutoCloseable interrupt = cli.interruptible(stop)) {
			try (EvidenceStore store = cli.openStore(o); HandoffServer server = Handoff.serve(store, Messages.serveWho, () -> {
			}, Handoff.DIRECT, cli.out::println)) {
				cli.out.println(Messages.bind(Messages.serveStart, store.location(), ProcessHandle.current().pid()));
				ReasonCommand.rehearse(store, o, cli);
				while (!stop.isCanceled()) {
					Thread.sleep(LOOK_MILLIS);
				}
				cli.out.println(Messages.serveStopping);
			}
			cli.out.println(Messages.serveStopped);
		}
		return Cli.OK;
	}
}
