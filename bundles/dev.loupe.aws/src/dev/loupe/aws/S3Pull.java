package dev.loupe.aws;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPOutputStream;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.SubMonitor;

import com.fasterxml.jackson.databind.JsonNode;

import dev.loupe.core.ingest.Formats;
import dev.loupe.core.ingest.JsonRecords;
import dev.loupe.core.ingest.Redaction;
import dev.loupe.core.ingest.SourceFiles;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Log objects under a bucket prefix (CloudTrail's and flow logs' {@code AWSLogs/ACCOUNT/SERVICE/REGION/Y/M/D/}
 * layout, Resolver and EKS exports, anything Loupe reads), listed and downloaded a few at a time into
 * {@code OUT/s3/BUCKET/KEY}. An object belongs to the window by the date in its key when it has one (a file of
 * a day may hold the last minutes of the day before), else by when it was written. Each object is written whole
 * or not at all, so a pull that stops resumes with the objects it does not have yet. CloudTrail objects have the
 * credentials AssumeRole handed out taken out before they are kept.
 */
final class S3Pull {
	static final int PARALLEL = 4;
	private static final Pattern DAY = Pattern.compile("/(\\d{4})/(\\d{2})/(\\d{2})/");

	private S3Pull() {
	}

	static PullReport.Part run(AwsClients clients, PullRequest r, PullRequest.S3Location location, IProgressMonitor monitor) {
		Path folder = r.out().resolve("s3").resolve(location.bucket());
		SubMonitor sub = SubMonitor.convert(monitor, 100);
		List<Path> saved = Collections.synchronizedList(new ArrayList<>());
		List<String> failures = Collections.synchronizedList(new ArrayList<>());
		AtomicInteger inWindow = new AtomicInteger();
		String error = null;
		ExecutorService pool = Executors.newFixedThreadPool(PARALLEL);
		Semaphore inFlight = new Semaphore(PARALLEL * 4); // bounded: a huge bucket is never listed into memory whole
		List<Future<?>> pending = new ArrayList<>();
		try (S3Client s3 = clients.s3(r.regions().get(0))) {
			for (S3Object o : s3.listObjectsV2Paginator(b -> b.bucket(location.bucket()).prefix(location.prefix())).contents()) {
				if (sub.isCanceled()) {
					break;
				}
				if (o.key().endsWith("/") || !inWindow(o, r.since(), r.until())) {
					continue;
				}
				inWindow.incrementAndGet();
				Path target = target(folder, o.key());
				if (target == null) {
					failures.add(o.key() + ": a key that leaves the pull folder is not saved");
					continue;
				}
				if (Files.exists(target)) {
					continue; // saved by an earlier pull: objects are written whole or not at all
				}
				inFlight.acquireUninterruptibly();
				pending.add(pool.submit(() -> {
					try {
						if (!sub.isCanceled()) {
							download(s3, location.bucket(), o.key(), target);
							saved.add(target);
						}
					} catch (SdkException e) {
						failures.add(o.key() + ": " + Pulls.describe(e));
					} catch (UncheckedIOException e) {
						failures.add(o.key() + ": " + e.getMessage());
					} finally {
						inFlight.release();
					}
				}));
				pending.removeIf(Future::isDone);
				sub.setWorkRemaining(100).worked(1);
			}
			for (Future<?> f : pending) {
				f.get();
			}
		} catch (SdkException e) {
			error = Pulls.describe(e);
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			error = "interrupted";
		} catch (java.util.concurrent.ExecutionException e) {
			error = "cannot save an object: " + e.getCause();
		} finally {
			pool.shutdownNow();
		}
		if (error == null && !failures.isEmpty()) {
			error = failures.size() + " object(s) not saved; the first: " + failures.get(0);
		}
		return new PullReport.Part(PullRequest.Service.S3, r.regions().get(0), location.toString(), saved.size(),
				inWindow.get(), false, error, List.copyOf(saved), folder, failures.size(), null);
	}

	static boolean inWindow(S3Object o, Instant since, Instant until) {
		Matcher m = DAY.matcher("/" + o.key());
		LocalDate day = null;
		while (m.find()) {
			try {
				day = LocalDate.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)));
			} catch (java.time.DateTimeException e) {
				day = null; // a path segment that only looks like a date
			}
		}
		if (day != null) {
			LocalDate from = since.atZone(ZoneOffset.UTC).toLocalDate();
			LocalDate to = until.atZone(ZoneOffset.UTC).toLocalDate().plusDays(1);
			return !day.isBefore(from) && !day.isAfter(to);
		}
		Instant written = o.lastModified();
		return written == null || !written.isBefore(since) && !written.isAfter(until.plus(Duration.ofDays(1)));
	}

	/** Where a key is saved, or null when it would land outside the folder ("../" in a key). */
	static Path target(Path folder, String key) {
		Path t = folder.resolve(key).normalize();
		return t.startsWith(folder.normalize()) && !t.equals(folder.normalize()) ? t : null;
	}

	private static void download(S3Client s3, String bucket, String key, Path target) {
		try {
			Files.createDirectories(target.getParent());
			// hidden while incomplete: ingesting the folder meanwhile does not read half an object
			Path tmp = target.resolveSibling("." + target.getFileName() + ".part");
			Files.deleteIfExists(tmp);
			s3.getObject(b -> b.bucket(bucket).key(key), ResponseTransformer.toFile(tmp));
			redactCloudTrail(tmp, key.endsWith(".gz"));
			Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
		} catch (IOException e) {
			throw new UncheckedIOException("cannot save " + target + ": " + e.getMessage(), e);
		}
	}

	/** CloudTrail objects: the session tokens in AssumeRole answers are taken out; other objects are kept as they are. */
	static void redactCloudTrail(Path file, boolean gzip) throws IOException {
		if (!"cloudtrail".equals(Formats.recognise(file))) {
			return;
		}
		JsonNode root;
		try (InputStream in = SourceFiles.open(file)) {
			root = JsonRecords.JSON.readTree(in);
		} catch (IOException e) {
			return; // not whole JSON: the ingester reports where it breaks
		}
		int removed = 0;
		for (JsonNode event : root.isArray() ? root : root.path("Records")) {
			removed += Redaction.redact(event);
		}
		if (removed == 0) {
			return;
		}
		try (OutputStream out = gzip ? new GZIPOutputStream(Files.newOutputStream(file)) : Files.newOutputStream(file)) {
			JsonRecords.JSON.writeValue(out, root);
		}
	}
}
