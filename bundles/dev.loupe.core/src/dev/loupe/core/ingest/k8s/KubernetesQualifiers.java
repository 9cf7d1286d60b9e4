package dev.loupe.core.ingest.k8s;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import dev.loupe.core.ingest.IpText;

/**
 * What a Kubernetes audit event did that a detector may care about (loupe:qualifier, "k8s:..."), read from the
 * request when it is ingested, as CloudTrail's qualifiers are: a command run in a pod, a pod that may take its
 * node (or a workload whose pods will), a binding to an all-powerful role, every secret of the cluster listed, a service account's token or a
 * client certificate asked for, a pod with a way onto its node ({@link NodeAccess}) or hidden among the system's, an
 * anonymous caller or a service account's token from the internet, a client certificate, an admission webhook, a
 * role that allows everything, exec into pods or the nodes' API, files copied out of a pod. Refused requests qualify only as anonymous
 * (a scanner knocking is itself the evidence); the control plane's own accounts (kube-system's controllers, the
 * nodes) do these things all day and do not qualify.
 */
final class KubernetesQualifiers {
	/** Roles that hold the cluster: binding one is taking it. */
	private static final Set<String> POWERFUL_ROLES = Set.of("cluster-admin", "admin", "edit", "system:kube-controller-manager",
			"system:controller:clusterrole-aggregation-controller");

	/** The cluster's built-in roles whose change hands out what they grant (the nodes', the controllers', the admins'). */
	private static final Set<String> SYSTEM_ROLES = Set.of("cluster-admin", "admin", "edit", "system:admin", "system:node",
			"system:node-proxier", "system:kube-controller-manager", "system:kube-scheduler", "system:aggregate-to-admin",
			"system:aggregate-to-edit", "system:masters");

	/** Where the cluster's own pods run: a pod of someone else's there hides among them. */
	private static final Set<String> SYSTEM_NAMESPACES = Set.of("kube-system", "kube-public", "kube-node-lease");

	private KubernetesQualifiers() {
	}

	static List<String> of(JsonNode e) {
		List<String> q = new ArrayList<>();
		String verb = e.path("verb").asText("");
		String user = e.path("user").path("username").asText("");
		JsonNode ref = e.path("objectRef");
		String resource = ref.path("resource").asText("");
		String sub = ref.path("subresource").asText("");
		String namespace = ref.path("namespace").asText("");
		int code = e.path("responseStatus").path("code").asInt(0);
		boolean refused = code >= 400;
		boolean anonymous = user.equals("system:anonymous") || groups(e).contains("system:unauthenticated");
		if (anonymous && publicSource(e)) {
			q.add("k8s:anonymous");
		}
		// a service account's token works from anywhere; the pods it belongs to call from inside the network
		if (!refused && user.startsWith("system:serviceaccount:") && publicSource(e)) {
			q.add("k8s:service-account-from-internet");
		}
		boolean controlPlaneOwn = user.startsWith("system:node:") || user.startsWith("system:serviceaccount:kube-system:") || user.startsWith("eks:");
		// someone trying what a credential may do: many refusals are a burst (the detector counts them)
		if ((code == 401 || code == 403) && !anonymous && !controlPlaneOwn && !user.isEmpty()) {
			q.add("k8s:refused");
		}
		if (refused || anonymous || controlPlaneOwn) {
			return q;
		}
		boolean controlPlane = user.startsWith("system:") && !user.startsWith("system:serviceaccount:");
		if (verb.equals("create") && resource.equals("pods") && (sub.equals("exec") || sub.equals("attach"))) {
			q.add("k8s:pod-exec");
			// what `kubectl cp` from a pod runs: tar writing the files to its output
			if (e.path("requestURI").asText("").contains("command=tar&command=cf&command=-")) {
				q.add("k8s:copy-from-pod");
			}
		}
		if ((verb.equals("create") || verb.equals("update")) && sub.isEmpty()) {
			JsonNode spec = podSpec(resource, e.path("requestObject"));
			if (privileged(spec)) {
				q.add("k8s:privileged-pod");
			}
			NodeAccess.of(spec).forEach(q::add);
		}
		if (verb.equals("create") && resource.equals("pods") && sub.isEmpty() && SYSTEM_NAMESPACES.contains(namespace) && !controlPlane) {
			q.add("k8s:system-namespace-pod");
		}
		if ((verb.equals("list") || verb.equals("watch")) && resource.equals("secrets") && namespace.isEmpty()) {
			q.add("k8s:secrets-all-namespaces");
		}
		if (verb.equals("create") && resource.equals("serviceaccounts") && sub.equals("token")
				&& !(controlPlane && namespace.equals("kube-system"))) {
			q.add("k8s:service-account-token");
		}
		if (verb.equals("create") && resource.equals("clusterrolebindings")
				&& POWERFUL_ROLES.contains(e.path("requestObject").path("roleRef").path("name").asText(""))) {
			q.add("k8s:powerful-cluster-role-binding");
		}
		// EKS's map of IAM principals to Kubernetes users and groups: an entry in it is a way in for an AWS identity
		if ((verb.equals("update") || verb.equals("patch") || verb.equals("create")) && resource.equals("configmaps")
				&& namespace.equals("kube-system") && "aws-auth".equals(ref.path("name").asText(e.path("requestObject").path("metadata").path("name").asText()))) {
			q.add("k8s:aws-auth-changed");
		}
		if ((verb.equals("update") || verb.equals("patch")) && resource.equals("clusterroles")
				&& SYSTEM_ROLES.contains(ref.path("name").asText(""))) {
			q.add("k8s:system-role-modified");
		}
		if (verb.equals("create") && resource.equals("certificatesigningrequests") && !controlPlane
				&& "kubernetes.io/kube-apiserver-client".equals(e.path("requestObject").path("spec").path("signerName").asText())) {
			q.add("k8s:client-certificate");
		}
		if (verb.equals("create") && (resource.equals("mutatingwebhookconfigurations") || resource.equals("validatingwebhookconfigurations"))) {
			q.add("k8s:admission-webhook");
		}
		if (verb.equals("create") && (resource.equals("clusterroles") || resource.equals("roles"))) {
			JsonNode role = e.path("requestObject");
			if (wildcard(role)) {
				q.add("k8s:wildcard-role");
			}
			if (grants(role, "pods/exec")) {
				q.add("k8s:role-pod-exec");
			}
			if (grants(role, "nodes/proxy")) {
				q.add("k8s:role-node-proxy");
			}
		}
		return q;
	}

	/** A role with a rule that allows every verb or every resource. */
	private static boolean wildcard(JsonNode role) {
		for (JsonNode rule : role.path("rules")) {
			for (String f : new String[] { "verbs", "resources" }) {
				for (JsonNode v : rule.path(f)) {
					if (v.asText().equals("*")) {
						return true;
					}
				}
			}
		}
		return false;
	}

	/** A role with a rule naming {@code resource}. */
	private static boolean grants(JsonNode role, String resource) {
		for (JsonNode rule : role.path("rules")) {
			for (JsonNode r : rule.path("resources")) {
				if (r.asText().equals(resource)) {
					return true;
				}
			}
		}
		return false;
	}

	private static List<String> groups(JsonNode e) {
		List<String> out = new ArrayList<>();
		e.path("user").path("groups").forEach(g -> out.add(g.asText()));
		return out;
	}

	/** Whether the request came from the internet (the first source address is a public one). */
	private static boolean publicSource(JsonNode e) {
		JsonNode ips = e.path("sourceIPs");
		String ip = ips.isArray() && !ips.isEmpty() ? IpText.canonical(ips.get(0).asText()) : null;
		return ip != null && !IpText.isPrivate(ip);
	}

	/**
	 * The pod a request creates or asks a controller to create: a pod's spec, a workload's pod template (the user who
	 * asked for a privileged DaemonSet is the one to name, not kube-system's controller that then makes its pods).
	 */
	private static JsonNode podSpec(String resource, JsonNode object) {
		return switch (resource) {
		case "pods" -> object.path("spec");
		case "deployments", "daemonsets", "statefulsets", "replicasets", "replicationcontrollers", "jobs" ->
			object.path("spec").path("template").path("spec");
		case "cronjobs" -> object.path("spec").path("jobTemplate").path("spec").path("template").path("spec");
		default -> com.fasterxml.jackson.databind.node.MissingNode.getInstance();
		};
	}

	/**
	 * A container of the pod that runs privileged, or as root by request (runAsUser 0, runAsNonRoot false), at pod
	 * or container level: what escaping to the node needs.
	 */
	private static boolean privileged(JsonNode spec) {
		if (root(spec.path("securityContext"))) {
			return true;
		}
		for (JsonNode c : NodeAccess.containers(spec)) {
			JsonNode sc = c.path("securityContext");
			if (sc.path("privileged").asBoolean(false) || root(sc)) {
				return true;
			}
		}
		return false;
	}

	private static boolean root(JsonNode sc) {
		return sc.path("runAsUser").isNumber() && sc.path("runAsUser").asLong() == 0
				|| sc.path("runAsNonRoot").isBoolean() && !sc.path("runAsNonRoot").asBoolean();
	}
}
