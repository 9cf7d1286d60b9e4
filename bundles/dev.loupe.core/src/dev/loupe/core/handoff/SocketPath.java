package dev.loupe.core.handoff;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

import dev.loupe.core.vocab.Ids;

/**
 * Where the process that holds a store listens for other `loupe` commands on it: a Unix domain socket in a folder
 * only its user may enter (so no other user can connect, and none can put a socket of their own there). The folder
 * is in the store, unless that path is too long for a socket address; then it is under the temporary folder, named
 * after the store.
 */
public final class SocketPath {
	/** Linux allows 108 bytes with the final zero, macOS 104: stay under both. */
	private static final int MAX_BYTES = 100;
	private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");

	private SocketPath() {
	}

	/** The socket's path for the store in {@code store}, the same for every process that names it. */
	public static Path of(Path store) {
		Path dir = canonical(store);
		Path inStore = dir.resolve("handoff").resolve("loupe.sock");
		if (inStore.toString().getBytes(StandardCharsets.UTF_8).length <= MAX_BYTES) {
			return inStore;
		}
		return Path.of(System.getProperty("java.io.tmpdir"), "loupe-" + System.getProperty("user.name"),
				Ids.sha256(dir.toString()).substring(0, 16) + ".sock");
	}

	/** The store's folder as every process names it: symbolic links followed where the folder exists. */
	public static Path canonical(Path store) {
		Path abs = store.toAbsolutePath().normalize();
		try {
			return Files.exists(abs) ? abs.toRealPath() : abs;
		} catch (IOException e) {
			return abs;
		}
	}

	/**
	 * Makes the socket's folder, readable and writable by this user only; refuses one that another user owns or
	 * that others may enter.
	 */
	static void prepareFolder(Path socket) throws IOException {
		Path dir = socket.getParent();
		boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
		if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
			if (posix) {
				Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
			} else {
				Files.createDirectories(dir);
			}
		}
		if (!posix) {
			return;
		}
		if (Files.isSymbolicLink(dir) || !Files.isDirectory(dir)) {
			throw new IOException(dir + " is not a folder");
		}
		// only the folder's owner may change its permissions: this fails on another user's folder
		Files.setPosixFilePermissions(dir, OWNER_ONLY);
	}

	/**
	 * Whether a socket may be talked to: its folder is this user's and no one else's. Another user could make
	 * the folder under the temporary folder first, and answer in Loupe's name.
	 */
	static boolean trusted(Path socket) {
		Path dir = socket.getParent();
		if (!FileSystems.getDefault().supportedFileAttributeViews().contains("unix")) {
			return true; // no owners to compare: the folder's access rules are the system's
		}
		try {
			if (Files.isSymbolicLink(dir) || !Files.isDirectory(dir)) {
				return false;
			}
			Set<PosixFilePermission> perms = Files.getPosixFilePermissions(dir);
			return OWNER_ONLY.containsAll(perms) && Files.getAttribute(dir, "unix:uid").equals(myUid());
		} catch (IOException | UnsupportedOperationException e) {
			return false;
		}
	}

	/** This process's user: the owner of /proc/self on Linux, else of the user's home. */
	private static Object myUid() throws IOException {
		Path self = Path.of("/proc/self");
		return Files.getAttribute(Files.exists(self) ? self : Path.of(System.getProperty("user.home")), "unix:uid");
	}
}
