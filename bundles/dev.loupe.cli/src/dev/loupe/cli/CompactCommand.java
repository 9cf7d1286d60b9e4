package dev.loupe.cli;

import java.util.Locale;

import dev.loupe.core.store.Bytes;
import dev.loupe.core.store.EvidenceStore;

/**
 * `loupe compact [--store DIR]`: writes the store afresh without the space that ingests, rule runs and removals
 * left behind, and says how much that gave back.
 */
final class CompactCommand implements Cli.Command {

	@Override
	public String help() {
		return Messages.helpCompact;
	}

	@Override
	public int run(Options o, Cli cli) {
		try (EvidenceStore store = cli.openStore(o)) {
			cli.out.println(Messages.bind(Messages.compactStart, store.location(), Bytes.readable(store.diskBytes())));
			EvidenceStore.Compaction c = store.compact();
			cli.out.println(Messages.bind(Messages.compactDone, new Object[] { Bytes.readable(c.before()), Bytes.readable(c.after()),
					String.format(Locale.ROOT, "%.1f", c.millis() / 1000.0) }));
		}
		return Cli.OK;
	}

	/** Below this a store is too small for its size per fact to say anything (empty indexes take room too). */
	static final long HINT_MIN_BYTES = 2_000_000_000L;
	/** A store written once takes about 500 bytes a fact (the 1M-event bench: 473). */
	static final long HINT_BYTES_PER_FACT = 1_000;

	/**
	 * A hint to compact, or null: TDB2 keeps every block a write replaced, and a store grown so reads more to
	 * answer the same question (a full run of the rules at 1M events: 14.1 s at 18.3 GB, 8.3 s compacted to 7.7 GB).
	 */
	static String hint(long diskBytes, long facts) {
		if (diskBytes < HINT_MIN_BYTES || facts <= 0 || diskBytes / facts < HINT_BYTES_PER_FACT) {
			return null;
		}
		return Messages.bind(Messages.compactHint, Bytes.readable(diskBytes), Long.toString(diskBytes / facts));
	}
}
