package dev.loupe.core.ingest;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Canonical text of an address in sourceIPAddress, or null when the field names a service or host
 * ("cloudtrail.amazonaws.com", "AWS Internal"). Zero-padded IPv4 octets, as some anonymised data has, are read
 * as decimal. No name is ever resolved: evidence must not make Loupe touch the network.
 */
public final class IpText {
	private static final Pattern V4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
	private static final Pattern V6 = Pattern.compile("[0-9A-Fa-f:.]+");

	private IpText() {
	}

	public static String canonical(String raw) {
		String s = raw.strip();
		if (V4.matcher(s).matches()) {
			String[] parts = s.split("\\.");
			StringBuilder sb = new StringBuilder();
			for (String part : parts) {
				int v = Integer.parseInt(part);
				if (v > 255) {
					return null;
				}
				sb.append(sb.isEmpty() ? "" : ".").append(v);
			}
			return sb.toString();
		}
		if (s.indexOf(':') >= 0 && s.chars().filter(c -> c == ':').count() >= 2 && V6.matcher(s).matches()) {
			return s.toLowerCase(Locale.ROOT);
		}
		return null;
	}
}
