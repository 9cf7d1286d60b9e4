package dev.loupe.core.store;

/**
 * Whether a store has grown enough for compacting to pay. TDB2 keeps every block a write transaction replaced
 * until the database is compacted, so each ingest, rule run and removal leaves space behind, and a grown store
 * reads more to answer the same question: at 1M events a full run of the rules took 14.1 s in a store grown to
 * 18.3 GB and 8.3 s once it was compacted to 7.7 GB (docs/BENCHMARKS.md). A store written once takes about 500
 * bytes a fact (the 1M-event bench: 473).
 */
public final class StoreGrowth {
	/** Below this a store is too small for its size per fact to say anything (empty indexes take room too). */
	public static final long MIN_BYTES = 2_000_000_000L;
	/** About twice what a store written once takes. */
	public static final long BYTES_PER_FACT = 1_000;

	private StoreGrowth() {
	}

	/** The same for a store, counting its facts only when it is large enough for the count to matter. */
	public static long worthCompacting(EvidenceStore store) {
		long bytes = store.diskBytes();
		return bytes < MIN_BYTES ? -1 : worthCompacting(bytes, store.quadCount());
	}

	/** The bytes a fact takes on disk when compacting would pay, or -1. */
	public static long worthCompacting(long diskBytes, long facts) {
		if (diskBytes < MIN_BYTES || facts <= 0 || diskBytes / facts < BYTES_PER_FACT) {
			return -1;
		}
		return diskBytes / facts;
	}
}
