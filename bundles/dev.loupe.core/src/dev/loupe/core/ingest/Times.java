package dev.loupe.core.ingest;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Times as AWS services and log pipelines write them: ISO-8601 with an offset or Z, the same with a space
 * instead of T and no zone (UTC, as pipelines such as Panther normalise them), and numbers of seconds or
 * milliseconds since 1970 (ASFF copies of GuardDuty signals, SDK JSON).
 */
public final class Times {
	/** Numbers above this are milliseconds: 10^11 seconds is the year 5138. */
	private static final double MILLIS_THRESHOLD = 1e11;

	private Times() {
	}

	/** @return the instant, or null when the node holds no time */
	public static Instant of(JsonNode v) {
		if (v == null || v.isNull() || v.isMissingNode()) {
			return null;
		}
		if (v.isNumber()) {
			double d = v.asDouble();
			return d > MILLIS_THRESHOLD ? Instant.ofEpochMilli((long) d) : Instant.ofEpochMilli((long) (d * 1000));
		}
		return v.isTextual() ? parse(v.asText()) : null;
	}

	/** @return the instant, or null when the text is not a time */
	public static Instant parse(String text) {
		String t = text.strip();
		if (t.isEmpty()) {
			return null;
		}
		try {
			return OffsetDateTime.parse(t).toInstant();
		} catch (DateTimeParseException e) {
			// not ISO with a zone: the forms below
		}
		try {
			return LocalDateTime.parse(t.replace(' ', 'T')).toInstant(ZoneOffset.UTC);
		} catch (DateTimeParseException e) {
			// nor without one
		}
		if (t.matches("\\d+(\\.\\d+)?")) {
			double d = Double.parseDouble(t);
			return d > MILLIS_THRESHOLD ? Instant.ofEpochMilli((long) d) : Instant.ofEpochMilli((long) (d * 1000));
		}
		return null;
	}

	/** The first of {@code options} that is known. */
	public static Instant first(Instant... options) {
		for (Instant i : options) {
			if (i != null) {
				return i;
			}
		}
		return null;
	}
}
