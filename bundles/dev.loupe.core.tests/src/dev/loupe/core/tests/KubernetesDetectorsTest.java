package dev.loupe.core.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.loupe.core.query.EntityGraph;
import dev.loupe.core.reason.Findings;
import dev.loupe.core.store.EvidenceStore;

/**
 * A leaked CI key taken from CloudTrail into the EKS cluster it deploys to. The intruder lists the cluster from the
 * AWS side and puts a role of his in its masters group; then, through the API server, dumps every secret, runs a shell in a pod, copies files out of it, binds
 * himself cluster-admin, asks for the shop's service account token and tries it from his machine; then makes a key
 * for another IAM user. GuardDuty reports the secrets read from a known bad address, naming only the Kubernetes
 * user. EKS's audit log names the AWS identity and key behind each request, which ties the three logs into one
 * story. Beside it, a day of an ordinary cluster: pods calling the public endpoint through the NAT gateway, nodes
 * asking for their pods' tokens, Argo CD binding an operator to cluster-admin, the pipeline installing a privileged monitoring agent (whose pods kube-system's
 * controllers then start), an administrator running a command in a pod from the office, an internet scanner refused
 * forty times, the deployment pipeline applying its manifests.
 */
class KubernetesDetectorsTest {
	static final Instant START = Instant.parse("2025-05-12T00:00:00Z");
	static final Instant INTRUSION = START.plus(14, ChronoUnit.HOURS);
	static final String INTRUDER = "203.0.113.66";
	static final String OFFICE = "198.51.100.20";
	static final String KEY = "AKIACIDEPLOYER000001";
	static final String CI_ARN = "arn:aws:iam::" + ScenarioTest.ACCOUNT + ":user/ci-deployer";
	static final String PIPELINE_ARN = "arn:aws:iam::" + ScenarioTest.ACCOUNT + ":user/pipeline";
	static final String ADMIN_ARN = "arn:aws:sts::" + ScenarioTest.ACCOUNT + ":assumed-role/platform-admin/alice";
	static final String NAT = "52.30.17.4";
	static final String ARGOCD = "system:serviceaccount:argocd:argocd-application-controller";
	static final String SHOP_SA = "system:serviceaccount:shop:cart";
	static final String KUBECTL = "kubectl/v1.29.3 (linux/amd64) kubernetes/6813625";

	@Test
	void theClusterStepsAndTheKeyThatTookThemAreOneSequence(@TempDir Path dir) throws IOException {
		try (EvidenceStore store = ScenarioTest.reasoned(dir, evidence(dir).toArray(Path[]::new))) {
			Findings f = new Findings(store);
			List<Findings.Signal> signals = f.signals("en");
			Set<String> k8s = signals.stream().filter(s -> s.detector().contains("/k8s-"))
					.map(s -> s.detector().substring(s.detector().lastIndexOf('/') + 1) + " " + s.actorLabel())
					.collect(Collectors.toCollection(TreeSet::new));
			assertEquals(new TreeSet<>(List.of("k8s-anonymous-from-internet system:anonymous", "k8s-pod-exec " + CI_ARN,
					"k8s-pod-exec " + ADMIN_ARN, "k8s-powerful-cluster-role-binding " + CI_ARN, "k8s-privileged-pod " + PIPELINE_ARN, "k8s-powerful-cluster-role-binding " + ARGOCD, "k8s-refused-burst " + SHOP_SA, "k8s-copy-from-pod " + CI_ARN, "k8s-service-account-token " + CI_ARN, "k8s-pod-exec " + SHOP_SA,
					"k8s-service-account-from-internet " + SHOP_SA, "k8s-secrets-all-namespaces " + CI_ARN)), k8s);
			// each request behind a signal is listed with the audit ID the API server gave it
			assertTrue(signals.stream().filter(s -> s.detector().endsWith("/k8s-secrets-all-namespaces")).flatMap(s -> s.evidence().stream())
					.allMatch(b -> b.id() != null && b.id().startsWith("4f6c2a1e-0000-4000-8000-")), signals.toString());
			// Argo CD's binding is a signal, but Argo CD is automation: it makes no sequence of its own
			assertTrue(signals.stream().filter(s -> ARGOCD.equals(s.actorLabel())).allMatch(Findings.Signal::automated), signals.toString());
			// the scanner's knocks are one signal with all of them as its evidence
			assertEquals(List.of(40L), signals.stream().filter(s -> s.detector().endsWith("/k8s-anonymous-from-internet"))
					.map(Findings.Signal::burstSize).toList());
			List<Findings.Sequence> sequences = f.sequences("en", signals);
			assertEquals(1, sequences.size(), sequences.toString());
			Findings.Sequence seq = sequences.get(0);
			// EKS says which IAM user the subject authenticated as: one identity, named as CloudTrail names it
			assertEquals("ci-deployer", seq.actorLabel());
			// the service account whose token was taken joins by the intruder's address and client
			assertTrue(seq.explanation().startsWith("11 signals of 2 identities"), seq.explanation());
			assertEquals("AttackSequence:EKS/CompromisedCluster", seq.type());
			List<String> members = seq.members().stream().map(s -> s.eventName() + " " + s.actorLabel()).sorted().toList();
			assertEquals(List.of("CreateAccessEntry ci-deployer", "CreateAccessKey ci-deployer", "CredentialAccess:Kubernetes/MaliciousIPCaller " + CI_ARN,
					"create clusterrolebindings " + CI_ARN, "create pods/exec " + CI_ARN, "create pods/exec " + CI_ARN, "create pods/exec " + SHOP_SA,
					"create serviceaccounts/token " + CI_ARN, "list secrets " + CI_ARN, "list secrets " + SHOP_SA, "list secrets " + SHOP_SA), members);
			// the evidence graph shows the cluster's users and what they did, the intruder's steps flagged
			EntityGraph graph = EntityGraph.load(store, 50, 20);
			assertTrue(graph.nodes().stream().anyMatch(x -> x.kind() == EntityGraph.Kind.API && x.label().equals("create pods/exec") && x.flagged()),
					graph.nodes().toString());
			assertTrue(graph.nodes().stream().anyMatch(x -> x.kind() == EntityGraph.Kind.PRINCIPAL && x.label().equals(CI_ARN) && x.flagged()),
					graph.nodes().toString());
			assertTrue(seq.tactics().containsAll(List.of("TA0002", "TA0003", "TA0004", "TA0006", "TA0009")), seq.tactics().toString());
		}
	}

	/** Without the trail, the cluster's steps alone are the story, and still name the IAM user behind them. */
	@Test
	void theAuditLogAloneNamesTheAwsPrincipal(@TempDir Path dir) throws IOException {
		try (EvidenceStore store = ScenarioTest.reasoned(dir, evidence(dir).get(0))) {
			List<Findings.Sequence> sequences = new Findings(store).sequences("en");
			assertEquals(1, sequences.size(), sequences.toString());
			assertEquals("ci-deployer", sequences.get(0).actorLabel());
			assertEquals(8, sequences.get(0).members().size(), sequences.get(0).members().toString());
		}
	}

	/** The trail and the audit log one at a time, in both orders, with an update after each: the full run's results. */
	@Test
	void updatesAfterEachLogGiveTheFullRunsResults(@TempDir Path dir) throws IOException {
		List<Path> files = evidence(dir);
		WindowedUpdateTest.updateAfterEach(dir.resolve("a"), files);
		WindowedUpdateTest.updateAfterEach(dir.resolve("b"), files.reversed());
	}

	/** The audit log (JSON lines, as EKS sends it to CloudWatch Logs and an export gives it back) and the trail. */
	static List<Path> evidence(Path dir) throws IOException {
		List<String> audit = new ArrayList<>();
		int[] n = { 0 };
		for (Instant t = START; t.isBefore(START.plus(1, ChronoUnit.DAYS)); t = t.plus(15, ChronoUnit.MINUTES)) {
			audit.add(event(n, t, "system:node:ip-10-0-1-5.eu-west-1.compute.internal", null, "10.0.1.5", "create", "serviceaccounts",
					"token", "shop", "cart", 201, null));
			// the shop's and the monitoring's pods reach the public API endpoint through the VPC's NAT gateway
			for (String sa : new String[] { SHOP_SA, "system:serviceaccount:shop:orders", "system:serviceaccount:monitoring:prometheus" }) {
				audit.add(event(n, t.plusSeconds(9), sa, null, NAT, "get", "configmaps", null, "shop", "settings", 200, null));
			}
			if (t.getEpochSecond() % 7200 == 0) {
				ObjectNode agent = pod("node-agent", true);
				audit.add(event(n, t.plusSeconds(5), "system:serviceaccount:kube-system:daemon-set-controller", null, "10.0.0.10", "create",
						"pods", null, "kube-system", "node-agent-x1", 201, agent));
				audit.add(event(n, t.plusSeconds(30), PIPELINE_ARN, null, "192.0.2.50", "patch",
						"deployments", null, "shop", "cart", 200, null));
			}
		}
		// the pipeline installs the node monitoring agent: a privileged DaemonSet, whose pods kube-system's controller makes
		ObjectNode daemonSet = ScenarioTest.JSON.createObjectNode().put("kind", "DaemonSet");
		daemonSet.putObject("spec").putObject("template").set("spec", pod("node-agent", true).get("spec"));
		audit.add(event(n, START.plus(2, ChronoUnit.HOURS).plusSeconds(2), PIPELINE_ARN, null, "192.0.2.50", "create", "daemonsets", null,
				"kube-system", "node-agent", 201, daemonSet));
		// Argo CD syncs an operator's manifests: its service account binds the operator to cluster-admin
		ObjectNode operatorBinding = ScenarioTest.JSON.createObjectNode();
		operatorBinding.putObject("roleRef").put("kind", "ClusterRole").put("name", "cluster-admin");
		operatorBinding.putArray("subjects").addObject().put("kind", "ServiceAccount").put("name", "cert-manager").put("namespace", "cert-manager");
		audit.add(event(n, START.plus(8, ChronoUnit.HOURS), ARGOCD, null, "10.0.3.7", "create", "clusterrolebindings", null, null,
				"cert-manager-admin", 201, operatorBinding));
		audit.add(event(n, START.plus(9, ChronoUnit.HOURS), ADMIN_ARN, "ASIAPLATFORMADMIN001", OFFICE, "create", "pods", "exec", "shop",
				"cart-7d9f", 101, null));
		// an internet scanner tries forty paths in ten minutes, refused
		for (int i = 0; i < 40; i++) {
			audit.add(event(n, START.plus(11, ChronoUnit.HOURS).plusSeconds(15L * i), "system:anonymous", null, "45.155.205.3", "get", null,
					null, null, null, 403, null).replace("\"requestURI\":null", "\"requestURI\":\"/probe-" + i + "\""));
		}
		audit.add(event(n, INTRUSION.plus(5, ChronoUnit.MINUTES), CI_ARN, KEY, INTRUDER, "list", "secrets", null, null, null, 200, null));
		audit.add(event(n, INTRUSION.plus(7, ChronoUnit.MINUTES), CI_ARN, KEY, INTRUDER, "create", "pods", "exec", "shop", "cart-7d9f",
				101, null));
		// kubectl cp of the shop's configuration out of the pod
		audit.add(event(n, INTRUSION.plus(8, ChronoUnit.MINUTES), CI_ARN, KEY, INTRUDER, "create", "pods", "exec", "shop", "cart-7d9f",
				101, null).replace("\"requestURI\":null", "\"requestURI\":\"/api/v1/namespaces/shop/pods/cart-7d9f/exec?command=tar&command=cf"
						+ "&command=-&command=/app/config&container=cart&stderr=true&stdout=true\""));
		ObjectNode binding = ScenarioTest.JSON.createObjectNode();
		binding.putObject("roleRef").put("kind", "ClusterRole").put("name", "cluster-admin");
		binding.putArray("subjects").addObject().put("kind", "User").put("name", CI_ARN);
		audit.add(event(n, INTRUSION.plus(9, ChronoUnit.MINUTES), CI_ARN, KEY, INTRUDER, "create", "clusterrolebindings", null, null,
				"ci-break-glass", 201, binding));
		// a token for the shop's service account, then used from the intruder's machine
		audit.add(event(n, INTRUSION.plus(12, ChronoUnit.MINUTES), CI_ARN, KEY, INTRUDER, "create", "serviceaccounts", "token", "shop",
				"cart", 201, null));
		// what may the token do? other namespaces' secrets are refused, the shop's are not
		String[] namespaces = { "default", "kube-system", "orders", "payments", "monitoring", "argocd", "cert-manager", "ingress", "logging",
				"billing", "auth", "search" };
		for (int i = 0; i < namespaces.length; i++) {
			audit.add(event(n, INTRUSION.plus(14, ChronoUnit.MINUTES).plusSeconds(4L * i), SHOP_SA, null, INTRUDER, "list", "secrets", null,
					namespaces[i], null, 403, null));
		}
		audit.add(event(n, INTRUSION.plus(15, ChronoUnit.MINUTES), SHOP_SA, null, INTRUDER, "list", "secrets", null, "shop", null, 200, null));
		audit.add(event(n, INTRUSION.plus(16, ChronoUnit.MINUTES), SHOP_SA, null, INTRUDER, "create", "pods", "exec", "shop", "cart-7d9f",
				101, null));
		Path auditLog = Files.write(dir.resolve("kube-apiserver-audit.log"), audit);

		// GuardDuty's EKS protection saw the secrets listed from a known bad address, and names the subject only
		Instant seen = INTRUSION.plus(5, ChronoUnit.MINUTES);
		ObjectNode f = ScenarioTest.JSON.createObjectNode();
		String type = "CredentialAccess:Kubernetes/MaliciousIPCaller";
		f.put("AccountId", ScenarioTest.ACCOUNT).put("Arn", "arn:aws:guardduty:eu-west-1:" + ScenarioTest.ACCOUNT + ":detector/12abc/finding/5c1e")
				.put("CreatedAt", seen.plusSeconds(300).toString()).put("Id", "5c1e").put("Partition", "aws").put("Region", "eu-west-1")
				.put("SchemaVersion", "2.0").put("Severity", 5.0).put("Title", type).put("Type", type).put("UpdatedAt", seen.plusSeconds(300).toString())
				.put("Description", type);
		ObjectNode resource = f.putObject("Resource").put("ResourceType", "EKSCluster");
		resource.putObject("EksClusterDetails").put("Name", "shop");
		resource.putObject("KubernetesDetails").putObject("KubernetesUserDetails").put("Username", CI_ARN);
		ObjectNode service = f.putObject("Service");
		service.put("ServiceName", "guardduty").put("DetectorId", "12abc").put("Archived", false).put("Count", 1)
				.put("EventFirstSeen", seen.toString()).put("EventLastSeen", seen.toString()).put("ResourceRole", "TARGET");
		service.putObject("Action").put("ActionType", "KUBERNETES_API_CALL").putObject("KubernetesApiCallAction")
				.put("RequestUri", "/api/v1/secrets").put("Verb", "list").putObject("RemoteIpDetails").put("IpAddressV4", INTRUDER);
		Path findings = Files.writeString(dir.resolve("guardduty.json"),
				ScenarioTest.JSON.writeValueAsString(ScenarioTest.JSON.createObjectNode().set("Findings", ScenarioTest.JSON.createArrayNode().add(f))));

		ScenarioTest trail = new ScenarioTest();
		ArrayNode calls = ScenarioTest.JSON.createArrayNode();
		ObjectNode ci = ScenarioTest.user("ci-deployer").put("accessKeyId", KEY);
		String cli = "aws-cli/2.15.0 Python/3.11.6 Linux/6.1";
		for (int d = 0; d < 1; d++) {
			calls.add(trail.call(START.plus(6, ChronoUnit.HOURS), "eks.amazonaws.com", "DescribeCluster", ci, "192.0.2.50", cli));
		}
		calls.add(trail.call(INTRUSION, "sts.amazonaws.com", "GetCallerIdentity", ci, INTRUDER, cli));
		calls.add(trail.call(INTRUSION.plusSeconds(40), "eks.amazonaws.com", "ListClusters", ci, INTRUDER, cli));
		calls.add(trail.call(INTRUSION.plusSeconds(60), "eks.amazonaws.com", "DescribeCluster", ci, INTRUDER, cli));
		// a way back in that survives any RBAC change: an access entry in the cluster's masters group
		ObjectNode entry = trail.call(INTRUSION.plusSeconds(90), "eks.amazonaws.com", "CreateAccessEntry", ci, INTRUDER, cli);
		((ObjectNode) entry.get("requestParameters")).put("clusterName", "shop").put("principalArn", "arn:aws:iam::" + ScenarioTest.ACCOUNT
				+ ":role/ci-break-glass").put("type", "STANDARD").putArray("kubernetesGroups").add("system:masters");
		calls.add(entry);
		ObjectNode key = trail.call(INTRUSION.plus(20, ChronoUnit.MINUTES), "iam.amazonaws.com", "CreateAccessKey", ci, INTRUDER, cli);
		((ObjectNode) key.get("requestParameters")).put("userName", "backup-admin");
		key.putObject("responseElements").putObject("accessKey").put("userName", "backup-admin").put("accessKeyId", "AKIABACKUPADMIN00002")
				.put("status", "Active");
		calls.add(key);
		return List.of(auditLog, ScenarioTest.trail(dir, calls), findings);
	}

	private static ObjectNode pod(String name, boolean privileged) {
		ObjectNode p = ScenarioTest.JSON.createObjectNode().put("kind", "Pod");
		p.putObject("metadata").put("name", name);
		p.putObject("spec").putArray("containers").addObject().put("name", name).put("image", "agent:1.4").putObject("securityContext")
				.put("privileged", privileged);
		return p;
	}

	/** One audit event at the ResponseComplete stage, as the API server writes it. */
	static String event(int[] n, Instant t, String user, String key, String ip, String verb, String resource, String sub,
			String namespace, String name, int code, ObjectNode request) {
		ObjectNode e = ScenarioTest.JSON.createObjectNode().put("kind", "Event").put("apiVersion", "audit.k8s.io/v1")
				.put("level", "RequestResponse").put("auditID", String.format("4f6c2a1e-0000-4000-8000-%012d", ++n[0]))
				.put("stage", "ResponseComplete").put("verb", verb);
		e.putNull("requestURI");
		ObjectNode u = e.putObject("user").put("username", user);
		u.putArray("groups").add(user.equals("system:anonymous") ? "system:unauthenticated" : "system:authenticated");
		if (key != null) {
			ObjectNode extra = u.putObject("extra");
			extra.putArray("accessKeyId").add(key);
			extra.putArray("arn").add(user);
		}
		e.putArray("sourceIPs").add(ip);
		e.put("userAgent", user.startsWith("system:node:") ? "kubelet/v1.29.3"
				: user.startsWith("system:serviceaccount:kube-system:") ? "kube-controller-manager/v1.29.3"
						: user.equals(ARGOCD) ? "argocd-application-controller/v2.10.4+f5d63a5 (linux/amd64)" : KUBECTL);
		if (resource != null) {
			ObjectNode ref = e.putObject("objectRef").put("resource", resource).put("apiVersion", "v1");
			if (sub != null) {
				ref.put("subresource", sub);
			}
			if (namespace != null) {
				ref.put("namespace", namespace);
			}
			if (name != null) {
				ref.put("name", name);
			}
		}
		e.putObject("responseStatus").put("code", code);
		if (request != null) {
			e.set("requestObject", request);
		}
		e.put("requestReceivedTimestamp", t.toString()).put("stageTimestamp", t.plusMillis(40).toString());
		return e.toString();
	}
}
