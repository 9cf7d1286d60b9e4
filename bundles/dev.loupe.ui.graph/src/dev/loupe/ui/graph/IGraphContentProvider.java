package dev.loupe.ui.graph;

import org.eclipse.jface.viewers.IStructuredContentProvider;

/**
 * Content of a {@link GraphViewer}, in the style of Zest's entity content provider: the elements are the nodes,
 * and each node names the nodes it connects to.
 */
public interface IGraphContentProvider extends IStructuredContentProvider {

	/** Nodes that {@code element} has an edge to. */
	Object[] getConnectedTo(Object element);

	/** Label drawn on the edge from {@code source} to {@code target}, or null. */
	default String getConnectionLabel(Object source, Object target) {
		return null;
	}
}
