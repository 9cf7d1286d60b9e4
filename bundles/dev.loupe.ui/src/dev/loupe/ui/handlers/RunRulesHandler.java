package dev.loupe.ui.handlers;

import org.eclipse.core.commands.AbstractHandler;
import org.eclipse.core.commands.ExecutionEvent;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.SubMonitor;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.osgi.util.NLS;

import dev.loupe.core.reason.Reasoner;
import dev.loupe.core.reason.RuleSet;
import dev.loupe.ui.LoupeJob;
import dev.loupe.ui.StoreSession;

/** Loupe > Run Correlation Rules: re-reads the rule files (so edits apply without restart) and runs them. */
public class RunRulesHandler extends AbstractHandler {

	@Override
	public Object execute(ExecutionEvent event) {
		run();
		return null;
	}

	/**
	 * After evidence was added to a store whose rules have run: the update, so that signals and sequences follow the
	 * new evidence without a separate step (an update after a batch of minutes costs about a second at 1M events).
	 * Returns what to tell the analyst, or null when the rules have not run on this store yet (the analyst starts
	 * them).
	 */
	static String updateAfterIngest(IProgressMonitor monitor) {
		try {
			Reasoner reasoner = new Reasoner(StoreSession.get().store());
			if (!reasoner.hasRun()) {
				return null;
			}
			SubMonitor.convert(monitor).setTaskName(Messages.reasonJob);
			Reasoner.Result r = reasoner.update(RuleSet.load(StoreSession.userRules()), monitor);
			return NLS.bind(Messages.ingestUpdated, new Object[] { r.signals(), r.sequences(), r.gaps() });
		} catch (Exception e) {
			// the evidence is in the store either way: say why the results are behind it (a rule file's error, ...)
			return NLS.bind(Messages.reasonFailed, e.getMessage());
		}
	}

	public static Job run() {
		Job job = LoupeJob.create(Messages.reasonJob, monitor -> {
			try {
				RuleSet rules = RuleSet.load(StoreSession.userRules());
				// after new evidence only what it can change is derived again; changed rules make a full run
				Reasoner.Result r = new Reasoner(StoreSession.get().store()).update(rules, monitor);
				StoreSession.get().notifyChanged();
				return new Status(IStatus.OK, IngestFilesHandler.PLUGIN_ID,
						NLS.bind(Messages.reasonDone, new Object[] { r.signals(), r.sequences(), r.gaps() }));
			} catch (Exception e) {
				return new Status(IStatus.ERROR, IngestFilesHandler.PLUGIN_ID, NLS.bind(Messages.reasonFailed, e.getMessage()), e);
			}
		});
		job.setUser(true);
		job.schedule();
		return job;
	}
}
