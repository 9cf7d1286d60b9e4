package dev.loupe.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import org.eclipse.core.runtime.NullProgressMonitor;

import dev.loupe.core.ingest.IngestReport;
import dev.loupe.core.reason.Reasoner;
import dev.loupe.core.reason.RuleSet;
import dev.loupe.core.store.EvidenceStore;

/**
 * `loupe watch [--store DIR] [--rules DIR] [--every SECONDS] [--cycles N] PATH...`: ingests the evidence under the
 * paths and reasons, then looks again every few seconds, as logs keep arriving during an incident (an `aws s3 sync`
 * of the trail bucket into a folder, say), and ingests each new file and updates the results. One process for the
 * whole watch: after its first update an update takes a fraction of what a `loupe ingest --reason` of its own
 * does, whose JVM starts cold every time.
 * <p>
 * A file is read once its size and modification time stay the same from one look to the next (a copy still being
 * written is left for the next look). Delivered logs do not change; a file that changes after it was read is
 * named, not read again: read again, its records would count twice in the baselines.
 */
final class WatchCommand implements Cli.Command {
	static final int DEFAULT_EVERY_SECONDS = 10;

	/** What a file looked like at one look: a file being copied changes between two. */
	private record Seen(long size, long modified) {
	}

	@Override
	public String help() {
		return Messages.helpWatch;
	}

	@Override
	public int run(Options o, Cli cli) throws Exception {
		if (o.positional.isEmpty()) {
			throw new Options.UsageException(Messages.errorNoPaths);
		}
		List<Path> paths = o.positional.stream().map(Path::of).toList();
		for (Path p : paths) {
			if (!Files.exists(p)) {
				throw new Options.UsageException(Messages.bind(Messages.errorCannotRead, p));
			}
		}
		int every = o.every != null ? o.every : DEFAULT_EVERY_SECONDS;
		NullProgressMonitor stop = new NullProgressMonitor();
		boolean failed = false;
		try (EvidenceStore store = cli.openStore(o); Interrupt interrupt = new Interrupt(stop)) {
			cli.out.println(Messages.bind(Messages.watchStart, paths, every));
			Map<Path, Seen> read = new HashMap<>();
			Map<Path, Seen> waiting = new HashMap<>();
			Set<Path> warned = new HashSet<>();
			// what is there already is read at once: the watch starts where `loupe ingest --reason` ends
			Map<Path, Seen> now = look(paths);
			IngestReport first = IngestCommand.ingest(store, paths, cli);
			failed |= first.anyFailed();
			read.putAll(now);
			if (first.cancelled()) {
				return Cli.USER_ERROR;
			}
			Reasoner.Result before = ReasonCommand.reason(store, o, cli);
			for (int cycle = 1; (o.cycles == null || cycle <= o.cycles) && !stop.isCanceled(); cycle++) {
				pause(every, stop);
				if (stop.isCanceled()) {
					break;
				}
				now = look(paths);
				List<Path> ready = new ArrayList<>();
				for (Map.Entry<Path, Seen> e : now.entrySet()) {
					Path f = e.getKey();
					Seen was = read.get(f);
					if (was != null) {
						if (!was.equals(e.getValue()) && warned.add(f)) {
							cli.err.println(Messages.bind(Messages.watchChanged, f));
						}
					} else if (e.getValue().equals(waiting.get(f))) {
						ready.add(f);
					}
				}
				waiting.keySet().retainAll(now.keySet());
				now.forEach((f, s) -> {
					if (!read.containsKey(f)) {
						waiting.put(f, s);
					}
				});
				if (ready.isEmpty()) {
					continue;
				}
				ready.sort(null);
				cli.out.println(Messages.bind(Messages.watchNew, LocalTime.now().truncatedTo(ChronoUnit.SECONDS), ready.size()));
				IngestReport r = IngestCommand.ingest(store, ready, cli);
				failed |= r.anyFailed();
				if (r.cancelled()) {
					break;
				}
				for (Path f : ready) {
					read.put(f, waiting.remove(f));
				}
				if (r.records() > 0) {
					before = update(store, o, cli, before);
				}
			}
			cli.out.println(Messages.watchStopped);
			return failed ? Cli.USER_ERROR : Cli.OK;
		}
	}

	/** Updates the results and says how long it took and what is new: the point of watching is to see it at once. */
	private static Reasoner.Result update(EvidenceStore store, Options o, Cli cli, Reasoner.Result before) throws IOException {
		long t = System.nanoTime();
		RuleSet rules = RuleSet.load(o.rules != null ? o.rules : cli.home.resolve("rules"));
		Reasoner.Result r = new Reasoner(store).update(rules, new NullProgressMonitor());
		double secs = (System.nanoTime() - t) / 1e9;
		cli.out.println(Messages.bind(Messages.watchUpdated, new Object[] { String.format("%.2f", secs), r.signals(),
				String.format("%+d", r.signals() - before.signals()), r.sequences(),
				String.format("%+d", r.sequences() - before.sequences()), r.gaps() }));
		return r;
	}

	/** The files under the paths, as {@code loupe ingest} would read them, with their size and time. */
	private static Map<Path, Seen> look(List<Path> paths) throws IOException {
		Map<Path, Seen> out = new HashMap<>();
		for (Path p : paths) {
			if (!Files.isDirectory(p)) {
				seen(p, out);
				continue;
			}
			try (Stream<Path> walk = Files.walk(p)) {
				for (Path f : (Iterable<Path>) walk::iterator) {
					if (Files.isRegularFile(f) && !f.getFileName().toString().startsWith(".")) {
						seen(f, out);
					}
				}
			} catch (java.io.UncheckedIOException e) {
				// a file removed while the folder was walked: the next look sees the folder as it is then
			}
		}
		return out;
	}

	private static void seen(Path f, Map<Path, Seen> out) {
		try {
			BasicFileAttributes a = Files.readAttributes(f, BasicFileAttributes.class);
			out.put(f, new Seen(a.size(), a.lastModifiedTime().toMillis()));
		} catch (IOException e) {
			// gone between the listing and this look
		}
	}

	private static void pause(int seconds, NullProgressMonitor stop) throws InterruptedException {
		long until = System.nanoTime() + seconds * 1_000_000_000L;
		while (!stop.isCanceled() && System.nanoTime() < until) {
			Thread.sleep(Math.min(200, Math.max(1, (until - System.nanoTime()) / 1_000_000)));
		}
	}
}
