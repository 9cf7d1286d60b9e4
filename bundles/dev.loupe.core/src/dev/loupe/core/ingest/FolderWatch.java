package dev.loupe.core.ingest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.eclipse.core.runtime.IProgressMonitor;

/**
 * Which files under some paths are new since the last look and ready to read, for watching folders that logs keep
 * arriving in during an incident (an {@code aws s3 sync} of the trail bucket, say). A file is ready once its size
 * and modification time stayed the same from one look to the next: a copy still being written waits. Delivered
 * logs do not change; a file that changes after it was read is reported once and not offered again, since reading
 * it again would count its records twice in the baselines. Files are listed as {@code loupe ingest} reads folders:
 * recursively, hidden files left out.
 */
public final class FolderWatch {
	/** What a look found: files to read now, and files read before that have changed since. */
	public record Look(List<Path> ready, List<Path> changed) {
	}

	private record Seen(long size, long modified) {
	}

	private final List<Path> paths;
	private final Map<Path, Seen> read = new HashMap<>();
	private final Map<Path, Seen> waiting = new HashMap<>();
	private final Set<Path> reported = new HashSet<>();

	public FolderWatch(List<Path> paths) {
		this.paths = List.copyOf(paths);
	}

	/**
	 * Takes every file there is now as read: call it just before ingesting the paths as a whole, which reads what is
	 * there when the watch starts (a file arriving during that ingest is offered again later, and adds nothing).
	 */
	public void start() throws IOException {
		read.putAll(files());
	}

	/** Looks at the paths again; the ready files are taken as read. */
	public Look look() throws IOException {
		Map<Path, Seen> now = files();
		List<Path> ready = new ArrayList<>();
		List<Path> changed = new ArrayList<>();
		for (Map.Entry<Path, Seen> e : now.entrySet()) {
			Path f = e.getKey();
			Seen was = read.get(f);
			if (was != null) {
				if (!was.equals(e.getValue()) && reported.add(f)) {
					changed.add(f);
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
		for (Path f : ready) {
			read.put(f, waiting.remove(f));
		}
		ready.sort(null);
		changed.sort(null);
		return new Look(ready, changed);
	}

	/** Waits until the next look, or until {@code stop} is cancelled (Ctrl-C, Stop Watching). */
	public static void pause(int seconds, IProgressMonitor stop) throws InterruptedException {
		long until = System.nanoTime() + seconds * 1_000_000_000L;
		while (!stop.isCanceled() && System.nanoTime() < until) {
			Thread.sleep(Math.min(100, Math.max(1, (until - System.nanoTime()) / 1_000_000)));
		}
	}

	private Map<Path, Seen> files() throws IOException {
		Map<Path, Seen> out = new HashMap<>();
		for (Path p : paths) {
			if (!Files.isDirectory(p)) {
				// a file, or a folder gone for a while (a share remounted): what is there is looked at again next time
				seen(p, out);
				continue;
			}
			// what an ingest of the folder reads: not the store's own files, which every update changes
			for (Path f : SourceFiles.under(p)) {
				seen(f, out);
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
}
