package dev.loupe.core.store;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import org.apache.jena.datatypes.xsd.XSDDatatype;
import org.apache.jena.graph.Node;
import org.apache.jena.graph.NodeFactory;
import org.apache.jena.sparql.core.DatasetGraph;
import org.apache.jena.sparql.core.Quad;
import org.apache.jena.vocabulary.OWL;
import org.apache.jena.vocabulary.RDF;
import org.apache.jena.vocabulary.RDFS;

import dev.loupe.core.vocab.Ids;
import dev.loupe.core.vocab.Loupe;

/**
 * The autonomous system of every address in the evidence, from a table ({@link AsnSource}), in the graph
 * {@link Ids#NETWORKS_GRAPH}: {@code ?ip loupe:inAutonomousSystem ?as}, and each AS's number, organisation and
 * label; {@code ?ip loupe:networkUnknown true} for an address the table has no range for. The signals' lists and the Evidence Graph show it, and the baseline compares it
 * (rules/50-newly-observed.ru: an address in a network the principal never used).
 * <p>
 * Kept apart from the sources, since no record said it: each ingest batch adds its new addresses, in the batch's
 * transaction; removing a source, a store made before this graph existed and a new table (the version written
 * in the graph differs) make it again. GuardDuty's own AS of an address stays in the finding's source graph.
 */
public final class AsnGraph {
	private static final String IP_PREFIX = "urn:loupe:ip:";
	private static final Node TRUE = NodeFactory.createLiteralDT("true", XSDDatatype.XSDboolean);

	private AsnGraph() {
	}

	/** Makes the graph again when it was made from another table, or never made. */
	static void ensure(EvidenceStore store) {
		AsnSource.Located where = AsnSource.locate();
		Node g = Ids.networksGraph();
		Node version = NodeFactory.createLiteralString(where.version());
		if (!store.read(() -> store.dataset().asDatasetGraph().contains(g, g, OWL.versionInfo.asNode(), version))) {
			store.write(() -> rebuild(store.dataset().asDatasetGraph(), where));
		}
	}

	/** Makes the graph again from every address in the store (inside the caller's write transaction). */
	static void rebuild(DatasetGraph dsg) {
		rebuild(dsg, AsnSource.locate());
	}

	private static void rebuild(DatasetGraph dsg, AsnSource.Located where) {
		Node g = Ids.networksGraph();
		GraphClear.clear(dsg, g);
		dsg.add(g, g, OWL.versionInfo.asNode(), NodeFactory.createLiteralString(where.version()));
		dsg.add(g, g, RDFS.comment.asNode(), NodeFactory.createLiteralString(where.attribution()));
		if (where.parts().isEmpty()) {
			return;
		}
		Set<Node> addresses = new HashSet<>();
		dsg.find(Node.ANY, Node.ANY, RDF.type.asNode(), Loupe.IpAddress).forEachRemaining(q -> addresses.add(q.getSubject()));
		write(dsg, addresses, where);
	}

	/**
	 * Adds the addresses of the given source graphs that the graph does not hold yet (inside the caller's write
	 * transaction); returns how many got an AS.
	 */
	public static int addFor(DatasetGraph dsg, Collection<Node> sourceGraphs) {
		AsnSource.Located where = AsnSource.locate();
		if (where.parts().isEmpty()) {
			return 0;
		}
		Node g = Ids.networksGraph();
		Set<Node> addresses = new HashSet<>();
		for (Node source : sourceGraphs) {
			dsg.find(source, Node.ANY, RDF.type.asNode(), Loupe.IpAddress).forEachRemaining(q -> {
				if (!dsg.contains(g, q.getSubject(), Loupe.inAutonomousSystem, Node.ANY)
						&& !dsg.contains(g, q.getSubject(), Loupe.networkUnknown, Node.ANY)) {
					addresses.add(q.getSubject());
				}
			});
		}
		return write(dsg, addresses, where);
	}

	/** The version of the table the graph was made from, or "" when it was not made. */
	public static String version(DatasetGraph dsg) {
		Node g = Ids.networksGraph();
		var it = dsg.find(g, g, OWL.versionInfo.asNode(), Node.ANY);
		return it.hasNext() ? it.next().getObject().getLiteralLexicalForm() : "";
	}

	private static int write(DatasetGraph dsg, Set<Node> addresses, AsnSource.Located where) {
		if (addresses.isEmpty() || where.parts().isEmpty()) {
			return 0;
		}
		// read only now: a store without addresses never pays for reading the table
		AsnTable table = AsnSource.table(where);
		Node g = Ids.networksGraph();
		Map<Long, Node> described = new HashMap<>();
		int found = 0;
		for (Node ip : addresses) {
			if (!ip.isURI() || !ip.getURI().startsWith(IP_PREFIX)) {
				continue;
			}
			AsnTable.Owner owner = table.lookup(ip.getURI().substring(IP_PREFIX.length()));
			if (owner == null) {
				// said, so that the next ingest that meets it (a VPC's private addresses, in every flow log) does
				// not read the table again for it
				dsg.add(g, ip, Loupe.networkUnknown, TRUE);
				continue;
			}
			Node as = described.computeIfAbsent(owner.asn(), n -> describe(dsg, g, owner));
			dsg.add(new Quad(g, ip, Loupe.inAutonomousSystem, as));
			found++;
		}
		return found;
	}

	/** The AS's node, described once (a table that names one AS in two ways gives it its first name). */
	private static Node describe(DatasetGraph dsg, Node g, AsnTable.Owner o) {
		Node as = Ids.autonomousSystem(Long.toString(o.asn()));
		if (dsg.contains(g, as, RDF.type.asNode(), Loupe.AutonomousSystem)) {
			return as;
		}
		dsg.add(g, as, RDF.type.asNode(), Loupe.AutonomousSystem);
		dsg.add(g, as, Loupe.asn, NodeFactory.createLiteralDT(Long.toString(o.asn()), XSDDatatype.XSDinteger));
		if (!o.organisation().isEmpty()) {
			dsg.add(g, as, Loupe.asOrganization, NodeFactory.createLiteralString(o.organisation()));
		}
		dsg.add(g, as, RDFS.label.asNode(), NodeFactory.createLiteralString(Ids.autonomousSystemLabel(Long.toString(o.asn()),
				o.organisation())));
		return as;
	}
}
