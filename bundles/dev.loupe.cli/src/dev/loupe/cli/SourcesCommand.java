package dev.loupe.cli;

import java.util.ArrayList;
import java.util.List;

import dev.loupe.core.reason.Reasoner;
import dev.loupe.core.store.EvidenceStore;
import dev.loupe.core.store.Sources;

/**
 * `loupe sources [--store DIR] [--format text|json]` lists the evidence sources;
 * `loupe remove [--store DIR] SOURCE...` removes them and re-derives what the rules inferred from the rest.
 */
final class SourcesCommand implements Cli.Command {
	private final boolean remove;

	SourcesCommand(boolean remove) {
		this.remove = remove;
	}

	@Override
	public String help() {
		return remove ? Messages.helpRemove : Messages.helpSources;
	}

	@Override
	public int run(Options o, Cli cli) throws Exception {
		try (EvidenceStore store = cli.openStore(o)) {
			Sources sources = new Sources(store);
			return remove ? remove(o, cli, store, sources) : list(o, cli, sources);
		}
	}

	private static int list(Options o, Cli cli, Sources sources) throws Exception {
		List<Sources.Source> all = sources.list();
		if (Cli.wantsJson(o)) {
			cli.printJson(all);
			return Cli.OK;
		}
		if (all.isEmpty()) {
			cli.out.println(Messages.sourcesNone);
		}
		for (Sources.Source s : all) {
			cli.out.println(Messages.bind(Messages.sourceLine, new Object[] { s.sha256().substring(0, 12), s.format(),
					s.records(), s.errors(), s.ingested(), s.location() }));
		}
		return Cli.OK;
	}

	private static int remove(Options o, Cli cli, EvidenceStore store, Sources sources) throws Exception {
		if (o.positional.isEmpty()) {
			throw new Options.UsageException(Messages.errorNoSources);
		}
		List<Sources.Source> chosen = new ArrayList<>();
		for (String ref : o.positional) {
			chosen.add(sources.find(ref));
		}
		long quads = sources.remove(chosen);
		chosen.forEach(s -> cli.out.println(Messages.bind(Messages.removeSource, s.location())));
		cli.out.println(Messages.bind(Messages.removeDone, chosen.size(), quads));
		if (new Reasoner(store).hasRun()) {
			// inferences may rest on the removed evidence: derive them again from what remains
			ReasonCommand.reason(store, o, cli);
		}
		return Cli.OK;
	}
}
