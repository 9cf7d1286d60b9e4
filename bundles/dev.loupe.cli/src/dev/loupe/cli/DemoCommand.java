package dev.loupe.cli;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.List;
import java.util.stream.Stream;

import org.eclipse.core.runtime.FileLocator;
import org.eclipse.core.runtime.Platform;
import org.osgi.framework.Bundle;

import dev.loupe.core.reason.Findings;
import dev.loupe.core.store.EvidenceStore;

/**
 * `loupe demo [--store DIR] [--no-gui]`: ingests the bundled sample evidence into a fresh store, reasons and
 * prints the sequences. The launcher script then opens the workbench on that store when a display exists.
 */
final class DemoCommand implements Cli.Command {
	static final String SAMPLES_BUNDLE = "dev.loupe.samples";

	@Override
	public String help() {
		return Messages.helpDemo;
	}

	@Override
	public int run(Options o, Cli cli) throws Exception {
		Path storeDir = o.store != null ? o.store : cli.home.resolve("demo-store");
		if (o.store == null) {
			// the workbench a demo opened may still show it: deleting the store under it would leave it on files gone
			java.util.Optional<String> held = dev.loupe.core.store.StoreHolder.inUse(storeDir);
			if (held.isPresent()) {
				throw new dev.loupe.core.store.StoreException(held.get(), null);
			}
			deleteTree(storeDir); // the default demo store is Loupe's own: start it fresh every time
		}
		Path samples = samplesFolder(cli.home);
		cli.out.println(Messages.bind(Messages.demoStart, samples, storeDir));
		try (EvidenceStore store = EvidenceStore.open(storeDir)) {
			IngestCommand.ingest(store, List.of(samples), cli);
			ReasonCommand.reason(store, o, cli);
			FindingsCommand.printSequences(new Findings(store).sequences(cli.labelLanguage()), cli);
		}
		cli.out.println(Messages.bind(Messages.demoDone, storeDir));
		return Cli.OK;
	}

	/**
	 * The evidence folder of the samples bundle. Installed products unpack it (Eclipse-BundleShape: dir); where
	 * it is still a jar (a test runtime, some IDE installs) its evidence is copied out under Loupe's home.
	 */
	static Path samplesFolder(Path home) throws IOException {
		// outside OSGi (Main) the launcher names the unpacked bundle's folder
		String given = System.getProperty("loupe.samples");
		if (given != null) {
			Path evidence = Path.of(given).resolve("evidence");
			if (!Files.isDirectory(evidence)) {
				throw new IOException(Messages.errorSamplesMissing);
			}
			return evidence;
		}
		Bundle b = Platform.getBundle(SAMPLES_BUNDLE);
		if (b == null) {
			throw new IOException(Messages.errorSamplesMissing);
		}
		File root = FileLocator.getBundleFileLocation(b).orElseThrow(() -> new IOException(Messages.errorSamplesMissing));
		if (root.isDirectory()) {
			return root.toPath().resolve("evidence");
		}
		Path target = home.resolve("samples");
		deleteTree(target);
		Enumeration<URL> entries = b.findEntries("evidence", "*", true);
		while (entries != null && entries.hasMoreElements()) {
			URL url = entries.nextElement();
			if (url.getPath().endsWith("/")) {
				continue;
			}
			Path file = target.resolve(url.getPath().substring(url.getPath().indexOf("evidence/") + "evidence/".length()));
			Files.createDirectories(file.getParent());
			try (InputStream in = url.openStream()) {
				Files.copy(in, file);
			}
		}
		return target;
	}

	private static void deleteTree(Path dir) throws IOException {
		if (!Files.exists(dir)) {
			return;
		}
		try (Stream<Path> walk = Files.walk(dir)) {
			for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
				Files.delete(p);
			}
		}
	}
}
