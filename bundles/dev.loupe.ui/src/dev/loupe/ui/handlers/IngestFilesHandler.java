package dev.loupe.ui.handlers;

import java.nio.file.Path;
import java.util.List;

import org.eclipse.core.commands.AbstractHandler;
import org.eclipse.core.commands.ExecutionEvent;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.SubMonitor;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.jface.dialogs.MessageDialog;
import org.eclipse.osgi.util.NLS;
import org.eclipse.jface.wizard.WizardDialog;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.ui.handlers.HandlerUtil;

import dev.loupe.core.ingest.IngestReport;
import dev.loupe.core.ingest.IngestService;
import dev.loupe.core.ingest.ParseProblem;
import dev.loupe.core.store.Bytes;
import dev.loupe.core.store.EvidenceStore;
import dev.loupe.core.store.StoreGrowth;
import dev.loupe.ui.LoupeJob;
import dev.loupe.ui.StoreSession;
import dev.loupe.ui.wizards.ImportEvidenceWizard;

/**
 * Loupe > Import Evidence...: opens the import wizard; {@link #ingest} runs an ingest as a job (and, when the rules
 * have run on the store, the update after it) and tells the views.
 */
public class IngestFilesHandler extends AbstractHandler {
	static final String PLUGIN_ID = "dev.loupe.ui";

	@Override
	public Object execute(ExecutionEvent event) {
		Shell shell = HandlerUtil.getActiveShell(event);
		new WizardDialog(shell, new ImportEvidenceWizard()).open();
		return null;
	}

	/** Ingests in a background job; the summary is shown on the UI thread afterwards. */
	public static Job ingest(List<Path> files, Shell shell) {
		Job job = LoupeJob.create(Messages.ingestJob, monitor -> {
			SubMonitor sub = SubMonitor.convert(monitor, Messages.ingestJob, 2);
			try {
				IngestReport r = new IngestService(StoreSession.get().store()).ingest(files, sub.split(1), f -> {
				});
				String updated = r.cancelled() || r.quadsAdded() == 0 ? null : RunRulesHandler.updateAfterIngest(sub.split(1));
				StoreSession.get().notifyChanged();
				String grown = grown(StoreSession.get().store());
				LaterDialog.show(shell, parent -> summary(parent, r, updated, grown));
				return r.cancelled() ? Status.CANCEL_STATUS : Status.OK_STATUS;
			} catch (Exception e) {
				return new Status(IStatus.ERROR, PLUGIN_ID, NLS.bind(Messages.ingestFailed, e.getMessage()), e);
			}
		});
		job.setUser(true);
		job.schedule();
		return job;
	}

	/** A hint to compact the store when it has grown enough for that to pay ({@link StoreGrowth}), or null. */
	private static String grown(EvidenceStore store) {
		long perFact = StoreGrowth.worthCompacting(store);
		return perFact < 0 ? null : NLS.bind(Messages.ingestCompactHint, Bytes.readable(store.diskBytes()), perFact);
	}

	private static void summary(Shell shell, IngestReport r, String updated, String grown) {
		StringBuilder text = new StringBuilder(NLS.bind(Messages.ingestSummary,
				new Object[] { r.files().size(), r.records(), r.quadsAdded(), r.problems() }));
		if (updated != null) {
			text.append('\n').append(updated);
		}
		if (grown != null) {
			text.append("\n\n").append(grown);
		}
		r.files().stream().flatMap(f -> f.problems().stream()).limit(15).map(ParseProblem::toString)
				.forEach(p -> text.append('\n').append(p));
		r.tableProblems().forEach(p -> text.append('\n').append(NLS.bind(Messages.ingestTableProblem, p)));
		if (r.anyFailed() || !r.tableProblems().isEmpty()) {
			MessageDialog.openWarning(shell, Messages.ingestDialogTitle, text.toString());
		} else {
			MessageDialog.openInformation(shell, Messages.ingestDialogTitle, text.toString());
		}
	}
}
