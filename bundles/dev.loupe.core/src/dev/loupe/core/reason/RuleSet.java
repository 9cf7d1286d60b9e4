package dev.loupe.core.reason;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.osgi.framework.Bundle;
import org.osgi.framework.FrameworkUtil;

/**
 * The rule files Loupe runs, in name order: the bundled ones (ontology/rules) and those of a user folder.
 * {@code .rules} files are Jena forward rules, {@code .ru} files SPARQL Update, {@code .ttl} files data the
 * rules read (detector tables). A file of the user folder named like a bundled one replaces it.
 */
public record RuleSet(List<RuleFile> files) {

	public record RuleFile(String name, String text) {
		public boolean isJenaRules() {
			return name.endsWith(".rules");
		}

		public boolean isUpdate() {
			return name.endsWith(".ru");
		}

		public boolean isData() {
			return name.endsWith(".ttl");
		}
	}

	/** The bundled rules and detector tables, plus those in {@code userFolder} when it exists. */
	public static RuleSet load(Path userFolder) throws IOException {
		List<RuleFile> files = new ArrayList<>();
		Bundle bundle = FrameworkUtil.getBundle(RuleSet.class);
		if (bundle != null) {
			addEntries(bundle, "ontology", "detectors*.ttl", files);
			addEntries(bundle, "ontology/rules", "*", files);
		} else {
			addClasspathFolder(files); // outside OSGi (the benchmarks): the same files from the class path
		}
		if (userFolder != null && Files.isDirectory(userFolder)) {
			try (Stream<Path> s = Files.list(userFolder)) {
				for (Path p : s.sorted().toList()) {
					String n = p.getFileName().toString();
					if (n.endsWith(".rules") || n.endsWith(".ru") || n.endsWith(".ttl")) {
						files.add(new RuleFile(p.toString(), Files.readString(p)));
					}
				}
			}
		}
		// a user file named like a bundled one replaces it (the user's come last)
		Map<String, RuleFile> byName = new LinkedHashMap<>();
		files.forEach(f -> byName.put(baseName(f.name()), f));
		List<RuleFile> kept = new ArrayList<>(byName.values());
		kept.sort(Comparator.comparing((RuleFile f) -> !f.isData()).thenComparing(f -> baseName(f.name())));
		return new RuleSet(List.copyOf(kept));
	}

	private static void addClasspathFolder(List<RuleFile> out) throws IOException {
		URL root = RuleSet.class.getResource("/ontology/loupe.ttl");
		if (root == null || !(root.getProtocol().equals("file") || root.getProtocol().equals("jar"))) {
			throw new IOException("the bundled rules are neither in a bundle nor on the class path: " + root);
		}
		if (root.getProtocol().equals("jar")) {
			// a plain class path of jars (a JDK AOT cache takes nothing else): read the jar as a file system
			String jar = root.toString().substring(0, root.toString().indexOf("!/"));
			try (java.nio.file.FileSystem fs = java.nio.file.FileSystems.newFileSystem(java.net.URI.create(jar), Map.of())) {
				addFolder(fs.getPath("/ontology"), out);
			}
			return;
		}
		try {
			addFolder(Path.of(root.toURI()).getParent(), out);
		} catch (java.net.URISyntaxException e) {
			throw new IOException(e);
		}
	}

	private static void addFolder(Path ontology, List<RuleFile> out) throws IOException {
		try (Stream<Path> s = Stream.concat(Files.list(ontology).filter(p -> p.getFileName().toString().matches("detectors.*\\.ttl")),
				Files.list(ontology.resolve("rules")))) {
			for (Path p : s.sorted(Comparator.comparing(Path::toString)).toList()) {
				String name = ontology.getParent() == null ? p.toString() : ontology.getParent().relativize(p).toString();
				out.add(new RuleFile(name.startsWith("/") ? name.substring(1) : name, Files.readString(p)));
			}
		}
	}

	private static void addEntries(Bundle bundle, String folder, String pattern, List<RuleFile> out)
			throws IOException {
		Enumeration<URL> e = bundle.findEntries(folder, pattern, false);
		if (e == null) {
			return;
		}
		for (URL url : Collections.list(e)) {
			String path = url.getPath();
			if (path.endsWith("/")) {
				continue;
			}
			try (InputStream in = url.openStream()) {
				out.add(new RuleFile(path.startsWith("/") ? path.substring(1) : path,
						new String(in.readAllBytes(), StandardCharsets.UTF_8)));
			}
		}
	}

	static String baseName(String path) {
		return path.substring(path.lastIndexOf('/') + 1);
	}
}
