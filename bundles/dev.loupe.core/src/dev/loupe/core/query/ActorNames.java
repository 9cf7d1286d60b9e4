package dev.loupe.core.query;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Names for principals that a reader can tell apart: recordings made in several accounts, and organisations, reuse
 * user and role names, and ten rows reading "admin" tell nothing. A name that several principals share is followed
 * by each one's account ("admin · 111122223333"); the others stay as they are. For what people read (views); the
 * reports keep each principal's own name beside its IRI.
 */
public final class ActorNames {
	/** The account in a principal's IRI (made from its ARN: arn:aws:iam::123456789012:user/alice). */
	private static final Pattern ACCOUNT = Pattern.compile(":(\\d{12}):");

	private ActorNames() {
	}

	/** @param labels each principal's IRI and name */
	public static Map<String, String> distinct(Map<String, String> labels) {
		Map<String, Integer> named = new HashMap<>();
		labels.values().forEach(l -> named.merge(l, 1, Integer::sum));
		Map<String, String> out = new LinkedHashMap<>();
		labels.forEach((iri, label) -> out.put(iri, named.get(label) > 1 ? withAccount(iri, label) : label));
		return out;
	}

	/** Adds a principal's name to {@code labels} (the first name given for it stays; nothing when either is null). */
	public static void note(Map<String, String> labels, String iri, String label) {
		if (iri != null && label != null) {
			labels.putIfAbsent(iri, label);
		}
	}

	private static String withAccount(String iri, String label) {
		Matcher account = ACCOUNT.matcher(iri);
		return account.find() ? label + " · " + account.group(1) : label;
	}
}
