package dev.loupe.ui;

import java.util.function.Consumer;
import java.util.function.Supplier;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.jobs.IJobFunction;
import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.e4.ui.di.UISynchronize;

/** A background job of Loupe's, in one family so that callers (and tests) can wait for all of them. */
public final class LoupeJob extends Job {
	public static final Object FAMILY = LoupeJob.class;
	private final IJobFunction work;
	/** Told when the job is cancelled, besides its monitor: for work that listens elsewhere. */
	private final Runnable canceling;

	private LoupeJob(String name, IJobFunction work, Runnable canceling) {
		super(name);
		this.work = work;
		this.canceling = canceling;
	}

	public static Job create(String name, IJobFunction work) {
		return new LoupeJob(name, work, () -> {
		});
	}

	/** A job whose cancellation (the Progress view's stop button, the store closing) also calls {@code canceling}. */
	public static Job create(String name, IJobFunction work, Runnable canceling) {
		return new LoupeJob(name, work, canceling);
	}

	@Override
	protected void canceling() {
		canceling.run();
	}

	/**
	 * A job that computes a view's model off the UI thread and hands the result, or the failure, to the UI
	 * thread through {@code sync}.
	 */
	public static <T> Job load(String name, Supplier<T> work, UISynchronize sync, Consumer<T> show,
			Consumer<RuntimeException> fail) {
		return create(name, monitor -> {
			try {
				T result = work.get();
				sync.asyncExec(() -> show.accept(result));
				return Status.OK_STATUS;
			} catch (RuntimeException e) {
				sync.asyncExec(() -> fail.accept(e));
				return new Status(IStatus.ERROR, "dev.loupe.ui", e.getMessage(), e);
			}
		});
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
