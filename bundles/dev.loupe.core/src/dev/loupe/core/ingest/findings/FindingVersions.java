package dev.loupe.core.ingest.findings;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.jena.graph.Node;
import org.apache.jena.graph.Triple;

import dev.loupe.core.ingest.RecordSink;

/**
 * The facts that one version of a finding states and a later version may take back: when it was updated, its
 * state (archived, suppressed, resolved), severity, title, description and compliance status. A file can hold
 * several versions of one finding (EventBridge sends every update; Firehose puts them in one object), and one
 * source is one graph, so the versions' facts would stack on one node: an archived finding brought back would
 * still read archived, a severity an analyst lowered would still read high. Each file therefore states these
 * facts for the latest version of each finding it holds (the latest loupe:updatedAt; one without it is older than
 * one with it; of equal ones, the last in the file), once the whole file is read. Versions in different files
 * are different graphs: {@code rules/20-finding-signals.ru} and the finding-signal step pick the latest there.
 * <p>
 * Everything else a version says (its resources, addresses, last sighting, raw record) is kept from each version:
 * it is what was seen, and later versions do not say it was wrong.
 */
final class FindingVersions {
	private record Held(Instant updated, List<Triple> facts) {
	}

	private final Map<Node, Held> latest = new LinkedHashMap<>();
	private List<Triple> current = new ArrayList<>();

	/** Starts the facts of the record being mapped (those of a record that failed are dropped here). */
	void begin() {
		current = new ArrayList<>();
	}

	void add(Node s, Node p, Node o) {
		current.add(Triple.create(s, p, o));
	}

	/** The record mapped: its facts are the finding's unless a version already read is later. */
	void end(Node finding, Instant updated) {
		Held held = latest.get(finding);
		if (held == null || updated != null && (held.updated() == null || !updated.isBefore(held.updated()))) {
			latest.put(finding, new Held(updated, current));
		} else if (updated == null && held.updated() == null) {
			// neither says when it was updated: nothing tells which is later, so both are stated, as before
			held.facts().addAll(current);
		}
		current = new ArrayList<>();
	}

	/** Writes the latest versions' facts, after the file's last record. */
	void finish(RecordSink sink) {
		latest.values().forEach(h -> h.facts().forEach(sink::late));
		latest.clear();
	}
}
