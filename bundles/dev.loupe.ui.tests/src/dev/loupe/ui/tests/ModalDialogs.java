package dev.loupe.ui.tests;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Shell;

/**
 * A modal dialog runs its own event loop, so a test cannot answer it after the call that opens it: a timer,
 * which runs inside that loop, looks for it every 100 ms instead.
 */
final class ModalDialogs {
	private ModalDialogs() {
	}

	/**
	 * When a dialog titled {@code title} shows, photographs the screen as {@code screenshot}, keeps the text of its
	 * labels in the result, and closes it.
	 */
	static AtomicReference<String> closeWhenShown(String title, String screenshot) {
		AtomicReference<String> text = new AtomicReference<>();
		// a dialog is visible before it has painted: it is photographed a moment later
		answerWhenShown(title, s -> s.getDisplay().timerExec(300, () -> {
			s.update();
			capture(screenshot);
			text.set(String.join("\n", labels(s)));
			s.close();
		}));
		return text;
	}

	/** When a dialog titled {@code title} shows, hands it to {@code answer} (once). */
	static void answerWhenShown(String title, java.util.function.Consumer<Shell> answer) {
		Display display = Display.getCurrent();
		display.timerExec(100, new Runnable() {
			@Override
			public void run() {
				for (Shell s : display.getShells()) {
					if (s.isVisible() && s.getText().equals(title)) {
						answer.accept(s);
						return;
					}
				}
				display.timerExec(100, this);
			}
		});
	}

	static List<String> labels(Composite c) {
		List<String> out = new ArrayList<>();
		for (Control child : c.getChildren()) {
			if (child instanceof Label l) {
				out.add(l.getText());
			}
			if (child instanceof Composite k) {
				out.addAll(labels(k));
			}
		}
		return out;
	}

	static void capture(String screenshot) {
		try {
			WorkbenchViewsTest.captureScreen(screenshot);
		} catch (Exception e) {
			throw new IllegalStateException(e);
		}
	}
}
