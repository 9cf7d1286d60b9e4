package dev.loupe.core.reason;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.jena.query.ParameterizedSparqlString;
import org.apache.jena.query.QueryExecution;
import org.apache.jena.query.QuerySolution;
import org.apache.jena.rdf.model.RDFNode;

import dev.loupe.core.query.ActorNames;
import dev.loupe.core.query.Queries;
import dev.loupe.core.store.EvidenceStore;
import dev.loupe.core.vocab.Ids;

/** Reads the inferred signals and attack sequences back from the store, for the CLI and the views. */
public final class Findings {

	/**
	 * A record a signal was derived from: its node, the ID its source gave it (a CloudTrail eventID, a finding's
	 * ID; null for records without one, such as flow log lines), its time and name. Every record behind a signal is
	 * listed (a burst's calls, each of them), so that what a sequence holds can be checked record by record
	 * against what happened.
	 */
	public record Behind(String event, String id, String time, String name) {
	}

	/**
	 * Who set running, shortly before it, what made a signal with a role (a Lambda function, a stack, a job, a build,
	 * a task, an instance launched or a command run on one), when that makes the signal the deployer's story
	 * (loupe:deployedBy): the deployer's principal and name, and the call's name and time. Null for other signals.
	 */
	public record Deployer(String principal, String label, String call, String time) {
	}

	public record Signal(String iri, String time, BigDecimal severity, String detector, String detectorLabel,
			String technique, String tactic, String actor, String actorLabel, String event, String eventName, String ip,
			String network, String userAgent, String errorCode, String rule, boolean routine, boolean automated, boolean automationClient, boolean lowSeverity, boolean firstSignIn,
			boolean posture, boolean habitual, boolean suppressed, long burstSize, List<String> newlyObserved,
			List<String> resources, List<Behind> evidence, Deployer deployedBy) {

		/**
		 * Why the linker leaves this signal out when it decides whether linked signals form a sequence (it still
		 * links), the first reason that applies; null when it counts.
		 */
		public Uncounted uncountedBecause() {
			return routine ? Uncounted.ROUTINE : automated ? Uncounted.AUTOMATED : automationClient ? Uncounted.AUTOMATION_CLIENT : lowSeverity ? Uncounted.LOW_SEVERITY
					: firstSignIn ? Uncounted.FIRST_SIGN_IN : posture ? Uncounted.POSTURE : habitual ? Uncounted.HABITUAL
					: suppressed ? Uncounted.SUPPRESSED : null;
		}

		public boolean uncounted() {
			return uncountedBecause() != null;
		}

		/** The address the evidence came from, with its network when known: "203.0.113.9 (AS64511 Example)"; or null. */
		public String from() {
			return ip == null ? null : network == null ? ip : ip + " (" + network + ")";
		}
	}

	/**
	 * Why a signal links but does not count toward a sequence: a principal's routine, automation's, a call made
	 * through automation's client by a principal that also calls otherwise (it links on nothing either), a finding of low
	 * severity that names no actor, a first sign-in after another principal set the password, a state (posture), a
	 * person's work from their everyday client (habitual), a finding the team archived or suppressed.
	 */
	public enum Uncounted {
		ROUTINE, AUTOMATED, AUTOMATION_CLIENT, LOW_SEVERITY, FIRST_SIGN_IN, POSTURE, HABITUAL, SUPPRESSED
	}

	public record Sequence(String iri, String type, BigDecimal severity, String start, String end, String actor,
			String actorLabel, String explanation, String rule, List<Signal> members, List<Link> links,
			List<ContextEvent> context) {

		public List<String> tactics() {
			return members.stream().map(Signal::tactic).filter(t -> t != null).distinct().sorted().toList();
		}

		/** How many members are attempts that failed (their call has an error code). */
		public long failedMembers() {
			return members.stream().filter(m -> m.errorCode() != null).count();
		}
	}

	/**
	 * A call around the sequence by one of its actors from one of its clients that is not a signal itself; {@code id}
	 * the ID its source gave it (CloudTrail's eventID), null when it has none.
	 */
	public record ContextEvent(String event, String time, String eventName, String id) {
	}

	/**
	 * Why two member signals are linked: the kind of key (loupe:identityKey, ...), the entity they share, the gap,
	 * and a sentence that says so in the reader's language.
	 */
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
		return store.read(() -> new SignalReader(store.dataset().asDatasetGraph(), lang).read());
	}

	public List<Sequence> sequences(String lang) {
		return sequences(lang, signals(lang));
	}

	/** The sequences, their members taken from {@code all}: the signals of the same language, already read. */
	public List<Sequence> sequences(String lang, List<Signal> all) {
		Map<String, Signal> signals = new LinkedHashMap<>();
		all.forEach(s -> signals.put(s.iri(), s));
		ParameterizedSparqlString pss = Queries.parameterized(Findings.class, "sequences.rq");
		pss.setIri("inferred", Ids.INFERRED_GRAPH);
		pss.setLiteral("lang", lang);
		// copy every value inside the read transaction: TDB2-backed solutions are not valid after it
		Map<String, Map<String, String>> rows = new LinkedHashMap<>();
		List<String> vars = List.of("type", "severity", "start", "end", "actor", "actorLabel", "explanation", "rule");
		store.read(() -> {
			try (QueryExecution qe = QueryExecution.dataset(store.dataset()).query(pss.asQuery()).build()) {
				qe.execSelect().forEachRemaining(s -> rows.computeIfAbsent(str(s, "seq"), k -> {
					// an actor with several labels gives several rows: the first is kept
					Map<String, String> row = new HashMap<>();
					vars.forEach(v -> row.put(v, str(s, v)));
					return row;
				}));
			}
			return null;
		});
		Map<String, java.util.Set<String>> memberIris = new HashMap<>();
		ParameterizedSparqlString members = Queries.parameterized(Findings.class, "sequence-members.rq");
		members.setIri("inferred", Ids.INFERRED_GRAPH);
		store.read(() -> {
			try (QueryExecution qe = QueryExecution.dataset(store.dataset()).query(members.asQuery()).build()) {
				qe.execSelect().forEachRemaining(s -> memberIris.computeIfAbsent(str(s, "seq"), k -> new java.util.HashSet<>())
						.add(str(s, "member")));
			}
			return null;
		});
		Map<String, List<Link>> links = links(lang, signals);
		Map<String, List<ContextEvent>> context = context();
		List<Sequence> out = new ArrayList<>();
		rows.forEach((iri, s) -> {
			java.util.Set<String> in = memberIris.getOrDefault(iri, java.util.Set.of());
			// in the signals' own order: by time, then IRI
			List<Signal> ordered = all.stream().filter(g -> in.contains(g.iri())).toList();
			out.add(new Sequence(iri, s.get("type"), new BigDecimal(s.get("severity")), s.get("start"), s.get("end"),
					s.get("actor"), s.get("actorLabel"), s.get("explanation"), s.get("rule"), ordered,
					links.getOrDefault(iri, List.of()), context.getOrDefault(iri, List.of())));
		});
		return out;
	}

	/**
	 * Signals (with the stream each one's evidence came from), sequences and gaps, read together: what the views
	 * that show them all can share instead of each reading it.
	 */
	public static final class Snapshot {
		public final List<Signal> signals;
		public final List<Sequence> sequences;
		public final List<Gap> gaps;
		final Map<String, SignalReader.Stream> streams;

		private Snapshot(List<Signal> signals, Map<String, SignalReader.Stream> streams, List<Sequence> sequences, List<Gap> gaps) {
			this.signals = signals;
			this.streams = streams;
			this.sequences = sequences;
			this.gaps = gaps;
		}
	}

	/** @param lang language of labels ("en", "ja") */
	public Snapshot snapshot(String lang) {
		SignalReader reader = new SignalReader(store.dataset().asDatasetGraph(), lang);
		List<Signal> signals = store.read(reader::read);
		return new Snapshot(signals, reader.streams, sequences(lang, signals), gaps());
	}

	/** A sequence as an update changes it: what it is, whose, and how many signals it holds. */
	public record SequenceSize(String iri, String type, BigDecimal severity, String actorLabel, long members) {
	}

	/** Every sequence's size, by IRI (it stays when a sequence grows later): cheap beside {@link #sequences}. */
	public Map<String, SequenceSize> sequenceSizes() {
		ParameterizedSparqlString pss = Queries.parameterized(Findings.class, "sequence-sizes.rq");
		pss.setIri("inferred", Ids.INFERRED_GRAPH);
		Map<String, SequenceSize> out = new LinkedHashMap<>();
		store.read(() -> {
			try (QueryExecution qe = QueryExecution.dataset(store.dataset()).query(pss.asQuery()).build()) {
				qe.execSelect().forEachRemaining(s -> out.putIfAbsent(str(s, "seq"), new SequenceSize(str(s, "seq"), str(s, "type"),
						new BigDecimal(str(s, "severity")), s.contains("actorLabel") ? str(s, "actorLabel") : str(s, "actor"),
						s.getLiteral("members").getLong())));
			}
			return null;
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

	/**
	 * The name to show for each principal these findings name, with its account when several share it
	 * ({@link ActorNames}): for what people read; the JSON reports keep each one's own name beside its IRI.
	 */
	public static Map<String, String> actorNames(List<Signal> signals, List<Sequence> sequences, List<Gap> gaps) {
		Map<String, String> labels = new LinkedHashMap<>();
		signals.forEach(m -> ActorNames.note(labels, m.actor(), m.actorLabel()));
		sequences.forEach(q -> {
			ActorNames.note(labels, q.actor(), q.actorLabel());
			q.members().forEach(m -> ActorNames.note(labels, m.actor(), m.actorLabel()));
		});
		gaps.forEach(g -> ActorNames.note(labels, g.actor(), g.actorLabel()));
		return ActorNames.distinct(labels);
	}

	/** The name {@link #actorNames} gives a principal, else its own (a principal with no IRI keeps its label). */
	public static String actorName(Map<String, String> names, String iri, String label) {
		return iri == null ? label : names.getOrDefault(iri, label);
	}

	private Map<String, List<ContextEvent>> context() {
		ParameterizedSparqlString pss = Queries.parameterized(Findings.class, "context.rq");
		pss.setIri("inferred", Ids.INFERRED_GRAPH);
		Map<String, List<ContextEvent>> out = new HashMap<>();
		store.read(() -> {
			try (QueryExecution qe = QueryExecution.dataset(store.dataset()).query(pss.asQuery()).build()) {
				qe.execSelect().forEachRemaining(s -> out.computeIfAbsent(str(s, "seq"), k -> new ArrayList<>())
						.add(new ContextEvent(str(s, "event"), str(s, "time"), str(s, "name"), str(s, "id"))));
			}
			return null;
		});
		return out;
	}

	/** Links per sequence, in the time order of their later signal. */
	private Map<String, List<Link>> links(String lang, Map<String, Signal> signals) {
		ParameterizedSparqlString pss = Queries.parameterized(Findings.class, "links.rq");
		pss.setIri("inferred", Ids.INFERRED_GRAPH);
		Map<String, List<Link>> out = new HashMap<>();
		store.read(() -> {
			Explanations texts = new Explanations(store.dataset().asDatasetGraph().getUnionGraph());
			try (QueryExecution qe = QueryExecution.dataset(store.dataset()).query(pss.asQuery()).build()) {
				qe.execSelect().forEachRemaining(s -> {
					String gap = str(s, "gap");
					String why = texts.link(s.get("kind").asNode(), s.get("shared").asNode(), Duration.parse(gap), lang);
					out.computeIfAbsent(str(s, "seq"), k -> new ArrayList<>())
							.add(new Link(str(s, "from"), str(s, "to"), str(s, "kind"), str(s, "shared"), gap, why));
				});
			}
			return null;
		});
		// in the time order of the later signal (the signals are read in time order)
		Map<String, Integer> position = new HashMap<>();
		signals.keySet().forEach(iri -> position.put(iri, position.size()));
		java.util.Comparator<Link> order = java.util.Comparator.comparing((Link l) -> position.getOrDefault(l.to(), -1))
				.thenComparing(Link::to);
		out.values().forEach(l -> l.sort(order));
		return out;
	}

	static String str(QuerySolution s, String var) {
		RDFNode n = s.get(var);
		if (n == null) {
			return null;
		}
		return n.isLiteral() ? n.asLiteral().getLexicalForm() : n.toString();
	}
}
