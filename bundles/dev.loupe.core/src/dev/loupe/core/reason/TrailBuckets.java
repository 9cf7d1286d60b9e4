package dev.loupe.core.reason;

import java.util.Iterator;
import java.util.List;

import org.apache.jena.graph.Graph;
import org.apache.jena.graph.Node;
import org.apache.jena.graph.NodeFactory;
import org.apache.jena.graph.Triple;
import org.apache.jena.sparql.core.DatasetGraph;
import org.apache.jena.sparql.core.Quad;

import dev.loupe.core.vocab.Loupe;

/**
 * A lifecycle rule that soon empties a bucket (qualifier {@code lifecycle:expires-soon}, set at ingest) empties a
 * log bucket when a CreateTrail or UpdateTrail, in any source, delivers to that bucket: the trail call may be in
 * another file than the rule, so the qualifier the detector matches ({@code lifecycle:expires-log-bucket}) is
 * added to the forward rules' input, in a full run and in an update alike.
 */
final class TrailBuckets {
	static final Node EXPIRES_SOON = NodeFactory.createLiteralString("lifecycle:expires-soon");
	private static final Node TO_LOGS = NodeFactory.createLiteralString("lifecycle:expires-log-bucket");

	private TrailBuckets() {
	}

	/** The qualifier stored at ingest that a qualifier a detector matches is made from (itself, for all but one). */
	static String storedFor(String qualifier) {
		return TO_LOGS.getLiteralLexicalForm().equals(qualifier) ? EXPIRES_SOON.getLiteralLexicalForm() : qualifier;
	}

	/** Adds the log-bucket qualifier to the input's calls that soon empty a trail's bucket; reads {@code dsg}. */
	static void qualify(Graph input, DatasetGraph dsg) {
		List<Node> soon = input.find(Node.ANY, Loupe.qualifier, EXPIRES_SOON).mapWith(Triple::getSubject).toList();
		for (Node e : soon) {
			for (Iterator<Quad> it = dsg.find(Node.ANY, e, Loupe.target, Node.ANY); it.hasNext();) {
				if (isTrailBucket(dsg, it.next().getObject())) {
					input.add(e, Loupe.qualifier, TO_LOGS);
					break;
				}
			}
		}
	}

	/** Whether a CreateTrail or UpdateTrail, in any source, delivers to the bucket. */
	static boolean isTrailBucket(DatasetGraph dsg, Node bucket) {
		return dsg.find(Node.ANY, Node.ANY, Loupe.trailBucket, bucket).hasNext();
	}
}
