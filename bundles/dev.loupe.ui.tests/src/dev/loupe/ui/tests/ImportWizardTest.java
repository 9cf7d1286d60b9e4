package dev.loupe.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import org.eclipse.jface.wizard.WizardDialog;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.TableItem;
import org.eclipse.ui.PlatformUI;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.loupe.core.store.Sources;
import dev.loupe.ui.StoreSession;
import dev.loupe.ui.wizards.EvidenceSelectionPage;
import dev.loupe.ui.wizards.ImportEvidenceWizard;

/**
 * The import wizard in the real workbench: a folder of mixed evidence is added, the page shows what Loupe
 * recognises in it, Finish ingests it in a job, and the summary is shown. Once the rules have run, a later import
 * updates their results in the same job. Screenshots: import-wizard.png, import-summary.png and
 * import-updated.png in target/screenshots.
 */
class ImportWizardTest {
	static Path store;
	static Path evidence;

	@BeforeAll
	static void prepare() throws Exception {
		Watchdog.start();
		store = Files.createTempDirectory("loupe-import-test");
		StoreSession.get().setLocation(store);
		Path datasets = Path.of(System.getProperty("loupe.test.datasets"));
		Path repo = Path.of(System.getProperty("loupe.repo"));
		evidence = Files.createDirectories(Files.createTempDirectory("loupe-evidence").resolve("incident-42"));
		Files.copy(datasets.resolve("stratus-red-team-detonation-logs/detonation-logs/aws.defense-evasion.cloudtrail-stop.json"),
				evidence.resolve("cloudtrail-stop.json"));
		Files.copy(datasets.resolve("awsdocs-examples/vpc-flow-logs/flow-logs-records-examples.block00.txt"),
				evidence.resolve("eni-flows.log"));
		Files.copy(repo.resolve("bundles/dev.loupe.core.tests/fixtures/guardduty/attack-sequence-api.json"),
				evidence.resolve("guardduty-findings.json"));
		Files.writeString(evidence.resolve("notes.txt"), "analyst notes: not evidence\n");
	}

	@AfterAll
	static void release() {
		StoreSession.get().closeStore();
	}

	@Test
	void aFolderIsPreviewedThenIngested() throws Exception {
		Shell window = PlatformUI.getWorkbench().getActiveWorkbenchWindow().getShell();
		window.setSize(1400, 900);
		ImportEvidenceWizard wizard = new ImportEvidenceWizard();
		WizardDialog dialog = new WizardDialog(window, wizard);
		dialog.setBlockOnOpen(false);
		dialog.open();
		dialog.getShell().setSize(1150, 520);
		EvidenceSelectionPage page = wizard.selectionPage();
		page.addPaths(List.of(evidence));
		TableItem row = page.table().getItem(0);
		WorkbenchViewsTest.waitUntil(() -> !row.getText(1).isEmpty(), "the preview of the folder");
		assertEquals("4", row.getText(1));
		String formats = row.getText(2);
		assertTrue(formats.contains("cloudtrail 1") && formats.contains("guardduty 1") && formats.contains("vpc-flow 1")
				&& formats.contains("1 "), formats);
		assertTrue(wizard.canFinish());
		// let the table repaint with the preview before the photograph
		long until = System.currentTimeMillis() + 500;
		while (System.currentTimeMillis() < until) {
			while (window.getDisplay().readAndDispatch()) {
				// paint
			}
			dialog.getShell().update();
			Thread.sleep(20);
		}
		WorkbenchViewsTest.captureScreen("import-wizard.png");

		// the summary is a modal dialog: photographed and closed from inside its loop
		AtomicReference<String> summary = ModalDialogs.closeWhenShown(dev.loupe.ui.handlers.Messages.ingestDialogTitle,
				"import-summary.png");
		assertTrue(wizard.performFinish());
		dialog.close();
		WorkbenchViewsTest.waitUntil(() -> summary.get() != null, "the ingest summary");
		assertEquals(3, new Sources(StoreSession.get().store()).list().size(), "three sources recognised and ingested");

		// once the rules have run on the store, evidence imported later updates the results in the same job
		org.eclipse.core.runtime.jobs.Job rules = dev.loupe.ui.handlers.RunRulesHandler.run();
		WorkbenchViewsTest.waitUntil(() -> rules.getResult() != null, "the rules");
		assertTrue(rules.getResult().isOK(), rules.getResult().toString());
		long before = signals();
		Path more = Files.copy(Path.of(System.getProperty("loupe.test.datasets")).resolve(
				"stratus-red-team-detonation-logs/detonation-logs/aws.defense-evasion.cloudtrail-delete.json"),
				evidence.resolve("cloudtrail-delete.json"));
		AtomicReference<String> updated = ModalDialogs.closeWhenShown(dev.loupe.ui.handlers.Messages.ingestDialogTitle,
				"import-updated.png");
		dev.loupe.ui.handlers.IngestFilesHandler.ingest(List.of(more), window);
		WorkbenchViewsTest.waitUntil(() -> updated.get() != null, "the second ingest's summary");
		assertTrue(updated.get().contains("The results were updated after the new evidence"), updated.get());
		assertEquals(before + 1, signals(), "the trail deleted is a signal without running the rules again");
	}

	/**
	 * The analyst's own table of autonomous systems, with a line that is no range: the import's summary names that
	 * line with its file, and the rest of the table is used.
	 */
	@Test
	void aBadLineOfTheAnalystsTableIsNamedInTheSummary() throws Exception {
		Shell window = PlatformUI.getWorkbench().getActiveWorkbenchWindow().getShell();
		Path table = Files.createDirectories(dev.loupe.core.store.AsnSource.ownTables()).resolve("ours.csv");
		Path trail = Files.createTempDirectory("loupe-evidence").resolve("trail.json");
		Files.writeString(trail, Files.readString(Path.of(System.getProperty("loupe.test.datasets")).resolve(
				"stratus-red-team-detonation-logs/detonation-logs/aws.defense-evasion.cloudtrail-stop.json")).replace("86.245.153.234",
						"192.0.2.77"));
		// a store of its own: the other test counts the sources of the session's store
		Path before = StoreSession.get().location();
		StoreSession.get().setLocation(Files.createTempDirectory("loupe-table-store"));
		try {
			Files.writeString(table, "192.0.2.0/24,64496,Example Office\n192.0.2.300,192.0.2.400,64497,Typo\n");
			AtomicReference<String> summary = ModalDialogs.closeWhenShown(dev.loupe.ui.handlers.Messages.ingestDialogTitle,
					"import-table-problem.png");
			dev.loupe.ui.handlers.IngestFilesHandler.ingest(List.of(trail), window);
			WorkbenchViewsTest.waitUntil(() -> summary.get() != null, "the ingest summary");
			assertTrue(summary.get().contains("Table of autonomous systems: " + table + ":2: expected an address range"), summary.get());
			assertTrue(dev.loupe.core.query.EntityGraph.load(StoreSession.get().store(), 1000, 1000).nodes().stream()
					.anyMatch(n -> n.label().equals("192.0.2.77") && "AS64496 Example Office".equals(n.network())),
					"the table's other line gave the address its network");
		} finally {
			Files.deleteIfExists(table);
			StoreSession.get().setLocation(before);
		}
	}

	private static long signals() throws Exception {
		return new dev.loupe.core.reason.Findings(StoreSession.get().store()).signals("en").size();
	}

}
