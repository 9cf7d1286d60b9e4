package dev.loupe.ui;

import org.eclipse.osgi.util.NLS;

public final class Messages extends NLS {
	private static final String BUNDLE_NAME = "dev.loupe.ui.messages";

	public static String windowTitle;
	public static String handoffWho;
	public static String handoffJob;
	public static String rehearsalJob;
	public static String handoffUnavailable;

	static {
		NLS.initializeMessages(BUNDLE_NAME, Messages.class);
	}

	private Messages() {
	}
}
