package dev.loupe.ui.handlers;

import java.nio.file.Path;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import org.eclipse.core.commands.AbstractHandler;
import org.eclipse.core.commands.ExecutionEvent;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.NullProgressMonitor;
import org.eclipse.core.runtime.Platform;
import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.jface.dialogs.MessageDialog;
import org.eclipse.osgi.util.NLS;
import org.eclipse.swt.widgets.DirectoryDialog;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.ui.handlers.HandlerUtil;

import dev.loupe.core.ingest.FolderWatch;
import dev.loupe.core.ingest.IngestReport;
import dev.loupe.core.ingest.IngestService;
import dev.loupe.core.reason.Reasoner;
import dev.loupe.core.reason.RuleSet;
import dev.loupe.core.store.EvidenceStore;
import dev.loupe.ui.LoupeJob;
import dev.loupe.ui.StoreSession;

/**
 * Loupe > Watch Folder...: ingests a folder and runs the rules, then reads each file that arrives in it (an
 * {@code aws s3 sync} of the trail bucket, say) and updates the results, until Loupe > Stop Watching, the job's
 * cancel in the Progress view, or another store. The views follow each update. One process for the whole watch:
 * after the first update, an update at 1M events takes under a second.
 */
public class WatchFolderHandler extends AbstractHandler {
	static final int EVERY_SECONDS = 10;
	private static final AtomicReference<Job> CURRENT = new AtomicReference<>();

	@Override
	public Object execute(ExecutionEvent event) {
		Shell shell = HandlerUtil.getActiveShell(event);
		DirectoryDialog dialog = new DirectoryDialog(shell);
		dialog.setText(Messages.watchDialogTitle);
		dialog.setMessage(Messages.watchDialogMessage);
		String folder = dialog.open();
		if (folder != null) {
			watch(Path.of(folder), EVERY_SECONDS);
		}
		return null;
	}

	/** Loupe > Stop Watching. */
	public static class Stop extends AbstractHandler {
		@Override
		public Object execute(ExecutionEvent event) {
			if (!stop()) {
				MessageDialog.openInformation(HandlerUtil.getActiveShell(event), Messages.watchDialogTitle, Messages.watchNone);
			}
			return null;
		}
	}

	/** Starts watching the folder (a watch already running stops first). */
	public static Job watch(Path folder, int everySeconds) {
		stop();
		Job job = LoupeJob.create(NLS.bind(Messages.watchJob, folder), monitor -> {
			return run(folder, everySeconds, monitor);
		});
		CURRENT.set(job);
		job.schedule();
		return job;
	}

	/**
	 * Stops the running watch; false when none runs. It ends at its next step (an update under way finishes first:
	 * the UI thread does not wait for it).
	 */
	public static boolean stop() {
		Job job = CURRENT.getAndSet(null);
		if (job == null) {
			return false;
		}
		job.cancel();
		return true;
	}

	private static IStatus run(Path folder, int everySeconds, IProgressMonitor monitor) {
		// the ingest and the rules stop when the watch is cancelled, without taking over the job's progress
		IProgressMonitor cancel = new NullProgressMonitor() {
			@Override
			public boolean isCanceled() {
				return monitor.isCanceled();
			}
		};
		try {
			FolderWatch watch = new FolderWatch(List.of(folder));
			watch.start();
			// the job's name says what is watched; the line under it, the last update
			monitor.beginTask("", IProgressMonitor.UNKNOWN);
			update(new IngestService(store()).ingest(List.of(folder), cancel, f -> {
			}), cancel, monitor);
			while (!monitor.isCanceled()) {
				FolderWatch.pause(everySeconds, monitor);
				if (monitor.isCanceled()) {
					break;
				}
				FolderWatch.Look look = watch.look();
				look.changed().forEach(f -> Platform.getLog(WatchFolderHandler.class).warn(NLS.bind(Messages.watchChanged, f)));
				if (!look.ready().isEmpty()) {
					update(new IngestService(store()).ingest(look.ready(), cancel, f -> {
					}), cancel, monitor);
				}
			}
			return Status.CANCEL_STATUS;
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			return Status.CANCEL_STATUS;
		} catch (org.eclipse.core.runtime.OperationCanceledException e) {
			// stopped, or the store switched, while the rules ran: their transaction is undone, nothing to report
			return Status.CANCEL_STATUS;
		} catch (Exception e) {
			return new Status(IStatus.ERROR, IngestFilesHandler.PLUGIN_ID, NLS.bind(Messages.watchFailed, folder, e.getMessage()), e);
		} finally {
			CURRENT.compareAndSet(Job.getJobManager().currentJob(), null);
			monitor.done();
		}
	}

	/** After an ingest that added something: the rules, the views told, and the job's line says what came of it. */
	private static void update(IngestReport r, IProgressMonitor cancel, IProgressMonitor monitor) throws Exception {
		if (r.cancelled() || r.quadsAdded() == 0 && new Reasoner(store()).hasRun()) {
			return;
		}
		// never reasoned over, or new evidence: the first is a full run, the others updates
		Reasoner.Result result = new Reasoner(store()).update(RuleSet.load(StoreSession.userRules()), cancel);
		StoreSession.get().notifyChanged();
		monitor.subTask(NLS.bind(Messages.watchUpdated, new Object[] { LocalTime.now().truncatedTo(ChronoUnit.SECONDS), r.files().size(),
				result.signals(), result.sequences(), result.gaps() }));
	}

	private static EvidenceStore store() {
		return StoreSession.get().store();
	}
}
