package dev.loupe.ui.views;

import org.eclipse.e4.core.di.annotations.Optional;
import org.eclipse.e4.ui.di.Focus;
import org.eclipse.e4.ui.di.UISynchronize;
import org.eclipse.e4.ui.services.IServiceConstants;
import org.eclipse.jface.resource.JFaceResources;
import org.eclipse.osgi.util.NLS;
import org.eclipse.swt.SWT;
import org.eclipse.swt.custom.StyledText;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Label;

import dev.loupe.core.reason.EvidenceBehind;
import dev.loupe.core.reason.Findings;
import dev.loupe.ui.LoupeJob;
import dev.loupe.ui.StoreSession;
import jakarta.annotation.PostConstruct;
import jakarta.inject.Inject;
import jakarta.inject.Named;

/**
 * What is behind the selected signal or coverage gap: each record as its source delivered it, with the file it
 * came from; for a sequence, why its signals were linked. Analysts check the evidence before they believe a rule.
 */
public class EvidenceView {
	public static final String ID = "dev.loupe.ui.views.evidence";
	/** Records shown for one signal: a burst can stand on thousands. */
	static final int MAX_RECORDS = 50;

	@Inject
	private UISynchronize sync;

	private Label title;
	private StyledText text;
	private Object shown;

	@PostConstruct
	public void create(Composite parent) {
		parent.setLayout(new GridLayout(1, false));
		title = new Label(parent, SWT.NONE);
		title.setLayoutData(new GridData(SWT.FILL, SWT.TOP, true, false));
		title.setText(Messages.evidenceNone);
		text = new StyledText(parent, SWT.BORDER | SWT.READ_ONLY | SWT.V_SCROLL | SWT.H_SCROLL);
		text.setFont(JFaceResources.getTextFont());
		text.setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, true));
	}

	@Inject
	@Optional
	void selected(@Named(IServiceConstants.ACTIVE_SELECTION) Object o) {
		if (text == null || text.isDisposed() || o == null || o.equals(shown)) {
			return;
		}
		if (o instanceof Findings.Sequence q) {
			shown = q;
			title.setText(NLS.bind(Messages.evidenceSequence, q.type()));
			StringBuilder why = new StringBuilder(q.explanation() == null ? "" : q.explanation()).append("\n\n");
			q.links().forEach(l -> why.append(l.explanation()).append('\n'));
			text.setText(why.toString());
			return;
		}
		String iri = o instanceof Findings.Signal s ? s.iri() : o instanceof Findings.Gap g ? g.iri() : null;
		if (iri == null) {
			return;
		}
		shown = o;
		String what = o instanceof Findings.Signal s ? s.detectorLabel() : NLS.bind(((Findings.Gap) o).silence()
				? Messages.silenceWhat : Messages.gapWhat, ((Findings.Gap) o).source());
		title.setText(NLS.bind(Messages.evidenceLoading, what));
		LoupeJob.load(Messages.evidenceJob, () -> new EvidenceBehind(StoreSession.get().store()).of(iri, MAX_RECORDS), sync,
				r -> show(o, what, r), e -> {
					if (!title.isDisposed()) {
						title.setText(NLS.bind(Messages.evidenceError, e.getMessage()));
					}
				}).schedule();
	}

	private void show(Object o, String what, EvidenceBehind.Records r) {
		if (text.isDisposed() || o != shown) {
			return; // another selection came first
		}
		title.setText(NLS.bind(Messages.evidenceTitle, what, r.total()));
		StringBuilder out = new StringBuilder();
		for (EvidenceBehind.Record rec : r.shown()) {
			out.append(NLS.bind(Messages.evidenceHeader, new Object[] { rec.time(), rec.name(), rec.source() })).append('\n');
			out.append(rec.readable() == null ? Messages.evidenceNoText : rec.readable()).append("\n\n");
		}
		if (r.total() > r.shown().size()) {
			out.append(NLS.bind(Messages.evidenceMore, r.total() - r.shown().size()));
		}
		text.setText(out.toString());
		title.getParent().layout();
	}

	/** For tests: what the view shows. */
	public String getText() {
		return text.getText();
	}

	@Focus
	public void focus() {
		text.setFocus();
	}
}
