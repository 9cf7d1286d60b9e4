package dev.loupe.ui.handlers;

import java.util.Locale;

import org.eclipse.core.commands.AbstractHandler;
import org.eclipse.core.commands.ExecutionEvent;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.jface.dialogs.MessageDialog;
import org.eclipse.osgi.util.NLS;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.ui.handlers.HandlerUtil;

import dev.loupe.core.store.Bytes;
import dev.loupe.core.store.EvidenceStore;
import dev.loupe.ui.LoupeJob;
import dev.loupe.ui.StoreSession;

/**
 * Loupe > Compact Store: gives back the space earlier writes left in the store, in a job; the sizes before and
 * after are shown when it ends. The views read again afterwards (the facts are the same, the files are new).
 */
public class CompactStoreHandler extends AbstractHandler {

	@Override
	public Object execute(ExecutionEvent event) {
		compact(HandlerUtil.getActiveShell(event));
		return null;
	}

	public static Job compact(Shell shell) {
		Job job = LoupeJob.create(Messages.compactJob, monitor -> {
			monitor.beginTask(Messages.compactJob, IProgressMonitor.UNKNOWN); // the database does not report its progress
			try {
				EvidenceStore.Compaction c = StoreSession.get().store().compact();
				StoreSession.get().notifyChanged();
				String text = NLS.bind(Messages.compactDone, new Object[] { StoreSession.get().location(),
						Bytes.readable(c.before()), Bytes.readable(c.after()), String.format(Locale.ROOT, "%.1f", c.millis() / 1000.0) });
				LaterDialog.show(shell, parent -> MessageDialog.openInformation(parent, Messages.compactDialogTitle, text));
				return Status.OK_STATUS;
			} catch (RuntimeException e) {
				return new Status(IStatus.ERROR, IngestFilesHandler.PLUGIN_ID, NLS.bind(Messages.compactFailed, e.getMessage()), e);
			}
		});
		job.setUser(true);
		job.schedule();
		return job;
	}
}
