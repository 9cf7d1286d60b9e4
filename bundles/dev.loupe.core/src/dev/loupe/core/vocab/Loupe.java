package dev.loupe.core.vocab;

import org.apache.jena.graph.Node;
import org.apache.jena.graph.NodeFactory;

/**
 * IRIs of ontology/loupe.ttl as Jena nodes. A test checks every constant here against the ontology, so an IRI
 * is typed once in Java and once in the ontology, never again.
 */
public final class Loupe {
	public static final String NS = "https://w3id.org/loupe/ontology#";
	public static final String PROV = "http://www.w3.org/ns/prov#";
	public static final String RULE_NS = "https://w3id.org/loupe/rule/";

	// classes
	public static final Node Entity = term("Entity");
	public static final Node AwsAccount = term("AwsAccount");
	public static final Node Principal = term("Principal");
	public static final Node IamUser = term("IamUser");
	public static final Node IamRole = term("IamRole");
	public static final Node RoleSession = term("RoleSession");
	public static final Node RootUser = term("RootUser");
	public static final Node FederatedUser = term("FederatedUser");
	public static final Node ServicePrincipal = term("ServicePrincipal");
	public static final Node AccessKey = term("AccessKey");
	public static final Node IpAddress = term("IpAddress");
	public static final Node UserAgent = term("UserAgent");
	public static final Node Evidence = term("Evidence");
	public static final Node ApiCall = term("ApiCall");
	public static final Node InsightEvent = term("InsightEvent");
	public static final Node EvidenceSource = term("EvidenceSource");
	public static final Node Detector = term("Detector");
	public static final Node ApiCallDetector = term("ApiCallDetector");
	public static final Node Signal = term("Signal");
	public static final Node AttackSequence = term("AttackSequence");
	public static final Node AttackTactic = term("AttackTactic");
	public static final Node AttackTechnique = term("AttackTechnique");
	public static final Node Rule = term("Rule");

	// properties
	public static final Node eventName = term("eventName");
	public static final Node eventSource = term("eventSource");
	public static final Node eventTime = term("eventTime");
	public static final Node eventId = term("eventId");
	public static final Node region = term("region");
	public static final Node errorCode = term("errorCode");
	public static final Node readOnly = term("readOnly");
	public static final Node rawRecord = term("rawRecord");
	public static final Node sourceHost = term("sourceHost");
	public static final Node actor = term("actor");
	public static final Node accessKey = term("accessKey");
	public static final Node sourceIp = term("sourceIp");
	public static final Node userAgent = term("userAgent");
	public static final Node account = term("account");
	public static final Node inAccount = term("inAccount");
	public static final Node sessionOf = term("sessionOf");
	public static final Node keyOf = term("keyOf");
	public static final Node arn = term("arn");
	public static final Node accountId = term("accountId");
	public static final Node accessKeyId = term("accessKeyId");
	public static final Node address = term("address");
	public static final Node userAgentString = term("userAgentString");
	public static final Node sha256 = term("sha256");
	public static final Node recordCount = term("recordCount");
	public static final Node errorCount = term("errorCount");
	public static final Node parseError = term("parseError");
	public static final Node format = term("format");
	public static final Node toolVersion = term("toolVersion");
	public static final Node matchEventSource = term("matchEventSource");
	public static final Node matchEventName = term("matchEventName");
	public static final Node technique = term("technique");
	public static final Node tactic = term("tactic");
	public static final Node attackId = term("attackId");
	public static final Node severity = term("severity");
	public static final Node detector = term("detector");
	public static final Node time = term("time");
	public static final Node endTime = term("endTime");
	public static final Node member = term("member");
	public static final Node sequenceType = term("sequenceType");
	public static final Node rule = term("rule");
	public static final Node explanation = term("explanation");
	public static final Node ocsfClassUid = term("ocsfClassUid");

	// PROV-O terms Loupe uses
	public static final Node provWasDerivedFrom = NodeFactory.createURI(PROV + "wasDerivedFrom");
	public static final Node provAtLocation = NodeFactory.createURI(PROV + "atLocation");
	public static final Node provGeneratedAtTime = NodeFactory.createURI(PROV + "generatedAtTime");

	private Loupe() {
	}

	private static Node term(String local) {
		return NodeFactory.createURI(NS + local);
	}
}
