package dev.loupe.cli;

import org.eclipse.equinox.app.IApplication;
import org.eclipse.equinox.app.IApplicationContext;

/** The headless Loupe application: `loupe ingest|reason|sequences|query|demo`. Returns the process exit code. */
public class CliApplication implements IApplication {

	@Override
	public Object start(IApplicationContext context) {
		String[] args = (String[]) context.getArguments().get(IApplicationContext.APPLICATION_ARGS);
		context.applicationRunning();
		return Cli.standard().run(args == null ? new String[0] : args);
	}

	@Override
	public void stop() {
		// commands finish their transaction; nothing to interrupt
	}
}
