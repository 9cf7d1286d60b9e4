package dev.loupe.core.ingest.findings;

import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.jena.graph.Node;
import org.apache.jena.graph.NodeFactory;

import dev.loupe.core.ingest.KnownFindings;
import dev.loupe.core.vocab.Ids;

/**
 * One file's finding IDs. A finding keeps its ID (and ARN) through its updates, so a file that gives one ID to
 * findings of different types, resources or start times uses the ID as a placeholder (generated or hand-made
 * data: "00000000...", "example"); the second and later of them get a node of their own, named by what tells them
 * apart, instead of merging into one finding with two types and two resources. Versions of one finding (the same
 * type, resources and start) still meet on one node, and the first keeps the plain one, which other sources of
 * the same finding (its Security Hub copy) name too. Across files, the ingest's {@link KnownFindings} says which
 * finding an ID already names: a later file's finding that is another one gets a node of its own too.
 */
final class FindingKeys {
	/** Plenty for a file of findings; past it, the least recently used keys are forgotten. */
	private static final int REMEMBERED = 100_000;

	/** Held in {@link #first} for an ID that an earlier file or ingest gave to another finding. */
	private static final String ANOTHERS = "\0another's";
	private final String format;
	private final KnownFindings known;
	private final Map<String, String> first = new LinkedHashMap<>(16, 0.75f, true) {
		private static final long serialVersionUID = 1L;

		@Override
		protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
			return size() > REMEMBERED;
		}
	};

	/** @param format the findings' format, which the keys name ("guardduty", "asff", "ocsf") */
	FindingKeys(String format, KnownFindings known) {
		this.format = format;
		this.known = known;
	}

	/**
	 * @param plain the node the ID names
	 * @param identity what stays the same through a finding's updates: its type, resources and start
	 */
	Node node(Node plain, String identity) {
		String seen = first.get(plain.getURI());
		if (seen == null) {
			seen = known.another(plain, key(identity)) ? ANOTHERS : identity;
			first.put(plain.getURI(), seen);
		}
		// the ID's own finding may still come later in a file that began with another one
		if (seen.equals(identity) || seen == ANOTHERS && !known.another(plain, key(identity))) {
			return plain;
		}
		return NodeFactory.createURI(plain.getURI() + "/variant-" + Ids.sha256(identity).substring(0, 16));
	}

	/** The finding's key (loupe:findingKey): the format and a digest of its identity. */
	String key(String identity) {
		return format + ":" + Ids.sha256(identity).substring(0, 16);
	}
}
