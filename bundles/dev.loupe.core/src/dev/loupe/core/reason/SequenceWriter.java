package dev.loupe.core.reason;

import java.math.BigDecimal;
import java.text.MessageFormat;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ResourceBundle;

import org.apache.jena.datatypes.xsd.XSDDatatype;
import org.apache.jena.graph.Graph;
import org.apache.jena.graph.Node;
import org.apache.jena.graph.NodeFactory;
import org.apache.jena.graph.Triple;
import org.apache.jena.sparql.core.DatasetGraph;
import org.apache.jena.vocabulary.RDF;
import org.apache.jena.vocabulary.RDFS;

import dev.loupe.core.vocab.Ids;
import dev.loupe.core.vocab.Loupe;

/**
 * Writes one attack sequence of linked signals into the inferred graph: its members, its links (the shared key,
 * its kind and the time between the two signals), and explanations in English and Japanese. The explanation
 * texts are in explanations*.properties, since they are stored, not shown through a view's Messages.
 */
final class SequenceWriter {

	record Group(List<Node> members, Instant start, Instant end, BigDecimal severity, long tactics,
			boolean manyTactics, List<Linker.Link> links, Node actor, long identities, Duration window) {
	}

	static final Node RULE = NodeFactory.createURI(Loupe.RULE_NS + "linked-signals");
	private static final List<String> LANGUAGES = List.of("en", "ja");

	private final Graph union;
	private final Graph sink;

	/** Reads labels from the store's {@code dsg}, writes into {@code sink}. */
	SequenceWriter(DatasetGraph dsg, Graph sink) {
		this.union = dsg.getUnionGraph();
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
			for (String lang : LANGUAGES) {
				add(link, Loupe.explanation, NodeFactory.createLiteralLang(format(lang, "link",
						label(l.kind(), lang), label(l.shared(), lang), gap(l.gap(), lang)), lang));
			}
		}
		for (String lang : LANGUAGES) {
			add(seq, Loupe.explanation, NodeFactory.createLiteralLang(explain(q, lang), lang));
		}
	}

	private String explain(Group q, String lang) {
		String why = format(lang, q.manyTactics() ? "why.tactics" : "why.severity");
		String tail = format(lang, "tail", q.tactics(), q.severity().toPlainString(), why);
		Map<Node, Integer> byKind = new LinkedHashMap<>();
		q.links().forEach(l -> byKind.merge(l.kind(), 1, Integer::sum));
		boolean identityOnly = q.identities() <= 1 && byKind.keySet().stream().allMatch(Loupe.identityKey::equals);
		if (identityOnly) {
			return format(lang, "sequence.identity", q.members().size(), gap(q.window(), lang), tail);
		}
		List<String> kinds = new ArrayList<>();
		byKind.forEach((kind, n) -> kinds.add(format(lang, "kind.count", label(kind, lang), n)));
		return format(lang, "sequence.linked", q.members().size(), q.identities(), String.join(format(lang, "separator"), kinds),
				gap(q.window(), lang), tail);
	}

	private final Map<String, String> labels = new java.util.HashMap<>();

	/** The entity's label in the language, else in English, else any, else its IRI. */
	private String label(Node n, String lang) {
		return labels.computeIfAbsent(lang + " " + n, k -> lookUpLabel(n, lang));
	}

	private String lookUpLabel(Node n, String lang) {
		String any = null;
		String english = null;
		for (Iterator<Triple> it = union.find(n, RDFS.label.asNode(), Node.ANY); it.hasNext();) {
			Node o = it.next().getObject();
			if (!o.isLiteral()) {
				continue;
			}
			String l = o.getLiteralLanguage();
			if (l.equalsIgnoreCase(lang)) {
				return o.getLiteralLexicalForm();
			}
			if (l.equalsIgnoreCase("en")) {
				english = o.getLiteralLexicalForm();
			} else if (any == null) {
				any = o.getLiteralLexicalForm();
			}
		}
		return english != null ? english : any != null ? any : n.toString();
	}

	static String gap(Duration d, String lang) {
		long minutes = d.toMinutes();
		if (minutes < 1) {
			return format(lang, "gap.seconds", d.toSeconds());
		}
		if (minutes < 60) {
			return format(lang, "gap.minutes", minutes);
		}
		return minutes % 60 == 0 ? format(lang, "gap.hours", minutes / 60) : format(lang, "gap.hoursMinutes", minutes / 60, minutes % 60);
	}

	private static final Map<String, ResourceBundle> BUNDLES = new java.util.concurrent.ConcurrentHashMap<>();
	/** Parsed once: a run formats four texts per link, tens of thousands in a large one. */
	private static final Map<String, MessageFormat> FORMATS = new java.util.concurrent.ConcurrentHashMap<>();

	private static String format(String lang, String key, Object... args) {
		MessageFormat f = FORMATS.computeIfAbsent(lang + " " + key, k -> {
			ResourceBundle b = BUNDLES.computeIfAbsent(lang, l -> ResourceBundle.getBundle("dev.loupe.core.reason.explanations",
					Locale.forLanguageTag(l), SequenceWriter.class.getClassLoader(),
					ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES)));
			return new MessageFormat(b.getString(key), Locale.ROOT);
		});
		synchronized (f) { // a MessageFormat is not safe for concurrent use
			return f.format(args);
		}
	}

	private static Node time(Instant t) {
		return NodeFactory.createLiteralDT(t.toString(), XSDDatatype.XSDdateTime);
	}

	private void add(Node s, Node p, Node o) {
		sink.add(s, p, o);
	}
}
