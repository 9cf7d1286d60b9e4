package dev.loupe.ui.graph;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.eclipse.elk.alg.layered.options.LayeredMetaDataProvider;
import org.eclipse.elk.alg.layered.options.LayeredOptions;
import org.eclipse.elk.core.RecursiveGraphLayoutEngine;
import org.eclipse.elk.core.data.LayoutMetaDataService;
import org.eclipse.elk.core.options.CoreOptions;
import org.eclipse.elk.core.options.Direction;
import org.eclipse.elk.core.options.EdgeRouting;
import org.eclipse.elk.core.util.BasicProgressMonitor;
import org.eclipse.elk.graph.ElkBendPoint;
import org.eclipse.elk.graph.ElkEdge;
import org.eclipse.elk.graph.ElkEdgeSection;
import org.eclipse.elk.graph.ElkNode;
import org.eclipse.elk.graph.util.ElkGraphUtil;

/**
 * Positions computed by ELK's layered algorithm. Pure computation, no SWT: it may run in a background job.
 */
public final class GraphLayout {
	/** A node's box, in layout coordinates. */
	public record Box(double x, double y, double width, double height) {
		public boolean contains(double px, double py) {
			return px >= x && px <= x + width && py >= y && py <= y + height;
		}
	}

	/** An edge as a polyline from source to target. */
	public record Route(Object source, Object target, String label, double[] points) {
	}

	private static boolean registered;

	private final Map<Object, Box> boxes;
	private final List<Route> routes;
	private final double width;
	private final double height;

	private GraphLayout(Map<Object, Box> boxes, List<Route> routes, double width, double height) {
		this.boxes = boxes;
		this.routes = routes;
		this.width = width;
		this.height = height;
	}

	public Map<Object, Box> boxes() {
		return boxes;
	}

	public List<Route> routes() {
		return routes;
	}

	public double width() {
		return width;
	}

	public double height() {
		return height;
	}

	/** Input of a layout: node sizes and edges. */
	public record Edge(Object source, Object target, String label) {
	}

	private static synchronized void registerAlgorithms() {
		if (!registered) {
			// ELK finds algorithms with ServiceLoader, which in OSGi sees only elk.core: register explicitly
			LayoutMetaDataService.getInstance().registerLayoutMetaDataProviders(new LayeredMetaDataProvider());
			registered = true;
		}
	}

	/**
	 * @param aspectRatio width/height of the area the graph will be shown in: disconnected parts are packed
	 *        to fill it rather than in one long row
	 */
	public static GraphLayout compute(Map<Object, double[]> nodeSizes, List<Edge> edges, double aspectRatio) {
		registerAlgorithms();
		ElkNode root = ElkGraphUtil.createGraph();
		root.setProperty(CoreOptions.ALGORITHM, LayeredOptions.ALGORITHM_ID);
		root.setProperty(CoreOptions.DIRECTION, Direction.RIGHT);
		root.setProperty(CoreOptions.EDGE_ROUTING, EdgeRouting.POLYLINE);
		root.setProperty(CoreOptions.SPACING_NODE_NODE, 18.0);
		root.setProperty(LayeredOptions.SPACING_NODE_NODE_BETWEEN_LAYERS, 60.0);
		root.setProperty(CoreOptions.SEPARATE_CONNECTED_COMPONENTS, true);
		root.setProperty(CoreOptions.ASPECT_RATIO, aspectRatio);
		root.setProperty(CoreOptions.SPACING_COMPONENT_COMPONENT, 24.0);
		Map<Object, ElkNode> nodes = new LinkedHashMap<>();
		nodeSizes.forEach((element, size) -> {
			ElkNode n = ElkGraphUtil.createNode(root);
			n.setDimensions(size[0], size[1]);
			nodes.put(element, n);
		});
		Map<ElkEdge, Edge> elkEdges = new IdentityHashMap<>();
		for (Edge e : edges) {
			ElkNode s = nodes.get(e.source());
			ElkNode t = nodes.get(e.target());
			if (s != null && t != null && s != t) {
				elkEdges.put(ElkGraphUtil.createSimpleEdge(s, t), e);
			}
		}
		new RecursiveGraphLayoutEngine().layout(root, new BasicProgressMonitor());
		Map<Object, Box> boxes = new LinkedHashMap<>();
		nodes.forEach((element, n) -> boxes.put(element, new Box(n.getX(), n.getY(), n.getWidth(), n.getHeight())));
		List<Route> routes = new ArrayList<>();
		elkEdges.forEach((elk, e) -> {
			for (ElkEdgeSection s : elk.getSections()) {
				double[] pts = new double[4 + 2 * s.getBendPoints().size()];
				int i = 0;
				pts[i++] = s.getStartX();
				pts[i++] = s.getStartY();
				for (ElkBendPoint b : s.getBendPoints()) {
					pts[i++] = b.getX();
					pts[i++] = b.getY();
				}
				pts[i++] = s.getEndX();
				pts[i] = s.getEndY();
				routes.add(new Route(e.source(), e.target(), e.label(), pts));
			}
		});
		return new GraphLayout(boxes, routes, root.getWidth(), root.getHeight());
	}
}
