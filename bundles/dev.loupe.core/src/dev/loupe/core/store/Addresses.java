package dev.loupe.core.store;

/**
 * Addresses as numbers, for range tables. Written by hand rather than with InetAddress, which would resolve a
 * name it was given: a table or a record must never make Loupe touch the network.
 */
final class Addresses {
	private Addresses() {
	}

	/** An IPv4 address in dotted form as an unsigned 32-bit value, or -1. */
	static long v4(String s) {
		long value = 0;
		int parts = 0;
		int i = 0;
		int n = s.length();
		while (i <= n) {
			int start = i;
			int octet = 0;
			while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9' && i - start < 3) {
				octet = octet * 10 + (s.charAt(i) - '0');
				i++;
			}
			if (i == start || octet > 255) {
				return -1;
			}
			value = value << 8 | octet;
			parts++;
			if (i == n) {
				break;
			}
			if (s.charAt(i) != '.' || parts == 4) {
				return -1;
			}
			i++;
		}
		return parts == 4 ? value : -1;
	}

	/** An IPv6 address (with "::" and a trailing dotted IPv4 part allowed) as its high and low 64 bits, or null. */
	static long[] v6(String s) {
		if (s.indexOf(':') < 0) {
			return null;
		}
		int[] groups = new int[8];
		int count = 0;
		int gap = -1;
		int i = 0;
		int n = s.length();
		if (s.startsWith("::")) {
			gap = 0;
			i = 2;
		}
		while (i < n) {
			int start = i;
			int g = 0;
			while (i < n && Character.digit(s.charAt(i), 16) >= 0 && i - start < 4) {
				g = g << 4 | Character.digit(s.charAt(i), 16);
				i++;
			}
			if (i < n && s.charAt(i) == '.') {
				// the last 32 bits written as IPv4
				long v4 = v4(s.substring(start));
				if (v4 < 0 || count > 6) {
					return null;
				}
				groups[count++] = (int) (v4 >>> 16);
				groups[count++] = (int) (v4 & 0xFFFF);
				i = n;
				break;
			}
			if (i == start || count == 8) {
				return null;
			}
			groups[count++] = g;
			if (i == n) {
				break;
			}
			if (s.charAt(i) != ':') {
				return null;
			}
			i++;
			if (i < n && s.charAt(i) == ':') {
				if (gap >= 0) {
					return null;
				}
				gap = count;
				i++;
			} else if (i == n) {
				return null;
			}
		}
		if (gap < 0 ? count != 8 : count > 7) {
			return null;
		}
		int[] full = new int[8];
		if (gap < 0) {
			full = groups;
		} else {
			int tail = count - gap;
			System.arraycopy(groups, 0, full, 0, gap);
			System.arraycopy(groups, gap, full, 8 - tail, tail);
		}
		long hi = 0;
		long lo = 0;
		for (int k = 0; k < 4; k++) {
			hi = hi << 16 | full[k];
			lo = lo << 16 | full[k + 4];
		}
		return new long[] { hi, lo };
	}

	/** {first, last} for IPv4, {firstHi, firstLo, lastHi, lastLo} for IPv6, or null (mixed, reversed or not addresses). */
	static long[] range(String first, String last) {
		String a = first.strip();
		String b = last.strip();
		if (a.indexOf(':') < 0 && b.indexOf(':') < 0) {
			long x = v4(a);
			long y = v4(b);
			return x >= 0 && y >= x ? new long[] { x, y } : null;
		}
		long[] x = v6(a);
		long[] y = v6(b);
		if (x == null || y == null || Long.compareUnsigned(x[0], y[0]) > 0 || x[0] == y[0] && Long.compareUnsigned(x[1], y[1]) > 0) {
			return null;
		}
		return new long[] { x[0], x[1], y[0], y[1] };
	}

	/** A network/prefix as a range, as {@link #range} gives it, or null. */
	static long[] cidr(String text) {
		String s = text.strip();
		int slash = s.indexOf('/');
		String address = s.substring(0, slash);
		int prefix;
		try {
			prefix = Integer.parseInt(s.substring(slash + 1));
		} catch (NumberFormatException e) {
			return null;
		}
		if (address.indexOf(':') < 0) {
			long v = v4(address);
			if (v < 0 || prefix < 0 || prefix > 32) {
				return null;
			}
			long host = prefix == 0 ? 0xFFFFFFFFL : (1L << (32 - prefix)) - 1;
			return new long[] { v & ~host & 0xFFFFFFFFL, v | host };
		}
		long[] v = v6(address);
		if (v == null || prefix < 0 || prefix > 128) {
			return null;
		}
		long hostHi = prefix >= 64 ? 0 : prefix == 0 ? -1L : -1L >>> prefix;
		long hostLo = prefix >= 64 ? (prefix == 128 ? 0 : -1L >>> (prefix - 64)) : -1L;
		return new long[] { v[0] & ~hostHi, v[1] & ~hostLo, v[0] | hostHi, v[1] | hostLo };
	}
}
