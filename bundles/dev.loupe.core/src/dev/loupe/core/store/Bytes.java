package dev.loupe.core.store;

import java.util.Locale;

/** Sizes on disk as a person reads them, for the CLI and the workbench alike. */
public final class Bytes {
	private static final String[] UNITS = { "B", "KB", "MB", "GB", "TB" };

	private Bytes() {
	}

	/** 1.0 KB is 1,000 bytes, as disk tools count. */
	public static String readable(long bytes) {
		double v = bytes;
		int u = 0;
		while (v >= 1000 && u < UNITS.length - 1) {
			v /= 1000;
			u++;
		}
		return u == 0 ? bytes + " B" : String.format(Locale.ROOT, "%.1f %s", v, UNITS[u]);
	}
}
