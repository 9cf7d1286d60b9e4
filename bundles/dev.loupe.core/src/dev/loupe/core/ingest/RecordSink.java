package dev.loupe.core.ingest;

import org.apache.jena.graph.Triple;

/** Receives the facts a reader makes from a file, and the problems it meets. */
public interface RecordSink {
	void triple(Triple t);

	/** Called once per record turned into facts. */
	void recordDone();

	/**
	 * A fact the file states as a whole rather than one of its records, after its last record: of several versions
	 * of one finding in the file, the latest's state and severity.
	 */
	default void late(Triple t) {
		triple(t);
	}

	void problem(ParseProblem p);

	/** The findings the store and the ingest's earlier files already hold (see {@link KnownFindings}). */
	default KnownFindings knownFindings() {
		return KnownFindings.NONE;
	}

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
			public void late(Triple t) {
				to.late(t);
			}

			@Override
			public void problem(ParseProblem p) {
				to.problem(problems.apply(p));
			}

			@Override
			public boolean isCancelled() {
				return to.isCancelled();
			}

			@Override
			public KnownFindings knownFindings() {
				return to.knownFindings();
			}
		};
	}
}
