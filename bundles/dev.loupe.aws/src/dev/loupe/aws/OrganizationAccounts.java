package dev.loupe.aws;

import java.util.LinkedHashMap;
import java.util.Map;

import software.amazon.awssdk.services.organizations.OrganizationsClient;
import software.amazon.awssdk.services.organizations.model.Account;
import software.amazon.awssdk.services.organizations.model.ListAccountsRequest;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * The accounts to pull: those named by role ARNs, and, with an organization role, every account the profile's
 * organization lists (ListAccounts answers in the management account and for a delegated administrator). The
 * profile's own account is pulled with its own credentials: the organization role does not exist there.
 * Accounts that are not active (suspended, closing) are left out and said so; when the organization cannot be
 * listed, {@code listingError} says why and the profile's own account and the roles named are still pulled.
 */
record OrganizationAccounts(String self, Map<String, String> roles, Map<String, String> inactive, String listingError) {

	/** The accounts of {@code request}; with an organization role, listed through {@code clients}. */
	static OrganizationAccounts of(AwsClients clients, PullRequest request) {
		Map<String, String> roles = new LinkedHashMap<>();
		Map<String, String> inactive = new LinkedHashMap<>();
		String self = null;
		String listingError = null;
		if (request.organizationRole() != null) {
			try (StsClient sts = clients.sts()) {
				self = sts.getCallerIdentity().account();
			}
			try (OrganizationsClient orgs = clients.organizations()) {
				// the paginator has no result key here: pages are walked
				for (Account a : orgs.listAccountsPaginator(ListAccountsRequest.builder().build()).stream()
						.flatMap(page -> page.accounts().stream()).toList()) {
					String state = a.state() != null ? a.stateAsString() : a.statusAsString();
					if (!"ACTIVE".equals(state)) {
						inactive.put(a.id(), state);
					} else if (!a.id().equals(self)) {
						roles.put(a.id(), "arn:" + partition(request) + ":iam::" + a.id() + ":role/" + request.organizationRole());
					}
				}
			} catch (SdkException e) {
				// a member account may not list its organization: its own account and the roles named are pulled
				listingError = Pulls.describe(e);
			}
		}
		// a role named for an account wins over the organization's role
		for (String role : request.roles()) {
			roles.put(PullRequest.accountOf(role), role);
		}
		if (self != null) {
			roles.remove(self);
		}
		return new OrganizationAccounts(self, roles, inactive, listingError);
	}

	static String partition(PullRequest request) {
		String region = request.regions().get(0);
		return region.startsWith("cn-") ? "aws-cn" : region.startsWith("us-gov-") ? "aws-us-gov" : "aws";
	}
}
