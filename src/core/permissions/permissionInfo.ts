/**
 * What each calls application permission means, in Graph's own words (msgraph-metadata
 * `permissions/beta/Calls.json` and Graph's permission page), and how to add it to an app registration.
 */
import type { Permission } from '../schema/endpoints';

export interface PermissionInfo {
	readonly permission: Permission;
	/** The short name the Entra admin center shows. */
	readonly displayName: string;
	readonly description: string;
	/** Application permissions always need admin consent. */
	readonly adminConsent: true;
}

export const PERMISSION_INFO: Readonly<Record<Permission, PermissionInfo>> = {
	'Calls.Initiate.All': {
		permission: 'Calls.Initiate.All',
		displayName: 'Initiate outgoing 1 to 1 calls from the app',
		description: 'Allows the app to place outbound calls to a single user and transfer calls to users in your organization\u2019s directory, without a signed-in user.',
		adminConsent: true,
	},
	'Calls.InitiateGroupCall.All': {
		permission: 'Calls.InitiateGroupCall.All',
		displayName: 'Initiate outgoing group calls from the app',
		description: 'Allows the app to place outbound calls to multiple users and add participants to meetings in your organization, without a signed-in user.',
		adminConsent: true,
	},
	'Calls.JoinGroupCall.All': {
		permission: 'Calls.JoinGroupCall.All',
		displayName: 'Join group calls and meetings as an app',
		description: 'Allows the app to join group calls and scheduled meetings in your organization, without a signed-in user. The app will be joined with the privileges of a directory user to meetings in your tenant.',
		adminConsent: true,
	},
	'Calls.JoinGroupCallAsGuest.All': {
		permission: 'Calls.JoinGroupCallAsGuest.All',
		displayName: 'Join group calls and meetings as a guest',
		description: 'Allows the app to anonymously join group calls and scheduled meetings in your organization, without a signed-in user. The app will be joined as a guest to meetings in your tenant.',
		adminConsent: true,
	},
	'Calls.AccessMedia.All': {
		permission: 'Calls.AccessMedia.All',
		displayName: 'Access media streams in a call as an app',
		description: 'Allows the app to get direct access to media streams in a call, without a signed-in user.',
		adminConsent: true,
	},
};

/** The four App Registration steps of Graph's permission page, for one permission. */
export function registrationSteps(permission: Permission): readonly { title: string; detail: string }[] {
	return [
		{ title: 'Open App registrations', detail: 'Sign in to the Microsoft Entra admin center (https://entra.microsoft.com) and go to App registrations; open your bot\'s app.' },
		{ title: 'Add an API permission', detail: 'Select API permissions > Add a permission > Microsoft Graph.' },
		{ title: 'Pick the permission', detail: `Choose Application permissions, search for ${permission}, tick it and select Add permissions.` },
		{ title: 'Grant admin consent', detail: 'Select "Grant admin consent" for your tenant: application permissions always need it. New tokens then carry the role.' },
	];
}
