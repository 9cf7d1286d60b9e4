package dev.loupe.core.ingest;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.jena.graph.Node;

import dev.loupe.core.vocab.Ids;
import dev.loupe.core.vocab.Loupe;

/**
 * A principal named by its ARN alone, as other logs than CloudTrail name the caller (S3 server access logs' requester,
 * EKS's record of the AWS identity behind a Kubernetes request): the node CloudTrail gives the same principal, so the
 * logs meet. A role session comes with its role.
 */
public final class ArnPrincipals {
	private static final Pattern SESSION = Pattern.compile("^arn:aws[a-z-]*:sts::(\\d{12}):assumed-role/([^/]+)/(.+)$");
	private static final Pattern IAM = Pattern.compile("^arn:aws[a-z-]*:iam::(\\d{12}):(user|role|root)(/.*)?$");

	private ArnPrincipals() {
	}

	/** Whether {@code arn} names a user, role, role session or root of IAM. */
	public static boolean isIam(String arn) {
		return arn != null && (SESSION.matcher(arn).matches() || IAM.matcher(arn).matches());
	}

	/** The principal, described in {@code facts}' graph; any other ARN is a principal of its own. */
	public static Node of(FactBuffer facts, String arn) {
		Matcher s = SESSION.matcher(arn);
		if (s.matches()) {
			Node session = principal(facts, arn, Loupe.RoleSession, s.group(2) + "/" + s.group(3), s.group(1));
			facts.add(session, Loupe.sessionOf, principal(facts, "arn:aws:iam::" + s.group(1) + ":role/" + s.group(2), Loupe.IamRole,
					s.group(2), s.group(1)));
			return session;
		}
		Matcher i = IAM.matcher(arn);
		if (i.matches()) {
			return switch (i.group(2)) {
			case "user" -> principal(facts, arn, Loupe.IamUser, arn.substring(arn.lastIndexOf('/') + 1), i.group(1));
			case "role" -> principal(facts, arn, Loupe.IamRole, arn.substring(arn.lastIndexOf('/') + 1), i.group(1));
			default -> principal(facts, arn, Loupe.RootUser, "root (" + i.group(1) + ")", i.group(1));
			};
		}
		return principal(facts, arn, Loupe.Principal, arn.substring(Math.max(arn.lastIndexOf('/'), arn.lastIndexOf(':')) + 1), null);
	}

	private static Node principal(FactBuffer facts, String arn, Node type, String label, String account) {
		return facts.principal(Ids.arn(arn), type, arn, label, account);
	}
}
