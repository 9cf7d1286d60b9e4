package dev.loupe.ui.views;

import java.util.ArrayList;
import java.util.List;

import org.eclipse.jface.viewers.ITreeContentProvider;

import dev.loupe.core.reason.Findings;

/** Sequences first (members as children), then signals outside any sequence, then coverage gaps. */
final class FindingsContentProvider implements ITreeContentProvider {

	@Override
	public Object[] getElements(Object input) {
		if (!(input instanceof FindingsModel m)) {
			return new Object[0];
		}
		List<Object> roots = new ArrayList<>(m.sequences());
		roots.addAll(m.loose());
		roots.addAll(m.gaps());
		return roots.toArray();
	}

	@Override
	public Object[] getChildren(Object parent) {
		return parent instanceof Findings.Sequence s ? FindingsModel.members(s).toArray() : new Object[0];
	}

	@Override
	public Object getParent(Object element) {
		return null;
	}

	@Override
	public boolean hasChildren(Object element) {
		return element instanceof Findings.Sequence s && !s.members().isEmpty();
	}
}
