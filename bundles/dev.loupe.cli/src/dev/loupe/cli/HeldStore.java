package dev.loupe.cli;

import java.util.function.Supplier;

import org.apache.jena.query.Dataset;

import dev.loupe.core.store.EvidenceStore;

/** The store another part of this process holds open, for a command handed over: the command's close leaves it open. */
final class HeldStore implements EvidenceStore {
	private final EvidenceStore held;

	HeldStore(EvidenceStore held) {
		this.held = held;
	}

	@Override
	public Dataset dataset() {
		return held.dataset();
	}

	@Override
	public String location() {
		return held.location();
	}

	@Override
	public <T> T read(Supplier<T> action) {
		return held.read(action);
	}

	@Override
	public void write(Runnable action) {
		held.write(action);
	}

	@Override
	public <T> T calculateWrite(Supplier<T> action) {
		return held.calculateWrite(action);
	}

	@Override
	public long quadCount() {
		return held.quadCount();
	}

	@Override
	public long diskBytes() {
		return held.diskBytes();
	}

	@Override
	public Compaction compact() {
		return held.compact();
	}

	@Override
	public void close() {
		// the holder closes it
	}
}
