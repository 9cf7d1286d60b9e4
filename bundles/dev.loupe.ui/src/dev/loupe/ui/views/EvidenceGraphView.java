package dev.loupe.ui.views;

import org.eclipse.e4.core.di.annotations.Optional;
import org.eclipse.e4.ui.di.Focus;
import org.eclipse.e4.ui.di.UIEventTopic;
import org.eclipse.e4.ui.di.UISynchronize;
import org.eclipse.e4.ui.workbench.modeling.ESelectionService;
import org.eclipse.osgi.util.NLS;
import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Label;

import dev.loupe.core.query.EntityGraph;
import dev.loupe.ui.LoupeJob;
import dev.loupe.ui.StoreSession;
import dev.loupe.ui.graph.GraphViewer;
import dev.loupe.ui.handlers.EvidenceDrop;
import jakarta.annotation.PostConstruct;
import jakarta.inject.Inject;

/** Principals, their source addresses and the APIs they called; what signals point at is drawn in red. */
public class EvidenceGraphView {
	public static final String ID = "dev.loupe.ui.views.graph";
	/**
	 * Principals drawn (those signals point at first, then the most active), and APIs/addresses per principal:
	 * beyond that a drawing stops informing; the rest is for the queries and (later) the entity profiles.
	 */
	public static final int MAX_PRINCIPALS = 15;
	public static final int MAX_PER_PRINCIPAL = 6;

	@Inject
	private UISynchronize sync;
	@Inject
	private ESelectionService selection;

	private Label status;
	private GraphViewer viewer;

	@PostConstruct
	public void create(Composite parent) {
		parent.setLayout(new GridLayout(1, false));
		status = new Label(parent, SWT.NONE);
		status.setLayoutData(new GridData(SWT.FILL, SWT.TOP, true, false));
		viewer = new GraphViewer(parent, SWT.BORDER);
		viewer.getControl().setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, true));
		viewer.getControl().setData(GraphViewer.class.getName(), viewer);
		EvidenceDrop.ingestOnDrop(viewer.getControl());
		viewer.setContentProvider(new EntityGraphContentProvider());
		viewer.setLabelProvider(new EntityGraphLabelProvider());
		viewer.addSelectionChangedListener(e -> selection.setSelection(e.getStructuredSelection().getFirstElement()));
		reload();
	}

	@Inject
	@Optional
	void storeChanged(@UIEventTopic(StoreSession.TOPIC_CHANGED) String location) {
		if (viewer != null && !viewer.getControl().isDisposed()) {
			reload();
		}
	}

	private void reload() {
		status.setText(NLS.bind(Messages.graphLoading, StoreSession.get().location()));
		LoupeJob.load(Messages.graphJob,
				() -> EntityGraph.load(StoreSession.get().store(), MAX_PRINCIPALS, MAX_PER_PRINCIPAL), sync, this::show,
				this::showError).schedule();
	}

	private void show(EntityGraph g) {
		if (viewer.getControl().isDisposed()) {
			return;
		}
		long flagged = g.nodes().stream().filter(EntityGraph.Node::flagged).count();
		status.setText(g.nodes().isEmpty() ? NLS.bind(Messages.graphEmpty, StoreSession.get().location())
				: NLS.bind(Messages.graphStatus, new Object[] { g.nodes().size(), g.edges().size(), flagged,
						Math.min(MAX_PRINCIPALS, g.totalPrincipals()), g.totalPrincipals(), StoreSession.get().location() }));
		viewer.setInput(g);
	}

	private void showError(RuntimeException e) {
		if (!status.isDisposed()) {
			status.setText(NLS.bind(Messages.graphError, e.getMessage()));
		}
	}

	@Focus
	public void focus() {
		viewer.getControl().setFocus();
	}
}
