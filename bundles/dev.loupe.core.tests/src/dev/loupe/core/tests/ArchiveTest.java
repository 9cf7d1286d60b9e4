package dev.loupe.core.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.loupe.core.ingest.FileResult;
import dev.loupe.core.ingest.FileResult.Status;
import dev.loupe.core.ingest.Formats;
import dev.loupe.core.ingest.IngestReport;
import dev.loupe.core.store.EvidenceStore;

/**
 * Evidence handed over as archives (zip, tar, gzipped tar): each entry is a source named after the archive and
 * itself, read without unpacking by hand; the same files from another archive or unpacked add nothing; a damaged
 * archive is named and the others are read.
 */
class ArchiveTest {
	private static final String STOP = "aws.defense-evasion.cloudtrail-stop";
	private static final String USER = "aws.persistence.iam-create-admin-user";
	private static final String SECRETS = "aws.credential-access.secretsmanager-retrieve-secrets";

	/** Three recordings as a case's archive would hold them: one gzipped, in folders, with an archiver's extras. */
	private static Map<String, byte[]> entries() throws IOException {
		Map<String, byte[]> e = new LinkedHashMap<>();
		e.put("case-42/cloudtrail/" + STOP + ".json", Files.readAllBytes(Fixtures.stratus(STOP)));
		e.put("case-42/cloudtrail/" + USER + ".json", Files.readAllBytes(Fixtures.stratus(USER)));
		ByteArrayOutputStream gz = new ByteArrayOutputStream();
		try (OutputStream out = new GZIPOutputStream(gz)) {
			out.write(Files.readAllBytes(Fixtures.stratus(SECRETS)));
		}
		e.put("case-42/cloudtrail/" + SECRETS + ".json.gz", gz.toByteArray());
		e.put("case-42/README.txt", "Exported for the incident review.\n".getBytes());
		e.put("__MACOSX/case-42/._README.txt", new byte[] { 0, 5, 22, 7 });
		return e;
	}

	static Path zip(Path dir, String name) throws IOException {
		Path file = dir.resolve(name);
		try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(file))) {
			for (Map.Entry<String, byte[]> e : entries().entrySet()) {
				zip.putNextEntry(new ZipEntry(e.getKey()));
				zip.write(e.getValue());
				zip.closeEntry();
			}
		}
		return file;
	}

	static Path tar(Path dir, String name, boolean gzip) throws IOException {
		Path file = dir.resolve(name);
		try (OutputStream raw = Files.newOutputStream(file); OutputStream body = gzip ? new GZIPOutputStream(raw) : raw;
				TarArchiveOutputStream tar = new TarArchiveOutputStream(body)) {
			for (Map.Entry<String, byte[]> e : entries().entrySet()) {
				TarArchiveEntry entry = new TarArchiveEntry("./" + e.getKey());
				entry.setSize(e.getValue().length);
				tar.putArchiveEntry(entry);
				tar.write(e.getValue());
				tar.closeArchiveEntry();
			}
		}
		return file;
	}

	@Test
	void eachEntryOfAnArchiveIsASourceAndTheSameFilesElsewhereAddNothing(@TempDir Path dir) throws IOException {
		Path zip = zip(dir, "case-42.zip");
		Path tar = tar(dir, "case-42.tar", false);
		Path tgz = tar(dir, "case-42.tar.gz", true);
		Path unpacked = Files.createDirectories(dir.resolve("unpacked"));
		Files.copy(Fixtures.stratus(STOP), unpacked.resolve(STOP + ".json"));
		try (EvidenceStore store = EvidenceStore.open(dir.resolve("store"))) {
			IngestReport first = IngestTest.ingest(store, zip);
			List<FileResult> files = first.files();
			assertEquals(List.of(zip + "!/case-42/README.txt", zip + "!/case-42/cloudtrail/" + SECRETS + ".json.gz",
					zip + "!/case-42/cloudtrail/" + STOP + ".json", zip + "!/case-42/cloudtrail/" + USER + ".json"),
					files.stream().map(FileResult::file).toList(), "in name order, without the archiver's extras");
			assertEquals(Status.SKIPPED, files.get(0).status(), "a note in an archive is skipped, as in a folder");
			for (FileResult f : files.subList(1, 4)) {
				assertEquals(Status.INGESTED, f.status(), f.toString());
				assertEquals("cloudtrail", f.format());
			}
			long records = files.stream().mapToLong(FileResult::records).sum();
			assertEquals(Fixtures.arrayLength(Fixtures.stratus(STOP)) + Fixtures.arrayLength(Fixtures.stratus(USER))
					+ Fixtures.arrayLength(Fixtures.stratus(SECRETS)), records);
			long quads = store.quadCount();
			assertTrue(GuardDutyTest.select(store, "l", "?g loupe:location ?l").contains(zip + "!/case-42/cloudtrail/" + STOP + ".json"),
					"the provenance names the archive and the entry");

			for (Path same : List.of(tar, tgz, unpacked)) {
				IngestReport again = IngestTest.ingest(store, same);
				assertTrue(again.files().stream().allMatch(f -> f.status() != Status.INGESTED), again.files().toString());
				assertEquals(quads, store.quadCount(), same + " adds nothing");
			}
			assertTrue(IngestTest.ingest(store, tgz).files().stream().anyMatch(f -> f.file().equals(tgz + "!/case-42/cloudtrail/" + USER + ".json")),
					"a gzipped tar's entries are named like the others");
		}
	}

	@Test
	void aDamagedArchiveIsNamedAndTheOtherFilesAreRead(@TempDir Path dir) throws IOException {
		Path in = Files.createDirectories(dir.resolve("in"));
		byte[] whole = Files.readAllBytes(zip(dir, "whole.zip"));
		Files.write(in.resolve("cut.zip"), java.util.Arrays.copyOf(whole, whole.length / 2));
		byte[] tgz = Files.readAllBytes(tar(dir, "whole.tar.gz", true));
		Files.write(in.resolve("cut.tar.gz"), java.util.Arrays.copyOf(tgz, tgz.length * 2 / 3));
		Files.copy(Fixtures.stratus("aws.defense-evasion.cloudtrail-delete"), in.resolve("good.json"));
		try (EvidenceStore store = EvidenceStore.open(dir.resolve("store"))) {
			IngestReport r = IngestTest.ingest(store, in);
			FileResult cut = r.files().stream().filter(f -> f.file().endsWith("cut.zip")).findFirst().orElseThrow();
			assertTrue(cut.status() == Status.FAILED || cut.status() == Status.SKIPPED, cut.toString());
			assertTrue(cut.problems().get(0).message().contains("cannot read the zip archive"), cut.toString());
			FileResult cutTar = r.files().stream().filter(f -> f.file().endsWith("cut.tar.gz")).findFirst().orElseThrow();
			assertTrue(cutTar.problems().get(0).message().contains("cannot read the tar archive after"), cutTar.toString());
			assertTrue(r.files().stream().anyMatch(f -> f.file().endsWith("good.json") && f.status() == Status.INGESTED), r.files().toString());
		}
	}

	@Test
	void thePreviewCountsAnArchiveAsTheFilesItHolds(@TempDir Path dir) throws IOException {
		Formats.Preview p = Formats.preview(zip(dir, "case-42.zip"), 100);
		assertEquals(4, p.files());
		assertEquals(Map.of("cloudtrail", 3), p.formats());
		assertEquals(1, p.unrecognised());
	}
}
