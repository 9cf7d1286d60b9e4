package dev.loupe.ui.views;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import dev.loupe.core.reason.Findings;

/** Sequences with their member signals, and the signals that belong to no sequence. */
record FindingsModel(List<Findings.Sequence> sequences, List<Findings.Signal> loose) {

	static FindingsModel load(Findings findings, String lang) {
		List<Findings.Sequence> seqs = findings.sequences(lang);
		Set<String> inSequence = new HashSet<>();
		seqs.forEach(s -> s.members().forEach(m -> inSequence.add(m.iri())));
		List<Findings.Signal> loose = findings.signals(lang).stream().filter(s -> !inSequence.contains(s.iri())).toList();
		return new FindingsModel(seqs, loose);
	}

	int signalCount() {
		return loose.size() + sequences.stream().mapToInt(s -> s.members().size()).sum();
	}
}
