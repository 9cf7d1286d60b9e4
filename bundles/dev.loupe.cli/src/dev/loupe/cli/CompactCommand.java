package dev.loupe.cli;

import java.util.Locale;

import dev.loupe.core.store.Bytes;
import dev.loupe.core.store.EvidenceStore;
import dev.loupe.core.store.StoreGrowth;

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

	/** A hint to compact, or null ({@link StoreGrowth}). */
	static String hint(long diskBytes, long facts) {
		long perFact = StoreGrowth.worthCompacting(diskBytes, facts);
		return perFact < 0 ? null : Messages.bind(Messages.compactHint, Bytes.readable(diskBytes), Long.toString(perFact));
	}
}
