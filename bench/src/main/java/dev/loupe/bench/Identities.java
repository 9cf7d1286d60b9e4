package dev.loupe.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The actors of a generated organisation: per account, console/CLI humans (IAM users), CI roles and instance
 * profiles (both as role sessions chained from an AssumeRole), and AWS services. Each actor keeps its own
 * addresses, user agent and keys, as real ones do.
 */
final class Identities {
	enum Kind {
		HUMAN, CI_SESSION, INSTANCE_SESSION, SERVICE
	}

	record Actor(Kind kind, String accountId, String arn, String principalId, String accessKeyId, String name,
			String roleArn, String roleName, List<String> addresses, String userAgent, Actor assumedBy) {
	}

	final List<String> accounts = new ArrayList<>();
	final List<Actor> actors = new ArrayList<>();
	private final Random random;

	Identities(Random random, int accountCount) {
		this.random = random;
		for (int a = 0; a < accountCount; a++) {
			accounts.add(String.format("%012d", Math.abs(random.nextLong()) % 1_000_000_000_000L));
		}
		for (String account : accounts) {
			List<Actor> humans = new ArrayList<>();
			for (int i = 0; i < 4; i++) {
				String user = "user-" + i + "-" + account.substring(8);
				Actor h = new Actor(Kind.HUMAN, account, "arn:aws:iam::" + account + ":user/" + user, "AIDA" + id(16),
						"AKIA" + id(16), user, null, null, addresses(2), i % 2 == 0
								? "aws-cli/2.17.0 md/awscrt#0.20.11 ua/2.0 os/linux#6.8 md/arch#x86_64 lang/python#3.11.9"
								: "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15",
						null);
				humans.add(h);
				actors.add(h);
			}
			for (int i = 0; i < 3; i++) {
				String role = "ci-deploy-" + i;
				String session = "gha-" + id(8).toLowerCase();
				actors.add(session(Kind.CI_SESSION, account, role, session, addresses(1),
						"aws-sdk-go-v2/1.30.3 os/linux lang/go#1.22.5 md/GOOS#linux md/GOARCH#amd64", humans.get(i)));
			}
			for (int i = 0; i < 5; i++) {
				String instance = "i-0" + id(16).toLowerCase();
				actors.add(session(Kind.INSTANCE_SESSION, account, "app-instance-role-" + i, instance, addresses(1),
						"aws-sdk-java/2.25.60 Linux/6.1.94 OpenJDK_64-Bit_Server_VM/21.0.3+9-LTS Java/21.0.3", null));
			}
			actors.add(new Actor(Kind.SERVICE, account, null, null, null, "cloudformation.amazonaws.com", null, null,
					List.of("cloudformation.amazonaws.com"), "cloudformation.amazonaws.com", null));
		}
	}

	private Actor session(Kind kind, String account, String role, String session, List<String> addresses, String ua,
			Actor assumedBy) {
		String roleArn = "arn:aws:iam::" + account + ":role/" + role;
		return new Actor(kind, account, "arn:aws:sts::" + account + ":assumed-role/" + role + "/" + session,
				"AROA" + id(16) + ":" + session, "ASIA" + id(16), session, roleArn, role, addresses, ua, assumedBy);
	}

	private List<String> addresses(int n) {
		List<String> out = new ArrayList<>();
		int[] firstOctets = { 3, 13, 18, 34, 35, 44, 52, 54, 63, 98 };
		for (int i = 0; i < n; i++) {
			out.add(firstOctets[random.nextInt(firstOctets.length)] + "." + random.nextInt(256) + "."
					+ random.nextInt(256) + "." + (1 + random.nextInt(254)));
		}
		return out;
	}

	String id(int length) {
		String chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
		StringBuilder sb = new StringBuilder(length);
		for (int i = 0; i < length; i++) {
			sb.append(chars.charAt(random.nextInt(chars.length())));
		}
		return sb.toString();
	}
}
