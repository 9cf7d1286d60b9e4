package dev.loupe.core.ingest;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarFile;

/**
 * Archives among the evidence, as evidence is handed over (a case's logs zipped, a public dataset as a tar of
 * gzipped trail files): zip, tar and gzipped tar, recognised by their first bytes, one level deep. Each entry is
 * a source of its own, named "ARCHIVE!/ENTRY", with the SHA-256 of its own bytes, so the same file read from the
 * archive or unpacked is one source. Zip and tar entries are read in place; a gzipped tar, which can only be
 * read from its start, is unpacked into a temporary folder that closing removes. Entry names never become paths.
 */
final class Archives implements Closeable {
	private static final byte[] ZIP = { 'P', 'K', 3, 4 };
	private static final byte[] EMPTY_ZIP = { 'P', 'K', 5, 6 };
	private static final int TAR_MAGIC_AT = 257;
	private static final byte[] TAR_MAGIC = "ustar".getBytes(StandardCharsets.US_ASCII);

	private final List<Closeable> open = new ArrayList<>();
	private Path unpacked;

	/** The sources a file holds: its entries when it is an archive, else the file itself. */
	List<Source> sources(Path file, boolean named) throws IOException {
		byte[] head = new byte[TAR_MAGIC_AT + TAR_MAGIC.length];
		int n;
		boolean gzip;
		try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
			in.mark(2);
			gzip = in.read() == 0x1f && in.read() == 0x8b;
			in.reset();
			try (InputStream body = gzip ? new GZIPInputStream(in) : in) {
				n = body.readNBytes(head, 0, head.length);
			} catch (IOException e) {
				return List.of(Source.of(file, named)); // a damaged .gz: its reader says where it ends
			}
		}
		if (!gzip && n >= ZIP.length && (startsWith(head, ZIP) || startsWith(head, EMPTY_ZIP))) {
			return zip(file, named);
		}
		if (n == head.length && Arrays.equals(head, TAR_MAGIC_AT, head.length, TAR_MAGIC, 0, TAR_MAGIC.length)) {
			return gzip ? gzippedTar(file, named) : tar(file, named);
		}
		return List.of(Source.of(file, named));
	}

	private List<Source> zip(Path file, boolean named) {
		ZipFile zip;
		try {
			zip = new ZipFile(file.toFile());
		} catch (IOException e) {
			return List.of(unreadable(file.toString(), named, "cannot read the zip archive: " + e.getMessage()));
		}
		open.add(zip);
		return zip.stream().filter(e -> !e.isDirectory() && wanted(e.getName()))
				.sorted(Comparator.comparing(ZipEntry::getName))
				.map(e -> new Source(entryName(file, e.getName()), false, () -> zip.getInputStream(e))).toList();
	}

	private List<Source> tar(Path file, boolean named) {
		TarFile tar;
		try {
			tar = new TarFile(file);
		} catch (IOException e) {
			return List.of(unreadable(file.toString(), named, "cannot read the tar archive: " + e.getMessage()));
		}
		open.add(tar);
		return tar.getEntries().stream().filter(e -> e.isFile() && wanted(e.getName()))
				.sorted(Comparator.comparing(TarArchiveEntry::getName))
				.map(e -> new Source(entryName(file, e.getName()), false, () -> tar.getInputStream(e))).toList();
	}

	/** A source that fails with {@code why} when read: the ingest reports it and goes on with the others. */
	private static Source unreadable(String name, boolean named, String why) {
		return new Source(name, named, () -> {
			throw new IOException(why);
		});
	}

	private static String entryName(Path archive, String entry) {
		return archive + "!/" + (entry.startsWith("./") ? entry.substring(2) : entry);
	}

	private List<Source> gzippedTar(Path file, boolean named) throws IOException {
		if (unpacked == null) {
			unpacked = Files.createTempDirectory("loupe-archive-");
		}
		List<Source> sources = new ArrayList<>();
		try (TarArchiveInputStream tar = new TarArchiveInputStream(new GZIPInputStream(new BufferedInputStream(
				Files.newInputStream(file), 1 << 16), 1 << 16))) {
			for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
				if (!e.isFile() || !wanted(e.getName())) {
					continue;
				}
				// numbered, not named after the entry: a name from the archive never reaches the file system
				Path copy = unpacked.resolve(Integer.toString(sources.size() + 1));
				Files.copy(tar, copy);
				sources.add(new Source(entryName(file, e.getName()), false, () -> Files.newInputStream(copy)));
			}
		} catch (IOException e) {
			// the entries before the damage are kept
			sources.add(unreadable(file.toString(), named, "cannot read the tar archive after " + sources.size() + " files: "
					+ e.getMessage()));
		}
		sources.sort(Comparator.comparing(Source::name));
		return sources;
	}

	/** Leaves out what archivers add besides the files: macOS's resource forks, hidden files. */
	private static boolean wanted(String entry) {
		return Stream.of(entry.split("/")).noneMatch(part -> part.startsWith(".") && !part.equals(".") || part.equals("__MACOSX"));
	}

	private static boolean startsWith(byte[] head, byte[] magic) {
		return Arrays.equals(head, 0, magic.length, magic, 0, magic.length);
	}

	@Override
	public void close() {
		for (Closeable c : open) {
			try {
				c.close();
			} catch (IOException e) {
				// read-only handles: nothing lost
			}
		}
		open.clear();
		if (unpacked != null) {
			try (Stream<Path> walk = Files.walk(unpacked)) {
				for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
					Files.deleteIfExists(p);
				}
			} catch (IOException e) {
				// a temporary folder left behind is the system's to clean
			}
			unpacked = null;
		}
	}
}
