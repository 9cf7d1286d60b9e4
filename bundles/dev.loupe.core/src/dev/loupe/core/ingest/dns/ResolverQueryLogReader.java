package dev.loupe.core.ingest.dns;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

import org.apache.jena.graph.Node;
import org.apache.jena.vocabulary.RDF;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.loupe.core.ingest.EvidenceReader;
import dev.loupe.core.ingest.FactBuffer;
import dev.loupe.core.ingest.JsonRecords;
import dev.loupe.core.ingest.RecordSink;
import dev.loupe.core.ingest.Times;
import dev.loupe.core.vocab.Ids;
import dev.loupe.core.vocab.Loupe;

/**
 * Route 53 Resolver query logs (VPC DNS queries), one JSON object per query as delivered to S3, CloudWatch Logs
 * or Firehose: who asked (address, instance), what name and type, the answer and response code, when.
 */
public final class ResolverQueryLogReader implements EvidenceReader {
	private static final Pattern NAME = Pattern.compile("\"query_name\"\\s*:");
	private static final Pattern TIME = Pattern.compile("\"query_timestamp\"\\s*:");

	@Override
	public String format() {
		return "route53-resolver";
	}

	@Override
	public boolean accepts(String head) {
		return NAME.matcher(head).find() && TIME.matcher(head).find();
	}

	@Override
	public void read(InputStream in, String fileName, RecordSink sink) throws IOException {
		FactBuffer facts = new FactBuffer(sink);
		JsonRecords.read(in, fileName, sink, Set.of(), "Resolver query log record", (node, line, column, index) ->
				JsonRecords.handle(sink, fileName, line, column, index, "", () -> check(node),
						() -> facts.record(() -> map(facts, (ObjectNode) node, JsonRecords.compact(node)))));
	}

	/** Why a record cannot be read as a Resolver query (null when it can): for copies in other shapes too. */
	public static String check(JsonNode n) {
		if (!(n instanceof ObjectNode)) {
			return "expected a Resolver query log object, found " + n.getNodeType().name().toLowerCase(Locale.ROOT);
		}
		if (!n.path("query_name").isTextual() || n.get("query_name").asText().isBlank()) {
			return "missing \"query_name\"; expected a Resolver query log record with query_name and query_timestamp";
		}
		if (Times.of(n.get("query_timestamp")) == null) {
			return "query_timestamp " + n.path("query_timestamp") + " is not a time such as 2021-02-04T17:51:55Z";
		}
		return null;
	}

	/** The facts of one query in the Resolver's own field names; {@code raw} is the record as it came. */
	public static void map(FactBuffer facts, ObjectNode r, String raw) {
		Instant at = Times.of(r.get("query_timestamp"));
		String accountId = JsonRecords.text(r, "account_id");
		Node q = Ids.event("dns|" + String.join("|", String.valueOf(accountId), at.toString(), String.valueOf(JsonRecords.text(r, "srcaddr")),
				String.valueOf(JsonRecords.text(r, "srcport")), r.get("query_name").asText(), String.valueOf(JsonRecords.text(r, "query_type")),
				String.valueOf(JsonRecords.text(r, "vpc_id")), String.valueOf(JsonRecords.text(r, "rcode"))));
		facts.add(q, RDF.type.asNode(), Loupe.DnsQuery);
		facts.add(q, Loupe.eventTime, FactBuffer.time(at));
		Node account = facts.account(accountId);
		if (account != null) {
			facts.add(q, Loupe.account, account);
		}
		Node region = facts.region(JsonRecords.text(r, "region"));
		if (region != null) {
			facts.add(q, Loupe.inRegion, region);
		}
		Node src = facts.ip(JsonRecords.text(r, "srcaddr"));
		if (src != null) {
			facts.add(q, Loupe.srcAddress, src);
		}
		String port = JsonRecords.text(r, "srcport");
		if (port != null && port.matches("\\d{1,5}")) {
			facts.add(q, Loupe.srcPort, FactBuffer.integer(Long.parseLong(port)));
		}
		facts.add(q, Loupe.queryName, facts.domain(r.get("query_name").asText()));
		facts.text(q, Loupe.queryType, JsonRecords.text(r, "query_type"));
		facts.text(q, Loupe.responseCode, JsonRecords.text(r, "rcode"));
		// S3 delivery writes answers as an array, some pipelines as one object
		JsonNode answers = r.path("answers");
		for (JsonNode a : answers.isArray() ? answers : java.util.List.of(answers)) {
			facts.text(q, Loupe.answer, JsonRecords.text(a, "Rdata"));
		}
		String instance = JsonRecords.text(r.path("srcids"), "instance");
		if (instance != null) {
			facts.add(q, Loupe.ofInstance,
					facts.resource("ec2-instance", Loupe.Ec2Instance, Loupe.instanceId, instance, accountId, region));
		}
		facts.add(q, Loupe.rawRecord, FactBuffer.lit(raw));
	}

}
