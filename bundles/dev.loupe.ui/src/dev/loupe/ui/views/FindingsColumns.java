package dev.loupe.ui.views;

import java.util.function.Function;

import org.eclipse.jface.viewers.ColumnLabelProvider;

import dev.loupe.core.reason.Findings;

/** The columns of the signals view, each a text for a sequence and for a signal. */
enum FindingsColumns {
	TIME(Messages.columnTime, 200, s -> s.start(), g -> g.time()),
	SEVERITY(Messages.columnSeverity, 70, s -> String.valueOf(s.severity()), g -> String.valueOf(g.severity())),
	WHAT(Messages.columnWhat, 330, s -> s.type(), g -> g.detectorLabel()),
	TECHNIQUE(Messages.columnTechnique, 90, s -> "", g -> g.technique()),
	TACTIC(Messages.columnTactic, 110, s -> String.join(", ", s.tactics()), g -> g.tactic()),
	ACTOR(Messages.columnActor, 160, s -> s.actorLabel(), g -> g.actorLabel()),
	EVIDENCE(Messages.columnEvidence, 260, s -> s.explanation(),
			g -> g.eventName() + (g.ip() != null ? " \u2190 " + g.ip() : ""));

	final String title;
	final int width;
	private final Function<Findings.Sequence, String> ofSequence;
	private final Function<Findings.Signal, String> ofSignal;

	FindingsColumns(String title, int width, Function<Findings.Sequence, String> ofSequence,
			Function<Findings.Signal, String> ofSignal) {
		this.title = title;
		this.width = width;
		this.ofSequence = ofSequence;
		this.ofSignal = ofSignal;
	}

	String text(Object element) {
		String s = element instanceof Findings.Sequence q ? ofSequence.apply(q)
				: element instanceof Findings.Signal g ? ofSignal.apply(g) : null;
		return s == null ? "" : s;
	}

	ColumnLabelProvider labelProvider() {
		return new ColumnLabelProvider() {
			@Override
			public String getText(Object element) {
				return text(element);
			}
		};
	}
}
