package dev.loupe.cli;

import java.util.List;

import dev.loupe.core.reason.Findings;
import dev.loupe.core.reason.Findings.Sequence;
import dev.loupe.core.reason.Findings.Signal;
import dev.loupe.core.store.EvidenceStore;

/** `loupe sequences|signals [--store DIR] [--format text|json]`: what the last `loupe reason` inferred. */
final class FindingsCommand implements Cli.Command {
	private final boolean sequences;

	FindingsCommand(boolean sequences) {
		this.sequences = sequences;
	}

	@Override
	public String help() {
		return sequences ? Messages.helpSequences : Messages.helpSignals;
	}

	@Override
	public int run(Options o, Cli cli) throws Exception {
		boolean json = Cli.wantsJson(o);
		try (EvidenceStore store = cli.openStore(o)) {
			Findings findings = new Findings(store);
			String lang = Cli.labelLanguage();
			if (sequences) {
				List<Sequence> list = findings.sequences(lang);
				if (json) {
					cli.printJson(list);
				} else {
					printSequences(list, cli);
				}
			} else {
				List<Signal> list = findings.signals(lang);
				if (json) {
					cli.printJson(list);
				} else {
					printSignals(list, cli);
				}
			}
			return Cli.OK;
		}
	}

	static void printSequences(List<Sequence> list, Cli cli) {
		if (list.isEmpty()) {
			cli.out.println(Messages.sequencesNone);
		}
		int i = 0;
		for (Sequence s : list) {
			cli.out.println(Messages.bind(Messages.sequenceHeader,
					new Object[] { ++i, list.size(), s.type(), s.severity(), level(s.severity().doubleValue()) }));
			cli.out.println(Messages.bind(Messages.sequenceActor, s.actorLabel(), s.actor()));
			cli.out.println(Messages.bind(Messages.sequenceWindow, s.start(), s.end()));
			cli.out.println(Messages.bind(Messages.sequenceTactics, String.join(", ", s.tactics())));
			cli.out.println(Messages.bind(Messages.sequenceWhy, s.explanation(), s.rule()));
			cli.out.println(Messages.sequenceSignals);
			s.members().forEach(m -> printSignal(m, cli, "    "));
			cli.out.println();
		}
	}

	private static void printSignals(List<Signal> list, Cli cli) {
		if (list.isEmpty()) {
			cli.out.println(Messages.signalsNone);
		}
		list.forEach(s -> printSignal(s, cli, ""));
	}

	private static void printSignal(Signal m, Cli cli, String indent) {
		cli.out.println(indent + Messages.bind(Messages.signalLine,
				new Object[] { m.time(), m.technique(), m.tactic(), m.severity(), m.detectorLabel(), m.actorLabel() }));
		cli.out.println(indent + Messages.bind(Messages.signalEvidence, new Object[] { m.eventName(),
				m.ip() == null ? "-" : m.ip(), m.userAgent() == null ? "-" : m.userAgent(), m.event(), m.rule() }));
	}

	/** GuardDuty's severity bands. */
	private static String level(double sev) {
		return sev >= 9 ? Messages.severityCritical : sev >= 7 ? Messages.severityHigh
				: sev >= 4 ? Messages.severityMedium : Messages.severityLow;
	}
}
