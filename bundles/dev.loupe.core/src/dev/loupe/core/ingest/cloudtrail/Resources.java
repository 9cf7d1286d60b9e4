package dev.loupe.core.ingest.cloudtrail;

import java.util.ArrayList;
import java.util.List;

import org.apache.jena.graph.Node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.loupe.core.vocab.Ids;
import dev.loupe.core.vocab.Loupe;

/** The resources an API call acted on, read from its request parameters (instances, buckets, groups, IAM users). */
final class Resources {
	private final CloudTrailMapper mapper;

	Resources(CloudTrailMapper mapper) {
		this.mapper = mapper;
	}

	List<Node> targets(ObjectNode ev, String accountId, Node region) {
		JsonNode rp = ev.path("requestParameters");
		List<Node> out = new ArrayList<>();
		if (!rp.isObject()) {
			return out;
		}
		List<String> instances = new ArrayList<>();
		addText(rp.get("instanceId"), instances);
		for (JsonNode id : rp.path("instanceIds")) {
			addText(id, instances);
		}
		for (JsonNode item : rp.path("instancesSet").path("items")) {
			addText(item.get("instanceId"), instances);
		}
		// SSM sessions name their instance as the target (a managed node "mi-..." is no EC2 instance)
		JsonNode target = rp.get("target");
		if (target != null && target.isTextual() && target.asText().startsWith("i-")) {
			instances.add(target.asText());
		}
		for (String id : instances) {
			out.add(scoped("ec2-instance", Loupe.Ec2Instance, Loupe.instanceId, id, accountId, region));
		}
		List<String> groups = new ArrayList<>();
		addText(rp.get("groupId"), groups);
		for (JsonNode id : rp.path("groupIds")) {
			addText(id, groups);
		}
		for (String id : groups) {
			out.add(scoped("security-group", Loupe.SecurityGroup, Loupe.groupId, id, accountId, region));
		}
		// the IAM user an IAM call acts on (a key made for it, a policy put on it): the same node as the user's own calls
		String user = CloudTrailMapper.text(rp, "userName");
		if (user != null && accountId != null && "iam.amazonaws.com".equals(CloudTrailMapper.text(ev, "eventSource"))) {
			out.add(mapper.iamUser(accountId, user));
		}
		String bucket = CloudTrailMapper.text(rp, "bucketName");
		if (bucket != null) {
			Node b = Ids.bucket(bucket);
			mapper.describe(b, Loupe.S3Bucket, Loupe.bucketName, bucket, bucket);
			out.add(b);
		}
		return out;
	}

	/**
	 * The bucket a CreateTrail or UpdateTrail call delivers the trail's log files to: a lifecycle rule that empties
	 * it is tampering whatever the bucket is called (rules read it when they choose the calls' qualifiers).
	 */
	Node trailBucket(JsonNode ev) {
		String name = CloudTrailMapper.text(ev, "eventName");
		if (!"CreateTrail".equals(name) && !"UpdateTrail".equals(name)) {
			return null;
		}
		String bucket = CloudTrailMapper.text(ev.path("requestParameters"), "s3BucketName");
		if (bucket == null) {
			return null;
		}
		Node b = Ids.bucket(bucket);
		mapper.describe(b, Loupe.S3Bucket, Loupe.bucketName, bucket, bucket);
		return b;
	}

	private Node scoped(String kind, Node type, Node idProperty, String id, String accountId, Node region) {
		return mapper.resource(kind, type, idProperty, id, accountId, region);
	}

	private static void addText(JsonNode v, List<String> into) {
		if (v != null && v.isTextual() && !v.asText().isBlank()) {
			into.add(v.asText());
		}
	}
}
