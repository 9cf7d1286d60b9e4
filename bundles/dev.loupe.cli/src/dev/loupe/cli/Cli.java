package dev.loupe.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import java.util.function.IntSupplier;

import org.eclipse.core.runtime.IProgressMonitor;

import dev.loupe.core.Home;
import dev.loupe.core.handoff.Cancellation;
import dev.loupe.core.handoff.HandoffServer;
import dev.loupe.core.query.UntrustedQueryException;
import dev.loupe.core.reason.RuleException;
import dev.loupe.core.store.EvidenceStore;
import dev.loupe.core.store.StoreException;

/**
 * Dispatches `loupe COMMAND ...`. Exit codes: 0 ok, 1 user error (bad argument, unreadable or malformed input,
 * with a message naming it on stderr), 2 internal error.
 */
public final class Cli {
	public static final int OK = 0;
	public static final int USER_ERROR = 1;
	public static final int INTERNAL_ERROR = 2;

	interface Command {
		int run(Options o, Cli cli) throws Exception;

		String help();
	}

	private static final Map<String, Command> COMMANDS = Map.ofEntries(
			Map.entry("ingest", new IngestCommand()),
			Map.entry("watch", new WatchCommand()),
			Map.entry("pull", new PullCommand()),
			Map.entry("reason", new ReasonCommand()),
			Map.entry("sequences", new FindingsCommand(FindingsCommand.Kind.SEQUENCES)),
			Map.entry("signals", new FindingsCommand(FindingsCommand.Kind.SIGNALS)),
			Map.entry("gaps", new FindingsCommand(FindingsCommand.Kind.GAPS)),
			Map.entry("evidence", new EvidenceCommand()),
			Map.entry("query", new QueryCommand()),
			Map.entry("sources", new SourcesCommand(false)),
			Map.entry("remove", new SourcesCommand(true)),
			Map.entry("compact", new CompactCommand()),
			Map.entry("serve", new ServeCommand()),
			Map.entry("demo", new DemoCommand()));

	final PrintStream out;
	final PrintStream err;
	final Path home;
	/** Set when this runs a command handed over by another process: the store this process holds, and how to stop. */
	private final Handoff.Served served;

	public Cli(PrintStream out, PrintStream err, Path home) {
		this(out, err, home, null);
	}

	Cli(PrintStream out, PrintStream err, Path home, Handoff.Served served) {
		this.out = out;
		this.err = err;
		this.home = home;
		this.served = served;
	}

	/** The CLI on the process's standard streams, with Loupe's home from -Dloupe.home or ~/.loupe. */
	public static Cli standard() {
		return new Cli(new PrintStream(System.out, true, StandardCharsets.UTF_8),
				new PrintStream(System.err, true, StandardCharsets.UTF_8), Home.path());
	}

	public int run(String[] args) {
		Options o;
		try {
			o = Options.parse(args);
		} catch (Options.UsageException e) {
			err.println("loupe: " + e.getMessage());
			return USER_ERROR;
		}
		if (o.command.equals("help") || o.command.equals("--help")) {
			out.println(Messages.usage);
			return OK;
		}
		Command c = COMMANDS.get(o.command);
		if (c == null) {
			err.println("loupe: " + Messages.bind(Messages.errorUnknownCommand, o.command));
			err.println(Messages.usage);
			return USER_ERROR;
		}
		if (o.help) {
			out.println(c.help());
			return OK;
		}
		try {
			if (served != null) {
				return served.run(o, () -> c.run(o, this), this);
			}
			if (Handoff.FORWARDED.contains(o.command)) {
				OptionalInt there = Handoff.forward(o, args, this);
				if (there.isPresent()) {
					return there.getAsInt();
				}
			}
			return c.run(o, this);
		} catch (Options.UsageException | StoreException | UntrustedQueryException | RuleException
				| IllegalArgumentException e) {
			err.println("loupe " + o.command + ": " + e.getMessage());
			return USER_ERROR;
		} catch (java.nio.file.NoSuchFileException e) {
			err.println("loupe " + o.command + ": " + Messages.bind(Messages.errorCannotRead, e.getFile()));
			return USER_ERROR;
		} catch (IOException e) {
			err.println("loupe " + o.command + ": " + e.getMessage());
			return USER_ERROR;
		} catch (Exception | LinkageError e) {
			err.println("loupe " + o.command + ": " + Messages.bind(Messages.errorInternal, e));
			e.printStackTrace(err);
			return INTERNAL_ERROR;
		}
	}

	Path defaultStore() {
		return home.resolve("store");
	}

	/** How a process that holds a store runs a command handed to it: on the calling thread, or as a job. */
	public interface Runner {
		/**
		 * @param label the command as typed, to show
		 * @param cancellation cancels the command (and is cancelled when its terminal goes away)
		 * @param command runs it; returns its exit code
		 */
		int run(String label, Cancellation cancellation, IntSupplier command);
	}

	/**
	 * Runs the commands other processes hand over on {@code store}, which this process holds open, until the result
	 * closes; {@code changed} is called after each command that may have changed the store.
	 * @param who what this process is, as the other process tells its user
	 * @throws IOException when the socket cannot be made
	 */
	public static HandoffServer serve(EvidenceStore store, String who, Runnable changed, Runner runner)
			throws IOException {
		return Handoff.serve(store, who, changed, runner, line -> {
		});
	}

	/** The same, each command run on the thread its connection has. */
	public static HandoffServer serve(EvidenceStore store, String who, Runnable changed)
			throws IOException {
		return serve(store, who, changed, Handoff.DIRECT);
	}

	Path storeOf(Options o) {
		return o.store != null ? o.store : defaultStore();
	}

	EvidenceStore openStore(Options o) {
		if (served != null) {
			EvidenceStore held = served.store(storeOf(o));
			if (held != null) {
				return held;
			}
		}
		return EvidenceStore.open(storeOf(o));
	}

	/**
	 * While open, stopping the command cancels {@code monitor}: Ctrl-C or SIGTERM here, or the process that handed
	 * the command over going away.
	 */
	AutoCloseable interruptible(IProgressMonitor monitor) {
		return served != null ? served.whenCancelled(monitor) : new Interrupt(monitor);
	}

	/** For commands with --format text|json: whether JSON was asked for; anything else is a usage error. */
	static boolean wantsJson(Options o) {
		String f = o.format == null ? "text" : o.format;
		if (!f.equals("text") && !f.equals("json")) {
			throw new Options.UsageException(Messages.bind(Messages.errorFormat, f, "text, json"));
		}
		return f.equals("json");
	}

	void printJson(Object value) throws com.fasterxml.jackson.core.JsonProcessingException {
		out.println(new com.fasterxml.jackson.databind.ObjectMapper()
				.enable(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT).writeValueAsString(value));
	}

	/**
	 * Language of labels in output: the JVM's (Eclipse sets it from -nl), Japanese or English; for a command
	 * handed over, that of the process it came from.
	 */
	String labelLanguage() {
		return served != null ? served.language() : languageHere();
	}

	static String languageHere() {
		return Locale.getDefault().getLanguage().equals("ja") ? "ja" : "en";
	}
}
