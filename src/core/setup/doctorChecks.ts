/**
 * The setup doctor's checks by name: ids, titles and docs links. A leaf module (it imports nothing), so the Graph and
 * sign-in errors can name the check that finds their cause without importing the doctor (src/core/doctor) itself.
 */

export type DoctorCheckId =
	| 'token'
	| 'consent'
	| 'roles'
	| 'tenant'
	| 'callingService'
	| 'botChannel'
	| 'manifest'
	| 'callbackPublic'
	| 'callbackReachable'
	| 'clock';

export interface DoctorCheckInfo {
	readonly id: DoctorCheckId;
	readonly title: string;
	/** One line: what the check looks at. */
	readonly summary: string;
	readonly docs: string;
}

const DOCS = 'https://learn.microsoft.com';

/** Every check, in the order the doctor runs and shows them. */
export const DOCTOR_CHECKS: readonly DoctorCheckInfo[] = [
	{ id: 'token', title: 'Token', summary: 'An app-only token can be obtained with the client credentials.', docs: `${DOCS}/entra/identity-platform/v2-oauth2-client-creds-grant-flow` },
	{ id: 'consent', title: 'Admin consent', summary: 'The token carries application roles, so an administrator granted consent.', docs: `${DOCS}/entra/identity/enterprise-apps/grant-admin-consent` },
	{ id: 'roles', title: 'Application roles', summary: 'The Calls.* roles in the token cover what the bot does, and no more than it needs.', docs: `${DOCS}/graph/permissions-reference#calls-permissions` },
	{ id: 'tenant', title: 'Tenant', summary: 'The token\'s tenant is the tenant the calls belong to.', docs: `${DOCS}/graph/api/application-post-calls#request-body` },
	{ id: 'callingService', title: 'Calling service', summary: 'Graph\'s calling service accepts the app (no 7503, 7504 or 7505).', docs: `${DOCS}/microsoftteams/platform/bots/calls-and-meetings/registering-calling-bot` },
	{ id: 'botChannel', title: 'Azure Bot Teams channel', summary: 'The Azure Bot\'s Microsoft Teams channel has calling enabled and its calling webhook is the callback URL.', docs: `${DOCS}/azure/bot-service/bot-service-manage-channels` },
	{ id: 'manifest', title: 'Teams app manifest', summary: 'manifest.json names the bot by its client id with supportsCalling (and supportsVideo for video).', docs: `${DOCS}/microsoftteams/platform/resources/schema/manifest-schema#bots` },
	{ id: 'callbackPublic', title: 'Callback URL is public HTTPS', summary: 'Graph can only call a public https URL: not loopback, not a private address.', docs: `${DOCS}/microsoftteams/platform/bots/calls-and-meetings/call-notifications` },
	{ id: 'callbackReachable', title: 'Callback URL is reachable', summary: 'A probe sent through the public URL arrives at the receiver.', docs: `${DOCS}/microsoftteams/platform/bots/calls-and-meetings/call-notifications` },
	{ id: 'clock', title: 'Clock', summary: 'This machine\'s clock agrees with the service\'s (tokens have a validity window).', docs: `${DOCS}/entra/identity-platform/access-tokens#validate-tokens` },
];

export function checkInfo(id: DoctorCheckId): DoctorCheckInfo {
	const info = DOCTOR_CHECKS.find((c) => c.id === id);
	if (!info) throw new Error(`Unknown doctor check ${id}`);
	return info;
}
