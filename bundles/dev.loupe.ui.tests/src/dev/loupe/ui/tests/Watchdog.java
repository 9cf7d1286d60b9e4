package dev.loupe.ui.tests;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.util.concurrent.TimeUnit;

/**
 * A UI test that blocks the UI thread cannot be timed out by JUnit, and CI would wait until its own limit with
 * nothing to show. After -Dloupe.test.watchdog seconds (default 600) this prints every thread's stack, with the
 * locks each holds and waits for, and stops the test runtime, so the hang is named in the build log.
 */
final class Watchdog {
	private static boolean started;

	private Watchdog() {
	}

	static synchronized void start() {
		if (started) {
			return;
		}
		started = true;
		long seconds = Long.getLong("loupe.test.watchdog", 600);
		Thread t = new Thread(() -> {
			try {
				TimeUnit.SECONDS.sleep(seconds);
			} catch (InterruptedException e) {
				return;
			}
			System.err.println("Watchdog: the UI tests did not finish within " + seconds + " s; threads:");
			for (ThreadInfo info : ManagementFactory.getThreadMXBean().dumpAllThreads(true, true)) {
				System.err.print(stack(info));
			}
			System.err.flush();
			Runtime.getRuntime().halt(3);
		}, "loupe-test-watchdog");
		t.setDaemon(true);
		t.start();
	}

	/** ThreadInfo.toString cuts stacks at eight frames; a hang needs all of them. */
	private static String stack(ThreadInfo info) {
		StringBuilder b = new StringBuilder("\"").append(info.getThreadName()).append("\" ").append(info.getThreadState());
		if (info.getLockName() != null) {
			b.append(" on ").append(info.getLockName());
		}
		if (info.getLockOwnerName() != null) {
			b.append(" owned by \"").append(info.getLockOwnerName()).append('"');
		}
		b.append('\n');
		for (StackTraceElement e : info.getStackTrace()) {
			b.append("\tat ").append(e).append('\n');
		}
		for (var m : info.getLockedMonitors()) {
			b.append("\t- holds ").append(m).append(" (locked at ").append(m.getLockedStackFrame()).append(")\n");
		}
		return b.append('\n').toString();
	}
}
