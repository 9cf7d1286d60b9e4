package dev.loupe.core.ingest.cloudtrail;


import org.apache.jena.graph.Node;
import org.apache.jena.vocabulary.RDF;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.loupe.core.ingest.FactBuffer;
import dev.loupe.core.ingest.RecordSink;
import dev.loupe.core.ingest.Redaction;
import dev.loupe.core.ingest.Times;
import dev.loupe.core.vocab.Ids;
import dev.loupe.core.vocab.Loupe;

/**
 * Turns one CloudTrail event into ontology facts. The per-event graph is kept lean (what rules and views
 * traverse); the full record is kept once as a compact JSON literal for drill-down.
 */
public final class CloudTrailMapper {
	private final FactBuffer facts;
	private final Resources resources = new Resources(this);
	private final Sessions sessions = new Sessions(this);
	private final Deployments deployments = new Deployments(this);
	private final Repeats repeats = new Repeats();

	public CloudTrailMapper(RecordSink sink) {
		this.facts = new FactBuffer(sink);
	}

	/** Insights events name the API they are about inside insightDetails, not at the top. */
	static boolean isInsight(ObjectNode ev) {
		return "AwsCloudTrailInsight".equals(text(ev, "eventType"));
	}

	/** Returns why the event can't be used, or null when it has what the mapping needs. */
	static String missingField(ObjectNode ev) {
		JsonNode names = isInsight(ev) ? ev.path("insightDetails") : ev;
		if (!ev.path("eventTime").isTextual()) {
			return "missing \"eventTime\"; expected a CloudTrail event with eventTime, eventName and eventSource";
		}
		for (String f : new String[] { "eventName", "eventSource" }) {
			if (!names.path(f).isTextual() || names.path(f).asText().isBlank()) {
				return "missing \"" + f + "\"; expected a CloudTrail event with eventTime, eventName and eventSource";
			}
		}
		if (Times.parse(ev.get("eventTime").asText()) == null) {
			return "eventTime \"" + ev.get("eventTime").asText() + "\" is not an ISO-8601 time such as 2024-07-31T13:06:24Z";
		}
		return null;
	}

	/** Maps one record; on failure nothing of it is kept and the exception says why. */
	public void map(ObjectNode ev) {
		facts.record(() -> {
			mapRecord(ev, -1);
			for (var r : repeats.released()) {
				mapRecord(r.getKey(), r.getValue());
			}
		});
	}

	/** @param repeat which repeat of an identical record in the file this one is; -1: let {@link Repeats} say */
	private void mapRecord(ObjectNode ev, int repeat) {
		Redaction.redact(ev);
		String eventId = text(ev, "eventID");
		String time = ev.get("eventTime").asText();
		boolean insight = isInsight(ev);
		JsonNode names = insight ? ev.get("insightDetails") : ev;
		String name = names.get("eventName").asText();
		String source = names.get("eventSource").asText();
		// eventIDs are placeholders in some real data (and test data reuses them): the fingerprint adds what tells
		// two calls apart — who, from where, with which parameters — in a form every wrapper of the event keeps
		// (key order and the other fields may differ between S3, LookupEvents, EventBridge and Lake copies)
		JsonNode who = ev.path("userIdentity");
		String fingerprint = String.join("|", nz(eventId), Times.parse(time).toString(), source, name,
				nz(text(ev, "requestID")), nz(text(ev, "recipientAccountId")), nz(text(who, "arn")),
				nz(text(who, "principalId")), nz(text(ev, "sourceIPAddress")), Fingerprint.sorted(ev.get("requestParameters")),
				nz(text(ev, "errorCode")), nz(text(ev.path("responseElements"), "ConsoleLogin"))
						+ nz(text(ev.path("responseElements"), "PasswordUpdated")),
				Fingerprint.sorted(ev.get("additionalEventData")),
				eventId == null ? canonical(ev) : "");
		Node e = Ids.event(fingerprint);
		int n = repeat >= 0 ? repeat : repeats.repeat(eventId, e.getURI(), ev);
		if (n > 0) {
			e = Ids.event(fingerprint + "|repeat " + n);
		}
		add(e, RDF.type.asNode(), insight ? Loupe.InsightEvent : Loupe.ApiCall);
		add(e, Loupe.eventName, lit(name));
		add(e, Loupe.eventSource, lit(source));
		// times without a zone (log pipelines write "2024-11-25 17:51:21.000000000") are UTC, as CloudTrail's are
		add(e, Loupe.eventTime, FactBuffer.time(Times.parse(time)));
		if (eventId != null) {
			add(e, Loupe.eventId, lit(eventId));
		}
		Node region = region(text(ev, "awsRegion"));
		if (region != null) {
			add(e, Loupe.inRegion, region);
		}
		String error = text(ev, "errorCode");
		if (error != null) {
			add(e, Loupe.errorCode, lit(error));
		}
		String recipient = text(ev, "recipientAccountId");
		Node recipientAccount = account(recipient);
		if (recipientAccount != null) {
			add(e, Loupe.account, recipientAccount);
		}
		Node actor = actor(ev.path("userIdentity"));
		if (actor != null) {
			add(e, Loupe.actor, actor);
		}
		for (Node t : resources.targets(ev, recipient, region)) {
			add(e, Loupe.target, t);
		}
		deployments.of(ev, e, recipient, region);
		Node trailBucket = resources.trailBucket(ev);
		if (trailBucket != null) {
			add(e, Loupe.trailBucket, trailBucket);
		}
		sessions.assumed(ev, e, actor);
		String keyId = text(ev.path("userIdentity"), "accessKeyId");
		if (keyId != null) {
			Node key = Ids.accessKey(keyId);
			add(e, Loupe.accessKey, key);
			if (describe(key, Loupe.AccessKey, Loupe.accessKeyId, keyId, keyId) && actor != null) {
				add(key, Loupe.keyOf, actor);
			}
		}
		createdKey(ev, actor);
		source(ev, e);
		String ua = text(ev, "userAgent");
		if (ua != null) {
			add(e, Loupe.userAgent, facts.userAgent(ua));
		}
		for (String q : Qualifiers.of(ev)) {
			add(e, Loupe.qualifier, lit(q));
		}
		for (String a : Grantees.of(ev, name, ev.path("requestParameters"))) {
			add(e, Loupe.grantee, account(a));
		}
		add(e, Loupe.rawRecord, lit(canonical(ev)));
	}

	/** A key made for another user (CreateAccessKey with a userName that is not the caller's) remembers its maker. */
	private void createdKey(ObjectNode ev, Node actor) {
		JsonNode made = ev.path("responseElements").path("accessKey");
		String keyId = text(made, "accessKeyId");
		String user = text(made, "userName");
		if (!"CreateAccessKey".equals(text(ev, "eventName")) || keyId == null || user == null || actor == null
				|| user.equals(text(ev.path("userIdentity"), "userName"))) {
			return;
		}
		Node key = Ids.accessKey(keyId);
		describe(key, Loupe.AccessKey, Loupe.accessKeyId, keyId, keyId);
		add(key, Loupe.createdBy, actor);
		String account = text(ev, "recipientAccountId");
		if (account != null) {
			add(key, Loupe.keyOf, iamUser(account, user));
		}
	}

	private void source(ObjectNode ev, Node e) {
		String raw = text(ev, "sourceIPAddress");
		if (raw == null) {
			return;
		}
		Node n = facts.ip(raw);
		if (n == null) {
			add(e, Loupe.sourceHost, lit(raw));
		} else {
			add(e, Loupe.sourceIp, n);
		}
	}

	private Node actor(JsonNode id) {
		Node known = knownActor(id);
		if (known != null) {
			return known;
		}
		String principalId = text(id, "principalId");
		String account = text(id, "accountId");
		if (principalId != null) {
			// the identity names neither ARN nor user: its principal ID still tells actors apart
			return principal(null, Loupe.Principal, principalId, account, Ids.arn("principal-id:" + principalId));
		}
		String type = text(id, "type");
		String name = text(id, "userName");
		if (type == null || name == null) {
			return null;
		}
		// trimmed records (pipelines, tests) may keep only the type and a name: still someone whose calls are signals
		return principal(null, Loupe.Principal, name, account,
				Ids.arn("user-name:" + type + ":" + (account == null ? "" : account) + ":" + name));
	}

	private Node knownActor(JsonNode id) {
		String type = text(id, "type");
		String arn = text(id, "arn");
		String accountId = text(id, "accountId");
		if (type == null) {
			return null;
		}
		switch (type) {
		case "IAMUser":
			// pipelines and tests sometimes keep only the user name: the ARN is then what IAM would give
			String user = text(id, "userName");
			String userArn = arn != null ? arn : user != null && accountId != null ? "arn:aws:iam::" + accountId + ":user/" + user : null;
			return userArn == null ? null : withId(principal(userArn, Loupe.IamUser, user, accountId), id);
		case "Root":
			return root(arn != null ? arn : "arn:aws:iam::" + accountId + ":root", accountId);
		case "FederatedUser":
			return arn == null ? null : federated(id, arn, accountId);
		case "AssumedRole":
			if (arn == null) {
				// without the session's ARN, the role it belongs to is the best name left
				String roleArn = text(id.path("sessionContext").path("sessionIssuer"), "arn");
				return roleArn == null ? null : principal(roleArn, Loupe.IamRole,
						text(id.path("sessionContext").path("sessionIssuer"), "userName"), accountId);
			}
			return session(id, arn, accountId);
		case "AWSService":
			String svc = text(id, "invokedBy");
			return svc == null ? null : principal(null, Loupe.ServicePrincipal, svc, null, Ids.servicePrincipal(svc));
		case "AWSAccount":
			// a cross-account call as the called account records it: the caller's account and the caller's principal
			// ID, which tells callers apart (the account alone would make one identity of everyone in it) and matches
			// the ARN'd principal the caller's own trail records with that ID (40-correlation-keys.ru)
			String callerId = text(id, "principalId");
			return callerId == null ? account(accountId)
					: withId(principal(null, Loupe.Principal, callerId, accountId, Ids.arn("principal-id:" + callerId)), id);
		default:
			return arn == null ? null : principal(arn, Loupe.Principal, lastPart(arn), accountId);
		}
	}

	private Node session(JsonNode id, String arn, String accountId) {
		// arn:aws:sts::123456789012:assumed-role/RoleName/session-name
		Node s = withId(principal(arn, Loupe.RoleSession, sessionLabel(arn), accountId), id);
		String roleArn = text(id.path("sessionContext").path("sessionIssuer"), "arn");
		if (roleArn != null) {
			Node role = principal(roleArn, Loupe.IamRole, text(id.path("sessionContext").path("sessionIssuer"), "userName"),
					accountId);
			add(s, Loupe.sessionOf, role);
		}
		String name = arn.substring(arn.lastIndexOf('/') + 1);
		if (Qualifiers.isInstanceSession(name)) {
			// EC2 names an instance profile's session after the instance: findings about the instance meet its calls
			add(s, Loupe.ofInstance, facts.resource("ec2-instance", Loupe.Ec2Instance, Loupe.instanceId, name, accountId, null));
		} else if (FactBuffer.isEcsTaskId(name)) {
			// and ECS a task role's after the task: the call that started the task meets it (Deployments)
			add(s, Loupe.ofTask, facts.ecsTask(name, accountId, null));
		}
		return s;
	}

	/**
	 * A federation token's user. CloudTrail names the user (or root) that called GetFederationToken as the session's
	 * issuer: the principal behind it, as for a role session, so that what the token's holder does is that
	 * principal's story (a token outlives the key that made it, which is why intruders make one).
	 */
	private Node federated(JsonNode id, String arn, String accountId) {
		Node f = principal(arn, Loupe.FederatedUser, lastPart(arn), accountId);
		JsonNode issuer = id.path("sessionContext").path("sessionIssuer");
		String issuerArn = text(issuer, "arn");
		if (issuerArn != null && !issuerArn.equals(arn)) {
			String issuerAccount = Sessions.accountOf(issuerArn);
			boolean root = "Root".equals(text(issuer, "type")) || issuerArn.endsWith(":root");
			add(f, Loupe.assumedBy, root ? root(issuerArn, issuerAccount)
					: principal(issuerArn, Loupe.IamUser, issuerArn.substring(issuerArn.lastIndexOf('/') + 1), issuerAccount));
		}
		return f;
	}

	private Node root(String arn, String accountId) {
		return principal(arn, Loupe.RootUser, "root (" + accountId + ")", accountId);
	}

	/** The IAM user of that name in that account: the node its own calls have as their actor. */
	Node iamUser(String accountId, String userName) {
		return principal("arn:aws:iam::" + accountId + ":user/" + userName, Loupe.IamUser, userName, accountId);
	}

	Node principal(String arn, Node type, String label, String accountId) {
		return principal(arn, type, label, accountId, Ids.arn(arn));
	}

	private Node principal(String arn, Node type, String label, String accountId, Node n) {
		return facts.principal(n, type, arn, label, accountId);
	}

	private Node region(String name) {
		return facts.region(name);
	}

	/** The account entity, or null when the text is not a 12-digit account ID (e.g. "ANONYMOUS_PRINCIPAL"). */
	Node account(String accountId) {
		return facts.account(accountId);
	}

	/** @see FactBuffer#describe */
	boolean describe(Node n, Node type, Node idProperty, String id, String label) {
		return facts.describe(n, type, idProperty, id, label);
	}

	Node resource(String kind, Node type, Node idProperty, String id, String accountId, Node region) {
		return facts.resource(kind, type, idProperty, id, accountId, region);
	}

	Node ecsTask(String id, String accountId, Node region) {
		return facts.ecsTask(id, accountId, region);
	}

	static String sessionLabel(String arn) {
		int slash = arn.indexOf('/');
		return slash < 0 ? arn : arn.substring(slash + 1);
	}

	private static String lastPart(String arn) {
		int i = Math.max(arn.lastIndexOf('/'), arn.lastIndexOf(':'));
		return i < 0 ? arn : arn.substring(i + 1);
	}

	void add(Node s, Node p, Node o) {
		facts.add(s, p, o);
	}

	/** The principal, with the principal ID its identity gives (once per file). */
	private Node withId(Node principal, JsonNode id) {
		String principalId = text(id, "principalId");
		if (principalId != null) {
			facts.addOnce(principal, Loupe.principalId, lit(principalId));
		}
		return principal;
	}

	static Node lit(String s) {
		return FactBuffer.lit(s);
	}

	private static String nz(String s) {
		return s == null ? "" : s;
	}

	/**
	 * Whether the call failed: an error code that says something. Pipelines that flatten records into columns
	 * write an empty error code for a call that succeeded.
	 */
	static boolean failed(JsonNode ev) {
		JsonNode v = ev.get("errorCode");
		return v != null && !v.isNull() && !(v.isTextual() && v.asText().isBlank());
	}

	static String text(JsonNode n, String field) {
		JsonNode v = n.get(field);
		return v != null && v.isTextual() && !v.asText().isEmpty() ? v.asText() : null;
	}

	private static String canonical(ObjectNode ev) {
		try {
			return CloudTrailReader.JSON.writeValueAsString(ev);
		} catch (JsonProcessingException e) {
			throw new IllegalStateException("a parsed JSON tree always serialises", e);
		}
	}
}
