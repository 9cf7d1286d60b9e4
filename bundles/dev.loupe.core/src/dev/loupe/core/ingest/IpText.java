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

	/**
	 * Whether a canonical address is not reachable from the internet: private (RFC 1918), shared (RFC 6598),
	 * loopback, link-local, or IPv6 unique-local and link-local.
	 */
	public static boolean isPrivate(String canonical) {
		if (canonical.indexOf(':') >= 0) {
			String s = canonical.toLowerCase(Locale.ROOT);
			return s.equals("::1") || s.startsWith("fc") || s.startsWith("fd") || s.startsWith("fe8") || s.startsWith("fe9")
					|| s.startsWith("fea") || s.startsWith("feb");
		}
		String[] p = canonical.split("\\.");
		if (p.length != 4) {
			return false;
		}
		int a = Integer.parseInt(p[0]);
		int b = Integer.parseInt(p[1]);
		return a == 10 || a == 127 || a == 172 && b >= 16 && b <= 31 || a == 192 && b == 168 || a == 100 && b >= 64 && b <= 127
				|| a == 169 && b == 254;
	}
}
