package dev.loupe.aws;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * (A hidden file: ingesting the folder reads the pages, not this.)
 * Where a service and region's pull of one time window stands, kept beside its pages: the token of the next page
 * and how many pages are saved, or that it is complete. An interrupted pull resumes from the next page; a complete
 * one is not asked again.
 */
final class PullState {
	private static final ObjectMapper JSON = new ObjectMapper();
	private final Path file;
	private final String window;
	String nextToken;
	int pages;
	boolean done;

	private PullState(Path file, String window) {
		this.file = file;
		this.window = window;
	}

	static PullState load(Path folder, String window) {
		PullState s = new PullState(folder.resolve(".pull-state-" + window.replace(':', '-').replace('/', '_') + ".json"), window);
		if (Files.exists(s.file)) {
			try {
				ObjectNode o = (ObjectNode) JSON.readTree(s.file.toFile());
				s.nextToken = o.path("nextToken").isTextual() ? o.get("nextToken").asText() : null;
				s.pages = o.path("pages").asInt();
				s.done = o.path("done").asBoolean();
			} catch (IOException | ClassCastException e) {
				// an unreadable state starts the window again: pages are named by number, rewritten the same
				s.nextToken = null;
				s.pages = 0;
				s.done = false;
			}
		}
		return s;
	}

	/** The folder the pages are saved in. */
	Path folder() {
		return file.getParent();
	}

	/** The file of page {@code n} of this window. */
	Path page(String operation, int n) {
		return file.resolveSibling(operation + "-" + window.replace(':', '-').replace('/', '_') + String.format("-%05d.json", n));
	}

	void save() {
		ObjectNode o = JSON.createObjectNode().put("window", window).put("pages", pages).put("done", done);
		if (nextToken != null) {
			o.put("nextToken", nextToken);
		}
		try {
			Files.createDirectories(file.getParent());
			Path tmp = file.resolveSibling(file.getFileName() + ".part");
			JSON.writeValue(tmp.toFile(), o);
			Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
		} catch (IOException e) {
			throw new UncheckedIOException("cannot save the pull state " + file + ": " + e.getMessage(), e);
		}
	}
}
