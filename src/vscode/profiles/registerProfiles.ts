import * as vscode from 'vscode';
import * as os from 'node:os';
import * as path from 'node:path';
import { CLOUDS } from '../../core/auth/clouds';
import type { ProfileCredential } from '../../core/auth/credential';
import { diagnosePermissions, renderDiagnosisMarkdown, type PermissionDiagnosis } from '../../core/auth/permissionDiagnosis';
import { exportProfiles, parseProfilesExport, uniqueName } from '../../core/auth/profileExport';
import { normaliseGuid, normaliseTenantId, validateClientId, validateProfileName, validateTenantId } from '../../core/auth/profileValidation';
import type { TenantProfile } from '../../core/auth/tenantProfile';
import { decodeTokenClaims, renderClaimsMarkdown, summariseClaims, type ClaimsSummary } from '../../core/auth/tokenClaims';
import type { AccessToken } from '../../core/auth/tokenProvider';
import type { ProfileStore } from './profileStore';
import { askCertificate, askClientSecret, withLocalCancellation } from './credentialPrompt';
import { askCallbackUrl, askCloud, askText, askVersion, runAddProfileWizard } from './profileWizard';
import type { QuickPickItemWithData, UserInput } from '../shared/userInput';
import { noProfileError } from '../shared/actionableError';
import type { Commands } from '../shared/commands';

export interface ProfileCommandsDeps {
	readonly profiles: ProfileStore;
	readonly commands: Commands;
	readonly input: () => UserInput;
}


function profileItems(store: ProfileStore): QuickPickItemWithData<TenantProfile>[] {
	return store.list().map((p) => ({
		label: p.name,
		description: `${p.id === store.active?.id ? '$(check) active · ' : ''}${p.emulator ? 'local emulator' : CLOUDS[p.cloud].label.replace(/ \(.*\)$/, '')} · ${p.apiVersion}`,
		detail: `tenant ${p.tenantId} · app ${p.clientId} · ${p.credentialKind === 'secret' ? 'client secret' : 'certificate'}`,
		data: p,
	}));
}

/** The profile a command works on: the argument (a profile or its id), else a pick, or the active one. */
async function resolveProfile(deps: ProfileCommandsDeps, arg: unknown, how: 'active' | 'pick', placeHolder: string): Promise<TenantProfile> {
	const { profiles } = deps;
	const id = typeof arg === 'string' ? arg : (arg as { id?: unknown } | undefined)?.id;
	if (typeof id === 'string') {
		const p = profiles.get(id);
		if (!p) throw new Error(`There is no profile with id ${id}: it was removed. Choose another with "Graph Calls: Switch Profile".`);
		return p;
	}
	if (profiles.list().length === 0) throw noProfileError('There is no tenant profile yet.');
	if (how === 'active') {
		if (profiles.active) return profiles.active;
		throw noProfileError('No profile is active. Choose one with "Graph Calls: Switch Profile".');
	}
	return (await deps.input().showQuickPick(profileItems(profiles), { title: placeHolder, step: placeHolder, placeHolder })).data;
}

/** A fresh token (diagnostic commands must see the current consent, not a cached token) with a progress toast. */
async function freshToken(store: ProfileStore, profile: TenantProfile): Promise<AccessToken> {
	return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Signing in to "${profile.name}"…`, cancellable: true }, (_progress, cancel) => {
		const abort = new AbortController();
		cancel.onCancellationRequested(() => abort.abort());
		return store.tokenProviderFor(profile).getToken({ forceRefresh: true, signal: abort.signal });
	});
}

async function openMarkdown(content: string): Promise<vscode.TextDocument> {
	const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content });
	await vscode.window.showTextDocument(doc, { preview: false });
	return doc;
}

async function editProfile(deps: ProfileCommandsDeps, arg: unknown): Promise<TenantProfile> {
	const { profiles } = deps;
	const input = deps.input();
	const p = await resolveProfile(deps, arg, 'pick', 'Edit which profile?');
	type Field = 'name' | 'cloud' | 'tenant' | 'client' | 'credential' | 'switchKind' | 'version' | 'callback';
	const items: QuickPickItemWithData<Field>[] = [
		{ label: 'Name', description: p.name, data: 'name' },
		...(p.emulator ? [] : [
			{ label: 'Cloud', description: CLOUDS[p.cloud].label, data: 'cloud' as const },
			{ label: 'Directory (tenant) ID', description: p.tenantId, data: 'tenant' as const },
			{ label: 'Application (client) ID', description: p.clientId, data: 'client' as const },
			p.credentialKind === 'secret'
				? { label: 'Replace client secret', description: 'stored in secret storage', data: 'credential' as const }
				: { label: 'Replace certificate', description: p.certificateThumbprintSha1 ? `thumbprint ${p.certificateThumbprintSha1}` : undefined, data: 'credential' as const },
			{ label: p.credentialKind === 'secret' ? 'Switch to a certificate' : 'Switch to a client secret', data: 'switchKind' as const },
		]),
		{ label: 'Graph API version', description: p.apiVersion, data: 'version' },
		{ label: 'Callback URL', description: p.callbackUrl ?? 'not set', data: 'callback' },
	];
	const title = `Edit "${p.name}"`;
	const field = (await input.showQuickPick(items, { title, step: title, placeHolder: 'What do you want to change?' })).data;
	const next: TenantProfile = { ...p };
	let credential: ProfileCredential | undefined;
	const others = profiles.list().filter((o) => o.id !== p.id).map((o) => o.name);
	switch (field) {
		case 'name':
			next.name = await askText(input, { step: `${title}: name`, value: p.name }, (v) => validateProfileName(v, others));
			break;
		case 'cloud':
			next.cloud = await askCloud(input, `${title}: cloud`, p.cloud);
			break;
		case 'tenant':
			next.tenantId = normaliseTenantId(await askText(input, { step: `${title}: Directory (tenant) ID`, value: p.tenantId }, validateTenantId));
			break;
		case 'client':
			next.clientId = normaliseGuid(await askText(input, { step: `${title}: Application (client) ID`, value: p.clientId }, validateClientId)) as string;
			break;
		case 'credential':
		case 'switchKind': {
			const kind = field === 'credential' ? p.credentialKind : p.credentialKind === 'secret' ? 'certificate' : 'secret';
			if (kind === 'secret') {
				credential = { kind: 'secret', clientSecret: await askClientSecret(input, `${title}: client secret`, 'Paste the new secret\'s Value. It replaces the stored one in VS Code\'s secret storage.') };
				delete next.certificatePath;
				delete next.certificateThumbprint;
				delete next.certificateThumbprintSha1;
			} else {
				const cert = await askCertificate(input, `${title}: certificate PEM with private key`);
				credential = { kind: 'certificate', pem: cert.pem };
				next.certificatePath = cert.path;
				next.certificateThumbprint = cert.certificate.thumbprintSha256;
				next.certificateThumbprintSha1 = cert.certificate.thumbprintSha1;
			}
			next.credentialKind = kind;
			break;
		}
		case 'version':
			next.apiVersion = await askVersion(input, `${title}: Graph API version`, p.apiVersion);
			break;
		case 'callback': {
			const url = await askCallbackUrl(input, `${title}: callback URL`, p.callbackUrl, !!p.emulator);
			if (url) next.callbackUrl = url;
			else delete next.callbackUrl;
			break;
		}
	}
	return profiles.update(next, credential);
}

export function registerProfileCommands(given: ProfileCommandsDeps): vscode.Disposable[] {
	const deps: ProfileCommandsDeps = { ...given, input: () => withLocalCancellation(given.input()) };
	const { profiles, commands } = deps;
	return [
		commands.register('graphCalls.profile.add', async () => {
			const { profile, credential } = await runAddProfileWizard(deps.input(), profiles.list().map((p) => p.name));
			const added = await profiles.add(profile, credential, { activate: true });
			void commands.report(`Profile "${added.name}" added and active. Run "Graph Calls: Test Sign-In" to check its credential.`, 'Test Sign-In').then((c) => {
				if (c) void vscode.commands.executeCommand('graphCalls.profile.testSignIn', added.id);
			});
			return added;
		}),

		commands.register('graphCalls.profile.edit', (arg?: unknown) => editProfile(deps, arg)),

		commands.register('graphCalls.profile.remove', async (arg?: unknown) => {
			const p = await resolveProfile(deps, arg, 'pick', 'Remove which profile?');
			await deps.input().showWarningMessage(`Remove profile "${p.name}"? Its ${p.credentialKind === 'secret' ? 'client secret' : 'certificate key'} is deleted from VS Code's secret storage.`, { modal: true }, 'Remove');
			await profiles.remove(p.id);
			return true;
		}),

		commands.register('graphCalls.profile.forgetSecret', async (arg?: unknown) => {
			const p = await resolveProfile(deps, arg, 'pick', 'Forget the saved secret of which profile?');
			const what = p.credentialKind === 'secret' ? 'client secret' : 'certificate and private key';
			await deps.input().showWarningMessage(`Forget the ${what} of profile "${p.name}" on this machine? The profile stays; its next sign-in asks for the ${what} again.`, { modal: true }, 'Forget');
			await profiles.forgetCredential(p.id);
			void commands.report(`The ${what} of profile "${p.name}" was deleted from VS Code's secret storage.`);
			return true;
		}),

		commands.register('graphCalls.profile.switch', async (arg?: unknown) => {
			const p = await resolveProfile(deps, arg, 'pick', 'Switch to which profile?');
			await profiles.setActive(p.id);
			return p;
		}),

		commands.register('graphCalls.profile.testSignIn', async (arg?: unknown): Promise<ClaimsSummary> => {
			const p = await resolveProfile(deps, arg, 'active', 'Test sign-in for which profile?');
			const token = await freshToken(profiles, p);
			const s = summariseClaims(decodeTokenClaims(token.token));
			const roles = s.roles.length ? s.roles.join(', ') : 'none (no application permissions consented)';
			void commands.report(`Signed in to "${p.name}": app ${s.appId ?? p.clientId} in tenant ${s.tenantId ?? p.tenantId}, token valid until ${token.expiresOn.toLocaleTimeString()}. Roles: ${roles}.`, 'Check Permissions').then((c) => {
				if (c) void vscode.commands.executeCommand('graphCalls.profile.checkPermissions', p.id);
			});
			return s;
		}),

		commands.register('graphCalls.profile.showTokenClaims', async (arg?: unknown): Promise<string> => {
			const p = await resolveProfile(deps, arg, 'active', 'Show token claims for which profile?');
			const token = await freshToken(profiles, p);
			const markdown = renderClaimsMarkdown(p.name, decodeTokenClaims(token.token));
			await openMarkdown(markdown);
			return markdown;
		}),

		commands.register('graphCalls.profile.checkPermissions', async (arg?: unknown): Promise<PermissionDiagnosis> => {
			const p = await resolveProfile(deps, arg, 'active', 'Check permissions for which profile?');
			const token = await freshToken(profiles, p);
			const diagnosis = diagnosePermissions(summariseClaims(decodeTokenClaims(token.token)).roles, p.apiVersion);
			await openMarkdown(renderDiagnosisMarkdown(p.name, diagnosis, p.clientId));
			return diagnosis;
		}),

		commands.register('graphCalls.profile.export', async (): Promise<vscode.Uri> => {
			const exportable = profiles.list().filter((p) => !p.emulator);
			if (exportable.length === 0) throw noProfileError('There is no tenant profile to export (the Emulator profile is never exported).');
			const folder = vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.Uri.file(os.homedir());
			const uri = await deps.input().showSaveDialog({ title: 'Export Profiles (without secrets)', saveLabel: 'Export', defaultUri: vscode.Uri.joinPath(folder, 'graph-calls-profiles.json'), filters: { JSON: ['json'] } });
			await vscode.workspace.fs.writeFile(uri, Buffer.from(exportProfiles(exportable), 'utf8'));
			void commands.report(`Exported ${exportable.length} profile(s) to ${path.basename(uri.fsPath)}. Secrets are not included: each asks for its secret on first sign-in after import.`);
			return uri;
		}),

		commands.register('graphCalls.profile.import', async (): Promise<TenantProfile[]> => {
			const [uri] = await deps.input().showOpenDialog({ title: 'Import Profiles', openLabel: 'Import', canSelectMany: false, filters: { JSON: ['json'] } });
			const { profiles: entries, problems } = parseProfilesExport(Buffer.from(await vscode.workspace.fs.readFile(uri)).toString('utf8'));
			const added: TenantProfile[] = [];
			for (const e of entries) {
				const name = uniqueName(e.name, profiles.list().map((p) => p.name));
				added.push(await profiles.add({ ...e, name }, undefined));
			}
			const summary = `Imported ${added.length} profile(s)${added.length ? `: ${added.map((p) => p.name).join(', ')}` : ''}. Each asks for its secret or certificate the first time it signs in.`;
			if (problems.length) void vscode.window.showWarningMessage(`${summary} ${problems.join(' ')}`);
			else void commands.report(summary);
			return added;
		}),
	];
}
