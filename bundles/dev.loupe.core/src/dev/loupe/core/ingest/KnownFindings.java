package dev.loupe.core.ingest;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

import org.apache.jena.graph.Node;

/**
 * Which finding each finding node already stands for, in the store and in the files an ingest read before the
 * current one: by its key ({@code loupe:findingKey}, the format and a digest of what stays the same through the
 * finding's updates). A file whose first finding under an ID is another finding than the one the ID already names
 * gives it a node of its own: generated data reuses placeholder IDs ("00000000...", "example") file after file.
 * Keys are compared within a format only: a finding's GuardDuty and Security Hub copies describe it differently
 * and still meet on one node.
 */
public final class KnownFindings {
	/** Knows nothing, remembers nothing: a reader used on its own, outside an ingest. */
	public static final KnownFindings NONE = new KnownFindings(null);

	private final Supplier<Map<Node, Set<String>>> stored;
	private Map<Node, Set<String>> keys;
	/** The keys the file being read gave, known to the files after it only once it is kept. */
	private final Map<Node, Set<String>> pending = new HashMap<>();

	/** @param stored the keys the store holds, read when first needed; null: knows and remembers nothing */
	public KnownFindings(Supplier<Map<Node, Set<String>>> stored) {
		this.stored = stored;
	}

	/**
	 * Whether {@code finding} already stands for another finding of the same format than the one {@code key}
	 * names; if not, it stands for that one from now on.
	 * @param key the format, a colon, and the digest ("guardduty:4f0c...")
	 */
	public synchronized boolean another(Node finding, String key) {
		if (stored == null) {
			return false;
		}
		if (keys == null) {
			keys = new HashMap<>(stored.get());
		}
		String format = key.substring(0, key.indexOf(':') + 1);
		for (Map<Node, Set<String>> m : List.of(keys, pending)) {
			for (String k : m.getOrDefault(finding, Set.of())) {
				if (k.startsWith(format)) {
					return !k.equals(key);
				}
			}
		}
		pending.computeIfAbsent(finding, f -> new HashSet<>(2)).add(key);
		return false;
	}

	/** The file being read ended: its findings' keys are known from now on if it was kept, else forgotten. */
	public synchronized void fileEnded(boolean kept) {
		if (kept && keys != null) {
			pending.forEach((f, k) -> keys.computeIfAbsent(f, x -> new HashSet<>(2)).addAll(k));
		}
		pending.clear();
	}
}
