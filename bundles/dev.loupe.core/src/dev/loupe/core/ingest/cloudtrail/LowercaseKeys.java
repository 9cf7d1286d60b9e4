package dev.loupe.core.ingest.cloudtrail;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * CloudTrail events whose field names were lowercased on the way: tables that fold column names (Athena's
 * CloudTrail table, Snowflake and the data lakes built on it, such as Panther's) give {@code eventname},
 * {@code useridentity.sessioncontext.sessionissuer.username}, and keep the request and response as JSON text.
 * CloudTrail's own names are put back on its own fields; what a service wrote inside the request and response
 * keeps its names, as those columns hold it unchanged.
 */
final class LowercaseKeys {
	private static final String[] NAMES = { "eventVersion", "userIdentity", "eventTime", "eventSource", "eventName", "awsRegion",
			"sourceIPAddress", "userAgent", "errorCode", "errorMessage", "requestParameters", "responseElements",
			"additionalEventData", "requestID", "eventID", "readOnly", "resources", "eventType", "apiVersion", "managementEvent",
			"recipientAccountId", "sharedEventID", "vpcEndpointId", "vpcEndpointAccountId", "eventCategory", "tlsDetails",
			"serviceEventDetails", "sessionCredentialFromConsole", "edgeDeviceDetails", "insightDetails",
			// userIdentity and what it holds
			"type", "principalId", "arn", "accountId", "accessKeyId", "userName", "invokedBy", "sessionContext", "attributes",
			"creationDate", "mfaAuthenticated", "sessionIssuer", "webIdFederationData", "federatedProvider", "sourceIdentity",
			"ec2RoleDelivery", "onBehalfOf", "userId", "identityStoreArn", "identityProvider", "credentialId", "inScopeOf",
			"issuerType", "credentialsIssuedTo",
			// tlsDetails (a resource's ARN, in capitals, is put back in resources only)
			"tlsVersion", "cipherSuite", "clientProvidedHostHeader" };
	private static final Map<String, String> CANONICAL = new HashMap<>();
	/** Columns that hold what a service wrote: JSON text in these tables, its names unchanged. */
	private static final Set<String> SERVICE_DATA = Set.of("requestParameters", "responseElements", "additionalEventData",
			"serviceEventDetails", "insightDetails", "edgeDeviceDetails");

	static {
		for (String n : NAMES) {
			CANONICAL.put(n.toLowerCase(Locale.ROOT), n);
		}
	}

	private LowercaseKeys() {
	}

	/** Whether the event's names were folded: it has eventname or eventsource and not CloudTrail's own. */
	static boolean folded(ObjectNode event) {
		return !event.has("eventSource") && !event.has("eventName") && (event.has("eventsource") || event.has("eventname"));
	}

	/** The event with CloudTrail's names on its own fields. */
	static ObjectNode restored(ObjectNode event) {
		return restored(event, false);
	}

	/** @param resource whether {@code o} is one of the event's resources, whose ARN is named in capitals */
	private static ObjectNode restored(ObjectNode o, boolean resource) {
		ObjectNode out = o.objectNode();
		o.properties().forEach(e -> {
			String name = resource && e.getKey().equals("arn") ? "ARN" : CANONICAL.getOrDefault(e.getKey(), e.getKey());
			JsonNode v = e.getValue();
			out.set(name, SERVICE_DATA.contains(name) ? Envelopes.nested(v) : restoredValue(v, name.equals("resources")));
		});
		return out;
	}

	private static JsonNode restoredValue(JsonNode v, boolean resources) {
		if (v instanceof ObjectNode o) {
			return restored(o, false);
		}
		if (v instanceof ArrayNode a) {
			ArrayNode out = a.arrayNode();
			a.forEach(item -> out.add(item instanceof ObjectNode o ? restored(o, resources) : restoredValue(item, false)));
			return out;
		}
		return v;
	}
}
