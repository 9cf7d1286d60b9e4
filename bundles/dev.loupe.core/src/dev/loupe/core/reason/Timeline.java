package dev.loupe.core.reason;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

import org.apache.jena.query.ParameterizedSparqlString;
import org.apache.jena.query.QueryExecution;

import dev.loupe.core.query.Queries;
import dev.loupe.core.store.EvidenceStore;
import dev.loupe.core.vocab.Ids;

/**
 * What the timeline draws, computed here so that the view only paints: one lane per stream of evidence (a source,
 * account and region) with its records per hour; on each lane the coverage gaps of that source there, and the
 * signals whose evidence came from it; above them the attack sequences as spans over their members' times. A gap
 * that never ended runs to the end of the evidence, since that is what the analyst cannot see past.
 */
public record Timeline(Instant from, Instant to, List<Lane> lanes, List<Span> sequences) {

	/**
	 * A stream of evidence: {@code source} as gaps name it (CloudTrail, VPC Flow Logs...); {@code account} and
	 * {@code region} null when its records do not say. {@code hours} and {@code counts}: the start (epoch
	 * milliseconds) and record count of each hour that had records, in time order.
	 */
	public record Lane(String source, String account, String region, long[] hours, long[] counts, List<Findings.Gap> gaps,
			List<Findings.Signal> signals) {

		public long records() {
			long n = 0;
			for (long c : counts) {
				n += c;
			}
			return n;
		}

		public long maxCount() {
			long n = 0;
			for (long c : counts) {
				n = Math.max(n, c);
			}
			return n;
		}
	}

	/** A sequence and the time its members span. */
	public record Span(Findings.Sequence sequence, Instant start, Instant end) {
	}

	public boolean isEmpty() {
		return lanes.isEmpty() && sequences.isEmpty();
	}

	/** A window of time. */
	public record Window(Instant from, Instant to) {
	}

	/** The least a focus shows around the incident, on each side. */
	private static final long MARGIN = 30 * 60_000L;

	/**
	 * Where to look first: from the first attack sequence or coverage gap to the last, with a margin of a tenth of
	 * that (half an hour at least); all the evidence when there is none, or when they take most of it anyway. The
	 * evidence often reaches far from the incident (a finding first seen last year, a stray record of an old
	 * sample), and the whole of it would squeeze the incident into a few pixels.
	 */
	public Window focus() {
		long lo = Long.MAX_VALUE;
		long hi = Long.MIN_VALUE;
		for (Span s : sequences) {
			lo = Math.min(lo, s.start().toEpochMilli());
			hi = Math.max(hi, s.end().toEpochMilli());
		}
		for (Lane l : lanes) {
			for (Findings.Gap g : l.gaps()) {
				long start = Instant.parse(g.start()).toEpochMilli();
				lo = Math.min(lo, start);
				hi = Math.max(hi, g.end() == null ? start : Instant.parse(g.end()).toEpochMilli());
			}
		}
		Window all = new Window(from, to);
		if (lo > hi) {
			return all;
		}
		long margin = Math.max((hi - lo) / 10, MARGIN);
		lo = Math.max(from.toEpochMilli(), lo - margin);
		hi = Math.min(to.toEpochMilli(), hi + margin);
		return hi - lo > (to.toEpochMilli() - from.toEpochMilli()) / 2 ? all : new Window(Instant.ofEpochMilli(lo), Instant.ofEpochMilli(hi));
	}

	/**
	 * The streams whose source, account or region contains {@code text} (ignoring case), and the sequences whose
	 * type or actor does or that have a signal on one of those streams: filtering by an account shows its
	 * streams and the sequences that reached it. The time range stays that of all the evidence.
	 */
	public Timeline filtered(String text) {
		String q = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
		if (q.isEmpty()) {
			return this;
		}
		List<Lane> shown = lanes.stream().filter(l -> contains(q, l.source(), l.account(), l.region())).toList();
		java.util.Set<String> onShown = new java.util.HashSet<>();
		shown.forEach(l -> l.signals().forEach(g -> onShown.add(g.iri())));
		List<Span> spans = sequences.stream().filter(s -> contains(q, s.sequence().type(), s.sequence().actorLabel())
				|| s.sequence().members().stream().anyMatch(m -> onShown.contains(m.iri()))).toList();
		return new Timeline(from, to, shown, spans);
	}

	private static boolean contains(String q, String... texts) {
		for (String t : texts) {
			if (t != null && t.toLowerCase(Locale.ROOT).contains(q)) {
				return true;
			}
		}
		return false;
	}

	/** @param lang language of labels ("en", "ja") */
	public static Timeline load(EvidenceStore store, String lang) {
		return of(store, new Findings(store).snapshot(lang));
	}

	/** From what the rules found, already read; the hours of the streams are read here. */
	public static Timeline of(EvidenceStore store, Findings.Snapshot found) {
		List<Findings.Signal> signals = found.signals;
		Map<String, SignalReader.Stream> streams = found.streams;
		List<Findings.Gap> gaps = found.gaps;
		List<Findings.Sequence> sequences = found.sequences;
		Map<Key, TreeMap<Long, Long>> hours = hours(store);
		Map<Key, Builder> lanes = new LinkedHashMap<>();
		hours.keySet().stream().sorted().forEach(k -> lanes.put(k, new Builder(k)));
		long[] range = { Long.MAX_VALUE, Long.MIN_VALUE };
		hours.values().forEach(h -> {
			range[0] = Math.min(range[0], h.firstKey());
			range[1] = Math.max(range[1], h.lastKey() + 3_600_000L);
		});
		for (Findings.Signal s : signals) {
			SignalReader.Stream from = streams.get(s.iri());
			// a signal whose evidence is of no kind the summary counts is drawn with the findings
			Key k = from == null || from.kind() == null ? new Key(source("Finding"), null, null)
					: new Key(source(from.kind()), from.account(), from.region());
			lane(lanes, k).signals.add(s);
			stretch(range, Instant.parse(s.time()).toEpochMilli());
		}
		for (Findings.Gap g : gaps) {
			String source = gapSource(g.source());
			List<Builder> on = lanes.values().stream().filter(b -> b.key.source.equals(source) && Objects.equals(b.key.account, g.account())
					&& (g.region() == null || Objects.equals(b.key.region, g.region()))).toList();
			(on.isEmpty() ? List.of(lane(lanes, new Key(source, g.account(), g.region()))) : on).forEach(b -> b.gaps.add(g));
			stretch(range, Instant.parse(g.start()).toEpochMilli());
			if (g.end() != null) {
				stretch(range, Instant.parse(g.end()).toEpochMilli());
			}
		}
		List<Span> spans = new ArrayList<>();
		for (Findings.Sequence q : sequences) {
			Instant start = q.members().stream().map(m -> Instant.parse(m.time())).min(Comparator.naturalOrder())
					.orElse(Instant.parse(q.start()));
			Instant end = q.members().stream().map(m -> Instant.parse(m.time())).max(Comparator.naturalOrder())
					.orElse(Instant.parse(q.end()));
			spans.add(new Span(q, start, end));
		}
		spans.sort(Comparator.comparing(Span::start));
		if (range[0] > range[1]) {
			return new Timeline(Instant.EPOCH, Instant.EPOCH, List.of(), spans);
		}
		List<Lane> out = lanes.values().stream().sorted(Comparator.comparing(b -> b.key))
				.map(b -> b.lane(hours.getOrDefault(b.key, new TreeMap<>()))).toList();
		return new Timeline(Instant.ofEpochMilli(range[0]), Instant.ofEpochMilli(range[1]), out, spans);
	}

	private static void stretch(long[] range, long t) {
		range[0] = Math.min(range[0], t);
		range[1] = Math.max(range[1], t);
	}

	/** The lane of {@code k}; a signal or gap whose stream had no hours of its own gets one. */
	private static Builder lane(Map<Key, Builder> lanes, Key k) {
		Builder exact = lanes.get(k);
		if (exact != null) {
			return exact;
		}
		if (k.region == null) {
			// evidence that does not name its region (a flow log of version 2) joins its account's stream
			for (Builder b : lanes.values()) {
				if (b.key.source.equals(k.source) && Objects.equals(b.key.account, k.account)) {
					return b;
				}
			}
		}
		return lanes.computeIfAbsent(k, Builder::new);
	}

	private static Map<Key, TreeMap<Long, Long>> hours(EvidenceStore store) {
		ParameterizedSparqlString pss = Queries.parameterized(Timeline.class, "timeline-hours.rq");
		pss.setIri("summary", Ids.SUMMARY_GRAPH);
		Map<Key, TreeMap<Long, Long>> out = new HashMap<>();
		store.read(() -> {
			try (QueryExecution qe = QueryExecution.dataset(store.dataset()).query(pss.asQuery()).build()) {
				qe.execSelect().forEachRemaining(s -> {
					Key k = new Key(source(s.getLiteral("kind").getString()), Findings.str(s, "account"), Findings.str(s, "region"));
					long hour = Instant.parse(Findings.str(s, "hour")).toEpochMilli();
					out.computeIfAbsent(k, x -> new TreeMap<>()).merge(hour, s.getLiteral("count").getLong(), Long::sum);
				});
			}
			return null;
		});
		return out;
	}

	/** Findings come from both services, in one stream per account and region: a lane named for one would mislead. */
	static final String FINDINGS = "GuardDuty / Security Hub";

	private static String source(String kind) {
		return kind.equals("Finding") ? FINDINGS : Silences.SOURCES.getOrDefault(kind, kind);
	}

	/** The stream a gap silenced: switching GuardDuty or Security Hub off silences the findings. */
	private static String gapSource(String source) {
		return source.equals("GuardDuty") || source.equals("Security Hub") ? FINDINGS : source;
	}

	private record Key(String source, String account, String region) implements Comparable<Key> {
		private static final Comparator<String> NULLS_LAST = Comparator.nullsLast(Comparator.naturalOrder());
		private static final Comparator<Key> ORDER = Comparator.comparing(Key::source).thenComparing(Key::account, NULLS_LAST)
				.thenComparing(Key::region, NULLS_LAST);

		@Override
		public int compareTo(Key o) {
			return ORDER.compare(this, o);
		}
	}

	private static final class Builder {
		final Key key;
		final List<Findings.Gap> gaps = new ArrayList<>();
		final List<Findings.Signal> signals = new ArrayList<>();

		Builder(Key key) {
			this.key = key;
		}

		Lane lane(TreeMap<Long, Long> hours) {
			long[] starts = new long[hours.size()];
			long[] counts = new long[hours.size()];
			int i = 0;
			for (var e : hours.entrySet()) {
				starts[i] = e.getKey();
				counts[i++] = e.getValue();
			}
			return new Lane(key.source, key.account, key.region, starts, counts, List.copyOf(gaps), List.copyOf(signals));
		}
	}
}
