package dev.loupe.core.reason;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

import org.apache.jena.graph.Node;
import org.apache.jena.graph.Triple;
import org.apache.jena.sparql.core.DatasetGraph;
import org.apache.jena.sparql.core.Quad;
import org.apache.jena.vocabulary.RDF;
import org.apache.jena.vocabulary.RDFS;

import dev.loupe.core.store.EvidenceRecord;
import dev.loupe.core.vocab.Ids;
import dev.loupe.core.vocab.Loupe;

/**
 * Reads every signal with what explains it, for the views and `loupe signals`: one index scan of each signal in
 * the inferred graph and one of each record it came from, and each label, ATT&CK ID, address or user agent looked
 * up once. As SPARQL (one OPTIONAL per detail, each matched across all source graphs) this took 4 s for the 11K
 * signals of the 1M-event bench; see docs/BENCHMARKS.md. Runs inside the caller's read transaction.
 */
final class SignalReader {
	/** The stream a signal's evidence came from: the kind of record, its account and region (each may be null). */
	record Stream(String kind, String account, String region) {
	}

	private static final Set<Node> RESOURCE_KINDS = Set.of(Loupe.AwsResource, Loupe.Ec2Instance, Loupe.S3Bucket,
			Loupe.SecurityGroup, Loupe.AccessKey, Loupe.KubernetesPod, Loupe.Domain);

	private final DatasetGraph dsg;
	private final String lang;
	private final Node inferred = Ids.inferredGraph();
	private final Map<Node, String> labels = new HashMap<>();
	private final Map<Node, String> langLabels = new HashMap<>();
	private final Map<Node, String> attackIds = new HashMap<>();
	private final Map<Node, String> values = new HashMap<>();
	private final Map<Node, String> networks = new HashMap<>();
	private final Map<Node, String> resources = new HashMap<>();
	final Map<String, Stream> streams = new HashMap<>();

	SignalReader(DatasetGraph dsg, String lang) {
		this.dsg = dsg;
		this.lang = lang;
	}

	/**
	 * What one record says about itself, read in one scan: as the summaries read it ({@link EvidenceRecord}: its
	 * time, kind and the entities it names), its name, a call's or a finding's type, and a call's error code when it
	 * was refused or failed. {@code record} is null for a record without a time.
	 */
	private record Evidence(EvidenceRecord record, String name, String error, String id) {
		Instant time() {
			return record == null ? Instant.MAX : record.time();
		}

		Node named(Node role) {
			if (record != null) {
				for (EvidenceRecord.Participant p : record.participants()) {
					if (p.role().equals(role)) {
						return p.entity();
					}
				}
			}
			return null;
		}
	}

	List<Findings.Signal> read() {
		List<Findings.Signal> out = new ArrayList<>();
		Iterator<Quad> it = dsg.find(inferred, Node.ANY, RDF.type.asNode(), Loupe.Signal);
		while (it.hasNext()) {
			Findings.Signal s = signal(it.next().getSubject());
			if (s != null) {
				out.add(s);
			}
		}
		// by instant, not text: 08:01:49Z comes before 08:01:49.82Z
		Map<Findings.Signal, Instant> at = new HashMap<>();
		out.forEach(g -> at.put(g, instant(g.time())));
		out.sort(Comparator.comparing((Findings.Signal g) -> at.get(g)).thenComparing(Findings.Signal::iri));
		return out;
	}

	private Findings.Signal signal(Node sig) {
		String time = null;
		String rule = null;
		BigDecimal severity = null;
		Node detector = null;
		Node technique = null;
		Node tactic = null;
		Node actor = null;
		boolean routine = false;
		boolean automated = false;
		boolean actorAutomated = false;
		boolean automationClient = false;
		boolean low = false;
		boolean firstSignIn = false;
		boolean posture = false;
		boolean habitual = false;
		boolean suppressed = false;
		Node deployment = null;
		long burst = 0;
		List<Node> from = new ArrayList<>();
		Set<String> fresh = new TreeSet<>();
		Iterator<Quad> it = dsg.find(inferred, sig, Node.ANY, Node.ANY);
		while (it.hasNext()) {
			Quad q = it.next();
			Node p = q.getPredicate();
			Node o = q.getObject();
			if (p.equals(Loupe.time)) {
				time = o.getLiteralLexicalForm();
			} else if (p.equals(Loupe.severity)) {
				severity = new BigDecimal(o.getLiteralLexicalForm());
			} else if (p.equals(Loupe.detector)) {
				detector = o;
			} else if (p.equals(Loupe.provWasDerivedFrom)) {
				from.add(o);
			} else if (p.equals(Loupe.rule)) {
				rule = o.getURI();
			} else if (p.equals(Loupe.technique)) {
				technique = o;
			} else if (p.equals(Loupe.tactic)) {
				tactic = o;
			} else if (p.equals(Loupe.actor)) {
				actor = o;
				actorAutomated = dsg.contains(inferred, o, RDF.type.asNode(), Loupe.AutomatedPrincipal);
			} else if (p.equals(Loupe.resolvedActor)) {
				automated |= dsg.contains(inferred, o, RDF.type.asNode(), Loupe.AutomatedPrincipal);
			} else if (p.equals(Loupe.routine)) {
				routine = "true".equals(o.getLiteralLexicalForm());
			} else if (p.equals(Loupe.lowSeverity)) {
				low = "true".equals(o.getLiteralLexicalForm());
			} else if (p.equals(Loupe.posture)) {
				posture = "true".equals(o.getLiteralLexicalForm());
			} else if (p.equals(Loupe.automationClient)) {
				automationClient = "true".equals(o.getLiteralLexicalForm());
			} else if (p.equals(Loupe.habitual)) {
				habitual = "true".equals(o.getLiteralLexicalForm());
			} else if (p.equals(Loupe.suppressed)) {
				suppressed = "true".equals(o.getLiteralLexicalForm());
			} else if (p.equals(Loupe.deployedBy)) {
				deployment = o;
			} else if (p.equals(Loupe.passwordSetBy)) {
				firstSignIn = true;
			} else if (p.equals(Loupe.burstSize)) {
				burst = Long.parseLong(o.getLiteralLexicalForm());
			} else if (p.equals(Loupe.newlyObserved)) {
				fresh.add(o.getLiteralLexicalForm());
			}
		}
		if (time == null || severity == null || detector == null || rule == null || from.isEmpty()) {
			return null; // not a complete signal: the signals query never showed these either
		}
		// a session automation runs for a person who deployed it (their stack's CloudFormation session) is theirs
		automated |= actorAutomated && deployment == null;
		// a burst comes from many records: the earliest stands for it, all of them name its resources
		Node event = null;
		Evidence first = null;
		Set<String> about = new TreeSet<>();
		List<Findings.Behind> behind = new ArrayList<>(from.size());
		for (Node e : from) {
			Evidence ev = evidence(e);
			behind.add(new Findings.Behind(e.isURI() ? e.getURI() : e.toString(), ev.id(),
					ev.record() == null ? null : ev.record().time().toString(), ev.name()));
			if (ev.record() != null) {
				for (EvidenceRecord.Participant p : ev.record().participants()) {
					// (a flow's or a query's instance, the name a query asked for)
					String label = p.role().equals(Loupe.target) || p.role().equals(Loupe.concerns) || p.role().equals(Loupe.ofInstance)
							|| p.role().equals(Loupe.queryName) ? resource(p.entity()) : null;
					if (label != null) {
						about.add(label);
					}
				}
			}
			if (first == null || compare(ev, e, first, event) < 0) {
				first = ev;
				event = e;
			}
		}
		streams.put(sig.getURI(), new Stream(first.record() == null ? null : first.record().kind(),
				value(first.named(Loupe.account), Loupe.accountId), value(first.named(Loupe.inRegion), Loupe.regionName)));
		// a DNS query or a flow has no caller's address: the asker's, or the flow's source, is where it came from
		Node origin = first.named(Loupe.sourceIp) != null ? first.named(Loupe.sourceIp) : first.named(Loupe.srcAddress);
		return new Findings.Signal(sig.getURI(), time, severity, detector.getURI(), detectorLabel(detector),
				attackId(technique), attackId(tactic), actor == null ? null : actor.getURI(), actor == null ? null : label(actor),
				event.isURI() ? event.getURI() : event.toString(), first.name(), value(origin, Loupe.address),
				network(origin), value(first.named(Loupe.userAgent), Loupe.userAgentString), first.error(), rule, routine, automated, automationClient, low, firstSignIn, posture, habitual, suppressed, burst,
				List.copyOf(fresh),
				List.copyOf(about), sorted(behind), deployer(deployment));
	}

	/** The principal behind a deploying call, its name, and the call's name and time. */
	private Findings.Deployer deployer(Node call) {
		if (call == null) {
			return null;
		}
		return new Findings.Deployer(first(call, Loupe.actor, Node::getURI), first(call, Loupe.actor, this::label),
				first(call, Loupe.eventName, Node::getLiteralLexicalForm), first(call, Loupe.eventTime, Node::getLiteralLexicalForm));
	}

	/** By time (records without one last), then by node. */
	private static List<Findings.Behind> sorted(List<Findings.Behind> behind) {
		behind.sort(Comparator.comparing((Findings.Behind b) -> instant(b.time()))
				.thenComparing(Findings.Behind::event));
		return List.copyOf(behind);
	}

	private static Instant instant(String time) {
		try {
			return time == null ? Instant.MAX : OffsetDateTime.parse(time).toInstant();
		} catch (DateTimeParseException e) {
			return Instant.MAX;
		}
	}

	private static int compare(Evidence a, Node an, Evidence b, Node bn) {
		int byTime = a.time().compareTo(b.time());
		return byTime != 0 ? byTime : an.toString().compareTo(bn.toString());
	}

	/** One scan of a record across the source graphs that hold it. */
	private Evidence evidence(Node e) {
		List<Triple> facts = new ArrayList<>();
		String name = null;
		String findingType = null;
		String error = null;
		String id = null;
		// what a DNS query or a flow, which have no name, is shown by
		String type = null;
		Node asked = null;
		Node src = null;
		Node dst = null;
		String port = null;
		String k8sResource = null;
		Iterator<Quad> it = dsg.find(Node.ANY, e, Node.ANY, Node.ANY);
		while (it.hasNext()) {
			Quad q = it.next();
			if (q.getGraph().equals(inferred)) {
				continue;
			}
			facts.add(q.asTriple());
			if (q.getPredicate().equals(Loupe.eventName) && name == null) {
				name = q.getObject().getLiteralLexicalForm();
			} else if (q.getPredicate().equals(Loupe.findingType) && findingType == null) {
				findingType = q.getObject().getLiteralLexicalForm();
			} else if (q.getPredicate().equals(Loupe.errorCode) && error == null) {
				error = q.getObject().getLiteralLexicalForm();
			} else if ((q.getPredicate().equals(Loupe.eventId) || q.getPredicate().equals(Loupe.findingId)) && id == null) {
				id = q.getObject().getLiteralLexicalForm();
			} else if (q.getPredicate().equals(Loupe.queryName)) {
				asked = q.getObject();
			} else if (q.getPredicate().equals(Loupe.queryType)) {
				type = q.getObject().getLiteralLexicalForm();
			} else if (q.getPredicate().equals(Loupe.srcAddress)) {
				src = q.getObject();
			} else if (q.getPredicate().equals(Loupe.dstAddress)) {
				dst = q.getObject();
			} else if (q.getPredicate().equals(Loupe.dstPort)) {
				port = q.getObject().getLiteralLexicalForm();
			} else if (q.getPredicate().equals(Loupe.k8sResource)) {
				k8sResource = q.getObject().getLiteralLexicalForm();
			}
		}
		if (name != null && k8sResource != null) {
			name = EvidenceRecord.kubernetesCall(name, k8sResource); // a verb says little without what it was done to
		}
		if (name == null && findingType == null && asked != null) {
			name = (type == null ? "" : type + " ") + shown(asked);
		} else if (name == null && findingType == null && src != null && dst != null) {
			name = shown(src) + " \u2192 " + shown(dst) + (port == null ? "" : ":" + port);
		}
		return new Evidence(EvidenceRecord.of(e, facts), name != null ? name : findingType, error, id);
	}

	/** A resource's label (its IRI when it has none), or null when it is not a resource kind the views show. */
	private String resource(Node r) {
		return resources.computeIfAbsent(r, n -> {
			boolean shown = false;
			Iterator<Quad> it = dsg.find(Node.ANY, n, RDF.type.asNode(), Node.ANY);
			while (it.hasNext() && !shown) {
				shown = RESOURCE_KINDS.contains(it.next().getObject());
			}
			if (!shown) {
				return null;
			}
			String l = label(n);
			return l != null ? l : n.isURI() ? n.getURI() : n.toString();
		});
	}

	private String shown(Node n) {
		String l = label(n);
		return l != null ? l : n.isURI() ? n.getURI() : n.toString();
	}

	private String label(Node n) {
		return labels.computeIfAbsent(n, x -> first(x, RDFS.label.asNode(), o -> o.getLiteralLexicalForm()));
	}

	/** The detector's label in the language asked for, else in English. */
	private String detectorLabel(Node d) {
		return langLabels.computeIfAbsent(d, x -> {
			String english = null;
			Iterator<Quad> it = dsg.find(Node.ANY, x, RDFS.label.asNode(), Node.ANY);
			while (it.hasNext()) {
				Node o = it.next().getObject();
				String l = o.getLiteralLanguage();
				if (l.equalsIgnoreCase(lang) || l.toLowerCase().startsWith(lang.toLowerCase() + "-")) {
					return o.getLiteralLexicalForm();
				}
				if (english == null && (l.equalsIgnoreCase("en") || l.toLowerCase().startsWith("en-"))) {
					english = o.getLiteralLexicalForm();
				}
			}
			return english;
		});
	}

	private String attackId(Node n) {
		return n == null ? null : attackIds.computeIfAbsent(n, x -> first(x, Loupe.attackId, o -> o.getLiteralLexicalForm()));
	}

	/** An entity's value (an address's text, a user agent's string, an account's ID), looked up once. */
	private String value(Node n, Node property) {
		return n == null ? null : values.computeIfAbsent(n, x -> first(x, property, o -> o.getLiteralLexicalForm()));
	}

	/** The label of the address's autonomous system (the networks graph's, or GuardDuty's), or null. */
	private String network(Node ip) {
		if (ip == null) {
			return null;
		}
		return networks.computeIfAbsent(ip, x -> {
			Iterator<Quad> it = dsg.find(Node.ANY, x, Loupe.inAutonomousSystem, Node.ANY);
			return it.hasNext() ? label(it.next().getObject()) : null;
		});
	}

	private String first(Node s, Node p, Function<Node, String> text) {
		Iterator<Quad> it = dsg.find(Node.ANY, s, p, Node.ANY);
		return it.hasNext() ? text.apply(it.next().getObject()) : null;
	}
}
