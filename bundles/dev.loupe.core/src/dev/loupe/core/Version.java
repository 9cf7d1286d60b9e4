package dev.loupe.core;

/** Loupe's version, written into the provenance of every source so a snapshot says what made it. */
public final class Version {
	public static final String LOUPE = "0.1.0";

	private Version() {
	}
}
