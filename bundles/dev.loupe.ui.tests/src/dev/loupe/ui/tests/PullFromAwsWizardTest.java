package dev.loupe.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.eclipse.jface.wizard.WizardDialog;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Event;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Text;
import org.eclipse.ui.PlatformUI;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import dev.loupe.core.store.Sources;
import dev.loupe.ui.StoreSession;
import dev.loupe.ui.wizards.AwsSourcePage;
import dev.loupe.ui.wizards.PullFromAwsWizard;

/**
 * The AWS import wizard in the real workbench, against a local endpoint that speaks STS (AssumeRole) and
 * CloudTrail (LookupEvents): a profile is picked, another account's role that needs MFA is named, Finish asks for
 * the code in a dialog, the pages are pulled through the role and ingested, and the summary says so per account.
 * Screenshots: aws-wizard.png, aws-mfa.png, aws-summary.png in target/screenshots.
 */
class PullFromAwsWizardTest {
	static final ObjectMapper JSON = new ObjectMapper();
	private static final Pattern SCOPE = Pattern.compile("Credential=([^/]+)/\\d{8}/([^/]+)/([^/]+)/aws4_request");
	static Path home;
	static HttpServer server;
	static final List<String> keys = Collections.synchronizedList(new ArrayList<>());
	static List<JsonNode> events = new ArrayList<>();

	@BeforeAll
	static void prepare() throws Exception {
		Watchdog.start();
		home = Files.createTempDirectory("loupe-aws-wizard");
		StoreSession.get().setLocation(home.resolve("store"));
		Path datasets = Path.of(System.getProperty("loupe.test.datasets"));
		JSON.readTree(datasets.resolve("stratus-red-team-detonation-logs/detonation-logs/aws.persistence.iam-create-admin-user.json")
				.toFile()).forEach(events::add);
		Files.writeString(home.resolve("credentials"), "[incident]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\n"
				+ "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n");
		Files.writeString(home.resolve("config"), "[profile incident]\nregion = eu-west-1\n");
		System.setProperty("aws.sharedCredentialsFile", home.resolve("credentials").toString());
		System.setProperty("aws.configFile", home.resolve("config").toString());
		server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		server.createContext("/", PullFromAwsWizardTest::handle);
		server.start();
	}

	@AfterAll
	static void release() {
		server.stop(0);
		StoreSession.get().closeStore();
		System.clearProperty("aws.sharedCredentialsFile");
		System.clearProperty("aws.configFile");
	}

	private static void handle(HttpExchange x) throws IOException {
		String body = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
		Matcher m = SCOPE.matcher(String.valueOf(x.getRequestHeaders().getFirst("Authorization")));
		String service = m.find() ? m.group(3) : "";
		keys.add(m.group(1));
		byte[] out;
		if (service.equals("sts")) {
			boolean ok = body.contains("TokenCode=123456");
			out = (ok ? "<AssumeRoleResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><AssumeRoleResult><Credentials>"
					+ "<AccessKeyId>ASIA222233334444FAKE</AccessKeyId><SecretAccessKey>s</SecretAccessKey><SessionToken>t</SessionToken>"
					+ "<Expiration>2099-01-01T00:00:00Z</Expiration></Credentials><AssumedRoleUser><AssumedRoleId>AROA:loupe</AssumedRoleId>"
					+ "<Arn>arn:aws:sts::222233334444:assumed-role/Audit/loupe-investigation</Arn></AssumedRoleUser></AssumeRoleResult>"
					+ "</AssumeRoleResponse>"
					: "<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>MultiFactorAuthentication failed</Message>"
							+ "</Error></ErrorResponse>").getBytes(StandardCharsets.UTF_8);
			x.getResponseHeaders().add("Content-Type", "text/xml");
			x.sendResponseHeaders(ok ? 200 : 403, out.length);
		} else {
			// CloudTrail LookupEvents, all events in one page
			ObjectNode page = JSON.createObjectNode();
			ArrayNode list = page.putArray("Events");
			for (JsonNode e : events) {
				list.addObject().put("EventId", e.path("eventID").asText()).put("EventName", e.path("eventName").asText())
						.put("CloudTrailEvent", JSON.writeValueAsString(e));
			}
			out = JSON.writeValueAsBytes(page);
			x.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.1");
			x.sendResponseHeaders(200, out.length);
		}
		x.getResponseBody().write(out);
		x.close();
	}

	private static List<Control> all(Composite c) {
		List<Control> out = new ArrayList<>();
		for (Control child : c.getChildren()) {
			out.add(child);
			if (child instanceof Composite k) {
				out.addAll(all(k));
			}
		}
		return out;
	}

	@Test
	void anotherAccountIsPulledThroughItsRoleWithAnMfaCodeAskedForOnce() throws Exception {
		Shell window = PlatformUI.getWorkbench().getActiveWorkbenchWindow().getShell();
		window.setSize(1400, 900);
		PullFromAwsWizard wizard = new PullFromAwsWizard();
		WizardDialog dialog = new WizardDialog(window, wizard);
		dialog.setBlockOnOpen(false);
		dialog.open();
		dialog.getShell().setSize(900, 640);
		AwsSourcePage page = wizard.sourcePage();
		page.choose("incident", true, false, false);
		page.set("since", "2024-07-31T00:00:00Z");
		page.set("until", "2024-08-02T00:00:00Z");
		page.set("roles", "arn:aws:iam::222233334444:role/IncidentResponse");
		page.set("mfa", "arn:aws:iam::111122223333:mfa/analyst");
		page.set("endpoint", "http://127.0.0.1:" + server.getAddress().getPort());
		page.set("out", home.resolve("pulls").toString());
		assertTrue(page.isPageComplete(), page.getErrorMessage());
		page.set("until", "yesterday");
		assertTrue(!page.isPageComplete() && page.getErrorMessage().contains("\"yesterday\""), page.getErrorMessage());
		page.set("until", "2024-08-02T00:00:00Z");
		page.set("orgRole", "role/Audit");
		assertTrue(!page.isPageComplete() && page.getErrorMessage().contains("\"role/Audit\" is not a role name"), page.getErrorMessage());
		page.set("orgRole", "");
		WorkbenchViewsTest.waitUntil(page::isPageComplete, "a complete page");
		WorkbenchViewsTest.captureScreen("aws-wizard.png");

		// the MFA code dialog and the summary are modal: answered and photographed from timers inside their loops
		AtomicReference<String> summary = ModalDialogs.closeWhenShown(dev.loupe.ui.handlers.Messages.pullDialogTitle,
				"aws-summary.png");
		ModalDialogs.answerWhenShown(dev.loupe.ui.handlers.Messages.mfaTitle, s -> {
			all(s).stream().filter(c -> c instanceof Text).map(c -> (Text) c).findFirst().orElseThrow().setText("123456");
			s.getDisplay().timerExec(300, () -> { // painted by then
				ModalDialogs.capture("aws-mfa.png");
				s.getDefaultButton().notifyListeners(SWT.Selection, new Event());
			});
		});
		assertTrue(wizard.performFinish());
		dialog.close();
		WorkbenchViewsTest.waitUntil(() -> summary.get() != null, "the pull summary");
		assertTrue(summary.get().contains("cloudtrail 222233334444 eu-west-1: 1 pages, " + events.size() + " records"), summary.get());
		assertTrue(Files.isDirectory(home.resolve("pulls/222233334444/cloudtrail/eu-west-1")));
		assertEquals(1, new Sources(StoreSession.get().store()).list().size(), "the page was ingested");
		assertTrue(keys.contains("AKIAIOSFODNN7EXAMPLE"), "the role was assumed with the profile's key");
	}
}
