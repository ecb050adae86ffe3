// Profiles inside a real extension host: the add wizard, edit, switch, remove with scripted input; secrets only in
// SecretStorage; "Use Local Emulator" producing the active Emulator profile; sign-in, claims and permissions.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { getApi, restoreUserInput, scriptInput } from './support/api';
import type { TenantProfile } from '../../src/core/auth/tenantProfile';
import type { ClaimsSummary } from '../../src/core/auth/tokenClaims';
import type { PermissionDiagnosis } from '../../src/core/auth/permissionDiagnosis';

const root = path.resolve(__dirname, '../../..');
const fixtures = path.join(root, 'test/unit/authFixtures');
const SECRET = 'Tst8Q~profile-secret-that-must-stay-in-secret-storage';
const NEW_SECRET = 'Tst8Q~replacement-secret-also-only-in-secret-storage';
const TENANT = '72F988BF86F141AF91AB2D7CD011DB47';
const CLIENT = '{11111111-2222-3333-4444-555555555555}';

describe('profiles (extension host)', function () {
	this.timeout(60_000);
	let added: TenantProfile;
	/** Every line written to the "Graph Calls" log channel while this suite runs. */
	const logged: string[] = [];
	let restoreLog = () => {};

	before(async () => {
		// Tee the channel's methods: the store and the token provider look them up on every call.
		const log = (await getApi()).commandContext.log as unknown as Record<string, (...args: unknown[]) => unknown>;
		const originals = ['trace', 'debug', 'info', 'warn', 'error', 'append', 'appendLine', 'replace'].map((n) => [n, log[n]] as const);
		for (const [n, f] of originals) {
			log[n] = (...args: unknown[]) => {
				logged.push(args.map(String).join(' '));
				return f.apply(log, args);
			};
		}
		restoreLog = () => {
			for (const [n, f] of originals) log[n] = f;
		};
	});

	afterEach(async () => {
		await restoreUserInput();
	});

	after(async () => {
		restoreLog();
		const api = await getApi();
		await api.emulator.stop();
	});

	it('activation did not load msal-node', async () => {
		const api = await getApi();
		assert.equal(api.msalLoadedAtActivation, false);
	});

	it('adds a profile through the guided input, normalising ids; the secret goes to SecretStorage only', async () => {
		const api = await getApi();
		const changes: (TenantProfile | undefined)[] = [];
		const sub = api.profiles.onDidChangeActive((p) => changes.push(p));
		const input = await scriptInput(
			{ kind: 'inputBox', value: 'Contoso dev (ext test)' },
			{ kind: 'quickPick', pick: /^Global/ },
			{ kind: 'inputBox', value: TENANT },
			{ kind: 'inputBox', value: CLIENT },
			{ kind: 'quickPick', pick: 'Client secret' },
			{ kind: 'inputBox', value: SECRET },
			{ kind: 'quickPick', pick: 'beta' },
			{ kind: 'inputBox', value: 'https://abc123.devtunnels.ms/api/calls' },
		);
		try {
			added = (await vscode.commands.executeCommand<TenantProfile>('graphCalls.profile.add'))!;
		} finally {
			sub.dispose();
		}
		input.assertAllUsed();
		assert.deepEqual(input.asked.map((a) => a.name), [
			'Add Tenant Profile (1/8): name', 'Add Tenant Profile (2/8): cloud', 'Add Tenant Profile (3/8): Directory (tenant) ID', 'Add Tenant Profile (4/8): Application (client) ID',
			'Add Tenant Profile (5/8): credential', 'Add Tenant Profile (6/8): client secret', 'Add Tenant Profile (7/8): Graph API version', 'Add Tenant Profile (8/8): callback URL',
		]);
		assert.ok(added, `the command returned the profile (last error: ${api.commandContext.lastError})`);
		assert.equal(added.tenantId, '72f988bf-86f1-41af-91ab-2d7cd011db47');
		assert.equal(added.clientId, '11111111-2222-3333-4444-555555555555');
		assert.equal(added.apiVersion, 'beta');
		assert.equal(api.profiles.active?.id, added.id, 'a new profile becomes active');
		assert.equal(changes.at(-1)?.id, added.id, 'onDidChangeActive fired');
		assert.deepEqual(await api.profiles.getCredential(added.id), { kind: 'secret', clientSecret: SECRET });

		const state = JSON.stringify(api.globalStateSnapshot());
		assert.ok(state.includes('Contoso dev (ext test)'), 'the profile itself is in globalState');
		assert.ok(!state.includes(SECRET), 'the secret is not in globalState');
		assert.ok(!JSON.stringify(vscode.workspace.getConfiguration('graphCalls')).includes(SECRET), 'nor in settings');
		const logs = logged.join('\n');
		assert.ok(logs.includes('Profile "Contoso dev (ext test)" added'), 'the log channel is being watched');
		assert.ok(!logs.includes(SECRET), 'nor in the log');
	});

	it('rejects an invalid value at the step it is entered (the scripted prompt runs the validation)', async () => {
		const input = await scriptInput(
			{ kind: 'inputBox', value: 'Another (ext test)' },
			{ kind: 'quickPick', pick: /^Global/ },
			{ kind: 'inputBox', value: 'common' },
		);
		const api = await getApi();
		api.commandContext.lastError = undefined;
		const before = api.profiles.list().length;
		await vscode.commands.executeCommand('graphCalls.profile.add');
		assert.match(api.commandContext.lastError ?? '', /Directory \(tenant\) ID.*cannot get app-only tokens/);
		assert.equal(input.remaining, 0);
		assert.equal(api.profiles.list().length, before, 'nothing was added');
	});

	it('a certificate profile: an unusable PEM is explained in the next dialog, the good one gives thumbprints', async () => {
		const input = await scriptInput(
			{ kind: 'inputBox', value: 'Cert profile (ext test)' },
			{ kind: 'quickPick', pick: /^US Government L4/ },
			{ kind: 'inputBox', value: 'fabrikam.onmicrosoft.us' },
			{ kind: 'inputBox', value: '11111111-2222-3333-4444-555555555555' },
			{ kind: 'quickPick', pick: 'Certificate (PEM file)' },
			{ kind: 'openDialog', uris: [vscode.Uri.file(path.join(fixtures, 'cert-and-encrypted-key.pem'))] },
			{ kind: 'openDialog', uris: [vscode.Uri.file(path.join(fixtures, 'cert-and-key.pem'))] },
			{ kind: 'quickPick', pick: 'v1.0' },
			{ kind: 'inputBox', value: '' },
		);
		const api = await getApi();
		const p = (await vscode.commands.executeCommand<TenantProfile>('graphCalls.profile.add'))!;
		input.assertAllUsed();
		assert.match(input.asked[6].name, /password-protected private key/);
		assert.equal(p.cloud, 'usGovL4');
		assert.equal(p.certificateThumbprintSha1, 'BE7EFDDFD62C3F039F228FA7DB2C414866845A65');
		assert.equal(p.certificateThumbprint, '138EEB326EE2BBD1421C684DC418BE25A60AF5728DE81372C4E394EDBCA7B77B');
		const cred = await api.profiles.getCredential(p.id);
		assert.equal(cred?.kind, 'certificate');
		const keyLine = fs.readFileSync(path.join(fixtures, 'key.pem'), 'utf8').split('\n')[1];
		assert.ok(!JSON.stringify(api.globalStateSnapshot()).includes(keyLine), 'the private key is not in globalState');
		await scriptInput({ kind: 'warning', choose: 'Remove' });
		await vscode.commands.executeCommand('graphCalls.profile.remove', p.id);
		assert.equal(await api.profiles.getCredential(p.id), undefined);
	});

	it('edits the name and replaces the secret', async () => {
		const api = await getApi();
		let input = await scriptInput({ kind: 'quickPick', pick: 'Name' }, { kind: 'inputBox', value: 'Contoso renamed (ext test)' });
		await vscode.commands.executeCommand('graphCalls.profile.edit', added.id);
		input.assertAllUsed();
		assert.equal(api.profiles.get(added.id)?.name, 'Contoso renamed (ext test)');

		input = await scriptInput({ kind: 'quickPick', pick: 'Replace client secret' }, { kind: 'inputBox', value: NEW_SECRET });
		await vscode.commands.executeCommand('graphCalls.profile.edit', added.id);
		input.assertAllUsed();
		assert.deepEqual(await api.profiles.getCredential(added.id), { kind: 'secret', clientSecret: NEW_SECRET });
		assert.ok(!JSON.stringify(api.globalStateSnapshot()).includes(NEW_SECRET));
	});

	it('"Use Local Emulator" starts the emulator child process and makes the Emulator profile active', async () => {
		const api = await getApi();
		const profile = (await vscode.commands.executeCommand<TenantProfile>('graphCalls.emulator.start'))!;
		assert.ok(profile, `started (last error: ${api.commandContext.lastError})`);
		assert.equal(profile.id, 'emulator');
		assert.equal(api.profiles.active?.id, 'emulator');
		assert.ok(api.emulator.running);
		assert.ok(api.emulator.pid && api.emulator.pid !== process.pid, 'a separate process');
		assert.match(profile.emulator?.graphHost ?? '', /^https:\/\/127\.0\.0\.1:\d+$/);
		assert.match(profile.emulator?.caCertPem ?? '', /BEGIN CERTIFICATE/);
		const secret = api.emulator.ready!.clientSecret;
		assert.deepEqual(await api.profiles.getCredential('emulator'), { kind: 'secret', clientSecret: secret });
		assert.ok(!JSON.stringify(api.globalStateSnapshot()).includes(secret), 'the emulator secret is in SecretStorage only');
	});

	it('tests sign-in, shows claims and checks permissions for the Emulator profile, never showing the token', async () => {
		const api = await getApi();
		const summary = (await vscode.commands.executeCommand<ClaimsSummary>('graphCalls.profile.testSignIn'))!;
		assert.ok(summary, `signed in (last error: ${api.commandContext.lastError})`);
		assert.equal(summary.appId, api.profiles.active?.clientId);
		assert.ok(summary.roles.includes('Calls.Initiate.All'));
		assert.equal(api.isMsalLoaded(), true, 'msal-node loads on the first token request');

		const markdown = (await vscode.commands.executeCommand<string>('graphCalls.profile.showTokenClaims'))!;
		assert.match(markdown, /# Token claims: Emulator/);
		assert.equal(vscode.window.activeTextEditor?.document.getText(), markdown, 'opened in an editor');
		const token = await api.profiles.tokenProviderFor({ id: 'emulator' }).getToken();
		assert.ok(!markdown.includes(token.token));
		assert.doesNotMatch(markdown, /eyJ[\w-]+\.eyJ[\w-]+\.[\w-]+/, 'no JWT at all');

		const diagnosis = (await vscode.commands.executeCommand<PermissionDiagnosis>('graphCalls.profile.checkPermissions'))!;
		assert.ok(diagnosis.actions.every((a) => a.allowed), 'the emulator app has every calls permission');
		assert.match(vscode.window.activeTextEditor?.document.getText() ?? '', /# Permissions: Emulator/);
		const logs = logged.join('\n');
		assert.ok(logs.includes('msal:'), 'msal logs reach the channel');
		assert.ok(!logs.includes(token.token), 'no token in the log');
		assert.ok(!logs.includes(api.emulator.ready!.clientSecret), 'no emulator secret in any log');
	});

	it('a secret missing from SecretStorage is asked for again, then used', async () => {
		const api = await getApi();
		await api.profiles.forgetCredential('emulator');
		const secret = api.emulator.ready!.clientSecret;
		api.commandContext.lastError = undefined;
		await scriptInput({ kind: 'cancel' });
		await vscode.commands.executeCommand('graphCalls.profile.testSignIn');
		assert.equal(api.commandContext.lastError, undefined, 'dismissing the prompt is not an error');
		assert.equal(await api.profiles.getCredential('emulator'), undefined);
		const input = await scriptInput({ kind: 'inputBox', value: secret });
		const summary = await vscode.commands.executeCommand<ClaimsSummary>('graphCalls.profile.testSignIn');
		input.assertAllUsed();
		assert.match(input.asked[0].name, /Client secret for "Emulator"/);
		assert.ok(summary?.appId, `signed in (last error: ${api.commandContext.lastError})`);
		assert.deepEqual(await api.profiles.getCredential('emulator'), { kind: 'secret', clientSecret: secret });
	});

	it('a wrong secret is explained (AADSTS7000215) and not shown', async () => {
		const api = await getApi();
		const wrong = 'Wr0ng~ext-host-secret-never-shown';
		await api.profiles.storeCredential('emulator', { kind: 'secret', clientSecret: wrong });
		api.commandContext.lastError = undefined;
		await vscode.commands.executeCommand('graphCalls.profile.testSignIn');
		assert.match(api.commandContext.lastError ?? '', /Sign-in for profile "Emulator" failed: Entra ID rejected the client secret.*Secret ID/);
		assert.ok(!(api.commandContext.lastError ?? '').includes(wrong));
		await vscode.commands.executeCommand('graphCalls.emulator.restart');
		assert.deepEqual(await api.profiles.getCredential('emulator'), { kind: 'secret', clientSecret: api.emulator.ready!.clientSecret }, 'restart refreshes the secret');
	});

	it('switches the active profile with a pick and by id', async () => {
		const api = await getApi();
		const input = await scriptInput({ kind: 'quickPick', pick: 'Contoso renamed (ext test)' });
		await vscode.commands.executeCommand('graphCalls.profile.switch');
		input.assertAllUsed();
		assert.equal(api.profiles.active?.id, added.id);
		await vscode.commands.executeCommand('graphCalls.profile.switch', 'emulator');
		assert.equal(api.profiles.active?.id, 'emulator');
	});

	it('exports without secrets and imports as a new profile that has no secret yet', async () => {
		const api = await getApi();
		const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'graph-calls-export-')), 'profiles.json');
		await scriptInput({ kind: 'saveDialog', uri: vscode.Uri.file(file) });
		await vscode.commands.executeCommand('graphCalls.profile.export');
		const text = fs.readFileSync(file, 'utf8');
		assert.ok(text.includes('Contoso renamed (ext test)'));
		assert.ok(!text.includes(NEW_SECRET) && !text.includes(SECRET) && !text.includes(api.emulator.ready!.clientSecret), 'no secret in the export');
		assert.ok(!JSON.parse(text).profiles.some((p: { name: string }) => p.name === 'Emulator'), 'the emulator profile is not exported');

		await scriptInput({ kind: 'openDialog', uris: [vscode.Uri.file(file)] });
		const imported = (await vscode.commands.executeCommand<TenantProfile[]>('graphCalls.profile.import'))!;
		const copy = imported.find((p) => p.name === 'Contoso renamed (ext test) (2)');
		assert.ok(copy, `imported under a free name: ${imported.map((p) => p.name).join(', ')}`);
		assert.equal(await api.profiles.getCredential(copy.id), undefined);
		await scriptInput({ kind: 'warning', choose: 'Remove' });
		await vscode.commands.executeCommand('graphCalls.profile.remove', copy.id);
	});

	it('removes a profile only after confirmation, with its secret', async () => {
		const api = await getApi();
		await scriptInput({ kind: 'quickPick', pick: 'Contoso renamed (ext test)' }, { kind: 'cancel' });
		api.commandContext.lastError = undefined;
		await vscode.commands.executeCommand('graphCalls.profile.remove');
		assert.ok(api.profiles.get(added.id), 'cancelled: still there');
		assert.equal(api.commandContext.lastError, undefined, 'a cancelled confirmation is not an error');
		const input = await scriptInput({ kind: 'quickPick', pick: 'Contoso renamed (ext test)' }, { kind: 'warning', choose: 'Remove' });
		await vscode.commands.executeCommand('graphCalls.profile.remove');
		input.assertAllUsed();
		assert.equal(api.profiles.get(added.id), undefined);
		assert.equal(await api.profiles.getCredential(added.id), undefined, 'its secret is deleted');
	});

	it('no secret of this suite ever reached the log channel', () => {
		const logs = logged.join('\n');
		for (const s of [SECRET, NEW_SECRET, 'Wr0ng~ext-host-secret-never-shown', 'Emu8Q~']) assert.ok(!logs.includes(s), s);
		assert.doesNotMatch(logs, /eyJ[\w-]+\.eyJ[\w-]+\./, 'no token');
		assert.doesNotMatch(logs, /PRIVATE KEY/, 'no key');
	});

	it('stops the emulator', async () => {
		const api = await getApi();
		const pid = api.emulator.pid;
		await vscode.commands.executeCommand('graphCalls.emulator.stop');
		assert.equal(api.emulator.running, false);
		assert.throws(() => process.kill(pid!, 0), 'the child process is gone');
	});
});
