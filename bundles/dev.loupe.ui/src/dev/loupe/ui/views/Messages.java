package dev.loupe.ui.views;

import org.eclipse.osgi.util.NLS;

public final class Messages extends NLS {
	private static final String BUNDLE_NAME = "dev.loupe.ui.views.messages";

	public static String graphLoading;
	public static String graphJob;
	public static String graphEmpty;
	public static String graphStatus;
	public static String graphError;
	public static String signalsLoading;
	public static String signalsJob;
	public static String signalsEmpty;
	public static String signalsStatus;
	public static String signalsError;
	public static String filterHint;
	public static String columnTime;
	public static String columnSeverity;
	public static String columnWhat;
	public static String columnTechnique;
	public static String columnTactic;
	public static String columnActor;
	public static String columnEvidence;
	public static String columnLink;
	public static String gapWhat;
	public static String gapOpen;
	public static String signalRoutine;
	public static String signalAutomated;
	public static String signalAutomationClient;
	public static String signalLowSeverity;
	public static String signalFirstSignIn;
	public static String signalPosture;
	public static String signalHabitual;
	public static String signalSuppressed;
	public static String signalBurst;
	public static String signalFailed;
	public static String sequenceFailed;
	public static String signalNew;
	public static String signalDeployed;
	public static String silenceWhat;
	public static String silenceCause;
	public static String silenceFollows;
	public static String newUserAgent;
	public static String newAddress;
	public static String newNetwork;
	public static String newRegion;
	public static String newApi;
	public static String timelineLoading;
	public static String evidenceNone;
	public static String evidenceLoading;
	public static String evidenceJob;
	public static String evidenceTitle;
	public static String evidenceSequence;
	public static String evidenceHeader;
	public static String evidenceNoText;
	public static String evidenceMore;
	public static String evidenceError;

	public static String timelineFilterHint;
	public static String timelineJob;
	public static String timelineEmpty;
	public static String timelineStatus;
	public static String timelineError;
	public static String timelineUtc;
	public static String timelineNoAccount;
	public static String timelineSilent;
	public static String timelineSignalTip;
	public static String timelineGapTip;
	public static String timelineSequenceTip;
	public static String timelineHourTip;

	static {
		NLS.initializeMessages(BUNDLE_NAME, Messages.class);
	}

	private Messages() {
	}

	/** The baseline's words for what was new to a principal (rules/50-newly-observed.ru), in the user's language. */
	static String newly(java.util.List<String> what) {
		return String.join(", ", what.stream().map(w -> switch (w) {
		case "user-agent" -> newUserAgent;
		case "address" -> newAddress;
		case "asn" -> newNetwork;
		case "region" -> newRegion;
		case "api" -> newApi;
		default -> w;
		}).toList());
	}
}
