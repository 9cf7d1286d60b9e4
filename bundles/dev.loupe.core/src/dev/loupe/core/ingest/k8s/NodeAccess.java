package dev.loupe.core.ingest.k8s;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What a pod spec gives its containers of the node they run on: its filesystem (a hostPath volume), its network,
 * process or IPC namespace, or kernel capabilities that reach past the container (SYS_ADMIN and its kin). Each is
 * a qualifier of the request that asks for such a pod or a workload of them.
 */
final class NodeAccess {
	private static final Set<String> DANGEROUS = Set.of("ALL", "SYS_ADMIN", "SYS_PTRACE", "SYS_MODULE", "SYS_RAWIO", "SYS_BOOT",
			"NET_ADMIN", "DAC_READ_SEARCH", "DAC_OVERRIDE", "BPF", "PERFMON");

	private NodeAccess() {
	}

	static List<String> of(JsonNode spec) {
		List<String> q = new ArrayList<>();
		for (JsonNode v : spec.path("volumes")) {
			if (v.has("hostPath")) {
				q.add("k8s:host-path");
				break;
			}
		}
		if (spec.path("hostNetwork").asBoolean(false)) {
			q.add("k8s:host-network");
		}
		if (spec.path("hostPID").asBoolean(false)) {
			q.add("k8s:host-pid");
		}
		if (spec.path("hostIPC").asBoolean(false)) {
			q.add("k8s:host-ipc");
		}
		if (dangerousCapabilities(spec)) {
			q.add("k8s:dangerous-capabilities");
		}
		return q;
	}

	private static boolean dangerousCapabilities(JsonNode spec) {
		for (JsonNode c : containers(spec)) {
			for (JsonNode cap : c.path("securityContext").path("capabilities").path("add")) {
				String name = cap.asText().toUpperCase(Locale.ROOT);
				if (DANGEROUS.contains(name.startsWith("CAP_") ? name.substring(4) : name)) {
					return true;
				}
			}
		}
		return false;
	}

	/** Every container of a pod spec: its own, its init containers and the ephemeral ones a debugger adds. */
	static List<JsonNode> containers(JsonNode spec) {
		List<JsonNode> out = new ArrayList<>();
		for (String list : new String[] { "containers", "initContainers", "ephemeralContainers" }) {
			spec.path(list).forEach(out::add);
		}
		return out;
	}
}
