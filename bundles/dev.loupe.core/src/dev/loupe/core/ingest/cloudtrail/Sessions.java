package dev.loupe.core.ingest.cloudtrail;

import java.util.Set;

import org.apache.jena.graph.Node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.loupe.core.vocab.Ids;
import dev.loupe.core.vocab.Loupe;

/**
 * Role assumptions: the session an AssumeRole call created, who assumed it (also across accounts), which
 * role, and the temporary access key it was given; likewise the federated user a GetFederationToken call made.
 * This is what links an ASIA key seen later back to the
 * principal behind it.
 */
final class Sessions {
	private static final Set<String> ASSUME = Set.of("AssumeRole", "AssumeRoleWithSAML", "AssumeRoleWithWebIdentity");
	private final CloudTrailMapper mapper;

	Sessions(CloudTrailMapper mapper) {
		this.mapper = mapper;
	}

	void assumed(ObjectNode ev, Node call, Node actor) {
		String name = CloudTrailMapper.text(ev, "eventName");
		if ("GetFederationToken".equals(name) && !CloudTrailMapper.failed(ev)) {
			federated(ev, call, actor);
			return;
		}
		if (name == null || !ASSUME.contains(name) || CloudTrailMapper.failed(ev)) {
			return;
		}
		JsonNode response = ev.path("responseElements");
		String sessionArn = CloudTrailMapper.text(response.path("assumedRoleUser"), "arn");
		if (sessionArn == null) {
			return;
		}
		Node session = mapper.principal(sessionArn, Loupe.RoleSession, CloudTrailMapper.sessionLabel(sessionArn),
				accountOf(sessionArn));
		madeBy(session, actor, call);
		JsonNode request = ev.path("requestParameters");
		String roleArn = CloudTrailMapper.text(request, "roleArn");
		if (roleArn != null) {
			mapper.add(session, Loupe.sessionOf, mapper.principal(roleArn, Loupe.IamRole,
					roleArn.substring(roleArn.lastIndexOf('/') + 1), accountOf(roleArn)));
		}
		String sourceIdentity = CloudTrailMapper.text(request, "sourceIdentity");
		if (sourceIdentity != null) {
			mapper.add(session, Loupe.sourceIdentity, CloudTrailMapper.lit(sourceIdentity));
		}
		temporaryKey(response, session);
	}

	/** A federation token: the federated user it made, who asked for it, and its temporary access key. */
	private void federated(ObjectNode ev, Node call, Node actor) {
		JsonNode response = ev.path("responseElements");
		String arn = CloudTrailMapper.text(response.path("federatedUser"), "arn");
		if (arn == null) {
			return;
		}
		Node user = mapper.principal(arn, Loupe.FederatedUser, arn.substring(arn.lastIndexOf('/') + 1), accountOf(arn));
		madeBy(user, actor, call);
		temporaryKey(response, user);
	}

	/** Who made the session (or federated user), and in which call. */
	private void madeBy(Node made, Node actor, Node call) {
		if (actor != null) {
			mapper.add(made, Loupe.assumedBy, actor);
		}
		mapper.add(made, Loupe.assumedIn, call);
	}

	/** The temporary access key the response gave, as the made principal's. */
	private void temporaryKey(JsonNode response, Node owner) {
		String keyId = CloudTrailMapper.text(response.path("credentials"), "accessKeyId");
		if (keyId != null) {
			Node key = Ids.accessKey(keyId);
			mapper.describe(key, Loupe.AccessKey, Loupe.accessKeyId, keyId, keyId);
			mapper.add(key, Loupe.keyOf, owner);
		}
	}

	/** arn:partition:service:region:ACCOUNT:resource */
	static String accountOf(String arn) {
		String[] parts = arn.split(":", 6);
		return parts.length > 4 && !parts[4].isEmpty() ? parts[4] : null;
	}
}
