package dev.loupe.ui.wizards;

import org.eclipse.osgi.util.NLS;

public final class Messages extends NLS {
	public static String wizardTitle;
	public static String pageTitle;
	public static String pageDescription;
	public static String columnPath;
	public static String columnFiles;
	public static String columnFormats;
	public static String addFiles;
	public static String addFolder;
	public static String addFolderMessage;
	public static String remove;
	public static String recognising;
	public static String previewJob;
	public static String unreadable;
	public static String notRecognised;
	public static String nothingRecognised;
	public static String sampled;
	public static String filterEvidence;
	public static String filterAll;

	static {
		NLS.initializeMessages(Messages.class.getPackageName() + ".messages", Messages.class);
	}

	private Messages() {
	}
}
