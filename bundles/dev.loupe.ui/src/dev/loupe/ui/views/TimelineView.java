package dev.loupe.ui.views;

import java.util.Locale;

import org.eclipse.e4.core.di.annotations.Optional;
import org.eclipse.e4.ui.di.Focus;
import org.eclipse.e4.ui.di.UIEventTopic;
import org.eclipse.e4.ui.di.UISynchronize;
import org.eclipse.e4.ui.services.IServiceConstants;
import org.eclipse.e4.ui.workbench.modeling.ESelectionService;
import org.eclipse.osgi.util.NLS;
import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Text;

import dev.loupe.core.reason.Findings;
import dev.loupe.core.reason.Timeline;
import dev.loupe.ui.LoupeJob;
import dev.loupe.ui.StoreSession;
import jakarta.annotation.PostConstruct;
import jakarta.inject.Inject;
import jakarta.inject.Named;

/**
 * The evidence over time: each stream's records per hour, the gaps tampering and silence left in them, the
 * signals on the stream they came from, and the attack sequences above. Selecting here selects in the other
 * views, and what they select is shown here.
 */
public class TimelineView {
	public static final String ID = "dev.loupe.ui.views.timeline";

	@Inject
	private UISynchronize sync;
	@Inject
	private ESelectionService selection;

	private Label status;
	private TimelineCanvas canvas;

	@PostConstruct
	public void create(Composite parent) {
		parent.setLayout(new GridLayout(2, false));
		status = new Label(parent, SWT.NONE);
		status.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
		Text filter = new Text(parent, SWT.SEARCH | SWT.ICON_SEARCH | SWT.ICON_CANCEL);
		filter.setMessage(Messages.timelineFilterHint);
		GridData fd = new GridData(SWT.RIGHT, SWT.CENTER, false, false);
		fd.widthHint = 260;
		filter.setLayoutData(fd);
		canvas = new TimelineCanvas(parent);
		canvas.getControl().setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, true, 2, 1));
		filter.addModifyListener(e -> canvas.setFilter(filter.getText()));
		canvas.onSelect(o -> selection.setSelection(o));
		reload();
	}

	@Inject
	@Optional
	void storeChanged(@UIEventTopic(StoreSession.TOPIC_CHANGED) String location) {
		if (canvas != null && !canvas.getControl().isDisposed()) {
			reload();
		}
	}

	/** A signal, gap or sequence selected in another view is highlighted and brought into view. */
	@Inject
	@Optional
	void selected(@Named(IServiceConstants.ACTIVE_SELECTION) Object o) {
		if (canvas != null && !canvas.getControl().isDisposed() && o != canvas.getSelection()
				&& (o instanceof Findings.Signal || o instanceof Findings.Gap || o instanceof Findings.Sequence)) {
			canvas.select(o);
		}
	}

	private void reload() {
		status.setText(Messages.timelineLoading);
		String lang = Locale.getDefault().getLanguage().equals("ja") ? "ja" : "en";
		LoupeJob.load(Messages.timelineJob, () -> Timeline.of(StoreSession.get().store(), StoreSession.get().findings(lang)), sync, this::show, e -> {
			if (!status.isDisposed()) {
				status.setText(NLS.bind(Messages.timelineError, e.getMessage()));
			}
		}).schedule();
	}

	private void show(Timeline t) {
		if (canvas.getControl().isDisposed()) {
			return;
		}
		long gaps = t.lanes().stream().flatMap(l -> l.gaps().stream()).distinct().count();
		status.setText(t.isEmpty() ? Messages.timelineEmpty
				: NLS.bind(Messages.timelineStatus, new Object[] { t.lanes().size(), t.sequences().size(), gaps }));
		canvas.setInput(t);
		status.getParent().layout();
	}

	@Focus
	public void focus() {
		canvas.getControl().setFocus();
	}
}
