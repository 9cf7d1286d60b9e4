package dev.loupe.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Tree;
import org.eclipse.swt.widgets.TreeColumn;
import org.eclipse.swt.widgets.TreeItem;
import org.eclipse.ui.PlatformUI;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.loupe.ui.views.Messages;
import dev.loupe.ui.views.TimelineCanvas;

/**
 * The workbench as a Japanese analyst sees it: started with {@code -nl ja_JP} (its own test run, see pom.xml), the
 * views' texts come from the messages_ja files and the detectors' names from the ontology's Japanese labels, and
 * the screenshot ({@code workbench-ja.png}) shows them drawn in a Japanese font, not as empty boxes.
 */
class JapaneseWorkbenchTest {

	@BeforeAll
	static void fillStore() throws Exception {
		WorkbenchViewsTest.fillStore();
	}

	@AfterAll
	static void release() {
		WorkbenchViewsTest.release();
	}

	@Test
	void theSignalsViewSpeaksJapanese() throws Exception {
		assertEquals("ja", Locale.getDefault().getLanguage(), "this test runs with -nl ja_JP");
		WorkbenchViewsTest.openPerspective();
		Shell shell = PlatformUI.getWorkbench().getActiveWorkbenchWindow().getShell();
		Tree tree = WorkbenchViewsTest.find(shell, Tree.class).stream().filter(t -> t.getColumnCount() == 8 && t.isVisible())
				.findFirst().orElseThrow();
		WorkbenchViewsTest.waitUntil(() -> tree.getItemCount() > 0, "rows in the signals view");
		List<String> titles = new ArrayList<>();
		for (TreeColumn c : tree.getColumns()) {
			titles.add(c.getText());
		}
		assertEquals("時刻（UTC）", titles.get(0), titles.toString());
		assertEquals("戦術", titles.get(4), titles.toString());
		List<String> rows = new ArrayList<>();
		for (TreeItem seq : tree.getItems()) {
			rows.add(seq.getText(2));
			seq.setExpanded(true);
			for (TreeItem sig : seq.getItems()) {
				rows.add("  " + sig.getText(2));
			}
		}
		assertTrue(rows.stream().anyMatch(r -> r.contains("CloudTrail のログ記録停止")), rows.toString());
		assertTrue(rows.stream().anyMatch(r -> r.startsWith("監視の空白: CloudTrail が停止")), rows.toString());
		// the timeline's lanes and gaps are drawn before the picture is taken
		TimelineCanvas timeline = WorkbenchViewsTest.find(shell, Control.class).stream().filter(Control::isVisible)
				.map(c -> c.getData(TimelineCanvas.class.getName())).filter(TimelineCanvas.class::isInstance)
				.map(TimelineCanvas.class::cast).findFirst().orElseThrow();
		WorkbenchViewsTest.waitUntil(() -> timeline.getInput() != null && timeline.getInput().lanes().stream()
				.anyMatch(l -> !l.gaps().isEmpty()) && WorkbenchViewsTest.find(shell, Label.class).stream()
						.noneMatch(l -> l.isVisible() && Messages.timelineLoading.equals(l.getText())), "the timeline with its gaps");
		timeline.getControl().redraw();
		WorkbenchViewsTest.settle();
		WorkbenchViewsTest.captureScreen("workbench-ja.png");
	}
}
