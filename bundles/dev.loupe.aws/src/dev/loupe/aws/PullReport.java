package dev.loupe.aws;

import java.nio.file.Path;
import java.util.List;

/**
 * What a pull did per service and region (and log group or S3 location: {@code scope}, else null): pages saved
 * (for S3, objects saved), records in them (for S3, objects in the window), and the error that stopped it if
 * any, and for S3 how many objects could not be saved; {@code account} when pulled through a role; {@code folder} holds what was saved and is what gets ingested.
 */
public record PullReport(List<Part> parts) {

	public record Part(PullRequest.Service service, String region, String scope, int pages, int records, boolean skipped,
			String error, List<Path> files, Path folder, int failedObjects, String account) {
		public Part(PullRequest.Service service, String region, String scope, int pages, int records, boolean skipped,
				String error, List<Path> files, Path folder) {
			this(service, region, scope, pages, records, skipped, error, files, folder, 0, null);
		}

		/** Where the part was pulled from, for reports: account (through a role), then region and group, or the S3 location. */
		public String where() {
			return (account != null ? account + " " : "") + (service == PullRequest.Service.S3 ? scope
					: region + (scope != null ? " " + scope : ""));
		}

		/** The same part, of the account whose role it was pulled with. */
		Part in(String accountId) {
			return new Part(service, region, scope, pages, records, skipped, error, files, folder, failedObjects, accountId);
		}
	}

	public boolean anyFailed() {
		return parts.stream().anyMatch(p -> p.error() != null);
	}

	public List<Path> files() {
		return parts.stream().flatMap(p -> p.files().stream()).toList();
	}

	/** The folders that hold what was saved, each once: what to ingest (pages saved before a failure are evidence too). */
	public List<Path> folders() {
		return parts.stream().map(Part::folder).filter(f -> f != null && java.nio.file.Files.isDirectory(f)).distinct().toList();
	}
}
