package dev.loupe.core.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.loupe.core.store.AsnTable;

/** Tables of address ranges in the two shapes Loupe reads, and lines it cannot read. */
class AsnTableTest {
	private record Text(String name, String text) implements AsnTable.Part {
		@Override
		public InputStream open() {
			return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
		}
	}

	@Test
	void rangesAndNetworksOfBothFamilies() throws IOException {
		AsnTable t = AsnTable.read(List.of(new Text("ranges.csv", """
				1.0.0.0,1.0.0.255,13335,"Cloudflare, Inc."
				52.94.0.0,52.94.255.255,16509,Amazon.com, Inc.
				2001:db8::,2001:db8:0:ffff:ffff:ffff:ffff:ffff,64501,Example v6
				"""), new Text("blocks.csv", """
				network,autonomous_system_number,autonomous_system_organization
				198.51.100.0/24,AS64500,"Office ""Fibre"" Ltd"
				2001:db8:1::/48,64502,
				""")));
		assertEquals(5, t.size());
		assertEquals(new AsnTable.Owner(13335, "Cloudflare, Inc."), t.lookup("1.0.0.1"));
		assertEquals(new AsnTable.Owner(13335, "Cloudflare, Inc."), t.lookup("1.0.0.255"));
		assertNull(t.lookup("1.0.1.0"));
		assertEquals(new AsnTable.Owner(16509, "Amazon.com, Inc."), t.lookup("52.94.133.131"), "an unquoted name keeps its comma");
		assertEquals(new AsnTable.Owner(64500, "Office \"Fibre\" Ltd"), t.lookup("198.51.100.0"));
		assertEquals(64500, t.lookup("198.51.100.255").asn());
		assertNull(t.lookup("198.51.101.0"));
		assertEquals(64501, t.lookup("2001:db8::1").asn());
		assertEquals(64501, t.lookup("2001:db8:0:ffff::7").asn());
		assertEquals(new AsnTable.Owner(64502, ""), t.lookup("2001:db8:1:abcd::5"));
		assertNull(t.lookup("2001:db8:2::1"));
		assertNull(t.lookup("10.0.0.1"));
		assertNull(t.lookup("not an address"));
		assertTrue(t.problems().isEmpty(), t.problems().toString());
	}

	@Test
	void aLineThatIsNotARangeIsNamedAndTheRestAreRead() throws IOException {
		AsnTable t = AsnTable.read(List.of(new Text("mine.csv", """
				# office and VPN
				198.51.100.0,198.51.100.255,64500,Office
				198.51.100.9,198.51.100.1,64500,reversed
				203.0.113.0,203.0.113.255,sixty,Hosting
				203.0.113.0
				192.0.2.0,192.0.2.255,64511,VPN
				""")));
		assertEquals(2, t.size());
		assertEquals(64511, t.lookup("192.0.2.7").asn());
		assertEquals(List.of(
				"mine.csv:3: expected an address range (two addresses of one family, the first not after the last, or a network/prefix), found \"198.51.100.9,198.51.100.1,64500,reversed\"",
				"mine.csv:4: expected an AS number (digits, optionally after \"AS\"), found \"203.0.113.0,203.0.113.255,sixty,Hosting\"",
				"mine.csv:5: expected first,last,asn,organisation or network/prefix,asn,organisation, found \"203.0.113.0\""), t.problems());
	}

	@Test
	void aSnapshotIsTheSameTableAndADamagedOneIsRefused() throws IOException {
		AsnTable t = AsnTable.read(List.of(new Text("mine.csv", """
				198.51.100.0,198.51.100.255,64500,Office ""Fibre"" Ltd
				203.0.113.0,203.0.113.255,sixty,Hosting
				2001:db8::/32,64502,ネットワーク
				192.0.2.0/24,64511,"VPN, Inc."
				""")));
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		t.writeSnapshot(out);
		AsnTable again = AsnTable.readSnapshot(out.toByteArray());
		assertEquals(t.size(), again.size());
		for (String a : List.of("198.51.100.7", "192.0.2.255", "2001:db8:ffff::1", "203.0.113.5", "10.0.0.1", "2001:db9::1")) {
			assertEquals(t.lookup(a), again.lookup(a), a);
		}
		assertEquals("ネットワーク", again.lookup("2001:db8::1").organisation());
		assertEquals(t.problems(), again.problems());
		assertEquals(1, again.problems().size());
		byte[] cut = java.util.Arrays.copyOf(out.toByteArray(), out.size() - 9);
		assertThrows(IOException.class, () -> AsnTable.readSnapshot(cut));
		assertThrows(IOException.class, () -> AsnTable.readSnapshot("first,last,asn,org".getBytes(StandardCharsets.UTF_8)));
	}
}
