package dev.loupe.ui.views;

import java.time.Instant;
import java.util.Map;

import org.eclipse.osgi.util.NLS;

import dev.loupe.core.reason.Findings;
import dev.loupe.core.reason.Timeline;

/** The words of the timeline: lane names, gap labels and what the pointer is over. */
final class TimelineTexts {
	/** The hour of a lane under the pointer and its records. */
	record Hour(Timeline.Lane lane, long start, long records) {
	}

	private TimelineTexts() {
	}

	static String where(Timeline.Lane l) {
		return (l.account() != null ? l.account() : Messages.timelineNoAccount) + "  " + (l.region() != null ? l.region() : "");
	}

	/** The row name of a sequence: its type without the prefix all of them share, and its severity. */
	static String sequenceLabel(Findings.Sequence q) {
		return q.type().replaceFirst("^AttackSequence:", "") + "  " + q.severity();
	}

	static String gapLabel(Findings.Gap g) {
		return g.silence() ? Messages.timelineSilent : g.causeName() != null ? g.causeName() : g.source();
	}

	/** The name shown for each principal of the timeline, with its account when several share it. */
	static Map<String, String> actorNames(Timeline t) {
		return Findings.actorNames(t.lanes().stream().flatMap(l -> l.signals().stream()).toList(),
				t.sequences().stream().map(Timeline.Span::sequence).toList(), t.lanes().stream().flatMap(l -> l.gaps().stream()).toList());
	}

	/** @param names the name shown for each principal ({@link #actorNames}) */
	static String tooltip(Object hit, Hour hour, Map<String, String> names) {
		if (hit instanceof Findings.Signal s) {
			return NLS.bind(Messages.timelineSignalTip, new Object[] { s.time(), FindingsColumns.label(s), s.severity(),
					nonNull(s.technique()), nonNull(s.tactic()), nonNull(Findings.actorName(names, s.actor(), s.actorLabel())), nonNull(s.eventName()),
					s.ip() != null ? s.from() : "" });
		}
		if (hit instanceof Findings.Gap g) {
			String what = NLS.bind(g.silence() ? Messages.silenceWhat : Messages.gapWhat, g.source());
			String why = g.silence() ? (g.follows() != null ? Messages.silenceFollows : Messages.silenceCause)
					: nonNull(g.causeName()) + (g.actorLabel() != null ? " \u2014 " + nonNull(Findings.actorName(names, g.actor(), g.actorLabel())) : "");
			return NLS.bind(Messages.timelineGapTip, new Object[] { what, g.start(), g.end() != null ? g.end() : Messages.gapOpen, why });
		}
		if (hit instanceof Findings.Sequence q) {
			return NLS.bind(Messages.timelineSequenceTip, new Object[] { q.type(), q.severity(), q.members().size(),
					String.join(", ", q.tactics()), nonNull(Findings.actorName(names, q.actor(), q.actorLabel())), nonNull(q.explanation()) });
		}
		if (hour != null) {
			return NLS.bind(Messages.timelineHourTip, new Object[] { hour.lane().source(), where(hour.lane()),
					Instant.ofEpochMilli(hour.start()).toString(), hour.records() });
		}
		return "";
	}

	private static String nonNull(String s) {
		return s == null ? "" : s;
	}
}
