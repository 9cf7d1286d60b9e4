package dev.loupe.core.reason;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.apache.jena.graph.Node;
import org.apache.jena.sparql.core.DatasetGraph;

import dev.loupe.core.vocab.Loupe;

/**
 * The signals an update's linker must link again: those derived again, the other members of the sequences they
 * were in, and every signal that shares a correlation key with one of these, and so on. Chaining in time never
 * leaves such a set (a key of a kind that meets only another kind reaches the signals with that kind's key, and
 * those reach it back), so the sequences inside it come out as a full run makes them, and every sequence outside it
 * holds none of the changed signals and keeps its keys: it stays as it was. A sequence is either wholly inside
 * or wholly outside.
 * <p>
 * An update after new principals reads a few hundred signals this way instead of every signal in the store. When
 * the region grows past {@link #LIMIT} signals, one scan of every key costs less than following them one by one.
 */
final class LinkRegion {

	static final int LIMIT = 1000;

	private LinkRegion() {
	}

	/** The region of {@code changed} in the inferred graph {@code g}, or null when it is larger than the limit. */
	static Set<Node> of(DatasetGraph dsg, Node g, LinkKinds kinds, Set<Node> changed) {
		if (changed.size() > LIMIT) {
			return null; // following them would cost more than the scan, before even starting on their neighbours
		}
		Deque<Node> todo = new ArrayDeque<>(changed);
		for (Node s : changed) {
			// a signal that lost a key leaves behind the members it linked
			dsg.find(g, Node.ANY, Loupe.member, s).forEachRemaining(
					in -> dsg.find(g, in.getSubject(), Loupe.member, Node.ANY).forEachRemaining(m -> todo.add(m.getObject())));
		}
		Set<Node> region = new HashSet<>();
		Set<List<Node>> keysSeen = new HashSet<>();
		while (!todo.isEmpty()) {
			Node s = todo.pop();
			if (!region.add(s)) {
				continue;
			}
			if (region.size() > LIMIT) {
				return null;
			}
			for (Node kind : kinds.all()) {
				dsg.find(g, s, kind, Node.ANY).forEachRemaining(k -> {
					for (Node reach : kinds.reach(kind)) {
						if (keysSeen.add(List.of(reach, k.getObject()))) {
							dsg.find(g, Node.ANY, reach, k.getObject()).forEachRemaining(other -> todo.add(other.getSubject()));
						}
					}
				});
			}
		}
		return region;
	}
}
