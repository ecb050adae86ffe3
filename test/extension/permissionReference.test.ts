// The permission reference inside a real extension host, against an in-process emulator: open it, filter it,
// export it, and see the granted/missing marks (and the .http diagnostics) change when the emulator's control
// API takes a role away.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { Agent, request } from 'undici';
import { startEmulator, type EmulatorHandle } from '../../src/core/emulator';
import { ALL_PERMISSIONS } from '../../src/core/schema/endpoints';
import { importCsv, importJson } from '../../src/core/permissions/referenceExport';
import type { ReferenceModel } from '../../src/core/permissions/referenceModel';
import type { GraphCallsApi } from '../../src/extension';
import { PERMISSION_DIAGNOSTIC_SOURCE } from '../../src/vscode/reference/httpPermissionHints';
import { getApi, restoreUserInput, scriptInput } from './support/api';

function statusIn(model: ReferenceModel, permission: string, action: string): string | undefined {
	const section = model.sections.find((s) => s.permission === permission);
	return section?.methods['v1.0'].find((m) => m.action === action)?.status;
}

describe('permission reference', function () {
	// Token requests and the workbench's hover round trip are slow on a loaded 2-core machine; nothing here is timed.
	this.timeout(60000);
	let api: GraphCallsApi;
	let emu: EmulatorHandle;
	let agent: Agent;
	let dir: string;
	let profileId: string | undefined;
	let previousActive: string | undefined;

	async function putRoles(roles: readonly string[]): Promise<void> {
		// The emulator's control API, as a developer would call it: removing a role takes effect at once.
		const res = await request(`${emu.controlUrl}/apps/${emu.clientId}/roles`, {
			method: 'PUT',
			dispatcher: agent,
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ roles }),
		});
		const body = await res.body.text();
		assert.equal(res.statusCode, 200, body);
	}

	before(async () => {
		api = await getApi();
		emu = await startEmulator();
		agent = new Agent({ connect: { ca: emu.caCertPem } });
		dir = fs.mkdtempSync(path.join(os.tmpdir(), 'graph-calls-reference-'));
		previousActive = api.profiles.active?.id;
		const profile = await api.profiles.add(
			{
				name: 'Permission reference test',
				cloud: 'global',
				tenantId: emu.tenantId,
				clientId: emu.clientId,
				credentialKind: 'secret',
				apiVersion: 'v1.0',
				emulator: { authority: emu.authority, graphHost: emu.baseUrl, caCertPem: emu.caCertPem, controlUrl: emu.controlUrl },
			},
			{ kind: 'secret', clientSecret: emu.clientSecret },
			{ activate: true },
		);
		profileId = profile.id;
	});

	after(async () => {
		await restoreUserInput();
		await vscode.commands.executeCommand('workbench.action.closeAllEditors');
		if (profileId) await api.profiles.remove(profileId);
		if (previousActive && api.profiles.get(previousActive)) await api.profiles.setActive(previousActive);
		await agent?.close();
		await emu?.stop();
		if (dir) fs.rmSync(dir, { recursive: true, force: true });
	});

	it('opens from its command and marks every method from the active profile\'s token roles', async () => {
		const ref = api.permissionReference;
		await vscode.commands.executeCommand('graphCalls.reference.open');
		assert.equal(ref.panel.isOpen, true);
		const snap = await ref.roles.refresh({ fresh: true });
		assert.equal(snap?.error, undefined);
		assert.deepEqual([...(snap?.roles ?? [])].sort(), [...ALL_PERMISSIONS].sort());
		const model = ref.panel.setQuery('');
		assert.equal(model.profileName, 'Permission reference test');
		assert.deepEqual(model.sections.map((s) => s.permission), [...ALL_PERMISSIONS]);
		assert.ok(model.sections.every((s) => s.granted === true));
		assert.ok(model.sections.every((s) => [...s.methods['v1.0'], ...s.methods.beta].every((m) => m.status === 'granted')));
		assert.ok(model.sections.every((s) => s.examples.length >= 4 && s.registrationSteps.length === 4), 'code examples and App Registration steps per permission');
	});

	it('filters, exports JSON and CSV, and flips marks when the emulator takes a role away', async () => {
		const ref = api.permissionReference;
		let model = ref.panel.setQuery('perm:AccessMedia');
		assert.deepEqual(model.sections.map((s) => s.permission), ['Calls.AccessMedia.All']);
		assert.equal(statusIn(model, 'Calls.AccessMedia.All', 'call.recordResponse'), 'granted');
		assert.ok(model.rows.length < 34 && model.rows.some((r) => r.action === 'call.recordResponse'));

		const jsonFile = vscode.Uri.file(path.join(dir, 'reference.json'));
		const input = await scriptInput({ kind: 'saveDialog', uri: jsonFile });
		await vscode.commands.executeCommand('graphCalls.reference.exportJson');
		input.assertAllUsed();
		const exported = importJson(fs.readFileSync(jsonFile.fsPath, 'utf8'));
		assert.deepStrictEqual(exported.rows, model.rows, 'the export holds the filtered rows');
		assert.equal(exported.status?.['call.recordResponse'], 'granted');
		assert.equal(exported.query, 'perm:AccessMedia');

		await putRoles(ALL_PERMISSIONS.filter((p) => p !== 'Calls.AccessMedia.All'));
		model = await ref.panel.refresh();
		assert.ok(!model.roles?.includes('Calls.AccessMedia.All'), 'a fresh token lacks the removed role');
		assert.equal(model.sections[0].granted, false);
		assert.equal(statusIn(model, 'Calls.AccessMedia.All', 'call.recordResponse'), 'missing');
		assert.equal(statusIn(model, 'Calls.AccessMedia.All', 'call.subscribeToTone'), 'missing');
		assert.equal(statusIn(model, 'Calls.AccessMedia.All', 'call.mute'), 'granted', 'mute is still allowed by Calls.Initiate.All');

		const csvFile = vscode.Uri.file(path.join(dir, 'reference.csv'));
		await scriptInput({ kind: 'saveDialog', uri: csvFile });
		await vscode.commands.executeCommand('graphCalls.reference.exportCsv');
		const csv = importCsv(fs.readFileSync(csvFile.fsPath, 'utf8'));
		assert.deepStrictEqual(csv.rows, model.rows);
		assert.equal(csv.status?.['call.recordResponse'], 'missing');
		assert.equal(csv.status?.['call.mute'], 'granted');
		assert.equal(api.commandContext.lastError, undefined);
	});

	it('warns in .http documents on a request the token cannot make, and explains it on hover', async () => {
		const ref = api.permissionReference;
		const doc = await vscode.workspace.openTextDocument({
			language: 'http',
			content: 'POST /v1.0/communications/calls/{{callId}}/recordResponse\nContent-Type: application/json\n\n{}\n\n###\n\nPOST /v1.0/communications/calls/{{callId}}/mute\n',
		});
		await vscode.window.showTextDocument(doc);
		let diagnostics = await ref.hints.check(doc);
		assert.equal(diagnostics.length, 1, 'only recordResponse lacks its permission');
		assert.equal(diagnostics[0].range.start.line, 0);
		assert.match(diagnostics[0].message, /Calls\.AccessMedia\.All.*grant admin consent/);
		assert.equal(diagnostics[0].severity, vscode.DiagnosticSeverity.Warning);
		assert.equal(vscode.languages.getDiagnostics(doc.uri).filter((d) => d.source === PERMISSION_DIAGNOSTIC_SOURCE).length, 1, 'published in the Problems view');

		const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, new vscode.Position(0, 3));
		const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
		assert.match(text, /Needs the application permission `Calls\.AccessMedia\.All`/);
		assert.match(text, /Missing/);

		await putRoles(ALL_PERMISSIONS);
		await ref.panel.refresh();
		diagnostics = await ref.hints.check(doc);
		assert.deepEqual(diagnostics, [], 'the warning goes away once the role is back');
		assert.deepEqual(vscode.languages.getDiagnostics(doc.uri).filter((d) => d.source === PERMISSION_DIAGNOSTIC_SOURCE), []);
	});

	it('copies a method\'s documentation URL and opens a method as a request', async () => {
		const ref = api.permissionReference;
		const url = await ref.panel.copyDocUrl('call.recordResponse', 'v1.0');
		assert.equal(url, 'https://learn.microsoft.com/graph/api/call-record?view=graph-rest-1.0');
		assert.equal(await vscode.env.clipboard.readText(), url);
		const doc = await ref.panel.openAsRequest('participant.muteAll', 'beta');
		assert.ok(doc, 'a request document opened');
		assert.match(doc.getText(), /POST \S*\/beta\/communications\/calls\/\S+\/participants\/muteAll/);
	});
});
