package dev.loupe.core.handoff;

import java.util.ArrayList;
import java.util.List;

/** Tells a command run for another process that the process went away (its user pressed Ctrl-C) or Loupe stops. */
public final class Cancellation {
	private final List<Runnable> actions = new ArrayList<>();
	private boolean cancelled;

	public synchronized boolean isCancelled() {
		return cancelled;
	}

	/** Runs {@code action} on cancellation (at once if it happened); closing the result forgets the action. */
	public AutoCloseable whenCancelled(Runnable action) {
		boolean now;
		synchronized (this) {
			now = cancelled;
			if (!now) {
				actions.add(action);
			}
		}
		if (now) {
			action.run();
		}
		return () -> {
			synchronized (this) {
				actions.remove(action);
			}
		};
	}

	/** Cancels the command: as if its client went away. */
	public void cancel() {
		List<Runnable> due;
		synchronized (this) {
			if (cancelled) {
				return;
			}
			cancelled = true;
			due = new ArrayList<>(actions);
			actions.clear();
		}
		due.forEach(Runnable::run);
	}
}
