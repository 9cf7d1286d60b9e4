package dev.loupe.core.ingest;

import org.apache.jena.graph.Triple;

/** Receives the facts a reader makes from a file, and the problems it meets. */
public interface RecordSink {
	void triple(Triple t);

	/** Called once per record turned into facts. */
	void recordDone();

	void problem(ParseProblem p);

	boolean isCancelled();
}
