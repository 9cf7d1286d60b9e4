package dev.loupe.ui.wizards;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.eclipse.core.runtime.Status;
import org.eclipse.jface.wizard.WizardPage;
import org.eclipse.osgi.util.NLS;
import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.DirectoryDialog;
import org.eclipse.swt.widgets.FileDialog;
import org.eclipse.swt.widgets.Table;
import org.eclipse.swt.widgets.TableColumn;
import org.eclipse.swt.widgets.TableItem;

import dev.loupe.core.ingest.Formats;
import dev.loupe.ui.LoupeJob;
import dev.loupe.ui.handlers.EvidenceDrop;

/**
 * The files and folders to ingest, each with how many files it holds and the formats Loupe recognises in them
 * (worked out in a job: a folder of an S3 export can hold thousands of files). Files can be dropped on the table.
 */
public class EvidenceSelectionPage extends WizardPage {
	/** Files of a folder whose format is read for the preview; the ingest reads them all. */
	static final int PREVIEW_FILES = 200;
	private final Map<Path, TableItem> rows = new LinkedHashMap<>();
	private Table table;

	EvidenceSelectionPage() {
		super("evidence");
		setTitle(Messages.pageTitle);
		setDescription(Messages.pageDescription);
		setPageComplete(false);
	}

	@Override
	public void createControl(Composite parent) {
		Composite root = new Composite(parent, SWT.NONE);
		root.setLayout(new GridLayout(2, false));
		table = new Table(root, SWT.BORDER | SWT.MULTI | SWT.FULL_SELECTION);
		table.setHeaderVisible(true);
		table.setLinesVisible(true);
		GridData td = new GridData(SWT.FILL, SWT.FILL, true, true);
		td.heightHint = 220;
		td.widthHint = 870;
		table.setLayoutData(td);
		column(Messages.columnPath, 460);
		column(Messages.columnFiles, 70);
		column(Messages.columnFormats, 330);
		Composite buttons = new Composite(root, SWT.NONE);
		buttons.setLayout(new GridLayout(1, true));
		buttons.setLayoutData(new GridData(SWT.FILL, SWT.TOP, false, false));
		button(buttons, Messages.addFiles, this::addFiles);
		button(buttons, Messages.addFolder, this::addFolder);
		button(buttons, Messages.remove, this::removeSelected);
		EvidenceDrop.attach(table, this::addPaths);
		setControl(root);
	}

	/** Adds files or folders (also what is dropped on the table); each gets its preview computed in a job. */
	public void addPaths(List<Path> paths) {
		for (Path p : paths) {
			Path abs = p.toAbsolutePath().normalize();
			if (rows.containsKey(abs) || !Files.exists(abs)) {
				continue;
			}
			TableItem item = new TableItem(table, SWT.NONE);
			item.setText(new String[] { abs.toString(), "", Messages.recognising });
			rows.put(abs, item);
			preview(abs, item);
		}
		setPageComplete(!rows.isEmpty());
	}

	public List<Path> paths() {
		return new ArrayList<>(rows.keySet());
	}

	/** The table, for tests and screenshots. */
	public Table table() {
		return table;
	}

	private void preview(Path path, TableItem item) {
		LoupeJob.create(Messages.previewJob, monitor -> {
			String files;
			String formats;
			try {
				Formats.Preview p = Formats.preview(path, PREVIEW_FILES);
				files = Integer.toString(p.files());
				formats = describe(p);
			} catch (IOException e) {
				files = "";
				formats = NLS.bind(Messages.unreadable, e.getMessage());
			}
			String f = files;
			String text = formats;
			table.getDisplay().asyncExec(() -> {
				if (!item.isDisposed()) {
					item.setText(1, f);
					item.setText(2, text);
				}
			});
			return Status.OK_STATUS;
		}).schedule();
	}

	static String describe(Formats.Preview p) {
		List<String> parts = p.formats().entrySet().stream().map(e -> e.getKey() + " " + e.getValue())
				.collect(Collectors.toCollection(ArrayList::new));
		if (p.unrecognised() > 0) {
			parts.add(NLS.bind(Messages.notRecognised, p.unrecognised()));
		}
		String text = parts.isEmpty() ? Messages.nothingRecognised : String.join(", ", parts);
		return p.sampled() ? NLS.bind(Messages.sampled, text, PREVIEW_FILES) : text;
	}

	private void addFiles() {
		FileDialog d = new FileDialog(getShell(), SWT.OPEN | SWT.MULTI);
		d.setText(Messages.addFiles);
		d.setFilterNames(new String[] { Messages.filterEvidence, Messages.filterAll });
		d.setFilterExtensions(new String[] { "*.json;*.jsonl;*.csv;*.gz;*.log;*.txt;*.zip;*.tar;*.tgz;*.parquet", "*" });
		if (d.open() != null) {
			List<Path> chosen = new ArrayList<>();
			for (String n : d.getFileNames()) {
				chosen.add(Path.of(d.getFilterPath(), n));
			}
			addPaths(chosen);
		}
	}

	private void addFolder() {
		DirectoryDialog d = new DirectoryDialog(getShell());
		d.setText(Messages.addFolder);
		d.setMessage(Messages.addFolderMessage);
		String folder = d.open();
		if (folder != null) {
			addPaths(List.of(Path.of(folder)));
		}
	}

	private void removeSelected() {
		for (TableItem item : table.getSelection()) {
			rows.values().remove(item);
			item.dispose();
		}
		setPageComplete(!rows.isEmpty());
	}

	private void column(String title, int width) {
		TableColumn c = new TableColumn(table, SWT.LEFT);
		c.setText(title);
		c.setWidth(width);
	}

	private static void button(Composite parent, String text, Runnable action) {
		Button b = new Button(parent, SWT.PUSH);
		b.setText(text);
		b.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
		b.addListener(SWT.Selection, e -> action.run());
	}
}
