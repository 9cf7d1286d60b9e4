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
		RuleSet rules = rules(o, cli);
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

	/** The bundled rules and the user's: those of --rules, else of the Loupe home. */
	static RuleSet rules(Options o, Cli cli) throws java.io.IOException {
		return RuleSet.load(o.rules != null ? o.rules : cli.home.resolve("rules"));
	}

	/**
	 * Readies a process that holds the store (serve, watch) for the first update it runs, while nobody waits for it
	 * yet; a command handed over meanwhile reads at once, or writes once the rehearsal is done (2-3 s after the start).
	 */
	static void rehearse(EvidenceStore store, Options o, Cli cli) {
		Thread t = new Thread(() -> {
			try {
				new Reasoner(store).rehearse(rules(o, cli));
			} catch (RuntimeException | java.io.IOException e) {
				// a rule file the user is editing, a store closed under it: the first real update reports what is wrong
			}
		}, "loupe rehearsal");
		t.setDaemon(true);
		t.setPriority(Thread.MIN_PRIORITY);
		t.start();
	}
}
