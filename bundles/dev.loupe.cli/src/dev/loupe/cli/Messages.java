package dev.loupe.cli;

import org.eclipse.osgi.util.NLS;

/** Texts of the command line, in messages.properties (English) and messages_ja.properties (Japanese). */
public final class Messages extends NLS {
	private static final String BUNDLE_NAME = "dev.loupe.cli.messages";

	public static String usage;
	public static String helpIngest;
	public static String helpPull;
	public static String pullStart;
	public static String pullDone;
	public static String pullObjects;
	public static String mfaPrompt;
	public static String ingestProgress;
	public static String ingestWriting;
	public static String signalResources;
	public static String pullCancelled;
	public static String errorNoLogGroup;
	public static String errorNoS3;
	public static String pullSkipped;
	public static String pullFailed;
	public static String errorWindow;
	public static String errorTime;
	public static String helpReason;
	public static String helpSequences;
	public static String helpSignals;
	public static String helpEvidence;
	public static String errorNoIri;
	public static String evidenceUnknown;
	public static String evidenceFor;
	public static String evidenceRecord;
	public static String evidenceNoText;
	public static String evidenceMore;
	public static String helpQuery;
	public static String helpDemo;
	public static String helpSources;
	public static String helpRemove;
	public static String helpCompact;
	public static String compactStart;
	public static String compactDone;
	public static String compactHint;
	public static String errorNoSources;
	public static String sourcesNone;
	public static String sourceLine;
	public static String removeSource;
	public static String removeDone;
	public static String errorUnknownCommand;
	public static String errorUnknownOption;
	public static String errorMissingValue;
	public static String errorInternal;
	public static String errorNoPaths;
	public static String errorQueryMissing;
	public static String errorQueryBoth;
	public static String errorCannotRead;
	public static String errorSamplesMissing;
	public static String errorFormat;
	public static String ingestStore;
	public static String ingestFileIngested;
	public static String ingestFileUnchanged;
	public static String ingestFileSkipped;
	public static String ingestFileFailed;
	public static String ingestProblem;
	public static String ingestMoreProblems;
	public static String ingestSummary;
	public static String ingestCancelled;
	public static String reasonSummary;
	public static String reasonFull;
	public static String reasonUpdate;
	public static String reasonUpToDate;
	public static String reasonRule;
	public static String sequencesNone;
	public static String sequenceHeader;
	public static String sequenceActor;
	public static String sequenceWindow;
	public static String sequenceTactics;
	public static String sequenceWhy;
	public static String sequenceSignals;
	public static String signalLine;
	public static String signalEvidence;
	public static String signalsNone;
	public static String helpGaps;
	public static String gapsNone;
	public static String gapLine;
	public static String gapOpen;
	public static String gapCause;
	public static String gapRestore;
	public static String sequenceLinks;
	public static String linkLine;
	public static String sequenceContext;
	public static String contextLine;
	public static String contextMore;
	public static String signalRoutine;
	public static String signalAutomated;
	public static String signalLowSeverity;
	public static String signalFirstSignIn;
	public static String signalPosture;
	public static String signalHabitual;
	public static String signalBurst;
	public static String signalNew;
	public static String silenceLine;
	public static String silenceOpen;
	public static String silenceCause;
	public static String silenceFollows;
	public static String newUserAgent;
	public static String newAddress;
	public static String newRegion;
	public static String newApi;
	public static String queryRows;
	public static String demoStart;
	public static String demoDone;
	public static String severityCritical;
	public static String severityHigh;
	public static String severityMedium;
	public static String severityLow;

	static {
		NLS.initializeMessages(BUNDLE_NAME, Messages.class);
	}

	private Messages() {
	}
}
