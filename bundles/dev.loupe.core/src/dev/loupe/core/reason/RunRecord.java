package dev.loupe.core.reason;

import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

import org.apache.jena.graph.Node;
import org.apache.jena.graph.NodeFactory;
import org.apache.jena.sparql.core.DatasetGraph;
import org.apache.jena.vocabulary.RDF;
import org.osgi.framework.Bundle;
import org.osgi.framework.FrameworkUtil;

import dev.loupe.core.reason.RuleSet.RuleFile;
import dev.loupe.core.store.AsnGraph;
import dev.loupe.core.vocab.Ids;
import dev.loupe.core.vocab.Loupe;

/**
 * The loupe:ReasoningRun of the inferred graph: which rules and which evidence sources its results come from, so
 * that an update can tell what is new and whether the rules changed since.
 */
record RunRecord(String rulesDigest, Set<Node> covered) {

	static final Node NODE = NodeFactory.createURI("urn:loupe:reasoning-run");

	/** The record of the last run, or null when the rules have not run (or ran before runs were recorded). */
	static RunRecord read(DatasetGraph dsg) {
		Node g = Ids.inferredGraph();
		Iterator<org.apache.jena.sparql.core.Quad> d = dsg.find(g, NODE, Loupe.rulesDigest, Node.ANY);
		if (!d.hasNext()) {
			return null;
		}
		Set<Node> covered = new HashSet<>();
		dsg.find(g, NODE, Loupe.coveredSource, Node.ANY).forEachRemaining(q -> covered.add(q.getObject()));
		return new RunRecord(d.next().getObject().getLiteralLexicalForm(), covered);
	}

	/**
	 * Writes only what changed since the last record: a large store has thousands of sources, and an update adds a
	 * few of them.
	 */
	void write(DatasetGraph dsg) {
		write(dsg, read(dsg));
	}

	/** The same, given the record as it is now ({@code last}, null when there is none). */
	void write(DatasetGraph dsg, RunRecord last) {
		Node g = Ids.inferredGraph();
		Node digest = NodeFactory.createLiteralString(rulesDigest);
		if (last == null || !last.rulesDigest().equals(rulesDigest)) {
			dsg.deleteAny(g, NODE, Loupe.rulesDigest, Node.ANY);
			dsg.add(g, NODE, RDF.type.asNode(), Loupe.ReasoningRun);
			dsg.add(g, NODE, Loupe.rulesDigest, digest);
		}
		Set<Node> before = last == null ? Set.of() : last.covered();
		before.stream().filter(s -> !covered.contains(s)).toList().forEach(s -> dsg.delete(g, NODE, Loupe.coveredSource, s));
		covered.stream().filter(s -> !before.contains(s)).forEach(s -> dsg.add(g, NODE, Loupe.coveredSource, s));
	}

	/** What a full run's clear leaves of the record, so that it is written as a difference too. */
	static final Map<Node, Set<Node>> FACTS = Map.of(Loupe.ReasoningRun, Set.of(RDF.type.asNode(), Loupe.rulesDigest,
			Loupe.coveredSource));

	/**
	 * What the results recorded with a run depend on: the rules and code ({@link #digest(RuleSet)}) and the table
	 * of autonomous systems the store's addresses were looked up in (a new table can make a network new to a
	 * principal, rules/50-newly-observed.ru).
	 */
	static String of(Prepared p, DatasetGraph dsg) {
		return Ids.sha256(p.digest() + '\u0000' + AsnGraph.version(dsg));
	}

	/**
	 * The rules' files and the version of the code that runs them: what a run derives depends on both (the finding
	 * signals, the linker and the explanations are code), so a Loupe upgraded on a store derives everything again
	 * once instead of keeping the older version's results as current.
	 */
	static String digest(RuleSet rules) {
		StringBuilder all = new StringBuilder();
		all.append(codeVersion()).append('\u0000');
		for (RuleFile f : rules.files()) {
			all.append(f.name()).append('\u0000').append(f.text()).append('\u0000');
		}
		return Ids.sha256(all.toString());
	}

	/**
	 * The core bundle's version: from OSGi in the workbench, else from the manifest of the jar the class came from
	 * (the command line on a plain class path), so that both record the same digest; "" in a class folder (the
	 * benchmarks).
	 */
	private static String codeVersion() {
		Bundle code = FrameworkUtil.getBundle(RunRecord.class);
		if (code != null) {
			return code.getVersion().toString();
		}
		try {
			var source = RunRecord.class.getProtectionDomain().getCodeSource();
			if (source == null || !source.getLocation().getPath().endsWith(".jar")) {
				return "";
			}
			try (var jar = new java.util.jar.JarFile(new java.io.File(source.getLocation().toURI()))) {
				var manifest = jar.getManifest();
				String v = manifest == null ? null : manifest.getMainAttributes().getValue("Bundle-Version");
				return v == null ? "" : v;
			}
		} catch (java.io.IOException | java.net.URISyntaxException | SecurityException e) {
			return "";
		}
	}
}
