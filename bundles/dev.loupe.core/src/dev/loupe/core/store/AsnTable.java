package dev.loupe.core.store;

import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * Which autonomous system announces an address, from tables of address ranges. A line is either
 * {@code first,last,asn,organisation} (ip-location-db's asn-ipv4.csv and asn-ipv6.csv, the bundled table) or
 * {@code network/prefix,asn,organisation} (MaxMind's GeoLite2-ASN-Blocks CSV and its like); the organisation may be
 * quoted, a header line is skipped. A line that is neither is reported with its file and number and the rest are
 * read. Ranges must not overlap; they need not be sorted.
 */
public final class AsnTable {
	/** An autonomous system: its number and the organisation that operates it (may be empty). */
	public record Owner(long asn, String organisation) {
	}

	private static final long MAGIC = 0x4c4f555045415331L; // "LOUPEAS1"
	private static final AsnTable NONE = new AsnTable(new long[0], new long[0], new int[0], new long[0], new long[0], new long[0],
			new long[0], new int[0], new Owner[0], List.of());

	// IPv4: first and last address as unsigned 32-bit values in longs, sorted by first
	private final long[] v4First;
	private final long[] v4Last;
	private final int[] v4Owner;
	// IPv6: the high and low 64 bits of first and last, sorted by first (unsigned)
	private final long[] v6FirstHi;
	private final long[] v6FirstLo;
	private final long[] v6LastHi;
	private final long[] v6LastLo;
	private final int[] v6Owner;
	private final Owner[] owners;
	private final List<String> problems;

	private AsnTable(long[] v4First, long[] v4Last, int[] v4Owner, long[] v6FirstHi, long[] v6FirstLo, long[] v6LastHi,
			long[] v6LastLo, int[] v6Owner, Owner[] owners, List<String> problems) {
		this.v4First = v4First;
		this.v4Last = v4Last;
		this.v4Owner = v4Owner;
		this.v6FirstHi = v6FirstHi;
		this.v6FirstLo = v6FirstLo;
		this.v6LastHi = v6LastHi;
		this.v6LastLo = v6LastLo;
		this.v6Owner = v6Owner;
		this.owners = owners;
		this.problems = problems;
	}

	/** A table that knows no address. */
	public static AsnTable none() {
		return NONE;
	}

	/** One file of a table: its name (for problems) and how to open it; ".gz" names are gunzipped. */
	public interface Part {
		String name();

		InputStream open() throws IOException;
	}

	/** Reads the parts into one table. Lines that cannot be read are skipped and reported by {@link #problems()}. */
	public static AsnTable read(List<? extends Part> parts) throws IOException {
		Builder b = new Builder();
		for (Part part : parts) {
			try (InputStream raw = part.open();
					InputStream in = part.name().endsWith(".gz") ? new GZIPInputStream(raw, 1 << 16) : raw;
					BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16)) {
				String line;
				long n = 0;
				while ((line = r.readLine()) != null) {
					n++;
					b.line(part.name(), n, line);
				}
			}
		}
		return b.build();
	}

	/** The owner of a canonical address (see dev.loupe.core.ingest.IpText), or null when no range holds it. */
	public Owner lookup(String address) {
		if (address.indexOf(':') >= 0) {
			long[] v = Addresses.v6(address);
			if (v == null) {
				return null;
			}
			int lo = 0;
			int hi = v6FirstHi.length - 1;
			int found = -1;
			while (lo <= hi) {
				int mid = (lo + hi) >>> 1;
				if (compare(v6FirstHi[mid], v6FirstLo[mid], v[0], v[1]) <= 0) {
					found = mid;
					lo = mid + 1;
				} else {
					hi = mid - 1;
				}
			}
			return found >= 0 && compare(v[0], v[1], v6LastHi[found], v6LastLo[found]) <= 0 ? owners[v6Owner[found]] : null;
		}
		long v = Addresses.v4(address);
		if (v < 0) {
			return null;
		}
		int i = Arrays.binarySearch(v4First, v);
		int found = i >= 0 ? i : -i - 2;
		return found >= 0 && v <= v4Last[found] ? owners[v4Owner[found]] : null;
	}

	/** How many ranges the table holds. */
	public int size() {
		return v4First.length + v6FirstHi.length;
	}

	/** The lines that were skipped: file, line number and what was expected. */
	public List<String> problems() {
		return problems;
	}

	/**
	 * Writes the table as it is in memory, for {@link #readSnapshot}: reading 515K ranges from CSV took 0.5-0.8 s of
	 * each new process that looks an address up (docs/BENCHMARKS.md), a snapshot a few tens of milliseconds.
	 */
	public void writeSnapshot(OutputStream out) throws IOException {
		DataOutputStream d = new DataOutputStream(new BufferedOutputStream(out, 1 << 16));
		d.writeLong(MAGIC);
		d.writeInt(v4First.length);
		d.writeInt(v6FirstHi.length);
		d.writeInt(owners.length);
		d.writeInt(problems.size());
		ByteBuffer b = ByteBuffer.allocate(v4First.length * 20 + v6FirstHi.length * 36);
		b.asLongBuffer().put(v4First).put(v4Last).put(v6FirstHi).put(v6FirstLo).put(v6LastHi).put(v6LastLo);
		b.position((v4First.length * 2 + v6FirstHi.length * 4) * 8);
		b.asIntBuffer().put(v4Owner).put(v6Owner);
		d.write(b.array());
		for (Owner o : owners) {
			d.writeLong(o.asn());
			writeText(d, o.organisation());
		}
		for (String problem : problems) {
			writeText(d, problem);
		}
		d.flush();
	}

	/** Reads what {@link #writeSnapshot} wrote; throws IOException for anything else (a damaged file is read again from CSV). */
	public static AsnTable readSnapshot(byte[] bytes) throws IOException {
		try {
			ByteBuffer b = ByteBuffer.wrap(bytes);
			if (b.getLong() != MAGIC) {
				throw new IOException("not a snapshot of a table of autonomous systems");
			}
			int n4 = b.getInt();
			int n6 = b.getInt();
			int nOwners = b.getInt();
			int nProblems = b.getInt();
			long[][] longs = { new long[n4], new long[n4], new long[n6], new long[n6], new long[n6], new long[n6] };
			for (long[] a : longs) {
				b.asLongBuffer().get(a);
				b.position(b.position() + a.length * 8);
			}
			int[] owner4 = new int[n4];
			int[] owner6 = new int[n6];
			for (int[] a : new int[][] { owner4, owner6 }) {
				b.asIntBuffer().get(a);
				b.position(b.position() + a.length * 4);
			}
			Owner[] owners = new Owner[nOwners];
			for (int i = 0; i < nOwners; i++) {
				owners[i] = new Owner(b.getLong(), readText(b));
			}
			List<String> problems = new ArrayList<>(nProblems);
			for (int i = 0; i < nProblems; i++) {
				problems.add(readText(b));
			}
			for (int[] a : new int[][] { owner4, owner6 }) {
				for (int o : a) {
					if (o < 0 || o >= nOwners) {
						throw new IOException("a range names an owner the snapshot does not hold");
					}
				}
			}
			return new AsnTable(longs[0], longs[1], owner4, longs[2], longs[3], longs[4], longs[5], owner6, owners, List.copyOf(problems));
		} catch (RuntimeException e) {
			throw new IOException("a damaged snapshot of a table of autonomous systems: " + e, e);
		}
	}

	private static void writeText(DataOutputStream d, String text) throws IOException {
		byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
		d.writeInt(utf8.length);
		d.write(utf8);
	}

	private static String readText(ByteBuffer b) {
		byte[] utf8 = new byte[b.getInt()];
		b.get(utf8);
		return new String(utf8, StandardCharsets.UTF_8);
	}

	private static int compare(long hiA, long loA, long hiB, long loB) {
		int c = Long.compareUnsigned(hiA, hiB);
		return c != 0 ? c : Long.compareUnsigned(loA, loB);
	}

	/** Collects ranges line by line; sorts once at the end (the bundled files are sorted already). */
	private static final class Builder {
		private static final int MAX_PROBLEMS = 20;
		private final List<long[]> v4 = new ArrayList<>();
		private final List<long[]> v6 = new ArrayList<>();
		private final Map<Owner, Integer> ownerIds = new HashMap<>();
		private final List<Owner> owners = new ArrayList<>();
		private final List<String> problems = new ArrayList<>();
		private long skipped;

		void line(String file, long n, String line) {
			if (line.isBlank() || line.startsWith("#")) {
				return;
			}
			List<String> fields = Csv.fields(line);
			boolean cidr = !fields.isEmpty() && fields.get(0).indexOf('/') >= 0;
			int asnAt = cidr ? 1 : 2;
			if (fields.size() <= asnAt) {
				problem(file, n, line, "first,last,asn,organisation or network/prefix,asn,organisation");
				return;
			}
			long[] range = cidr ? Addresses.cidr(fields.get(0)) : Addresses.range(fields.get(0), fields.get(1));
			long asn = parseAsn(fields.get(asnAt));
			if (range == null || asn < 0) {
				if (n == 1) {
					return; // a header
				}
				problem(file, n, line, range == null ? "an address range (two addresses of one family, the first not after the last, or a network/prefix)"
						: "an AS number (digits, optionally after \"AS\")");
				return;
			}
			// an unquoted name with commas in it is still one name
			String organisation = String.join(",", fields.subList(Math.min(asnAt + 1, fields.size()), fields.size())).strip();
			Owner owner = new Owner(asn, organisation);
			int id = ownerIds.computeIfAbsent(owner, o -> {
				owners.add(o);
				return owners.size() - 1;
			});
			long[] entry = Arrays.copyOf(range, range.length + 1);
			entry[range.length] = id;
			(range.length == 2 ? v4 : v6).add(entry);
		}

		private void problem(String file, long n, String line, String expected) {
			skipped++;
			if (problems.size() < MAX_PROBLEMS) {
				String shown = line.length() > 80 ? line.substring(0, 80) + "..." : line;
				problems.add(file + ":" + n + ": expected " + expected + ", found \"" + shown + "\"");
			}
		}

		private static long parseAsn(String text) {
			String s = text.strip();
			if (s.regionMatches(true, 0, "AS", 0, 2)) {
				s = s.substring(2);
			}
			if (s.isEmpty() || s.length() > 10) {
				return -1;
			}
			for (int i = 0; i < s.length(); i++) {
				if (s.charAt(i) < '0' || s.charAt(i) > '9') {
					return -1;
				}
			}
			long v = Long.parseLong(s);
			return v <= 0xFFFFFFFFL ? v : -1;
		}

		AsnTable build() {
			v4.sort((a, b) -> Long.compare(a[0], b[0]));
			v6.sort((a, b) -> compare(a[0], a[1], b[0], b[1]));
			int n4 = v4.size();
			long[] first = new long[n4];
			long[] last = new long[n4];
			int[] owner4 = new int[n4];
			for (int i = 0; i < n4; i++) {
				long[] e = v4.get(i);
				first[i] = e[0];
				last[i] = e[1];
				owner4[i] = (int) e[2];
			}
			int n6 = v6.size();
			long[] fHi = new long[n6];
			long[] fLo = new long[n6];
			long[] lHi = new long[n6];
			long[] lLo = new long[n6];
			int[] owner6 = new int[n6];
			for (int i = 0; i < n6; i++) {
				long[] e = v6.get(i);
				fHi[i] = e[0];
				fLo[i] = e[1];
				lHi[i] = e[2];
				lLo[i] = e[3];
				owner6[i] = (int) e[4];
			}
			List<String> reported = new ArrayList<>(problems);
			if (skipped > problems.size()) {
				reported.add((skipped - problems.size()) + " more lines skipped");
			}
			return new AsnTable(first, last, owner4, fHi, fLo, lHi, lLo, owner6, owners.toArray(Owner[]::new), List.copyOf(reported));
		}
	}
}
