package dev.loupe.ui.views;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;

import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.Color;
import org.eclipse.swt.graphics.GC;
import org.eclipse.swt.graphics.Point;
import org.eclipse.swt.graphics.Rectangle;
import org.eclipse.swt.widgets.Canvas;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Event;
import org.eclipse.swt.widgets.ScrollBar;

import dev.loupe.core.reason.Findings;
import dev.loupe.core.reason.Timeline;

/**
 * Paints a {@link Timeline}: the time axis on top, one row per attack sequence (a span over its members), then
 * one lane per stream of evidence with its records per hour, its coverage gaps as hatched bands (switched off:
 * red; silent: amber) and its signals as diamonds coloured by severity. Ctrl+wheel or +/- zooms around the
 * pointer, dragging pans, the wheel scrolls the rows, double-click or Home shows everything. A click selects the
 * signal, gap or sequence under the pointer; {@link #select(Object)} highlights and reveals one.
 */
public final class TimelineCanvas {
	static final int LABEL_WIDTH = 230;
	static final int AXIS_HEIGHT = 24;
	static final int SEQUENCE_HEIGHT = 20;
	static final int LANE_HEIGHT = 36;
	private static final int SEPARATOR = 8;
	private static final int HIT = 6;
	private static final Color HIGH = new Color(203, 24, 29);
	private static final Color MEDIUM = new Color(241, 105, 19);
	private static final Color LOW = new Color(254, 196, 79);
	private static final Color ROUTINE = new Color(150, 150, 150);
	private static final Color ACTIVITY = new Color(107, 174, 214);
	private static final Color SWITCHED_OFF = new Color(222, 45, 38);
	private static final Color SILENT = new Color(253, 141, 60);
	private static final Color STRIPE = new Color(246, 246, 246);
	private static final Color GRID = new Color(225, 225, 225);

	private final Canvas canvas;
	private final TimelineScale scale = new TimelineScale();
	/** All of the evidence, and what the filter lets through (what is drawn). */
	private Timeline all;
	/** The name shown for each principal in tooltips. */
	private java.util.Map<String, String> names = java.util.Map.of();
	private Timeline model;
	private String filter = "";
	private Object selected;
	private Consumer<Object> onSelect = o -> {
	};
	private int dragX = -1;
	private boolean dragged;

	TimelineCanvas(Composite parent) {
		canvas = new Canvas(parent, SWT.DOUBLE_BUFFERED | SWT.V_SCROLL | SWT.BORDER);
		canvas.setData(TimelineCanvas.class.getName(), this);
		canvas.addListener(SWT.Paint, e -> paint(e.gc));
		canvas.addListener(SWT.Resize, e -> layout());
		canvas.getVerticalBar().addListener(SWT.Selection, e -> canvas.redraw());
		canvas.addListener(SWT.MouseVerticalWheel, this::wheel);
		canvas.addListener(SWT.MouseDown, e -> {
			dragX = e.x;
			dragged = false;
		});
		canvas.addListener(SWT.MouseMove, this::move);
		canvas.addListener(SWT.MouseUp, e -> {
			if (!dragged && e.button == 1) {
				Object hit = hit(e.x, e.y);
				select(hit);
				onSelect.accept(hit);
			}
			dragX = -1;
		});
		canvas.addListener(SWT.MouseDoubleClick, e -> fit());
		canvas.addListener(SWT.KeyDown, this::key);
	}

	public Canvas getControl() {
		return canvas;
	}

	void onSelect(Consumer<Object> listener) {
		onSelect = listener;
	}

	void setInput(Timeline timeline) {
		all = timeline;
		names = TimelineTexts.actorNames(timeline);
		model = timeline.filtered(filter);
		selected = null;
		scale.setRange(timeline.from(), timeline.to());
		// the incident first; double-click shows all of the evidence
		Timeline.Window focus = timeline.focus();
		scale.show(focus.from().toEpochMilli(), focus.to().toEpochMilli());
		layout();
	}

	/** The window of time shown now. */
	public Timeline.Window shown() {
		return new Timeline.Window(Instant.ofEpochMilli(scale.from()), Instant.ofEpochMilli(scale.to()));
	}

	/** What is drawn: the input, as far as the filter lets it through. */
	public Timeline getInput() {
		return model;
	}

	/** Shows the streams and sequences {@link Timeline#filtered(String)} keeps for {@code text}. */
	public void setFilter(String text) {
		filter = text == null ? "" : text;
		if (all != null) {
			model = all.filtered(filter);
			canvas.getVerticalBar().setSelection(0);
			layout();
		}
	}

	void fit() {
		scale.fit();
		canvas.redraw();
	}

	/** Highlights a signal, gap or sequence (of this timeline or an equal one) and brings it into view. */
	public void select(Object element) {
		selected = element;
		Point p = element == null ? null : locate(element);
		if (p != null) {
			long t = scale.time(p.x);
			if (!scale.visible(t)) {
				scale.center(t);
			}
			ScrollBar bar = canvas.getVerticalBar();
			int body = canvas.getClientArea().height - AXIS_HEIGHT;
			int y = p.y - AXIS_HEIGHT + bar.getSelection();
			if (y < bar.getSelection() || y > bar.getSelection() + body) {
				bar.setSelection(Math.max(0, y - body / 2));
			}
		}
		canvas.redraw();
	}

	public Object getSelection() {
		return selected;
	}

	private void layout() {
		Rectangle area = canvas.getClientArea();
		scale.setArea(LABEL_WIDTH, Math.max(1, area.width - LABEL_WIDTH - 8));
		ScrollBar bar = canvas.getVerticalBar();
		int content = model == null ? 0 : contentHeight();
		int visible = Math.max(1, area.height - AXIS_HEIGHT);
		bar.setMaximum(Math.max(content, visible));
		bar.setThumb(visible);
		bar.setPageIncrement(visible);
		bar.setIncrement(LANE_HEIGHT);
		canvas.redraw();
	}

	private int contentHeight() {
		return model.sequences().size() * SEQUENCE_HEIGHT + SEPARATOR + model.lanes().size() * LANE_HEIGHT;
	}

	/** Top of sequence row {@code i} / lane {@code i}, in canvas coordinates. */
	private int sequenceTop(int i) {
		return AXIS_HEIGHT - canvas.getVerticalBar().getSelection() + i * SEQUENCE_HEIGHT;
	}

	private int laneTop(int i) {
		return sequenceTop(model.sequences().size()) + SEPARATOR + i * LANE_HEIGHT;
	}

	private void paint(GC gc) {
		Rectangle area = canvas.getClientArea();
		gc.setBackground(canvas.getDisplay().getSystemColor(SWT.COLOR_LIST_BACKGROUND));
		gc.fillRectangle(area);
		if (model == null || model.isEmpty()) {
			return;
		}
		gc.setAdvanced(true);
		gc.setAntialias(SWT.ON);
		TimelinePainter painter = new TimelinePainter(gc, scale, area, selected);
		painter.grid(AXIS_HEIGHT, GRID);
		gc.setClipping(0, AXIS_HEIGHT, area.width, area.height - AXIS_HEIGHT);
		for (int i = 0; i < model.sequences().size(); i++) {
			int y = sequenceTop(i);
			if (y + SEQUENCE_HEIGHT >= AXIS_HEIGHT && y <= area.height) {
				painter.sequence(model.sequences().get(i), y, SEQUENCE_HEIGHT);
			}
		}
		for (int i = 0; i < model.lanes().size(); i++) {
			int y = laneTop(i);
			if (y + LANE_HEIGHT >= AXIS_HEIGHT && y <= area.height) {
				painter.lane(model.lanes().get(i), y, LANE_HEIGHT, i % 2 == 0 ? STRIPE : null, model.to().toEpochMilli());
			}
		}
		gc.setClipping((Rectangle) null);
		painter.axis(AXIS_HEIGHT, GRID);
	}

	private void wheel(Event e) {
		if ((e.stateMask & SWT.MOD1) != 0 && e.x >= LABEL_WIDTH) {
			scale.zoom(e.count > 0 ? 0.8 : 1.25, e.x);
			e.doit = false;
			canvas.redraw();
		}
	}

	private void move(Event e) {
		if (dragX >= 0 && (e.stateMask & SWT.BUTTON1) != 0 && Math.abs(e.x - dragX) > 2) {
			dragged = true;
			scale.pan(e.x - dragX);
			dragX = e.x;
			canvas.redraw();
			return;
		}
		String tip = TimelineTexts.tooltip(hit(e.x, e.y), hourAt(e.x, e.y), names);
		if (!tip.equals(canvas.getToolTipText() == null ? "" : canvas.getToolTipText())) {
			canvas.setToolTipText(tip.isEmpty() ? null : tip);
		}
	}

	private void key(Event e) {
		Point p = canvas.toControl(canvas.getDisplay().getCursorLocation());
		int around = p.x >= LABEL_WIDTH ? p.x : LABEL_WIDTH + canvas.getClientArea().width / 2;
		switch (e.character) {
		case '+', '=' -> scale.zoom(0.8, around);
		case '-' -> scale.zoom(1.25, around);
		default -> {
			if (e.keyCode == SWT.HOME) {
				scale.fit();
			} else if (e.keyCode == SWT.ARROW_LEFT || e.keyCode == SWT.ARROW_RIGHT) {
				scale.pan(e.keyCode == SWT.ARROW_LEFT ? 60 : -60);
			} else {
				return;
			}
		}
		}
		canvas.redraw();
	}

	/** The signal, gap or sequence at a point of the canvas, or null. */
	public Object hit(int x, int y) {
		if (model == null || y < AXIS_HEIGHT || x < LABEL_WIDTH) {
			return null;
		}
		for (int i = 0; i < model.sequences().size(); i++) {
			int top = sequenceTop(i);
			if (y >= top && y < top + SEQUENCE_HEIGHT) {
				Timeline.Span s = model.sequences().get(i);
				Findings.Signal member = nearest(s.sequence().members(), x);
				return member != null ? member : x >= scale.x(s.start().toEpochMilli()) - HIT && x <= scale.x(s.end().toEpochMilli()) + HIT
						? s.sequence() : null;
			}
		}
		int lane = lane(y);
		if (lane < 0) {
			return null;
		}
		Timeline.Lane l = model.lanes().get(lane);
		Findings.Signal signal = nearest(l.signals(), x);
		if (signal != null) {
			return signal;
		}
		long t = scale.time(x);
		for (Findings.Gap g : l.gaps()) {
			long end = g.end() == null ? model.to().toEpochMilli() : Instant.parse(g.end()).toEpochMilli();
			if (t >= Instant.parse(g.start()).toEpochMilli() && t <= end) {
				return g;
			}
		}
		return null;
	}

	private int lane(int y) {
		int top = laneTop(0);
		int i = y < top ? -1 : (y - top) / LANE_HEIGHT;
		return i < model.lanes().size() ? i : -1;
	}

	private Findings.Signal nearest(List<Findings.Signal> signals, int x) {
		Findings.Signal best = null;
		int distance = HIT + 1;
		for (Findings.Signal s : signals) {
			int d = Math.abs(scale.x(Instant.parse(s.time()).toEpochMilli()) - x);
			if (d < distance) {
				best = s;
				distance = d;
			}
		}
		return best;
	}

	/** The lane and hour under the pointer, with its records, for the tooltip; null outside lanes. */
	private TimelineTexts.Hour hourAt(int x, int y) {
		int lane = model == null || x < LABEL_WIDTH ? -1 : lane(y);
		if (lane < 0) {
			return null;
		}
		Timeline.Lane l = model.lanes().get(lane);
		long hour = Math.floorDiv(scale.time(x), 3_600_000L) * 3_600_000L;
		int i = java.util.Arrays.binarySearch(l.hours(), hour);
		return new TimelineTexts.Hour(l, hour, i >= 0 ? l.counts()[i] : 0);
	}

	/**
	 * Where a signal (its first diamond, on its stream's lane; a member of a sequence, on the sequence's row when
	 * it is on no lane), a gap or a sequence is drawn, in canvas coordinates; null if this timeline has none.
	 */
	public Point locate(Object element) {
		if (model == null) {
			return null;
		}
		for (int i = 0; i < model.lanes().size(); i++) {
			Timeline.Lane l = model.lanes().get(i);
			if (element instanceof Findings.Signal s && l.signals().contains(s)) {
				return new Point(scale.x(Instant.parse(s.time()).toEpochMilli()), laneTop(i) + LANE_HEIGHT / 2);
			}
			if (element instanceof Findings.Gap g && l.gaps().contains(g)) {
				return new Point(scale.x(Instant.parse(g.start()).toEpochMilli()) + 2, laneTop(i) + LANE_HEIGHT / 2);
			}
		}
		for (int i = 0; i < model.sequences().size(); i++) {
			Timeline.Span s = model.sequences().get(i);
			if (s.sequence().equals(element) || s.sequence().members().contains(element)) {
				long t = s.sequence().equals(element) ? s.start().toEpochMilli()
						: Instant.parse(((Findings.Signal) element).time()).toEpochMilli();
				return new Point(scale.x(t), sequenceTop(i) + SEQUENCE_HEIGHT / 2);
			}
		}
		return null;
	}

	static Color severity(BigDecimal severity, boolean routine) {
		if (routine) {
			return ROUTINE;
		}
		double s = severity == null ? 0 : severity.doubleValue();
		return s >= 7 ? HIGH : s >= 4 ? MEDIUM : LOW;
	}

	static Color activity() {
		return ACTIVITY;
	}

	static Color gap(Findings.Gap g) {
		return g.silence() ? SILENT : SWITCHED_OFF;
	}
}
