package dev.loupe.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.eclipse.core.runtime.IProgressMonitor;

/**
 * While open, an interrupt (Ctrl-C, SIGTERM) cancels the monitor and holds the process until this closes (a minute
 * at most): the work stops at its next step, says so, and what it saved stays whole.
 */
final class Interrupt implements AutoCloseable {
	private final Thread hook;
	private final CountDownLatch done = new CountDownLatch(1);

	Interrupt(IProgressMonitor monitor) {
		hook = new Thread(() -> {
			monitor.setCanceled(true);
			try {
				done.await(60, TimeUnit.SECONDS);
			} catch (InterruptedException e) {
				Thread.currentThread().interrupt();
			}
		}, "loupe-cancel");
		Runtime.getRuntime().addShutdownHook(hook);
	}

	@Override
	public void close() {
		done.countDown();
		try {
			Runtime.getRuntime().removeShutdownHook(hook);
		} catch (IllegalStateException e) {
			// shutting down already: the hook is running and now lets the JVM go
		}
	}
}
