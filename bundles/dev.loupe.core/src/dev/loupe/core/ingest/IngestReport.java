package dev.loupe.core.ingest;

import java.util.List;

/**
 * Summary of one ingest run over files and folders. {@code tableProblems}: lines of the analyst's table of
 * autonomous systems that were skipped (file, line, what was expected) when this run read it; its addresses got
 * no network.
 */
public record IngestReport(List<FileResult> files, boolean cancelled, List<String> tableProblems) {

	public long records() {
		return files.stream().mapToLong(FileResult::records).sum();
	}

	public long quadsAdded() {
		return files.stream().mapToLong(FileResult::quadsAdded).sum();
	}

	/** Problems in files that were read or failed; a file skipped as "not evidence" is not an error. */
	public long problems() {
		return files.stream().filter(f -> f.status() != FileResult.Status.SKIPPED).mapToLong(FileResult::errors)
				.sum();
	}

	public boolean anyFailed() {
		return files.stream().anyMatch(f -> f.status() == FileResult.Status.FAILED
				|| f.status() == FileResult.Status.INGESTED && f.hasProblems());
	}
}
