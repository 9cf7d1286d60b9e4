package dev.loupe.core.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One source of evidence: a file, or an entry of an archive ({@link Archives}), with the name it is known by
 * ("logs.zip!/AWSLogs/.../x.json.gz" for an entry) and its bytes as stored (gzip is undone by
 * {@link SourceFiles#open}).
 * @param named whether the user named it (a file that is no evidence then fails; one found in a folder or an
 *        archive is skipped)
 */
record Source(String name, boolean named, Opener opener) {

	/** Opens the source's bytes; each call reads them from the start. */
	interface Opener {
		InputStream open() throws IOException;
	}

	static Source of(Path file, boolean named) {
		return new Source(file.toString(), named, () -> Files.newInputStream(file));
	}

	InputStream open() throws IOException {
		return opener.open();
	}
}
