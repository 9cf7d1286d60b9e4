package dev.loupe.aws;

import java.util.ArrayList;
import java.util.List;

import software.amazon.awssdk.profiles.ProfileFile;
import software.amazon.awssdk.profiles.ProfileProperty;

/**
 * The named profiles of ~/.aws/config and ~/.aws/credentials (or the files AWS_CONFIG_FILE and
 * AWS_SHARED_CREDENTIALS_FILE name), as the AWS CLI reads them: for pickers. Only names and regions are read out;
 * keys stay with the SDK.
 */
public final class AwsProfiles {
	private AwsProfiles() {
	}

	/** The profile names, "default" first when there is one; empty when there are no files. */
	public static List<String> names() {
		List<String> out = new ArrayList<>();
		try {
			ProfileFile.defaultProfileFile().profiles().keySet().stream().sorted().forEach(out::add);
		} catch (RuntimeException e) {
			return List.of(); // unreadable files: the SDK says why when a pull uses them
		}
		if (out.remove("default")) {
			out.add(0, "default");
		}
		return out;
	}

	/** The region a profile names, or null. */
	public static String region(String profile) {
		try {
			return ProfileFile.defaultProfileFile().profile(profile).flatMap(p -> p.property(ProfileProperty.REGION)).orElse(null);
		} catch (RuntimeException e) {
			return null;
		}
	}
}
