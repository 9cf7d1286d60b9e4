package dev.loupe.ui.views;

import java.util.Locale;

import org.eclipse.e4.core.di.annotations.Optional;
import org.eclipse.e4.ui.di.Focus;
import org.eclipse.e4.ui.di.UIEventTopic;
import org.eclipse.e4.ui.di.UISynchronize;
import org.eclipse.e4.ui.workbench.modeling.ESelectionService;
import org.eclipse.e4.ui.services.IServiceConstants;
import org.eclipse.jface.viewers.StructuredSelection;
import org.eclipse.jface.viewers.TreeViewer;
import org.eclipse.jface.viewers.TreeViewerColumn;
import org.eclipse.jface.viewers.Viewer;
import org.eclipse.jface.viewers.ViewerFilter;
import org.eclipse.osgi.util.NLS;
import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Text;

import dev.loupe.core.reason.Findings;
import dev.loupe.ui.LoupeJob;
import dev.loupe.ui.StoreSession;
import dev.loupe.ui.handlers.EvidenceDrop;
import jakarta.annotation.PostConstruct;
import jakarta.inject.Inject;
import jakarta.inject.Named;

/** Attack sequences (expandable to their signals) and loose signals, with a filter over every column. */
public class SignalsView {
	public static final String ID = "dev.loupe.ui.views.signals";

	@Inject
	private UISynchronize sync;
	@Inject
	private ESelectionService selection;

	private Label status;
	private Text filter;
	private TreeViewer viewer;

	@PostConstruct
	public void create(Composite parent) {
		parent.setLayout(new GridLayout(2, false));
		status = new Label(parent, SWT.NONE);
		status.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
		filter = new Text(parent, SWT.SEARCH | SWT.ICON_SEARCH | SWT.ICON_CANCEL);
		filter.setMessage(Messages.filterHint);
		GridData fd = new GridData(SWT.RIGHT, SWT.CENTER, false, false);
		fd.widthHint = 260;
		filter.setLayoutData(fd);
		viewer = new TreeViewer(parent, SWT.FULL_SELECTION | SWT.BORDER | SWT.V_SCROLL | SWT.H_SCROLL);
		viewer.getTree().setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, true, 2, 1));
		viewer.getTree().setHeaderVisible(true);
		viewer.getTree().setLinesVisible(true);
		EvidenceDrop.ingestOnDrop(viewer.getTree());
		for (FindingsColumns c : FindingsColumns.values()) {
			TreeViewerColumn col = new TreeViewerColumn(viewer, SWT.LEFT);
			col.getColumn().setText(c.title);
			col.getColumn().setWidth(c.width);
			col.setLabelProvider(c.labelProvider(this::model));
		}
		viewer.setContentProvider(new FindingsContentProvider());
		viewer.addFilter(new TextFilter());
		viewer.setAutoExpandLevel(2);
		filter.addModifyListener(e -> viewer.refresh());
		viewer.addSelectionChangedListener(e -> {
			Object first = e.getStructuredSelection().getFirstElement();
			// other views know signals, not the rows that carry them
			selection.setSelection(first instanceof FindingsModel.Member m ? m.signal() : first);
		});
		reload();
	}

	@Inject
	@Optional
	void storeChanged(@UIEventTopic(StoreSession.TOPIC_CHANGED) String location) {
		if (viewer != null && !viewer.getTree().isDisposed()) {
			reload();
		}
	}

	/** A signal, gap or sequence selected in another view (the timeline) is selected and shown here too. */
	@Inject
	@Optional
	void selected(@Named(IServiceConstants.ACTIVE_SELECTION) Object o) {
		if (viewer == null || viewer.getTree().isDisposed() || !(viewer.getInput() instanceof FindingsModel m)) {
			return;
		}
		Object row = m.row(o);
		Object current = viewer.getStructuredSelection().getFirstElement();
		if (row != null && !row.equals(current)) {
			viewer.setSelection(new StructuredSelection(row), true);
		}
	}

	private void reload() {
		status.setText(Messages.signalsLoading);
		String lang = Locale.getDefault().getLanguage().equals("ja") ? "ja" : "en";
		LoupeJob.load(Messages.signalsJob, () -> FindingsModel.of(StoreSession.get().findings(lang)),
				sync, this::show, e -> {
					if (!status.isDisposed()) {
						status.setText(NLS.bind(Messages.signalsError, e.getMessage()));
					}
				}).schedule();
	}

	private void show(FindingsModel m) {
		if (viewer.getTree().isDisposed()) {
			return;
		}
		status.setText(m.signalCount() == 0 ? Messages.signalsEmpty
				: NLS.bind(Messages.signalsStatus, m.sequences().size(), m.signalCount()));
		viewer.setInput(m);
		status.getParent().layout();
	}

	@Focus
	public void focus() {
		viewer.getTree().setFocus();
	}

	/** What the view shows, or null before the first load. */
	private FindingsModel model() {
		return viewer != null && viewer.getInput() instanceof FindingsModel m ? m : null;
	}

	/** Keeps rows with the filter text in any column; a sequence stays when one of its signals matches. */
	private final class TextFilter extends ViewerFilter {
		@Override
		public boolean select(Viewer v, Object parent, Object element) {
			String q = filter.getText().strip().toLowerCase(Locale.ROOT);
			if (q.isEmpty() || matches(element, q)) {
				return true;
			}
			return element instanceof Findings.Sequence s && FindingsModel.members(s).stream().anyMatch(m -> matches(m, q));
		}

		private boolean matches(Object element, String q) {
			for (FindingsColumns c : FindingsColumns.values()) {
				if (c.text(element, model()).toLowerCase(Locale.ROOT).contains(q)) {
					return true;
				}
			}
			return false;
		}
	}
}
