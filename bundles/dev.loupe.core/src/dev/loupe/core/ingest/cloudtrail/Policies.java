package dev.loupe.core.ingest.cloudtrail;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Whom a resource policy in a request lets in: anyone ("policy:public": a statement that allows every principal
 * with no condition that narrows who may use it) or another account ("policy:foreign-account"). CloudTrail gives
 * the document as an object or as JSON text, under a name that depends on the service. An identity policy
 * (inline, or a managed policy's new version) that allows every action on every resource makes its holder an
 * administrator as AdministratorAccess does ("policy:admin"); so does one that allows every IAM action (its holder
 * grants itself the rest) or every action but a list that leaves IAM in.
 */
final class Policies {
	private static final ObjectMapper JSON = new ObjectMapper();
	/** (A role's trust policy is a resource policy too: UpdateAssumeRolePolicy's policyDocument, CreateRole's.) */
	private static final List<String> FIELDS = List.of("bucketPolicy", "policy", "policyText", "resourcePolicy", "accessPolicies",
			"policyDocument", "assumeRolePolicyDocument");
	/** Condition keys that limit a wildcard principal to a network, an organisation or known accounts. */
	private static final Set<String> NARROWING = Set.of("aws:sourceip", "aws:sourcevpc", "aws:sourcevpce", "aws:principalorgid",
			"aws:principalorgpaths", "aws:principalaccount", "aws:principalarn", "aws:sourceaccount", "aws:sourcearn",
			"aws:sourceorgid", "aws:sourceorgpaths", "aws:userid", "aws:username", "kms:calleraccount");
	private static final Pattern ACCOUNT = Pattern.compile("(?:^|:)(\\d{12})(?::|$)");

	private Policies() {
	}

	static void qualify(ObjectNode ev, JsonNode rp, List<String> q) {
		boolean open = false;
		for (JsonNode doc : documents(rp)) {
			for (JsonNode st : statements(doc)) {
				if ("Allow".equalsIgnoreCase(st.path("Effect").asText())) {
					open |= anyone(st.path("Principal")) && !narrowed(st.path("Condition"));
				}
			}
		}
		boolean foreign = !foreignAccounts(ev, rp).isEmpty();
		if (open) {
			q.add("policy:public");
		}
		// (IAM Identity Center's permission sets: an inline policy put on one)
		if (!q.contains("policy:admin") && (admin(rp.path("policyDocument")) || admin(rp.path("inlinePolicy")))) {
			q.add("policy:admin");
		}
		if (foreign) {
			q.add("policy:foreign-account");
		}
	}

	/** The accounts other than the caller's that a resource policy in the request allows in. */
	static Set<String> foreignAccounts(ObjectNode ev, JsonNode rp) {
		String own = Grantees.own(ev);
		Set<String> out = new java.util.TreeSet<>();
		for (JsonNode doc : documents(rp)) {
			for (JsonNode st : statements(doc)) {
				if (!"Allow".equalsIgnoreCase(st.path("Effect").asText())) {
					continue;
				}
				JsonNode principal = st.path("Principal");
				for (String account : accounts(principal.isObject() ? principal.path("AWS") : principal)) {
					if (own != null && !own.equals(account)) {
						out.add(account);
					}
				}
			}
		}
		return out;
	}

	/**
	 * Whether an identity policy document allows every action, or every IAM action, on every resource without a
	 * condition, or every action but some that leave IAM's in (NotAction).
	 */
	private static boolean admin(JsonNode document) {
		List<JsonNode> docs = new ArrayList<>();
		add(document, docs);
		for (JsonNode doc : docs) {
			for (JsonNode st : statements(doc)) {
				if (!"Allow".equalsIgnoreCase(st.path("Effect").asText()) || !st.path("Condition").isMissingNode()
						|| !holdsAny(st.path("Resource"), "*")) {
					continue;
				}
				JsonNode not = st.path("NotAction");
				if (holdsAny(st.path("Action"), "*", "*:*", "iam:*") || !not.isMissingNode() && !mentionsIam(not)) {
					return true;
				}
			}
		}
		return false;
	}

	private static boolean mentionsIam(JsonNode actions) {
		return values(actions).stream().map(v -> v.asText().toLowerCase(Locale.ROOT)).anyMatch(a -> a.startsWith("iam:") || a.equals("*"));
	}

	/** Whether a policy element (text or list) holds one of the wildcards. */
	private static boolean holdsAny(JsonNode element, String... wildcards) {
		return values(element).stream().anyMatch(v -> List.of(wildcards).contains(v.asText()));
	}

	/** A policy element's values: a list, or the one text. */
	private static List<JsonNode> values(JsonNode element) {
		List<JsonNode> values = new ArrayList<>();
		if (element.isArray()) {
			element.forEach(values::add);
		} else {
			values.add(element);
		}
		return values;
	}

	private static List<JsonNode> documents(JsonNode rp) {
		List<JsonNode> out = new ArrayList<>();
		for (String f : FIELDS) {
			add(rp.path(f), out);
		}
		add(rp.path("attributes").path("Policy"), out);
		return out;
	}

	private static void add(JsonNode v, List<JsonNode> out) {
		if (v.isObject()) {
			out.add(v);
		} else if (v.isTextual() && v.asText().strip().startsWith("{")) {
			try {
				out.add(JSON.readTree(v.asText()));
			} catch (JsonProcessingException e) {
				// not a policy document: nothing to qualify
			}
		}
	}

	private static List<JsonNode> statements(JsonNode doc) {
		JsonNode s = doc.path("Statement");
		List<JsonNode> out = new ArrayList<>();
		if (s.isArray()) {
			s.forEach(out::add);
		} else if (s.isObject()) {
			out.add(s);
		}
		return out;
	}

	private static boolean anyone(JsonNode principal) {
		if (principal.isTextual()) {
			return "*".equals(principal.asText());
		}
		JsonNode aws = principal.path("AWS");
		if (aws.isTextual()) {
			return "*".equals(aws.asText());
		}
		for (JsonNode a : aws) {
			if ("*".equals(a.asText())) {
				return true;
			}
		}
		return false;
	}

	private static boolean narrowed(JsonNode condition) {
		for (JsonNode operator : condition) {
			for (var keys = operator.fieldNames(); keys.hasNext();) {
				if (NARROWING.contains(keys.next().toLowerCase(Locale.ROOT))) {
					return true;
				}
			}
		}
		return false;
	}

	/** The accounts an AWS principal names: account IDs and the accounts of ARNs. */
	private static List<String> accounts(JsonNode aws) {
		List<String> out = new ArrayList<>();
		List<JsonNode> values = new ArrayList<>();
		if (aws.isArray()) {
			aws.forEach(values::add);
		} else {
			values.add(aws);
		}
		for (JsonNode v : values) {
			Matcher m = ACCOUNT.matcher(v.asText(""));
			if (m.find()) {
				out.add(m.group(1));
			}
		}
		return out;
	}
}
