package dev.loupe.ui;

import org.eclipse.ui.IPageLayout;
import org.eclipse.ui.IPerspectiveFactory;

import dev.loupe.ui.views.EvidenceGraphView;
import dev.loupe.ui.views.EvidenceView;
import dev.loupe.ui.views.SignalsView;
import dev.loupe.ui.views.TimelineView;

/**
 * The investigation layout: the evidence graph above, the timeline in the middle, signals and sequences below
 * with the evidence behind the selection beside them.
 */
public class InvestigationPerspective implements IPerspectiveFactory {
	public static final String ID = "dev.loupe.ui.perspective";

	@Override
	public void createInitialLayout(IPageLayout layout) {
		layout.setEditorAreaVisible(false);
		String editors = layout.getEditorArea();
		layout.addView(EvidenceGraphView.ID, IPageLayout.TOP, 0.62f, editors);
		// the part on top gets the ratio: graph 35 %, timeline 35 %, signals 30 % of the height
		layout.addView(SignalsView.ID, IPageLayout.BOTTOM, 0.35f, EvidenceGraphView.ID);
		layout.addView(TimelineView.ID, IPageLayout.TOP, 0.54f, SignalsView.ID);
		// the records behind what is selected, beside the signals
		layout.addView(EvidenceView.ID, IPageLayout.RIGHT, 0.62f, SignalsView.ID);
	}
}
