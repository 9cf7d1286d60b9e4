package dev.loupe.ui;

import org.eclipse.ui.IPageLayout;
import org.eclipse.ui.IPerspectiveFactory;

import dev.loupe.ui.views.EvidenceGraphView;
import dev.loupe.ui.views.SignalsView;

/** The investigation layout: the evidence graph above, signals and sequences below. */
public class InvestigationPerspective implements IPerspectiveFactory {
	public static final String ID = "dev.loupe.ui.perspective";

	@Override
	public void createInitialLayout(IPageLayout layout) {
		layout.setEditorAreaVisible(false);
		String editors = layout.getEditorArea();
		layout.addView(EvidenceGraphView.ID, IPageLayout.TOP, 0.62f, editors);
		layout.addView(SignalsView.ID, IPageLayout.BOTTOM, 0.38f, EvidenceGraphView.ID);
	}
}
