package dev.loupe.ui.graph;

import java.util.Map;

import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.Color;
import org.eclipse.swt.graphics.GC;
import org.eclipse.swt.graphics.Point;
import org.eclipse.swt.graphics.Rectangle;
import org.eclipse.swt.graphics.Transform;
import org.eclipse.swt.widgets.Canvas;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Event;

/** Paints a {@link GraphLayout}; zooms with the mouse wheel, pans by dragging the background, selects by click. */
final class GraphCanvas extends Canvas {
	private static final int MARGIN = 16;
	private final GraphViewer viewer;
	private double scale = 1;
	private double offsetX = MARGIN;
	private double offsetY = MARGIN;
	private Point dragStart;

	GraphCanvas(Composite parent, int style, GraphViewer viewer) {
		super(parent, style | GraphViewer.style());
		this.viewer = viewer;
		addListener(SWT.Paint, this::paint);
		addListener(SWT.Resize, e -> fit());
		addListener(SWT.MouseDown, this::mouseDown);
		addListener(SWT.MouseUp, e -> dragStart = null);
		addListener(SWT.MouseMove, this::mouseMove);
		addListener(SWT.MouseDoubleClick, e -> {
			Object hit = hit(e.x, e.y);
			if (hit != null) {
				viewer.open(hit);
			}
		});
		addListener(SWT.MouseVerticalWheel, this::zoom);
	}

	/** Below this the labels cannot be read: the graph is shown larger and the user pans and zooms. */
	private static final double MIN_FIT_SCALE = 0.5;

	/** Scales the whole graph into the visible area (never enlarging past 100 %, never below readable). */
	void fit() {
		GraphLayout layout = viewer.getGraphLayout();
		Rectangle area = getClientArea();
		if (layout == null || area.width <= 0 || area.height <= 0) {
			redraw();
			return;
		}
		double sx = (area.width - 2.0 * MARGIN) / Math.max(1, layout.width());
		double sy = (area.height - 2.0 * MARGIN) / Math.max(1, layout.height());
		scale = Math.max(MIN_FIT_SCALE, Math.min(1.0, Math.min(sx, sy)));
		offsetX = MARGIN;
		offsetY = MARGIN;
		redraw();
	}

	void reveal(GraphLayout.Box box) {
		if (box == null) {
			return;
		}
		Rectangle area = getClientArea();
		offsetX = area.width / 2.0 - (box.x() + box.width() / 2) * scale;
		offsetY = area.height / 2.0 - (box.y() + box.height() / 2) * scale;
		redraw();
	}

	Rectangle toControl(GraphLayout.Box b) {
		if (b == null) {
			return null;
		}
		return new Rectangle((int) Math.round(offsetX + b.x() * scale), (int) Math.round(offsetY + b.y() * scale),
				(int) Math.round(b.width() * scale), (int) Math.round(b.height() * scale));
	}

	private Object hit(int x, int y) {
		GraphLayout layout = viewer.getGraphLayout();
		if (layout == null) {
			return null;
		}
		double lx = (x - offsetX) / scale;
		double ly = (y - offsetY) / scale;
		for (Map.Entry<Object, GraphLayout.Box> e : layout.boxes().entrySet()) {
			if (e.getValue().contains(lx, ly)) {
				return e.getKey();
			}
		}
		return null;
	}

	private void mouseDown(Event e) {
		if (e.button != 1) {
			return;
		}
		Object hit = hit(e.x, e.y);
		viewer.select(hit);
		dragStart = hit == null ? new Point(e.x, e.y) : null;
	}

	private void mouseMove(Event e) {
		if (dragStart != null) {
			offsetX += e.x - dragStart.x;
			offsetY += e.y - dragStart.y;
			dragStart = new Point(e.x, e.y);
			redraw();
		}
	}

	private void zoom(Event e) {
		double factor = e.count > 0 ? 1.15 : 1 / 1.15;
		double next = Math.max(0.1, Math.min(4, scale * factor));
		// keep the point under the mouse where it is
		offsetX = e.x - (e.x - offsetX) * next / scale;
		offsetY = e.y - (e.y - offsetY) * next / scale;
		scale = next;
		redraw();
	}

	private void paint(Event e) {
		GC gc = e.gc;
		gc.setAntialias(SWT.ON);
		gc.setTextAntialias(SWT.ON);
		gc.setBackground(getDisplay().getSystemColor(SWT.COLOR_LIST_BACKGROUND));
		gc.fillRectangle(getClientArea());
		GraphLayout layout = viewer.getGraphLayout();
		if (layout == null) {
			return;
		}
		Transform t = new Transform(getDisplay());
		try {
			t.translate((float) offsetX, (float) offsetY);
			t.scale((float) scale, (float) scale);
			gc.setTransform(t);
			paintEdges(gc, layout);
			paintNodes(gc, layout);
		} finally {
			gc.setTransform(null);
			t.dispose();
		}
	}

	private void paintEdges(GC gc, GraphLayout layout) {
		gc.setForeground(getDisplay().getSystemColor(SWT.COLOR_DARK_GRAY));
		gc.setLineWidth(1);
		for (GraphLayout.Route r : layout.routes()) {
			double[] p = r.points();
			int[] ints = new int[p.length];
			for (int i = 0; i < p.length; i++) {
				ints[i] = (int) Math.round(p[i]);
			}
			gc.drawPolyline(ints);
			arrowHead(gc, p[p.length - 4], p[p.length - 3], p[p.length - 2], p[p.length - 1]);
			if (r.label() != null) {
				int mid = (p.length / 4) * 2;
				gc.drawText(r.label(), (int) p[mid] + 3, (int) p[mid + 1] - 14, true);
			}
		}
	}

	private static void arrowHead(GC gc, double x1, double y1, double x2, double y2) {
		double a = Math.atan2(y2 - y1, x2 - x1);
		int len = 8;
		int[] tri = { (int) x2, (int) y2, (int) (x2 - len * Math.cos(a - 0.4)), (int) (y2 - len * Math.sin(a - 0.4)),
				(int) (x2 - len * Math.cos(a + 0.4)), (int) (y2 - len * Math.sin(a + 0.4)) };
		gc.setBackground(gc.getForeground());
		gc.fillPolygon(tri);
	}

	private void paintNodes(GC gc, GraphLayout layout) {
		Color defaultFill = getDisplay().getSystemColor(SWT.COLOR_INFO_BACKGROUND);
		Color defaultText = getDisplay().getSystemColor(SWT.COLOR_BLACK);
		Color border = getDisplay().getSystemColor(SWT.COLOR_DARK_GRAY);
		Color selection = getDisplay().getSystemColor(SWT.COLOR_LIST_SELECTION);
		Object selected = viewer.selectedElement();
		layout.boxes().forEach((element, b) -> {
			int x = (int) b.x();
			int y = (int) b.y();
			int w = (int) b.width();
			int h = (int) b.height();
			Color fill = viewer.background(element);
			gc.setBackground(fill != null ? fill : defaultFill);
			gc.fillRoundRectangle(x, y, w, h, 10, 10);
			boolean isSelected = element.equals(selected);
			gc.setLineWidth(isSelected ? 3 : 1);
			gc.setForeground(isSelected ? selection : border);
			gc.drawRoundRectangle(x, y, w, h, 10, 10);
			Color fg = viewer.foreground(element);
			gc.setForeground(fg != null ? fg : defaultText);
			gc.drawText(viewer.text(element), x + 10, y + 6, true);
		});
		gc.setLineWidth(1);
	}
}
