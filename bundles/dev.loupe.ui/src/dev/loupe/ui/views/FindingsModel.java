package dev.loupe.ui.views;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.loupe.core.reason.Findings;

/**
 * Sequences with their member signals (each with the link that ties it to the one before), the signals that
 * belong to no sequence, and the coverage gaps; {@code actorNames}: the name shown for each principal, with its
 * account when several share it ({@link Findings#actorNames}).
 */
record FindingsModel(List<Findings.Sequence> sequences, List<Findings.Signal> loose, List<Findings.Gap> gaps,
		Map<String, String> actorNames) {

	/** A member row: the signal and why it joined its sequence (null for the first). */
	record Member(Findings.Signal signal, String link) {
	}

	static FindingsModel of(Findings.Snapshot found) {
		Set<String> inSequence = new HashSet<>();
		found.sequences.forEach(s -> s.members().forEach(m -> inSequence.add(m.iri())));
		List<Findings.Signal> loose = found.signals.stream().filter(s -> !inSequence.contains(s.iri())).toList();
		return new FindingsModel(found.sequences, loose, found.gaps, Findings.actorNames(found.signals, found.sequences, found.gaps));
	}

	/** The name shown for a principal. */
	String actorName(String iri, String label) {
		return Findings.actorName(actorNames, iri, label);
	}

	static List<Member> members(Findings.Sequence s) {
		Map<String, String> why = new HashMap<>();
		s.links().forEach(l -> why.putIfAbsent(l.to(), l.explanation()));
		return s.members().stream().map(m -> new Member(m, why.get(m.iri()))).toList();
	}

	/** The row that shows a signal (as a member of its sequence, if it is one), a sequence or a gap; else null. */
	Object row(Object element) {
		if (element instanceof Findings.Signal g) {
			for (Findings.Sequence s : sequences) {
				if (s.members().contains(g)) {
					return members(s).stream().filter(m -> m.signal().equals(g)).findFirst().orElse(null);
				}
			}
			return loose.contains(g) ? g : null;
		}
		return sequences.contains(element) || gaps.contains(element) ? element : null;
	}

	int signalCount() {
		return loose.size() + sequences.stream().mapToInt(s -> s.members().size()).sum();
	}
}
