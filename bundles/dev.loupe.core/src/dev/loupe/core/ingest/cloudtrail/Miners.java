package dev.loupe.core.ingest.cloudtrail;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A cryptominer named in what a call sets running ("miner:named"): a container's image or command, a command sent
 * to instances, a build's or a job's spec, a function's image or environment, an instance's or template's user
 * data (read from its Base64 too). Miners, their pools' names and the stratum protocol say what the code is for,
 * whoever asked for it; the request is where CloudTrail keeps it. A command that only stops or removes a miner (a
 * responder's cleanup) is none.
 */
final class Miners {
	private static final Pattern MINER = Pattern.compile("xmrig|xmr-stak|cpuminer|minerd\\b|nbminer|lolminer|phoenixminer|ethminer"
			+ "|srbminer|teamredminer|nanominer|gminer\\b|stratum\\+(tcp|ssl|tls)://|supportxmr|moneroocean|c3pool|nanopool\\.org"
			+ "|2miners\\.com|unmineable|hashvault\\.pro|herominers|kdevtmpfsi|kinsing");
	/** Calls that set code or commands running, and say what in their request. */
	private static final Set<String> CALLS = Set.of("RegisterTaskDefinition", "SendCommand", "RegisterJobDefinition", "CreateProject",
			"UpdateProject", "StartBuild", "CreateApp", "UpdateApp", "CreateFunction20150331", "UpdateFunctionConfiguration20150331v2",
			"RunInstances", "ModifyInstanceAttribute", "CreateLaunchTemplate", "CreateLaunchTemplateVersion", "CreateContainerService",
			"CreateService", "CreateTrainingJob", "CreateProcessingJob");
	/** A command that stops or removes what it names, up to the end of that command. */
	private static final Pattern CLEANUP = Pattern.compile("\\b(pkill|killall|kill|rm|unlink|chattr|systemctl (stop|disable))\\b[^;&|\\n]*");
	private static final Pattern BASE64 = Pattern.compile("[A-Za-z0-9+/=\\s]{16,}");

	private Miners() {
	}

	static void qualify(String name, JsonNode rp, List<String> q) {
		if (name != null && CALLS.contains(name) && named(rp)) {
			q.add("miner:named");
		}
	}

	private static boolean named(JsonNode request) {
		return RequestFields.any(request, (key, value) -> {
			if (value.isTextual() && miner(value.asText())) {
				return true;
			}
			// user data is sent as Base64 (RunInstances, launch templates; ModifyInstanceAttribute as {"value": ...})
			String data = value.isTextual() ? value.asText() : value.path("value").asText("");
			return "userData".equalsIgnoreCase(key) && BASE64.matcher(data).matches() && miner(decoded(data));
		});
	}

	private static boolean miner(String text) {
		// a responder's cleanup names the miner too (pkill xmrig, rm -rf /tmp/kdevtmpfsi): those commands are left out
		return MINER.matcher(CLEANUP.matcher(text.toLowerCase(Locale.ROOT)).replaceAll("")).find();
	}

	private static String decoded(String base64) {
		try {
			return new String(Base64.getMimeDecoder().decode(base64), StandardCharsets.UTF_8);
		} catch (IllegalArgumentException e) {
			return "";
		}
	}
}
