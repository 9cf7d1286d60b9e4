package dev.loupe.core.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import org.apache.jena.datatypes.xsd.XSDDatatype;
import org.apache.jena.graph.Node;
import org.apache.jena.graph.NodeFactory;
import org.apache.jena.graph.Triple;
import org.apache.jena.sparql.core.DatasetGraph;
import org.apache.jena.vocabulary.RDF;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.OperationCanceledException;
import org.eclipse.core.runtime.SubMonitor;

import dev.loupe.core.Version;
import dev.loupe.core.ingest.FileResult.Status;
import dev.loupe.core.ingest.cloudtrail.CloudTrailReader;
import dev.loupe.core.store.EvidenceRecord;
import dev.loupe.core.store.EvidenceStore;
import dev.loupe.core.store.Summaries;
import dev.loupe.core.vocab.Ids;
import dev.loupe.core.vocab.Loupe;

/**
 * Ingests files and folders into the store. Each file is one named graph, written in one write transaction:
 * a file is either fully recorded (with the problems of the records that were skipped) or not at all.
 * The graph is named by the SHA-256 of the file's bytes, so ingesting the same evidence again adds nothing.
 */
public final class IngestService {
	/** Problems kept per file in the report and the provenance; the count is always complete. */
	private static final int MAX_PROBLEMS_KEPT = 200;
	/** About this many quads are written per transaction (see writeBatch). */
	static final long BATCH_QUADS = 1_000_000;

	private final EvidenceStore store;
	private final List<EvidenceReader> readers = List.of(new CloudTrailReader());

	public IngestService(EvidenceStore store) {
		this.store = store;
	}

	/**
	 * @param onFile called after each file, for progress output
	 */
	public IngestReport ingest(List<Path> paths, IProgressMonitor monitor, Consumer<FileResult> onFile)
			throws IOException {
		List<Path> files = new ArrayList<>();
		List<Boolean> named = new ArrayList<>();
		for (Path p : paths) {
			if (!Files.exists(p)) {
				throw new IOException(p + ": no such file or folder");
			}
			List<Path> expanded = SourceFiles.expand(p);
			files.addAll(expanded);
			expanded.forEach(f -> named.add(!Files.isDirectory(p)));
		}
		// no task name here: callers name their job in the user's language; sub-tasks show the file
		SubMonitor sub = SubMonitor.convert(monitor, files.size());
		List<FileResult> results = new ArrayList<>();
		int next = 0;
		while (next < files.size()) {
			int start = next;
			Batch batch;
			try {
				batch = store.calculateWrite(() -> writeBatch(files, named, start, -1, sub));
			} catch (OperationCanceledException e) {
				return new IngestReport(results, true);
			} catch (FileFailed e) {
				// an unreadable file aborted the batch: write the files before it again, then record the failure
				int failed = e.index;
				batch = failed > start ? store.calculateWrite(() -> writeBatch(files, named, start, failed, sub))
						: new Batch(new ArrayList<>(), start);
				batch.results.add(failed(files.get(failed).toString(), null, "cannot read the file: " + e.getMessage()));
				batch = new Batch(batch.results, failed + 1);
			}
			for (FileResult r : batch.results) {
				results.add(r);
				onFile.accept(r);
			}
			next = batch.next;
		}
		return new IngestReport(results, false);
	}

	/** Files written in one transaction, and the index of the first file after them. */
	private record Batch(List<FileResult> results, int next) {
	}

	/**
	 * Ingests files from {@code start} inside the caller's write transaction until about {@link #BATCH_QUADS}
	 * quads were written (or up to {@code end}, exclusive, when it is not -1). TDB2 copies index blocks on every
	 * commit: one commit per small file made stores many times larger and ingest several times slower.
	 */
	private Batch writeBatch(List<Path> files, List<Boolean> named, int start, int end, SubMonitor sub) {
		List<FileResult> out = new ArrayList<>();
		Summaries summaries = new Summaries();
		long quads = 0;
		int i = start;
		while (i < files.size() && (end < 0 ? quads < BATCH_QUADS : i < end)) {
			if (sub.isCanceled()) {
				throw new OperationCanceledException();
			}
			sub.subTask(files.get(i).toString());
			try {
				FileResult r = ingestFile(files.get(i), named.get(i), summaries, sub.split(1));
				out.add(r);
				quads += r.quadsAdded();
			} catch (UncheckedIOException e) {
				throw new FileFailed(i, e.getCause().getMessage());
			}
			i++;
		}
		summaries.mergeInto(store.dataset().asDatasetGraph());
		return new Batch(out, i);
	}

	/** Runs inside the batch's write transaction. */
	private FileResult ingestFile(Path file, boolean namedByUser, Summaries summaries, IProgressMonitor monitor) {
		String name = file.toString();
		String sha;
		String head;
		try {
			sha = SourceFiles.sha256(file);
			head = SourceFiles.head(file);
		} catch (IOException e) {
			return failed(name, null, "cannot read the file: " + e.getMessage());
		}
		Node graph = Ids.sourceGraph(sha);
		// a source is present once its provenance is written, the last thing written for it; inside the batch's
		// transaction this also sees a copy of the same file met earlier in this run
		if (store.dataset().asDatasetGraph().contains(graph, graph, RDF.type.asNode(), Loupe.EvidenceSource)) {
			return new FileResult(name, Status.ALREADY_PRESENT, null, sha, 0, 0, 0, List.of());
		}
		if (head.contains("\"digestStartTime\"") && head.contains("\"digestPublicKeyFingerprint\"")) {
			return new FileResult(name, Status.SKIPPED, "cloudtrail-digest", sha, 0, 0, 0,
					List.of(new ParseProblem(name, 0, 0, 0, "CloudTrail digest file: kept for integrity checks, holds no events")));
		}
		EvidenceReader reader = readers.stream().filter(r -> r.accepts(head)).findFirst().orElse(null);
		if (reader == null) {
			String why = "not a format Loupe reads (expected CloudTrail JSON: {\"Records\":[...]}, a JSON array or JSON lines of events)";
			return namedByUser ? failed(name, sha, why)
					: new FileResult(name, Status.SKIPPED, null, sha, 0, 0, 0, List.of(new ParseProblem(name, 0, 0, 0, why)));
		}
		try {
			return write(file, name, sha, graph, reader, summaries, monitor);
		} catch (NothingReadable e) {
			// nothing of the file was written: the batch goes on
			return new FileResult(name, Status.FAILED, reader.format(), sha, 0, 0, e.sink.problemCount, e.sink.problems);
		}
	}

	private FileResult write(Path file, String name, String sha, Node graph, EvidenceReader reader,
			Summaries summaries, IProgressMonitor monitor) {
		DatasetGraph dsg = store.dataset().asDatasetGraph();
		var sink = new GraphSink(dsg, graph, summaries, monitor);
		try (InputStream in = SourceFiles.open(file)) {
			reader.read(in, name, sink);
		} catch (IOException e) {
			throw new UncheckedIOException(e);
		}
		if (monitor.isCanceled()) {
			// thrown inside the write transaction: Txn aborts it, nothing of this batch stays
			throw new OperationCanceledException();
		}
		if (sink.records == 0 && sink.problemCount > 0) {
			throw new NothingReadable(sink); // a source with no readable record is a failure, not an empty source
		}
		sink.recordDone(); // facts after the last record, if a reader left any
		sink.activity.write(dsg, graph);
		provenance(dsg, graph, file, sha, reader.format(), sink);
		long quads = dsg.getGraph(graph).size();
		return new FileResult(name, Status.INGESTED, reader.format(), sha, sink.records, quads, sink.problemCount,
				sink.problems);
	}

	private static void provenance(DatasetGraph dsg, Node g, Path file, String sha, String format, GraphSink sink) {
		dsg.add(g, g, RDF.type.asNode(), Loupe.EvidenceSource);
		dsg.add(g, g, Loupe.location, NodeFactory.createLiteralString(file.toAbsolutePath().toString()));
		dsg.add(g, g, Loupe.sha256, NodeFactory.createLiteralString(sha));
		dsg.add(g, g, Loupe.format, NodeFactory.createLiteralString(format));
		dsg.add(g, g, Loupe.toolVersion, NodeFactory.createLiteralString(Version.LOUPE));
		dsg.add(g, g, Loupe.recordCount, NodeFactory.createLiteralDT(Long.toString(sink.records), XSDDatatype.XSDlong));
		dsg.add(g, g, Loupe.errorCount, NodeFactory.createLiteralDT(Long.toString(sink.problemCount), XSDDatatype.XSDlong));
		dsg.add(g, g, Loupe.provGeneratedAtTime,
				NodeFactory.createLiteralDT(Instant.now().toString(), XSDDatatype.XSDdateTime));
		for (ParseProblem p : sink.problems) {
			dsg.add(g, g, Loupe.parseError, NodeFactory.createLiteralString(p.toString()));
		}
	}

	private static FileResult failed(String name, String sha, String why) {
		return new FileResult(name, Status.FAILED, null, sha, 0, 0, 1, List.of(new ParseProblem(name, 0, 0, 0, why)));
	}

	private static final class GraphSink implements RecordSink {
		private final DatasetGraph dsg;
		private final Node graph;
		private final IProgressMonitor monitor;
		final List<ParseProblem> problems = new ArrayList<>();
		final EntityActivity activity = new EntityActivity();
		/** The batch's: if this file or batch is not kept, the transaction and these summaries go together. */
		private final Summaries summaries;
		private final List<Triple> current = new ArrayList<>();
		long records;
		long problemCount;

		GraphSink(DatasetGraph dsg, Node graph, Summaries summaries, IProgressMonitor monitor) {
			this.dsg = dsg;
			this.summaries = summaries;
			this.graph = graph;
			this.monitor = monitor;
		}

		@Override
		public void triple(Triple t) {
			dsg.add(graph, t.getSubject(), t.getPredicate(), t.getObject());
			current.add(t);
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
			return monitor.isCanceled();
		}
	}

	/** Aborts the write transaction of a file in which not one record could be read. */
	private static final class NothingReadable extends RuntimeException {
		private static final long serialVersionUID = 1L;
		final transient GraphSink sink;

		NothingReadable(GraphSink sink) {
			super(null, null, false, false);
			this.sink = sink;
		}
	}

	/** A file could not be read; the batch it was in is aborted and written again without it. */
	private static final class FileFailed extends RuntimeException {
		private static final long serialVersionUID = 1L;
		final int index;

		FileFailed(int index, String message) {
			super(message, null, false, false);
			this.index = index;
		}
	}
}
