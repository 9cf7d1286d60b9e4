package dev.loupe.ui.views;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * The visible time window of the timeline and how it maps to pixels of the plot area; zooming keeps the time
 * under the pointer where it is, and ticks fall on round UTC times (minutes to months) at least 110 px apart.
 */
final class TimelineScale {
	private static final long MINUTE = 60_000L;
	private static final long HOUR = 60 * MINUTE;
	private static final long DAY = 24 * HOUR;
	private static final long[] STEPS = { MINUTE, 5 * MINUTE, 15 * MINUTE, 30 * MINUTE, HOUR, 3 * HOUR, 6 * HOUR, 12 * HOUR,
			DAY, 2 * DAY, 7 * DAY, 14 * DAY, 30 * DAY, 90 * DAY, 365 * DAY };
	private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("MM-dd HH:mm").withZone(ZoneOffset.UTC);
	private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);
	/** Below this the view would show less than a minute: nothing in the evidence is that fine. */
	private static final long MIN_SPAN = 2 * MINUTE;

	record Tick(long time, int x, String label) {
	}

	private long all0;
	private long all1;
	private long from;
	private long to;
	private int x0;
	private int width = 1;

	/** The whole of the evidence; the view shows all of it, with a margin so that marks at the ends are seen. */
	void setRange(Instant start, Instant end) {
		long span = Math.max(end.toEpochMilli() - start.toEpochMilli(), HOUR);
		all0 = start.toEpochMilli() - span / 50;
		all1 = start.toEpochMilli() + span + span / 50;
		fit();
	}

	void fit() {
		from = all0;
		to = all1;
	}

	/** Shows from {@code start} to {@code end} (epoch milliseconds), no less than {@link #MIN_SPAN}. */
	void show(long start, long end) {
		long span = Math.max(MIN_SPAN, end - start);
		from = start - (span - (end - start)) / 2;
		to = from + span;
	}

	void setArea(int x0, int width) {
		this.x0 = x0;
		this.width = Math.max(1, width);
	}

	long from() {
		return from;
	}

	long to() {
		return to;
	}

	int x(long t) {
		return x0 + (int) Math.round((double) (t - from) * width / (to - from));
	}

	long time(int x) {
		return from + Math.round((double) (x - x0) * (to - from) / width);
	}

	/** {@code factor} below 1 zooms in. */
	void zoom(double factor, int aroundX) {
		long pivot = time(aroundX);
		long span = Math.max(MIN_SPAN, Math.round((to - from) * factor));
		double share = (double) (aroundX - x0) / width;
		from = pivot - Math.round(span * share);
		to = from + span;
	}

	void pan(int dx) {
		long dt = Math.round((double) dx * (to - from) / width);
		from -= dt;
		to -= dt;
	}

	/** Moves the window, keeping its width, so that {@code t} is in its middle. */
	void center(long t) {
		long half = (to - from) / 2;
		from = t - half;
		to = t + half;
	}

	boolean visible(long t) {
		return t >= from && t <= to;
	}

	List<Tick> ticks() {
		long step = STEPS[STEPS.length - 1];
		for (long s : STEPS) {
			if ((double) s * width / (to - from) >= 110) {
				step = s;
				break;
			}
		}
		List<Tick> out = new ArrayList<>();
		DateTimeFormatter f = step >= DAY ? DATE : TIME;
		for (long t = Math.floorDiv(from, step) * step + step; t < to; t += step) {
			out.add(new Tick(t, x(t), f.format(Instant.ofEpochMilli(t))));
		}
		return out;
	}

	static String format(String isoTime) {
		return isoTime == null ? "" : TIME.format(Instant.parse(isoTime));
	}
}
