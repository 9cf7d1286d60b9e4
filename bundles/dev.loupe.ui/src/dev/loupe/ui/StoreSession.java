package dev.loupe.ui;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.IntSupplier;

import org.eclipse.core.runtime.Platform;
import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.jobs.IJobManager;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.e4.core.services.events.IEventBroker;
import org.eclipse.osgi.util.NLS;
import org.eclipse.swt.widgets.Display;
import org.eclipse.ui.PlatformUI;

import dev.loupe.cli.Cli;
import dev.loupe.core.Home;
import dev.loupe.core.handoff.Cancellation;
import dev.loupe.core.handoff.HandoffServer;
import dev.loupe.core.reason.Findings;
import dev.loupe.core.reason.Reasoner;
import dev.loupe.core.reason.RuleSet;
import dev.loupe.core.store.EvidenceStore;

/**
 * The evidence store this workbench works on. The store is opened on first use (off the UI thread, by the jobs
 * that need it) and closed when the workbench shuts down. Views learn about changes through the
 * {@link #TOPIC_CHANGED} event, never by calling each other.
 */
public final class StoreSession {
	/** Posted (data: the store location) after evidence was ingested or rules were run. */
	public static final String TOPIC_CHANGED = "loupe/store/changed";

	private static final StoreSession INSTANCE = new StoreSession();

	private Path location;
	private EvidenceStore store;
	/** Runs the `loupe` commands typed in a terminal on this store, which this process holds (null if it cannot). */
	private HandoffServer served;
	/** What the rules found, per label language, read once for all the views that show it until the store changes. */
	private final Map<String, CompletableFuture<Findings.Snapshot>> findings = new HashMap<>();

	private StoreSession() {
	}

	public static StoreSession get() {
		return INSTANCE;
	}

	/** Loupe's folder: -Dloupe.home (set by the launcher from LOUPE_HOME) or ~/.loupe. */
	public static Path home() {
		return Home.path();
	}

	/** The analyst's own rules, read with the bundled ones (same folder as the CLI's). */
	public static Path userRules() {
		return home().resolve("rules");
	}

	/** The store used when no --store was given. */
	static Path defaultLocation() {
		return home().resolve("store");
	}

	public synchronized Path location() {
		return location != null ? location : defaultLocation();
	}

	/** Switches to another store folder; the previous store is closed. */
	public void setLocation(Path dir) {
		closeStore();
		EvidenceStore opened;
		HandoffServer serving;
		synchronized (this) {
			location = dir;
			findings.clear();
			// a job started while the old store closed may have opened it again: it is not the one asked for now
			opened = store;
			serving = served;
			store = null;
			served = null;
		}
		close(serving, opened);
	}

	/**
	 * Signals, sequences and gaps as the store holds them now: the first view to ask reads them (off the UI
	 * thread, in its job), the others wait for that reading instead of doing it again.
	 */
	public Findings.Snapshot findings(String lang) {
		CompletableFuture<Findings.Snapshot> f;
		boolean mine;
		synchronized (this) {
			f = findings.get(lang);
			mine = f == null;
			if (mine) {
				f = new CompletableFuture<>();
				findings.put(lang, f);
			}
		}
		if (mine) {
			try {
				f.complete(new Findings(store()).snapshot(lang));
			} catch (RuntimeException e) {
				synchronized (this) {
					findings.remove(lang, f); // the next view asks again
				}
				f.completeExceptionally(e);
				throw e;
			}
		}
		try {
			return f.join();
		} catch (CompletionException e) {
			throw e.getCause() instanceof RuntimeException r ? r : e;
		}
	}

	public synchronized EvidenceStore store() {
		if (store == null) {
			store = EvidenceStore.open(location());
			served = serve(store);
			rehearse(store);
		}
		return store;
	}

	/**
	 * Readies this process for the first update after new evidence (a watched folder, an import, a terminal's
	 * `loupe ingest --reason`): one is run and thrown away in the background, so that the first one that counts
	 * takes as long as the later ones instead of twice as long.
	 */
	private static void rehearse(EvidenceStore opened) {
		Job job = LoupeJob.create(Messages.rehearsalJob, monitor -> {
			if (monitor.isCanceled()) {
				return Status.CANCEL_STATUS; // the store closed before it began: nothing to ready
			}
			try {
				new Reasoner(opened).rehearse(RuleSet.load(userRules()));
			} catch (IOException | RuntimeException e) {
				// a rule file being edited, or the store closing: the next run of the rules reports what is wrong
			}
			return Status.OK_STATUS;
		});
		job.setSystem(true);
		job.setPriority(Job.DECORATE);
		job.schedule();
	}

	/**
	 * Lets `loupe` commands typed in a terminal run on the store here: TDB2 admits one process per store, so on
	 * their own they could not open it while the workbench is open. After one that wrote, the views refresh.
	 */
	private HandoffServer serve(EvidenceStore opened) {
		try {
			return Cli.serve(opened, Messages.handoffWho, this::notifyChanged, StoreSession::asJob);
		} catch (IOException e) {
			Platform.getLog(StoreSession.class).warn(NLS.bind(Messages.handoffUnavailable, e.getMessage()));
			return null;
		}
	}

	/**
	 * A command typed in a terminal runs as one of Loupe's jobs: the Progress view shows it and can stop it, and
	 * closing the store waits for it as for the workbench's own work.
	 */
	private static int asJob(String label, Cancellation cancellation, IntSupplier command) {
		int[] code = { Cli.USER_ERROR }; // a job cancelled before it started: the store is closing
		Job job = LoupeJob.create(NLS.bind(Messages.handoffJob, label), monitor -> {
			code[0] = command.getAsInt();
			return Status.OK_STATUS;
		}, cancellation::cancel);
		job.schedule();
		try {
			job.join();
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			cancellation.cancel();
		}
		return code[0];
	}

	/** Stops serving first: commands handed over are cancelled and end before the store closes under them. */
	private static void close(HandoffServer serving, EvidenceStore closing) {
		if (serving != null) {
			serving.close();
		}
		if (closing != null) {
			closing.close();
		}
	}

	/**
	 * Closes the store after Loupe's jobs have stopped, so that no read or write is cut off. The jobs are waited
	 * for without holding this session's lock (they take it to reach the store) and, on the UI thread, while its
	 * events keep running (they may be waiting for it: an MFA prompt, a view's result).
	 */
	public void closeStore() {
		synchronized (this) {
			findings.clear();
			if (store == null) {
				return;
			}
		}
		awaitJobs();
		EvidenceStore closing;
		HandoffServer serving;
		synchronized (this) {
			findings.clear();
			closing = store;
			serving = served;
			store = null;
			served = null;
		}
		close(serving, closing);
	}

	private static void awaitJobs() {
		IJobManager jobs = Job.getJobManager();
		jobs.cancel(LoupeJob.FAMILY);
		Display display = Display.getCurrent();
		try {
			if (display == null) {
				jobs.join(LoupeJob.FAMILY, null);
				return;
			}
			while (jobs.find(LoupeJob.FAMILY).length > 0) {
				if (!display.isDisposed() && display.readAndDispatch()) {
					continue;
				}
				Thread.sleep(10);
			}
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
		}
	}

	/** Tells the views that the store's content changed. Safe from any thread. */
	public void notifyChanged() {
		synchronized (this) {
			findings.clear();
		}
		if (PlatformUI.isWorkbenchRunning()) {
			IEventBroker broker = PlatformUI.getWorkbench().getService(IEventBroker.class);
			if (broker != null) {
				broker.post(TOPIC_CHANGED, location().toString());
			}
		}
	}
}
