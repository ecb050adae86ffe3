/**
 * How the tenant and Azure are set up for an app, outside the app registration's roles: the misconfigurations the
 * emulator can play so every setup doctor path and every calling error is seen end to end. Healthy by default.
 *
 * The calling service's answers are the ones developers report (public issue threads, quoted where used):
 * - 7503, HTTP 403 with `{"error":{"code":"UnknownError","message":"{\"errorCode\":\"7503\",\"message\":\"Application
 *   is not registered in our store.\",\"instanceAnnotations\":[]}"}}` (microsoftgraph/microsoft-graph-docs#10845,
 *   microsoft-graph-comms-samples#432: no Azure Bot, or calling not enabled on its Teams channel);
 * - 7504, "Insufficient enterprise tenant permissions, cannot access this API." (microsoft-graph-comms-samples#276,
 *   MicrosoftDocs/msteams-docs#13004: no admin consent for the Calls.* permissions);
 * - 7505, HTTP 403 `{"error":{"code":"7505","message":"Request authorization tenant mismatch."}}`
 *   (microsoft-graph-docs-contrib#5874).
 */
import { GraphHttpError, badRequest } from './http';

export interface AppSetup {
	/** An administrator consented to the app's permissions. Without it tokens carry no roles claim and Graph answers 7504. */
	adminConsent: boolean;
	/** The tenant lets the app use the calling APIs. Without it Graph answers 7504 though the token has roles. */
	tenantPermissions: boolean;
	/** An Azure Bot with this app id exists. Without it Resource Manager has no bot and Graph answers 7503. */
	botRegistered: boolean;
	/** The Azure Bot has the Microsoft Teams channel. Without it Graph answers 7503. */
	teamsChannel: boolean;
	/** Calling is enabled on the Teams channel. Without it Graph answers 7503. */
	callingEnabled: boolean;
	/** Tokens of this app are issued in this tenant instead of the emulator's: Graph answers 7505. */
	homeTenantId?: string;
}

export function healthySetup(): AppSetup {
	return { adminConsent: true, tenantPermissions: true, botRegistered: true, teamsChannel: true, callingEnabled: true };
}

const FLAGS = ['adminConsent', 'tenantPermissions', 'botRegistered', 'teamsChannel', 'callingEnabled'] as const;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Applies a control API patch; throws 400 naming the bad field. `homeTenantId: null` removes it. */
export function patchSetup(setup: AppSetup, patch: Record<string, unknown>): AppSetup {
	const next: AppSetup = { ...setup };
	for (const [k, v] of Object.entries(patch)) {
		if ((FLAGS as readonly string[]).includes(k)) {
			if (typeof v !== 'boolean') throw badRequest(`${k} must be true or false.`);
			next[k as (typeof FLAGS)[number]] = v;
		} else if (k === 'homeTenantId') {
			if (v === null) delete next.homeTenantId;
			else if (typeof v !== 'string' || !GUID.test(v)) throw badRequest('homeTenantId must be a tenant id (GUID), or null to remove it.');
			else next.homeTenantId = v.toLowerCase();
		} else {
			throw badRequest(`Unknown setup field "${k}": use ${[...FLAGS, 'homeTenantId'].join(', ')}.`);
		}
	}
	return next;
}

const NOT_REGISTERED = JSON.stringify({ errorCode: '7503', message: 'Application is not registered in our store.', instanceAnnotations: [] });

/** What the calling service answers an app whose setup is wrong, before it looks at the request; undefined when it is right. */
export function callingServiceRefusal(setup: AppSetup | undefined, tokenTenantId: string, callsTenantId: string): GraphHttpError | undefined {
	if (tokenTenantId.toLowerCase() !== callsTenantId.toLowerCase()) return new GraphHttpError(403, '7505', 'Request authorization tenant mismatch.');
	if (!setup) return undefined;
	if (!setup.botRegistered || !setup.teamsChannel || !setup.callingEnabled) return new GraphHttpError(403, 'UnknownError', NOT_REGISTERED);
	if (!setup.adminConsent || !setup.tenantPermissions) return new GraphHttpError(403, '7504', 'Insufficient enterprise tenant permissions, cannot access this API.');
	return undefined;
}
