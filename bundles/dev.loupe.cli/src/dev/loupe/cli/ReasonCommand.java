package dev.loupe.cli;

import org.eclipse.core.runtime.NullProgressMonitor;

import dev.loupe.core.reason.Reasoner;
import dev.loupe.core.reason.RuleSet;
import dev.loupe.core.store.EvidenceStore;

/** `loupe reason [--store DIR] [--rules DIR]` */
final class ReasonCommand implements Cli.Command {

	@Override
	public String help() {
		return Messages.helpReason;
	}

	@Override
	public int run(Options o, Cli cli) throws Exception {
		try (EvidenceStore store = cli.openStore(o)) {
			reason(store, o, cli);
			return Cli.OK;
		}
	}

	static Reasoner.Result reason(EvidenceStore store, Options o, Cli cli) throws Exception {
		RuleSet rules = RuleSet.load(o.rules != null ? o.rules : cli.home.resolve("rules"));
		Reasoner.Result r = new Reasoner(store).run(rules, new NullProgressMonitor());
		r.ruleFiles().forEach(f -> cli.out.println(Messages.bind(Messages.reasonRule, f)));
		cli.out.println(Messages.bind(Messages.reasonSummary, new Object[] { r.signals(), r.sequences(), r.gaps() }));
		return r;
	}
}
