/**
 * The checks that read the app-only token: can one be obtained, does it carry roles (admin consent), do the Calls.*
 * roles cover what the bot does (least privilege), and is it for the calls' tenant.
 */
import { summariseClaims, decodeTokenClaims, type ClaimsSummary } from '../auth/tokenClaims';
import { ALL_PERMISSIONS, CREATE_CALL_PERMISSIONS, normalizePermission, type Permission } from '../schema/endpoints';
import { leastPrivilegeSet } from '../traffic/permissionRule';
import { cannotCheck, fail, pass, type CheckResult } from './doctorModel';

/** What the bot does: kinds of calls (each needs a Calls.* permission) and whether it wants video. */
export type CallKindNeed = keyof typeof CREATE_CALL_PERMISSIONS;
export const CALL_KIND_NEEDS = Object.keys(CREATE_CALL_PERMISSIONS) as CallKindNeed[];

export interface BotNeeds {
	readonly kinds: readonly CallKindNeed[];
	/** The bot asks for video (requestedModalities): the manifest must say supportsVideo. */
	readonly video: boolean;
}

const KIND_TEXT: Readonly<Record<CallKindNeed, string>> = {
	peerToPeer: '1:1 calls to users',
	pstn: 'calls to phone numbers',
	group: 'group calls',
	joinMeeting: 'joining meetings',
	appHostedMedia: 'app-hosted media',
};

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const ADD_PERMISSION = (perms: readonly string[]) => `In the Entra admin center, open the app registration > API permissions > Add a permission > Microsoft Graph > Application permissions, add ${perms.join(', ')}, then select "Grant admin consent" (an administrator must do it).`;

export type TokenOutcome = { readonly claims: ClaimsSummary } | { readonly error: { message: string; fix: string } };

/** Turns a token (or the sign-in failure) into the token check and the claims the other checks read. */
export function tokenCheck(outcome: TokenOutcome, clientId: string): CheckResult {
	if ('error' in outcome) return fail('token', outcome.error.message, outcome.error.fix);
	const c = outcome.claims;
	if (c.appId && c.appId.toLowerCase() !== clientId.toLowerCase()) {
		return fail('token', `The token is for app ${c.appId}, not the configured client id ${clientId}.`, 'Use the Application (client) ID of the bot\'s app registration in the profile (or GRAPH_CLIENT_ID).');
	}
	if (c.scopes.length) {
		return fail('token', `The token is a delegated token (scopes ${c.scopes.join(', ')}): the calls API only takes app-only tokens.`, 'Get the token with the client credentials flow (a client secret or certificate), not as a signed-in user.');
	}
	const left = c.secondsLeft !== undefined ? `, valid for ${Math.max(0, Math.round(c.secondsLeft / 60))} min` : '';
	return pass('token', `Got an app-only token for app ${c.appId ?? clientId} in tenant ${c.tenantId ?? '(no tid claim)'}${left}.`);
}

/** Decodes a token for the checks; a token that is not a JWT fails the token check instead. */
export function claimsOf(token: string): TokenOutcome {
	try {
		return { claims: summariseClaims(decodeTokenClaims(token)) };
	} catch (err) {
		return { error: { message: (err as Error).message, fix: 'Request the token for https://graph.microsoft.com/.default with client credentials.' } };
	}
}

function callingRolesOf(roles: readonly string[]): Permission[] {
	const held = new Set(roles.map(normalizePermission).filter((p): p is Permission => p !== undefined));
	return ALL_PERMISSIONS.filter((p) => held.has(p));
}

/**
 * Consent: with client credentials, Entra issues a token even when no administrator consented, but without a
 * `roles` claim; Graph then refuses the calls API (7504, or 403).
 */
export function consentCheck(claims: ClaimsSummary | undefined): CheckResult {
	if (!claims) return cannotCheck('consent', 'No token, so its roles cannot be read.', 'Fix the "Token" check first.');
	if (!claims.roles.length) {
		return fail('consent', 'The token has no roles claim: no application permission of this app has admin consent in this tenant.', ADD_PERMISSION(['the Calls.* permissions the bot needs']));
	}
	return pass('consent', `The token carries ${claims.roles.length} consented application role(s).`);
}

/** Roles against needs: what is missing, and what is held beyond the least-privileged set. */
export function rolesCheck(claims: ClaimsSummary | undefined, needs: BotNeeds | undefined): CheckResult {
	if (!claims) return cannotCheck('roles', 'No token, so its roles cannot be read.', 'Fix the "Token" check first.');
	if (!claims.roles.length) return cannotCheck('roles', 'The token has no roles at all.', 'Fix the "Admin consent" check first.');
	const held = callingRolesOf(claims.roles);
	if (!needs || needs.kinds.length === 0) {
		if (!held.length) return fail('roles', `The token holds ${claims.roles.join(', ')} but none of the Calls.* permissions.`, ADD_PERMISSION(['Calls.Initiate.All (1:1 and incoming calls)']));
		const allows = CALL_KIND_NEEDS.filter((k) => CREATE_CALL_PERMISSIONS[k].some((p) => held.includes(p))).map((k) => KIND_TEXT[k]);
		return pass('roles', `The token holds ${held.join(', ')}: enough for ${allows.join(', ') || 'calls already set up by others'}. Say what the bot does (needs) to check least privilege.`);
	}
	const requirements = needs.kinds.map((k) => CREATE_CALL_PERMISSIONS[k]);
	const missing = needs.kinds.filter((k) => !CREATE_CALL_PERMISSIONS[k].some((p) => held.includes(p)));
	if (missing.length) {
		const add = [...new Set(missing.map((k) => CREATE_CALL_PERMISSIONS[k][0]))];
		return fail('roles', `Missing for ${missing.map((k) => KIND_TEXT[k]).join(', ')}: the token holds ${held.length ? held.join(', ') : 'no Calls.* permission'}; add ${add.join(', ')}.`, ADD_PERMISSION(add));
	}
	const needed = leastPrivilegeSet(held, requirements);
	const extra = held.filter((p) => !needed.includes(p));
	if (extra.length) {
		return pass('roles', `Covered by ${needed.join(', ')}. Also held but not needed for ${needs.kinds.map((k) => KIND_TEXT[k]).join(', ')}: ${extra.join(', ')}.`, `Least privilege: remove ${extra.join(', ')} from the app registration's API permissions (and revoke their admin consent).`);
	}
	return pass('roles', `Exactly what ${needs.kinds.map((k) => KIND_TEXT[k]).join(', ')} need: ${needed.join(', ')}.`);
}

/**
 * The token's tenant (tid) against the tenant the calls belong to (the profile's, GRAPH_TENANT_ID). A domain
 * (contoso.onmicrosoft.com) is resolved to its id first, through the authority's OpenID configuration.
 */
export async function tenantCheck(claims: ClaimsSummary | undefined, callsTenant: string, resolveDomain?: (domain: string) => Promise<string | undefined>): Promise<CheckResult> {
	if (!claims) return cannotCheck('tenant', 'No token, so its tenant cannot be read.', 'Fix the "Token" check first.');
	if (!claims.tenantId) return fail('tenant', 'The token has no tid claim.', 'Get the token from the tenant\'s own authority (https://login.microsoftonline.com/<tenant id>), not /common or /consumers.');
	let expected = callsTenant;
	if (!GUID.test(callsTenant)) {
		let resolved: string | undefined;
		try {
			resolved = await resolveDomain?.(callsTenant);
		} catch (err) {
			return cannotCheck('tenant', `Could not resolve ${callsTenant} to a tenant id: ${(err as Error).message}`, 'Use the Directory (tenant) ID (a GUID) in the profile.');
		}
		if (!resolved) return cannotCheck('tenant', `The calls' tenant is given as ${callsTenant}, which could not be resolved to a tenant id.`, 'Use the Directory (tenant) ID (a GUID) in the profile.');
		expected = resolved;
	}
	if (claims.tenantId.toLowerCase() !== expected.toLowerCase()) {
		return fail('tenant', `The token is for tenant ${claims.tenantId}, but the calls belong to tenant ${expected}${expected !== callsTenant ? ` (${callsTenant})` : ''}: Graph answers 7505 (request authorization tenant mismatch).`, `Sign in against the calls' tenant (authority https://login.microsoftonline.com/${expected}); a multi-tenant app needs admin consent in that tenant, and the request body's tenantId must be that tenant.`);
	}
	return pass('tenant', `The token's tenant ${claims.tenantId} is the calls' tenant.`);
}
