package dev.loupe.core.ingest.cloudtrail;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Compute that cryptominers and model hijackers ask for: GPU, accelerated or very large instances
 * ("instance:unusual"), whether launched at once or asked for by a spot request, a fleet, a launch template, an
 * Auto Scaling group, an EKS node group, a Batch compute environment or a SageMaker notebook or job; and a raise of
 * a compute quota ("quota:compute"), which a fresh account or a stolen one needs before it can run many.
 * <p>
 * Each of these calls names the type somewhere else in its request, and EC2's newer calls write their keys in
 * PascalCase: every key named {@code instanceType} or {@code instanceTypes}, in any case and at any depth, is read.
 * Batch takes a family without a size ({@code p3}); SageMaker prefixes its types with {@code ml.}.
 */
final class Capacity {
	/** GPU, accelerated and very large families, with or without a size. */
	private static final Pattern UNUSUAL_TYPE = Pattern
			.compile("(p[2-6]|g[3-6]|inf[12]|trn[12]|dl[12]|x[12]|u[0-9a-z]*-|hpc)[a-z0-9-]*(\\..*)?");
	private static final Set<String> REQUESTS = Set.of("RunInstances", "RequestSpotInstances", "RequestSpotFleet", "CreateFleet",
			"CreateLaunchTemplate", "CreateLaunchTemplateVersion", "CreateAutoScalingGroup", "UpdateAutoScalingGroup", "CreateNodegroup",
			"CreateComputeEnvironment", "UpdateComputeEnvironment", "CreateNotebookInstance", "UpdateNotebookInstance", "CreateTrainingJob",
			"CreateProcessingJob", "CreateEndpointConfig", "ModifyInstanceAttribute");
	/** Services whose quotas bound what a miner or a model hijacker can spend. */
	private static final Set<String> COMPUTE_QUOTAS = Set.of("ec2", "sagemaker", "bedrock", "batch", "eks", "lambda");

	private Capacity() {
	}

	static void qualify(String name, JsonNode rp, List<String> q) {
		// (an Insights event has its name elsewhere; Set.of refuses to look a null up)
		if (name == null) {
			return;
		}
		if (REQUESTS.contains(name) && unusual(rp)) {
			q.add("instance:unusual");
		}
		if ("RequestServiceQuotaIncrease".equals(name) && COMPUTE_QUOTAS.contains(rp.path("serviceCode").asText("").toLowerCase(Locale.ROOT))) {
			q.add("quota:compute");
		}
	}

	static boolean unusualType(String type) {
		String t = type.toLowerCase(Locale.ROOT);
		return UNUSUAL_TYPE.matcher(t.startsWith("ml.") ? t.substring(3) : t).matches();
	}

	/** A type as text, or (some writers) as {"value": type}; a list's types are its items. */
	private static boolean unusual(JsonNode request) {
		return RequestFields.any(request, (key, value) -> {
			JsonNode type = value.isObject() ? value.path("value") : value;
			return ("instanceType".equalsIgnoreCase(key) || "instanceTypes".equalsIgnoreCase(key)) && type.isTextual()
					&& unusualType(type.asText());
		});
	}
}
