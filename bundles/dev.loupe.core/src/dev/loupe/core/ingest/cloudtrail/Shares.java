package dev.loupe.core.ingest.cloudtrail;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Resources handed to someone outside the account by Resource Access Manager ("share:external"), a KMS key or a
 * Lambda function another account's principal may use ("grant:foreign-account"), and a CodeBuild project whose
 * builds, logs and artifacts anyone may read ("visibility:public").
 * <p>
 * A share's principals are account IDs, IAM ARNs, organisation or OU ARNs, or service principals. Only accounts
 * count: an organisation's ARN names its management account, not a receiver. Whether another account is in the
 * organisation is not in the call, so a share to one is external unless the call says otherwise: a new share that
 * refuses outside principals ({@code allowExternalPrincipals: false}), or an association whose response marks
 * every principal as inside ({@code external: false}).
 */
final class Shares {
	private static final Pattern ACCOUNT = Pattern.compile("^(\\d{12})$|(?:^|:)iam::(\\d{12}):");

	private Shares() {
	}

	static void qualify(ObjectNode ev, String name, JsonNode rp, List<String> q) {
		if ("UpdateProjectVisibility".equals(name) && "PUBLIC_READ".equals(rp.path("projectVisibility").asText())) {
			q.add("visibility:public");
		}
		String own = Grantees.own(ev);
		if (own != null && !grantedAccounts(name, rp, own).isEmpty()) {
			q.add("grant:foreign-account");
		}
		if (!"CreateResourceShare".equals(name) && !"AssociateResourceShare".equals(name)) {
			return;
		}
		if (otherAccounts(rp.path("principals"), own).isEmpty()) {
			return;
		}
		if ("CreateResourceShare".equals(name) && !rp.path("allowExternalPrincipals").asBoolean(true)) {
			return;
		}
		JsonNode associations = ev.path("responseElements").path("resourceShareAssociations");
		boolean inside = associations.size() > 0;
		for (JsonNode a : associations) {
			inside &= a.has("external") && !a.path("external").asBoolean();
		}
		if (!inside) {
			q.add("share:external");
		}
	}

	/**
	 * The accounts other than {@code own} a KMS grant's grantee or a Lambda function's permission names: that
	 * account may use the key, or call the function. (A service principal, such as s3.amazonaws.com, is none.)
	 */
	static Set<String> grantedAccounts(String name, JsonNode rp, String own) {
		if ("CreateGrant".equals(name)) {
			return otherAccounts(List.of(rp.path("granteePrincipal")), own);
		}
		if (name != null && name.startsWith("AddPermission")) {
			return otherAccounts(List.of(rp.path("principal")), own);
		}
		return Set.of();
	}

	/** The accounts other than {@code own} among a share's principals (account IDs, or the accounts of IAM ARNs). */
	static Set<String> otherAccounts(Iterable<JsonNode> principals, String own) {
		Set<String> out = new TreeSet<>();
		for (JsonNode p : principals) {
			Matcher m = ACCOUNT.matcher(p.asText(""));
			if (m.find()) {
				String account = m.group(1) != null ? m.group(1) : m.group(2);
				if (!account.equals(own)) {
					out.add(account);
				}
			}
		}
		return out;
	}
}
