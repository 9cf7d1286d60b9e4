package dev.loupe.core.store;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.jena.datatypes.xsd.XSDDatatype;
import org.apache.jena.graph.Node;
import org.apache.jena.graph.NodeFactory;
import org.apache.jena.sparql.core.DatasetGraph;
import org.apache.jena.vocabulary.RDF;

import dev.loupe.core.store.EvidenceRecord.Participant;
import dev.loupe.core.vocab.Ids;
import dev.loupe.core.vocab.Loupe;

/**
 * The store-wide summary graph ({@link Ids#SUMMARY_GRAPH}): for each pair of entities met in the same records,
 * each principal's use of each API, and each hour of each stream of evidence (kind, account, region), how many
 * records and when. Neighbourhoods and the overview graph read
 * these few facts instead of adding up raw records on every question (see ../shared/notes/performance-anchors.md).
 * <p>
 * Per-source copies would cost more than the records themselves (files of a few minutes share few pairs), so
 * the graph is derived: each ingest batch merges its records in, in the batch's transaction, and removing a
 * source rebuilds it from the sources that remain. Counts add, times take the min/max, so the result does not
 * depend on the order sources arrived in.
 */
public final class Summaries {
	private record Pair(Node entity, Node other, Node otherRole) {
	}

	private record Api(Node actor, String service, String name) {
	}

	/** One hour of one stream of evidence: a kind of record in an account and region (null when not known). */
	private record Hour(String kind, Node account, Node region, long hour) {
	}

	private static final long HOUR = 3_600_000L;

	/** first, last (epoch ms), count, failed */
	private final Map<Pair, long[]> pairs = new HashMap<>();
	private final Map<Api, long[]> apis = new HashMap<>();
	private final Map<Hour, long[]> hours = new HashMap<>();

	/** Adds one record: every ordered pair of distinct entities in it, with the role of the second one. */
	public void add(EvidenceRecord r) {
		long t = r.time().toEpochMilli();
		List<Participant> ps = r.participants();
		int n = ps.size();
		boolean instanceNamed = false;
		for (Participant p : ps) {
			instanceNamed |= p.role().equals(Loupe.ofInstance);
		}
		// records mention a handful of entities: plain loops, no sets (this runs for every record ingested)
		for (int i = 0; i < n; i++) {
			Node x = ps.get(i).entity();
			Node xRole = ps.get(i).role();
			if (SCOPES.contains(xRole) || seenBefore(ps, i, x)) {
				continue;
			}
			for (int j = 0; j < n; j++) {
				Participant p = ps.get(j);
				if (!p.entity().equals(x) && linked(xRole, p.role()) && !(instanceNamed && bothAddresses(xRole, p.role()))
						&& !pairSeenBefore(ps, j, p)) {
					count(pairs.computeIfAbsent(new Pair(x, p.entity(), p.role()), k -> fresh()), t, false);
				}
			}
		}
		if (r.isApiCall()) {
			count(apis.computeIfAbsent(new Api(r.actor(), r.service(), r.name()), k -> fresh()), t, r.failed());
		}
		if (r.kind() != null) {
			Node account = null;
			Node region = null;
			for (Participant p : ps) {
				if (p.role().equals(Loupe.account)) {
					account = p.entity();
				} else if (p.role().equals(Loupe.inRegion)) {
					region = p.entity();
				}
			}
			count(hours.computeIfAbsent(new Hour(r.kind(), account, region, Math.floorDiv(t, HOUR) * HOUR), k -> fresh()), t, false);
		}
	}

	/**
	 * Accounts and regions are not summarised from their side: their neighbours would be everything in them
	 * (entities reach them through loupe:inAccount, and the summaries say where each entity was seen).
	 */
	private static final java.util.Set<Node> SCOPES = java.util.Set.of(Loupe.account, Loupe.inRegion);

	/**
	 * Resources acted on are linked with the actor only, both ways: "who touched this bucket" and "what did this
	 * principal touch". Their pairs with the actor's key, address and user agent would be the product of both
	 * fan-outs (most of the summary, in generated and real trails) and are one hop further through the actor.
	 */
	/**
	 * A flow's two addresses, when the flow names its instance: the instance stands for its own address, so the
	 * remote address is paired with the instance only (a flow log meets thousands of remote addresses).
	 */
	private static boolean bothAddresses(Node role, Node otherRole) {
		return (role.equals(Loupe.srcAddress) || role.equals(Loupe.dstAddress))
				&& (otherRole.equals(Loupe.srcAddress) || otherRole.equals(Loupe.dstAddress));
	}

	private static boolean linked(Node role, Node otherRole) {
		boolean target = role.equals(Loupe.target) || role.equals(Loupe.concerns);
		boolean otherTarget = otherRole.equals(Loupe.target) || otherRole.equals(Loupe.concerns);
		if (target) {
			return otherRole.equals(Loupe.actor);
		}
		return !otherTarget || role.equals(Loupe.actor);
	}

	/** Whether an entity already appeared before position {@code i} (other than as a scope): it was counted then. */
	private static boolean seenBefore(List<Participant> ps, int i, Node x) {
		for (int k = 0; k < i; k++) {
			if (ps.get(k).entity().equals(x) && !SCOPES.contains(ps.get(k).role())) {
				return true;
			}
		}
		return false;
	}

	private static boolean pairSeenBefore(List<Participant> ps, int j, Participant p) {
		for (int k = 0; k < j; k++) {
			if (ps.get(k).equals(p)) {
				return true;
			}
		}
		return false;
	}

	/** Adds what {@code other} holds (the summaries of one file into those of its batch). */
	public void addAll(Summaries other) {
		other.pairs.forEach((k, a) -> combine(pairs.computeIfAbsent(k, x -> fresh()), a));
		other.apis.forEach((k, a) -> combine(apis.computeIfAbsent(k, x -> fresh()), a));
		other.hours.forEach((k, a) -> combine(hours.computeIfAbsent(k, x -> fresh()), a));
	}

	private static void combine(long[] into, long[] a) {
		into[0] = Math.min(into[0], a[0]);
		into[1] = Math.max(into[1], a[1]);
		into[2] += a[2];
		into[3] += a[3];
	}

	public boolean isEmpty() {
		return pairs.isEmpty() && apis.isEmpty() && hours.isEmpty();
	}

	/** Merges what was added into the summary graph; call inside a write transaction. Forgets it afterwards. */
	public void mergeInto(DatasetGraph dsg) {
		Node g = Ids.summaryGraph();
		pairs.forEach((pair, a) -> {
			Node c = Ids.summary("cooccurrence", pair.entity().getURI(), pair.other().getURI(), pair.otherRole().getURI());
			if (!merge(dsg, g, c, a, false)) {
				dsg.add(g, c, RDF.type.asNode(), Loupe.Cooccurrence);
				dsg.add(g, c, Loupe.summaryOf, pair.entity());
				dsg.add(g, c, Loupe.cooccursWith, pair.other());
				dsg.add(g, c, Loupe.cooccurrenceRole, pair.otherRole());
			}
		});
		apis.forEach((api, a) -> {
			Node u = Ids.summary("api-usage", api.actor().getURI(), api.service(), api.name());
			if (!merge(dsg, g, u, a, true)) {
				dsg.add(g, u, RDF.type.asNode(), Loupe.ApiUsage);
				dsg.add(g, u, Loupe.summaryOf, api.actor());
				dsg.add(g, u, Loupe.apiService, NodeFactory.createLiteralString(api.service()));
				dsg.add(g, u, Loupe.apiName, NodeFactory.createLiteralString(api.name()));
			}
		});
		hours.forEach((h, a) -> {
			Node n = Ids.summary("activity-hour", h.kind(), h.account() == null ? "-" : h.account().getURI(),
					h.region() == null ? "-" : h.region().getURI(), Long.toString(h.hour()));
			if (!merge(dsg, g, n, a, false)) {
				dsg.add(g, n, RDF.type.asNode(), Loupe.ActivityHour);
				dsg.add(g, n, Loupe.evidenceKind, NodeFactory.createLiteralString(h.kind()));
				dsg.add(g, n, Loupe.hourStart, time(h.hour()));
				if (h.account() != null) {
					dsg.add(g, n, Loupe.account, h.account());
				}
				if (h.region() != null) {
					dsg.add(g, n, Loupe.inRegion, h.region());
				}
			}
		});
		pairs.clear();
		apis.clear();
		hours.clear();
	}

	/**
	 * Replaces the summary graph by one computed from every source graph; call inside a write transaction.
	 * @return the number of records read
	 */
	public static long rebuild(DatasetGraph dsg) {
		dsg.deleteAny(Ids.summaryGraph(), Node.ANY, Node.ANY, Node.ANY);
		List<Node> sources = new ArrayList<>();
		dsg.find(Node.ANY, Node.ANY, RDF.type.asNode(), Loupe.EvidenceSource).forEachRemaining(q -> {
			if (q.getGraph().equals(q.getSubject())) {
				sources.add(q.getGraph());
			}
		});
		long[] records = { 0 };
		Summaries s = new Summaries();
		for (Node source : sources) {
			EvidenceRecord.readAll(dsg, source, r -> {
				s.add(r);
				records[0]++;
			});
			// merging per source keeps memory to one source's distinct pairs
			s.mergeInto(dsg);
		}
		return records[0];
	}

	/** Whether the store has sources but no (or not all) summaries: made by a version of Loupe without them. */
	static boolean missing(DatasetGraph dsg) {
		return !dsg.find(Ids.summaryGraph(), Node.ANY, RDF.type.asNode(), Loupe.ActivityHour).hasNext()
				&& dsg.find(Node.ANY, Node.ANY, Loupe.recordCount, Node.ANY).hasNext();
	}

	/**
	 * Adds {@code a} into the stored values of {@code s} (with its failed calls when {@code api}).
	 * @return false when {@code s} was not stored yet: its values are written, the caller writes the rest
	 */
	private static boolean merge(DatasetGraph dsg, Node g, Node s, long[] a, boolean api) {
		Node stored = value(dsg, g, s, Loupe.eventCount);
		if (stored != null) {
			a[0] = Math.min(a[0], millis(value(dsg, g, s, Loupe.firstSeen)));
			a[1] = Math.max(a[1], millis(value(dsg, g, s, Loupe.lastSeen)));
			a[2] += Long.parseLong(stored.getLiteralLexicalForm());
			for (Node p : List.of(Loupe.firstSeen, Loupe.lastSeen, Loupe.eventCount)) {
				dsg.deleteAny(g, s, p, Node.ANY);
			}
			if (api) {
				a[3] += Long.parseLong(value(dsg, g, s, Loupe.failedCount).getLiteralLexicalForm());
				dsg.deleteAny(g, s, Loupe.failedCount, Node.ANY);
			}
		}
		dsg.add(g, s, Loupe.firstSeen, time(a[0]));
		dsg.add(g, s, Loupe.lastSeen, time(a[1]));
		dsg.add(g, s, Loupe.eventCount, count(a[2]));
		if (api) {
			dsg.add(g, s, Loupe.failedCount, count(a[3]));
		}
		return stored != null;
	}

	private static long millis(Node time) {
		return Instant.parse(time.getLiteralLexicalForm()).toEpochMilli();
	}

	private static Node value(DatasetGraph dsg, Node g, Node s, Node p) {
		var it = dsg.find(g, s, p, Node.ANY);
		return it.hasNext() ? it.next().getObject() : null;
	}

	private static long[] fresh() {
		return new long[] { Long.MAX_VALUE, Long.MIN_VALUE, 0, 0 };
	}

	private static void count(long[] a, long t, boolean failed) {
		a[0] = Math.min(a[0], t);
		a[1] = Math.max(a[1], t);
		a[2]++;
		if (failed) {
			a[3]++;
		}
	}

	private static Node count(long n) {
		return NodeFactory.createLiteralDT(Long.toString(n), XSDDatatype.XSDlong);
	}

	private static Node time(long epochMillis) {
		return NodeFactory.createLiteralDT(Instant.ofEpochMilli(epochMillis).toString(), XSDDatatype.XSDdateTime);
	}
}
