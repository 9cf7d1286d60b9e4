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
}
