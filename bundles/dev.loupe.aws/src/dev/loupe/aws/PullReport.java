package dev.loupe.aws;

import java.nio.file.Path;
import java.util.List;

/** What a pull did per service and region: pages saved, records in them, and the error that stopped it if any. */
public record PullReport(List<Part> parts) {

	public record Part(PullRequest.Service service, String region, int pages, int records, boolean skipped, String error,
			List<Path> files) {
	}

	public boolean anyFailed() {
		return parts.stream().anyMatch(p -> p.error() != null);
	}

	public List<Path> files() {
		return parts.stream().flatMap(p -> p.files().stream()).toList();
	}
}
