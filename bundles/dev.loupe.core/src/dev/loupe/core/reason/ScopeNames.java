package dev.loupe.core.reason;

import java.util.Iterator;
import java.util.List;
import java.util.Set;

import org.apache.jena.graph.Node;
import org.apache.jena.graph.NodeFactory;
import org.apache.jena.sparql.core.DatasetGraph;
import org.apache.jena.sparql.core.Quad;

import dev.loupe.core.vocab.Loupe;

/**
 * What a new source names, beyond the principals of its calls, that changes what older evidence says: a bucket
 * a trail now delivers to makes its older lifecycle rules tampering, a console password now set for a user makes
 * the user's sign-ins without MFA a first sign-in, another account let in makes its principals' signals here
 * meet the grant. An update derives their signals again ({@link UpdateScope}).
 */
final class ScopeNames {
	private ScopeNames() {
	}

	/** Adds to {@code principals} and {@code calls} what the new source {@code g} names this way. */
	static void of(DatasetGraph dsg, Node g, Set<Node> newSources, Set<Node> principals, Set<Node> calls) {
		dsg.find(g, Node.ANY, Loupe.trailBucket, Node.ANY).forEachRemaining(q -> lifecycleCalls(dsg, q.getObject(), newSources,
				principals, calls));
		// another account let in: its principals' older signals here meet the grant (40-correlation-keys.ru)
		dsg.find(g, Node.ANY, Loupe.grantee, Node.ANY).forEachRemaining(q -> dsg.find(Node.ANY, Node.ANY, Loupe.inAccount, q.getObject())
				.forEachRemaining(p -> principals.add(p.getSubject())));
		// the sign-ins may have come in an earlier file than the password (40-correlation-keys.ru)
		for (String name : List.of("CreateLoginProfile", "UpdateLoginProfile")) {
			dsg.find(g, Node.ANY, Loupe.eventName, NodeFactory.createLiteralString(name))
					.forEachRemaining(q -> dsg.find(g, q.getSubject(), Loupe.target, Node.ANY).forEachRemaining(t -> principals.add(t.getObject())));
		}
	}

	/**
	 * A bucket a trail delivers to, named so by a new source and by no older one: its older lifecycle rules that
	 * soon empty it become signals ({@link TrailBuckets}), so their calls are read again and their principals join in.
	 */
	private static void lifecycleCalls(DatasetGraph dsg, Node bucket, Set<Node> newSources, Set<Node> principals, Set<Node> calls) {
		for (Iterator<Quad> it = dsg.find(Node.ANY, Node.ANY, Loupe.trailBucket, bucket); it.hasNext();) {
			if (!newSources.contains(it.next().getGraph())) {
				return;
			}
		}
		dsg.find(Node.ANY, Node.ANY, Loupe.target, bucket).forEachRemaining(q -> {
			Node e = q.getSubject();
			if (dsg.contains(Node.ANY, e, Loupe.qualifier, TrailBuckets.EXPIRES_SOON)) {
				calls.add(e);
				dsg.find(Node.ANY, e, Loupe.actor, Node.ANY).forEachRemaining(a -> principals.add(a.getObject()));
			}
		});
	}
}
