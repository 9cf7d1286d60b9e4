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
		int code = Cli.standard().run(args);
		System.out.flush();
		System.exit(code);
	}
}
