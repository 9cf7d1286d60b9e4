package dev.loupe.ui.wizards;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

import org.eclipse.jface.wizard.WizardPage;
import org.eclipse.osgi.util.NLS;
import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Combo;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Text;

import dev.loupe.aws.AwsProfiles;
import dev.loupe.aws.PullRequest;
import dev.loupe.ui.StoreSession;

/**
 * What to pull from AWS: a profile of ~/.aws (credentials resolved as the AWS CLI does; Loupe keeps none), the
 * regions and time window, the services, CloudWatch Logs groups and S3 locations, and the roles of other accounts
 * (named one by one, or the organization's role in every account it lists) with the MFA device they need. Everything is checked as it is typed; the page is complete when it makes a pull.
 */
public class AwsSourcePage extends WizardPage {
	private Combo profile;
	private Text regions;
	private Text since;
	private Text until;
	private final List<Button> services = new ArrayList<>();
	private Text logGroups;
	private Text s3;
	private Text roles;
	private Text orgRole;
	private Text mfaSerial;
	private Text endpoint;
	private Text out;

	AwsSourcePage() {
		super("aws");
		setTitle(Messages.awsPageTitle);
		setDescription(Messages.awsPageDescription);
	}

	@Override
	public void createControl(Composite parent) {
		Composite root = new Composite(parent, SWT.NONE);
		root.setLayout(new GridLayout(2, false));
		label(root, Messages.awsProfile);
		profile = new Combo(root, SWT.READ_ONLY);
		profile.add(Messages.awsDefaultChain);
		AwsProfiles.names().forEach(profile::add);
		profile.select(profile.getItemCount() > 1 ? 1 : 0);
		profile.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
		regions = field(root, Messages.awsRegions, region(), SWT.NONE);
		Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
		since = field(root, Messages.awsSince, now.minus(Duration.ofDays(1)).toString(), SWT.NONE);
		until = field(root, Messages.awsUntil, now.toString(), SWT.NONE);
		label(root, Messages.awsServices);
		Composite boxes = new Composite(root, SWT.NONE);
		boxes.setLayout(new GridLayout(3, false));
		for (String s : new String[] { Messages.awsCloudTrail, Messages.awsGuardDuty, Messages.awsSecurityHub }) {
			Button b = new Button(boxes, SWT.CHECK);
			b.setText(s);
			b.setSelection(true);
			b.addListener(SWT.Selection, e -> validate());
			services.add(b);
		}
		logGroups = field(root, Messages.awsLogGroups, "", SWT.NONE);
		s3 = field(root, Messages.awsS3, "", SWT.NONE);
		roles = field(root, Messages.awsRoles, "", SWT.MULTI | SWT.V_SCROLL);
		((GridData) roles.getLayoutData()).heightHint = 48;
		orgRole = field(root, Messages.awsOrgRole, "", SWT.NONE);
		orgRole.setMessage(Messages.awsOrgRoleHint);
		mfaSerial = field(root, Messages.awsMfa, "", SWT.NONE);
		endpoint = field(root, Messages.awsEndpoint, "", SWT.NONE);
		out = field(root, Messages.awsOut, "", SWT.NONE);
		profile.addListener(SWT.Selection, e -> {
			regions.setText(region());
			out.setText(defaultOut());
		});
		out.setText(defaultOut());
		setControl(root);
		validate();
	}

	private static void label(Composite parent, String text) {
		new Label(parent, SWT.NONE).setText(text);
	}

	private Text field(Composite parent, String label, String value, int style) {
		label(parent, label);
		Text t = new Text(parent, SWT.BORDER | style);
		t.setText(value);
		GridData d = new GridData(SWT.FILL, SWT.CENTER, true, false);
		d.widthHint = 520;
		t.setLayoutData(d);
		t.addListener(SWT.Modify, e -> validate());
		return t;
	}

	private String profileName() {
		return profile.getSelectionIndex() <= 0 ? null : profile.getItem(profile.getSelectionIndex());
	}

	private String region() {
		String r = profileName() == null ? null : AwsProfiles.region(profileName());
		return r != null ? r : "us-east-1";
	}

	private String defaultOut() {
		return StoreSession.home().resolve("pulls").resolve(profileName() != null ? profileName() : "default").toString();
	}

	/** Checks every field; the first problem is shown and the page is incomplete until it is fixed. */
	void validate() {
		if (out == null) {
			return; // still being built
		}
		try {
			request(() -> "");
			setErrorMessage(null);
			setPageComplete(true);
		} catch (IllegalArgumentException e) {
			setErrorMessage(e.getMessage());
			setPageComplete(false);
		}
	}

	/**
	 * The pull the fields describe; {@code mfaCode} is asked when the first role is assumed.
	 * @throws IllegalArgumentException saying which field is wrong and what it expects
	 */
	PullRequest request(Supplier<String> mfaCode) {
		Instant from = time(since.getText(), Messages.awsSince);
		Instant to = time(until.getText(), Messages.awsUntil);
		if (!from.isBefore(to)) {
			throw new IllegalArgumentException(NLS.bind(Messages.awsBadWindow, from, to));
		}
		List<String> regionList = list(regions.getText());
		if (regionList.isEmpty()) {
			throw new IllegalArgumentException(Messages.awsNoRegion);
		}
		List<PullRequest.Service> chosen = new ArrayList<>();
		PullRequest.Service[] kinds = { PullRequest.Service.CLOUDTRAIL, PullRequest.Service.GUARDDUTY, PullRequest.Service.SECURITYHUB };
		for (int i = 0; i < kinds.length; i++) {
			if (services.get(i).getSelection()) {
				chosen.add(kinds[i]);
			}
		}
		List<String> groups = list(logGroups.getText());
		if (!groups.isEmpty()) {
			chosen.add(PullRequest.Service.LOGS);
		}
		List<PullRequest.S3Location> locations = new ArrayList<>();
		for (String l : list(s3.getText())) {
			locations.add(PullRequest.S3Location.parse(l));
		}
		if (!locations.isEmpty()) {
			chosen.add(PullRequest.Service.S3);
		}
		if (chosen.isEmpty()) {
			throw new IllegalArgumentException(Messages.awsNothing);
		}
		List<String> roleList = list(roles.getText());
		roleList.forEach(PullRequest::accountOf);
		String organizationRole = orgRole.getText().isBlank() ? null : PullRequest.roleName(orgRole.getText().strip());
		String serial = mfaSerial.getText().strip();
		URI uri = null;
		if (!endpoint.getText().isBlank()) {
			uri = URI.create(endpoint.getText().strip());
			if (uri.getScheme() == null || uri.getHost() == null) {
				throw new IllegalArgumentException(NLS.bind(Messages.awsBadEndpoint, endpoint.getText()));
			}
		}
		if (out.getText().isBlank()) {
			throw new IllegalArgumentException(Messages.awsNoOut);
		}
		return new PullRequest(chosen, profileName(), regionList, from, to, uri, Path.of(out.getText().strip()), groups, locations,
				roleList, serial.isEmpty() ? null : new PullRequest.Mfa(serial, mfaCode), organizationRole);
	}

	private static Instant time(String text, String field) {
		try {
			return Instant.parse(text.strip());
		} catch (DateTimeParseException e) {
			throw new IllegalArgumentException(NLS.bind(Messages.awsBadTime, field.replace(":", ""), text));
		}
	}

	/** Values separated by commas, spaces or lines. */
	private static List<String> list(String text) {
		return new ArrayList<>(Arrays.stream(text.split("[,\\s]+")).map(String::strip).filter(s -> !s.isEmpty()).toList());
	}

	/** For tests and scripted use: sets a field by its label's key. */
	public void set(String field, String value) {
		Text t = switch (field) {
		case "regions" -> regions;
		case "since" -> since;
		case "until" -> until;
		case "logGroups" -> logGroups;
		case "s3" -> s3;
		case "roles" -> roles;
		case "orgRole" -> orgRole;
		case "mfa" -> mfaSerial;
		case "endpoint" -> endpoint;
		case "out" -> out;
		default -> throw new IllegalArgumentException("no field " + field);
		};
		t.setText(value);
	}

	/** For tests: selects a profile by name and the services by their order (CloudTrail, GuardDuty, Security Hub). */
	public void choose(String profileName, boolean... servicesOn) {
		profile.select(Math.max(0, Arrays.asList(profile.getItems()).indexOf(profileName)));
		regions.setText(region());
		out.setText(defaultOut());
		for (int i = 0; i < servicesOn.length; i++) {
			services.get(i).setSelection(servicesOn[i]);
		}
		validate();
	}
}
