package dev.loupe.cli;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Locale;

import dev.loupe.core.reason.Findings;

/**
 * What `loupe sequences|signals|gaps` keep of what the rules found, in the middle of an incident when there are
 * hundreds: {@code --min-severity N}, {@code --actor TEXT} (part of a principal's name or IRI, any case: a
 * sequence any of whose signals it made), {@code --since T} and {@code --until T} (what overlaps that window).
 */
record FindingsFilter(BigDecimal minSeverity, String actor, Instant since, Instant until) {

	static FindingsFilter of(Options o) {
		BigDecimal min = null;
		if (o.minSeverity != null) {
			try {
				min = new BigDecimal(o.minSeverity);
			} catch (NumberFormatException e) {
				throw new Options.UsageException(Messages.bind(Messages.errorSeverity, o.minSeverity));
			}
		}
		Instant since = o.since == null ? null : Options.time(o.since, "--since");
		Instant until = o.until == null ? null : Options.time(o.until, "--until");
		if (since != null && until != null && !since.isBefore(until)) {
			throw new Options.UsageException(Messages.bind(Messages.errorWindow, since, until));
		}
		return new FindingsFilter(min, o.actor == null ? null : o.actor.toLowerCase(Locale.ROOT), since, until);
	}


	boolean keeps(Findings.Sequence q) {
		return severe(q.severity()) && during(q.start(), q.end())
				&& (names(q.actor(), q.actorLabel()) || q.members().stream().anyMatch(s -> names(s.actor(), s.actorLabel())));
	}

	boolean keeps(Findings.Signal s) {
		return severe(s.severity()) && during(s.time(), s.time()) && names(s.actor(), s.actorLabel());
	}

	/** A gap that never ended runs on: it overlaps any window after its start. */
	boolean keeps(Findings.Gap g) {
		return during(g.start(), g.end()) && names(g.actor(), g.actorLabel());
	}

	private boolean severe(BigDecimal severity) {
		return minSeverity == null || severity != null && severity.compareTo(minSeverity) >= 0;
	}

	private boolean names(String iri, String label) {
		return actor == null || iri != null && iri.toLowerCase(Locale.ROOT).contains(actor)
				|| label != null && label.toLowerCase(Locale.ROOT).contains(actor);
	}

	/** @param end null: still going */
	private boolean during(String start, String end) {
		if (since == null && until == null) {
			return true;
		}
		Instant from = start == null ? null : Instant.parse(start);
		Instant to = end == null ? null : Instant.parse(end);
		return (until == null || from == null || from.isBefore(until)) && (since == null || to == null || !to.isBefore(since));
	}
}
