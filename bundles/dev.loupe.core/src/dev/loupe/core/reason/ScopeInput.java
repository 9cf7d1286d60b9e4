package dev.loupe.core.reason;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

import org.apache.jena.graph.Node;
import org.apache.jena.graph.Triple;
import org.apache.jena.query.DatasetFactory;
import org.apache.jena.query.ParameterizedSparqlString;
import org.apache.jena.query.QueryExecution;
import org.apache.jena.rdf.model.RDFNode;
import org.apache.jena.rdf.model.ResourceFactory;
import org.apache.jena.sparql.core.DatasetGraph;
import org.apache.jena.sparql.core.Quad;

import dev.loupe.core.query.Queries;
import dev.loupe.core.vocab.Loupe;

/**
 * The skeleton of an update's API calls that the forward rules read, as reason-input.rq gives it for all calls in
 * a full run. The new sources' calls come from one query (most of their calls match no detector); the few older
 * calls of the signals derived again are looked up one by one.
 */
final class ScopeInput {
	private final DatasetGraph dsg;
	private final List<Triple> out = new ArrayList<>();

	private ScopeInput(DatasetGraph dsg) {
		this.dsg = dsg;
	}

	/** Runs inside the update's write transaction. */
	static List<Triple> of(DatasetGraph dsg, Set<Node> newSources, Set<Node> calls, Set<String> eventNames) {
		ScopeInput in = new ScopeInput(dsg);
		Set<Node> seen = new HashSet<>();
		if (!newSources.isEmpty() && !eventNames.isEmpty()) {
			// a query, not finds: TDB2 then decodes only the calls that match, not every call's IRI
			ParameterizedSparqlString pss = Queries.parameterized(ScopeInput.class, "scope-input.rq");
			pss.setValues("newSourceGraphs", UpdateScope.iris(newSources));
			pss.setValues("eventNamesOfDetectors", eventNames.stream().map(n -> (RDFNode) ResourceFactory.createStringLiteral(n)).toList());
			try (QueryExecution qe = QueryExecution.dataset(DatasetFactory.wrap(dsg)).query(pss.asQuery()).build()) {
				qe.execConstructTriples().forEachRemaining(tr -> {
					seen.add(tr.getSubject());
					in.out.add(tr);
				});
			}
		}
		for (Node e : calls) {
			if (!seen.add(e)) {
				continue;
			}
			Node name = in.first(e, Loupe.eventName);
			if (name != null && eventNames.contains(name.getLiteralLexicalForm())) {
				in.skeleton(e, name);
			}
		}
		return in.out;
	}

	private void skeleton(Node e, Node name) {
		Node src = first(e, Loupe.eventSource);
		Node time = first(e, Loupe.eventTime);
		if (src == null || time == null) {
			return;
		}
		Set<Node> actors = objects(e, Loupe.actor);
		if (actors.isEmpty()) {
			return;
		}
		out.add(Triple.create(e, Loupe.eventName, name));
		out.add(Triple.create(e, Loupe.eventSource, src));
		out.add(Triple.create(e, Loupe.eventTime, time));
		actors.forEach(a -> out.add(Triple.create(e, Loupe.actor, a)));
		objects(e, Loupe.qualifier).forEach(q -> out.add(Triple.create(e, Loupe.qualifier, q)));
	}

	private Set<Node> objects(Node s, Node p) {
		Set<Node> into = new HashSet<>();
		dsg.find(Node.ANY, s, p, Node.ANY).forEachRemaining(q -> into.add(q.getObject()));
		return into;
	}

	private Node first(Node s, Node p) {
		Iterator<Quad> it = dsg.find(Node.ANY, s, p, Node.ANY);
		return it.hasNext() ? it.next().getObject() : null;
	}
}
