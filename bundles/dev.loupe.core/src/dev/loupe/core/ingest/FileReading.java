package dev.loupe.core.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;

import org.apache.jena.graph.Node;
import org.apache.jena.graph.Triple;

import dev.loupe.core.ingest.FileResult.Status;
import dev.loupe.core.store.EvidenceRecord;
import dev.loupe.core.store.Summaries;
import dev.loupe.core.vocab.Ids;
import dev.loupe.core.vocab.Loupe;

/**
 * The reading half of an ingest, on its own thread: hashes, recognises, parses and maps each file in turn and
 * hands the facts over in chunks, while the caller's thread writes them into the store (TDB2 write
 * transactions belong to one thread). On two cores, parsing and mapping then overlap with the index writes
 * instead of adding to them. Memory is bounded by the queue, not by the input.
 */
final class FileReading implements Runnable {
	/** What the writing side receives, in file order. */
	sealed interface Piece {
	}

	/** Facts of file {@code index} follow, for {@code graph}. */
	record Begin(int index, Node graph) implements Piece {
	}

	record Facts(List<Triple> triples) implements Piece {
	}

	/**
	 * File {@code index} ended. {@code result} says what became of it; when it is INGESTED, the activity and
	 * summaries are to be written with it, otherwise the facts sent since its Begin are to be taken back.
	 */
	record End(int index, FileResult result, EntityActivity activity, Summaries summaries) implements Piece {
	}

	/** Every file was read. */
	record Done() implements Piece {
	}

	/** The reading thread failed in a way no file explains (a bug): the ingest stops with it. */
	record Crash(RuntimeException error) implements Piece {
	}

	/** Problems kept per file in the report and the provenance; the count is always complete. */
	static final int MAX_PROBLEMS_KEPT = 200;
	private static final int CHUNK = 1024;

	private final List<Source> files;
	private final BlockingQueue<Piece> out;
	private final AtomicBoolean stop;
	/** Whether the store already holds the source; sees only committed sources (the writer holds its own). */
	private final Predicate<Node> committed;
	/** Sources read in this run: a second copy of a file is already present once the first is written. */
	private final Set<String> readInThisRun = new HashSet<>();
	private final KnownFindings findings;
	/** Whether the file being read is written (else what it said of findings is forgotten). */
	private boolean kept;

	FileReading(List<Source> files, BlockingQueue<Piece> out, AtomicBoolean stop, Predicate<Node> committed, KnownFindings findings) {
		this.files = files;
		this.out = out;
		this.stop = stop;
		this.committed = committed;
		this.findings = findings;
	}

	@Override
	public void run() {
		try {
			for (int i = 0; i < files.size() && !stop.get(); i++) {
				kept = false;
				read(i);
				findings.fileEnded(kept);
			}
			send(new Done());
		} catch (RuntimeException e) {
			send(new Crash(e));
		}
	}

	private void read(int index) {
		Source file = files.get(index);
		String name = file.name();
		String sha;
		String head;
		try {
			sha = SourceFiles.sha256(file);
			head = SourceFiles.head(file);
		} catch (IOException e) {
			end(index, failed(name, null, "cannot read the file: " + e.getMessage()));
			return;
		}
		Node graph = Ids.sourceGraph(sha);
		if (readInThisRun.contains(sha) || committed.test(graph)) {
			end(index, new FileResult(name, Status.ALREADY_PRESENT, null, sha, 0, 0, 0, List.of()));
			return;
		}
		if (Formats.isDigest(head)) {
			end(index, new FileResult(name, Status.SKIPPED, Formats.DIGEST, sha, 0, 0, 0,
					List.of(new ParseProblem(name, 0, 0, 0, "CloudTrail digest file: kept for integrity checks, holds no events"))));
			return;
		}
		boolean stamped = TimestampedLines.matches(head);
		EvidenceReader reader = Formats.reader(stamped ? TimestampedLines.strip(head) : head);
		if (reader == null) {
			String why = "not a format Loupe reads (expected CloudTrail events, GuardDuty or Security Hub (ASFF, OCSF) findings, VPC"
					+ " Flow Logs, Route 53 Resolver query logs, Kubernetes audit logs, S3 server access logs or CloudWatch Logs pages;"
					+ " see docs/FORMATS.md)";
			end(index, file.named() ? failed(name, sha, why)
					: new FileResult(name, Status.SKIPPED, null, sha, 0, 0, 0, List.of(new ParseProblem(name, 0, 0, 0, why))));
			return;
		}
		send(new Begin(index, graph));
		ChunkSink sink = new ChunkSink();
		try (InputStream raw = SourceFiles.open(file); InputStream in = stamped ? TimestampedLines.strip(raw) : raw) {
			reader.read(in, name, sink);
		} catch (IOException e) {
			sink.flush();
			end(index, failed(name, sha, "cannot read the file: " + e.getMessage()));
			return;
		}
		sink.recordDone(); // facts after the last record, if a reader left any
		sink.flush();
		if (sink.records == 0 && sink.problemCount > 0) {
			// a source with no readable record is a failure, not an empty source
			end(index, new FileResult(name, Status.FAILED, reader.format(), sha, 0, 0, sink.problemCount, sink.problems));
			return;
		}
		readInThisRun.add(sha);
		kept = true;
		FileResult ok = new FileResult(name, Status.INGESTED, reader.format(), sha, sink.records, 0, sink.problemCount,
				sink.problems);
		send(new End(index, ok, sink.activity, sink.summaries));
	}

	private void end(int index, FileResult result) {
		send(new End(index, result, null, null));
	}

	static FileResult failed(String name, String sha, String why) {
		return new FileResult(name, Status.FAILED, null, sha, 0, 0, 1, List.of(new ParseProblem(name, 0, 0, 0, why)));
	}

	/** Hands a piece over; gives up when the writing side stopped (it then no longer takes any). */
	private void send(Piece p) {
		try {
			while (!out.offer(p, 100, TimeUnit.MILLISECONDS)) {
				if (stop.get()) {
					return;
				}
			}
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			stop.set(true);
		}
	}

	/** Collects a file's facts into chunks, and what the summaries need of each record. */
	private final class ChunkSink implements RecordSink {
		final List<ParseProblem> problems = new ArrayList<>();
		final EntityActivity activity = new EntityActivity();
		final Summaries summaries = new Summaries();
		private List<Triple> chunk = new ArrayList<>(CHUNK);
		private final List<Triple> current = new ArrayList<>();
		long records;
		long problemCount;

		@Override
		public void triple(Triple t) {
			chunk.add(t);
			current.add(t);
			if (chunk.size() >= CHUNK) {
				flush();
			}
		}

		@Override
		public void late(Triple t) {
			// not a record's: neither counted as one nor read for the activity summaries
			chunk.add(t);
			if (chunk.size() >= CHUNK) {
				flush();
			}
		}

		void flush() {
			if (!chunk.isEmpty()) {
				send(new Facts(chunk));
				chunk = new ArrayList<>(CHUNK);
			}
		}

		@Override
		public void recordDone() {
			if (current.isEmpty()) {
				return;
			}
			records++;
			for (Triple t : current) {
				if (t.getPredicate().equals(Loupe.eventTime)) {
					EvidenceRecord r = EvidenceRecord.of(t.getSubject(), current);
					if (r != null) {
						activity.add(r);
						summaries.add(r);
					}
				}
			}
			current.clear();
		}

		@Override
		public void problem(ParseProblem p) {
			problemCount++;
			if (problems.size() < MAX_PROBLEMS_KEPT) {
				problems.add(p);
			}
		}

		@Override
		public boolean isCancelled() {
			return stop.get();
		}

		@Override
		public KnownFindings knownFindings() {
			return findings;
		}
	}
}
