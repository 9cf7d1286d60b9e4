package dev.loupe.cli;

/**
 * The headless commands on a plain class path, without starting OSGi: the product's launcher runs them this way
 * so that a JDK's ahead-of-time cache (which covers class-path jars, not bundles an OSGi framework loads) can
 * spare each command the loading and early compiling of Jena's and TDB2's code. The workbench, and the same
 * commands inside an IDE, go through {@link CliApplication}.
 */
public final class Main {
	private Main() {
	}

	public static void main(String[] args) {
		// before any text is loaded: the messages are read in the language set here
		int code = Cli.standard().run(language(args));
		System.out.flush();
		System.exit(code);
	}

	/**
	 * Takes Eclipse's {@code -nl LOCALE} (as in {@code loupe sequences -nl ja}), which OSGi would have read, as the
	 * language of this run; returns the other arguments.
	 */
	static String[] language(String[] args) {
		java.util.List<String> rest = new java.util.ArrayList<>(args.length);
		for (int i = 0; i < args.length; i++) {
			if (args[i].equals("-nl") && i + 1 < args.length) {
				String nl = args[++i];
				java.util.Locale.setDefault(java.util.Locale.forLanguageTag(nl.replace('_', '-')));
				System.setProperty("osgi.nl", nl);
			} else {
				rest.add(args[i]);
			}
		}
		return rest.toArray(String[]::new);
	}
}
