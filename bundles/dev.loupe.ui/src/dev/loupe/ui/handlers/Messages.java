package dev.loupe.ui.handlers;

import org.eclipse.osgi.util.NLS;

public final class Messages extends NLS {
	private static final String BUNDLE_NAME = "dev.loupe.ui.handlers.messages";

	public static String ingestDialogTitle;
	public static String ingestJob;
	public static String ingestFailed;
	public static String ingestSummary;
	public static String ingestTableProblem;
	public static String ingestCompactHint;
	public static String ingestUpdated;
	public static String reasonJob;
	public static String reasonDone;
	public static String reasonFailed;
	public static String compactJob;
	public static String watchDialogTitle;
	public static String watchDialogMessage;
	public static String watchNone;
	public static String watchJob;
	public static String watchChanged;
	public static String watchFailed;
	public static String watchUpdated;
	public static String compactDialogTitle;
	public static String compactDone;
	public static String compactFailed;

	public static String pullJob;
	public static String pullFailed;
	public static String pullDialogTitle;
	public static String pullSkipped;
	public static String pullPages;
	public static String pullObjects;
	public static String mfaTitle;
	public static String mfaMessage;
	public static String mfaInvalid;

	static {
		NLS.initializeMessages(BUNDLE_NAME, Messages.class);
	}

	private Messages() {
	}
}
