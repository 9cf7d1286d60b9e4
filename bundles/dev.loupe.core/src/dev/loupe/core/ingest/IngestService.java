package dev.loupe.core.ingest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
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
import dev.loupe.core.ingest.FileReading.Begin;
import dev.loupe.core.ingest.FileReading.Crash;
import dev.loupe.core.ingest.FileReading.Done;
import dev.loupe.core.ingest.FileReading.End;
import dev.loupe.core.ingest.FileReading.Facts;
import dev.loupe.core.ingest.FileReading.Piece;
import dev.loupe.core.ingest.FileResult.Status;
import dev.loupe.core.store.AsnGraph;
import dev.loupe.core.store.AsnSource;
import dev.loupe.core.store.EvidenceStore;
import dev.loupe.core.store.Summaries;
import dev.loupe.core.vocab.Ids;
import dev.loupe.core.vocab.Loupe;

/**
 * Ingests files and folders into the store. Each file is one named graph, named by the SHA-256 of its bytes, so
 * ingesting the same evidence again adds nothing. A file is either fully recorded (with the problems of the
 * records that were skipped) or not at all. {@link FileReading} reads on a second thread; this class writes.
 */
public final class IngestService {
	/**
	 * About this many quads are written per transaction (see {@link #writeBatch}); -Dloupe.ingest.batchQuads
	 * changes it, for measuring. At 1M events, batches of 5M quads ingested in 172 s into 6.6 GB, batches of 1M
	 * in 187 s into 8.1 GB, one transaction in 176 s into 6.3 GB, with the same peak heap (docs/BENCHMARKS.md);
	 * a batch is also what a cancel gives up, so it stays at about a minute of work.
	 */
	static final long BATCH_QUADS = Long.getLong("loupe.ingest.batchQuads", 5_000_000);

	private final EvidenceStore store;
	private volatile int found;

	public IngestService(EvidenceStore store) {
		this.store = store;
	}

	/**
	 * How many files the running ingest found, for progress: a monitor's beginTask cannot say (SubMonitor gives
	 * its root a fixed resolution of 1000).
	 */
	public int filesFound() {
		return found;
	}

	/**
	 * @param onFile called after each file once it is committed, for progress output
	 */
	public IngestReport ingest(List<Path> paths, IProgressMonitor monitor, Consumer<FileResult> onFile)
			throws IOException {
		for (Path p : paths) {
			if (!Files.exists(p)) {
				throw new IOException(p + ": no such file or folder");
			}
		}
		try (Archives archives = new Archives()) {
			List<Source> files = new ArrayList<>();
			for (Path p : paths) {
				for (Path f : SourceFiles.expand(p)) {
					files.addAll(archives.sources(f, !Files.isDirectory(p)));
				}
			}
			return ingestSources(files, monitor, onFile);
		}
	}

	/** The keys of the findings the store holds (read on the reading thread, the first time a file holds findings). */
	private Map<Node, Set<String>> findingKeys() {
		return store.read(() -> {
			Map<Node, Set<String>> keys = new HashMap<>();
			store.dataset().asDatasetGraph().find(Node.ANY, Node.ANY, Loupe.findingKey, Node.ANY).forEachRemaining(
					q -> keys.computeIfAbsent(q.getSubject(), f -> new HashSet<>(2)).add(q.getObject().getLiteralLexicalForm()));
			return keys;
		});
	}

	private IngestReport ingestSources(List<Source> files, IProgressMonitor monitor, Consumer<FileResult> onFile) {
		found = files.size();
		// no task name here: callers name their job in the user's language; sub-tasks show the file
		SubMonitor sub = SubMonitor.convert(monitor, files.size());
		BlockingQueue<Piece> queue = new ArrayBlockingQueue<>(32);
		AtomicBoolean stop = new AtomicBoolean();
		FileReading reading = new FileReading(files, queue, stop,
				graph -> store.read(() -> isSource(store.dataset().asDatasetGraph(), graph)), new KnownFindings(this::findingKeys));
		Thread reader = new Thread(reading, "loupe-ingest-reader");
		reader.setDaemon(true);
		reader.start();
		List<FileResult> results = new ArrayList<>();
		try {
			boolean more = true;
			while (more) {
				Batch batch = store.calculateWrite(() -> writeBatch(files, queue, sub));
				for (FileResult r : batch.results) {
					results.add(r);
					onFile.accept(r);
				}
				more = !batch.last;
			}
			return new IngestReport(results, false, AsnSource.takeProblems());
		} catch (OperationCanceledException e) {
			return new IngestReport(results, true, AsnSource.takeProblems());
		} finally {
			stop.set(true);
			// the reader gives up handing over pieces once stopped; wait so no thread outlives the ingest
			try {
				reader.join();
			} catch (InterruptedException e) {
				Thread.currentThread().interrupt();
			}
		}
	}

	/** Files written in one transaction, and whether they were the last. */
	private record Batch(List<FileResult> results, boolean last) {
	}

	/**
	 * Writes what the reader hands over, inside the caller's write transaction, until about {@link #BATCH_QUADS}
	 * quads were written. TDB2 copies index blocks on every commit: one commit per small file made stores many
	 * times larger and ingest several times slower.
	 */
	private Batch writeBatch(List<Source> files, BlockingQueue<Piece> queue, SubMonitor sub) {
		DatasetGraph dsg = store.dataset().asDatasetGraph();
		List<FileResult> out = new ArrayList<>();
		Summaries summaries = new Summaries();
		long quads = 0;
		Node graph = null;
		while (true) {
			if (sub.isCanceled()) {
				// thrown inside the write transaction: Txn aborts it, nothing of this batch stays
				throw new OperationCanceledException();
			}
			Piece piece = take(queue);
			if (piece == null) {
				continue;
			}
			if (piece instanceof Begin b) {
				graph = b.graph();
				sub.subTask(files.get(b.index()).name());
			} else if (piece instanceof Facts f) {
				for (Triple t : f.triples()) {
					dsg.add(graph, t.getSubject(), t.getPredicate(), t.getObject());
				}
			} else if (piece instanceof End e) {
				FileResult r = finish(dsg, graph, e, summaries);
				graph = null;
				out.add(r);
				sub.worked(1);
				quads += r.quadsAdded();
				if (quads >= BATCH_QUADS) {
					summaries.mergeInto(dsg);
					AsnGraph.addFor(dsg, graphs(out));
					return new Batch(out, false);
				}
			} else if (piece instanceof Done) {
				summaries.mergeInto(dsg);
				AsnGraph.addFor(dsg, graphs(out));
				return new Batch(out, true);
			} else if (piece instanceof Crash c) {
				throw c.error();
			}
		}
	}

	/** The graphs of the files a batch recorded. */
	private static List<Node> graphs(List<FileResult> results) {
		return results.stream().filter(r -> r.status() == Status.INGESTED).map(r -> Ids.sourceGraph(r.sha256())).toList();
	}

	/** Completes a file that ended: records it with its provenance, or takes back what was written of it. */
	private static FileResult finish(DatasetGraph dsg, Node graph, End e, Summaries batch) {
		FileResult r = e.result();
		if (r.status() != Status.INGESTED) {
			if (graph != null) {
				// the graph is new (a present source is never re-read): its quads are this file's and nothing else
				dsg.deleteAny(graph, Node.ANY, Node.ANY, Node.ANY);
			}
			return r;
		}
		e.activity().write(dsg, graph);
		provenance(dsg, graph, r);
		batch.addAll(e.summaries());
		long quads = dsg.getGraph(graph).size();
		return new FileResult(r.file(), r.status(), r.format(), r.sha256(), r.records(), quads, r.errors(), r.problems());
	}

	private static Piece take(BlockingQueue<Piece> queue) {
		try {
			return queue.poll(100, TimeUnit.MILLISECONDS);
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new OperationCanceledException();
		}
	}

	/** A source is present once its provenance is written, the last thing written for it. */
	static boolean isSource(DatasetGraph dsg, Node graph) {
		return dsg.contains(graph, graph, RDF.type.asNode(), Loupe.EvidenceSource);
	}

	private static void provenance(DatasetGraph dsg, Node g, FileResult r) {
		dsg.add(g, g, RDF.type.asNode(), Loupe.EvidenceSource);
		dsg.add(g, g, Loupe.location, NodeFactory.createLiteralString(Path.of(r.file()).toAbsolutePath().toString()));
		dsg.add(g, g, Loupe.sha256, NodeFactory.createLiteralString(r.sha256()));
		dsg.add(g, g, Loupe.format, NodeFactory.createLiteralString(r.format()));
		dsg.add(g, g, Loupe.toolVersion, NodeFactory.createLiteralString(Version.LOUPE));
		dsg.add(g, g, Loupe.recordCount, NodeFactory.createLiteralDT(Long.toString(r.records()), XSDDatatype.XSDlong));
		dsg.add(g, g, Loupe.errorCount, NodeFactory.createLiteralDT(Long.toString(r.errors()), XSDDatatype.XSDlong));
		dsg.add(g, g, Loupe.provGeneratedAtTime,
				NodeFactory.createLiteralDT(Instant.now().toString(), XSDDatatype.XSDdateTime));
		for (ParseProblem p : r.problems()) {
			dsg.add(g, g, Loupe.parseError, NodeFactory.createLiteralString(p.toString()));
		}
	}
}
