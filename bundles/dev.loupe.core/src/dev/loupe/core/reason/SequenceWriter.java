package dev.loupe.core.reason;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.jena.datatypes.xsd.XSDDatatype;
import org.apache.jena.graph.Graph;
import org.apache.jena.graph.Node;
import org.apache.jena.graph.NodeFactory;
import org.apache.jena.sparql.core.DatasetGraph;
import org.apache.jena.vocabulary.RDF;

import dev.loupe.core.store.GraphClear;
import dev.loupe.core.store.Keep;
import dev.loupe.core.vocab.Ids;
import dev.loupe.core.vocab.Loupe;

/**
 * Writes one attack sequence of linked signals into the inferred graph: its members, its links (the shared key,
 * its kind and the time between the two signals), and its explanation in English and Japanese (a link's is
 * written when it is read: {@link Explanations}).
 */
final class SequenceWriter {

	record Group(List<Node> members, Instant start, Instant end, BigDecimal severity, long tactics,
			boolean manyTactics, List<Linker.Link> links, Node actor, long identities, Duration window) {
	}

	static final Node RULE = NodeFactory.createURI(Loupe.RULE_NS + "linked-signals");
	/** For each type of what this writes, the predicates it writes on it (later steps add others). */
	static final Map<Node, Set<Node>> FACTS = Map.of(
			Loupe.AttackSequence, Set.of(RDF.type.asNode(), Loupe.actor, Loupe.time, Loupe.endTime, Loupe.severity, Loupe.rule,
					Loupe.member, Loupe.link, Loupe.explanation),
			Loupe.SignalLink, Set.of(RDF.type.asNode(), Loupe.fromSignal, Loupe.toSignal, Loupe.linkedBy, Loupe.sharedEntity,
					Loupe.timeGap, Loupe.rule));
	private static final List<String> LANGUAGES = List.of("en", "ja");

	private final Explanations texts;
	private final Graph sink;

	/** Reads labels from the store's {@code dsg}, writes into {@code sink}. */
	SequenceWriter(DatasetGraph dsg, Graph sink) {
		this.texts = new Explanations(dsg.getUnionGraph());
		this.sink = sink;
	}

	/** A sequence is named by its first member. */
	static Node iri(Node firstMember) {
		return NodeFactory.createURI("urn:loupe:sequence:" + Ids.sha256(firstMember.getURI()).substring(0, 40));
	}

	void write(Group q) {
		Node seq = iri(q.members().get(0));
		add(seq, RDF.type.asNode(), Loupe.AttackSequence);
		add(seq, Loupe.actor, q.actor());
		add(seq, Loupe.time, time(q.start()));
		add(seq, Loupe.endTime, time(q.end()));
		add(seq, Loupe.severity, NodeFactory.createLiteralDT(q.severity().toPlainString(), XSDDatatype.XSDdecimal));
		add(seq, Loupe.rule, RULE);
		q.members().forEach(m -> add(seq, Loupe.member, m));
		for (Linker.Link l : q.links()) {
			Node link = NodeFactory.createURI("urn:loupe:link:"
					+ Ids.sha256(l.from().getURI() + " " + l.to().getURI()).substring(0, 40));
			add(seq, Loupe.link, link);
			add(link, RDF.type.asNode(), Loupe.SignalLink);
			add(link, Loupe.fromSignal, l.from());
			add(link, Loupe.toSignal, l.to());
			add(link, Loupe.linkedBy, l.kind());
			add(link, Loupe.sharedEntity, l.shared());
			add(link, Loupe.timeGap, Linker.timeGap(l.gap()));
			add(link, Loupe.rule, RULE);
		}
		for (String lang : LANGUAGES) {
			add(seq, Loupe.explanation, NodeFactory.createLiteralLang(explain(q, lang), lang));
		}
	}

	private String explain(Group q, String lang) {
		String why = Explanations.format(lang, q.manyTactics() ? "why.tactics" : "why.severity");
		String tail = Explanations.format(lang, "tail", q.tactics(), q.severity().toPlainString(), why);
		// one severe signal alone: nothing was within reach of it
		if (q.members().size() == 1) {
			return Explanations.format(lang, "sequence.single", Explanations.gap(q.window(), lang), tail);
		}
		Map<Node, Integer> byKind = new LinkedHashMap<>();
		q.links().forEach(l -> byKind.merge(l.kind(), 1, Integer::sum));
		boolean identityOnly = q.identities() <= 1 && byKind.keySet().stream().allMatch(Loupe.identityKey::equals);
		if (identityOnly) {
			return Explanations.format(lang, "sequence.identity", q.members().size(), Explanations.gap(q.window(), lang),
					tail);
		}
		List<String> kinds = new ArrayList<>();
		byKind.forEach((kind, n) -> kinds.add(Explanations.format(lang, "kind.count", texts.label(kind, lang), n)));
		String joined = String.join(Explanations.format(lang, "separator"), kinds);
		return Explanations.format(lang, "sequence.linked", q.members().size(), q.identities(), joined,
				Explanations.gap(q.window(), lang), tail);
	}

	/**
	 * Makes the sequences and links of graph {@code g} those of {@code fresh} (what this wrote): takes out the
	 * {@link #FACTS} that are not in it, adds those that are new. A full run keeps the previous run's facts through
	 * the steps before the linker (they read signals by type) and writes only this difference: most sequences come
	 * out the same, and their 100K facts in the 1M-event bench cost more to take out and write again than the rest
	 * of the linker. Returns how many facts went and came.
	 */
	static long[] replace(DatasetGraph dsg, Node g, Graph fresh) {
		return GraphClear.replace(dsg, g, Keep.byType(FACTS), fresh);
	}

	private static Node time(Instant t) {
		return NodeFactory.createLiteralDT(t.toString(), XSDDatatype.XSDdateTime);
	}

	private void add(Node s, Node p, Node o) {
		sink.add(s, p, o);
	}
}
