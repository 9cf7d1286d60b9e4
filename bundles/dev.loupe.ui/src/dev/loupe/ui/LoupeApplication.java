package dev.loupe.ui;

import java.nio.file.Path;

import org.eclipse.equinox.app.IApplication;
import org.eclipse.equinox.app.IApplicationContext;
import org.eclipse.swt.graphics.Point;
import org.eclipse.swt.widgets.Display;
import org.eclipse.ui.IWorkbench;
import org.eclipse.ui.PlatformUI;
import org.eclipse.ui.application.IWorkbenchConfigurer;
import org.eclipse.ui.application.IWorkbenchWindowConfigurer;
import org.eclipse.ui.application.WorkbenchAdvisor;
import org.eclipse.ui.application.WorkbenchWindowAdvisor;
import org.eclipse.osgi.util.NLS;

/** The Loupe workbench: `loupe gui [--store DIR]`. */
public class LoupeApplication implements IApplication {

	@Override
	public Object start(IApplicationContext context) {
		String[] args = (String[]) context.getArguments().get(IApplicationContext.APPLICATION_ARGS);
		for (int i = 0; args != null && i + 1 < args.length; i++) {
			if ("--store".equals(args[i])) {
				StoreSession.get().setLocation(Path.of(args[i + 1]));
			}
		}
		Display display = PlatformUI.createDisplay();
		try {
			int rc = PlatformUI.createAndRunWorkbench(display, new Advisor());
			return rc == PlatformUI.RETURN_RESTART ? IApplication.EXIT_RESTART : IApplication.EXIT_OK;
		} finally {
			StoreSession.get().closeStore();
			display.dispose();
		}
	}

	@Override
	public void stop() {
		if (!PlatformUI.isWorkbenchRunning()) {
			return;
		}
		IWorkbench workbench = PlatformUI.getWorkbench();
		Display display = workbench.getDisplay();
		display.syncExec(() -> {
			if (!display.isDisposed()) {
				workbench.close();
			}
		});
	}

	static final class Advisor extends WorkbenchAdvisor {
		@Override
		public void initialize(IWorkbenchConfigurer configurer) {
			configurer.setSaveAndRestore(false);
		}

		@Override
		public String getInitialWindowPerspectiveId() {
			return InvestigationPerspective.ID;
		}

		@Override
		public WorkbenchWindowAdvisor createWorkbenchWindowAdvisor(IWorkbenchWindowConfigurer configurer) {
			return new WorkbenchWindowAdvisor(configurer) {
				@Override
				public void preWindowOpen() {
					configurer.setInitialSize(new Point(1280, 800));
					configurer.setShowCoolBar(false);
					configurer.setShowStatusLine(true);
					configurer.setShowProgressIndicator(true);
					configurer.setTitle(NLS.bind(Messages.windowTitle, StoreSession.get().location()));
				}
			};
		}
	}
}
