package dev.loupe.ui;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.jobs.IJobFunction;
import org.eclipse.core.runtime.jobs.Job;

/** A background job of Loupe's, in one family so that callers (and tests) can wait for all of them. */
public final class LoupeJob extends Job {
	public static final Object FAMILY = LoupeJob.class;
	private final IJobFunction work;

	private LoupeJob(String name, IJobFunction work) {
		super(name);
		this.work = work;
	}

	public static Job create(String name, IJobFunction work) {
		return new LoupeJob(name, work);
	}

	@Override
	protected IStatus run(IProgressMonitor monitor) {
		return work.run(monitor);
	}

	@Override
	public boolean belongsTo(Object family) {
		return family == FAMILY;
	}
}
