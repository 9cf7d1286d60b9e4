package dev.loupe.aws;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import org.eclipse.core.runtime.IProgressMonitor;

import software.amazon.awssdk.core.exception.SdkException;

/**
 * A pull that pages with a token (LookupEvents, Security Hub GetFindings): each page is saved by the recorder and
 * the next token kept in the pull state after it, so an interrupted pull resumes at the page it had not saved.
 */
final class Paged {
	/** What one call answered: how many records, and the token of the next page (null or empty at the end). */
	record Page(int records, String nextToken) {
	}

	private Paged() {
	}

	static PullReport.Part run(PullRequest.Service service, String region, PullState state, PageRecorder recorder,
			String operation, IProgressMonitor monitor, Function<String, Page> call) {
		return run(service, region, null, state, recorder, operation, monitor, call);
	}

	/** @param scope the log group or other part of the service pulled, for the report; null when none */
	static PullReport.Part run(PullRequest.Service service, String region, String scope, PullState state,
			PageRecorder recorder, String operation, IProgressMonitor monitor, Function<String, Page> call) {
		List<Path> files = new ArrayList<>();
		int records = 0;
		String error = null;
		try {
			while (!state.done && !monitor.isCanceled()) {
				recorder.target(state.page(operation, state.pages + 1));
				Page page = call.apply(state.nextToken);
				records += page.records();
				files.add(recorder.written());
				state.pages++;
				state.nextToken = page.nextToken();
				state.done = state.nextToken == null || state.nextToken.isEmpty();
				state.save();
			}
		} catch (SdkException e) {
			error = failed(e, recorder, files);
		}
		return new PullReport.Part(service, region, scope, files.size(), records, false, error, files, state.folder());
	}

	/** Says what failed; a page the SDK could not read (a model older than the service) was saved: it is evidence. */
	static String failed(SdkException e, PageRecorder recorder, List<Path> files) {
		if (recorder.written() != null && !files.contains(recorder.written())) {
			files.add(recorder.written());
		}
		return Pulls.describe(e);
	}
}
