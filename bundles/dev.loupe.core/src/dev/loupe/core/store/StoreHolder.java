package dev.loupe.core.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.loupe.core.handoff.HandoffClient;

/** Which other process holds a store, for messages that ask the user to close it. */
public final class StoreHolder {
	private static final int ANSWER_SECONDS = 2;
	private StoreHolder() {
	}

	/**
	 * The process serving the store (as it names itself: "the Loupe workbench (pid 4242)"), else the live process
	 * other than this one that TDB2's lock file names, else empty.
	 */
	public static Optional<String> of(Path dir) {
		Optional<String> served;
		try {
			// a holder that does not answer at once is named by its lock below
			served = CompletableFuture.supplyAsync(() -> HandoffClient.holder(dir)).get(ANSWER_SECONDS, TimeUnit.SECONDS);
		} catch (ExecutionException | TimeoutException e) {
			served = Optional.empty();
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			served = Optional.empty();
		}
		if (served.isPresent()) {
			return served;
		}
		try {
			long pid = Long.parseLong(Files.readString(dir.resolve("tdb.lock")).strip());
			boolean alive = pid != ProcessHandle.current().pid() && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
			return alive ? Optional.of("process " + pid) : Optional.empty();
		} catch (IOException | NumberFormatException e) {
			return Optional.empty(); // no lock, or one TDB2 did not write: nobody known
		}
	}

	/** What to tell a user who asked for a store another process holds; empty when none does. */
	public static Optional<String> inUse(Path dir) {
		return of(dir).map(holder -> inUse(dir, holder, holder));
	}

	/** The message for a store another process holds; {@code detail} says why, when the holder is not known. */
	static String inUse(Path dir, String detail) {
		return inUse(dir, of(dir).orElse(null), detail);
	}

	private static String inUse(Path dir, String holder, String detail) {
		if (holder != null && holder.contains("(pid ")) {
			return "The store " + dir + " is held by " + holder + ". The commands on a store (`loupe ingest`, `reason`, "
					+ "`signals`, `query`, ...) run there by themselves; this one needs the store to itself: close " + holder
					+ " first, or use --store to pick another folder.";
		}
		return "The store " + dir + " is in use by another Loupe process (" + (holder != null ? holder : detail)
				+ "). Close it or use --store to pick another folder.";
	}
}
