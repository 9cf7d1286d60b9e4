package dev.loupe.core.ingest.cloudtrail;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import org.apache.jena.datatypes.xsd.XSDDatatype;
import org.apache.jena.graph.Node;
import org.apache.jena.graph.NodeFactory;

import dev.loupe.core.vocab.Loupe;

/**
 * First seen, last seen and event count of each entity within one source, written once when the source
 * ends. Profiles and entity lists aggregate these few facts per source instead of every raw event (see
 * ../shared/notes/performance-anchors.md); memory grows with the entities of a file, not its events.
 */
final class EntityActivity {
	interface Adder {
		void add(Node s, Node p, Node o);
	}

	private final Map<Node, long[]> byEntity = new HashMap<>();

	void seen(Node entity, Instant at) {
		long t = at.toEpochMilli();
		long[] a = byEntity.computeIfAbsent(entity, k -> new long[] { Long.MAX_VALUE, Long.MIN_VALUE, 0 });
		a[0] = Math.min(a[0], t);
		a[1] = Math.max(a[1], t);
		a[2]++;
	}

	void write(Adder out) {
		byEntity.forEach((entity, a) -> {
			out.add(entity, Loupe.firstSeen, time(a[0]));
			out.add(entity, Loupe.lastSeen, time(a[1]));
			out.add(entity, Loupe.eventCount, NodeFactory.createLiteralDT(Long.toString(a[2]), XSDDatatype.XSDlong));
		});
		byEntity.clear();
	}

	private static Node time(long epochMillis) {
		return NodeFactory.createLiteralDT(Instant.ofEpochMilli(epochMillis).toString(), XSDDatatype.XSDdateTime);
	}
}
