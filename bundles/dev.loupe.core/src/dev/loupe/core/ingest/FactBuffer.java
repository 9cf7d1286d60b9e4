package dev.loupe.core.ingest;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import org.apache.jena.datatypes.xsd.XSDDatatype;
import org.apache.jena.graph.Node;
import org.apache.jena.graph.NodeFactory;
import org.apache.jena.graph.Triple;
import org.apache.jena.vocabulary.RDF;
import org.apache.jena.vocabulary.RDFS;

import dev.loupe.core.vocab.Ids;
import dev.loupe.core.vocab.Loupe;

/**
 * The facts of the record being mapped, held back until the whole record mapped (no record is half-written),
 * and the entities a file already described (type, identifying value and label are written once per source
 * graph). Shared by every format's mapper so that accounts, regions, addresses and instances get the same
 * IRIs and descriptions whichever log mentions them.
 */
public final class FactBuffer {
	private static final Pattern TASK_ID = Pattern.compile("[0-9a-f]{32}");
	private static final Pattern ACCOUNT_ID = Pattern.compile("[0-9]{12}");
	private final RecordSink sink;
	private final Set<Node> described = new HashSet<>();
	private final List<Triple> pending = new ArrayList<>();
	private final List<Node> newlyDescribed = new ArrayList<>();
	private final Set<Triple> once = new HashSet<>();
	private final List<Triple> newlyOnce = new ArrayList<>();

	public FactBuffer(RecordSink sink) {
		this.sink = sink;
	}

	/** Maps one record with {@code mapping}; its facts reach the sink only if it completes, then the record is done. */
	public void record(Runnable mapping) {
		try {
			mapping.run();
			pending.forEach(sink::triple);
			sink.recordDone();
		} catch (RuntimeException e) {
			described.removeAll(newlyDescribed);
			once.removeAll(newlyOnce);
			throw e;
		} finally {
			pending.clear();
			newlyDescribed.clear();
			newlyOnce.clear();
		}
	}

	public void add(Node s, Node p, Node o) {
		pending.add(Triple.create(s, p, o));
	}

	/** Adds a fact about an entity the first time the file states it (as its description is written once). */
	public void addOnce(Node s, Node p, Node o) {
		Triple t = Triple.create(s, p, o);
		if (once.add(t)) {
			newlyOnce.add(t);
			pending.add(t);
		}
	}

	/**
	 * Writes an entity's type, identifying value and label the first time the file mentions it.
	 * @return whether it was new in this file (callers add their own facts then)
	 */
	public boolean describe(Node n, Node type, Node idProperty, String id, String label) {
		if (!described.add(n)) {
			return false;
		}
		newlyDescribed.add(n);
		add(n, RDF.type.asNode(), type);
		if (idProperty != null) {
			add(n, idProperty, lit(id));
		}
		add(n, RDFS.label.asNode(), lit(label));
		return true;
	}

	/** The account entity, or null when the text is not a 12-digit account ID (e.g. "ANONYMOUS_PRINCIPAL"). */
	/**
	 * The principal {@code n}, described once: its type, its ARN when it has one, its label (else the ARN) and the
	 * account it is in, whichever mapper meets it first.
	 */
	public Node principal(Node n, Node type, String arn, String label, String accountId) {
		if (describe(n, type, arn != null ? Loupe.arn : null, arn, label != null ? label : arn)) {
			Node account = account(accountId);
			if (account != null) {
				add(n, Loupe.inAccount, account);
			}
		}
		return n;
	}

	public Node account(String accountId) {
		if (accountId == null || !ACCOUNT_ID.matcher(accountId).matches()) {
			return null;
		}
		Node a = Ids.account(accountId);
		describe(a, Loupe.AwsAccount, Loupe.accountId, accountId, accountId);
		return a;
	}

	public Node region(String name) {
		if (name == null || name.isBlank()) {
			return null;
		}
		Node r = Ids.region(name);
		describe(r, Loupe.AwsRegion, Loupe.regionName, name, name);
		return r;
	}

	/** The address entity, or null when the text is not an IPv4/IPv6 address. */
	public Node ip(String raw) {
		String ip = raw == null ? null : IpText.canonical(raw);
		if (ip == null) {
			return null;
		}
		Node n = Ids.ip(ip);
		describe(n, Loupe.IpAddress, Loupe.address, ip, ip);
		return n;
	}

	/** A DNS name; names are case-insensitive and written with or without the final dot: one entity per name. */
	public Node domain(String name) {
		String canonical = name.strip().toLowerCase(java.util.Locale.ROOT);
		if (canonical.endsWith(".")) {
			canonical = canonical.substring(0, canonical.length() - 1);
		}
		Node d = Ids.domain(canonical);
		describe(d, Loupe.Domain, Loupe.domainName, canonical, canonical);
		return d;
	}

	/** The client a user agent names ({@link UserAgents#client}): one entity for all of its calls. */
	public Node userAgent(String raw) {
		String ua = UserAgents.client(raw);
		Node u = Ids.userAgent(ua);
		describe(u, Loupe.UserAgent, Loupe.userAgentString, ua, ua.length() > 60 ? ua.substring(0, 57) + "..." : ua);
		return u;
	}

	/**
	 * A Kubernetes user or service account by name. Audit events do not name their cluster, so neither does the
	 * IRI: a GuardDuty finding and the audit log then name the same subject.
	 */
	public Node kubernetesSubject(String user) {
		Node n = Ids.kubernetes("subject", null, user);
		describe(n, Loupe.KubernetesSubject, null, null, user);
		return n;
	}

	/** Whether a name is an ECS task ID: the last part of a task's ARN and the name of its task role's session. */
	public static boolean isEcsTaskId(String id) {
		return id != null && TASK_ID.matcher(id).matches();
	}

	/** An ECS task by its ID, as CloudTrail (a task role's session, RunTask) and findings (its ARN) name it. */
	public Node ecsTask(String id, String accountId, Node region) {
		return resource("ecs-task", Loupe.EcsTask, Loupe.taskId, id, accountId, region);
	}

	/** A pod by namespace (may be null) and name; see {@link #kubernetesSubject} for why no cluster. */
	public Node kubernetesPod(String namespace, String name) {
		Node n = Ids.kubernetes("pod", null, (namespace == null ? "" : namespace) + "/" + name);
		if (describe(n, Loupe.KubernetesPod, Loupe.podName, name, (namespace == null ? "" : namespace + "/") + name)
				&& namespace != null) {
			add(n, Loupe.namespace, lit(namespace));
		}
		return n;
	}

	/** A resource identified within an account (instance, security group), in that account and region. */
	public Node resource(String kind, Node type, Node idProperty, String id, String accountId, Node region) {
		Node n = Ids.resource(kind, accountId == null ? "unknown-account" : accountId, id);
		if (describe(n, type, idProperty, id, id)) {
			Node account = account(accountId);
			if (account != null) {
				add(n, Loupe.inAccount, account);
			}
			if (region != null) {
				add(n, Loupe.inRegion, region);
			}
		}
		return n;
	}

	/** Adds {@code s p "value"} when there is a value: optional fields are common in every log. */
	public void text(Node s, Node p, String value) {
		if (value != null) {
			add(s, p, lit(value));
		}
	}

	/** A severity or other decimal, in the lexical form xsd:decimal expects. */
	public static Node decimal(java.math.BigDecimal v) {
		return NodeFactory.createLiteralDT(v.toPlainString(), XSDDatatype.XSDdecimal);
	}

	public static Node lit(String s) {
		return NodeFactory.createLiteralString(s);
	}

	public static Node time(Instant t) {
		return NodeFactory.createLiteralDT(t.toString(), XSDDatatype.XSDdateTime);
	}

	public static Node integer(long v) {
		return NodeFactory.createLiteralDT(Long.toString(v), XSDDatatype.XSDinteger);
	}

	public static Node longValue(long v) {
		return NodeFactory.createLiteralDT(Long.toString(v), XSDDatatype.XSDlong);
	}
}
