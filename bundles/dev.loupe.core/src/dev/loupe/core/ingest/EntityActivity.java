package dev.loupe.core.ingest;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import org.apache.jena.datatypes.xsd.XSDDatatype;
import org.apache.jena.graph.Node;
import org.apache.jena.graph.NodeFactory;
import org.apache.jena.sparql.core.DatasetGraph;

import dev.loupe.core.store.EvidenceRecord;
import dev.loupe.core.vocab.Loupe;

/**
 * First seen, last seen and record count of each entity within one source, written into the source's graph
 * when it ends. Entity lists and profiles add up these few facts per source instead of every raw record
 * (see ../shared/notes/performance-anchors.md), and removing a source takes its share away exactly.
 */
final class EntityActivity {
	private final Map<Node, long[]> byEntity = new HashMap<>();

	/** An entity mentioned twice by one record counts once. */
	void add(EvidenceRecord r) {
		long t = r.time().toEpochMilli();
		r.participants().stream().map(EvidenceRecord.Participant::entity).distinct().forEach(entity -> {
			long[] a = byEntity.computeIfAbsent(entity, k -> new long[] { Long.MAX_VALUE, Long.MIN_VALUE, 0 });
			a[0] = Math.min(a[0], t);
			a[1] = Math.max(a[1], t);
			a[2]++;
		});
	}

	void write(DatasetGraph dsg, Node graph) {
		byEntity.forEach((entity, a) -> {
			dsg.add(graph, entity, Loupe.firstSeen, time(a[0]));
			dsg.add(graph, entity, Loupe.lastSeen, time(a[1]));
			dsg.add(graph, entity, Loupe.eventCount, NodeFactory.createLiteralDT(Long.toString(a[2]), XSDDatatype.XSDlong));
		});
		byEntity.clear();
	}

	private static Node time(long epochMillis) {
		return NodeFactory.createLiteralDT(Instant.ofEpochMilli(epochMillis).toString(), XSDDatatype.XSDdateTime);
	}
}
