package dev.loupe.core.ingest;

import java.util.List;

/** What ingesting one file did; {@code errors} counts every problem, {@code problems} keeps the first ones. */
public record FileResult(String file, Status status, String format, String sha256, long records, long quadsAdded,
		long errors, List<ParseProblem> problems) {

	public enum Status {
		/** Records were read and written (possibly with some records skipped, see problems). */
		INGESTED,
		/** The same bytes were ingested before; nothing was added. */
		ALREADY_PRESENT,
		/** Recognised but not evidence Loupe turns into facts (e.g. a CloudTrail digest file). */
		SKIPPED,
		/** Not a format Loupe reads, or unreadable; nothing was written. */
		FAILED
	}

	public boolean hasProblems() {
		return !problems.isEmpty();
	}
}
