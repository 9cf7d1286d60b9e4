package dev.loupe.core.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.loupe.core.reason.Findings;
import dev.loupe.core.store.EvidenceStore;

/**
 * EKS's aws-auth ConfigMap changed to map an IAM role to system:masters (Stratus Red Team's
 * eks.persistence.backdoor-aws-auth-configmap) is a signal; EKS's own node manager writing it, reading it, and
 * another ConfigMap in kube-system are not.
 */
class AwsAuthConfigMapTest {
	static final Instant T = Instant.parse("2025-05-12T15:00:00Z");

	@Test
	void aRoleMappedIntoTheClusterIsASignal(@TempDir Path dir) throws IOException {
		int[] n = { 0 };
		ObjectNode backdoor = ScenarioTest.JSON.createObjectNode();
		backdoor.putObject("metadata").put("name", "aws-auth").put("namespace", "kube-system");
		backdoor.putObject("data").put("mapRoles", "- rolearn: arn:aws:iam::999988887777:role/stratus-backdoor\n  username: backdoor\n  groups:\n  - system:masters\n");
		String intruder = KubernetesDetectorsTest.CI_ARN;
		List<String> audit = List.of(
				KubernetesDetectorsTest.event(n, T, intruder, KubernetesDetectorsTest.KEY, KubernetesDetectorsTest.INTRUDER, "get", "configmaps", null,
						"kube-system", "aws-auth", 200, null),
				KubernetesDetectorsTest.event(n, T.plusSeconds(20), intruder, KubernetesDetectorsTest.KEY, KubernetesDetectorsTest.INTRUDER, "update",
						"configmaps", null, "kube-system", "aws-auth", 200, backdoor),
				KubernetesDetectorsTest.event(n, T.plusSeconds(40), "eks:node-manager", null, "10.0.0.12", "update", "configmaps", null,
						"kube-system", "aws-auth", 200, backdoor),
				KubernetesDetectorsTest.event(n, T.plusSeconds(60), intruder, KubernetesDetectorsTest.KEY, KubernetesDetectorsTest.INTRUDER, "patch",
						"configmaps", null, "kube-system", "coredns", 200, null));
		Path log = Files.write(dir.resolve("audit.jsonl"), audit);
		try (EvidenceStore store = ScenarioTest.reasoned(dir, log)) {
			List<Findings.Signal> signals = new Findings(store).signals("en");
			assertEquals(List.of("k8s-aws-auth-changed T1098.006 TA0003"), signals.stream()
					.map(s -> s.detector().substring(s.detector().lastIndexOf('/') + 1) + " " + s.technique() + " " + s.tactic()).toList());
		}
	}
}
