package dev.loupe.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.core.runtime.NullProgressMonitor;
import org.eclipse.swt.widgets.Display;
import org.eclipse.ui.PlatformUI;
import org.eclipse.ui.handlers.IHandlerService;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.loupe.core.ingest.IngestService;
import dev.loupe.core.store.Sources;
import dev.loupe.ui.LoupeJob;
import dev.loupe.ui.StoreSession;
import dev.loupe.ui.handlers.WatchFolderHandler;

/**
 * Switching or closing the store from the UI thread while Loupe's jobs still run: the jobs need the session (to
 * reach the store) and the UI thread (to ask for an MFA code, to show a result). Waiting for them must give them
 * both, or the workbench hangs; a regression here is caught by the Watchdog.
 */
class StoreSessionTest {
	@BeforeAll
	static void start() {
		Watchdog.start();
	}

	@Test
	void theStoreIsSwitchedWhileAJobStillNeedsTheSessionAndTheUiThread() throws Exception {
		Path first = Files.createTempDirectory("loupe-session-a");
		Path second = Files.createTempDirectory("loupe-session-b");
		StoreSession.get().setLocation(first);
		StoreSession.get().store();
		Display display = Display.getCurrent();
		AtomicReference<String> seen = new AtomicReference<>();
		CountDownLatch running = new CountDownLatch(1);
		Job job = LoupeJob.create("late reader", monitor -> {
			running.countDown();
			try {
				TimeUnit.MILLISECONDS.sleep(300); // the UI thread is closing the store by now
			} catch (InterruptedException e) {
				Thread.currentThread().interrupt();
			}
			// a view's job that ignores the cancel it was sent, as a query in progress does
			int signals = StoreSession.get().findings("en").signals.size();
			display.syncExec(() -> seen.set("signals " + signals));
			return Status.OK_STATUS;
		});
		job.schedule();
		assertTrue(running.await(30, TimeUnit.SECONDS), "the job started"); // a job still waiting is only cancelled
		StoreSession.get().setLocation(second);
		assertEquals(Job.NONE, job.getState(), "the job ran to its end before the store was closed");
		assertEquals("signals 0", seen.get());
		assertEquals(second, StoreSession.get().location());
		assertTrue(StoreSession.get().store().location().contains(second.getFileName().toString()), "the new store opens");
		StoreSession.get().closeStore();
	}

	@Test
	void compactStoreFromTheLoupeMenuSaysWhatItGaveBack() throws Exception {
		Path dir = Files.createTempDirectory("loupe-session-compact");
		StoreSession.get().setLocation(dir);
		Path stratus = Path.of(System.getProperty("loupe.test.datasets"), "stratus-red-team-detonation-logs/detonation-logs");
		new IngestService(StoreSession.get().store()).ingest(List.of(stratus.resolve("aws.defense-evasion.cloudtrail-stop.json")),
				new NullProgressMonitor(), f -> {
				});
		AtomicReference<String> said = ModalDialogs.closeWhenShown(dev.loupe.ui.handlers.Messages.compactDialogTitle,
				"compact-store.png");
		IHandlerService handlers = PlatformUI.getWorkbench().getService(IHandlerService.class);
		handlers.executeCommand("dev.loupe.ui.compactStore", null);
		WorkbenchViewsTest.waitUntil(() -> said.get() != null, "the compaction's summary");
		assertTrue(said.get().contains(dir.toString()) && said.get().contains("Before:") && said.get().contains("After:"),
				said.get());
		assertTrue(Files.isDirectory(dir.resolve("Data-0002")) && !Files.exists(dir.resolve("Data-0001")), "compacted");
		assertEquals(1, new Sources(StoreSession.get().store()).list().size(), "the evidence is still there");
		StoreSession.get().closeStore();
	}

	@Test
	void aWatchedFolderIsReadAsFilesArriveUntilWatchingStops() throws Exception {
		Path dir = Files.createTempDirectory("loupe-session-watch");
		Path folder = Files.createTempDirectory("loupe-watched");
		StoreSession.get().setLocation(dir);
		Path stratus = Path.of(System.getProperty("loupe.test.datasets"), "stratus-red-team-detonation-logs/detonation-logs");
		Files.copy(stratus.resolve("aws.defense-evasion.cloudtrail-stop.json"), folder.resolve("stop.json"));
		Job job = WatchFolderHandler.watch(folder, 1);
		try {
			whileWatching(() -> StoreSession.get().findings("en").signals.size() == 1, "the folder read and reasoned over");
			Files.copy(stratus.resolve("aws.defense-evasion.cloudtrail-delete.json"), folder.resolve("delete.json"));
			whileWatching(() -> StoreSession.get().findings("en").signals.size() == 2, "the file that arrived");
			// the Progress view names the watch and its last update
			PlatformUI.getWorkbench().getActiveWorkbenchWindow().getActivePage().showView("org.eclipse.ui.views.ProgressView");
			long shown = System.nanoTime();
			whileWatching(() -> System.nanoTime() - shown > 1_500_000_000L, "the Progress view drawn");
			WorkbenchViewsTest.captureScreen("watch-progress.png");
			IHandlerService handlers = PlatformUI.getWorkbench().getService(IHandlerService.class);
			handlers.executeCommand("dev.loupe.ui.stopWatching", null);
			whileWatching(() -> job.getState() == Job.NONE, "the watch stopped");
		} finally {
			WatchFolderHandler.stop();
		}
		assertEquals(2, new Sources(StoreSession.get().store()).list().size());
		assertEquals(2, StoreSession.get().findings("en").sequences.size());
		StoreSession.get().closeStore();
	}

	@Test
	void aCommandTypedInATerminalRunsInTheWorkbenchAndTheViewsRefresh() throws Exception {
		Path dir = Files.createTempDirectory("loupe-session-handoff");
		StoreSession.get().setLocation(dir);
		StoreSession.get().store();
		List<String> posted = new java.util.concurrent.CopyOnWriteArrayList<>();
		org.eclipse.e4.core.services.events.IEventBroker broker = PlatformUI.getWorkbench()
				.getService(org.eclipse.e4.core.services.events.IEventBroker.class);
		org.osgi.service.event.EventHandler handler = e -> posted.add(String.valueOf(e.getProperty(org.eclipse.e4.core.services.events.IEventBroker.DATA)));
		broker.subscribe(StoreSession.TOPIC_CHANGED, handler);
		List<String> jobs = new java.util.concurrent.CopyOnWriteArrayList<>();
		org.eclipse.core.runtime.jobs.IJobChangeListener listener = new org.eclipse.core.runtime.jobs.JobChangeAdapter() {
			@Override
			public void running(org.eclipse.core.runtime.jobs.IJobChangeEvent event) {
				jobs.add(event.getJob().getName());
			}
		};
		Job.getJobManager().addJobChangeListener(listener);
		Path stratus = Path.of(System.getProperty("loupe.test.datasets"), "stratus-red-team-detonation-logs/detonation-logs");
		java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
		java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
		AtomicReference<Integer> code = new AtomicReference<>();
		// what `loupe ingest --reason` in a terminal does while the workbench has the store open
		Thread terminal = Thread.ofPlatform().start(() -> code.set(new dev.loupe.cli.Cli(
				new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8),
				new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8), StoreSession.home())
				.run(new String[] { "ingest", "--reason", "--store", dir.toString(),
						stratus.resolve("aws.defense-evasion.cloudtrail-stop.json").toString() })));
		try {
			whileWatching(() -> code.get() != null && !posted.isEmpty(), "the command run and the views told");
		} finally {
			broker.unsubscribe(handler);
			Job.getJobManager().removeJobChangeListener(listener);
		}
		String said = err.toString(java.nio.charset.StandardCharsets.UTF_8);
		assertEquals(0, code.get(), said + out);
		assertTrue(said.contains("the Loupe workbench (pid " + ProcessHandle.current().pid() + ") holds this store"), said);
		assertEquals(List.of(StoreSession.get().location().toString()), posted);
		assertTrue(jobs.stream().anyMatch(j -> j.startsWith("loupe ingest --reason /") && j.endsWith(" (typed in a terminal)")),
				"the Progress view showed it as a job: " + jobs);
		assertEquals(1, StoreSession.get().findings("en").signals.size(), "the workbench sees what the command ingested");
		terminal.join();
		StoreSession.get().closeStore();
		assertTrue(!Files.exists(dir.resolve("handoff/loupe.sock")), "the workbench stops serving the store it closes");
	}

	/** Runs the UI until the condition holds; Loupe's jobs do not all end while a folder is watched. */
	private static void whileWatching(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
		Display d = Display.getCurrent();
		long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
		while (System.nanoTime() < until) {
			while (d.readAndDispatch()) {
				// the views' work the watch's updates posted
			}
			if (condition.getAsBoolean()) {
				return;
			}
			Thread.sleep(50);
		}
		throw new AssertionError("timed out waiting for " + what);
	}
}
