package dev.loupe.ui.wizards;

import org.eclipse.jface.viewers.IStructuredSelection;
import org.eclipse.jface.wizard.Wizard;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.ui.IImportWizard;
import org.eclipse.ui.IWorkbench;

import dev.loupe.aws.PullRequest;
import dev.loupe.ui.handlers.PullJob;

/**
 * File > Import > Loupe > Evidence from AWS (and Loupe > Pull from AWS...): what `loupe pull` does, with pickers.
 * The pull and the ingest run as one background job; an MFA code is asked for in a dialog when a role needs it.
 */
public class PullFromAwsWizard extends Wizard implements IImportWizard {
	private AwsSourcePage page;

	public PullFromAwsWizard() {
		setWindowTitle(Messages.awsWizardTitle);
	}

	@Override
	public void init(IWorkbench workbench, IStructuredSelection selection) {
		// nothing to take from the selection: the source is an AWS account
	}

	@Override
	public void addPages() {
		page = new AwsSourcePage();
		addPage(page);
	}

	public AwsSourcePage sourcePage() {
		return page;
	}

	@Override
	public boolean performFinish() {
		Shell owner = getShell().getParent() instanceof Shell s ? s : getShell();
		PullRequest request;
		try {
			request = page.request(PullJob.askMfaCode(owner));
		} catch (IllegalArgumentException e) {
			page.setErrorMessage(e.getMessage());
			return false;
		}
		PullJob.schedule(request, owner);
		return true;
	}
}
