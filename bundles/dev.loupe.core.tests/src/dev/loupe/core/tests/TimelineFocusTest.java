package dev.loupe.core.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.loupe.core.reason.Findings;
import dev.loupe.core.reason.Timeline;

/**
 * The timeline opens on the incident: evidence that reaches years before it (an old finding in an export) would
 * otherwise squeeze the incident into a few pixels.
 */
class TimelineFocusTest {
	private static final Instant FROM = Instant.parse("2020-06-02T14:00:00Z");
	private static final Instant TO = Instant.parse("2024-08-03T00:00:00Z");

	private static Timeline withGaps(Findings.Gap... gaps) {
		Timeline.Lane lane = new Timeline.Lane("CloudTrail", "111122223333", "us-east-1", new long[0], new long[0], List.of(gaps), List.of());
		return new Timeline(FROM, TO, List.of(lane), List.of());
	}

	private static Findings.Gap gap(String start, String end) {
		return new Findings.Gap("urn:gap:" + start, "CloudTrail", start, end, "111122223333", "us-east-1", null, "StopLogging", null, null,
				null, null, false, null);
	}

	@Test
	void opensOnTheGapsWithAMargin() {
		Timeline.Window w = withGaps(gap("2024-08-01T12:00:00Z", null), gap("2024-08-01T14:00:00Z", "2024-08-01T16:00:00Z")).focus();
		assertEquals(new Timeline.Window(Instant.parse("2024-08-01T11:30:00Z"), Instant.parse("2024-08-01T16:30:00Z")), w,
				"from the first to the last, half an hour more each side");
		Timeline.Window days = withGaps(gap("2024-07-22T00:00:00Z", "2024-08-01T00:00:00Z")).focus();
		assertEquals(new Timeline.Window(Instant.parse("2024-07-21T00:00:00Z"), Instant.parse("2024-08-02T00:00:00Z")), days,
				"a tenth of the span each side");
	}

	@Test
	void showsEverythingWithoutAnIncidentOrWhenItTakesMostOfIt() {
		assertEquals(new Timeline.Window(FROM, TO), withGaps().focus());
		assertEquals(new Timeline.Window(FROM, TO), withGaps(gap("2021-01-01T00:00:00Z", "2024-01-01T00:00:00Z")).focus());
	}
}
