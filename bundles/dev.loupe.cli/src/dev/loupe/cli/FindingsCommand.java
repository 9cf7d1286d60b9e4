package dev.loupe.cli;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.loupe.core.reason.Findings;
import dev.loupe.core.reason.Findings.Sequence;
import dev.loupe.core.reason.Findings.Signal;
import dev.loupe.core.store.EvidenceStore;

/**
 * `loupe sequences|signals|gaps [--store DIR] [--format text|json] [--min-severity N] [--actor TEXT] [--since T]
 * [--until T]`: what the last `loupe reason` inferred, or the part of it the options keep.
 */
final class FindingsCommand implements Cli.Command {
	enum Kind {
		SEQUENCES, SIGNALS, GAPS
	}

	private static final int CONTEXT_SHOWN = 20;
	private final Kind kind;

	FindingsCommand(Kind kind) {
		this.kind = kind;
	}

	@Override
	public String help() {
		return switch (kind) {
		case SEQUENCES -> Messages.helpSequences;
		case SIGNALS -> Messages.helpSignals;
		case GAPS -> Messages.helpGaps;
		};
	}

	@Override
	public int run(Options o, Cli cli) throws Exception {
		boolean json = Cli.wantsJson(o);
		FindingsFilter only = FindingsFilter.of(o);
		try (EvidenceStore store = cli.openStore(o)) {
			Findings findings = new Findings(store);
			String lang = cli.labelLanguage();
			// each read once: at a million events the signals take a second
			switch (kind) {
			case SEQUENCES -> {
				List<Sequence> sequences = findings.sequences(lang).stream().filter(only::keeps).toList();
				if (json) {
					cli.printJson(sequencesJson(sequences));
				} else {
					printSequences(sequences, cli);
				}
			}
			case SIGNALS -> print(findings.signals(lang).stream().filter(only::keeps).toList(), json, cli, FindingsCommand::printSignals);
			case GAPS -> print(findings.gaps().stream().filter(only::keeps).toList(), json, cli, FindingsCommand::printGaps);
			}
			return Cli.OK;
		}
	}

	private static <T> void print(List<T> list, boolean json, Cli cli, java.util.function.BiConsumer<List<T>, Cli> text)
			throws java.io.IOException {
		if (json) {
			cli.printJson(list);
		} else {
			text.accept(list, cli);
		}
	}

	/**
	 * The sequences as JSON, each with what the text shows of it as a whole besides its fields: its tactics and
	 * techniques, every principal its signals name (the sequence's actor first), and how many of its signals are
	 * attempts that failed.
	 */
	private static ArrayNode sequencesJson(List<Sequence> list) {
		ObjectMapper json = new ObjectMapper();
		ArrayNode out = json.valueToTree(list);
		for (int i = 0; i < list.size(); i++) {
			Sequence q = list.get(i);
			ObjectNode o = (ObjectNode) out.get(i);
			o.set("tactics", json.valueToTree(q.tactics()));
			o.set("techniques", json.valueToTree(q.members().stream().map(Signal::technique).filter(t -> t != null).distinct().sorted().toList()));
			Map<String, String> actors = new LinkedHashMap<>();
			actors.put(q.actor(), q.actorLabel());
			q.members().stream().filter(m -> m.actor() != null).forEach(m -> actors.putIfAbsent(m.actor(), m.actorLabel()));
			ArrayNode named = o.putArray("actors");
			actors.forEach((iri, label) -> named.addObject().put("actor", iri).put("actorLabel", label));
			o.put("failedMembers", q.failedMembers());
		}
		return out;
	}

	static void printSequences(List<Sequence> list, Cli cli) {
		if (list.isEmpty()) {
			cli.out.println(Messages.sequencesNone);
		}
		Map<String, String> names = Findings.actorNames(List.of(), list, List.of());
		int i = 0;
		for (Sequence s : list) {
			cli.out.println(Messages.bind(Messages.sequenceHeader,
					new Object[] { ++i, list.size(), s.type(), s.severity(), level(s.severity().doubleValue()) }));
			cli.out.println(Messages.bind(Messages.sequenceActor, s.actorLabel(), s.actor()));
			cli.out.println(Messages.bind(Messages.sequenceWindow, s.start(), s.end()));
			cli.out.println(Messages.bind(Messages.sequenceTactics, String.join(", ", s.tactics())));
			cli.out.println(Messages.bind(Messages.sequenceWhy, s.explanation(), s.rule()));
			// what was only tried is told apart from what was done before anyone reads the members
			if (s.failedMembers() > 0) {
				cli.out.println(Messages.bind(Messages.sequenceFailed, s.failedMembers(), s.members().size()));
			}
			cli.out.println(Messages.sequenceSignals);
			s.members().forEach(m -> printSignal(m, cli, "    ", names));
			if (!s.links().isEmpty()) {
				Map<String, Signal> byIri = new HashMap<>();
				s.members().forEach(m -> byIri.put(m.iri(), m));
				cli.out.println(Messages.sequenceLinks);
				for (Findings.Link l : s.links()) {
					cli.out.println(Messages.bind(Messages.linkLine, new Object[] { name(byIri.get(l.from())),
							name(byIri.get(l.to())), l.explanation() }));
				}
			}
			if (!s.context().isEmpty()) {
				cli.out.println(Messages.bind(Messages.sequenceContext, s.context().size()));
				s.context().stream().limit(CONTEXT_SHOWN).forEach(c -> cli.out.println(
						Messages.bind(Messages.contextLine, new Object[] { c.time(), c.eventName(), c.event() })));
				if (s.context().size() > CONTEXT_SHOWN) {
					cli.out.println(Messages.bind(Messages.contextMore, s.context().size() - CONTEXT_SHOWN));
				}
			}
			cli.out.println();
		}
	}

	private static void printSignals(List<Signal> list, Cli cli) {
		if (list.isEmpty()) {
			cli.out.println(Messages.signalsNone);
		}
		Map<String, String> names = Findings.actorNames(list, List.of(), List.of());
		list.forEach(s -> printSignal(s, cli, "", names));
	}

	private static String name(Signal s) {
		return s == null ? "?" : s.time() + " " + s.eventName();
	}

	private static void printGaps(List<Findings.Gap> list, Cli cli) {
		if (list.isEmpty()) {
			cli.out.println(Messages.gapsNone);
		}
		Map<String, String> names = Findings.actorNames(List.of(), List.of(), list);
		for (Findings.Gap g : list) {
			cli.out.println(Messages.bind(g.silence() ? Messages.silenceLine : Messages.gapLine, new Object[] { g.source(),
					or(g.account()), or(g.region()), g.start(), g.end() == null ? (g.silence() ? Messages.silenceOpen : Messages.gapOpen) : g.end() }));
			if (g.silence()) {
				cli.out.println(g.follows() != null ? Messages.bind(Messages.silenceFollows, g.follows()) : Messages.silenceCause);
				continue;
			}
			String actor = or(Findings.actorName(names, g.actor(), g.actorLabel()));
			cli.out.println(Messages.bind(Messages.gapCause, new Object[] { g.causeName(), actor, g.cause() }));
			if (g.restore() != null) {
				cli.out.println(Messages.bind(Messages.gapRestore, g.restoreName(), g.restore()));
			}
		}
	}

	private static String or(String s) {
		return s == null ? "-" : s;
	}

	/** Why the linker does not count the signal, if it does not. */
	private static String uncounted(Signal m) {
		Findings.Uncounted why = m.uncountedBecause();
		return why == null ? "" : switch (why) {
		case ROUTINE -> Messages.signalRoutine;
		case AUTOMATED -> Messages.signalAutomated;
		case AUTOMATION_CLIENT -> Messages.signalAutomationClient;
		case LOW_SEVERITY -> Messages.signalLowSeverity;
		case FIRST_SIGN_IN -> Messages.signalFirstSignIn;
		case POSTURE -> Messages.signalPosture;
		case HABITUAL -> Messages.signalHabitual;
		case SUPPRESSED -> Messages.signalSuppressed;
		};
	}

	/** @param names the name shown for each principal ({@link Findings#actorNames}) */
	private static void printSignal(Signal m, Cli cli, String indent, Map<String, String> names) {
		cli.out.println(indent + Messages.bind(Messages.signalLine, new Object[] { m.time(), or(m.technique()), or(m.tactic()),
				m.severity(), m.detectorLabel(), or(Findings.actorName(names, m.actor(), m.actorLabel())) })
				+ uncounted(m)
				+ (m.errorCode() != null ? Messages.bind(Messages.signalFailed, m.errorCode()) : "")
				+ (m.burstSize() > 0 ? Messages.bind(Messages.signalBurst, m.burstSize()) : "")
				+ (m.newlyObserved().isEmpty() ? "" : Messages.bind(Messages.signalNew, newly(m.newlyObserved())))
				+ (m.deployedBy() == null ? "" : Messages.bind(Messages.signalDeployed, new Object[] {
						or(Findings.actorName(names, m.deployedBy().principal(), m.deployedBy().label())), or(m.deployedBy().call()),
						or(m.deployedBy().time()) })));
		cli.out.println(indent + Messages.bind(Messages.signalEvidence, new Object[] { m.eventName(),
				m.ip() == null ? "-" : m.from(), m.userAgent() == null ? "-" : m.userAgent(), m.event(), m.rule() }));
		if (!m.resources().isEmpty()) {
			cli.out.println(indent + Messages.bind(Messages.signalResources, String.join(", ", m.resources().stream().limit(10).toList())
					+ (m.resources().size() > 10 ? ", ..." : "")));
		}
	}

	/** The baseline's words for what was new, in the user's language. */
	private static String newly(List<String> what) {
		return String.join(", ", what.stream().map(w -> switch (w) {
		case "user-agent" -> Messages.newUserAgent;
		case "address" -> Messages.newAddress;
		case "asn" -> Messages.newNetwork;
		case "region" -> Messages.newRegion;
		case "api" -> Messages.newApi;
		default -> w;
		}).toList());
	}

	/** GuardDuty's severity bands. */
	private static String level(double sev) {
		return sev >= 9 ? Messages.severityCritical : sev >= 7 ? Messages.severityHigh
				: sev >= 4 ? Messages.severityMedium : Messages.severityLow;
	}
}
