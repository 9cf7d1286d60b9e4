package dev.loupe.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.apache.jena.graph.Node;
import org.apache.jena.graph.NodeFactory;
import org.apache.jena.query.QueryExecution;
import org.apache.jena.query.QueryFactory;
import org.apache.jena.query.ResultSet;
import org.apache.jena.sparql.core.DatasetGraph;
import org.apache.jena.update.UpdateExecution;
import org.apache.jena.update.UpdateFactory;
import org.apache.jena.vocabulary.RDF;

import dev.loupe.core.store.EvidenceStore;
import dev.loupe.core.vocab.Ids;
import dev.loupe.core.vocab.Loupe;

/**
 * Times rule steps one by one on a store, for trying another form of a slow step: each file, in order, inside one
 * write transaction that is then aborted (the store is left as it was). A {@code .ru} file is run as an update, a
 * {@code .rq} file as a SELECT whose rows are counted; {@code ?inferred} and {@code ?settled} name the inferred
 * graph and an empty one, as in a full run, and every finding is marked {@code <urn:loupe:tmp:inScope> true} first
 * (what the rule files before the sixteenth session read; harmless for the others).
 * {@code -Drounds=N} repeats the whole (default 3: the first round pays for a cold JVM).
 * Usage: {@code java -cp ... dev.loupe.bench.Probe STORE FILE...}
 */
public final class Probe {
	private static final String ABORT = "abort: the probe writes nothing";

	public static void main(String[] args) throws Exception {
		try (EvidenceStore store = EvidenceStore.open(Path.of(args[0]))) {
			for (int round = 0; round < Integer.getInteger("rounds", 3); round++) {
				try {
					store.write(() -> {
						DatasetGraph dsg = store.dataset().asDatasetGraph();
						Node g = Ids.inferredGraph();
						Node in = NodeFactory.createURI("urn:loupe:tmp:inScope");
						dsg.find(Node.ANY, Node.ANY, RDF.type.asNode(), Loupe.Finding).forEachRemaining(q -> dsg.add(g, q.getSubject(), in,
								NodeFactory.createLiteralByValue(true)));
						for (int i = 1; i < args.length; i++) {
							String text;
							try {
								text = Files.readString(Path.of(args[i])).replace("?inferred", "<" + Ids.INFERRED_GRAPH + ">")
										.replace("?settled", "<urn:loupe:graph:nothing-settled>");
							} catch (Exception e) {
								throw new RuntimeException(e);
							}
							long t = System.nanoTime();
							String what;
							if (args[i].endsWith(".rq")) {
								try (QueryExecution qe = QueryExecution.dataset(store.dataset()).query(QueryFactory.create(text)).build()) {
									ResultSet rs = qe.execSelect();
									long n = 0;
									String firstRow = "";
									while (rs.hasNext()) {
										var row = rs.next();
										if (n == 0) {
											firstRow = row.toString();
										}
										n++;
									}
									System.out.println("  first row " + firstRow);
									what = n + " rows";
								}
							} else {
								UpdateExecution.dataset(store.dataset()).update(UpdateFactory.create(text)).execute();
								what = "update";
							}
							System.out.println(args[i] + ": " + what + " in " + (System.nanoTime() - t) / 1_000_000 + " ms");
						}
						throw new IllegalStateException(ABORT);
					});
				} catch (IllegalStateException e) {
					if (!ABORT.equals(e.getMessage())) {
						throw e;
					}
				}
			}
		}
	}
}
