package dev.loupe.cli;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

import dev.loupe.core.Home;
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
			Map.entry("demo", new DemoCommand()));

	final PrintStream out;
	final PrintStream err;
	final Path home;

	public Cli(PrintStream out, PrintStream err, Path home) {
		this.out = out;
		this.err = err;
		this.home = home;
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
			return c.run(o, this);
		} catch (Options.UsageException | StoreException | UntrustedQueryException | RuleException
				| IllegalArgumentException e) {
			err.println("loupe " + o.command + ": " + e.getMessage());
			return USER_ERROR;
		} catch (java.nio.file.NoSuchFileException e) {
			err.println("loupe " + o.command + ": " + Messages.bind(Messages.errorCannotRead, e.getFile()));
			return USER_ERROR;
		} catch (java.io.IOException e) {
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

	EvidenceStore openStore(Options o) {
		return EvidenceStore.open(o.store != null ? o.store : defaultStore());
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

	/** Language of labels in output: the JVM's (Eclipse sets it from -nl), Japanese or English. */
	static String labelLanguage() {
		return Locale.getDefault().getLanguage().equals("ja") ? "ja" : "en";
	}
}
