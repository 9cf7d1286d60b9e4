package dev.loupe.core.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;
import java.util.stream.Stream;

import org.apache.jena.query.Dataset;
import org.apache.jena.sys.JenaSystem;
import org.apache.jena.system.Txn;
import org.apache.jena.tdb2.DatabaseMgr;
import org.apache.jena.tdb2.TDB2;
import org.apache.jena.tdb2.TDB2Factory;
import org.apache.jena.tdb2.sys.TDBInternal;

/** Embedded TDB2 database on disk. The default graph is the union of the named graphs, for ad-hoc queries. */
final class Tdb2Store implements EvidenceStore {
	private final Path dir;
	private final Dataset dataset;

	private Tdb2Store(Path dir, Dataset dataset) {
		this.dir = dir;
		this.dataset = dataset;
	}

	static Tdb2Store open(Path dir) {
		JenaSystem.init();
		try {
			Files.createDirectories(dir);
		} catch (IOException e) {
			throw new StoreException("Cannot create the store folder " + dir + ": " + e.getMessage(), e);
		}
		Dataset ds;
		try {
			ds = TDB2Factory.connectDataset(dir.toString());
		} catch (RuntimeException e) {
			// TDB2 allows one process per database; say so instead of showing the lock file's internals
			String msg = String.valueOf(e.getMessage());
			if (msg.contains("lock") || msg.contains("Lock")) {
				throw new StoreException(StoreHolder.inUse(dir, msg), e);
			}
			throw new StoreException("Cannot open the store " + dir + ": " + msg, e);
		}
		ds.getContext().set(TDB2.symUnionDefaultGraph, true);
		Tdb2Store store = new Tdb2Store(dir, ds);
		OntologyGraph.ensure(store);
		// stores written before summaries existed get them once, on first open
		if (store.read(() -> Summaries.missing(store.dataset().asDatasetGraph()))) {
			store.calculateWrite(() -> Summaries.rebuild(store.dataset().asDatasetGraph()));
		}
		AsnGraph.ensure(store);
		return store;
	}

	@Override
	public Dataset dataset() {
		return dataset;
	}

	@Override
	public String location() {
		return dir.toString();
	}

	@Override
	public <T> T read(Supplier<T> action) {
		return Txn.calculateRead(dataset, action);
	}

	@Override
	public void write(Runnable action) {
		Txn.executeWrite(dataset, action);
	}

	@Override
	public <T> T calculateWrite(Supplier<T> action) {
		return Txn.calculateWrite(dataset, action);
	}

	@Override
	public long quadCount() {
		// counted in the quad index, without turning each quad's node IDs back into nodes: 13.9M quads took 50 s
		// through DatasetGraph.find
		return Txn.calculateRead(dataset, () -> TDBInternal.getDatasetGraphTDB(dataset.asDatasetGraph()).getQuadTable()
				.getNodeTupleTable().size());
	}

	@Override
	public long diskBytes() {
		try (Stream<Path> files = Files.walk(dir)) {
			return files.filter(Files::isRegularFile).mapToLong(f -> {
				try {
					return Files.size(f);
				} catch (IOException gone) {
					return 0; // a file a compaction just removed
				}
			}).sum();
		} catch (IOException e) {
			throw new StoreException("Cannot read the size of the store " + dir + ": " + e.getMessage(), e);
		}
	}

	@Override
	public Compaction compact() {
		long before = diskBytes();
		long t = System.nanoTime();
		try {
			// the old generation's files are deleted once the new one is in use
			DatabaseMgr.compact(dataset.asDatasetGraph(), true);
		} catch (RuntimeException e) {
			throw new StoreException("Cannot compact the store " + dir + ": " + e.getMessage(), e);
		}
		return new Compaction(before, diskBytes(), (System.nanoTime() - t) / 1_000_000);
	}

	@Override
	public void close() {
		dataset.close();
		try {
			// releases the database lock now, so another process (or a later open) can use the folder
			TDBInternal.expel(dataset.asDatasetGraph());
		} catch (RuntimeException stillInUse) {
			// a transaction of this process is still open: the lock is released when the process ends
		}
	}
}
