package dev.loupe.ui.handlers;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import org.eclipse.swt.dnd.DND;
import org.eclipse.swt.dnd.DropTarget;
import org.eclipse.swt.dnd.DropTargetAdapter;
import org.eclipse.swt.dnd.DropTargetEvent;
import org.eclipse.swt.dnd.FileTransfer;
import org.eclipse.swt.dnd.Transfer;
import org.eclipse.swt.widgets.Control;

/** Files and folders dragged from the desktop's file manager onto a Loupe control. */
public final class EvidenceDrop {
	private EvidenceDrop() {
	}

	/** Hands what is dropped on {@code control} to {@code onDrop}. */
	public static void attach(Control control, Consumer<List<Path>> onDrop) {
		DropTarget target = new DropTarget(control, DND.DROP_COPY | DND.DROP_DEFAULT);
		target.setTransfer(new Transfer[] { FileTransfer.getInstance() });
		target.addDropListener(new DropTargetAdapter() {
			@Override
			public void dragEnter(DropTargetEvent e) {
				// evidence is read, never moved
				e.detail = (e.operations & DND.DROP_COPY) != 0 ? DND.DROP_COPY : DND.DROP_NONE;
			}

			@Override
			public void drop(DropTargetEvent e) {
				if (e.data instanceof String[] names) {
					onDrop.accept(paths(names));
				}
			}
		});
	}

	/** Dropped evidence is ingested at once, as the Import wizard would. */
	public static void ingestOnDrop(Control control) {
		attach(control, paths -> IngestFilesHandler.ingest(paths, control.getShell()));
	}

	static List<Path> paths(String[] names) {
		List<Path> out = new ArrayList<>();
		for (String n : names) {
			out.add(Path.of(n));
		}
		return out;
	}
}
