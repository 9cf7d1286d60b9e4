package dev.loupe.core.query;

import java.io.OutputStream;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import org.apache.jena.query.Query;
import org.apache.jena.query.QueryExecution;
import org.apache.jena.query.QueryFactory;
import org.apache.jena.query.QueryParseException;
import org.apache.jena.query.ResultSet;
import org.apache.jena.query.ResultSetFormatter;
import org.apache.jena.query.Syntax;
import org.apache.jena.rdf.model.Model;
import org.apache.jena.riot.RDFDataMgr;
import org.apache.jena.riot.RDFFormat;
import org.apache.jena.sparql.resultset.ResultSetMem;
import org.apache.jena.sparql.syntax.ElementService;
import org.apache.jena.sparql.syntax.ElementVisitorBase;
import org.apache.jena.sparql.syntax.ElementWalker;

import dev.loupe.core.store.EvidenceStore;

/**
 * Runs analysts' SPARQL over the store. Queries are untrusted input: they may not name remote endpoints
 * (SERVICE) or other datasets (FROM), and they run with a time limit and read-only.
 */
public final class QueryService {
	public enum Format {
		TABLE, CSV, TSV, JSON;

		public static Format parse(String s) {
			try {
				return valueOf(s.toUpperCase(Locale.ROOT));
			} catch (IllegalArgumentException e) {
				throw new IllegalArgumentException("unknown format \"" + s + "\"; expected table, csv, tsv or json");
			}
		}
	}

	private final EvidenceStore store;
	private final long timeoutSeconds;

	public QueryService(EvidenceStore store, long timeoutSeconds) {
		this.store = store;
		this.timeoutSeconds = timeoutSeconds;
	}

	/** Parses and checks a query; the message names the line and column of a syntax error. */
	public static Query parseUntrusted(String sparql) {
		// Loupe's prefixes are predefined: set them before parsing so that `loupe:ApiCall` resolves
		Query q = new Query();
		q.getPrefixMapping().setNsPrefixes(Queries.PREFIXES);
		try {
			QueryFactory.parse(q, sparql, null, Syntax.syntaxARQ);
		} catch (QueryParseException e) {
			throw new UntrustedQueryException("SPARQL syntax error at line " + e.getLine() + ", column "
					+ e.getColumn() + ": " + e.getMessage());
		}
		if (q.hasDatasetDescription()) {
			throw new UntrustedQueryException("FROM / FROM NAMED are not allowed: queries run over the store; use GRAPH to pick a source");
		}
		if (q.getQueryPattern() != null) {
			ElementWalker.walk(q.getQueryPattern(), new ElementVisitorBase() {
				@Override
				public void visit(ElementService el) {
					throw new UntrustedQueryException("SERVICE is not allowed: queries never reach the network");
				}
			});
		}
		return q;
	}

	/** Runs the query and writes its result; returns the number of rows (or triples, or 1 for ASK). */
	public long run(String sparql, Format format, OutputStream out) {
		Query q = parseUntrusted(sparql);
		return store.read(() -> {
			try (QueryExecution qe = QueryExecution.dataset(store.dataset()).query(q)
					.timeout(timeoutSeconds, TimeUnit.SECONDS).build()) {
				if (q.isSelectType()) {
					ResultSet rs = new ResultSetMem(qe.execSelect());
					long rows = ((ResultSetMem) rs).size();
					switch (format) {
					case CSV -> ResultSetFormatter.outputAsCSV(out, rs);
					case TSV -> ResultSetFormatter.outputAsTSV(out, rs);
					case JSON -> ResultSetFormatter.outputAsJSON(out, rs);
					default -> ResultSetFormatter.out(out, rs, q.getPrefixMapping());
					}
					return rows;
				}
				if (q.isAskType()) {
					boolean b = qe.execAsk();
					switch (format) {
					case JSON -> ResultSetFormatter.outputAsJSON(out, b);
					case CSV -> ResultSetFormatter.outputAsCSV(out, b);
					case TSV -> ResultSetFormatter.outputAsTSV(out, b);
					default -> ResultSetFormatter.out(out, b);
					}
					return 1L;
				}
				Model m = q.isConstructType() ? qe.execConstruct() : qe.execDescribe();
				m.setNsPrefixes(Queries.PREFIXES);
				RDFDataMgr.write(out, m, switch (format) {
				case JSON -> RDFFormat.RDFJSON;
				case CSV, TSV -> RDFFormat.NTRIPLES;
				default -> RDFFormat.TURTLE_PRETTY;
				});
				return m.size();
			}
		});
	}
}
