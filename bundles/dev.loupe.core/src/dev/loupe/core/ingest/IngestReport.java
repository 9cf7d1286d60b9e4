package dev.loupe.core.ingest;

import java.util.List;

/** Summary of one ingest run over files and folders. */
public record IngestReport(List<FileResult> files, boolean cancelled) {

	public long records() {
		return files.stream().mapToLong(FileResult::records).sum();
	}

	public long quadsAdded() {
		return files.stream().mapToLong(FileResult::quadsAdded).sum();
	}

	public long problems() {
		return files.stream().mapToLong(f -> f.problems().size()).sum();
	}

	public boolean anyFailed() {
		return files.stream().anyMatch(f -> f.status() == FileResult.Status.FAILED || f.hasProblems());
	}
}
