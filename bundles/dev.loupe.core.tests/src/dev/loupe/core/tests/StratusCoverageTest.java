package dev.loupe.core.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import org.eclipse.core.runtime.NullProgressMonitor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.loupe.core.reason.Findings;
import dev.loupe.core.reason.Reasoner;
import dev.loupe.core.reason.RuleSet;
import dev.loupe.core.store.EvidenceStore;

/**
 * Each of the 35 Stratus Red Team recordings, ingested alone, raises a signal with the technique's ATT&CK ID:
 * the one Stratus names in index.yaml where it names one, otherwise the closest ATT&CK Enterprise technique
 * (ontology/detectors-cloudtrail.ttl says which). The test prints the coverage table.
 */
class StratusCoverageTest {
	static final Map<String, String> EXPECTED = new TreeMap<>(Map.ofEntries(
			Map.entry("aws.credential-access.ec2-get-password-data", "T1552"),
			Map.entry("aws.credential-access.ec2-steal-instance-credentials", "T1552.005"),
			Map.entry("aws.credential-access.secretsmanager-batch-retrieve-secrets", "T1555.006"),
			Map.entry("aws.credential-access.secretsmanager-retrieve-secrets", "T1555.006"),
			Map.entry("aws.credential-access.ssm-retrieve-securestring-parameters", "T1555.006"),
			Map.entry("aws.defense-evasion.cloudtrail-delete", "T1562.008"),
			Map.entry("aws.defense-evasion.cloudtrail-event-selectors", "T1562.008"),
			Map.entry("aws.defense-evasion.cloudtrail-stop", "T1562.008"),
			Map.entry("aws.defense-evasion.dns-delete-logs", "T1562.008"),
			Map.entry("aws.defense-evasion.organizations-leave", "T1666"),
			Map.entry("aws.defense-evasion.vpc-remove-flow-logs", "T1562.008"),
			Map.entry("aws.discovery.ec2-download-user-data", "T1580"),
			Map.entry("aws.execution.ec2-launch-unusual-instances", "T1496"),
			Map.entry("aws.execution.ec2-user-data", "T1059.009"),
			Map.entry("aws.execution.ssm-send-command", "T1651"),
			Map.entry("aws.execution.ssm-start-session", "T1651"),
			Map.entry("aws.exfiltration.ec2-security-group-open-port-22-ingress", "T1562.007"),
			Map.entry("aws.exfiltration.ec2-share-ami", "T1537"),
			Map.entry("aws.exfiltration.ec2-share-ebs-snapshot", "T1578.001"),
			Map.entry("aws.exfiltration.rds-share-snapshot", "T1496"),
			Map.entry("aws.impact.bedrock-invoke-model", "T1496.004"),
			Map.entry("aws.initial-access.console-login-without-mfa", "T1078"),
			Map.entry("aws.lateral-movement.ec2-instance-connect", "T1021.008"),
			Map.entry("aws.lateral-movement.ec2-serial-console-send-ssh-public-key", "T1021.008"),
			Map.entry("aws.persistence.iam-backdoor-role", "T1098.003"),
			Map.entry("aws.persistence.iam-backdoor-user", "T1098.001"),
			Map.entry("aws.persistence.iam-create-admin-user", "T1136.003"),
			Map.entry("aws.persistence.iam-create-backdoor-role", "T1098.003"),
			Map.entry("aws.persistence.iam-create-user-login-profile", "T1098.001"),
			Map.entry("aws.persistence.lambda-backdoor-function", "T1546"),
			Map.entry("aws.persistence.lambda-layer-extension", "T1546"),
			Map.entry("aws.persistence.lambda-overwrite-code", "T1525"),
			Map.entry("aws.persistence.rolesanywhere-create-trust-anchor", "T1098"),
			Map.entry("aws.persistence.sts-federation-token", "T1098.001"),
			Map.entry("aws.privilege-escalation.iam-update-user-login-profile", "T1098.001")));

	@Test
	void everyTechniqueRaisesASignalWithItsAttackId(@TempDir Path dir) throws IOException {
		assertEquals(35, EXPECTED.size());
		RuleSet rules = RuleSet.load(null);
		List<String> table = new ArrayList<>();
		List<String> missing = new ArrayList<>();
		int i = 0;
		for (Map.Entry<String, String> t : EXPECTED.entrySet()) {
			try (EvidenceStore store = EvidenceStore.open(dir.resolve("s" + i++))) {
				IngestTest.ingest(store, Fixtures.stratus(t.getKey()));
				new Reasoner(store).run(rules, new NullProgressMonitor());
				List<Findings.Signal> signals = new Findings(store).signals("en");
				String found = signals.stream().map(s -> s.technique() + " " + s.eventName()).distinct().sorted()
						.collect(Collectors.joining(", "));
				boolean ok = signals.stream().anyMatch(s -> t.getValue().equals(s.technique()));
				table.add(String.format("%-62s %-10s %s %s", t.getKey(), t.getValue(), ok ? "yes" : "NO ", found));
				if (!ok) {
					missing.add(t.getKey() + " expected " + t.getValue() + ", got [" + found + "]");
				}
			}
		}
		System.out.println("Stratus Red Team coverage (technique, expected ATT&CK ID, signalled, signals):");
		table.forEach(System.out::println);
		assertEquals(List.of(), missing);
	}
}
