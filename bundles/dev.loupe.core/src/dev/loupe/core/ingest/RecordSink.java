package dev.loupe.core.ingest;

import org.apache.jena.graph.Triple;

/** Receives the facts a reader makes from a file, and the problems it meets. */
public interface RecordSink {
	void triple(Triple t);

	/** Called once per record turned into facts. */
	void recordDone();

	void problem(ParseProblem p);

	boolean isCancelled();

	/**
	 * A sink that passes everything on to this one, with each problem rewritten by {@code problems} (a reader
	 * reading text made from another file's records says where in that file).
	 */
	default RecordSink rewritingProblems(java.util.function.UnaryOperator<ParseProblem> problems) {
		RecordSink to = this;
		return new RecordSink() {
			@Override
			public void triple(Triple t) {
				to.triple(t);
			}

			@Override
			public void recordDone() {
				to.recordDone();
			}

			@Override
			public void problem(ParseProblem p) {
				to.problem(problems.apply(p));
			}

			@Override
			public boolean isCancelled() {
				return to.isCancelled();
			}
		};
	}
}
