package dev.loupe.core.vocab;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import org.apache.jena.graph.Node;
import org.apache.jena.graph.NodeFactory;

/**
 * Deterministic IRIs from stable identifiers, so that ingesting the same evidence twice, or on two machines,
 * names every entity the same way. Identifiers that may hold characters not allowed in IRIs are hashed.
 */
public final class Ids {
	public static final String INFERRED_GRAPH = "urn:loupe:graph:inferred";
	public static final String ANNOTATIONS_GRAPH = "urn:loupe:graph:annotations";
	public static final String DETECTORS_GRAPH = "urn:loupe:graph:detectors";
	public static final String ONTOLOGY_GRAPH = "urn:loupe:graph:ontology";
	/** Derived from the source graphs (see dev.loupe.core.store.Summaries). */
	public static final String SUMMARY_GRAPH = "urn:loupe:graph:summary";
	/** The autonomous systems of the evidence's addresses, from a table (see dev.loupe.core.store.AsnGraph). */
	public static final String NETWORKS_GRAPH = "urn:loupe:graph:networks";

	private Ids() {
	}

	public static Node inferredGraph() {
		return NodeFactory.createURI(INFERRED_GRAPH);
	}

	public static Node ontologyGraph() {
		return NodeFactory.createURI(ONTOLOGY_GRAPH);
	}

	public static Node summaryGraph() {
		return NodeFactory.createURI(SUMMARY_GRAPH);
	}

	public static Node networksGraph() {
		return NodeFactory.createURI(NETWORKS_GRAPH);
	}

	public static Node detectorsGraph() {
		return NodeFactory.createURI(DETECTORS_GRAPH);
	}

	/** A source graph is named by the SHA-256 of its raw bytes: the same file ingested twice is one graph. */
	public static Node sourceGraph(String sha256Hex) {
		return NodeFactory.createURI("urn:loupe:source:" + sha256Hex);
	}

	public static Node account(String accountId) {
		return NodeFactory.createURI("urn:loupe:aws:account:" + accountId);
	}

	/** ARNs only contain IRI-safe characters (IAM names allow letters, digits and +=,.@_-/:). */
	public static Node arn(String arn) {
		return NodeFactory.createURI("urn:loupe:" + (isIriSafe(arn) ? arn : "arn-sha256:" + sha256(arn)));
	}

	public static Node accessKey(String keyId) {
		return NodeFactory.createURI("urn:loupe:aws:access-key:" + (isIriSafe(keyId) ? keyId : sha256(keyId)));
	}

	public static Node servicePrincipal(String service) {
		return NodeFactory.createURI("urn:loupe:aws:service:" + (isIriSafe(service) ? service : sha256(service)));
	}

	public static Node region(String name) {
		return NodeFactory.createURI("urn:loupe:aws:region:" + (isIriSafe(name) ? name : sha256(name)));
	}

	/** Resources by kind and ID; IDs are unique within an account, so the account is part of the IRI. */
	public static Node resource(String kind, String accountId, String id) {
		String local = accountId + ":" + id;
		return NodeFactory.createURI("urn:loupe:aws:" + kind + ":" + (isIriSafe(local) ? local : sha256(local)));
	}

	/** Bucket names are global across accounts. */
	public static Node bucket(String name) {
		return NodeFactory.createURI("urn:loupe:aws:s3-bucket:" + (isIriSafe(name) ? name : sha256(name)));
	}

	/** Kubernetes objects by kind within a cluster (the cluster may be unknown: "" then). */
	public static Node kubernetes(String kind, String cluster, String name) {
		return NodeFactory.createURI("urn:loupe:k8s:" + kind + ":" + sha256((cluster == null ? "" : cluster) + "\n" + name).substring(0, 40));
	}

	/** A DNS name, lower case and without the final dot. */
	public static Node domain(String canonicalName) {
		return NodeFactory.createURI("urn:loupe:domain:" + (isIriSafe(canonicalName) ? canonicalName : sha256(canonicalName)));
	}

	public static Node autonomousSystem(String asn) {
		return NodeFactory.createURI("urn:loupe:asn:" + asn);
	}

	/** How an autonomous system is labelled, whoever names it (GuardDuty, a table): "AS16509 Amazon.com, Inc.". */
	public static String autonomousSystemLabel(String asn, String organisation) {
		return "AS" + asn + (organisation == null || organisation.isEmpty() ? "" : " " + organisation);
	}

	/** A signal a finding reports (GuardDuty attack sequences), within that finding. */
	public static Node reportedSignal(String finding, String uid) {
		return NodeFactory.createURI("urn:loupe:reported-signal:" + sha256(finding + "\n" + uid).substring(0, 40));
	}

	public static Node ip(String canonicalAddress) {
		return NodeFactory.createURI("urn:loupe:ip:" + canonicalAddress);
	}

	public static Node userAgent(String ua) {
		return NodeFactory.createURI("urn:loupe:user-agent:" + sha256(ua).substring(0, 32));
	}

	public static Node event(String fingerprint) {
		return NodeFactory.createURI("urn:loupe:event:" + sha256(fingerprint).substring(0, 40));
	}

	public static Node signal(String fingerprint) {
		return NodeFactory.createURI("urn:loupe:signal:" + sha256(fingerprint).substring(0, 40));
	}

	/** A summary written at ingest (see SourceSummary): the same parts give the same IRI in every source. */
	public static Node summary(String kind, String... parts) {
		return NodeFactory.createURI("urn:loupe:" + kind + ":" + sha256(String.join("\n", parts)).substring(0, 40));
	}

	static boolean isIriSafe(String s) {
		if (s.isEmpty()) {
			return false;
		}
		for (int i = 0; i < s.length(); i++) {
			char c = s.charAt(i);
			boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
					|| "+=,.@_-/:*".indexOf(c) >= 0;
			if (!ok) {
				return false;
			}
		}
		return true;
	}

	public static String sha256(String text) {
		return HexFormat.of().formatHex(digest().digest(text.getBytes(StandardCharsets.UTF_8)));
	}

	public static MessageDigest digest() {
		try {
			return MessageDigest.getInstance("SHA-256");
		} catch (NoSuchAlgorithmException e) {
			throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
		}
	}
}
