package dev.loupe.aws;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.function.UnaryOperator;

import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;

/**
 * Keeps the body of every successful response, exactly as the service sent it (after {@code clean}, which takes
 * credentials out), as the next page file: what Loupe ingests is what AWS answered, and the analyst keeps it.
 * The SDK still reads the same bytes to page on.
 */
final class PageRecorder implements ExecutionInterceptor {
	private final UnaryOperator<byte[]> clean;
	private Path next;
	private Path written;

	PageRecorder(UnaryOperator<byte[]> clean) {
		this.clean = clean;
	}

	/** The file the next successful response goes to (only that one). */
	void target(Path file) {
		next = file;
		written = null;
	}

	/** The file the last call wrote, or null when it wrote none. */
	Path written() {
		return written;
	}

	@Override
	public Optional<InputStream> modifyHttpResponseContent(Context.ModifyHttpResponse context,
			ExecutionAttributes attributes) {
		Optional<InputStream> body = context.responseBody();
		if (next == null || !context.httpResponse().isSuccessful() || body.isEmpty()) {
			return body;
		}
		try (InputStream in = body.get()) {
			byte[] bytes = in.readAllBytes();
			Files.createDirectories(next.getParent());
			// written whole or not at all: an interrupted pull never leaves half a page to ingest
			Path tmp = next.resolveSibling(next.getFileName() + ".part");
			Files.write(tmp, clean.apply(bytes));
			Files.move(tmp, next, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
			written = next;
			next = null; // one page per target: listing calls between pages are not evidence
			return Optional.of(new ByteArrayInputStream(bytes));
		} catch (IOException e) {
			throw new UncheckedIOException("cannot save the page " + next + ": " + e.getMessage(), e);
		}
	}
}
