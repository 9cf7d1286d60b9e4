package dev.loupe.core.ingest.cloudtrail;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Qualifiers of EKS control-plane calls that hide or hand over a cluster: its audit log switched off (or on again,
 * which ends the gap), an IAM principal given the cluster's administrator through an access entry (the
 * AmazonEKSClusterAdminPolicy or AmazonEKSAdminPolicy access policy, or the system:masters group), and the API
 * endpoint opened to the whole internet.
 */
final class EksSettings {
	private EksSettings() {
	}

	static void qualify(String name, JsonNode rp, List<String> q) {
		if (name == null) {
			return; // an Insights event names its API inside insightDetails
		}
		switch (name) {
		case "UpdateClusterConfig" -> {
			for (JsonNode setting : rp.path("logging").path("clusterLogging")) {
				if (names(setting.path("types"), "audit")) {
					q.add(setting.path("enabled").asBoolean(true) ? "eks:audit-logging-enabled" : "eks:audit-logging-disabled");
				}
			}
			JsonNode vpc = rp.path("resourcesVpcConfig");
			if (vpc.path("endpointPublicAccess").asBoolean(false)
					&& (!vpc.has("publicAccessCidrs") || names(vpc.path("publicAccessCidrs"), "0.0.0.0/0"))) {
				q.add("eks:public-endpoint");
			}
		}
		case "AssociateAccessPolicy" -> {
			String policy = rp.path("policyArn").asText("");
			if (policy.endsWith("/AmazonEKSClusterAdminPolicy") || policy.endsWith("/AmazonEKSAdminPolicy")) {
				q.add("eks:admin-access");
			}
		}
		case "CreateAccessEntry", "UpdateAccessEntry" -> {
			if (names(rp.path("kubernetesGroups"), "system:masters")) {
				q.add("eks:admin-access");
			}
		}
		default -> {
			// other calls change nothing these qualifiers tell
		}
		}
	}

	private static boolean names(JsonNode list, String value) {
		for (JsonNode v : list) {
			if (value.equals(v.asText())) {
				return true;
			}
		}
		return false;
	}
}
