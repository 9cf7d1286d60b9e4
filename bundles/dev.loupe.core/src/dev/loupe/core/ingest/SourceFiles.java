package dev.loupe.core.ingest;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PushbackInputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.GZIPInputStream;

import org.apache.commons.io.input.ReaderInputStream;

import dev.loupe.core.vocab.Ids;

/** File-level helpers: walking folders, hashing, transparent gzip, sniffing the first bytes. */
public final class SourceFiles {
	static final int HEAD_BYTES = 1 << 16;

	private SourceFiles() {
	}

	/** Regular files under the given paths, folders recursively, in a stable order (see {@link #under}). */
	static List<Path> expand(Path path) throws IOException {
		if (!Files.isDirectory(path)) {
			return List.of(path);
		}
		List<Path> files = under(path);
		files.sort(null);
		return files;
	}

	/**
	 * The regular files under a folder, except hidden files and folders ({@code .git}) and the folders of a store
	 * (TDB2's, which hold {@code tdb.lock}): `loupe ingest --store ./store .` in the folder of the evidence, or a
	 * watch of it, would otherwise read the store's own files, and a watch would find them changed after every
	 * update. A file or folder that goes while the walk goes on is passed over. Links are followed.
	 */
	public static List<Path> under(Path dir) throws IOException {
		List<Path> files = new ArrayList<>();
		// links followed (a case folder linking to shared evidence); a loop of links is passed over
		Files.walkFileTree(dir, EnumSet.of(FileVisitOption.FOLLOW_LINKS), Integer.MAX_VALUE, new SimpleFileVisitor<>() {
			@Override
			public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) {
				boolean hidden = !d.equals(dir) && d.getFileName().toString().startsWith(".");
				return hidden || Files.exists(d.resolve("tdb.lock")) ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
			}

			@Override
			public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) {
				if (attrs.isRegularFile() && !f.getFileName().toString().startsWith(".")) {
					files.add(f);
				}
				return FileVisitResult.CONTINUE;
			}

			@Override
			public FileVisitResult visitFileFailed(Path f, IOException e) {
				return FileVisitResult.CONTINUE;
			}
		});
		return files;
	}

	static String sha256(Path file) throws IOException {
		return sha256(Source.of(file, true));
	}

	static String sha256(Source source) throws IOException {
		MessageDigest md = Ids.digest();
		try (InputStream in = new DigestInputStream(source.open(), md)) {
			in.transferTo(OutputStreamSink.INSTANCE);
		}
		return HexFormat.of().formatHex(md.digest());
	}

	/** Opens the file, decompressing gzip whatever the file is called. */
	public static InputStream open(Path file) throws IOException {
		return open(Source.of(file, true));
	}

	static InputStream open(Source source) throws IOException {
		InputStream in = new BufferedInputStream(source.open(), 1 << 16);
		in.mark(2);
		int b1 = in.read();
		int b2 = in.read();
		in.reset();
		// no buffer on top of the gzip stream: a BufferedInputStream keeps reading while available() > 0 and,
		// at a truncated end, the exception would discard what it had already decompressed
		return unmarked(b1 == 0x1f && b2 == 0x8b ? new GZIPInputStream(in, 1 << 16) : in);
	}

	/**
	 * Text as UTF-8 without a byte order mark: Windows tools write one (PowerShell 5's redirection even writes
	 * UTF-16), and the readers expect JSON or a log line from the first byte.
	 */
	private static InputStream unmarked(InputStream in) throws IOException {
		PushbackInputStream p = new PushbackInputStream(in, 3);
		byte[] b = new byte[3];
		int n = p.readNBytes(b, 0, 3);
		if (n == 3 && (b[0] & 0xff) == 0xef && (b[1] & 0xff) == 0xbb && (b[2] & 0xff) == 0xbf) {
			return p;
		}
		Charset utf16 = n >= 2 && (b[0] & 0xff) == 0xff && (b[1] & 0xff) == 0xfe ? StandardCharsets.UTF_16LE
				: n >= 2 && (b[0] & 0xff) == 0xfe && (b[1] & 0xff) == 0xff ? StandardCharsets.UTF_16BE : null;
		if (utf16 == null) {
			p.unread(b, 0, n);
			return p;
		}
		p.unread(b, 2, n - 2);
		return ReaderInputStream.builder().setReader(new InputStreamReader(p, utf16)).setCharset(StandardCharsets.UTF_8).get();
	}

	/** The first bytes as text; a truncated .gz gives what it has (the reader reports where it ends). */
	static String head(Path file) throws IOException {
		return head(Source.of(file, true));
	}

	static String head(Source source) throws IOException {
		var bytes = new java.io.ByteArrayOutputStream();
		try (InputStream in = open(source)) {
			byte[] buf = new byte[8192];
			int n;
			while (bytes.size() < HEAD_BYTES && (n = in.read(buf, 0, Math.min(buf.length, HEAD_BYTES - bytes.size()))) > 0) {
				bytes.write(buf, 0, n);
			}
		} catch (java.io.EOFException | java.util.zip.ZipException e) {
			// keep what was read
		}
		return bytes.toString(StandardCharsets.UTF_8);
	}

	/** Discards bytes: hashing only needs them to pass. */
	private static final class OutputStreamSink extends java.io.OutputStream {
		static final OutputStreamSink INSTANCE = new OutputStreamSink();

		@Override
		public void write(int b) {
			// discard
		}

		@Override
		public void write(byte[] b, int off, int len) {
			// discard
		}
	}
}
