package dev.loupe.cli.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;


/**
 * `loupe pull` with the real AWS SDK clients against {@link FakeAws}: credentials from a named profile, pages
 * followed, a throttled call retried, a denied region reported while the others are pulled, CloudTrail pages saved
 * without the credentials AssumeRole handed out, and a complete window not asked again.
 */
class PullTest {
	@TempDir
	Path home;
	FakeAws aws;
	int events;

	@BeforeEach
	void start() throws Exception {
		Path datasets = Path.of(System.getProperty("loupe.test.datasets"));
		Path stratus = datasets.resolve("stratus-red-team-detonation-logs/detonation-logs");
		List<JsonNode> events = new ArrayList<>();
		for (String t : new String[] { "aws.defense-evasion.cloudtrail-stop", "aws.persistence.iam-create-admin-user",
				"aws.credential-access.ec2-get-password-data" }) {
			FakeAws.JSON.readTree(stratus.resolve(t + ".json").toFile()).forEach(events::add);
		}
		// an AssumeRole answer carries a session token: it must not reach the disk
		ObjectNode assume = (ObjectNode) events.get(0).deepCopy();
		assume.put("eventName", "AssumeRole").put("eventSource", "sts.amazonaws.com").put("eventID", "0f1e2d3c-assume");
		assume.putObject("responseElements").putObject("credentials").put("accessKeyId", "ASIAEXAMPLEPULLTEST1")
				.put("sessionToken", "IQoJb3JpZ2luX2VjELT-secret-session-token").put("expiration", "Jul 31, 2024, 2:00:00 PM");
		events.add(assume);
		this.events = events.size();
		List<List<JsonNode>> pages = List.of(events.subList(0, events.size() / 2), events.subList(events.size() / 2, events.size()));
		// the five findings AWS generated (CreateSampleFindings); the samples' hand-made ones do not follow the wire format
		List<JsonNode> gd = new ArrayList<>();
		for (String line : Files.readAllLines(datasets.resolve("guardduty-sentinel-integration-samples/sample-data/guardduty_findings.jsonl"))
				.subList(0, 5)) {
			JsonNode n = FakeAws.JSON.readTree(line);
			gd.add(n.has("detail") ? n.get("detail") : n);
		}
		List<JsonNode> sh = new ArrayList<>();
		FakeAws.JSON.readTree(datasets.resolve("aws-cli-examples/securityhub_get-findings.output0.json").toFile()).get("Findings").forEach(sh::add);
		sh.add(FakeAws.JSON.readTree(datasets.resolve("awsdocs-examples/guardduty/securityhub-integration.block00.json").toFile()));
		aws = new FakeAws("eu-west-1", pages, gd, sh);
		AwsTestProfile.install(home);
	}

	@AfterEach
	void stop() {
		AwsTestProfile.uninstall(aws);
	}

	AwsTestProfile.Run loupe(String... args) {
		return AwsTestProfile.loupe(home, args);
	}

	AwsTestProfile.Run pull() {
		return loupe("pull", "--profile", "incident", "--region", "us-east-1,eu-west-1", "--since", "2024-07-31T00:00:00Z",
				"--until", "2024-08-03T00:00:00Z", "--endpoint", aws.endpoint(), "--store", home.resolve("store").toString());
	}

	@Test
	void pullsPagesRetriesAndReportsTheDeniedRegion() throws Exception {
		AwsTestProfile.Run r = pull();
		assertEquals(1, r.code(), "a denied region is a failure: " + r.out() + r.err());
		assertTrue(r.out().contains("cloudtrail us-east-1: 2 pages, " + events + " records"), r.out() + r.err());
		assertTrue(r.out().contains("guardduty us-east-1: 2 pages, 5 records"), r.out() + r.err());
		assertTrue(r.out().contains("securityhub us-east-1: 2 pages, 2 records"), r.out() + r.err());
		for (String s : new String[] { "cloudtrail", "guardduty", "securityhub" }) {
			assertTrue(r.err().contains(s + " eu-west-1: access denied (AccessDeniedException, HTTP 403)"), r.err());
		}
		assertTrue(aws.calls.stream().filter(c -> c.equals("cloudtrail us-east-1 LookupEvents")).count() == 3,
				"the throttled first call was retried: " + aws.calls);
		assertTrue(aws.keys.stream().allMatch("AKIAIOSFODNN7EXAMPLE"::equals), "signed with the profile's key");
		assertTrue(r.out().contains("6 files:"), r.out());

		AwsTestProfile.Run q = loupe("query", "--store", home.resolve("store").toString(), "--format", "csv",
				"SELECT (COUNT(DISTINCT ?e) AS ?n) { ?e a loupe:ApiCall }");
		assertEquals(String.valueOf(events), q.out().split("\\R")[1].strip(), q.out() + q.err());
		AwsTestProfile.Run f = loupe("query", "--store", home.resolve("store").toString(), "--format", "csv",
				"SELECT (COUNT(DISTINCT ?f) AS ?n) { ?f a loupe:Finding }");
		assertEquals("7", f.out().split("\\R")[1].strip(), f.out() + f.err());

		try (Stream<Path> files = Files.walk(home.resolve("pulls"))) {
			for (Path p : files.filter(Files::isRegularFile).toList()) {
				String text = Files.readString(p);
				assertFalse(text.contains("secret-session-token"), "a session token reached the disk in " + p);
				assertFalse(text.contains("wJalrXUtnFEMI"), "a secret key reached the disk in " + p);
			}
		}

		int before = aws.calls.size();
		AwsTestProfile.Run again = pull();
		assertTrue(again.out().contains("cloudtrail us-east-1: already pulled for this window"), again.out());
		assertEquals(3, aws.calls.size() - before, "only the denied region is asked again: " + aws.calls.subList(before, aws.calls.size()));
		assertTrue(again.out().contains("6 files: 0 records"), again.out());
	}

	@Test
	void whatIsPulledIsIngestedByTheProcessHoldingTheStore() throws Exception {
		Path store = home.resolve("store");
		AwsTestProfile.Run r;
		try (dev.loupe.core.store.EvidenceStore held = dev.loupe.core.store.EvidenceStore.open(store);
				var served = dev.loupe.cli.Cli.serve(held, "the workbench", () -> {
				})) {
			r = loupe("pull", "cloudtrail", "--profile", "incident", "--region", "us-east-1", "--since", "2024-07-31T00:00:00Z",
					"--until", "2024-08-03T00:00:00Z", "--endpoint", aws.endpoint(), "--store", store.toString(), "--reason");
		}
		assertEquals(0, r.code(), r.out() + r.err());
		assertTrue(r.out().contains("cloudtrail us-east-1: 2 pages, " + events + " records"), "pulled here: " + r.out());
		assertTrue(r.err().contains("the workbench (pid " + ProcessHandle.current().pid() + ") holds this store"), r.err());
		assertTrue(r.out().contains("records") && r.out().contains("Derived everything again"), "ingested and reasoned there: " + r.out());
		AwsTestProfile.Run sources = loupe("sources", "--store", store.toString());
		assertTrue(sources.out().contains("cloudtrail"), sources.out());
	}

	@Test
	void eachAccountIsPulledThroughItsRoleIntoItsFolder() throws Exception {
		AwsTestProfile.Run r = loupe("pull", "cloudtrail", "--profile", "incident", "--region", "us-east-1", "--since", "2024-07-31T00:00:00Z",
				"--until", "2024-08-03T00:00:00Z", "--endpoint", aws.endpoint(), "--store", home.resolve("store").toString(),
				"--role-arn", "arn:aws:iam::222233334444:role/IncidentResponse,arn:aws:iam::555566667777:role/NoAccessAudit",
				"--role-arn", "arn:aws:iam::888899990000:role/NeedsMfaAudit", "--mfa-serial", "arn:aws:iam::111122223333:mfa/analyst",
				"--mfa-code", "123456", "--reason");
		assertEquals(1, r.code(), "a role that cannot be assumed is a failure: " + r.out() + r.err());
		assertTrue(r.out().contains("Derived everything again") && r.out().contains("Inferred "), "--reason ran the rules: " + r.out());
		assertTrue(r.out().contains("cloudtrail 222233334444 us-east-1: 2 pages, " + events + " records"), r.out() + r.err());
		assertTrue(r.out().contains("cloudtrail 888899990000 us-east-1: 2 pages, " + events + " records"), r.out() + r.err());
		assertTrue(r.err().contains("cloudtrail 555566667777 us-east-1: cannot assume arn:aws:iam::555566667777:role/NoAccessAudit:"
				+ " access denied (AccessDenied, HTTP 403)"), r.err());
		assertTrue(aws.keys.contains("ASIA222233334444FAKE") && aws.keys.contains("ASIA888899990000FAKE"),
				"each account's calls are signed with its role's key: " + aws.keys);
		assertTrue(aws.calls.stream().filter(c -> c.startsWith("sts ")).allMatch(c -> c.contains("AssumeRole")), aws.calls.toString());
		assertTrue(Files.isDirectory(home.resolve("pulls/incident/222233334444/cloudtrail/us-east-1")));
		assertTrue(Files.isDirectory(home.resolve("pulls/incident/888899990000/cloudtrail/us-east-1")));
		try (Stream<Path> files = Files.walk(home.resolve("pulls"))) {
			for (Path p : files.filter(Files::isRegularFile).toList()) {
				assertFalse(Files.readString(p).contains("fake-session-token"), "a role's session token reached the disk in " + p);
			}
		}
	}

	@Test
	void anOrganizationsActiveAccountsArePulledThroughTheOrganizationRole() throws Exception {
		aws.organization = new java.util.LinkedHashMap<>();
		aws.organization.put("111122223333", "ACTIVE"); // the management account: the profile's own
		aws.organization.put("222233334444", "ACTIVE");
		aws.organization.put("333344445555", "SUSPENDED");
		aws.organization.put("444455556666", "ACTIVE");
		aws.organization.put("555566667777", "ACTIVE");
		AwsTestProfile.Run r = loupe("pull", "cloudtrail", "--profile", "incident", "--region", "us-east-1", "--since", "2024-07-31T00:00:00Z",
				"--until", "2024-08-03T00:00:00Z", "--endpoint", aws.endpoint(), "--store", home.resolve("store").toString(),
				"--org-role", "OrganizationAccountAccessRole", "--role-arn", "arn:aws:iam::444455556666:role/IncidentResponse",
				"--role-arn", "arn:aws:iam::555566667777:role/NoAccessAudit");
		assertEquals(1, r.code(), "an account that could not be pulled is a failure: " + r.out() + r.err());
		for (String account : new String[] { "111122223333", "222233334444", "444455556666" }) {
			assertTrue(r.out().contains("cloudtrail " + account + " us-east-1: 2 pages, " + events + " records"), r.out() + r.err());
			assertTrue(Files.isDirectory(home.resolve("pulls/incident/" + account + "/cloudtrail/us-east-1")), account);
		}
		assertTrue(r.err().contains("cloudtrail 333344445555 us-east-1: not pulled: the organization lists the account as SUSPENDED"), r.err());
		assertTrue(r.err().contains("cloudtrail 555566667777 us-east-1: cannot assume arn:aws:iam::555566667777:role/NoAccessAudit"), r.err());
		List<String> assumed = aws.calls.stream().filter(c -> c.startsWith("sts ") && c.contains("AssumeRole")).toList();
		assertEquals(List.of("sts us-east-1 AssumeRole arn:aws:iam::222233334444:role/OrganizationAccountAccessRole",
				"sts us-east-1 AssumeRole arn:aws:iam::444455556666:role/IncidentResponse",
				"sts us-east-1 AssumeRole arn:aws:iam::555566667777:role/NoAccessAudit"), assumed.stream().distinct().toList(),
				"the own account with its own key, a role named for an account instead of the organization's: " + aws.calls);
		assertEquals(3, aws.calls.stream().filter(c -> c.endsWith("ListAccounts")).count(), "five accounts, two a page: " + aws.calls);
		assertTrue(aws.keys.contains("ASIA222233334444FAKE") && aws.keys.contains("ASIA444455556666FAKE"), aws.keys.toString());
		AwsTestProfile.Run q = loupe("query", "--store", home.resolve("store").toString(), "--format", "csv",
				"SELECT (COUNT(DISTINCT ?e) AS ?n) { ?e a loupe:ApiCall }");
		assertEquals(String.valueOf(events), q.out().split("\\R")[1].strip(), "the same events pulled from three accounts are one evidence: " + q.out());
	}

	@Test
	void anAccountThatMayNotListTheOrganizationSaysSoAndPullsItselfAndTheRolesNamed() {
		AwsTestProfile.Run r = loupe("pull", "cloudtrail", "--profile", "incident", "--region", "us-east-1", "--since", "2024-07-31T00:00:00Z",
				"--until", "2024-08-03T00:00:00Z", "--endpoint", aws.endpoint(), "--store", home.resolve("store").toString(),
				"--org-role", "OrganizationAccountAccessRole", "--role-arn", "arn:aws:iam::222233334444:role/IncidentResponse");
		assertEquals(1, r.code(), r.out() + r.err());
		assertTrue(r.err().contains("cloudtrail organization us-east-1: cannot list the organization's accounts: access denied"
				+ " (AccessDeniedException, HTTP 400)"), r.err());
		assertTrue(r.out().contains("cloudtrail 222233334444 us-east-1: 2 pages, " + events + " records"), r.out() + r.err());
		assertTrue(r.out().contains("cloudtrail 111122223333 us-east-1: 2 pages, " + events + " records"),
				"a member account still pulls itself: " + r.out() + r.err());
		AwsTestProfile.Run bad = loupe("pull", "--profile", "incident", "--org-role", "role/Nope", "--endpoint", aws.endpoint());
		assertEquals(1, bad.code(), bad.out() + bad.err());
		assertTrue(bad.err().contains("\"role/Nope\" is not a role name"), bad.err());
	}

	@Test
	void aWrongMfaCodeIsReportedForTheRoleThatNeedsIt() {
		AwsTestProfile.Run r = loupe("pull", "cloudtrail", "--profile", "incident", "--region", "us-east-1", "--since", "2024-07-31T00:00:00Z",
				"--until", "2024-08-03T00:00:00Z", "--endpoint", aws.endpoint(), "--store", home.resolve("store").toString(),
				"--role-arn", "arn:aws:iam::888899990000:role/NeedsMfaAudit", "--mfa-serial", "arn:aws:iam::111122223333:mfa/analyst",
				"--mfa-code", "000000");
		assertEquals(1, r.code(), r.out() + r.err());
		assertTrue(r.err().contains("MultiFactorAuthentication failed"), r.err());
	}

	@Test
	void aCancelledPullKeepsItsPagesAndTheNextOneResumes() throws Exception {
		Path out = home.resolve("pulls");
		var request = new dev.loupe.aws.PullRequest(List.of(dev.loupe.aws.PullRequest.Service.CLOUDTRAIL), "incident",
				List.of("us-east-1"), java.time.Instant.parse("2024-07-31T00:00:00Z"), java.time.Instant.parse("2024-08-03T00:00:00Z"),
				java.net.URI.create(aws.endpoint()), out, List.of(), List.of());
		// cancelled as an interrupt would: once the first page is answered
		var monitor = new org.eclipse.core.runtime.NullProgressMonitor() {
			@Override
			public boolean isCanceled() {
				return aws.calls.stream().filter(c -> c.endsWith("LookupEvents")).count() >= 2; // a throttled call, then page 1
			}
		};
		dev.loupe.aws.PullReport first = dev.loupe.aws.Pulls.pull(request, monitor);
		assertEquals(1, first.parts().get(0).pages(), first.toString());
		int before = aws.calls.size();
		dev.loupe.aws.PullReport second = dev.loupe.aws.Pulls.pull(request, new org.eclipse.core.runtime.NullProgressMonitor());
		assertEquals(1, second.parts().get(0).pages(), "only the page not saved before: " + second);
		assertEquals(1, aws.calls.size() - before, "one call, for the second page: " + aws.calls.subList(before, aws.calls.size()));
		try (Stream<Path> files = Files.walk(out)) {
			assertEquals(2, files.filter(p -> p.getFileName().toString().startsWith("lookup-events-")).count());
		}
	}
}
