package dev.loupe.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.eclipse.core.runtime.NullProgressMonitor;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.GC;
import org.eclipse.swt.graphics.Image;
import org.eclipse.swt.graphics.ImageData;
import org.eclipse.swt.graphics.ImageLoader;
import org.eclipse.swt.graphics.Point;
import org.eclipse.swt.graphics.RGB;
import org.eclipse.swt.graphics.Rectangle;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Event;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Tree;
import org.eclipse.swt.widgets.TreeItem;
import org.eclipse.ui.IWorkbenchPage;
import org.eclipse.ui.PlatformUI;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.loupe.core.ingest.IngestService;
import dev.loupe.core.query.EntityGraph;
import dev.loupe.core.reason.Findings;
import dev.loupe.core.reason.Reasoner;
import dev.loupe.core.reason.RuleSet;
import dev.loupe.ui.InvestigationPerspective;
import dev.loupe.ui.LoupeJob;
import dev.loupe.ui.StoreSession;
import dev.loupe.ui.graph.GraphLayout;
import dev.loupe.ui.graph.GraphViewer;
import dev.loupe.ui.views.EvidenceGraphView;
import dev.loupe.ui.views.EvidenceView;
import dev.loupe.ui.views.SignalsView;
import dev.loupe.ui.views.TimelineCanvas;
import dev.loupe.ui.views.TimelineView;

/**
 * The real workbench under a real display (Xvfb in CI): the investigation perspective on a store holding the
 * Stratus recordings shows the entities in the graph view and the tampering sequence in the signals view.
 * Screenshots are written to target/screenshots for a person to look at.
 */
class WorkbenchViewsTest {
	static Path store;

	@BeforeAll
	static void fillStore() throws Exception {
		Watchdog.start();
		store = Files.createTempDirectory("loupe-ui-test");
		StoreSession.get().setLocation(store);
		Path datasets = Path.of(System.getProperty("loupe.test.datasets"));
		Path stratus = datasets.resolve("stratus-red-team-detonation-logs/detonation-logs");
		// and GuardDuty's SSH brute-force finding in Security Hub's format: Low, so listed but in no sequence
		Path low = datasets.resolve("awsdocs-examples/guardduty/securityhub-integration.block00.json");
		new IngestService(StoreSession.get().store()).ingest(List.of(stratus, low), new NullProgressMonitor(), f -> {
		});
		new Reasoner(StoreSession.get().store()).run(RuleSet.load(null), new NullProgressMonitor());
	}

	@AfterAll
	static void release() {
		StoreSession.get().closeStore();
	}

	static void settle() throws InterruptedException {
		Display d = Display.getCurrent();
		long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
		while (System.nanoTime() < until) {
			while (d.readAndDispatch()) {
				// run posted UI work
			}
			if (Job.getJobManager().find(LoupeJob.FAMILY).length == 0) {
				while (d.readAndDispatch()) {
					// results that jobs posted as they ended
				}
				return;
			}
			Thread.sleep(20);
		}
		throw new AssertionError("Loupe jobs did not finish within 60 s");
	}

	/** Runs the UI until {@code condition} holds: events and job results arrive asynchronously. */
	static void waitUntil(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
		Display d = Display.getCurrent();
		long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
		while (System.nanoTime() < until) {
			settle();
			if (condition.getAsBoolean()) {
				return;
			}
			Thread.sleep(50);
		}
		throw new AssertionError("timed out waiting for " + what);
	}

	static <T extends Control> List<T> find(Composite root, Class<T> type) {
		List<T> found = new ArrayList<>();
		for (Control c : root.getChildren()) {
			if (type.isInstance(c)) {
				found.add(type.cast(c));
			}
			if (c instanceof Composite k) {
				found.addAll(find(k, type));
			}
		}
		return found;
	}

	static IWorkbenchPage openPerspective() throws Exception {
		var window = PlatformUI.getWorkbench().getActiveWorkbenchWindow();
		Shell shell = window.getShell();
		shell.setSize(1400, 900);
		IWorkbenchPage page = window.getActivePage();
		page.setPerspective(PlatformUI.getWorkbench().getPerspectiveRegistry().findPerspectiveWithId(InvestigationPerspective.ID));
		page.showView(EvidenceGraphView.ID);
		page.showView(SignalsView.ID);
		page.showView(TimelineView.ID);
		page.showView(EvidenceView.ID);
		StoreSession.get().notifyChanged();
		settle();
		return page;
	}

	@Test
	void graphViewPaintsPrincipalsAddressesAndApis() throws Exception {
		openPerspective();
		Shell shell = PlatformUI.getWorkbench().getActiveWorkbenchWindow().getShell();
		GraphViewer viewer = find(shell, Control.class).stream().filter(Control::isVisible)
				.map(c -> c.getData(GraphViewer.class.getName())).filter(GraphViewer.class::isInstance)
				.map(GraphViewer.class::cast).findFirst().orElseThrow();
		waitUntil(() -> viewer.getGraphLayout() != null, "the graph layout");
		GraphLayout layout = viewer.getGraphLayout();
		assertNotNull(layout, "the graph was laid out");
		List<EntityGraph.Node> nodes = layout.boxes().keySet().stream().map(EntityGraph.Node.class::cast).toList();
		List<EntityGraph.Node> principals = nodes.stream().filter(n -> n.kind() == EntityGraph.Kind.PRINCIPAL).toList();
		assertEquals(EvidenceGraphView.MAX_PRINCIPALS, principals.size(), "the store has more principals than are drawn");
		long signalled = new Findings(StoreSession.get().store()).signals("en").stream().map(Findings.Signal::actor)
				.distinct().count();
		assertEquals(Math.min(EvidenceGraphView.MAX_PRINCIPALS, signalled),
				principals.stream().filter(EntityGraph.Node::flagged).count(), "signalled principals are drawn first");
		assertTrue(nodes.stream().anyMatch(n -> n.kind() == EntityGraph.Kind.ADDRESS));
		assertTrue(nodes.stream().anyMatch(n -> n.kind() == EntityGraph.Kind.API && n.label().equals("StopLogging") && n.flagged()));

		ImageData shot = capture(viewer.getControl(), "graph-view.png");
		// what was painted: node fills in the colours of principals and of flagged entities
		// every principal on screen may be signalled (the recordings are all attacks): blue only for the others
		if (principals.stream().anyMatch(n -> !n.flagged())) {
			assertTrue(countPixels(shot, new RGB(198, 219, 239)) > 500, "principal nodes painted");
		}
		assertTrue(countPixels(shot, new RGB(244, 165, 130)) > 500, "flagged nodes painted");
		EntityGraph.Node stop = nodes.stream().filter(n -> n.label().equals("StopLogging")).findFirst().orElseThrow();
		Rectangle r = viewer.getNodeBounds(stop);
		assertTrue(r.width > 0 && r.height > 0, "StopLogging node has a size on screen: " + r);
		// an address is drawn with its network (the bundled table) on a second line
		EntityGraph.Node networked = nodes.stream().filter(n -> n.kind() == EntityGraph.Kind.ADDRESS && n.network() != null).findFirst()
				.orElseThrow(() -> new AssertionError("no address with its network: " + nodes));
		assertTrue(viewer.getNodeBounds(networked).height > r.height, networked + " drawn on two lines");
		captureScreen("workbench.png");
	}

	@Test
	void signalsViewListsTheTamperingSequence() throws Exception {
		openPerspective();
		Shell shell = PlatformUI.getWorkbench().getActiveWorkbenchWindow().getShell();
		Tree tree = find(shell, Tree.class).stream().filter(t -> t.getColumnCount() == 8 && t.isVisible()).findFirst()
				.orElseThrow();
		waitUntil(() -> tree.getItemCount() > 0, "rows in the signals view");
		List<String> rows = new ArrayList<>();
		for (TreeItem seq : tree.getItems()) {
			rows.add(seq.getText(2) + " | " + seq.getText(5) + " | " + seq.getText(0));
			seq.setExpanded(true);
			for (TreeItem sig : seq.getItems()) {
				rows.add("  " + sig.getText(2) + " | " + sig.getText(3) + " | " + sig.getText(6) + " | " + sig.getText(7));
			}
		}
		assertTrue(rows.stream().anyMatch(s -> s.contains("CloudTrail logging stopped") && s.contains("T1562.008")), rows.toString());
		// the trail stopped by the sample attacks is never restored: the gap is a row of its own
		assertTrue(rows.stream().anyMatch(s -> s.startsWith("Coverage gap: CloudTrail switched off") && s.contains("(not restored)")),
				rows.toString());
		// why a signal makes no sequence is said on its row
		for (TreeItem item : tree.getItems()) {
			rows.add(item.getText(2));
		}
		assertTrue(rows.stream().anyMatch(s -> s.contains("(low severity)")), rows.toString());
		// attempts that failed say so, on the sequence and first on the signal's row
		assertTrue(rows.stream().anyMatch(s -> s.startsWith("AttackSequence:") && s.contains(" of 31 signals failed)")), rows.toString());
		assertTrue(rows.stream().anyMatch(s -> s.startsWith("  Failed: Windows password data") && s.contains("T1552")), rows.toString());
		// the recordings' user of one name in many accounts: each row says which account's
		assertTrue(rows.stream().anyMatch(s -> s.matches("AttackSequence:\\S+ \\| christophe · \\d{12} \\| .*")), rows.toString());
		assertTrue(rows.stream().noneMatch(s -> s.matches("AttackSequence:\\S+ \\| christophe \\| .*")), rows.toString());
		// an address is shown with its network (the bundled table)
		assertTrue(rows.stream().anyMatch(s -> s.contains(" \u2190 18.236.253.47 (AS16509 Amazon.com, Inc.)")), rows.toString());
		assertTrue(tree.getItemCount() >= 1);
		assertTrue(tree.getItem(0).getText(2).startsWith("AttackSequence:"), tree.getItem(0).getText(2));
		capture(tree, "signals-view.png");
	}

	private static java.util.Optional<Findings.Gap> stoppedTrail(dev.loupe.core.reason.Timeline model) {
		return model.lanes().stream().flatMap(l -> l.gaps().stream()).filter(g -> "StopLogging".equals(g.causeName()) && g.end() == null)
				.findFirst();
	}

	@Test
	void timelineDrawsStreamsGapsAndSignalsAndSelectsAcrossViews() throws Exception {
		IWorkbenchPage page = openPerspective();
		Shell shell = PlatformUI.getWorkbench().getActiveWorkbenchWindow().getShell();
		TimelineCanvas timeline = find(shell, Control.class).stream().filter(Control::isVisible)
				.map(c -> c.getData(TimelineCanvas.class.getName())).filter(TimelineCanvas.class::isInstance)
				.map(TimelineCanvas.class::cast).findFirst().orElseThrow();
		// the recordings stop the trail and never start it again: the gap is drawn over the trail's stream (the first
		// model may come from before the sample store's rules ran: the view draws again when they have)
		waitUntil(() -> timeline.getInput() != null && stoppedTrail(timeline.getInput()).isPresent(), "the timeline with the gap");
		var model = timeline.getInput();
		assertTrue(model.lanes().stream().anyMatch(l -> l.source().equals("CloudTrail") && l.records() > 0), model.lanes().toString());
		Findings.Gap stopped = stoppedTrail(model).orElseThrow();
		assertNotNull(timeline.locate(stopped));
		assertTrue(!model.sequences().isEmpty(), "the sequences are drawn above the streams");
		// the incident first: the sample store also holds a Security Hub example finding of 2020, years before it
		var shown = timeline.shown();
		assertTrue(model.sequences().stream().allMatch(q -> !q.start().isBefore(shown.from()) && !q.end().isAfter(shown.to()))
				&& Duration.between(shown.from(), shown.to()).compareTo(Duration.between(model.from(), model.to()).dividedBy(10)) < 0,
				"shown " + shown + " of " + model.from() + " .. " + model.to());

		// a click on a signal selects it here and in the signals view
		page.activate(page.findView(TimelineView.ID));
		Findings.Signal signal = model.sequences().get(0).sequence().members().get(0);
		timeline.select(signal); // brings it into view
		settle();
		Point at = timeline.locate(signal);
		Event down = new Event();
		down.x = at.x;
		down.y = at.y;
		down.button = 1;
		timeline.getControl().notifyListeners(SWT.MouseDown, down);
		Event up = new Event();
		up.x = at.x;
		up.y = at.y;
		up.button = 1;
		timeline.getControl().notifyListeners(SWT.MouseUp, up);
		assertEquals(signal, timeline.getSelection(), "the signal under the pointer at " + at);
		Tree tree = find(shell, Tree.class).stream().filter(t -> t.getColumnCount() == 8 && t.isVisible()).findFirst().orElseThrow();
		waitUntil(() -> tree.getSelectionCount() == 1 && tree.getSelection()[0].getText(2).contains(signal.detectorLabel()),
				"the signal selected in the signals view");
		// and the record behind it, as CloudTrail delivered it, with its file
		org.eclipse.swt.custom.StyledText evidence = find(shell, org.eclipse.swt.custom.StyledText.class).stream()
				.filter(Control::isVisible).findFirst().orElseThrow();
		waitUntil(() -> evidence.getText().contains("\"eventName\" : \"" + signal.eventName() + "\"")
				&& evidence.getText().contains(".json"), "the record behind the signal in the evidence view");
		capture(evidence, "evidence-view.png");

		captureScreen("workbench-timeline.png");
		ImageData shot = capture(timeline.getControl(), "timeline-view.png");
		assertTrue(countPixels(shot, new RGB(107, 174, 214)) > 100, "records per hour painted");

		// selecting the gap (as the signals view does) scrolls its stream into view
		timeline.select(stopped);
		settle();
		Point gapAt = timeline.locate(stopped);
		assertTrue(timeline.getControl().getClientArea().contains(gapAt), "the gap is shown at " + gapAt);
		assertEquals(stopped, timeline.hit(gapAt.x + 20, gapAt.y));
		Event hover = new Event();
		hover.x = gapAt.x + 20;
		hover.y = gapAt.y;
		timeline.getControl().notifyListeners(SWT.MouseMove, hover);
		assertTrue(String.valueOf(timeline.getControl().getToolTipText()).startsWith("Coverage gap: CloudTrail switched off")
				&& timeline.getControl().getToolTipText().contains("(not restored)"), timeline.getControl().getToolTipText());
		assertTrue(timeline.getControl().getToolTipText().matches("(?s).*christophe · \\d{12}.*"), "which account's christophe: "
				+ timeline.getControl().getToolTipText());
		capture(timeline.getControl(), "timeline-gap.png");

		// Ctrl+wheel zooms around the pointer: the time under it stays, the rest moves away from it
		Point other = timeline.locate(signal);
		Event wheel = new Event();
		wheel.x = gapAt.x;
		wheel.y = gapAt.y;
		wheel.count = 3;
		wheel.stateMask = SWT.MOD1;
		timeline.getControl().notifyListeners(SWT.MouseVerticalWheel, wheel);
		assertTrue(Math.abs(timeline.locate(stopped).x - gapAt.x) <= 1, "the gap stays under the pointer");
		int before = Math.abs(other.x - gapAt.x);
		int after = Math.abs(timeline.locate(signal).x - gapAt.x);
		assertTrue(before < 5 || Math.abs(after - before * 1.25) <= 2, "zoomed in by 1.25: " + before + " -> " + after);
		Event twice = new Event();
		twice.x = gapAt.x;
		twice.y = gapAt.y;
		timeline.getControl().notifyListeners(SWT.MouseDoubleClick, twice);
		assertTrue(!timeline.shown().from().isAfter(model.from()) && !timeline.shown().to().isBefore(model.to()),
				"double-click shows all the evidence: " + timeline.shown());

		// the filter keeps one account's streams and the sequences that reached it
		String account = model.lanes().stream().filter(l -> l.gaps().contains(stopped)).findFirst().orElseThrow().account();
		timeline.setFilter(account);
		assertTrue(!timeline.getInput().lanes().isEmpty()
				&& timeline.getInput().lanes().stream().allMatch(l -> account.equals(l.account())), timeline.getInput().lanes().toString());
		assertTrue(timeline.getInput().sequences().size() < model.sequences().size(), "sequences of other accounts are hidden");
		timeline.setFilter("");
		assertEquals(model.lanes().size(), timeline.getInput().lanes().size());
	}

	/** Copies what the control shows on screen and saves it as PNG. */
	static ImageData capture(Control c, String name) throws Exception {
		Point size = c.getSize();
		Image image = new Image(c.getDisplay(), size.x, size.y);
		GC gc = new GC(c);
		try {
			gc.copyArea(image, 0, 0);
			ImageData data = image.getImageData();
			save(data, name);
			return data;
		} finally {
			gc.dispose();
			image.dispose();
		}
	}

	static void captureScreen(String name) throws Exception {
		Display d = Display.getCurrent();
		Rectangle b = d.getBounds();
		Image image = new Image(d, b.width, b.height);
		GC gc = new GC(d);
		try {
			gc.copyArea(image, 0, 0);
			save(image.getImageData(), name);
		} finally {
			gc.dispose();
			image.dispose();
		}
	}

	static void save(ImageData data, String name) throws Exception {
		Path dir = Files.createDirectories(Path.of(System.getProperty("loupe.screenshots", "target/screenshots")));
		ImageLoader loader = new ImageLoader();
		loader.data = new ImageData[] { data };
		loader.save(dir.resolve(name).toString(), SWT.IMAGE_PNG);
	}

	static int countPixels(ImageData data, RGB colour) {
		int n = 0;
		for (int y = 0; y < data.height; y++) {
			for (int x = 0; x < data.width; x++) {
				if (data.palette.getRGB(data.getPixel(x, y)).equals(colour)) {
					n++;
				}
			}
		}
		return n;
	}
}
