package dev.loupe.core.store;

import java.nio.file.Path;
import java.util.function.Supplier;

import org.apache.jena.query.Dataset;

/**
 * The evidence store. Callers see a Jena {@link Dataset} and do every access inside {@link #read} or
 * {@link #write}; whether the dataset is an embedded TDB2 database or, later, a remote endpoint is hidden here.
 */
public interface EvidenceStore extends AutoCloseable {

	/** Opens (creating on first use) the embedded TDB2 database in {@code dir}. */
	static EvidenceStore open(Path dir) {
		return Tdb2Store.open(dir);
	}

	Dataset dataset();

	/** Where the store lives, for messages. */
	String location();

	<T> T read(Supplier<T> action);

	void write(Runnable action);

	<T> T calculateWrite(Supplier<T> action);

	/** Number of quads in all named graphs. */
	long quadCount();

	/** Bytes the store's files take on disk. */
	long diskBytes();

	/**
	 * Writes the store afresh without the space earlier transactions left behind (the database keeps every
	 * block a write replaced until it is compacted: ingests, rule runs and removals all leave some). Waits for
	 * this process's open transactions to end; the facts are unchanged.
	 */
	Compaction compact();

	/** What a compaction gave: bytes on disk before and after, and how long it took. */
	record Compaction(long before, long after, long millis) {
	}

	@Override
	void close();
}
