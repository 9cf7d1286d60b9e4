package dev.loupe.core.ingest;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import dev.loupe.core.ingest.cloudtrail.AthenaCsvReader;
import dev.loupe.core.ingest.cloudtrail.CloudTrailReader;
import dev.loupe.core.ingest.dns.ResolverQueryLogReader;
import dev.loupe.core.ingest.findings.AsffReader;
import dev.loupe.core.ingest.findings.GuardDutyReader;
import dev.loupe.core.ingest.findings.OcsfFindingReader;
import dev.loupe.core.ingest.k8s.KubernetesAuditReader;
import dev.loupe.core.ingest.ocsf.OcsfActivityReader;
import dev.loupe.core.ingest.parquet.ParquetReader;
import dev.loupe.core.ingest.s3.S3AccessLogReader;
import dev.loupe.core.ingest.vpcflow.VpcFlowReader;

/** The formats Loupe reads, recognised by the first bytes of a file (docs/FORMATS.md). */
public final class Formats {
	/** CloudTrail digest files: recognised, holding no events. */
	public static final String DIGEST = "cloudtrail-digest";
	/** Asked in this order; each recognises its format by content. */
	static final List<EvidenceReader> READERS = List.of(new ParquetReader(), new CloudWatchLogsReader(), new CloudTrailReader(), new AthenaCsvReader(), new AsffReader(), new OcsfFindingReader(),
			new GuardDutyReader(), new ResolverQueryLogReader(), new KubernetesAuditReader(), new VpcFlowReader(), new S3AccessLogReader(), new OcsfActivityReader());

	/** What a folder or file holds, as far as the first {@code maxFiles} files tell. */
	public record Preview(int files, Map<String, Integer> formats, int unrecognised, boolean sampled) {
	}

	private Formats() {
	}

	static boolean isDigest(String head) {
		return head.contains("\"digestStartTime\"") && head.contains("\"digestPublicKeyFingerprint\"");
	}

	/** The reader for a file starting with {@code head}, or null. */
	static EvidenceReader reader(String head) {
		return READERS.stream().filter(r -> r.accepts(head)).findFirst().orElse(null);
	}

	/** The reader for the messages of CloudWatch Logs events starting with {@code head} (no nested pages), or null. */
	static EvidenceReader innerReader(String head) {
		return READERS.stream().filter(r -> !(r instanceof CloudWatchLogsReader) && r.accepts(head)).findFirst().orElse(null);
	}

	/** The format a file would be read as, {@link #DIGEST}, or null when Loupe does not read it. */
	public static String recognise(Path file) throws IOException {
		return recognise(Source.of(file, true));
	}

	private static String recognise(Source source) throws IOException {
		String head = SourceFiles.head(source);
		if (TimestampedLines.matches(head)) {
			head = TimestampedLines.strip(head);
		}
		if (isDigest(head)) {
			return DIGEST;
		}
		EvidenceReader r = reader(head);
		return r == null ? null : r.format();
	}

	/** Counts the files under {@code path} and recognises the first {@code maxFiles} of them (reads their heads). */
	public static Preview preview(Path path, int maxFiles) throws IOException {
		List<Path> files = SourceFiles.expand(path);
		Map<String, Integer> formats = new TreeMap<>();
		int unrecognised = 0;
		int looked = 0;
		int total = files.size();
		try (Archives archives = new Archives()) {
			for (int i = 0; i < files.size() && looked < maxFiles; i++) {
				// an archive counts as the files it holds
				List<Source> sources = archives.sources(files.get(i), true);
				total += sources.size() - 1;
				for (Source s : sources.subList(0, Math.min(sources.size(), maxFiles - looked))) {
					looked++;
					String format;
					try {
						format = recognise(s);
					} catch (IOException e) {
						format = null; // an archive that cannot be read: the ingest names it
					}
					if (format == null) {
						unrecognised++;
					} else {
						formats.merge(format, 1, Integer::sum);
					}
				}
			}
		}
		return new Preview(total, formats, unrecognised, total > looked);
	}
}
