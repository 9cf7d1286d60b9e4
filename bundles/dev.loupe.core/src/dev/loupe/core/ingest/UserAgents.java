package dev.loupe.core.ingest;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The client a user agent names. The AWS CLI and the SDKs add to their user agent what changes from call to call:
 * the command run ({@code command/s3.ls}, {@code md/command#s3.ls}), the service's client ({@code api/sts#1.26.2}),
 * the features a call used ({@code m/E,N,b}, {@code ft/s3-transfer}), a session ID ({@code sid/...}); S3 wraps the
 * user agent of its data events in brackets. Kept, every call of one client would be a user agent of its own: an
 * intruder's laptop would be a new client with every command (the same laptop behind two stolen keys would link
 * on nothing, the calls around a signal would be missed), and a person's daily CLI would be new to them with every
 * command they had not run before. The call's own record keeps the whole text.
 */
public final class UserAgents {
	private static final Pattern PER_CALL = Pattern.compile("(?<!\\S)(?:command/|md/command#|api/|m/|ft/|sid/)\\S*");
	private static final Pattern SPACES = Pattern.compile("\\s{2,}");
	/** A trail repeats a few thousand user agents a million times: 2 microseconds of regular expressions each, 2 s at 1M events. */
	private static final int CACHED = 20_000;
	private static final Map<String, String> CACHE = new ConcurrentHashMap<>();

	private UserAgents() {
	}

	/** The user agent without its per-call parts and brackets; a text that would be left empty is kept as it is. */
	public static String client(String ua) {
		String known = CACHE.get(ua);
		if (known != null) {
			return known;
		}
		if (CACHE.size() >= CACHED) {
			CACHE.clear();
		}
		String client = strip(ua);
		CACHE.put(ua, client);
		return client;
	}

	private static String strip(String ua) {
		String s = ua.strip();
		if (s.length() > 1 && s.charAt(0) == '[' && s.charAt(s.length() - 1) == ']') {
			s = s.substring(1, s.length() - 1).strip();
		}
		String out = SPACES.matcher(PER_CALL.matcher(s).replaceAll("")).replaceAll(" ").strip();
		return out.isEmpty() ? s : out;
	}
}
