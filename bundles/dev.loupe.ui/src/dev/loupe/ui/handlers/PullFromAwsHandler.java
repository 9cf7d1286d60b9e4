package dev.loupe.ui.handlers;

import org.eclipse.core.commands.AbstractHandler;
import org.eclipse.core.commands.ExecutionEvent;
import org.eclipse.jface.wizard.WizardDialog;
import org.eclipse.ui.handlers.HandlerUtil;

import dev.loupe.ui.wizards.PullFromAwsWizard;

/** Loupe > Pull from AWS...: opens the AWS import wizard. */
public class PullFromAwsHandler extends AbstractHandler {
	@Override
	public Object execute(ExecutionEvent event) {
		new WizardDialog(HandlerUtil.getActiveShell(event), new PullFromAwsWizard()).open();
		return null;
	}
}
