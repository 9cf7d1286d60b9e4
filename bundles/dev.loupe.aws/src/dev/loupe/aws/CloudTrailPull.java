package dev.loupe.aws;

import java.io.IOException;

import org.eclipse.core.runtime.IProgressMonitor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.loupe.core.ingest.JsonRecords;
import dev.loupe.core.ingest.Redaction;
import software.amazon.awssdk.services.cloudtrail.CloudTrailClient;
import software.amazon.awssdk.services.cloudtrail.model.LookupEventsResponse;

/**
 * CloudTrail LookupEvents over the window, page by page (50 events each, the API's most), resumable. Events carry
 * the temporary credentials AssumeRole handed out: pages are redacted before they are saved.
 */
final class CloudTrailPull {
	private static final String OPERATION = "lookup-events";

	private CloudTrailPull() {
	}

	static PullReport.Part run(AwsClients clients, PullRequest r, String region, PullState state,
			IProgressMonitor monitor) {
		PageRecorder recorder = new PageRecorder(CloudTrailPull::redact);
		try (CloudTrailClient client = clients.cloudTrail(region, recorder)) {
			return Paged.run(PullRequest.Service.CLOUDTRAIL, region, state, recorder, OPERATION, monitor, token -> {
				LookupEventsResponse page = client.lookupEvents(b -> b.startTime(r.since()).endTime(r.until()).maxResults(50)
						.nextToken(token));
				return new Paged.Page(page.events().size(), page.nextToken());
			});
		}
	}

	/** Takes secrets out of every event of a LookupEvents page (each event is JSON inside a string). */
	static byte[] redact(byte[] page) {
		try {
			JsonNode root = JsonRecords.JSON.readTree(page);
			for (JsonNode entry : root.path("Events")) {
				JsonNode text = entry.get("CloudTrailEvent");
				if (entry instanceof ObjectNode o && text != null && text.isTextual()) {
					JsonNode event = JsonRecords.JSON.readTree(text.asText());
					if (Redaction.redact(event) > 0) {
						o.put("CloudTrailEvent", JsonRecords.JSON.writeValueAsString(event));
					}
				}
			}
			return JsonRecords.JSON.writeValueAsBytes(root);
		} catch (IOException e) {
			// not JSON: the SDK will say so when it reads the same bytes; keep nothing that could hold secrets
			return new byte[0];
		}
	}
}
