package dev.loupe.cli;

import java.util.ArrayList;
import java.util.List;

import dev.loupe.core.reason.EvidenceBehind;
import dev.loupe.core.store.EvidenceStore;

/**
 * `loupe evidence [--store DIR] [--format text|json] IRI...`: the records behind signals or coverage gaps (or
 * records named directly), as their sources delivered them, with the file each came from.
 */
final class EvidenceCommand implements Cli.Command {
	/** Records printed per signal: a burst can stand on thousands. */
	private static final int MAX_RECORDS = 50;

	@Override
	public String help() {
		return Messages.helpEvidence;
	}

	@Override
	public int run(Options o, Cli cli) throws Exception {
		if (o.positional.isEmpty()) {
			throw new Options.UsageException(Messages.errorNoIri);
		}
		try (EvidenceStore store = cli.openStore(o)) {
			EvidenceBehind behind = new EvidenceBehind(store);
			List<EvidenceBehind.Records> all = new ArrayList<>();
			for (String iri : o.positional) {
				EvidenceBehind.Records r = behind.of(iri.replaceAll("^<|>$", ""), MAX_RECORDS);
				if (r.total() == 0) {
					cli.err.println(Messages.bind(Messages.evidenceUnknown, iri));
					return Cli.USER_ERROR;
				}
				all.add(r);
			}
			if (Cli.wantsJson(o)) {
				cli.printJson(all);
				return Cli.OK;
			}
			for (int i = 0; i < all.size(); i++) {
				EvidenceBehind.Records r = all.get(i);
				cli.out.println(Messages.bind(Messages.evidenceFor, o.positional.get(i), r.total()));
				for (EvidenceBehind.Record rec : r.shown()) {
					cli.out.println(Messages.bind(Messages.evidenceRecord, new Object[] { rec.time(), rec.name(), rec.source() }));
					cli.out.println(rec.readable() == null ? Messages.evidenceNoText : rec.readable());
				}
				if (r.total() > r.shown().size()) {
					cli.out.println(Messages.bind(Messages.evidenceMore, r.total() - r.shown().size()));
				}
			}
			return Cli.OK;
		}
	}
}
