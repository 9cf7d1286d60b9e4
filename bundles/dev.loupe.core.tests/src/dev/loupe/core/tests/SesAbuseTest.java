package dev.loupe.core.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.loupe.core.reason.Findings;
import dev.loupe.core.store.EvidenceStore;

/**
 * A stolen key spent on spam: the quota and identities checked, a domain of the spammer's created, production
 * access asked for. One sequence of discovery and impact; a marketing team verifying its own domain is no story.
 */
class SesAbuseTest {
	private final ScenarioTest events = new ScenarioTest();

	@Test
	void aKeySpentOnSpamIsOneSequence(@TempDir Path dir) throws IOException {
		Instant t = Instant.parse("2025-11-15T23:10:00Z");
		ObjectNode key = ScenarioTest.user("wp-uploads");
		String ua = "Boto3/1.26.137 Python/3.8.10 Linux/5.4.0-150-generic Botocore/1.29.137";
		String ip = "185.156.72.14";
		ArrayNode calls = ScenarioTest.JSON.createArrayNode();
		calls.add(events.call(t, "ses.amazonaws.com", "GetSendQuota", key, ip, ua));
		calls.add(events.call(t.plusSeconds(5), "ses.amazonaws.com", "ListIdentities", key, ip, ua));
		calls.add(events.call(t.plusSeconds(40), "ses.amazonaws.com", "CreateEmailIdentity", key, ip, ua,
				p -> p.put("emailIdentity", "secure-billing-notice.com")));
		calls.add(events.call(t.plusSeconds(90), "ses.amazonaws.com", "PutAccountDetails", key, ip, ua, p -> p.put("mailType", "MARKETING")
				.put("websiteURL", "https://secure-billing-notice.com").put("productionAccessEnabled", true)));
		// marketing, a week earlier, from the office: its own domain
		calls.add(events.call(t.minusSeconds(7 * 86400), "ses.amazonaws.com", "CreateEmailIdentity", ScenarioTest.user("marketing-ops"),
				"198.51.100.20", "aws-cli/2.17.0 Python/3.11.9 Darwin/23.4.0 exe/x86_64 prompt/off", p -> p.put("emailIdentity", "news.example.com")));
		try (EvidenceStore store = ScenarioTest.reasoned(dir, ScenarioTest.trail(dir, calls))) {
			Findings.Sequence q = ScenarioTest.onlySequence(store);
			assertEquals("wp-uploads", q.actorLabel());
			assertEquals(List.of("GetSendQuota", "ListIdentities", "CreateEmailIdentity", "PutAccountDetails"),
					q.members().stream().map(Findings.Signal::eventName).toList());
			assertEquals(List.of("TA0007", "TA0040"), q.tactics());
		}
	}
}
