/**
 * Export and import of profiles as JSON. The format holds no secret by construction: only the fields listed in
 * EXPORTED_FIELDS are written, and imported profiles ask for their secret the first time they sign in.
 */
import { CLOUDS, type CloudId } from './clouds';
import type { ApiVersion, CredentialKind, TenantProfile } from './tenantProfile';
import { normaliseGuid, normaliseTenantId, validateCallbackUrl, validateClientId, validateProfileName, validateTenantId } from './profileValidation';

export const EXPORT_FORMAT = 'graph-calls-workbench.profiles';

export interface ExportedProfile {
	name: string;
	cloud: CloudId;
	tenantId: string;
	clientId: string;
	credentialKind: CredentialKind;
	certificateThumbprint?: string;
	apiVersion: ApiVersion;
	callbackUrl?: string;
}

export interface ProfilesExport {
	format: typeof EXPORT_FORMAT;
	version: 1;
	profiles: ExportedProfile[];
}

/**
 * The JSON for the given profiles. Emulator profiles are left out: their ports and CA belong to this machine and
 * "Use Local Emulator" recreates them anywhere.
 */
export function exportProfiles(profiles: readonly TenantProfile[]): string {
	const out: ProfilesExport = {
		format: EXPORT_FORMAT,
		version: 1,
		profiles: profiles.filter((p) => !p.emulator).map((p) => {
			const e: ExportedProfile = { name: p.name, cloud: p.cloud, tenantId: p.tenantId, clientId: p.clientId, credentialKind: p.credentialKind, apiVersion: p.apiVersion };
			if (p.certificateThumbprint) e.certificateThumbprint = p.certificateThumbprint;
			if (p.callbackUrl) e.callbackUrl = p.callbackUrl;
			return e;
		}),
	};
	return JSON.stringify(out, null, 2) + '\n';
}

export class ProfileImportError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'ProfileImportError';
	}
}

/**
 * Parses and validates an export. Throws ProfileImportError for a file that is not an export at all; returns
 * per-profile problems for entries it skipped. Any secret-looking field in the file is ignored, never imported.
 */
export function parseProfilesExport(text: string): { profiles: ExportedProfile[]; problems: string[] } {
	let data: unknown;
	try {
		data = JSON.parse(text);
	} catch (err) {
		throw new ProfileImportError(`The file is not valid JSON (${(err as Error).message}): choose a file written by "Graph Calls: Export Profiles".`);
	}
	const d = data as Partial<ProfilesExport>;
	if (!d || d.format !== EXPORT_FORMAT || !Array.isArray(d.profiles)) {
		throw new ProfileImportError(`The file is not a profiles export (expected "format": "${EXPORT_FORMAT}" and a "profiles" array): choose a file written by "Graph Calls: Export Profiles".`);
	}
	if (d.version !== 1) throw new ProfileImportError(`The export has version ${String(d.version)}, which this version of the extension cannot read: update the extension.`);
	const profiles: ExportedProfile[] = [];
	const problems: string[] = [];
	d.profiles.forEach((raw: Partial<ExportedProfile>, i) => {
		const label = typeof raw?.name === 'string' && raw.name ? `"${raw.name}"` : `#${i + 1}`;
		const errors = [
			validateProfileName(String(raw?.name ?? '')),
			raw?.cloud && raw.cloud in CLOUDS ? undefined : `cloud must be one of ${Object.keys(CLOUDS).join(', ')}`,
			validateTenantId(String(raw?.tenantId ?? '')),
			validateClientId(String(raw?.clientId ?? '')),
			raw?.credentialKind === 'secret' || raw?.credentialKind === 'certificate' ? undefined : 'credentialKind must be "secret" or "certificate"',
			raw?.apiVersion === undefined || raw.apiVersion === 'v1.0' || raw.apiVersion === 'beta' ? undefined : 'apiVersion must be "v1.0" or "beta"',
			raw?.callbackUrl === undefined ? undefined : validateCallbackUrl(String(raw.callbackUrl)),
		].filter((e): e is string => !!e);
		if (errors.length) {
			problems.push(`Profile ${label} skipped: ${errors.join('; ')}`);
			return;
		}
		const p: ExportedProfile = {
			name: String(raw.name).trim(),
			cloud: raw.cloud as CloudId,
			tenantId: normaliseTenantId(String(raw.tenantId)),
			clientId: normaliseGuid(String(raw.clientId)) as string,
			credentialKind: raw.credentialKind as CredentialKind,
			apiVersion: raw.apiVersion ?? 'v1.0',
		};
		if (typeof raw.certificateThumbprint === 'string' && /^[0-9A-F]{40,64}$/i.test(raw.certificateThumbprint)) p.certificateThumbprint = raw.certificateThumbprint.toUpperCase();
		if (raw.callbackUrl) p.callbackUrl = String(raw.callbackUrl).trim();
		profiles.push(p);
	});
	return { profiles, problems };
}

/** "Name", or "Name (2)", "Name (3)"... whichever is free. */
export function uniqueName(name: string, taken: readonly string[]): string {
	const lower = new Set(taken.map((t) => t.toLowerCase()));
	if (!lower.has(name.toLowerCase())) return name;
	for (let i = 2; ; i++) {
		const candidate = `${name} (${i})`;
		if (!lower.has(candidate.toLowerCase())) return candidate;
	}
}
