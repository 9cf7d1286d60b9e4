package dev.loupe.core;

import java.nio.file.Path;

/**
 * Loupe's folder: -Dloupe.home (the launcher sets it from LOUPE_HOME) or ~/.loupe. The command line, the workbench
 * and core (the analyst's table of autonomous systems) find the analyst's files in the same place.
 */
public final class Home {
	private Home() {
	}

	public static Path path() {
		String home = System.getProperty("loupe.home");
		return home != null ? Path.of(home) : Path.of(System.getProperty("user.home"), ".loupe");
	}
}
