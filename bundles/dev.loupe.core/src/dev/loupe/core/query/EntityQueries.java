package dev.loupe.core.query;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import org.apache.jena.datatypes.xsd.XSDDatatype;
import org.apache.jena.graph.NodeFactory;
import org.apache.jena.query.ParameterizedSparqlString;
import org.apache.jena.query.Query;
import org.apache.jena.query.QueryExecution;
import org.apache.jena.query.QuerySolution;
import org.apache.jena.rdf.model.RDFNode;

import dev.loupe.core.store.EvidenceStore;
import dev.loupe.core.vocab.Loupe;

/** The entity index queries the views stand on; each is a parameterized .rq file beside this class. */
public final class EntityQueries {

	public record EntityRow(String iri, String type, String label, String firstSeen, String lastSeen, long events) {
	}

	public record EventRow(String iri, String time, String name, String source, String actor, String actorLabel,
			String address, String error) {
	}

	/** A neighbour one hop away: {@code via} is its role in shared events, or the direct link between them. */
	public record Neighbour(String iri, String label, String via, boolean sharedEvidence, boolean outgoing,
			long events, String firstSeen, String lastSeen) {
	}

	public record HourCount(String hour, long events) {
	}

	private final EvidenceStore store;

	public EntityQueries(EvidenceStore store) {
		this.store = store;
	}

	/** @param type a class IRI; instances of its subclasses are included */
	public List<EntityRow> entities(String type, int limit, int offset) {
		ParameterizedSparqlString q = Queries.parameterized(EntityQueries.class, "entities.rq");
		q.setIri("type", type);
		Query query = q.asQuery();
		query.setLimit(limit);
		query.setOffset(offset);
		return select(query, s -> new EntityRow(str(s, "entity"), local(str(s, "class")), str(s, "label"),
				str(s, "firstSeen"), str(s, "lastSeen"), s.getLiteral("events").getLong()));
	}

	public List<EventRow> events(Instant from, Instant to, int limit) {
		ParameterizedSparqlString q = Queries.parameterized(EntityQueries.class, "events-window.rq");
		window(q, from, to);
		q.setLiteral("limit", limit);
		return select(q.asQuery(), s -> new EventRow(str(s, "event"), str(s, "time"), str(s, "name"), str(s, "source"),
				str(s, "actor"), str(s, "actorLabel"), str(s, "address"), str(s, "error")));
	}

	public List<Neighbour> neighbours(String entity) {
		ParameterizedSparqlString shared = Queries.parameterized(EntityQueries.class, "neighbours-shared.rq");
		shared.setIri("entity", entity);
		List<Neighbour> out = new ArrayList<>(select(shared.asQuery(), s -> new Neighbour(str(s, "other"),
				str(s, "label"), local(str(s, "otherRole")), true, false, s.getLiteral("events").getLong(),
				str(s, "first"), str(s, "last"))));
		ParameterizedSparqlString direct = Queries.parameterized(EntityQueries.class, "neighbours-direct.rq");
		direct.setIri("entity", entity);
		out.addAll(select(direct.asQuery(), s -> new Neighbour(str(s, "other"), str(s, "label"), local(str(s, "link")),
				false, s.getLiteral("outgoing").getBoolean(), 0, null, null)));
		return out;
	}

	public List<HourCount> activityByHour(String entity, Instant from, Instant to) {
		ParameterizedSparqlString q = Queries.parameterized(EntityQueries.class, "activity-hourly.rq");
		q.setIri("entity", entity);
		window(q, from, to);
		return select(q.asQuery(), s -> new HourCount(str(s, "hour"), s.getLiteral("events").getLong()));
	}

	private static void window(ParameterizedSparqlString q, Instant from, Instant to) {
		q.setParam("from", NodeFactory.createLiteralDT(from.toString(), XSDDatatype.XSDdateTime));
		q.setParam("to", NodeFactory.createLiteralDT(to.toString(), XSDDatatype.XSDdateTime));
	}

	/** Rows are copied inside the read transaction: TDB2-backed solutions are not valid after it. */
	private <T> List<T> select(Query query, Function<QuerySolution, T> row) {
		return store.read(() -> {
			List<T> out = new ArrayList<>();
			try (QueryExecution qe = QueryExecution.dataset(store.dataset()).query(query).build()) {
				qe.execSelect().forEachRemaining(s -> out.add(row.apply(s)));
			}
			return out;
		});
	}

	private static String str(QuerySolution s, String var) {
		RDFNode n = s.get(var);
		return n == null ? null : n.isLiteral() ? n.asLiteral().getLexicalForm() : n.toString();
	}

	private static String local(String iri) {
		return iri != null && iri.startsWith(Loupe.NS) ? iri.substring(Loupe.NS.length()) : iri;
	}
}
