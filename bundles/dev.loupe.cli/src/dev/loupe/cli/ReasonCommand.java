package dev.loupe.cli;

import org.eclipse.core.runtime.NullProgressMonitor;

import dev.loupe.core.reason.Reasoner;
import dev.loupe.core.reason.RuleSet;
import dev.loupe.core.store.EvidenceStore;

/** `loupe reason [--store DIR] [--rules DIR] [--full]` */
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
		long start = System.nanoTime();
		RuleSet rules = RuleSet.load(o.rules != null ? o.rules : cli.home.resolve("rules"));
		Reasoner reasoner = new Reasoner(store);
		Reasoner.Result r = o.full ? reasoner.run(rules, new NullProgressMonitor()) : reasoner.update(rules, new NullProgressMonitor());
		r.ruleFiles().forEach(f -> cli.out.println(Messages.bind(Messages.reasonRule, f)));
		cli.out.println(switch (r.mode()) {
		case FULL -> Messages.reasonFull;
		case UPDATE -> Messages.bind(Messages.reasonUpdate, r.derivedAgain());
		case UP_TO_DATE -> Messages.reasonUpToDate;
		});
		cli.out.println(Messages.bind(Messages.reasonSummary, new Object[] { r.signals(), r.sequences(), r.gaps() }));
		// from reading the rules to counting the results: what an analyst waits for, without starting Java
		cli.out.println(Messages.bind(Messages.reasonTime, String.format("%.1f", (System.nanoTime() - start) / 1e9)));
		return r;
	}
}
