package dev.loupe.cli.tests;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import dev.loupe.cli.Cli;

/**
 * What the pull tests share: an AWS profile "incident" (region us-east-1, the documentation's example key) in
 * files of their own, pointed at the way the AWS CLI's environment would, and the CLI run in-process.
 */
final class AwsTestProfile {
	record Run(int code, String out, String err) {
	}

	private AwsTestProfile() {
	}

	/** Writes the profile under {@code home}/aws and points the SDK at it. */
	static void install(Path home) throws IOException {
		Path dotAws = Files.createDirectories(home.resolve("aws"));
		Files.writeString(dotAws.resolve("credentials"), "[incident]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\n"
				+ "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n");
		Files.writeString(dotAws.resolve("config"), "[profile incident]\nregion = us-east-1\n");
		System.setProperty("aws.sharedCredentialsFile", dotAws.resolve("credentials").toString());
		System.setProperty("aws.configFile", dotAws.resolve("config").toString());
	}

	/** Stops the server and forgets the profile. */
	static void uninstall(FakeAws aws) {
		if (aws != null) {
			aws.close();
		}
		System.clearProperty("aws.sharedCredentialsFile");
		System.clearProperty("aws.configFile");
	}

	static Run loupe(Path home, String... args) {
		var out = new ByteArrayOutputStream();
		var err = new ByteArrayOutputStream();
		int code = new Cli(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
				home).run(args);
		return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
	}
}
