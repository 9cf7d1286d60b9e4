package dev.loupe.core.reason;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

import org.apache.jena.graph.Node;
import org.apache.jena.sparql.core.DatasetGraph;
import org.apache.jena.sparql.core.Quad;
import org.apache.jena.vocabulary.RDF;

import dev.loupe.core.vocab.Loupe;

/** The signals as the {@link Linker} sees them, read from the inferred graph. */
final class LinkRows {

	/** A signal as the linker sees it: from {@code time} to {@code end} (a finding seen again and again, a burst). */
	record Row(Node signal, Instant time, Instant end, BigDecimal severity, Node tactic) {
	}

	private LinkRows() {
	}

	/** Every signal with a time and a severity, and its tactic (of several, the same one every run). */
	static Map<Node, Row> all(DatasetGraph dsg, Node g) {
		Set<Node> signals = new HashSet<>();
		dsg.find(g, Node.ANY, RDF.type.asNode(), Loupe.Signal).forEachRemaining(q -> signals.add(q.getSubject()));
		Map<Node, Instant> times = new HashMap<>();
		dsg.find(g, Node.ANY, Loupe.time, Node.ANY).forEachRemaining(q -> {
			if (signals.contains(q.getSubject())) {
				times.put(q.getSubject(), Instant.parse(q.getObject().getLiteralLexicalForm()));
			}
		});
		Map<Node, Instant> ends = new HashMap<>();
		dsg.find(g, Node.ANY, Loupe.endTime, Node.ANY).forEachRemaining(q -> {
			if (signals.contains(q.getSubject())) {
				ends.merge(q.getSubject(), Instant.parse(q.getObject().getLiteralLexicalForm()), (x, y) -> x.isAfter(y) ? x : y);
			}
		});
		Map<Node, Node> tactics = new HashMap<>();
		dsg.find(g, Node.ANY, Loupe.tactic, Node.ANY).forEachRemaining(q -> tactics.merge(q.getSubject(), q.getObject(),
				(x, y) -> x.toString().compareTo(y.toString()) <= 0 ? x : y));
		Map<Node, Row> rows = new HashMap<>();
		dsg.find(g, Node.ANY, Loupe.severity, Node.ANY).forEachRemaining(q -> {
			Instant t = times.get(q.getSubject());
			if (t != null) {
				rows.put(q.getSubject(), new Row(q.getSubject(), t, end(t, ends.get(q.getSubject())),
						new BigDecimal(q.getObject().getLiteralLexicalForm()), tactics.get(q.getSubject())));
			}
		});
		return rows;
	}

	/** The rows of the signals of {@code region}, one by one. */
	static Map<Node, Row> of(DatasetGraph dsg, Node g, Set<Node> region) {
		Map<Node, Row> rows = new HashMap<>();
		for (Node s : region) {
			Node time = first(dsg, g, s, Loupe.time);
			Node severity = first(dsg, g, s, Loupe.severity);
			if (time == null || severity == null || !dsg.contains(g, s, RDF.type.asNode(), Loupe.Signal)) {
				continue;
			}
			Node tactic = null;
			for (Iterator<Quad> it = dsg.find(g, s, Loupe.tactic, Node.ANY); it.hasNext();) {
				Node x = it.next().getObject();
				tactic = tactic == null || x.toString().compareTo(tactic.toString()) < 0 ? x : tactic;
			}
			Instant t = Instant.parse(time.getLiteralLexicalForm());
			Instant end = null;
			for (Iterator<Quad> it = dsg.find(g, s, Loupe.endTime, Node.ANY); it.hasNext();) {
				Instant x = Instant.parse(it.next().getObject().getLiteralLexicalForm());
				end = end == null || x.isAfter(end) ? x : end;
			}
			rows.put(s, new Row(s, t, end(t, end), new BigDecimal(severity.getLiteralLexicalForm()), tactic));
		}
		return rows;
	}

	/** A signal's end: its loupe:endTime, or its time when it has none (or one before it). */
	private static Instant end(Instant time, Instant end) {
		return end == null || end.isBefore(time) ? time : end;
	}

	private static Node first(DatasetGraph dsg, Node g, Node s, Node p) {
		Iterator<Quad> it = dsg.find(g, s, p, Node.ANY);
		return it.hasNext() ? it.next().getObject() : null;
	}
}
