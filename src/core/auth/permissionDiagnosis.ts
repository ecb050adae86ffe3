/**
 * Maps a token's `roles` against the endpoint table (src/core/graph/endpoints.ts, the one source of which
 * permission each action needs) and says, per action, whether the app may do it and how to fix it if not.
 */
import { ALL_PERMISSIONS, CREATE_CALL_PERMISSIONS, ENDPOINTS, isAllowed, normalizePermission, permissionsFor, type CallAction, type EndpointRow, type Permission } from '../schema/endpoints';

export interface ActionDiagnosis {
	readonly action: CallAction;
	readonly method: string;
	readonly path: string;
	readonly summary: string;
	readonly allowed: boolean;
	/** The token's roles that allow the action. */
	readonly grantedBy: readonly Permission[];
	/** Any one of these would allow it (least privileged first). */
	readonly anyOf: readonly Permission[];
	readonly note?: string;
}

export interface PermissionDiagnosis {
	readonly roles: readonly string[];
	/** Calls.* permissions the token has. */
	readonly callingRoles: readonly Permission[];
	readonly actions: readonly ActionDiagnosis[];
	/** Missing permissions, the one that unlocks the most missing actions first. */
	readonly suggestions: readonly { permission: Permission; unlocks: readonly CallAction[] }[];
}

function diagnoseRow(row: EndpointRow, roles: readonly string[], granted: readonly Permission[]): ActionDiagnosis {
	const anyOf = permissionsFor(row.action);
	return {
		action: row.action, method: row.method, path: row.path, summary: row.summary,
		allowed: isAllowed(row.action, roles),
		grantedBy: anyOf.filter((p) => granted.includes(p)),
		anyOf,
		note: row.note,
	};
}

export function diagnosePermissions(roles: readonly string[], apiVersion: 'v1.0' | 'beta' = 'v1.0'): PermissionDiagnosis {
	// Tokens and docs spell some permissions differently (Calls.JoinGroupCalls.All): compare canonical names.
	const granted = roles.map((r) => normalizePermission(r)).filter((p): p is Permission => p !== undefined);
	const actions = ENDPOINTS.filter((r) => r.versions.includes(apiVersion)).map((r) => diagnoseRow(r, roles, granted));
	const missing = actions.filter((a) => !a.allowed);
	const suggestions = ALL_PERMISSIONS.filter((p) => !granted.includes(p))
		.map((permission) => ({ permission, unlocks: missing.filter((a) => a.anyOf.includes(permission)).map((a) => a.action) }))
		.filter((s) => s.unlocks.length > 0)
		.sort((a, b) => b.unlocks.length - a.unlocks.length);
	return { roles: [...roles], callingRoles: ALL_PERMISSIONS.filter((p) => granted.includes(p)), actions, suggestions };
}

const CALL_KINDS: Readonly<Record<keyof typeof CREATE_CALL_PERMISSIONS, string>> = {
	peerToPeer: '1:1 call to a user',
	pstn: 'call to a phone number',
	group: 'group call',
	joinMeeting: 'join a meeting',
	appHostedMedia: 'app-hosted media (in addition)',
};

/** The App Registration steps that add one application permission and grant consent. */
export function fixStepsFor(permission: Permission, clientId?: string): string[] {
	return [
		'Open the Microsoft Entra admin center (https://entra.microsoft.com) as an administrator of the tenant.',
		`Go to Identity > Applications > App registrations and open the app${clientId ? ` with Application (client) ID ${clientId}` : ''}.`,
		'Select API permissions > Add a permission > Microsoft Graph > Application permissions.',
		`Search for ${permission}, tick it and select Add permissions.`,
		'Select "Grant admin consent for <your tenant>" and confirm; the Status column turns to Granted.',
		'Back in VS Code, run "Graph Calls: Check Permissions" again: a new token carries the new role (tokens are cached for up to an hour, this command asks for a fresh one).',
	];
}

/** A markdown report: roles, the suggested permissions with fix steps, and a row per action. */
export function renderDiagnosisMarkdown(profileName: string, d: PermissionDiagnosis, clientId?: string): string {
	const allowed = d.actions.filter((a) => a.allowed).length;
	const lines = [
		`# Permissions: ${profileName}`,
		'',
		`Token roles: ${d.roles.length ? d.roles.map((r) => `\`${r}\``).join(', ') : 'none'}.`,
		'',
		`${allowed} of ${d.actions.length} actions allowed.`,
		'',
	];
	if (d.suggestions.length) {
		lines.push('## Missing permissions', '');
		for (const s of d.suggestions) {
			lines.push(`### ${s.permission}`, '', `Unlocks: ${s.unlocks.map((a) => `\`${a}\``).join(', ')}.`, '');
			fixStepsFor(s.permission, clientId).forEach((step, i) => lines.push(`${i + 1}. ${step}`));
			lines.push('');
		}
		lines.push('Calling also needs the bot itself: an Azure Bot with the same app id and the Microsoft Teams channel with Calling enabled (otherwise requests fail with 7503).', '');
	}
	lines.push('## Creating calls, by kind', '', '| kind | allowed | needs any of |', '| --- | --- | --- |');
	for (const [kind, perms] of Object.entries(CREATE_CALL_PERMISSIONS) as [keyof typeof CREATE_CALL_PERMISSIONS, readonly Permission[]][]) {
		const ok = perms.some((p) => d.callingRoles.includes(p));
		lines.push(`| ${CALL_KINDS[kind]} | ${ok ? 'yes' : '**no**'} | ${perms.join(' or ')} |`);
	}
	lines.push('');
	lines.push('## Per action', '', '| action | request | allowed | granted by / needs any of |', '| --- | --- | --- | --- |');
	for (const a of d.actions) {
		const how = a.allowed ? a.grantedBy.join(', ') : `missing: ${a.anyOf.join(' or ')}`;
		lines.push(`| \`${a.action}\` | ${a.method} ${a.path} | ${a.allowed ? 'yes' : '**no**'} | ${how} |`);
	}
	const notes = d.actions.filter((a) => a.note);
	if (notes.length) {
		lines.push('', '## Notes', '');
		for (const a of notes) lines.push(`- \`${a.action}\`: ${a.note}`);
	}
	lines.push('');
	return lines.join('\n');
}
