package dev.loupe.ui.views;

import java.util.function.Function;

import org.eclipse.jface.viewers.ColumnLabelProvider;
import org.eclipse.osgi.util.NLS;

import dev.loupe.core.reason.Findings;

/** The columns of the signals view, each a text for a sequence, a signal (alone or as a member) and a gap. */
enum FindingsColumns {
	TIME(Messages.columnTime, 200, s -> s.start(), g -> g.time(),
			gap -> gap.start() + " .. " + (gap.end() == null ? Messages.gapOpen : gap.end())),
	SEVERITY(Messages.columnSeverity, 70, s -> String.valueOf(s.severity()), g -> String.valueOf(g.severity()), gap -> ""),
	WHAT(Messages.columnWhat, 330, s -> s.type() + failed(s), g -> label(g)
			+ uncounted(g)
			+ (g.burstSize() > 0 ? NLS.bind(Messages.signalBurst, g.burstSize()) : "")
			+ (g.newlyObserved().isEmpty() ? "" : NLS.bind(Messages.signalNew, Messages.newly(g.newlyObserved())))
			+ (g.deployedBy() == null ? "" : NLS.bind(Messages.signalDeployed, g.deployedBy().label())),
			gap -> NLS.bind(gap.silence() ? Messages.silenceWhat : Messages.gapWhat, gap.source())),
	TECHNIQUE(Messages.columnTechnique, 90, s -> "", g -> g.technique(), gap -> ""),
	TACTIC(Messages.columnTactic, 110, s -> String.join(", ", s.tactics()), g -> g.tactic(), gap -> ""),
	ACTOR(Messages.columnActor, 160, s -> s.actorLabel(), g -> g.actorLabel(), gap -> gap.actorLabel()),
	EVIDENCE(Messages.columnEvidence, 260, s -> s.explanation(),
			g -> g.eventName() + (g.ip() != null ? " \u2190 " + g.from() : ""),
			gap -> gap.silence() ? (gap.follows() != null ? Messages.silenceFollows : Messages.silenceCause)
					: gap.causeName() + (gap.restoreName() != null ? " .. " + gap.restoreName() : "")),
	LINK(Messages.columnLink, 260, s -> "", g -> "", gap -> "");

	/**
	 * The signal's detector, and first whether the attempt failed: the column is often too narrow for the end of a
	 * long label (a burst's failure, such as a burst of denied calls, is its detector's subject).
	 */
	static String label(Findings.Signal g) {
		return g.errorCode() != null && g.burstSize() == 0 ? NLS.bind(Messages.signalFailed, g.detectorLabel(), g.errorCode())
				: g.detectorLabel();
	}

	/** How many of a sequence's signals are attempts that failed, if any. */
	static String failed(Findings.Sequence s) {
		return s.failedMembers() == 0 ? "" : NLS.bind(Messages.sequenceFailed, s.failedMembers(), s.members().size());
	}

	/** Why the linker does not count the signal, if it does not. */
	static String uncounted(Findings.Signal g) {
		Findings.Uncounted why = g.uncountedBecause();
		return why == null ? "" : switch (why) {
		case ROUTINE -> Messages.signalRoutine;
		case AUTOMATED -> Messages.signalAutomated;
		case AUTOMATION_CLIENT -> Messages.signalAutomationClient;
		case LOW_SEVERITY -> Messages.signalLowSeverity;
		case FIRST_SIGN_IN -> Messages.signalFirstSignIn;
		case POSTURE -> Messages.signalPosture;
		case HABITUAL -> Messages.signalHabitual;
		case SUPPRESSED -> Messages.signalSuppressed;
		};
	}

	final String title;
	final int width;
	private final Function<Findings.Sequence, String> ofSequence;
	private final Function<Findings.Signal, String> ofSignal;
	private final Function<Findings.Gap, String> ofGap;

	FindingsColumns(String title, int width, Function<Findings.Sequence, String> ofSequence,
			Function<Findings.Signal, String> ofSignal, Function<Findings.Gap, String> ofGap) {
		this.title = title;
		this.width = width;
		this.ofSequence = ofSequence;
		this.ofSignal = ofSignal;
		this.ofGap = ofGap;
	}

	/** @param model what the view shows, for the names of principals; may be null */
	String text(Object element, FindingsModel model) {
		if (this == ACTOR && model != null) {
			Findings.Signal g = element instanceof FindingsModel.Member m ? m.signal() : element instanceof Findings.Signal s ? s : null;
			if (g != null) {
				return nonNull(model.actorName(g.actor(), g.actorLabel()));
			} else if (element instanceof Findings.Sequence q) {
				return nonNull(model.actorName(q.actor(), q.actorLabel()));
			} else if (element instanceof Findings.Gap gap) {
				return nonNull(model.actorName(gap.actor(), gap.actorLabel()));
			}
		}
		return text(element);
	}

	private static String nonNull(String s) {
		return s == null ? "" : s;
	}

	String text(Object element) {
		String s;
		if (element instanceof FindingsModel.Member m) {
			s = this == LINK ? m.link() : ofSignal.apply(m.signal());
		} else if (element instanceof Findings.Sequence q) {
			s = ofSequence.apply(q);
		} else if (element instanceof Findings.Signal g) {
			s = ofSignal.apply(g);
		} else if (element instanceof Findings.Gap gap) {
			s = ofGap.apply(gap);
		} else {
			s = null;
		}
		return s == null ? "" : s;
	}

	/** @param model what the view shows now */
	ColumnLabelProvider labelProvider(java.util.function.Supplier<FindingsModel> model) {
		return new ColumnLabelProvider() {
			@Override
			public String getText(Object element) {
				return text(element, model.get());
			}
		};
	}
}
