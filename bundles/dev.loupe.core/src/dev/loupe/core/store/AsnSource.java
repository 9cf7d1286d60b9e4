package dev.loupe.core.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;

import dev.loupe.core.Home;
import dev.loupe.core.vocab.Ids;

/**
 * Where the table of autonomous systems comes from: the analyst's own files in {@code <Loupe home>/networks/}
 * (*.csv or *.csv.gz; they replace the bundled table), else the table bundled with Loupe (the dev.loupe.asn
 * fragment, built from ip-location-db), else none. The version names the table without reading it, so opening a
 * store costs nothing until an address has to be looked up; the table itself is read once per process and version.
 */
public final class AsnSource {
	/** A table's version (stored with the results, see {@link AsnGraph}), where it is from, and its files. */
	public record Located(String version, String attribution, List<AsnTable.Part> parts) {
	}

	private record Resource(String name) implements AsnTable.Part {
		@Override
		public InputStream open() throws IOException {
			InputStream in = AsnSource.class.getResourceAsStream("/networks/" + name);
			if (in == null) {
				throw new IOException("the bundled table has no file " + name);
			}
			return in;
		}
	}

	private record File(Path path) implements AsnTable.Part {
		@Override
		public String name() {
			return path.toString();
		}

		@Override
		public InputStream open() throws IOException {
			return Files.newInputStream(path);
		}
	}

	private static final Located NONE = new Located("none", "No table of autonomous systems was found.", List.of());
	private static Located cachedFor;
	private static AsnTable cached;
	private static List<String> readProblems = List.of();

	private AsnSource() {
	}

	/** The folder whose CSV files replace the bundled table. */
	public static Path ownTables() {
		return Home.path().resolve("networks");
	}

	public static Located locate() {
		Path own = ownTables();
		if (Files.isDirectory(own)) {
			List<Path> files;
			try (Stream<Path> list = Files.list(own)) {
				files = list.filter(p -> p.getFileName().toString().matches("(?i).*\\.csv(\\.gz)?")).sorted().toList();
			} catch (IOException e) {
				files = List.of();
			}
			if (!files.isEmpty()) {
				return new Located("own table " + fingerprint(files), "Read from " + own + ".", files.stream().<AsnTable.Part>map(File::new).toList());
			}
		}
		try (InputStream in = AsnSource.class.getResourceAsStream("/networks/table.properties")) {
			if (in == null) {
				return NONE;
			}
			Properties p = new Properties();
			p.load(new java.io.InputStreamReader(in, StandardCharsets.UTF_8));
			List<AsnTable.Part> parts = new ArrayList<>();
			for (String name : p.getProperty("files", "").split(",")) {
				if (!name.isBlank()) {
					parts.add(new Resource(name.strip()));
				}
			}
			return new Located(p.getProperty("version", "bundled"), p.getProperty("attribution", ""), parts);
		} catch (IOException e) {
			return NONE;
		}
	}

	/**
	 * The table of a location, read at most once per process and version. A table that cannot be read at all
	 * counts as empty, and says so in {@link #takeProblems()}: evidence is still ingested without it.
	 */
	public static synchronized AsnTable table(Located where) {
		if (cachedFor == null || !cachedFor.version().equals(where.version())) {
			AsnTable t;
			try {
				t = where.parts().isEmpty() ? AsnTable.none() : read(where);
				readProblems = t.problems();
			} catch (IOException | RuntimeException e) {
				t = AsnTable.none();
				readProblems = List.of("The table of autonomous systems could not be read (" + where.attribution() + "): " + e.getMessage());
			}
			cachedFor = where;
			cached = t;
		}
		return cached;
	}

	/** Where a table's snapshot is kept: one file per version, named by it. */
	static Path snapshot(Located where) {
		return Home.path().resolve("cache").resolve("networks-" + Ids.sha256(where.version()).substring(0, 16) + ".bin");
	}

	/**
	 * The table from its snapshot when there is one (tens of milliseconds), else from its files (0.5-0.8 s for the
	 * bundled one), leaving a snapshot for the next process. A snapshot that cannot be read is made again; one
	 * that cannot be written (a read-only home) is not needed.
	 */
	private static AsnTable read(Located where) throws IOException {
		Path snapshot = snapshot(where);
		if (Files.isRegularFile(snapshot)) {
			try {
				return AsnTable.readSnapshot(Files.readAllBytes(snapshot));
			} catch (IOException damaged) {
				// read the files again below, and write the snapshot anew
			}
		}
		AsnTable t = AsnTable.read(where.parts());
		try {
			Files.createDirectories(snapshot.getParent());
			// an older table's snapshot is of no more use
			try (Stream<Path> old = Files.list(snapshot.getParent())) {
				for (Path stale : old.filter(p -> p.getFileName().toString().matches("networks-.*\\.bin(\\..*)?")).toList()) {
					Files.deleteIfExists(stale);
				}
			}
			Path part = snapshot.resolveSibling(snapshot.getFileName() + "." + ProcessHandle.current().pid());
			try (var out = Files.newOutputStream(part)) {
				t.writeSnapshot(out);
			}
			Files.move(part, snapshot, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
		} catch (IOException | RuntimeException notWritten) {
			// the next process reads the files again
		}
		return t;
	}

	/**
	 * What was wrong with the table read last (lines skipped, with file and line, or why it could not be read),
	 * once: `loupe watch` ingests again and again with the table it read first, and says so the first time.
	 */
	public static synchronized List<String> takeProblems() {
		List<String> taken = readProblems;
		readProblems = List.of();
		return taken;
	}

	/** Names, sizes and modification times: a changed file is a new version without reading megabytes to tell. */
	private static String fingerprint(List<Path> files) {
		try {
			MessageDigest md = MessageDigest.getInstance("SHA-256");
			for (Path f : files) {
				md.update((f.getFileName() + "\n" + Files.size(f) + "\n" + Files.getLastModifiedTime(f).toMillis() + "\n")
						.getBytes(StandardCharsets.UTF_8));
			}
			return HexFormat.of().formatHex(md.digest()).substring(0, 16);
		} catch (IOException | NoSuchAlgorithmException e) {
			return "unreadable";
		}
	}
}
