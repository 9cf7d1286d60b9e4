package dev.loupe.core.reason;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;

import org.apache.jena.graph.Node;
import org.apache.jena.graph.NodeFactory;
import org.apache.jena.sparql.core.DatasetGraph;
import org.apache.jena.sparql.core.Quad;

import dev.loupe.core.ingest.JsonRecords;
import dev.loupe.core.store.EvidenceStore;
import dev.loupe.core.vocab.Ids;
import dev.loupe.core.vocab.Loupe;

/**
 * The records a signal was derived from (a burst's calls, a finding), or a coverage gap's call that switched the
 * source off and the one that switched it back on: each as the source delivered it, with the file it came from.
 * What analysts read before they believe an inference.
 */
public final class EvidenceBehind {
	/** One record: its node, time and name (an API call's, a finding's type), the file, and the record's text. */
	public record Record(String iri, String time, String name, String source, String text) {
		/** The text indented when it is JSON (flow log lines and others stay as they are). */
		public String readable() {
			if (text == null || !(text.startsWith("{") || text.startsWith("["))) {
				return text;
			}
			try {
				return PRETTY.writeValueAsString(JsonRecords.JSON.readTree(text));
			} catch (java.io.IOException e) {
				return text;
			}
		}
	}

	private static final com.fasterxml.jackson.databind.ObjectWriter PRETTY = JsonRecords.JSON.writerWithDefaultPrettyPrinter();

	/** The records, the first {@code max} by time, and how many there are in all. */
	public record Records(List<Record> shown, int total) {
	}

	private final EvidenceStore store;

	public EvidenceBehind(EvidenceStore store) {
		this.store = store;
	}

	/** @param iri a signal's or a coverage gap's (the records behind it), or a record's own (that record) */
	public Records of(String iri, int max) {
		return store.read(() -> {
			DatasetGraph dsg = store.dataset().asDatasetGraph();
			Node n = NodeFactory.createURI(iri);
			List<Node> behind = new ArrayList<>();
			for (Node p : List.of(Loupe.provWasDerivedFrom, Loupe.causedBy, Loupe.restoredBy)) {
				dsg.find(Ids.inferredGraph(), n, p, Node.ANY).forEachRemaining(q -> behind.add(q.getObject()));
			}
			if (behind.isEmpty() && dsg.find(Node.ANY, n, Loupe.rawRecord, Node.ANY).hasNext()) {
				behind.add(n); // an event or finding named directly, as `loupe signals` prints them
			}
			List<Record> all = new ArrayList<>();
			for (Node e : behind) {
				all.add(record(dsg, e));
			}
			all.sort(Comparator.comparing((Record r) -> String.valueOf(r.time())).thenComparing(Record::iri));
			return new Records(List.copyOf(all.subList(0, Math.min(max, all.size()))), all.size());
		});
	}

	private static Record record(DatasetGraph dsg, Node e) {
		String text = null;
		Node graph = null;
		Iterator<Quad> raw = dsg.find(Node.ANY, e, Loupe.rawRecord, Node.ANY);
		if (raw.hasNext()) {
			Quad q = raw.next();
			text = q.getObject().getLiteralLexicalForm();
			graph = q.getGraph();
		}
		String time = first(dsg, e, Loupe.eventTime);
		String name = first(dsg, e, Loupe.eventName);
		if (name == null) {
			name = first(dsg, e, Loupe.findingType);
		}
		String source = graph == null ? null : first(dsg, graph, graph, Loupe.location);
		return new Record(e.isURI() ? e.getURI() : e.toString(), time, name, source, text);
	}

	private static String first(DatasetGraph dsg, Node s, Node p) {
		return first(dsg, Node.ANY, s, p);
	}

	private static String first(DatasetGraph dsg, Node g, Node s, Node p) {
		Iterator<Quad> it = dsg.find(g, s, p, Node.ANY);
		return it.hasNext() ? it.next().getObject().getLiteralLexicalForm() : null;
	}
}
