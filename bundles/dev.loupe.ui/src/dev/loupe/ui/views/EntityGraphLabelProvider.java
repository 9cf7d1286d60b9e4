package dev.loupe.ui.views;

import org.eclipse.jface.viewers.IColorProvider;
import org.eclipse.jface.viewers.LabelProvider;
import org.eclipse.swt.graphics.Color;

import dev.loupe.core.query.EntityGraph;

/** Text and colour of graph nodes: one colour per kind of entity, red for what a signal points at. */
final class EntityGraphLabelProvider extends LabelProvider implements IColorProvider {
	static final Color PRINCIPAL = new Color(198, 219, 239);
	static final Color ADDRESS = new Color(199, 233, 192);
	static final Color API = new Color(254, 242, 204);
	static final Color FLAGGED = new Color(244, 165, 130);

	@Override
	public String getText(Object element) {
		if (element instanceof EntityGraph.Node n) {
			// an address's network on a second line
			return n.kind() == EntityGraph.Kind.PRINCIPAL ? n.label() + "  (" + n.type() + ")"
					: n.network() != null ? n.label() + "\n" + n.network() : n.label();
		}
		return String.valueOf(element);
	}

	@Override
	public Color getBackground(Object element) {
		if (!(element instanceof EntityGraph.Node n)) {
			return null;
		}
		if (n.flagged()) {
			return FLAGGED;
		}
		return switch (n.kind()) {
		case PRINCIPAL -> PRINCIPAL;
		case ADDRESS -> ADDRESS;
		case API -> API;
		};
	}

	@Override
	public Color getForeground(Object element) {
		return null;
	}
}
