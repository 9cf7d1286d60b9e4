package dev.loupe.core.reason;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.jena.query.ParameterizedSparqlString;
import org.apache.jena.query.QueryExecution;
import org.apache.jena.query.QuerySolution;
import org.apache.jena.query.ResultSet;
import org.apache.jena.rdf.model.RDFNode;

import dev.loupe.core.query.Queries;
import dev.loupe.core.store.EvidenceStore;
import dev.loupe.core.vocab.Ids;

/** Reads the inferred signals and attack sequences back from the store, for the CLI and the views. */
public final class Findings {

	public record Signal(String iri, String time, BigDecimal severity, String detector, String detectorLabel,
			String technique, String tactic, String actor, String actorLabel, String event, String eventName, String ip,
			String userAgent, String rule, boolean routine, long burstSize, List<String> newlyObserved, List<String> resources) {
	}

	public record Sequence(String iri, String type, BigDecimal severity, String start, String end, String actor,
			String actorLabel, String explanation, String rule, List<Signal> members, List<Link> links,
			List<ContextEvent> context) {

		public List<String> tactics() {
			return members.stream().map(Signal::tactic).filter(t -> t != null).distinct().sorted().toList();
		}
	}

	/** A call around the sequence by one of its actors from one of its clients that is not a signal itself. */
	public record ContextEvent(String event, String time, String eventName) {
	}

	/** Why two member signals are linked: the kind of key (loupe:identityKey, ...), the entity they share, the gap. */
	public record Link(String from, String to, String kind, String shared, String gap, String explanation) {
	}

	/**
	 * A period a source of evidence was switched off, or went silent with no call to say so ({@code silence}, with
	 * the tampering gap it {@code follows} if any); {@code end} is null when the evidence never shows it back.
	 */
	public record Gap(String iri, String source, String start, String end, String account, String region, String cause,
			String causeName, String actor, String actorLabel, String restore, String restoreName, boolean silence,
			String follows) {
	}

	private final EvidenceStore store;

	public Findings(EvidenceStore store) {
		this.store = store;
	}

	/** @param lang language of labels ("en", "ja"); English is used where a label lacks that language */
	public List<Signal> signals(String lang) {
		ParameterizedSparqlString pss = Queries.parameterized(Findings.class, "signals.rq");
		pss.setIri("inferred", Ids.INFERRED_GRAPH);
		pss.setLiteral("lang", lang);
		Map<String, Signal> bySig = new LinkedHashMap<>();
		store.read(() -> {
			try (QueryExecution qe = QueryExecution.dataset(store.dataset()).query(pss.asQuery()).build()) {
				ResultSet rs = qe.execSelect();
				while (rs.hasNext()) {
					QuerySolution s = rs.next();
					// an entity with several labels gives several rows: the first is kept
					bySig.putIfAbsent(str(s, "sig"), signal(s));
				}
			}
			return null;
		});
		Map<String, List<String>> fresh = bySignal("newly-observed.rq", "what");
		Map<String, List<String>> resources = bySignal("signal-resources.rq", "label");
		return bySig.values().stream().map(g -> new Signal(g.iri(), g.time(), g.severity(), g.detector(), g.detectorLabel(),
				g.technique(), g.tactic(), g.actor(), g.actorLabel(), g.event(), g.eventName(), g.ip(), g.userAgent(), g.rule(),
				g.routine(), g.burstSize(), fresh.getOrDefault(g.iri(), List.of()), resources.getOrDefault(g.iri(), List.of()))).toList();
	}

	/**
	 * One value list per signal from a query selecting ?sig and {@code var}: what each signal's principal did for
	 * the first time (rules/50-newly-observed.ru), the resources its evidence acted on or is about.
	 */
	private Map<String, List<String>> bySignal(String query, String var) {
		ParameterizedSparqlString pss = Queries.parameterized(Findings.class, query);
		pss.setIri("inferred", Ids.INFERRED_GRAPH);
		Map<String, List<String>> out = new HashMap<>();
		store.read(() -> {
			try (QueryExecution qe = QueryExecution.dataset(store.dataset()).query(pss.asQuery()).build()) {
				qe.execSelect().forEachRemaining(s -> {
					List<String> values = out.computeIfAbsent(str(s, "sig"), k -> new ArrayList<>());
					String v = str(s, var);
					if (!values.contains(v)) {
						values.add(v);
					}
				});
			}
			return null;
		});
		return out;
	}

	public List<Sequence> sequences(String lang) {
		Map<String, Signal> signals = new LinkedHashMap<>();
		signals(lang).forEach(s -> signals.put(s.iri(), s));
		ParameterizedSparqlString pss = Queries.parameterized(Findings.class, "sequences.rq");
		pss.setIri("inferred", Ids.INFERRED_GRAPH);
		pss.setLiteral("lang", lang);
		// copy every value inside the read transaction: TDB2-backed solutions are not valid after it
		Map<String, List<Map<String, String>>> rows = new LinkedHashMap<>();
		List<String> vars = List.of("type", "severity", "start", "end", "actor", "actorLabel", "explanation", "rule", "member");
		store.read(() -> {
			try (QueryExecution qe = QueryExecution.dataset(store.dataset()).query(pss.asQuery()).build()) {
				qe.execSelect().forEachRemaining(s -> {
					Map<String, String> row = new HashMap<>();
					vars.forEach(v -> row.put(v, str(s, v)));
					rows.computeIfAbsent(str(s, "seq"), k -> new ArrayList<>()).add(row);
				});
			}
			return null;
		});
		Map<String, List<Link>> links = links(lang, signals);
		Map<String, List<ContextEvent>> context = context();
		List<Sequence> out = new ArrayList<>();
		rows.forEach((iri, sols) -> {
			Map<String, String> s = sols.get(0);
			List<Signal> members = sols.stream().map(r -> signals.get(r.get("member"))).filter(m -> m != null)
					.distinct().sorted((a, b) -> a.time().compareTo(b.time())).toList();
			out.add(new Sequence(iri, s.get("type"), new BigDecimal(s.get("severity")), s.get("start"), s.get("end"),
					s.get("actor"), s.get("actorLabel"), s.get("explanation"), s.get("rule"), members,
					links.getOrDefault(iri, List.of()), context.getOrDefault(iri, List.of())));
		});
		return out;
	}

	public List<Gap> gaps() {
		ParameterizedSparqlString pss = Queries.parameterized(Findings.class, "gaps.rq");
		pss.setIri("inferred", Ids.INFERRED_GRAPH);
		Map<String, Gap> out = new LinkedHashMap<>();
		store.read(() -> {
			try (QueryExecution qe = QueryExecution.dataset(store.dataset()).query(pss.asQuery()).build()) {
				qe.execSelect().forEachRemaining(s -> out.putIfAbsent(str(s, "gap"), new Gap(str(s, "gap"), str(s, "source"),
						str(s, "start"), str(s, "end"), str(s, "account"), str(s, "region"), str(s, "cause"), str(s, "causeName"),
						str(s, "actor"), str(s, "actorLabel"), str(s, "restore"), str(s, "restoreName"),
						String.valueOf(str(s, "rule")).endsWith("/silence"), str(s, "follows"))));
			}
			return null;
		});
		return new ArrayList<>(out.values());
	}

	private Map<String, List<ContextEvent>> context() {
		ParameterizedSparqlString pss = Queries.parameterized(Findings.class, "context.rq");
		pss.setIri("inferred", Ids.INFERRED_GRAPH);
		Map<String, List<ContextEvent>> out = new HashMap<>();
		store.read(() -> {
			try (QueryExecution qe = QueryExecution.dataset(store.dataset()).query(pss.asQuery()).build()) {
				qe.execSelect().forEachRemaining(s -> out.computeIfAbsent(str(s, "seq"), k -> new ArrayList<>())
						.add(new ContextEvent(str(s, "event"), str(s, "time"), str(s, "name"))));
			}
			return null;
		});
		return out;
	}

	/** Links per sequence, in the time order of their later signal. */
	private Map<String, List<Link>> links(String lang, Map<String, Signal> signals) {
		ParameterizedSparqlString pss = Queries.parameterized(Findings.class, "links.rq");
		pss.setIri("inferred", Ids.INFERRED_GRAPH);
		pss.setLiteral("lang", lang);
		Map<String, List<Link>> out = new HashMap<>();
		store.read(() -> {
			try (QueryExecution qe = QueryExecution.dataset(store.dataset()).query(pss.asQuery()).build()) {
				qe.execSelect().forEachRemaining(s -> out.computeIfAbsent(str(s, "seq"), k -> new ArrayList<>())
						.add(new Link(str(s, "from"), str(s, "to"), str(s, "kind"), str(s, "shared"), str(s, "gap"),
								str(s, "explanation"))));
			}
			return null;
		});
		java.util.Comparator<Link> order = java.util.Comparator.comparing(
				(Link l) -> signals.containsKey(l.to()) ? signals.get(l.to()).time() : "").thenComparing(Link::to);
		out.values().forEach(l -> l.sort(order));
		return out;
	}

	private static Signal signal(QuerySolution s) {
		return new Signal(str(s, "sig"), str(s, "time"), dec(s, "severity"), str(s, "detector"),
				str(s, "detectorLabel"), str(s, "technique"), str(s, "tactic"), str(s, "actor"), str(s, "actorLabel"),
				str(s, "event"), str(s, "eventName"), str(s, "ip"), str(s, "userAgent"), str(s, "rule"),
				"true".equals(str(s, "routine")), s.contains("burstSize") ? s.getLiteral("burstSize").getLong() : 0, List.of(),
				List.of());
	}

	static String str(QuerySolution s, String var) {
		RDFNode n = s.get(var);
		if (n == null) {
			return null;
		}
		return n.isLiteral() ? n.asLiteral().getLexicalForm() : n.toString();
	}

	private static BigDecimal dec(QuerySolution s, String var) {
		String v = str(s, var);
		return v == null ? null : new BigDecimal(v);
	}
}
