package dev.loupe.core.ingest.vpcflow;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.jena.graph.Node;
import org.apache.jena.vocabulary.RDF;

import dev.loupe.core.ingest.FactBuffer;
import dev.loupe.core.ingest.RecordSink;
import dev.loupe.core.vocab.Ids;
import dev.loupe.core.vocab.Loupe;

/**
 * Turns one flow log record into a loupe:NetworkFlow: when, between which addresses and ports, on which
 * interface and instance of which account, what was accepted or rejected, how much. NODATA and SKIPDATA
 * records are kept: they say that an interface had no traffic, or that records were lost, in that window.
 */
public final class FlowMapper {
	private final FactBuffer facts;

	public FlowMapper(RecordSink sink) {
		this.facts = new FactBuffer(sink);
	}

	/** @throws IllegalArgumentException naming the field that does not hold what the format says */
	public void map(List<String> fields, String[] tokens, String line) {
		Map<String, String> v = new HashMap<>();
		for (int i = 0; i < tokens.length; i++) {
			if (!"-".equals(tokens[i])) {
				v.put(fields.get(i), tokens[i]);
			}
		}
		if (!v.containsKey("start")) {
			throw new IllegalArgumentException(v.containsKey("log-status") || fields.contains("start")
					? "no start time (\"-\"); expected seconds since 1970 in the start field"
					: "the format has no start field; Loupe needs start to place flows in time");
		}
		Instant start = Instant.ofEpochSecond(number(v, "start"));
		facts.record(() -> write(v, start, line));
	}

	private void write(Map<String, String> v, Instant start, String line) {
		// the same record, whatever the field order of the format that carried it, is the same flow
		Node f = Ids.event("flow|" + new TreeMap<>(v));
		facts.add(f, RDF.type.asNode(), Loupe.NetworkFlow);
		facts.add(f, Loupe.eventTime, FactBuffer.time(start));
		if (v.containsKey("end")) {
			facts.add(f, Loupe.endTime, FactBuffer.time(Instant.ofEpochSecond(number(v, "end"))));
		}
		String accountId = v.get("account-id");
		Node account = facts.account(accountId);
		if (account != null) {
			facts.add(f, Loupe.account, account);
		}
		Node region = facts.region(v.get("region"));
		if (region != null) {
			facts.add(f, Loupe.inRegion, region);
		}
		address(f, Loupe.srcAddress, v, "srcaddr");
		address(f, Loupe.dstAddress, v, "dstaddr");
		integer(f, Loupe.srcPort, v, "srcport");
		integer(f, Loupe.dstPort, v, "dstport");
		integer(f, Loupe.protocol, v, "protocol");
		count(f, Loupe.bytes, v, "bytes");
		count(f, Loupe.packets, v, "packets");
		facts.text(f, Loupe.flowAction, v.get("action"));
		facts.text(f, Loupe.logStatus, v.get("log-status"));
		facts.text(f, Loupe.interfaceId, v.get("interface-id"));
		facts.text(f, Loupe.flowDirection, v.get("flow-direction"));
		String instance = v.get("instance-id");
		if (instance != null) {
			facts.add(f, Loupe.ofInstance,
					facts.resource("ec2-instance", Loupe.Ec2Instance, Loupe.instanceId, instance, accountId, region));
		}
		facts.add(f, Loupe.rawRecord, FactBuffer.lit(line));
	}

	private void address(Node f, Node p, Map<String, String> v, String field) {
		String raw = v.get(field);
		if (raw == null) {
			return;
		}
		Node ip = facts.ip(raw);
		if (ip == null) {
			throw new IllegalArgumentException(field + " \"" + raw + "\" is not an IPv4 or IPv6 address");
		}
		facts.add(f, p, ip);
	}

	private void integer(Node f, Node p, Map<String, String> v, String field) {
		if (v.containsKey(field)) {
			facts.add(f, p, FactBuffer.integer(number(v, field)));
		}
	}

	private void count(Node f, Node p, Map<String, String> v, String field) {
		if (v.containsKey(field)) {
			facts.add(f, p, FactBuffer.longValue(number(v, field)));
		}
	}

	private static long number(Map<String, String> v, String field) {
		String s = v.get(field);
		try {
			return Long.parseLong(s);
		} catch (NumberFormatException e) {
			throw new IllegalArgumentException(field + " \"" + s + "\" is not a whole number");
		}
	}
}
