package dev.loupe.core.ingest.cloudtrail;

import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The other accounts a call lets in ({@code loupe:grantee}): a resource policy's or a changed role trust's
 * principals, an image's or EBS snapshot's launch or volume permission, an RDS snapshot's restore attribute, a
 * resource share's principals, a KMS grant's grantee, a Lambda permission's principal, a bucket's replication
 * destination. Each is read where the call's qualifier is ({@link Policies}, {@link Qualifiers}, {@link Shares},
 * {@link ObjectWrites}). The linker meets such a call's signal with the signals of those accounts' principals in
 * this account's evidence: the intruder's own account at work on what was opened to it.
 */
final class Grantees {
	private static final String ACCOUNT_ID = "\\d{12}";

	private Grantees() {
	}

	/** The account whose evidence this is, else the caller's. */
	static String own(ObjectNode ev) {
		String own = CloudTrailMapper.text(ev, "recipientAccountId");
		return own != null ? own : ev.path("userIdentity").path("accountId").asText(null);
	}

	/** The accounts let in, other than the call's own; none for a refused call. */
	static Set<String> of(ObjectNode ev, String name, JsonNode rp) {
		if (name == null || CloudTrailMapper.failed(ev)) {
			return Set.of();
		}
		String own = own(ev);
		// (not a new role's trust: vendors' roles are made so, and their first scans would join the person who made it)
		Set<String> out = "CreateRole".equals(name) ? new TreeSet<>() : new TreeSet<>(Policies.foreignAccounts(ev, rp));
		for (String permission : new String[] { "launchPermission", "createVolumePermission" }) {
			Qualifiers.added(rp.path(permission)).forEach(item -> add(item.path("userId").asText(""), out));
		}
		if ("restore".equals(rp.path("attributeName").asText())) {
			rp.path("valuesToAdd").forEach(v -> add(v.asText(""), out));
		}
		if ("CreateResourceShare".equals(name) || "AssociateResourceShare".equals(name)) {
			out.addAll(Shares.otherAccounts(rp.path("principals"), own));
		}
		out.addAll(Shares.grantedAccounts(name, rp, own));
		if ("PutBucketReplication".equals(name)) {
			out.addAll(ObjectWrites.replicatedTo(rp, own));
		}
		if (own != null) {
			out.remove(own);
		}
		return out;
	}

	private static void add(String account, Set<String> out) {
		if (account.matches(ACCOUNT_ID)) {
			out.add(account);
		}
	}
}
