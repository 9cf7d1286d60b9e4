package dev.loupe.core.tests;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Three days of an account the way CloudTrail records a busy one, and a leaked key used in the third night. The
 * background is what makes real recordings hard: AWS Config's service-linked role describing everything (and
 * refused now and then), a Lambda function reading its secret every ten minutes through sessions Lambda assumes,
 * an instance profile's calls from its instance, GitHub Actions deploying every hour through CloudFormation's
 * service role, AWS Backup sharing each night's snapshot with the backup account, Terraform opening a port to the
 * world and creating an administrator, two administrators in the
 * console behind one office address who onboard a new colleague (a user, a console password, her first sign-in
 * without MFA) and open a bucket to a partner's account, a posture vendor's scan every four hours through the audit
 * role it was given (sixty kinds of configuration read in minutes, some refused), and GuardDuty's port-probe and SSH
 * brute-force findings about the internet-facing instance.
 *
 * <p>The attack, from Tor: the Jenkins user's key is probed (denied calls, services enumerated), makes an
 * administrator with a key and a console password, launches GPU instances with the new key, disables GuardDuty and
 * stops the trail. The new user signs in to the console from another address. After StopLogging the trail is
 * silent, background and all, until an administrator starts it again the next morning.
 */
final class NoisyAccount {
	static final ObjectMapper JSON = new ObjectMapper();
	static final String ACCOUNT = "444455556666";
	static final Instant START = Instant.parse("2025-06-02T00:00:00Z");
	static final Instant ATTACK = START.plus(2, ChronoUnit.DAYS).plus(2 * 60 + 13, ChronoUnit.MINUTES);
	/** The morning an administrator notices the stopped trail. */
	static final Instant RESTART = START.plus(2, ChronoUnit.DAYS).plus(9, ChronoUnit.HOURS);
	static final Instant END = START.plus(3, ChronoUnit.DAYS);
	static final String OFFICE = "198.51.100.20";
	static final String TOR = "185.220.101.45";
	static final String TOR2 = "185.220.101.46";
	static final String TOR3 = "185.220.101.47";
	static final String INSTANCE = "i-0a1b2c3d4e5f60789";
	static final String INSTANCE_IP = "54.170.10.20";
	static final String BOTO = "Boto3/1.34.84 md/Botocore#1.34.84 ua/2.0 os/linux#6.5.0 md/arch#x86_64 lang/python#3.11.8 "
			+ "md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.34.84";
	static final String CHROME = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
			+ "Chrome/125.0.0.0 Safari/537.36";
	static final String JENKINS = "aws-cli/1.29.0 Python/3.9.16 Linux/5.15.0-1040-aws botocore/1.31.0";
	static final String GHA = "aws-cli/2.17.0 Python/3.11.9 Linux/6.5.0-1025-azure exe/x86_64.ubuntu.22 prompt/off command/cloudformation.deploy";
	static final String LAMBDA = "aws-sdk-java/2.25.0 Linux/5.10.216-225.855.amzn2.x86_64 OpenJDK_64-Bit_Server_VM/17.0.11+9-LTS "
			+ "Java/17.0.11 vendor/Amazon.com_Inc. exec-env/AWS_Lambda_java17";
	static final String TERRAFORM = "APN/1.0 HashiCorp/1.0 Terraform/1.9.8 (+https://www.terraform.io) terraform-provider-aws/5.80.0";
	static final String SSO_ROLE = "AWSReservedSSO_AdministratorAccess_1a2b3c4d5e6f7a8b";

	private final Random random = new Random(11);
	private final List<ObjectNode> trail = new ArrayList<>();
	private final ArrayNode findings = JSON.createArrayNode();
	private int id;

	/** The CloudTrail records, in time order. */
	ArrayNode trail() {
		trail.sort(Comparator.comparing((ObjectNode x) -> x.path("eventTime").asText()));
		return JSON.createArrayNode().addAll(trail);
	}

	/** The GuardDuty findings (API shape), background and attack. */
	ArrayNode findings() {
		return findings;
	}

	/** The trail as a CloudTrail file in {@code dir}. */
	Path writeTrail(Path dir) throws IOException {
		return writeTrail(dir, "trail.json");
	}

	/** The trail as a CloudTrail file of that name in {@code dir} (another scenario's calls beside the account's). */
	Path writeTrail(Path dir, String name) throws IOException {
		return Files.writeString(dir.resolve(name), JSON.writeValueAsString(JSON.createObjectNode().set("Records", trail())));
	}

	/** The quiet account's three days in {@code dir/background}, then {@code attack}: each update gives the full run's results. */
	static void updateOnTheQuietAccount(Path dir, Path attack) throws IOException {
		Path background = quiet().writeTrail(Files.createDirectories(dir.resolve("background")));
		WindowedUpdateTest.updateAfterEach(dir, java.util.List.of(background, attack));
	}

	/** The findings as a GetFindings answer in {@code dir}. */
	Path writeFindings(Path dir) throws IOException {
		return Files.writeString(dir.resolve("findings.json"), JSON.writeValueAsString(JSON.createObjectNode().set("Findings", findings())));
	}

	static NoisyAccount generate() {
		NoisyAccount a = new NoisyAccount();
		a.background();
		a.attack();
		a.silence();
		return a;
	}

	/** The three days' background alone, for another attack to be added to. */
	static NoisyAccount quiet() {
		NoisyAccount a = new NoisyAccount();
		a.background();
		return a;
	}

	// ---- identities

	static ObjectNode iamUser(String name, String key) {
		return JSON.createObjectNode().put("type", "IAMUser").put("accountId", ACCOUNT).put("userName", name)
				.put("arn", "arn:aws:iam::" + ACCOUNT + ":user/" + name).put("principalId", "AIDA" + name.toUpperCase().replace("-", ""))
				.put("accessKeyId", key);
	}

	static ObjectNode session(String rolePath, String role, String session, String key) {
		ObjectNode id = JSON.createObjectNode().put("type", "AssumedRole").put("accountId", ACCOUNT)
				.put("arn", "arn:aws:sts::" + ACCOUNT + ":assumed-role/" + role + "/" + session)
				.put("principalId", "AROA" + Integer.toHexString(role.hashCode()).toUpperCase() + ":" + session)
				.put("accessKeyId", key);
		ObjectNode ctx = id.putObject("sessionContext");
		ctx.putObject("sessionIssuer").put("type", "Role").put("accountId", ACCOUNT)
				.put("arn", "arn:aws:iam::" + ACCOUNT + ":role/" + rolePath + role).put("userName", role);
		ctx.putObject("attributes").put("mfaAuthenticated", "false");
		return id;
	}

	static ObjectNode service(String svc) {
		return JSON.createObjectNode().put("type", "AWSService").put("invokedBy", svc);
	}

	// ---- records

	ObjectNode call(Instant t, String source, String name, ObjectNode who, String ip, String ua) {
		ObjectNode e = JSON.createObjectNode();
		e.put("eventVersion", "1.09");
		e.set("userIdentity", who.deepCopy());
		e.put("eventTime", t.truncatedTo(ChronoUnit.SECONDS).toString()).put("eventSource", source).put("eventName", name)
				.put("awsRegion", "eu-west-1").put("sourceIPAddress", ip).put("userAgent", ua);
		e.putObject("requestParameters");
		e.putNull("responseElements");
		e.put("requestID", new java.util.UUID(random.nextLong(), random.nextLong()).toString())
				.put("eventID", new java.util.UUID(random.nextLong(), random.nextLong()).toString())
				.put("readOnly", name.matches("(Get|List|Describe|Lookup).*")).put("eventType", "AwsApiCall")
				.put("managementEvent", true).put("recipientAccountId", ACCOUNT).put("eventCategory", "Management");
		++id;
		trail.add(e);
		return e;
	}

	static ObjectNode params(ObjectNode e) {
		return (ObjectNode) e.get("requestParameters");
	}

	ObjectNode denied(ObjectNode e) {
		e.put("errorCode", "AccessDenied").put("errorMessage", "User: " + e.path("userIdentity").path("arn").asText()
				+ " is not authorized to perform: " + e.path("eventSource").asText().replace(".amazonaws.com", "") + ":"
				+ e.path("eventName").asText());
		return e;
	}

	ObjectNode consoleLogin(Instant t, ObjectNode who, String ip, boolean mfa) {
		ObjectNode e = call(t, "signin.amazonaws.com", "ConsoleLogin", who, ip, CHROME);
		e.put("eventType", "AwsConsoleSignIn").put("awsRegion", "us-east-1");
		e.putNull("requestParameters");
		e.putObject("responseElements").put("ConsoleLogin", "Success");
		e.putObject("additionalEventData").put("LoginTo", "https://console.aws.amazon.com/console/home")
				.put("MobileVersion", "No").put("MFAUsed", mfa ? "Yes" : "No");
		return e;
	}

	/** Lambda (or EC2) assuming a role for its function (or instance): CloudTrail records the service as caller. */
	void assumedByService(Instant t, String svc, String role, String session, String key) {
		ObjectNode e = call(t, "sts.amazonaws.com", "AssumeRole", service(svc), svc, svc);
		e.put("eventType", "AwsApiCall");
		params(e).put("roleArn", "arn:aws:iam::" + ACCOUNT + ":role/" + role).put("roleSessionName", session);
		ObjectNode re = e.putObject("responseElements");
		re.putObject("credentials").put("accessKeyId", key).put("expiration", t.plus(1, ChronoUnit.HOURS).toString());
		re.putObject("assumedRoleUser").put("assumedRoleId", "AROA" + Integer.toHexString(role.hashCode()).toUpperCase() + ":" + session)
				.put("arn", "arn:aws:sts::" + ACCOUNT + ":assumed-role/" + role + "/" + session);
	}

	// ---- background

	private void background() {
		String[] configApis = { "DescribeInstances", "DescribeSecurityGroups", "DescribeVpcs", "DescribeSubnets", "ListBuckets",
				"GetBucketPolicy", "GetBucketAcl", "ListRoles", "GetRole", "ListAttachedRolePolicies", "DescribeDBInstances",
				"ListFunctions", "GetFunction", "DescribeLoadBalancers", "ListUsers", "GetUser", "DescribeVolumes",
				"DescribeNetworkInterfaces", "ListKeys", "DescribeKey" };
		String[] consoleApis = { "DescribeInstances", "DescribeAlarms", "GetMetricData", "ListBuckets", "LookupEvents",
				"DescribeStacks", "ListFunctions", "GetCostAndUsage", "DescribeLogGroups" };
		ObjectNode config = session("aws-service-role/config.amazonaws.com/", "AWSServiceRoleForConfig", "AWSConfig-Describe",
				"ASIACONFIG0000000001");
		for (Instant t = START; t.isBefore(END); t = t.plus(2, ChronoUnit.MINUTES)) {
			int minute = (int) ChronoUnit.MINUTES.between(START, t);
			// AWS Config reads every resource type; a few of them its role may not read
			ObjectNode c = call(t, "config.amazonaws.com", configApis[random.nextInt(configApis.length)], config,
					"config.amazonaws.com", "config.amazonaws.com");
			if (minute % 60 < 24 && minute % 60 % 2 == 0 && random.nextInt(4) > 0) {
				denied(c);
			}
			int hour = minute / 60 % 24;
			if (hour >= 8 && hour < 18) {
				for (String admin : new String[] { "alice@example.com", "bob@example.com" }) {
					if (random.nextInt(3) == 0) {
						call(t.plusSeconds(random.nextInt(100)), "ec2.amazonaws.com", consoleApis[random.nextInt(consoleApis.length)],
								session("aws-reserved/sso.amazonaws.com/eu-west-1/", SSO_ROLE, admin, "ASIA" + admin.substring(0, 3).toUpperCase()
										+ "SSO000000001"), OFFICE, CHROME);
					}
				}
			}
			if (minute % 10 == 0) {
				lambdaReadsItsSecret(t, minute);
			}
			if (minute % 6 == 0) {
				ObjectNode web = session("", "web-role", INSTANCE, "ASIAWEBROLE000000001");
				call(t.plusSeconds(15), "ssm.amazonaws.com", "UpdateInstanceInformation", web, INSTANCE_IP,
						"aws-sdk-go/1.44.322 (go1.20.6; linux; amd64) amazon-ssm-agent/3.2.1377.0");
				if (minute % 60 == 0) {
					assumedByService(t, "ec2.amazonaws.com", "web-role", INSTANCE, "ASIAWEBROLE000000001");
				}
			}
			if (minute % 60 == 30) {
				githubDeploys(t, minute / 60);
			}
			if (minute % 30 == 0 && hour >= 7 && hour < 20) {
				ObjectNode jenkins = iamUser("deploy-bot", "AKIADEPLOYBOT0000001");
				call(t, "ecr.amazonaws.com", "GetAuthorizationToken", jenkins, "192.0.2.50", JENKINS);
				call(t.plusSeconds(20), "ecs.amazonaws.com", "UpdateService", jenkins, "192.0.2.50", JENKINS);
				call(t.plusSeconds(40), "ecs.amazonaws.com", "DescribeServices", jenkins, "192.0.2.50", JENKINS);
			}
		}
		for (int d = 0; d < 3; d++) {
			backupCopiesToTheVault(START.plus(d, ChronoUnit.DAYS).plus(5, ChronoUnit.HOURS), d);
		}
		terraformApply(START.plus(1, ChronoUnit.DAYS).plus(11, ChronoUnit.HOURS));
		onboarding(START.plus(1, ChronoUnit.DAYS).plus(14, ChronoUnit.HOURS));
		partnerShare(START.plus(1, ChronoUnit.DAYS).plus(16, ChronoUnit.HOURS));
		internetNoise();
		for (Instant t = START.plus(17, ChronoUnit.MINUTES); t.isBefore(END); t = t.plus(4, ChronoUnit.HOURS)) {
			postureScan(t, (int) ChronoUnit.HOURS.between(START, t));
		}
	}

	/**
	 * A cloud security posture vendor's scan every four hours: its own account assumes the audit role it was given
	 * (with an external ID), and the session reads sixty kinds of configuration in five minutes from one of the
	 * vendor's AWS addresses, some of it refused.
	 */
	private void postureScan(Instant t, int run) {
		String session = "posture-scan-" + run;
		String key = "ASIAPOSTURE" + String.format("%09d", run);
		String ip = "3.120.45." + (10 + run % 40);
		String ua = "aws-sdk-go-v2/1.30.3 os/linux lang/go#1.22.5 md/GOOS#linux md/GOARCH#amd64";
		ObjectNode vendor = JSON.createObjectNode().put("type", "AWSAccount").put("principalId", "AROAVENDORSCANNER0001:" + session)
				.put("accountId", "197171649850");
		ObjectNode assume = call(t, "sts.amazonaws.com", "AssumeRole", vendor, ip, ua + " api/sts#1.30.3");
		params(assume).put("roleArn", "arn:aws:iam::" + ACCOUNT + ":role/PostureAudit-Role").put("roleSessionName", session)
				.put("externalId", "d41d8cd98f00b204");
		ObjectNode re = assume.putObject("responseElements");
		re.putObject("credentials").put("accessKeyId", key).put("expiration", t.plus(1, ChronoUnit.HOURS).toString());
		re.putObject("assumedRoleUser").put("assumedRoleId", "AROA" + Integer.toHexString("PostureAudit-Role".hashCode()).toUpperCase() + ":"
				+ session).put("arn", "arn:aws:sts::" + ACCOUNT + ":assumed-role/PostureAudit-Role/" + session);
		ObjectNode scanner = session("", "PostureAudit-Role", session, key);
		String[] services = { "ec2", "iam", "s3", "rds", "lambda", "kms", "cloudtrail", "config", "guardduty", "logs", "sns", "sqs",
				"ecr", "eks", "elasticloadbalancing" };
		String[] verbs = { "Describe", "List", "Get", "Describe" };
		for (int i = 0; i < 60; i++) {
			String svc = services[i % services.length];
			ObjectNode c = call(t.plusSeconds(20 + 5L * i), svc + ".amazonaws.com", verbs[i % verbs.length] + "Thing" + (i / services.length) + svc,
					scanner, ip, ua);
			if (i % 5 == 2) {
				denied(c);
			}
		}
	}

	private void lambdaReadsItsSecret(Instant t, int minute) {
		String key = "ASIAORDERSFN" + String.format("%08d", minute / 60);
		if (minute % 60 == 0) {
			assumedByService(t, "lambda.amazonaws.com", "orders-fn-role", "orders-fn", key);
		}
		ObjectNode fn = session("", "orders-fn-role", "orders-fn", key);
		ObjectNode get = call(t.plusSeconds(30), "secretsmanager.amazonaws.com", "GetSecretValue", fn,
				"3.250." + (minute / 60 % 200) + ".17", LAMBDA);
		params(get).put("secretId", "arn:aws:secretsmanager:eu-west-1:" + ACCOUNT + ":secret:orders/db-AbCdEf");
	}

	/** An hourly deployment: GitHub's OIDC token for a session, CloudFormation's service role doing the work. */
	private void githubDeploys(Instant t, int run) {
		ObjectNode web = JSON.createObjectNode().put("type", "WebIdentityUser").put("principalId",
				"arn:aws:iam::" + ACCOUNT + ":oidc-provider/token.actions.githubusercontent.com:sts.amazonaws.com:repo:shop/orders:ref:refs/heads/main")
				.put("userName", "repo:shop/orders:ref:refs/heads/main").put("identityProvider", "arn:aws:iam::" + ACCOUNT
						+ ":oidc-provider/token.actions.githubusercontent.com");
		String runner = "20.55." + (run % 250) + ".9";
		String key = "ASIAGHA" + String.format("%013d", run);
		ObjectNode assume = call(t, "sts.amazonaws.com", "AssumeRoleWithWebIdentity", web, runner,
				"configure-aws-credentials-for-github-actions");
		params(assume).put("roleArn", "arn:aws:iam::" + ACCOUNT + ":role/gha-deploy").put("roleSessionName", "GitHubActions");
		ObjectNode re = assume.putObject("responseElements");
		re.putObject("credentials").put("accessKeyId", key);
		re.putObject("assumedRoleUser").put("arn", "arn:aws:sts::" + ACCOUNT + ":assumed-role/gha-deploy/GitHubActions");
		ObjectNode gha = session("", "gha-deploy", "GitHubActions", key);
		// (with the stack's service role: CloudFormation's session is the pipeline's deployment)
		params(call(t.plusSeconds(30), "cloudformation.amazonaws.com", "CreateChangeSet", gha, runner, GHA)).put("stackName", "orders")
				.put("changeSetName", "run-" + run).put("roleARN", "arn:aws:iam::" + ACCOUNT + ":role/cfn-exec");
		call(t.plusSeconds(45), "cloudformation.amazonaws.com", "ExecuteChangeSet", gha, runner, GHA);
		ObjectNode cfn = session("", "cfn-exec", "AWSCloudFormation", "ASIACFN" + String.format("%013d", run));
		ObjectNode code = call(t.plusSeconds(70), "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", cfn,
				"cloudformation.amazonaws.com", "cloudformation.amazonaws.com");
		params(code).put("functionName", "orders-fn");
		if (run % 24 == 3) {
			// a daily stack update rewrites the function's role policy and the website bucket's public policy
			ObjectNode policy = call(t.plusSeconds(80), "iam.amazonaws.com", "PutRolePolicy", cfn, "cloudformation.amazonaws.com",
					"cloudformation.amazonaws.com");
			params(policy).put("roleName", "orders-fn-role").put("policyName", "orders-secrets");
			ObjectNode bucket = call(t.plusSeconds(90), "s3.amazonaws.com", "PutBucketPolicy", cfn, "cloudformation.amazonaws.com",
					"cloudformation.amazonaws.com");
			params(bucket).put("bucketName", "shop-website-assets").put("bucketPolicy",
					"{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:GetObject\","
							+ "\"Resource\":\"arn:aws:s3:::shop-website-assets/*\"}]}");
		}
	}

	/**
	 * AWS Backup's nightly copy to the backup account's vault: the service, with the account's own service role,
	 * shares the night's snapshot with the vault account (a snapshot shared with another account is a signal).
	 */
	private void backupCopiesToTheVault(Instant t, int night) {
		ObjectNode backup = session("service-role/", "AWSBackupDefaultServiceRole", "AWSBackup-AWSBackupDefaultServiceRole",
				"ASIABACKUP" + String.format("%010d", night));
		ObjectNode snapshot = call(t, "ec2.amazonaws.com", "CreateSnapshot", backup, "backup.amazonaws.com", "backup.amazonaws.com");
		params(snapshot).put("volumeId", "vol-0123456789abcdef0");
		ObjectNode share = call(t.plus(20, ChronoUnit.MINUTES), "ec2.amazonaws.com", "ModifySnapshotAttribute", backup,
				"backup.amazonaws.com", "backup.amazonaws.com");
		params(share).put("snapshotId", "snap-0" + night + "23456789abcdef0").put("attributeType", "CREATE_VOLUME_PERMISSION")
				.putObject("createVolumePermission").putObject("add").putArray("items").addObject().put("userId", "999988887777");
	}

	/** The platform team's Terraform opens the load balancer to the world and makes a break-glass administrator. */
	private void terraformApply(Instant t) {
		ObjectNode tf = iamUser("terraform-ci", "AKIATERRAFORMCI00001");
		String ip = "192.0.2.60";
		ObjectNode ingress = call(t, "ec2.amazonaws.com", "AuthorizeSecurityGroupIngress", tf, ip, TERRAFORM);
		params(ingress).put("groupId", "sg-0123456789abcdef0").putObject("ipPermissions").putArray("items").addObject()
				.put("ipProtocol", "tcp").put("fromPort", 443).put("toPort", 443).putObject("ipRanges").putArray("items")
				.addObject().put("cidrIp", "0.0.0.0/0");
		params(call(t.plusSeconds(5), "iam.amazonaws.com", "CreateUser", tf, ip, TERRAFORM)).put("userName", "break-glass");
		params(call(t.plusSeconds(7), "iam.amazonaws.com", "AttachUserPolicy", tf, ip, TERRAFORM)).put("userName", "break-glass")
				.put("policyArn", "arn:aws:iam::aws:policy/AdministratorAccess");
		params(call(t.plusSeconds(9), "iam.amazonaws.com", "CreateLoginProfile", tf, ip, TERRAFORM)).put("userName", "break-glass")
				.put("passwordResetRequired", true);
	}

	/** Alice makes an account for a new colleague, who signs in for the first time before setting up MFA. */
	private void onboarding(Instant t) {
		ObjectNode alice = session("aws-reserved/sso.amazonaws.com/eu-west-1/", SSO_ROLE, "alice@example.com", "ASIAALISSO000000001");
		params(call(t, "iam.amazonaws.com", "CreateUser", alice, OFFICE, CHROME)).put("userName", "erin");
		params(call(t.plusSeconds(40), "iam.amazonaws.com", "AddUserToGroup", alice, OFFICE, CHROME)).put("userName", "erin")
				.put("groupName", "developers");
		params(call(t.plusSeconds(70), "iam.amazonaws.com", "CreateLoginProfile", alice, OFFICE, CHROME)).put("userName", "erin")
				.put("passwordResetRequired", true);
		ObjectNode erin = iamUser("erin", null);
		erin.remove("accessKeyId");
		consoleLogin(t.plus(25, ChronoUnit.MINUTES), erin, OFFICE, false);
	}

	/**
	 * The same afternoon, from the same office and browser build, bob opens a bucket to a partner's account (a
	 * signal of its own): two administrators' work, not one intruder's two identities.
	 */
	private void partnerShare(Instant t) {
		ObjectNode bob = session("aws-reserved/sso.amazonaws.com/eu-west-1/", SSO_ROLE, "bob@example.com", "ASIABOBSSO000000001");
		params(call(t, "s3.amazonaws.com", "PutBucketPolicy", bob, OFFICE, CHROME)).put("bucketName", "shop-partner-feed")
				.put("bucketPolicy", "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":"
						+ "\"arn:aws:iam::777766665555:root\"},\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::shop-partner-feed/*\"}]}");
	}

	/** What GuardDuty reports about any internet-facing instance: probes and brute force, with it as target. */
	private void internetNoise() {
		for (int h = 3; h < 72; h += 7) {
			finding(START.plus(h, ChronoUnit.HOURS), "Recon:EC2/PortProbeUnprotectedPort", 2.0, instanceResource(),
					"45.155." + h + ".3", "TARGET");
		}
		for (int d = 0; d < 3; d++) {
			finding(START.plus(d, ChronoUnit.DAYS).plus(16, ChronoUnit.HOURS), "UnauthorizedAccess:EC2/SSHBruteForce", 2.0,
					instanceResource(), "61.177." + d + ".20", "TARGET");
		}
	}

	// ---- the attack

	private void attack() {
		ObjectNode bot = iamUser("deploy-bot", "AKIADEPLOYBOT0000001");
		Instant t = ATTACK;
		call(t, "sts.amazonaws.com", "GetCallerIdentity", bot, TOR, BOTO);
		String[][] probe = { { "iam", "ListUsers" }, { "iam", "ListRoles" }, { "iam", "ListPolicies" }, { "iam", "ListGroups" },
				{ "iam", "GetAccountAuthorizationDetails" }, { "iam", "GetAccountSummary" }, { "s3", "ListBuckets" },
				{ "ec2", "DescribeInstances" }, { "ec2", "DescribeRegions" }, { "ec2", "DescribeSecurityGroups" },
				{ "ec2", "DescribeVpcs" }, { "ec2", "DescribeSnapshots" }, { "ec2", "DescribeImages" }, { "lambda", "ListFunctions" },
				{ "rds", "DescribeDBInstances" }, { "secretsmanager", "ListSecrets" }, { "ssm", "DescribeParameters" },
				{ "dynamodb", "ListTables" }, { "sqs", "ListQueues" }, { "sns", "ListTopics" }, { "kms", "ListKeys" },
				{ "cloudtrail", "DescribeTrails" }, { "guardduty", "ListDetectors" }, { "organizations", "DescribeOrganization" },
				{ "organizations", "ListAccounts" }, { "ses", "GetSendQuota" }, { "ses", "ListIdentities" },
				{ "route53", "ListHostedZones" }, { "eks", "ListClusters" }, { "ecr", "DescribeRepositories" } };
		for (int i = 0; i < probe.length; i++) {
			ObjectNode e = call(t.plusSeconds(40 + 6 * i), probe[i][0] + ".amazonaws.com", probe[i][1], bot, TOR, BOTO);
			if (i % 5 == 1 || probe[i][0].matches("organizations|ses|guardduty|route53|eks|kms|sns|sqs|dynamodb")) {
				denied(e);
			}
		}
		finding(t.plus(2, ChronoUnit.MINUTES), "UnauthorizedAccess:IAMUser/TorIPCaller", 5.0, keyResource("deploy-bot",
				"AKIADEPLOYBOT0000001"), TOR, "ACTOR");
		finding(t.plus(4, ChronoUnit.MINUTES), "Discovery:IAMUser/AnomalousBehavior", 5.0, keyResource("deploy-bot",
				"AKIADEPLOYBOT0000001"), TOR, "ACTOR");
		Instant p = t.plus(6, ChronoUnit.MINUTES);
		params(call(p, "iam.amazonaws.com", "CreateUser", bot, TOR, BOTO)).put("userName", "svc-backup");
		params(call(p.plusSeconds(3), "iam.amazonaws.com", "AttachUserPolicy", bot, TOR, BOTO)).put("userName", "svc-backup")
				.put("policyArn", "arn:aws:iam::aws:policy/AdministratorAccess");
		ObjectNode key = call(p.plusSeconds(5), "iam.amazonaws.com", "CreateAccessKey", bot, TOR, BOTO);
		params(key).put("userName", "svc-backup");
		key.putObject("responseElements").putObject("accessKey").put("accessKeyId", "AKIASVCBACKUP0000001")
				.put("userName", "svc-backup").put("status", "Active");
		params(call(p.plusSeconds(8), "iam.amazonaws.com", "CreateLoginProfile", bot, TOR, BOTO)).put("userName", "svc-backup")
				.put("passwordResetRequired", false);
		ObjectNode backup = iamUser("svc-backup", "AKIASVCBACKUP0000001");
		consoleLogin(t.plus(8, ChronoUnit.MINUTES), iamUser("svc-backup", null), TOR3, false);
		Instant m = t.plus(10, ChronoUnit.MINUTES);
		for (int i = 0; i < 3; i++) {
			ObjectNode run = call(m.plusSeconds(20 * i), "ec2.amazonaws.com", "RunInstances", backup, TOR2, BOTO);
			run.put("awsRegion", i < 2 ? "us-east-2" : "ap-southeast-1");
			params(run).put("instanceType", "p3.16xlarge").put("imageId", "ami-0abcdef1234567890").put("minCount", 10).put("maxCount", 10);
		}
		ObjectNode gd = call(t.plus(12, ChronoUnit.MINUTES), "guardduty.amazonaws.com", "UpdateDetector", backup, TOR2, BOTO);
		params(gd).put("detectorId", "12abc34d567e8fa901bc2d34e56789f0").put("enable", false);
		ObjectNode stop = call(t.plus(14, ChronoUnit.MINUTES), "cloudtrail.amazonaws.com", "StopLogging", backup, TOR2, BOTO);
		params(stop).put("name", "arn:aws:cloudtrail:eu-west-1:" + ACCOUNT + ":trail/management-events");
	}

	/** A stopped trail records nothing more, until an administrator starts it again the next morning. */
	private void silence() {
		Instant stopped = ATTACK.plus(14, ChronoUnit.MINUTES);
		for (int i = trail.size() - 1; i >= 0; i--) {
			Instant t = Instant.parse(trail.get(i).path("eventTime").asText());
			if (t.isAfter(stopped) && t.isBefore(RESTART)) {
				trail.remove(i);
			}
		}
		ObjectNode bob = session("aws-reserved/sso.amazonaws.com/eu-west-1/", SSO_ROLE, "bob@example.com", "ASIABOBSSO000000001");
		params(call(RESTART, "cloudtrail.amazonaws.com", "StartLogging", bob, OFFICE, CHROME)).put("name",
				"arn:aws:cloudtrail:eu-west-1:" + ACCOUNT + ":trail/management-events");
	}

	// ---- findings

	private ObjectNode instanceResource() {
		ObjectNode r = JSON.createObjectNode().put("ResourceType", "Instance");
		r.putObject("InstanceDetails").put("InstanceId", INSTANCE).put("InstanceType", "t3.medium");
		return r;
	}

	private static ObjectNode keyResource(String user, String key) {
		ObjectNode r = JSON.createObjectNode().put("ResourceType", "AccessKey");
		r.putObject("AccessKeyDetails").put("AccessKeyId", key).put("PrincipalId", "AIDA" + user.toUpperCase().replace("-", ""))
				.put("UserName", user).put("UserType", "IAMUser");
		return r;
	}

	private void finding(Instant t, String type, double severity, ObjectNode resource, String remoteIp, String role) {
		String fid = Integer.toHexString(type.hashCode()) + Long.toHexString(t.getEpochSecond());
		ObjectNode f = findings.addObject();
		f.put("AccountId", ACCOUNT).put("Arn", "arn:aws:guardduty:eu-west-1:" + ACCOUNT + ":detector/12abc34d567e8fa901bc2d34e56789f0/finding/" + fid)
				.put("CreatedAt", t.toString()).put("Id", fid).put("Partition", "aws").put("Region", "eu-west-1")
				.put("SchemaVersion", "2.0").put("Severity", severity).put("Title", type).put("Type", type)
				.put("UpdatedAt", t.toString()).put("Description", type);
		f.set("Resource", resource);
		ObjectNode service = f.putObject("Service");
		service.put("ServiceName", "guardduty").put("DetectorId", "12abc34d567e8fa901bc2d34e56789f0").put("Archived", false)
				.put("Count", 1).put("EventFirstSeen", t.toString()).put("EventLastSeen", t.toString()).put("ResourceRole", role);
		ObjectNode action = service.putObject("Action");
		if (type.startsWith("Recon:EC2") || type.contains("SSHBruteForce")) {
			action.put("ActionType", "NETWORK_CONNECTION").putObject("NetworkConnectionAction").put("ConnectionDirection", "INBOUND")
					.put("Protocol", "TCP").put("Blocked", false).putObject("RemoteIpDetails").put("IpAddressV4", remoteIp);
		} else {
			ObjectNode call = action.put("ActionType", "AWS_API_CALL").putObject("AwsApiCallAction");
			call.put("Api", "ListUsers").put("ServiceName", "iam.amazonaws.com").put("CallerType", "Remote IP")
					.putObject("RemoteIpDetails").put("IpAddressV4", remoteIp);
		}
	}
}
