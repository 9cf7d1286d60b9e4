package dev.loupe.core.reason;

import java.text.MessageFormat;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.ResourceBundle;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.jena.graph.Graph;
import org.apache.jena.graph.Node;
import org.apache.jena.graph.Triple;
import org.apache.jena.vocabulary.RDFS;

/**
 * The sentences that explain sequences and links, in English or Japanese (explanations*.properties). A sequence's
 * is stored with it; a link's is written when it is read, from the link's kind, shared entity and time gap: a
 * large run has tens of thousands of links, and two stored sentences each were a fifth of what it wrote.
 */
final class Explanations {

	private static final Map<String, ResourceBundle> BUNDLES = new ConcurrentHashMap<>();
	/** Parsed once: a large run formats tens of thousands of texts. */
	private static final Map<String, MessageFormat> FORMATS = new ConcurrentHashMap<>();

	private final Graph union;
	private final Map<String, String> labels = new HashMap<>();

	/** Reads labels from {@code union} (the store's union graph, in the caller's transaction). */
	Explanations(Graph union) {
		this.union = union;
	}

	/** Why two signals are linked: "same identity alice, 2 h later". */
	String link(Node kind, Node shared, Duration gap, String lang) {
		return format(lang, "link", label(kind, lang), label(shared, lang), gap(gap, lang));
	}

	/** The entity's label in the language, else in English, else any, else its IRI. */
	String label(Node n, String lang) {
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

	/** A text in "en" or "ja"; any other language gets the English one. */
	static String format(String lang, String key, Object... args) {
		String l = "ja".equals(lang) ? "ja" : "en";
		MessageFormat f = FORMATS.computeIfAbsent(l + " " + key, k -> {
			ResourceBundle b = BUNDLES.computeIfAbsent(l, x -> ResourceBundle.getBundle("dev.loupe.core.reason.explanations",
					Locale.forLanguageTag(x), Explanations.class.getClassLoader(),
					ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES)));
			return new MessageFormat(b.getString(key), Locale.ROOT);
		});
		synchronized (f) { // a MessageFormat is not safe for concurrent use
			return f.format(args);
		}
	}
}
