import type * as vscode from 'vscode';
import { CLOUDS, type CloudId } from '../../core/auth/clouds';
import type { ProfileCredential } from '../../core/auth/credential';
import { normaliseGuid, normaliseTenantId, validateCallbackUrl, validateClientId, validateProfileName, validateTenantId } from '../../core/auth/profileValidation';
import type { ApiVersion, CredentialKind, TenantProfile } from '../../core/auth/tenantProfile';
import type { QuickPickItemWithData, UserInput } from '../shared/userInput';
import { askCertificate, askClientSecret } from './credentialPrompt';

/** Step titles: tests script answers in this order, and the titles name each prompt. */
export const ADD_STEPS = {
	name: 'Add Tenant Profile (1/8): name',
	cloud: 'Add Tenant Profile (2/8): cloud',
	tenant: 'Add Tenant Profile (3/8): Directory (tenant) ID',
	client: 'Add Tenant Profile (4/8): Application (client) ID',
	kind: 'Add Tenant Profile (5/8): credential',
	secret: 'Add Tenant Profile (6/8): client secret',
	certificate: 'Add Tenant Profile (6/8): certificate PEM with private key',
	version: 'Add Tenant Profile (7/8): Graph API version',
	callback: 'Add Tenant Profile (8/8): callback URL',
} as const;

/** Asks, validating as the user types and once more on the returned value (a scripted answer skips typing). */
export async function askText(input: UserInput, options: vscode.InputBoxOptions & { step: string }, validate: (v: string) => string | undefined): Promise<string> {
	const value = await input.showInputBox({ title: options.step, ...options, validateInput: validate });
	const problem = validate(value);
	if (problem) throw new Error(problem);
	return value.trim();
}

export function cloudItems(current?: CloudId): QuickPickItemWithData<CloudId>[] {
	return Object.values(CLOUDS).map((c) => ({ label: c.label, description: c.id === current ? 'current' : undefined, detail: `${c.authorityHost} · ${c.graphHost}`, data: c.id }));
}

export function versionItems(current?: ApiVersion): QuickPickItemWithData<ApiVersion>[] {
	return [
		{ label: 'v1.0', description: current === 'v1.0' ? 'current' : undefined, detail: 'The stable API: use it for production bots.', data: 'v1.0' },
		{ label: 'beta', description: current === 'beta' ? 'current' : undefined, detail: 'Preview features (muteAll, /app/calls); may change without notice.', data: 'beta' },
	];
}

export async function askCloud(input: UserInput, step: string, current?: CloudId): Promise<CloudId> {
	return (await input.showQuickPick(cloudItems(current), { step, title: step, placeHolder: 'Which cloud is the tenant in?' })).data;
}

export async function askVersion(input: UserInput, step: string, current?: ApiVersion): Promise<ApiVersion> {
	return (await input.showQuickPick(versionItems(current), { step, title: step, placeHolder: 'Graph API version for this profile' })).data;
}

export async function askCallbackUrl(input: UserInput, step: string, current?: string, allowLoopbackHttp = false): Promise<string | undefined> {
	const value = await askText(
		input,
		{ step, value: current ?? '', prompt: 'Optional: the public https URL that forwards to your bot (a dev tunnel), sent as callbackUri. Leave empty to set it later.', placeHolder: 'https://abc123.devtunnels.ms/api/calls' },
		(v) => validateCallbackUrl(v, { allowLoopbackHttp }),
	);
	return value || undefined;
}

export type NewProfile = Omit<TenantProfile, 'id'>;

/** The guided "Add Tenant Profile" input: every step validated before the next one. */
export async function runAddProfileWizard(input: UserInput, takenNames: readonly string[]): Promise<{ profile: NewProfile; credential: ProfileCredential }> {
	const name = await askText(input, { step: ADD_STEPS.name, prompt: 'A name for this tenant and app, shown in the status bar.', placeHolder: 'Contoso dev' }, (v) => validateProfileName(v, takenNames));
	const cloud = await askCloud(input, ADD_STEPS.cloud);
	const tenantId = normaliseTenantId(await askText(input, { step: ADD_STEPS.tenant, prompt: 'From the app registration\'s Overview page: a GUID, or a verified domain such as contoso.onmicrosoft.com.' }, validateTenantId));
	const clientId = normaliseGuid(await askText(input, { step: ADD_STEPS.client, prompt: 'From the app registration\'s Overview page (the bot\'s Microsoft App ID).' }, validateClientId)) as string;
	const kindItems: QuickPickItemWithData<CredentialKind>[] = [
		{ label: 'Client secret', detail: 'A secret from Certificates & secrets. Kept only in VS Code\'s secret storage.', data: 'secret' },
		{ label: 'Certificate (PEM file)', detail: 'A PEM with the certificate and its unencrypted private key; the key is kept only in secret storage.', data: 'certificate' },
	];
	const kind = (await input.showQuickPick(kindItems, { step: ADD_STEPS.kind, title: ADD_STEPS.kind, placeHolder: 'How does the app prove its identity?' })).data;

	let credential: ProfileCredential;
	const profile: NewProfile = { name, cloud, tenantId, clientId, credentialKind: kind, apiVersion: 'v1.0' };
	if (kind === 'secret') {
		credential = { kind: 'secret', clientSecret: await askClientSecret(input, ADD_STEPS.secret, 'Paste the secret\'s Value (not the Secret ID). It is kept only in VS Code\'s secret storage.') };
	} else {
		const cert = await askCertificate(input, ADD_STEPS.certificate);
		credential = { kind: 'certificate', pem: cert.pem };
		profile.certificatePath = cert.path;
		profile.certificateThumbprint = cert.certificate.thumbprintSha256;
		profile.certificateThumbprintSha1 = cert.certificate.thumbprintSha1;
	}
	profile.apiVersion = await askVersion(input, ADD_STEPS.version);
	const callbackUrl = await askCallbackUrl(input, ADD_STEPS.callback);
	if (callbackUrl) profile.callbackUrl = callbackUrl;
	return { profile, credential };
}
