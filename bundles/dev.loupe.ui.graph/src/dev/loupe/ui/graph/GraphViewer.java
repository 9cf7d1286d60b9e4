package dev.loupe.ui.graph;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.eclipse.jface.viewers.IBaseLabelProvider;
import org.eclipse.jface.viewers.IColorProvider;
import org.eclipse.jface.viewers.ILabelProvider;
import org.eclipse.jface.viewers.StructuredSelection;
import org.eclipse.jface.viewers.StructuredViewer;
import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.Color;
import org.eclipse.swt.graphics.GC;
import org.eclipse.swt.graphics.Point;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Widget;

/**
 * A JFace viewer that draws a node-link graph on an SWT canvas, laid out by ELK: Zest's programming model
 * (content provider naming connections, label provider for text and colours, selection) without Draw2D.
 */
public class GraphViewer extends StructuredViewer {
	private static final int PAD_X = 10;
	private static final int PAD_Y = 6;
	private static final int MAX_LABEL = 40;

	private final GraphCanvas canvas;
	private GraphLayout layout;
	private Object selected;

	public GraphViewer(Composite parent, int style) {
		canvas = new GraphCanvas(parent, style, this);
		hookControl(canvas);
	}

	@Override
	public Control getControl() {
		return canvas;
	}

	/** The current layout, or null before the first refresh with content. */
	public GraphLayout getGraphLayout() {
		return layout;
	}

	/** Where {@code element}'s node is drawn, in control coordinates, or null. */
	public org.eclipse.swt.graphics.Rectangle getNodeBounds(Object element) {
		return canvas.toControl(layout == null ? null : layout.boxes().get(element));
	}

	@Override
	protected void assertContentProviderType(org.eclipse.jface.viewers.IContentProvider provider) {
		if (!(provider instanceof IGraphContentProvider)) {
			throw new IllegalArgumentException("GraphViewer needs an IGraphContentProvider");
		}
	}

	@Override
	protected void inputChanged(Object input, Object oldInput) {
		selected = null;
		refresh();
	}

	@Override
	protected void internalRefresh(Object element) {
		IGraphContentProvider content = (IGraphContentProvider) getContentProvider();
		if (content == null || getInput() == null) {
			layout = null;
			canvas.redraw();
			return;
		}
		Object[] nodes = getSortedChildren(getInput());
		Map<Object, double[]> sizes = new LinkedHashMap<>();
		GC gc = new GC(canvas);
		try {
			for (Object n : nodes) {
				Point extent = gc.textExtent(text(n));
				sizes.put(n, new double[] { extent.x + 2 * PAD_X, extent.y + 2 * PAD_Y });
			}
		} finally {
			gc.dispose();
		}
		List<GraphLayout.Edge> edges = new ArrayList<>();
		for (Object n : nodes) {
			for (Object t : content.getConnectedTo(n)) {
				if (sizes.containsKey(t)) {
					edges.add(new GraphLayout.Edge(n, t, content.getConnectionLabel(n, t)));
				}
			}
		}
		org.eclipse.swt.graphics.Rectangle area = canvas.getClientArea();
		double aspect = area.width > 0 && area.height > 0 ? (double) area.width / area.height : 1.6;
		layout = GraphLayout.compute(sizes, edges, aspect);
		canvas.fit();
	}

	String text(Object element) {
		IBaseLabelProvider lp = getLabelProvider();
		String s = lp instanceof ILabelProvider l ? l.getText(element) : String.valueOf(element);
		s = s == null ? "" : s;
		return s.length() > MAX_LABEL ? s.substring(0, MAX_LABEL - 1) + "\u2026" : s;
	}

	Color background(Object element) {
		return getLabelProvider() instanceof IColorProvider c ? c.getBackground(element) : null;
	}

	Color foreground(Object element) {
		return getLabelProvider() instanceof IColorProvider c ? c.getForeground(element) : null;
	}

	Object selectedElement() {
		return selected;
	}

	/** Called by the canvas when the user clicks a node (or the background: null). */
	void select(Object element) {
		selected = element;
		canvas.redraw();
		fireSelectionChanged(new org.eclipse.jface.viewers.SelectionChangedEvent(this, getSelection()));
	}

	void open(Object element) {
		fireOpen(new org.eclipse.jface.viewers.OpenEvent(this, new StructuredSelection(element)));
	}

	@Override
	protected Widget doFindInputItem(Object element) {
		return element == getInput() ? canvas : null;
	}

	@Override
	protected Widget doFindItem(Object element) {
		return null; // nodes are drawn, not widgets
	}

	@Override
	protected void doUpdateItem(Widget item, Object element, boolean fullMap) {
		canvas.redraw();
	}

	@Override
	protected List<?> getSelectionFromWidget() {
		return selected == null ? List.of() : List.of(selected);
	}

	@Override
	protected void setSelectionToWidget(@SuppressWarnings("rawtypes") List l, boolean reveal) {
		selected = l == null || l.isEmpty() ? null : l.get(0);
		if (reveal && selected != null) {
			reveal(selected);
		}
		canvas.redraw();
	}

	@Override
	public void reveal(Object element) {
		canvas.reveal(layout == null ? null : layout.boxes().get(element));
	}

	static int style() {
		return SWT.DOUBLE_BUFFERED | SWT.NO_BACKGROUND;
	}
}
