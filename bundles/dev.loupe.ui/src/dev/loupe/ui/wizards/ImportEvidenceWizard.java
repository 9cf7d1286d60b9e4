package dev.loupe.ui.wizards;

import org.eclipse.jface.viewers.IStructuredSelection;
import org.eclipse.jface.wizard.Wizard;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.ui.IImportWizard;
import org.eclipse.ui.IWorkbench;

import dev.loupe.ui.handlers.IngestFilesHandler;

/**
 * File > Import > Loupe > Evidence Files and Folders (and Loupe > Import Evidence...): the analyst collects files
 * and folders, sees what Loupe recognises in them, and ingests them in a background job.
 */
public class ImportEvidenceWizard extends Wizard implements IImportWizard {
	private EvidenceSelectionPage page;

	public ImportEvidenceWizard() {
		setWindowTitle(Messages.wizardTitle);
		setNeedsProgressMonitor(false);
	}

	@Override
	public void init(IWorkbench workbench, IStructuredSelection selection) {
		// nothing to take from the selection: evidence comes from the file system
	}

	@Override
	public void addPages() {
		page = new EvidenceSelectionPage();
		addPage(page);
	}

	public EvidenceSelectionPage selectionPage() {
		return page;
	}

	@Override
	public boolean performFinish() {
		// the summary outlives this dialog: it belongs to the window the wizard was opened from
		Shell owner = getShell().getParent() instanceof Shell s ? s : getShell();
		IngestFilesHandler.ingest(page.paths(), owner);
		return true;
	}
}
