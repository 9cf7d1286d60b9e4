package dev.loupe.core.reason;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.jena.graph.Node;
import org.apache.jena.graph.NodeFactory;
import org.apache.jena.sparql.core.DatasetGraph;

import dev.loupe.core.store.EvidenceStore;
import dev.loupe.core.vocab.Loupe;

/**
 * An update run and thrown away, so that the process holding the store (the workbench, {@code loupe serve},
 * {@code loupe watch}) is ready for the first update that counts. A process's first update took twice as long as
 * its later ones (BENCHMARKS.md, twenty-first session): every step reads TDB2's indexes and node table and runs
 * its query and index code for the first time in the process. The rehearsal takes the latest ingested sources as
 * new, runs the update over them in a write transaction and aborts it: the store is left as it was.
 */
final class Rehearsal {
	/** About the size of one delivery of new evidence; the update's cost follows the principals it names. */
	static final int SOURCES = 40;
	private static final Node GENERATED = NodeFactory.createURI("http://www.w3.org/ns/prov#generatedAtTime");
	private static final Node TRAIL = NodeFactory.createLiteralString("cloudtrail");

	/** Thrown to end the write transaction without a commit. */
	private static final class Aborted extends RuntimeException {
		private static final long serialVersionUID = 1L;

		Aborted() {
			super(null, null, false, false);
		}
	}

	private Rehearsal() {
	}

	/**
	 * Returns false, doing nothing, when the store has no run of these rules: the next run is a full one, which a
	 * rehearsal would not prepare.
	 */
	static boolean run(EvidenceStore store, Prepared p) {
		Set<Node> latest = store.read(() -> {
			DatasetGraph dsg = store.dataset().asDatasetGraph();
			RunRecord last = RunRecord.read(dsg);
			if (last == null || !last.rulesDigest().equals(RunRecord.of(p, dsg))) {
				return Set.<Node>of();
			}
			return latest(dsg, last.covered());
		});
		if (latest.isEmpty()) {
			return false;
		}
		try {
			store.write(() -> {
				new IncrementalRun(store, p, new ArrayList<>()).asIfNew(latest).run();
				throw new Aborted();
			});
		} catch (Aborted done) {
			// the update ran; its transaction did not commit
		}
		return true;
	}

	/**
	 * The CloudTrail sources ingested last (or any, when none is CloudTrail), by the time each was ingested: what
	 * new evidence mostly is. A file of findings names principals across the whole store; rehearsing with one took
	 * 12.7 s instead of 2 s at a million events.
	 */
	private static Set<Node> latest(DatasetGraph dsg, Set<Node> covered) {
		List<Map.Entry<Node, String>> times = new ArrayList<>();
		List<Map.Entry<Node, String>> trails = new ArrayList<>();
		for (Node g : covered) {
			var it = dsg.find(g, g, GENERATED, Node.ANY);
			Map.Entry<Node, String> e = Map.entry(g, it.hasNext() ? it.next().getObject().getLiteralLexicalForm() : "");
			times.add(e);
			if (dsg.contains(g, g, Loupe.format, TRAIL)) {
				trails.add(e);
			}
		}
		if (!trails.isEmpty()) {
			times = trails;
		}
		times.sort(Map.Entry.<Node, String>comparingByValue(Comparator.reverseOrder()));
		Set<Node> out = new HashSet<>();
		times.stream().limit(SOURCES).forEach(e -> out.add(e.getKey()));
		return out;
	}
}
