package dev.loupe.core.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.loupe.core.reason.Findings;
import dev.loupe.core.store.EvidenceStore;

/**
 * Buckets and objects opened to everyone by an access control list, in the request shapes CloudTrail records
 * (Panther's PutBucketAcl test record, whose canned ACL is private, and the same call with the ACL document or a
 * grant header): a canned public ACL or a grant to AllUsers or AuthenticatedUsers is a signal; a private ACL, a
 * grant to the log delivery group and a refused call are not.
 */
class PublicAclTest {
	static final String ALL_USERS = "http://acs.amazonaws.com/groups/global/AllUsers";

	@Test
	void anAclThatLetsEveryoneInIsASignal(@TempDir Path dir) throws IOException {
		ObjectNode base = null;
		for (String l : Files.readAllLines(Fixtures.datasets().resolve("panther-analysis/rule-tests/panther_rule_tests.AWS.CloudTrail.jsonl"))) {
			JsonNode t = ScenarioTest.JSON.readTree(l);
			if (t.at("/log/eventName").asText().equals("PutBucketAcl") && !t.at("/log").has("errorCode")) {
				base = (ObjectNode) t.get("log");
				break;
			}
		}
		assertNotNull(base, "Panther's PutBucketAcl test record");
		ArrayNode calls = ScenarioTest.JSON.createArrayNode();
		Instant t = Instant.parse("2025-08-01T03:00:00Z");
		calls.add(variant(base, 1, t, "private-canned", "PutBucketAcl"));
		ObjectNode canned = variant(base, 2, t.plusSeconds(60), "public-canned", "PutBucketAcl");
		((ObjectNode) canned.get("requestParameters")).putArray("x-amz-acl").add("public-read");
		calls.add(canned);
		ObjectNode document = variant(base, 3, t.plusSeconds(120), "all-users-grant", "PutBucketAcl");
		ObjectNode rp = (ObjectNode) document.get("requestParameters");
		rp.remove("x-amz-acl");
		ArrayNode grants = rp.putObject("AccessControlPolicy").putObject("AccessControlList").putArray("Grant");
		grants.addObject().put("Permission", "FULL_CONTROL").putObject("Grantee").put("xsi:type", "CanonicalUser").put("ID", "79a59df900b949e55d96a1e698fbaced");
		grants.addObject().put("Permission", "READ").putObject("Grantee").put("xsi:type", "Group").put("URI", ALL_USERS);
		calls.add(document);
		ObjectNode logs = variant(base, 4, t.plusSeconds(180), "log-delivery-grant", "PutBucketAcl");
		((ObjectNode) logs.get("requestParameters")).remove("x-amz-acl");
		((ObjectNode) logs.get("requestParameters")).putArray("x-amz-grant-write").add("uri=\"http://acs.amazonaws.com/groups/s3/LogDelivery\"");
		calls.add(logs);
		ObjectNode object = variant(base, 5, t.plusSeconds(240), "object-grant", "PutObjectAcl");
		((ObjectNode) object.get("requestParameters")).remove("x-amz-acl");
		((ObjectNode) object.get("requestParameters")).put("key", "exports/customers.csv").putArray("x-amz-grant-read").add("uri=" + ALL_USERS);
		calls.add(object);
		ObjectNode refused = variant(base, 6, t.plusSeconds(300), "refused", "PutBucketAcl");
		((ObjectNode) refused.get("requestParameters")).putArray("x-amz-acl").add("public-read-write");
		refused.put("errorCode", "AccessDenied").put("errorMessage", "Access Denied");
		calls.add(refused);
		try (EvidenceStore store = ScenarioTest.reasoned(dir, ScenarioTest.trail(dir, calls))) {
			List<String> signals = new Findings(store).signals("en").stream()
					.map(s -> s.detector().substring(s.detector().lastIndexOf('/') + 1) + " " + s.time()).toList();
			assertEquals(List.of("s3-acl-public 2025-08-01T03:01:00Z", "s3-acl-public 2025-08-01T03:02:00Z", "s3-object-acl-public 2025-08-01T03:04:00Z"),
					signals);
		}
	}

	private static ObjectNode variant(ObjectNode base, int n, Instant t, String bucket, String name) {
		ObjectNode e = base.deepCopy();
		e.put("eventID", "00000000-0000-0000-0000-00000000000" + n).put("requestID", "acl-" + n).put("eventTime", t.toString()).put("eventName", name);
		((ObjectNode) e.get("requestParameters")).put("bucketName", bucket);
		return e;
	}
}
