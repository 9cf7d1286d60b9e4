package dev.loupe.core.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.loupe.core.reason.Findings;
import dev.loupe.core.store.EvidenceStore;

/**
 * An EKS cluster seen from CloudTrail: its audit log switched off (a gap in the evidence until it is switched on
 * again, which a change of the endpoint alone does not do), its API endpoint opened to the internet, and IAM
 * principals made its administrators through access entries; a read-only access policy and an ordinary group are
 * not.
 */
class EksControlPlaneTest {
	private static final Instant T0 = Instant.parse("2025-07-01T10:00:00Z");
	private final ScenarioTest events = new ScenarioTest();
	private int minute;

	@Test
	void theAuditLogOffIsAGapAndAdministratorsGivenAreSignals(@TempDir Path dir) throws IOException {
		ArrayNode calls = ScenarioTest.JSON.createArrayNode();
		calls.add(call("UpdateClusterConfig", "{\"name\":\"shop\",\"logging\":{\"clusterLogging\":[{\"types\":[\"api\",\"audit\","
				+ "\"authenticator\"],\"enabled\":false}]}}"));
		calls.add(call("UpdateClusterConfig", "{\"name\":\"shop\",\"resourcesVpcConfig\":{\"endpointPublicAccess\":true,"
				+ "\"publicAccessCidrs\":[\"0.0.0.0/0\"]}}"));
		calls.add(call("AssociateAccessPolicy", "{\"clusterName\":\"shop\",\"principalArn\":\"arn:aws:iam::" + ScenarioTest.ACCOUNT
				+ ":user/mallory\",\"policyArn\":\"arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy\","
				+ "\"accessScope\":{\"type\":\"cluster\"}}"));
		calls.add(call("AssociateAccessPolicy", "{\"clusterName\":\"shop\",\"principalArn\":\"arn:aws:iam::" + ScenarioTest.ACCOUNT
				+ ":role/auditor\",\"policyArn\":\"arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy\","
				+ "\"accessScope\":{\"type\":\"cluster\"}}"));
		calls.add(call("CreateAccessEntry", "{\"clusterName\":\"shop\",\"principalArn\":\"arn:aws:iam::" + ScenarioTest.ACCOUNT
				+ ":role/backdoor\",\"kubernetesGroups\":[\"system:masters\"],\"type\":\"STANDARD\"}"));
		calls.add(call("CreateAccessEntry", "{\"clusterName\":\"shop\",\"principalArn\":\"arn:aws:iam::" + ScenarioTest.ACCOUNT
				+ ":role/ci\",\"kubernetesGroups\":[\"deployers\"],\"type\":\"STANDARD\"}"));
		calls.add(call("UpdateClusterConfig", "{\"name\":\"shop\",\"logging\":{\"clusterLogging\":[{\"types\":[\"api\",\"audit\","
				+ "\"authenticator\"],\"enabled\":true}]}}"));
		try (EvidenceStore store = ScenarioTest.reasoned(dir, ScenarioTest.trail(dir, calls))) {
			assertEquals(List.of("UpdateClusterConfig T1562.008 eks-audit-logging-disabled", "UpdateClusterConfig T1133 eks-public-endpoint",
					"AssociateAccessPolicy T1098.006 eks-admin-access-entry", "CreateAccessEntry T1098.006 eks-admin-access-entry"),
					new Findings(store).signals("en").stream().map(s -> s.eventName() + " " + s.technique() + " "
							+ s.detector().substring(s.detector().lastIndexOf('/') + 1)).toList());
			// the gap ends when the audit log is switched on again, not at the endpoint's change in between
			assertEquals(List.of("EKS audit logs " + T0 + " " + T0.plus(6, ChronoUnit.MINUTES)), GuardDutyTest.select(store, "g",
					"GRAPH <urn:loupe:graph:inferred> { ?x a loupe:CoverageGap ; loupe:gapSource ?s ; loupe:time ?t ; loupe:endTime ?e }"
							+ " BIND (CONCAT(?s, ' ', STR(?t), ' ', STR(?e)) AS ?g)"));
		}
	}

	private ObjectNode call(String name, String request) throws IOException {
		ObjectNode e = events.call(T0.plus(minute++, ChronoUnit.MINUTES), "eks.amazonaws.com", name, ScenarioTest.user("mallory"),
				"203.0.113.77", "aws-cli/2.13.1 Python/3.11 Linux/6.5");
		e.set("requestParameters", ScenarioTest.JSON.readTree(request));
		return e;
	}
}
