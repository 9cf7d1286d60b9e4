package dev.loupe.ui.handlers;

import java.util.function.Supplier;

import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.SubMonitor;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.jface.dialogs.IDialogConstants;
import org.eclipse.jface.dialogs.InputDialog;
import org.eclipse.jface.dialogs.MessageDialog;
import org.eclipse.jface.window.Window;
import org.eclipse.osgi.util.NLS;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.ui.PlatformUI;

import dev.loupe.aws.PullReport;
import dev.loupe.aws.PullRequest;
import dev.loupe.aws.Pulls;
import dev.loupe.core.ingest.IngestReport;
import dev.loupe.core.ingest.IngestService;
import dev.loupe.ui.LoupeJob;
import dev.loupe.ui.StoreSession;

/** Pulls from AWS and ingests what was saved, as one job; the outcome of every part is shown afterwards. */
public final class PullJob {
	private PullJob() {
	}

	public static Job schedule(PullRequest request, Shell shell) {
		Job job = LoupeJob.create(Messages.pullJob, monitor -> {
			SubMonitor sub = SubMonitor.convert(monitor, Messages.pullJob, 100);
			try {
				PullReport pulled = Pulls.pull(request, sub.split(60));
				IngestReport ingested = new IngestService(StoreSession.get().store()).ingest(pulled.folders(), sub.split(30), f -> {
				});
				String updated = ingested.cancelled() || ingested.quadsAdded() == 0 ? null
						: RunRulesHandler.updateAfterIngest(sub.split(10));
				StoreSession.get().notifyChanged();
				LaterDialog.show(shell, parent -> summary(parent, pulled, ingested, updated));
				return monitor.isCanceled() ? Status.CANCEL_STATUS : Status.OK_STATUS;
			} catch (Exception e) {
				return new Status(IStatus.ERROR, IngestFilesHandler.PLUGIN_ID, NLS.bind(Messages.pullFailed, e.getMessage()), e);
			}
		});
		job.setUser(true);
		job.schedule();
		return job;
	}

	/**
	 * Asks for the MFA device's code on the UI thread when the first role is assumed (the job waits for it); the
	 * code is used for this pull only.
	 */
	public static Supplier<String> askMfaCode(Shell shell) {
		String[] code = { null };
		return () -> {
			if (code[0] == null) {
				Display display = PlatformUI.getWorkbench().getDisplay();
				display.syncExec(() -> {
					InputDialog d = new InputDialog(LaterDialog.live(shell, display), Messages.mfaTitle, Messages.mfaMessage, "",
							v -> v.strip().matches("\\d{6}") ? null : Messages.mfaInvalid);
					code[0] = d.open() == Window.OK ? d.getValue().strip() : "";
				});
			}
			return code[0];
		};
	}

	private static void summary(Shell shell, PullReport pulled, IngestReport ingested, String updated) {
		StringBuilder text = new StringBuilder();
		for (PullReport.Part p : pulled.parts()) {
			String where = p.where();
			String what = p.error() != null ? p.error()
					: p.skipped() ? Messages.pullSkipped
					: p.service() == PullRequest.Service.S3 ? NLS.bind(Messages.pullObjects, p.pages(), p.records())
					: NLS.bind(Messages.pullPages, p.pages(), p.records());
			text.append(p.service().id).append(' ').append(where).append(": ").append(what).append('\n');
		}
		text.append('\n').append(NLS.bind(Messages.ingestSummary, new Object[] { ingested.files().size(), ingested.records(),
				ingested.quadsAdded(), ingested.problems() }));
		ingested.tableProblems().forEach(t -> text.append('\n').append(NLS.bind(Messages.ingestTableProblem, t)));
		if (updated != null) {
			text.append('\n').append(updated);
		}
		if (pulled.anyFailed() || ingested.anyFailed() || !ingested.tableProblems().isEmpty()) {
			MessageDialog.open(MessageDialog.WARNING, shell, Messages.pullDialogTitle, text.toString(), 0, IDialogConstants.OK_LABEL);
		} else {
			MessageDialog.open(MessageDialog.INFORMATION, shell, Messages.pullDialogTitle, text.toString(), 0, IDialogConstants.OK_LABEL);
		}
	}
}
