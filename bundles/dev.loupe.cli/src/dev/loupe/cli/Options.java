package dev.loupe.cli;

import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Parsed command line: the command, its known options and its positional arguments. */
final class Options {
	private static final Set<String> WITH_VALUE = Set.of("--store", "--format", "--file", "--rules", "--profile",
			"--region", "--since", "--until", "--out", "--endpoint", "--log-group", "--s3", "--role-arn", "--mfa-serial", "--mfa-code",
			"--org-role", "--every", "--cycles", "--min-severity", "--actor");
	private static final Set<String> FLAGS = Set.of("--help", "-h", "--no-gui", "--full", "--reason");

	final String command;
	final List<String> positional = new ArrayList<>();
	Path store;
	String format;
	Path file;
	Path rules;
	String profile;
	String region;
	String since;
	String until;
	Path out;
	String endpoint;
	/** Repeatable: each occurrence adds one. */
	final List<String> logGroups = new ArrayList<>();
	final List<String> s3 = new ArrayList<>();
	final List<String> roles = new ArrayList<>();
	String orgRole;
	String mfaSerial;
	String mfaCode;
	boolean help;
	boolean noGui;
	boolean full;
	/** `watch`: seconds between two looks at the paths, and how many looks before it stops (null: until stopped). */
	Integer every;
	Integer cycles;
	/** `sequences|signals|gaps`: what to keep (FindingsFilter). */
	String minSeverity;
	String actor;
	/** `ingest --reason`: update the inferred graph in the same process, after the ingest. */
	boolean reason;

	private Options(String command) {
		this.command = command;
	}

	static boolean takesValue(String option) {
		return WITH_VALUE.contains(option);
	}

	/** @throws UsageException naming the argument that is wrong */
	static Options parse(String[] args) {
		int i = 0;
		// Equinox may leave its own switches in front (e.g. -nosplash); they are not Loupe's
		while (i < args.length && args[i].startsWith("-") && !args[i].startsWith("--") && !args[i].equals("-h")) {
			i++;
		}
		Options o = new Options(i < args.length && !args[i].startsWith("-") ? args[i++] : "help");
		for (; i < args.length; i++) {
			String a = args[i];
			if (WITH_VALUE.contains(a)) {
				if (i + 1 >= args.length) {
					throw new UsageException(Messages.bind(Messages.errorMissingValue, a));
				}
				String v = args[++i];
				switch (a) {
				case "--store" -> o.store = Path.of(v);
				case "--format" -> o.format = v;
				case "--file" -> o.file = Path.of(v);
				case "--profile" -> o.profile = v;
				case "--region" -> o.region = v;
				case "--since" -> o.since = v;
				case "--until" -> o.until = v;
				case "--out" -> o.out = Path.of(v);
				case "--endpoint" -> o.endpoint = v;
				case "--log-group" -> o.logGroups.add(v);
				case "--s3" -> o.s3.add(v);
				case "--role-arn" -> o.roles.addAll(List.of(v.split(",")));
				case "--org-role" -> o.orgRole = v;
				case "--mfa-serial" -> o.mfaSerial = v;
				case "--mfa-code" -> o.mfaCode = v;
				case "--every" -> o.every = positive(a, v);
				case "--cycles" -> o.cycles = positive(a, v);
				case "--min-severity" -> o.minSeverity = v;
				case "--actor" -> o.actor = v;
				default -> o.rules = Path.of(v);
				}
			} else if (FLAGS.contains(a)) {
				o.help |= a.equals("--help") || a.equals("-h");
				o.noGui |= a.equals("--no-gui");
				o.full |= a.equals("--full");
				o.reason |= a.equals("--reason");
			} else if (a.startsWith("--")) {
				throw new UsageException(Messages.bind(Messages.errorUnknownOption, a, o.command));
			} else {
				o.positional.add(a);
			}
		}
		return o;
	}

	/** The ISO-8601 time an option ({@code --since}, {@code --until}) gives. */
	static Instant time(String text, String option) {
		try {
			return Instant.parse(text);
		} catch (DateTimeParseException e) {
			throw new UsageException(Messages.bind(Messages.errorTime, option, text));
		}
	}

	private static int positive(String option, String value) {
		try {
			int n = Integer.parseInt(value);
			if (n >= 1) {
				return n;
			}
		} catch (NumberFormatException e) {
			// said below
		}
		throw new UsageException(Messages.bind(Messages.errorNumber, option, value));
	}

	static final class UsageException extends RuntimeException {
		private static final long serialVersionUID = 1L;

		UsageException(String message) {
			super(message);
		}
	}
}
