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

	public static String awsWizardTitle;
	public static String awsPageTitle;
	public static String awsPageDescription;
	public static String awsProfile;
	public static String awsDefaultChain;
	public static String awsRegions;
	public static String awsSince;
	public static String awsUntil;
	public static String awsServices;
	public static String awsCloudTrail;
	public static String awsGuardDuty;
	public static String awsSecurityHub;
	public static String awsLogGroups;
	public static String awsS3;
	public static String awsRoles;
	public static String awsOrgRole;
	public static String awsOrgRoleHint;
	public static String awsMfa;
	public static String awsEndpoint;
	public static String awsOut;
	public static String awsBadTime;
	public static String awsBadWindow;
	public static String awsNoRegion;
	public static String awsNothing;
	public static String awsBadEndpoint;
	public static String awsNoOut;

	static {
		NLS.initializeMessages(Messages.class.getPackageName() + ".messages", Messages.class);
	}

	private Messages() {
	}
}
