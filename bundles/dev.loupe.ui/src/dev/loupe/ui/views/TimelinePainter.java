package dev.loupe.ui.views;

import java.time.Instant;

import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.Color;
import org.eclipse.swt.graphics.GC;
import org.eclipse.swt.graphics.Point;
import org.eclipse.swt.graphics.Rectangle;

import dev.loupe.core.reason.Findings;
import dev.loupe.core.reason.Timeline;

/** Draws the parts of one paint of the timeline: rows, lanes, the grid and the axis. */
final class TimelinePainter {
	private static final long HOUR = 3_600_000L;
	private final GC gc;
	private final TimelineScale scale;
	private final Rectangle area;
	private final Object selected;
	private final int plotLeft;
	private final int plotRight;

	TimelinePainter(GC gc, TimelineScale scale, Rectangle area, Object selected) {
		this.gc = gc;
		this.scale = scale;
		this.area = area;
		this.selected = selected;
		plotLeft = TimelineCanvas.LABEL_WIDTH;
		plotRight = area.width - 8;
	}

	void grid(int top, Color color) {
		gc.setForeground(color);
		for (TimelineScale.Tick t : scale.ticks()) {
			if (t.x() >= plotLeft && t.x() <= plotRight) {
				gc.drawLine(t.x(), top, t.x(), area.height);
			}
		}
	}

	void axis(int height, Color line) {
		gc.setBackground(gc.getDevice().getSystemColor(SWT.COLOR_WIDGET_BACKGROUND));
		gc.fillRectangle(0, 0, area.width, height);
		gc.setForeground(line);
		gc.drawLine(0, height - 1, area.width, height - 1);
		gc.setForeground(gc.getDevice().getSystemColor(SWT.COLOR_WIDGET_FOREGROUND));
		gc.drawText(Messages.timelineUtc, 6, 4, true);
		for (TimelineScale.Tick t : scale.ticks()) {
			if (t.x() >= plotLeft && t.x() <= plotRight - 40) {
				gc.drawLine(t.x(), height - 5, t.x(), height - 1);
				gc.drawText(t.label(), t.x() + 3, 4, true);
			}
		}
	}

	void sequence(Timeline.Span s, int y, int h) {
		Findings.Sequence q = s.sequence();
		Color c = TimelineCanvas.severity(q.severity(), false);
		label(y, h, c, TimelineTexts.sequenceLabel(q), null);
		int x0 = clampX(scale.x(s.start().toEpochMilli()));
		int x1 = clampX(scale.x(s.end().toEpochMilli()));
		if (x1 < plotLeft || x0 > plotRight) {
			return;
		}
		gc.setAlpha(90);
		gc.setBackground(c);
		gc.fillRoundRectangle(x0 - 3, y + 4, Math.max(6, x1 - x0 + 6), h - 8, 6, 6);
		gc.setAlpha(255);
		gc.setForeground(c);
		gc.setLineWidth(q.equals(selected) ? 2 : 1);
		if (q.equals(selected)) {
			gc.setForeground(gc.getDevice().getSystemColor(SWT.COLOR_BLACK));
		}
		gc.drawRoundRectangle(x0 - 3, y + 4, Math.max(6, x1 - x0 + 6), h - 8, 6, 6);
		gc.setLineWidth(1);
		for (Findings.Signal m : q.members()) {
			diamond(m, y + h / 2, 4);
		}
	}

	void lane(Timeline.Lane l, int y, int h, Color stripe, long end) {
		if (stripe != null) {
			gc.setBackground(stripe);
			gc.fillRectangle(0, y, area.width, h);
		}
		label(y, h, null, l.source(), TimelineTexts.where(l));
		activity(l, y, h);
		for (Findings.Gap g : l.gaps()) {
			gap(g, y, h, end);
		}
		for (Findings.Signal s : l.signals()) {
			diamond(s, y + h / 2, 5);
		}
	}

	/** Records per hour as bars on a log scale, the tallest of each pixel column kept when hours are narrower. */
	private void activity(Timeline.Lane l, int y, int h) {
		long max = l.maxCount();
		if (max == 0) {
			return;
		}
		int width = plotRight - plotLeft + 1;
		int[] column = new int[width];
		double log = Math.log1p(max);
		long[] hours = l.hours();
		int first = java.util.Arrays.binarySearch(hours, scale.from() - HOUR);
		for (int i = first < 0 ? -first - 1 : first; i < hours.length && hours[i] <= scale.to(); i++) {
			int bar = Math.max(2, (int) Math.round((h - 8) * Math.log1p(l.counts()[i]) / log));
			int a = Math.max(plotLeft, scale.x(hours[i]));
			// an hour stays visible when weeks are on screen
			int b = Math.min(plotRight, Math.max(a + 1, scale.x(hours[i] + HOUR) - 1));
			for (int x = a; x <= b; x++) {
				column[x - plotLeft] = Math.max(column[x - plotLeft], bar);
			}
		}
		gc.setBackground(TimelineCanvas.activity());
		int run = 0;
		for (int x = 1; x <= width; x++) {
			if (x == width || column[x] != column[run]) {
				if (column[run] > 0) {
					gc.fillRectangle(plotLeft + run, y + h - 3 - column[run], x - run, column[run]);
				}
				run = x;
			}
		}
	}

	private void gap(Findings.Gap g, int y, int h, long end) {
		int x0 = clampX(scale.x(Instant.parse(g.start()).toEpochMilli()));
		int x1 = clampX(scale.x(g.end() == null ? end : Instant.parse(g.end()).toEpochMilli()));
		if (x1 <= x0) {
			x1 = x0 + 2;
		}
		Color c = TimelineCanvas.gap(g);
		Rectangle r = new Rectangle(x0, y + 2, x1 - x0, h - 4);
		gc.setAlpha(60);
		gc.setBackground(c);
		gc.fillRectangle(r);
		gc.setAlpha(170);
		gc.setForeground(c);
		Rectangle clip = gc.getClipping();
		gc.setClipping(r.intersection(clip));
		for (int x = r.x - r.height; x < r.x + r.width; x += 8) {
			gc.drawLine(x, r.y + r.height, x + r.height, r.y);
		}
		gc.setClipping(clip);
		gc.setAlpha(255);
		gc.setLineWidth(g.equals(selected) ? 2 : 1);
		gc.setForeground(g.equals(selected) ? gc.getDevice().getSystemColor(SWT.COLOR_BLACK) : c);
		gc.drawRectangle(r);
		gc.setLineWidth(1);
		String text = TimelineTexts.gapLabel(g);
		Point size = gc.textExtent(text);
		if (size.x + 8 < r.width) {
			gc.setForeground(gc.getDevice().getSystemColor(SWT.COLOR_BLACK));
			gc.drawText(text, r.x + 4, r.y + 1, true);
		}
	}

	private void diamond(Findings.Signal s, int cy, int size) {
		int x = scale.x(Instant.parse(s.time()).toEpochMilli());
		if (x < plotLeft - size || x > plotRight + size) {
			return;
		}
		boolean on = s.equals(selected);
		int r = on ? size + 2 : size;
		int[] shape = { x, cy - r, x + r, cy, x, cy + r, x - r, cy };
		gc.setBackground(TimelineCanvas.severity(s.severity(), s.uncounted()));
		gc.fillPolygon(shape);
		gc.setForeground(gc.getDevice().getSystemColor(on ? SWT.COLOR_BLACK : SWT.COLOR_DARK_GRAY));
		gc.setLineWidth(on ? 2 : 1);
		gc.drawPolygon(shape);
		gc.setLineWidth(1);
	}

	/** The left column: a row's name (and a second, smaller line), clipped to the column. */
	private void label(int y, int h, Color mark, String first, String second) {
		Rectangle clip = gc.getClipping();
		gc.setClipping(new Rectangle(0, y, plotLeft - 6, h).intersection(clip));
		int x = 6;
		if (mark != null) {
			gc.setBackground(mark);
			gc.fillRectangle(x, y + h / 2 - 4, 8, 8);
			x += 12;
		}
		gc.setForeground(gc.getDevice().getSystemColor(SWT.COLOR_WIDGET_FOREGROUND));
		int line = gc.getFontMetrics().getHeight();
		if (second == null) {
			gc.drawText(first, x, y + (h - line) / 2, true);
		} else {
			gc.drawText(first, x, y + h / 2 - line, true);
			gc.setForeground(gc.getDevice().getSystemColor(SWT.COLOR_DARK_GRAY));
			gc.drawText(second, x, y + h / 2, true);
		}
		gc.setClipping(clip);
		gc.setForeground(gc.getDevice().getSystemColor(SWT.COLOR_WIDGET_NORMAL_SHADOW));
		gc.drawLine(plotLeft - 4, y, plotLeft - 4, y + h);
	}

	private int clampX(int x) {
		return Math.max(plotLeft - 4, Math.min(plotRight + 4, x));
	}
}
