package dev.loupe.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

import org.eclipse.core.runtime.IProgressMonitor;

import dev.loupe.core.handoff.Cancellation;
import dev.loupe.core.handoff.HandoffClient;
import dev.loupe.core.handoff.HandoffServer;
import dev.loupe.core.handoff.SocketPath;
import dev.loupe.core.store.EvidenceStore;

/**
 * Commands on a store that another Loupe process holds (the workbench, `loupe watch`, `loupe serve`) run in that
 * process: TDB2 lets one process open a database, and that one has its caches and compiled code warm.
 */
final class Handoff {
	/** What may run in the other process: the commands on a store, save those tied to this terminal. */
	static final Set<String> FORWARDED = Set.of("ingest", "reason", "sequences", "signals", "gaps", "evidence", "query",
			"sources", "remove", "compact");
	/** Commands that write: one at a time, and the holder is told after each (the workbench refreshes its views). */
	private static final Set<String> WRITES = Set.of("ingest", "reason", "remove", "compact");
	/** Options whose value is a path: made absolute here, since the other process has another working folder. */
	private static final Set<String> PATH_OPTIONS = Set.of("--store", "--file", "--rules", "--out");
	private static final Set<String> PATH_ARGUMENTS = Set.of("ingest");
	/** A query's text can be long: the log of commands run shows its start. */
	private static final int LOGGED_CHARS = 120;
	/** What a progress line has room for. */
	private static final int LABEL_CHARS = 60;

	private Handoff() {
	}

	/** Runs the command in the process that serves its store, if one does: the exit code, else empty. */
	static OptionalInt forward(Options o, String[] args, Cli cli) {
		return forward(cli.storeOf(o), o.command, absolute(args, o.command), cli);
	}

	/**
	 * `loupe pull`'s ingest of what it saved: in the process that serves the store, if one does (the pull itself
	 * stays here, with this terminal's credentials and prompts).
	 */
	static OptionalInt forwardIngest(Options o, List<Path> paths, Cli cli) {
		return forwardIngest(o, o.reason, paths, cli, true);
	}

	/** The same, with --reason or not; {@code announce}: whether to say who runs it (once is enough in a watch). */
	static OptionalInt forwardIngest(Options o, boolean reason, List<Path> paths, Cli cli, boolean announce) {
		List<String> args = new ArrayList<>(List.of("ingest", "--store", cli.storeOf(o).toString()));
		if (reason) {
			args.add("--reason");
		}
		if (o.rules != null) {
			args.addAll(List.of("--rules", o.rules.toString()));
		}
		paths.forEach(p -> args.add(p.toString()));
		return forward(cli.storeOf(o), "ingest", absolute(args.toArray(String[]::new), "ingest"), cli, announce);
	}

	private static OptionalInt forward(Path store, String command, List<String> args, Cli cli) {
		return forward(store, command, args, cli, true);
	}

	private static OptionalInt forward(Path store, String command, List<String> args, Cli cli, boolean announce) {
		Optional<HandoffClient> connected = HandoffClient.connect(store);
		if (connected.isEmpty()) {
			return OptionalInt.empty();
		}
		try (HandoffClient client = connected.get()) {
			return OptionalInt.of(client.run(cli.home.toAbsolutePath(), Cli.languageHere(), args, cli.out, cli.err, who -> {
				if (announce) {
					cli.err.println(Messages.bind(Messages.handoffRunsThere, who));
				}
			}));
		} catch (HandoffClient.Lost e) {
			cli.err.println("loupe " + command + ": " + e.getMessage());
			return OptionalInt.of(Cli.INTERNAL_ERROR);
		}
	}

	/** The arguments with every path made absolute against this process's working folder. */
	static List<String> absolute(String[] args, String command) {
		List<String> r = new ArrayList<>(args.length);
		boolean commandSeen = false;
		for (int i = 0; i < args.length; i++) {
			String a = args[i];
			if (Options.takesValue(a) && i + 1 < args.length) {
				r.add(a);
				String v = args[++i];
				r.add(PATH_OPTIONS.contains(a) ? Path.of(v).toAbsolutePath().normalize().toString() : v);
			} else if (a.startsWith("-")) {
				r.add(a);
			} else if (!commandSeen) {
				commandSeen = true;
				r.add(a);
			} else {
				r.add(PATH_ARGUMENTS.contains(command) ? Path.of(a).toAbsolutePath().normalize().toString() : a);
			}
		}
		return r;
	}

	/**
	 * Starts running other processes' commands on {@code store}, which this process holds open, each through
	 * {@code runner}; {@code log} is told each command as it ends.
	 */
	static HandoffServer serve(EvidenceStore store, String who, Runnable changed, Cli.Runner runner, Consumer<String> log)
			throws IOException {
		Path location = Path.of(store.location());
		Path canonical = SocketPath.canonical(location);
		ReentrantLock writes = new ReentrantLock();
		return HandoffServer.start(location, who, (request, out, err, cancellation) -> {
			long start = System.nanoTime();
			String command = String.join(" ", request.args());
			String shown = "loupe " + (command.length() > LOGGED_CHARS ? command.substring(0, LOGGED_CHARS) + "..." : command);
			int code = runner.run(label(request.args()), cancellation, () -> new Cli(out, err, request.home(), new Served(store, canonical,
					cancellation, request.language(), writes, changed)).run(request.args().toArray(String[]::new)));
			log.accept(Messages.bind(Messages.serveDone, new Object[] { LocalTime.now().truncatedTo(ChronoUnit.SECONDS), shown,
					code, String.format("%.2f", (System.nanoTime() - start) / 1e9) }));
			return code;
		});
	}

	/** The command as a holder shows it: without the store, which is the holder's own, and short. */
	static String label(List<String> args) {
		List<String> shown = new ArrayList<>();
		for (int i = 0; i < args.size(); i++) {
			if (args.get(i).equals("--store") && i + 1 < args.size()) {
				i++;
			} else {
				shown.add(args.get(i));
			}
		}
		String text = "loupe " + String.join(" ", shown);
		return text.length() > LABEL_CHARS ? text.substring(0, LABEL_CHARS) + "..." : text;
	}

	/** Runs a command handed over on the connection's own thread. */
	static final Cli.Runner DIRECT = (label, cancellation, command) -> command.getAsInt();

	/** Serves the store for as long as a command of this process holds it; says why not when it cannot. */
	static HandoffServer serveOrSay(EvidenceStore store, String who, Cli cli) {
		try {
			return serve(store, who, () -> {
			}, DIRECT, cli.out::println);
		} catch (IOException e) {
			cli.err.println(Messages.bind(Messages.handoffUnavailable, e.getMessage()));
			return null;
		}
	}

	/** A command handed over: the store this process holds, and what stops the command. */
	record Served(EvidenceStore held, Path canonical, Cancellation cancellation, String language, ReentrantLock writes,
			Runnable changed) {

		/** The store held here when it is the one asked for (closing it leaves it open), else null. */
		EvidenceStore store(Path asked) {
			return SocketPath.canonical(asked).equals(canonical) ? new HeldStore(held) : null;
		}

		AutoCloseable whenCancelled(IProgressMonitor monitor) {
			return cancellation.whenCancelled(() -> monitor.setCanceled(true));
		}

		int run(Options o, Callable<Integer> command, Cli cli) throws Exception {
			if (!FORWARDED.contains(o.command)) {
				cli.err.println("loupe " + o.command + ": " + Messages.errorNotHandedOver);
				return Cli.USER_ERROR;
			}
			if (!WRITES.contains(o.command)) {
				return command.call();
			}
			writes.lock();
			try {
				return command.call();
			} finally {
				writes.unlock();
				changed.run();
			}
		}
	}
}
