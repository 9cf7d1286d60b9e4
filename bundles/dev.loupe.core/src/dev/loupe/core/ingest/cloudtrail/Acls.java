package dev.loupe.core.ingest.cloudtrail;

import java.util.List;
import java.util.Locale;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Whether an S3 access control list in a request lets everyone read or write ("acl:public"): a canned ACL that
 * does (public-read, public-read-write, authenticated-read: any AWS account is anyone), or a grant to S3's
 * AllUsers or AuthenticatedUsers group, in a grant header ({@code x-amz-grant-read: uri=...}) or in the ACL
 * document CloudTrail records ({@code AccessControlPolicy.AccessControlList.Grant[].Grantee.URI}). The log delivery
 * group is no one outside.
 */
final class Acls {
	private static final Set<String> CALLS = Set.of("PutBucketAcl", "PutObjectAcl", "CreateBucket");
	private static final Set<String> PUBLIC_CANNED = Set.of("public-read", "public-read-write", "authenticated-read");
	private static final List<String> GROUPS = List.of("acs.amazonaws.com/groups/global/allusers",
			"acs.amazonaws.com/groups/global/authenticatedusers");

	private Acls() {
	}

	static void qualify(String name, JsonNode rp, List<String> q) {
		if (name == null || !CALLS.contains(name)) {
			return;
		}
		boolean open = false;
		for (JsonNode v : values(rp.path("x-amz-acl"))) {
			open |= PUBLIC_CANNED.contains(v.asText().strip().toLowerCase(Locale.ROOT));
		}
		// grant headers and the ACL document both name the group by its URI
		String text = rp.toString().toLowerCase(Locale.ROOT);
		open |= GROUPS.stream().anyMatch(text::contains);
		if (open) {
			q.add("acl:public");
		}
	}

	private static Iterable<JsonNode> values(JsonNode n) {
		return n.isArray() ? n : n.isMissingNode() || n.isNull() ? List.of() : List.of(n);
	}
}
