package dev.loupe.ui.handlers;

import java.util.function.Consumer;

import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.ui.IWorkbenchWindow;
import org.eclipse.ui.PlatformUI;

/**
 * Shows what a job found once it ends, from the job's thread. The shell the command started from may be gone by
 * then (a wizard, a closed window): asking a disposed shell for its display fails, and the job would report that
 * failure instead of its result. The dialog opens on that shell if it still exists, else on the workbench window.
 */
final class LaterDialog {
	private LaterDialog() {
	}

	static void show(Shell preferred, Consumer<Shell> open) {
		if (!PlatformUI.isWorkbenchRunning()) {
			return;
		}
		Display display = PlatformUI.getWorkbench().getDisplay();
		if (display.isDisposed()) {
			return;
		}
		display.asyncExec(() -> {
			Shell parent = live(preferred, display);
			if (parent != null) {
				open.accept(parent);
			}
		});
	}

	/** On the UI thread: {@code preferred} if it still exists, else the workbench window's shell, else none. */
	static Shell live(Shell preferred, Display display) {
		if (preferred != null && !preferred.isDisposed()) {
			return preferred;
		}
		IWorkbenchWindow window = PlatformUI.getWorkbench().getActiveWorkbenchWindow();
		Shell parent = window != null ? window.getShell() : display.getActiveShell();
		return parent != null && !parent.isDisposed() ? parent : null;
	}
}
