// Profiles inside a real extension host: the add wizard, edit, switch, remove with scripted input; secrets never in
// the stored profile records, settings, log files or exports; "Use Local Emulator" producing the active Emulator
// profile; sign-in, claims and permissions. Where a secret is stored is proven by behaviour: a stored secret signs in
// without a prompt, a forgotten one is asked for, a typed one is used. (The exact SecretStorage entries of tenant
// profiles, which need Entra ID to be used, are checked on ProfileStore in test/unit/profileStoreSecrets.test.ts.)
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { assertFailed, assertSucceeded, describeRun, getApi, msalLoaded, restoreUserInput, runCommand, scriptInput, stopEmulator } from './support/api';
import { allLogs, graphCallsLog, waitForLog } from './support/logFiles';
import { waitFor } from './support/waitFor';
import type { TenantProfile } from '../../src/core/auth/tenantProfile';
import type { ClaimsSummary } from '../../src/core/auth/tokenClaims';
import type { PermissionDiagnosis } from '../../src/core/auth/permissionDiagnosis';

const root = path.resolve(__dirname, '../../..');
const fixtures = path.join(root, 'test/unit/authFixtures');
const SECRET = 'Tst8Q~profile-secret-that-must-stay-in-secret-storage';
const NEW_SECRET = 'Tst8Q~replacement-secret-also-only-in-secret-storage';
const WRONG = 'Wr0ng~ext-host-secret-never-shown';
/** Every secret the bundled emulator hands out starts with this. */
const EMULATOR_SECRET_PREFIX = 'Emu8Q~';
const TENANT = '72F988BF86F141AF91AB2D7CD011DB47';
const CLIENT = '{11111111-2222-3333-4444-555555555555}';
const JWT = /eyJ[\w-]+\.eyJ[\w-]+\.[\w-]+/;

/** What the extension keeps about profiles outside SecretStorage, as text: the stored records and the settings. */
async function storedOutsideSecrets(): Promise<string> {
	const api = await getApi();
	return JSON.stringify(api.profiles.list()) + JSON.stringify(vscode.workspace.getConfiguration('graphCalls'));
}

describe('profiles (extension host)', function () {
	this.timeout(60_000);
	let added: TenantProfile;

	afterEach(async () => {
		await restoreUserInput();
	});

	after(async () => {
		await stopEmulator(await getApi());
	});

	it('adds a profile through the guided input, normalising ids; the secret is stored outside the profile records', async () => {
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
		let run;
		try {
			run = await runCommand<TenantProfile>('graphCalls.profile.add');
		} finally {
			sub.dispose();
		}
		input.assertAllUsed();
		assert.deepEqual(input.asked.map((a) => a.name), [
			'Add Tenant Profile (1/8): name', 'Add Tenant Profile (2/8): cloud', 'Add Tenant Profile (3/8): Directory (tenant) ID', 'Add Tenant Profile (4/8): Application (client) ID',
			'Add Tenant Profile (5/8): credential', 'Add Tenant Profile (6/8): client secret', 'Add Tenant Profile (7/8): Graph API version', 'Add Tenant Profile (8/8): callback URL',
		]);
		added = assertSucceeded(run, 'the command returned the profile')!;
		assert.ok(added);
		assert.equal(added.tenantId, '72f988bf-86f1-41af-91ab-2d7cd011db47');
		assert.equal(added.clientId, '11111111-2222-3333-4444-555555555555');
		assert.equal(added.apiVersion, 'beta');
		assert.equal(api.profiles.active?.id, added.id, 'a new profile becomes active');
		assert.equal(changes.at(-1)?.id, added.id, 'onDidChangeActive fired');
		assert.ok(api.profiles.list().some((p) => p.id === added.id && p.name === 'Contoso dev (ext test)'), 'the profile itself is stored');

		const stored = await storedOutsideSecrets();
		assert.ok(!stored.includes(SECRET), 'the secret is not in the stored profiles nor in settings');
		const logs = await waitForLog('Profile "Contoso dev (ext test)" added');
		assert.ok(!logs.includes(SECRET), 'nor in the log');
	});

	it('rejects an invalid value at the step it is entered (the scripted prompt runs the validation)', async () => {
		const input = await scriptInput(
			{ kind: 'inputBox', value: 'Another (ext test)' },
			{ kind: 'quickPick', pick: /^Global/ },
			{ kind: 'inputBox', value: 'common' },
		);
		const api = await getApi();
		const before = api.profiles.list().length;
		const run = await runCommand('graphCalls.profile.add');
		assert.match(assertFailed(run), /Directory \(tenant\) ID.*cannot get app-only tokens/);
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
		const p = assertSucceeded(await runCommand<TenantProfile>('graphCalls.profile.add'))!;
		input.assertAllUsed();
		assert.match(input.asked[6].name, /password-protected private key/);
		assert.equal(p.cloud, 'usGovL4');
		assert.equal(p.credentialKind, 'certificate');
		assert.equal(p.certificateThumbprintSha1, 'BE7EFDDFD62C3F039F228FA7DB2C414866845A65');
		assert.equal(p.certificateThumbprint, '138EEB326EE2BBD1421C684DC418BE25A60AF5728DE81372C4E394EDBCA7B77B');
		const keyLine = fs.readFileSync(path.join(fixtures, 'key.pem'), 'utf8').split('\n')[1];
		assert.ok(!(await storedOutsideSecrets()).includes(keyLine), 'the private key is not in the stored profiles nor in settings');
		assert.doesNotMatch(await storedOutsideSecrets(), /PRIVATE KEY/);
		await scriptInput({ kind: 'warning', choose: 'Remove' });
		assertSucceeded(await runCommand('graphCalls.profile.remove', p.id));
		assert.equal(api.profiles.list().find((x) => x.id === p.id), undefined, 'removed');
		const logs = await waitForLog('Profile "Cert profile (ext test)" removed with its credential.');
		assert.ok(!logs.includes(keyLine), 'the private key is not in the log');
	});

	it('edits the name and replaces the secret', async () => {
		const api = await getApi();
		let input = await scriptInput({ kind: 'quickPick', pick: 'Name' }, { kind: 'inputBox', value: 'Contoso renamed (ext test)' });
		assertSucceeded(await runCommand('graphCalls.profile.edit', added.id));
		input.assertAllUsed();
		assert.equal(api.profiles.list().find((p) => p.id === added.id)?.name, 'Contoso renamed (ext test)');

		input = await scriptInput({ kind: 'quickPick', pick: 'Replace client secret' }, { kind: 'inputBox', value: NEW_SECRET });
		assertSucceeded(await runCommand('graphCalls.profile.edit', added.id));
		input.assertAllUsed();
		await waitForLog('Profile "Contoso renamed (ext test)" updated with a new credential.');
		assert.ok(!(await storedOutsideSecrets()).includes(NEW_SECRET), 'the new secret is not in the stored profiles nor in settings');
	});

	it('"Use Local Emulator" starts the emulator child process and makes the Emulator profile active', async () => {
		const api = await getApi();
		const run = await runCommand<TenantProfile>('graphCalls.emulator.start');
		const profile = assertSucceeded(run, 'started')!;
		assert.ok(profile);
		assert.equal(profile.id, 'emulator');
		assert.equal(api.profiles.active?.id, 'emulator');
		assert.ok(api.emulator.running);
		assert.ok(api.emulator.pid && api.emulator.pid !== process.pid, 'a separate process');
		assert.match(profile.emulator?.graphHost ?? '', /^https:\/\/127\.0\.0\.1:\d+$/);
		assert.match(profile.emulator?.caCertPem ?? '', /BEGIN CERTIFICATE/);
		assert.equal(api.emulator.endpoints?.graphHost, profile.emulator?.graphHost);
		// Its secret is stored for it: signing in asks nothing (the scripted input has no answers and fails on any prompt).
		const input = await scriptInput();
		assertSucceeded(await runCommand<ClaimsSummary>('graphCalls.profile.testSignIn'), 'signed in with the stored emulator secret');
		assert.deepEqual(input.asked, [], 'no prompt');
		assert.ok(!(await storedOutsideSecrets()).includes(EMULATOR_SECRET_PREFIX), 'the emulator secret is in SecretStorage only');
	});

	it('tests sign-in, shows claims and checks permissions for the Emulator profile, never showing the token', async () => {
		const api = await getApi();
		const signIn = await runCommand<ClaimsSummary>('graphCalls.profile.testSignIn');
		const summary = assertSucceeded(signIn, 'signed in')!;
		assert.ok(summary);
		assert.equal(summary.appId, api.profiles.active?.clientId);
		assert.ok(summary.roles.includes('Calls.Initiate.All'));
		assert.equal(msalLoaded(), true, 'msal-node loads on the first token request');

		const markdown = assertSucceeded(await runCommand<string>('graphCalls.profile.showTokenClaims'))!;
		assert.match(markdown, /# Token claims: Emulator/);
		// An editor an earlier suite opened can still be taking focus: wait until the claims document is the one shown.
		await waitFor('the claims document', () => vscode.window.activeTextEditor?.document.getText() === markdown, 10_000, 100);
		assert.equal(vscode.window.activeTextEditor?.document.getText(), markdown, 'opened in an editor');
		// The claims document shows the token's claims, never the token itself.
		assert.doesNotMatch(markdown, JWT, 'no JWT at all');

		const diagnosis = assertSucceeded(await runCommand<PermissionDiagnosis>('graphCalls.profile.checkPermissions'))!;
		assert.ok(diagnosis.actions.every((a) => a.allowed), 'the emulator app has every calls permission');
		// The editor an earlier suite opened can still be taking focus: wait until the diagnosis document is shown.
		await waitFor('the permissions document', () => vscode.window.activeTextEditor?.document.getText().includes('# Permissions: Emulator'), 10_000, 100);
		assert.match(vscode.window.activeTextEditor?.document.getText() ?? '', /# Permissions: Emulator/);
		const logs = await waitForLog('msal:');
		assert.ok(logs.includes('msal:'), 'msal logs reach the channel');
		assert.doesNotMatch(logs, JWT, 'no token in the log');
		assert.ok(!logs.includes(EMULATOR_SECRET_PREFIX), 'no emulator secret in any log');
	});

	it('a secret missing from SecretStorage is asked for again; a typed secret is used', async () => {
		const api = await getApi();
		let input = await scriptInput({ kind: 'warning', choose: 'Forget' });
		assertSucceeded(await runCommand('graphCalls.profile.forgetSecret', 'emulator'), 'Forget Secret');
		input.assertAllUsed();
		assert.match(input.asked[0]?.name ?? '', /Forget the client secret of profile "Emulator"/, 'asks before deleting');
		input = await scriptInput({ kind: 'cancel' });
		const dismissed = await runCommand('graphCalls.profile.testSignIn');
		assert.equal(dismissed.outcome.outcome, 'cancelled', `dismissing the prompt is not an error (${describeRun(dismissed)})`);
		assert.match(input.asked[0]?.name ?? '', /Client secret for "Emulator"/, 'the forgotten secret is asked for');

		// Still forgotten (the dismissed prompt stored nothing): asked again. A wrong secret typed there is the one sent.
		input = await scriptInput({ kind: 'inputBox', value: WRONG });
		const wrong = await runCommand('graphCalls.profile.testSignIn');
		input.assertAllUsed();
		assert.match(input.asked[0].name, /Client secret for "Emulator"/);
		const message = assertFailed(wrong, 'the typed (wrong) secret was used');
		assert.match(message, /Sign-in for profile "Emulator" failed: Entra ID rejected the client secret.*Secret ID/);
		assert.match(message, /AADSTS7000215|client secret/);
		assert.ok(!message.includes(WRONG), 'the wrong secret is not shown');

		// A typed secret is stored: the next sign-in asks nothing, and fails the same way.
		input = await scriptInput();
		assertFailed(await runCommand('graphCalls.profile.testSignIn'), 'the stored wrong secret is used again');
		assert.deepEqual(input.asked, [], 'no prompt: the typed secret was stored');

		assertSucceeded(await runCommand('graphCalls.emulator.restart'), 'restart');
		assert.ok(api.emulator.running);
		const after = await runCommand<ClaimsSummary>('graphCalls.profile.testSignIn');
		assert.ok(assertSucceeded(after, 'restart stored the fresh secret')?.appId);
		assert.deepEqual(input.asked, [], 'still no prompt');
	});

	it('a wrong secret is explained (AADSTS7000215) and never shown or logged', async () => {
		const logs = await waitForLog(/Sign-in for profile "Emulator" failed|AADSTS7000215|rejected the client secret/);
		assert.ok(!logs.includes(WRONG), 'the wrong secret is not in the log');
		assert.ok(!(await storedOutsideSecrets()).includes(WRONG), 'nor in the stored profiles or settings');
	});

	it('switches the active profile with a pick and by id', async () => {
		const api = await getApi();
		const input = await scriptInput({ kind: 'quickPick', pick: 'Contoso renamed (ext test)' });
		assertSucceeded(await runCommand('graphCalls.profile.switch'));
		input.assertAllUsed();
		assert.equal(api.profiles.active?.id, added.id);
		assertSucceeded(await runCommand('graphCalls.profile.switch', 'emulator'));
		assert.equal(api.profiles.active?.id, 'emulator');
	});

	it('exports without secrets and imports as a new profile that has no secret yet', async () => {
		const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'graph-calls-export-')), 'profiles.json');
		await scriptInput({ kind: 'saveDialog', uri: vscode.Uri.file(file) });
		assertSucceeded(await runCommand('graphCalls.profile.export'));
		const text = fs.readFileSync(file, 'utf8');
		assert.ok(text.includes('Contoso renamed (ext test)'));
		assert.ok(!text.includes(NEW_SECRET) && !text.includes(SECRET) && !text.includes(EMULATOR_SECRET_PREFIX) && !text.includes(WRONG), 'no secret in the export');
		assert.ok(!JSON.parse(text).profiles.some((p: { name: string }) => p.name === 'Emulator'), 'the emulator profile is not exported');

		await scriptInput({ kind: 'openDialog', uris: [vscode.Uri.file(file)] });
		const imported = assertSucceeded(await runCommand<TenantProfile[]>('graphCalls.profile.import'))!;
		const copy = imported.find((p) => p.name === 'Contoso renamed (ext test) (2)');
		assert.ok(copy, `imported under a free name: ${imported.map((p) => p.name).join(', ')}`);
		// No secret yet: signing in with it asks for one (dismissed here, which is not an error).
		const input = await scriptInput({ kind: 'cancel' });
		const signIn = await runCommand('graphCalls.profile.testSignIn', copy.id);
		assert.match(input.asked[0]?.name ?? '', /Client secret for "Contoso renamed \(ext test\) \(2\)"/, `the imported profile asks for its secret (${describeRun(signIn)})`);
		assert.equal(signIn.outcome.outcome, 'cancelled');
		await scriptInput({ kind: 'warning', choose: 'Remove' });
		assertSucceeded(await runCommand('graphCalls.profile.remove', copy.id));
	});

	it('removes a profile only after confirmation, with its secret', async () => {
		const api = await getApi();
		await scriptInput({ kind: 'quickPick', pick: 'Contoso renamed (ext test)' }, { kind: 'cancel' });
		const cancelled = await runCommand('graphCalls.profile.remove');
		assert.ok(api.profiles.list().some((p) => p.id === added.id), 'cancelled: still there');
		assert.equal(cancelled.outcome.outcome, 'cancelled', `a cancelled confirmation is not an error (${describeRun(cancelled)})`);
		const input = await scriptInput({ kind: 'quickPick', pick: 'Contoso renamed (ext test)' }, { kind: 'warning', choose: 'Remove' });
		assertSucceeded(await runCommand('graphCalls.profile.remove'));
		input.assertAllUsed();
		assert.equal(api.profiles.list().find((p) => p.id === added.id), undefined);
		await waitForLog('Profile "Contoso renamed (ext test)" removed with its credential.');
	});

	it('no secret of this suite ever reached the log files', async () => {
		// The last line this suite wrote is there, so everything before it is too.
		const logs = await waitForLog('Profile "Contoso renamed (ext test)" removed with its credential.');
		for (const text of [logs, allLogs()]) {
			for (const s of [SECRET, NEW_SECRET, WRONG, EMULATOR_SECRET_PREFIX]) assert.ok(!text.includes(s), s);
			assert.doesNotMatch(text, /eyJ[\w-]+\.eyJ[\w-]+\./, 'no token');
			assert.doesNotMatch(text, /PRIVATE KEY/, 'no key');
		}
		assert.ok(graphCallsLog().length > 0);
	});

	it('stops the emulator', async () => {
		const api = await getApi();
		const pid = api.emulator.pid;
		assert.ok(pid);
		assertSucceeded(await runCommand('graphCalls.emulator.stop'));
		assert.equal(api.emulator.running, false);
		await waitFor('onDidChange to report the emulator stopped', () => !api.emulator.running && api.emulator.endpoints === undefined);
		assert.throws(() => process.kill(pid, 0), 'the child process is gone');
	});
});
