package dev.loupe.bench;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

import org.apache.jena.query.Dataset;
import org.apache.jena.riot.Lang;
import org.apache.jena.riot.system.StreamRDF;
import org.apache.jena.riot.system.StreamRDFWriter;
import org.apache.jena.sparql.core.Quad;
import org.apache.jena.system.Txn;
import org.apache.jena.tdb2.TDB2Factory;
import org.apache.jena.tdb2.loader.DataLoader;
import org.apache.jena.tdb2.loader.LoaderFactory;
import org.apache.jena.tdb2.sys.TDBInternal;
import org.eclipse.core.runtime.NullProgressMonitor;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.loupe.core.ingest.IngestReport;
import dev.loupe.core.ingest.IngestService;
import dev.loupe.core.reason.Findings;
import dev.loupe.core.reason.Reasoner;
import dev.loupe.core.reason.Timeline;
import dev.loupe.core.reason.RuleSet;
import dev.loupe.core.query.EntityGraph;
import dev.loupe.core.vocab.Ids;
import dev.loupe.core.query.EntityQueries;
import dev.loupe.core.store.EvidenceStore;
import dev.loupe.core.vocab.Loupe;

/**
 * One run measures, on the same generated evidence: the parse limit (Jackson alone), Loupe's ingest (rate,
 * peak heap, triples per event, bytes per triple), the store limit (Jena's TDB2 parallel bulk loader on the
 * N-Quads Loupe produced) and the latency of each entity query. Prints Markdown rows for docs/BENCHMARKS.md.
 */
public final class Bench {
	private final List<String> rows = new ArrayList<>();
	private boolean ingestOnly;
	/** Flow records and DNS queries generated beside the CloudTrail (0: none, the CloudTrail figures stay comparable). */
	private long flows;
	private long queries;

	public static void main(String[] args) throws Exception {
		long events = 100_000;
		Path work = Path.of("work");
		long seed = 42;
		int findings = -1;
		long flows = 0;
		long queries = 0;
		boolean ingestOnly = false;
		Path datasets = Path.of("../../shared/datasets");
		for (int i = 0; i + 1 < args.length; i += 2) {
			switch (args[i]) {
			case "--events" -> events = Long.parseLong(args[i + 1].replace("_", ""));
			case "--work" -> work = Path.of(args[i + 1]);
			case "--seed" -> seed = Long.parseLong(args[i + 1]);
			case "--datasets" -> datasets = Path.of(args[i + 1]);
			case "--findings" -> findings = Integer.parseInt(args[i + 1]);
			case "--flows" -> flows = Long.parseLong(args[i + 1].replace("_", ""));
			case "--dns" -> queries = Long.parseLong(args[i + 1].replace("_", ""));
			case "--ingest-only" -> ingestOnly = Boolean.parseBoolean(args[i + 1]);
			case "--reason-only" -> {
				// the rules alone, on the store a previous run left: for working on the rules' speed, step by step
				System.setProperty("loupe.trace.rules", "true");
				String warmup = System.getProperty("loupe.bench.warmup"); // a smaller store: the JIT warm, the data cold
				if (warmup != null && Boolean.getBoolean("loupe.bench.warmup.concurrent")) {
					Thread w = new Thread(() -> {
						try (EvidenceStore small = EvidenceStore.open(Path.of(warmup))) {
							long t = System.nanoTime();
							new Reasoner(small).run(RuleSet.load(null), new NullProgressMonitor());
							System.out.println("concurrent warm-up on " + warmup + " in " + secs(t) + " s");
						} catch (Exception e) {
							e.printStackTrace();
						}
					});
					w.setDaemon(true);
					w.start();
				} else if (warmup != null) {
					try (EvidenceStore small = EvidenceStore.open(Path.of(warmup))) {
						for (int w = 0; w < 2; w++) {
							long t = System.nanoTime();
							new Reasoner(small).run(RuleSet.load(null), new NullProgressMonitor());
							System.out.println("warm-up on " + warmup + " in " + secs(t) + " s");
						}
					}
				}
				try (EvidenceStore store = EvidenceStore.open(Path.of(args[i + 1]))) {
					holds(store);
					// the first run pays for a cold JVM and page cache, the second is what an analyst re-running sees (it
					// clears the previous results); the third starts from an empty inferred graph, as after an ingest
					String rules = System.getProperty("loupe.bench.rules"); // a folder of rule files to try instead
					// loupe.bench.runs: some of them, e.g. "cold" alone when trying JVM options
					for (String run : System.getProperty("loupe.bench.runs", "cold,warm,first").split(",")) {
						if (run.equals("first")) {
							store.write(() -> store.dataset().asDatasetGraph().deleteAny(dev.loupe.core.vocab.Ids.inferredGraph(),
									org.apache.jena.graph.Node.ANY, org.apache.jena.graph.Node.ANY, org.apache.jena.graph.Node.ANY));
						}
						long t = System.nanoTime();
						Reasoner.Result r = new Reasoner(store).run(RuleSet.load(rules == null ? null : Path.of(rules)),
								new NullProgressMonitor());
						System.out.println(run + ": " + r.signals() + " signals, " + r.sequences() + " sequences, " + r.gaps()
								+ " gaps in " + secs(t) + " s");
					}
				}
				return;
			}
			case "--views-only" -> {
				// what the views read after the rules ran, on the store a previous run left
				try (EvidenceStore store = EvidenceStore.open(Path.of(args[i + 1]))) {
					new Bench().views(store);
				}
				return;
			}
			case "--update" -> {
				// an update after new evidence, on the store a previous run left: 10K events of the same accounts,
				// after everything in the store, then (to compare) 10K events of ten new accounts
				System.setProperty("loupe.trace.rules", "true");
				Path store = Path.of(args[i + 1]);
				long n = Long.parseLong(store.getFileName().toString().replace("store-", ""));
				update(store, n, work, seed, datasets);
				return;
			}
			default -> throw new IllegalArgumentException("unknown option " + args[i]
					+ "; expected --events N --findings K --flows F --dns D --work DIR --seed S --datasets DIR");
			}
		}
		Bench b = new Bench();
		b.ingestOnly = ingestOnly;
		b.flows = flows;
		b.queries = queries;
		b.run(events, findings < 0 ? (int) Math.max(100, events / 100) : findings, work.toAbsolutePath(), seed, datasets);
	}

	private void run(long events, int findingCount, Path work, long seed, Path datasets) throws Exception {
		Path evidence = work.resolve("cloudtrail-" + events + "-seed" + seed);
		CloudTrailGenerator generator = new CloudTrailGenerator(seed, datasets);
		if (!Files.exists(evidence.resolve(".complete"))) {
			deleteTree(evidence);
			long t = System.nanoTime();
			long objects = generator.generate(evidence, events);
			Files.writeString(evidence.resolve(".complete"), "");
			row("generate " + events + " events (" + objects + " objects, " + mb(size(evidence)) + " MB gz)", secs(t), "s");
		}
		Path findings = work.resolve("findings-" + findingCount + "-for-" + events + "-seed" + seed);
		if (!Files.exists(findings.resolve(".complete"))) {
			deleteTree(findings);
			new FindingGenerator(seed, datasets, generator.identities()).generate(findings, findingCount,
					CloudTrailGenerator.START, generator.span(events));
			Files.writeString(findings.resolve(".complete"), "");
		}
		Path extra = work.resolve("cloudtrail-10000-seed" + (seed + 1));
		if (!Files.exists(extra.resolve(".complete"))) {
			deleteTree(extra);
			new CloudTrailGenerator(seed + 1, datasets).generate(extra, 10_000);
			Files.writeString(extra.resolve(".complete"), "");
		}
		Path network = null;
		if (flows > 0 || queries > 0) {
			network = work.resolve("network-" + flows + "-" + queries + "-for-" + events + "-seed" + seed);
			if (!Files.exists(network.resolve(".complete"))) {
				deleteTree(network);
				long t = System.nanoTime();
				long[] n = new NetworkGenerator(seed, generator.identities()).generate(network, flows, queries, CloudTrailGenerator.START,
						generator.span(events));
				Files.writeString(network.resolve(".complete"), "");
				row("generate " + n[0] + " flow records and " + n[1] + " DNS queries (" + mb(size(network)) + " MB gz)", secs(t), "s");
			}
		}
		List<Path> files = files(evidence);
		long parsed = parseLimit(files);
		Path storeDir = work.resolve("store-" + events);
		deleteTree(storeDir);
		HeapPeak heap = new HeapPeak();
		long t0 = System.nanoTime();
		IngestReport report;
		try (EvidenceStore store = EvidenceStore.open(storeDir)) {
			long[] seen = { 0, 1_000_000 };
			NullProgressMonitor monitor = new NullProgressMonitor();
			report = new IngestService(store).ingest(List.of(evidence), monitor, f -> {
				seen[0] += f.records();
				if (ingestOnly && !monitor.isCanceled() && usableBytes(storeDir) < MIN_FREE_BYTES) {
					// a store larger than the disk: stop cleanly (the batch being written is given up) and say where
					row("stopped with less than " + MIN_FREE_BYTES / 1_000_000_000 + " GB of disk left, after " + seen[0]
							+ " events committed", secs(t0), "s");
					monitor.setCanceled(true);
				}
				if (seen[0] >= seen[1]) {
					// the live set, not garbage not yet collected: does memory grow with what was ingested?
					System.gc();
					long live = java.lang.management.ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
					row("after " + seen[0] + " events: time, live heap after a full GC", secs(t0), "s, " + live / 1_000_000 + " MB");
					seen[1] += 1_000_000;
				}
			});
			double s = secs(t0);
			heap.stop();
			long sourceQuads = report.quadsAdded();
			long summaryQuads = store.read(() -> store.dataset().asDatasetGraph().getGraph(Ids.summaryGraph()).size());
			long quads = sourceQuads + summaryQuads;
			row("Loupe ingest: events/s (" + report.records() + " events, " + report.files().size() + " files, "
					+ quads + " quads, " + String.format("%.1f", s) + " s)", report.records() / s, "events/s");
			row("Loupe ingest: quads/s (source graphs and summary graph)", quads / s, "quads/s");
			row("Loupe ingest: peak heap used (-Xmx2g)", heap.peakMb(), "MB");
			row("quads per event in source graphs (event facts + entity facts + provenance)", (double) sourceQuads / report.records(), "");
			row("quads per event in the summary graph (co-occurrences, API usage)", (double) summaryQuads / report.records(), "");
			long bytes = duBytes(storeDir);
			row("TDB2 store on disk", mb(bytes), "MB");
			row("bytes on disk per quad", (double) bytes / store.quadCount(), "B");
			if (report.cancelled()) {
				System.out.println();
				rows.forEach(System.out::println);
				return;
			}
			if (parsed != report.records()) {
				throw new IllegalStateException("parsed " + parsed + " events but ingested " + report.records());
			}
			if (ingestOnly) {
				// a store too large to copy for the loader (10M events: about 80 GB for both)
				System.out.println();
				rows.forEach(System.out::println);
				return;
			}
			Path nq = work.resolve("loupe-" + events + ".nq");
			long dumped = dump(store, nq);
			storeLimit(nq, dumped, work.resolve("tdbloader-" + events), quads / s);
			queries(store);
			if (network != null) {
				long t = System.nanoTime();
				IngestReport n = new IngestService(store).ingest(List.of(network), new NullProgressMonitor(), x -> {
				});
				double s2 = secs(t);
				row("ingest " + n.records() + " flow records and DNS queries (" + n.quadsAdded() + " quads, " + String.format("%.1f", s2)
						+ " s)", n.records() / s2, "records/s");
			}
			reasoning(store, events, findings, extra);
		}
		System.out.println();
		System.out.println("| what (" + events + " events, seed " + seed + ") | figure |");
		System.out.println("|---|---|");
		rows.forEach(System.out::println);
	}

	/** An ingest-only run stops when the disk is this close to full. */
	private static final long MIN_FREE_BYTES = 4_000_000_000L;

	private static long usableBytes(Path dir) {
		try {
			return Files.getFileStore(dir).getUsableSpace();
		} catch (IOException e) {
			return Long.MAX_VALUE;
		}
	}

	/** Findings in, rules over everything, then 10K more events and an update. */
	private void reasoning(EvidenceStore store, long events, Path findings, Path extra) throws IOException {
		long t = System.nanoTime();
		IngestReport f = new IngestService(store).ingest(List.of(findings), new NullProgressMonitor(), x -> {
		});
		row("ingest " + f.records() + " GuardDuty findings", secs(t), "s");
		RuleSet rules = RuleSet.load(null);
		t = System.nanoTime();
		Reasoner.Result r = new Reasoner(store).run(rules, new NullProgressMonitor());
		row("reason over " + events + " events + " + f.records() + " findings (" + r.signals() + " signals, " + r.sequences()
				+ " sequences, " + r.gaps() + " gaps)", secs(t), "s");
		views(store);
		t = System.nanoTime();
		IngestReport more = new IngestService(store).ingest(List.of(extra), new NullProgressMonitor(), x -> {
		});
		row("ingest " + more.records() + " more events into the store", secs(t), "s");
		t = System.nanoTime();
		r = new Reasoner(store).update(rules, new NullProgressMonitor());
		row("update after them (" + r.mode() + ", " + r.derivedAgain() + " signals in scope; " + r.signals() + " signals, "
				+ r.sequences() + " sequences)", secs(t), "s");
	}

	/**
	 * Says how many records the store holds: every update run adds its batches to it, and the figures of a store
	 * grown to three times its size (2.9M events after a few sessions) were taken for figures of 1M events.
	 */
	private static void holds(EvidenceStore store) {
		List<dev.loupe.core.store.Sources.Source> sources = new dev.loupe.core.store.Sources(store).list();
		System.out.println("the store holds " + sources.stream().mapToLong(dev.loupe.core.store.Sources.Source::records).sum()
				+ " records in " + sources.size() + " sources");
	}

	private static void update(Path storeDir, long events, Path work, long seed, Path datasets) throws Exception {
		CloudTrailGenerator generator = new CloudTrailGenerator(seed, datasets);
		try (EvidenceStore store = EvidenceStore.open(storeDir)) {
			holds(store);
			String folder = System.getProperty("loupe.bench.rules"); // a folder of rule files to try instead
			RuleSet rules = RuleSet.load(folder == null ? null : Path.of(folder));
			long t = System.nanoTime();
			Reasoner.Result r = new Reasoner(store).update(rules, new NullProgressMonitor());
			System.out.println("before: " + r.mode() + ", " + r.signals() + " signals, " + r.sequences() + " sequences in " + secs(t) + " s");
			// loupe.bench.batches: that many fresh batches of the same accounts, one after the other (the first
			// update in a JVM pays for cold caches; the later ones show the steady cost)
			int batches = Integer.getInteger("loupe.bench.batches", 1);
			for (int round = 0; round < 1 + batches; round++) {
				boolean same = round < batches;
				String only = System.getProperty("loupe.bench.round", ""); // "same" or "new": only that one
				if (!only.isEmpty() && !only.equals(same ? "same" : "new")) {
					continue;
				}
				int k = 0;
				Path more;
				do {
					k++;
					more = work.resolve((same ? "later-10000-seed" + seed + "-" : "cloudtrail-10000-seed" + (seed + 100) + "-") + k);
				} while (Files.exists(more.resolve(".ingested-" + events)));
				if (!Files.exists(more.resolve(".complete"))) {
					deleteTree(more);
					if (same) {
						// after everything generated so far: the 1M events, and the batches added before this one
						generator.generateLater(more, 10_000, CloudTrailGenerator.START.plus(generator.span(events))
								.plus(generator.span(10_000).multipliedBy(k - 1)), seed * 1000 + k);
					} else {
						new CloudTrailGenerator(seed + 100 + k, datasets).generate(more, 10_000);
					}
					Files.writeString(more.resolve(".complete"), "");
				}
				java.util.Set<org.apache.jena.graph.Node> had = store.read(() -> dev.loupe.core.store.Sources.graphs(store.dataset().asDatasetGraph()));
				t = System.nanoTime();
				IngestReport in = new IngestService(store).ingest(List.of(more), new NullProgressMonitor(), x -> {
				});
				Files.writeString(more.resolve(".ingested-" + events), "");
				System.out.println("ingest " + in.records() + (same ? " events of the same accounts, later" : " events of ten new accounts")
						+ " in " + secs(t) + " s");
				if (Boolean.getBoolean("loupe.bench.ingestOnly")) {
					continue; // for timing the update through the product: `loupe reason --store` on this store
				}
				t = System.nanoTime();
				r = new Reasoner(store).update(rules, new NullProgressMonitor());
				System.out.println("update: " + r.mode() + ", " + r.derivedAgain() + " signals in scope, " + r.signals() + " signals, "
						+ r.sequences() + " sequences in " + secs(t) + " s");
				// the same update again, for steadier figures and for a profiler: the run forgets the sources it covered
				for (int again = 0; again < Integer.getInteger("loupe.bench.repeat", 0); again++) {
					forget(store, had);
					t = System.nanoTime();
					r = new Reasoner(store).update(rules, new NullProgressMonitor());
					System.out.println("same update again: " + r.mode() + ", " + r.derivedAgain() + " signals in scope in " + secs(t) + " s");
				}
			}
		}
	}

	/** Takes the sources not in {@code had} out of the last run's record, so that the next update covers them again. */
	private static void forget(EvidenceStore store, java.util.Set<org.apache.jena.graph.Node> had) {
		store.write(() -> {
			var dsg = store.dataset().asDatasetGraph();
			var run = org.apache.jena.graph.NodeFactory.createURI("urn:loupe:reasoning-run");
			var covered = dev.loupe.core.vocab.Loupe.coveredSource;
			List<org.apache.jena.sparql.core.Quad> added = new java.util.ArrayList<>();
			dsg.find(dev.loupe.core.vocab.Ids.inferredGraph(), run, covered, org.apache.jena.graph.Node.ANY).forEachRemaining(q -> {
				if (!had.contains(q.getObject())) {
					added.add(q);
				}
			});
			added.forEach(dsg::delete);
		});
	}

	/** Jackson streaming over every record, 2 threads: what reading alone costs. */
	private long parseLimit(List<Path> files) {
		AtomicLong n = new AtomicLong();
		long t = System.nanoTime();
		files.parallelStream().forEach(f -> {
			try (InputStream in = new GZIPInputStream(Files.newInputStream(f), 1 << 16);
					JsonParser p = new ObjectMapper().getFactory().createParser(in)) {
				int depth = 0;
				JsonToken tok;
				while ((tok = p.nextToken()) != null) {
					if (tok == JsonToken.START_OBJECT || tok == JsonToken.START_ARRAY) {
						if (depth == 2 && tok == JsonToken.START_OBJECT) {
							n.incrementAndGet();
						}
						depth++;
					} else if (tok == JsonToken.END_OBJECT || tok == JsonToken.END_ARRAY) {
						depth--;
					}
				}
			} catch (IOException e) {
				throw new java.io.UncheckedIOException(e);
			}
		});
		double s = secs(t);
		row("parse limit: gunzip + Jackson tokens, 2 threads (" + n.get() + " events, " + String.format("%.1f", s) + " s)",
				n.get() / s, "events/s");
		return n.get();
	}

	private long dump(EvidenceStore store, Path nq) throws IOException {
		long t = System.nanoTime();
		long n;
		try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(nq), 1 << 20)) {
			n = store.read(() -> {
				StreamRDF w = StreamRDFWriter.getWriterStream(out, Lang.NQUADS);
				w.start();
				long c = 0;
				var it = store.dataset().asDatasetGraph().find();
				while (it.hasNext()) {
					Quad q = it.next();
					String g = q.getGraph().getURI();
					if (g.startsWith("urn:loupe:source:") || g.equals(Ids.SUMMARY_GRAPH)) {
						w.quad(q);
						c++;
					}
				}
				w.finish();
				return c;
			});
		}
		row("N-Quads of the source and summary graphs written (" + mb(Files.size(nq)) + " MB)", secs(t), "s");
		return n;
	}

	/** Jena's own bulk loader (what tdb2.tdbloader --loader=parallel runs) on the same quads. */
	private void storeLimit(Path nq, long quads, Path dir, double loupeQuadsPerSecond) throws IOException {
		deleteTree(dir);
		Dataset ds = TDB2Factory.connectDataset(dir.toString());
		long t = System.nanoTime();
		DataLoader loader = LoaderFactory.parallelLoader(ds.asDatasetGraph(), (fmt, args) -> {
		});
		loader.startBulk();
		loader.load(nq.toString());
		loader.finishBulk();
		double s = secs(t);
		ds.close();
		TDBInternal.expel(ds.asDatasetGraph());
		double limit = quads / s;
		row("store limit: TDB2 parallel bulk loader on those N-Quads (" + quads + " quads, " + String.format("%.1f", s)
				+ " s)", limit, "quads/s");
		row("Loupe ingest rate / store limit", loupeQuadsPerSecond / limit, "x");
	}

	private void queries(EvidenceStore store) {
		EntityQueries q = new EntityQueries(store);
		var top = q.entities(Loupe.Principal.getURI(), 1, 0).get(0);
		Instant first = Instant.parse(top.firstSeen());
		time("entities by type: IamUser, first 50", () -> q.entities(Loupe.IamUser.getURI(), 50, 0));
		time("entities by type: Principal (with subclasses), first 50", () -> q.entities(Loupe.Principal.getURI(), 50, 0));
		time("events in a 1-hour window, first 1000", () -> q.events(first, first.plusSeconds(3600), 1000));
		time("neighbours of the busiest principal", () -> q.neighbours(top.iri()));
		time("hourly activity of the busiest principal", () -> q.activityByHour(top.iri(), first.minusSeconds(86400),
				first.plusSeconds(30 * 86400L)));
		time("overview graph (40 principals x 8)", () -> EntityGraph.load(store, 40, 8));
	}

	/** The models the views load after the rules ran: the signals view's and the timeline's. */
	private void views(EvidenceStore store) {
		time("signals view: signals, sequences and gaps", () -> {
			Findings f = new Findings(store);
			List<Findings.Signal> signals = f.signals("en");
			return List.of(signals, f.sequences("en", signals), f.gaps());
		});
		time("timeline: streams, hours, gaps, signals, sequences", () -> Timeline.load(store, "en"));
	}

	private void time(String what, Supplier<Object> query) {
		query.get(); // warm caches
		long[] ms = new long[5];
		for (int i = 0; i < ms.length; i++) {
			long t = System.nanoTime();
			query.get();
			ms[i] = (System.nanoTime() - t) / 1_000_000;
		}
		Arrays.sort(ms);
		row("query: " + what + " (median of 5, warm)", ms[2], "ms");
	}

	private void row(String what, double value, String unit) {
		String v = value >= 100 ? String.format("%,.0f", value) : String.format("%.2f", value);
		String line = "| " + what + " | " + v + (unit.isEmpty() ? "" : " " + unit) + " |";
		rows.add(line);
		System.out.println(line);
	}

	private static List<Path> files(Path dir) throws IOException {
		try (Stream<Path> s = Files.walk(dir)) {
			return s.filter(p -> p.toString().endsWith(".json.gz")).sorted().toList();
		}
	}

	private static long size(Path dir) throws IOException {
		try (Stream<Path> s = Files.walk(dir)) {
			return s.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
		}
	}

	/** Blocks in use (TDB2 files are sparse; their apparent size says little). */
	private static long duBytes(Path dir) throws IOException {
		try {
			Process p = new ProcessBuilder("du", "-sk", dir.toString()).start();
			String out = new String(p.getInputStream().readAllBytes()).trim();
			p.waitFor();
			return Long.parseLong(out.split("\\s+")[0]) * 1024;
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			return -1;
		}
	}

	private static void deleteTree(Path dir) throws IOException {
		if (Files.exists(dir)) {
			try (Stream<Path> s = Files.walk(dir)) {
				for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
					Files.delete(p);
				}
			}
		}
	}

	private static double secs(long startNanos) {
		return (System.nanoTime() - startNanos) / 1e9;
	}

	private static double mb(long bytes) {
		return bytes / 1e6;
	}

	/** Samples used heap every 100 ms. */
	private static final class HeapPeak {
		private volatile boolean running = true;
		private volatile long peak;
		private final Thread thread = new Thread(() -> {
			var mem = ManagementFactory.getMemoryMXBean();
			while (running) {
				peak = Math.max(peak, mem.getHeapMemoryUsage().getUsed());
				try {
					Thread.sleep(100);
				} catch (InterruptedException e) {
					return;
				}
			}
		});

		HeapPeak() {
			thread.setDaemon(true);
			thread.start();
		}

		void stop() {
			running = false;
		}

		double peakMb() {
			return peak / 1e6;
		}
	}
}
