// The permission reference inside a real extension host, against the bundled emulator: open it, export it (JSON and
// CSV hold the rows with their granted/missing marks), and see the marks and the .http diagnostics and hover change
// when the emulator's control API takes a role away and the reference is refreshed. The webview's own filter box and
// its per-permission examples are checked on the model in test/unit/permissionReference.test.ts.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { ALL_PERMISSIONS } from '../../src/core/schema/endpoints';
import { importCsv, importJson, type ReferenceExport } from '../../src/core/permissions/referenceExport';
import type { PermissionDiagnosis } from '../../src/core/auth/permissionDiagnosis';
import type { GraphCallsApi } from '../../src/api';
import { PERMISSION_DIAGNOSTIC_SOURCE } from '../../src/vscode/reference/httpPermissionHints';
import { assertSucceeded, getApi, restoreUserInput, runCommand, scriptInput, stopEmulator, useEmulatorProfile } from './support/api';
import { closeControlAgents, controlOk } from './support/emulatorControl';
import { waitFor } from './support/waitFor';

describe('permission reference', function () {
	// Token requests and the workbench's hover round trip are slow on a loaded 2-core machine; nothing here is timed.
	this.timeout(60000);
	let api: GraphCallsApi;
	let dir: string;

	async function putRoles(roles: readonly string[]): Promise<void> {
		// The emulator's control API, as a developer would call it: removing a role takes effect at once.
		const clientId = api.profiles.active?.clientId;
		assert.ok(clientId);
		const body = await controlOk<{ roles: string[] }>(api, 'PUT', `/apps/${clientId}/roles`, { roles });
		assert.deepEqual([...body.roles].sort(), [...roles].sort());
	}

	/** Exports the reference as JSON (what it shows now) and reads the file back. */
	async function exportJsonNow(name: string): Promise<ReferenceExport> {
		const file = vscode.Uri.file(path.join(dir, name));
		const input = await scriptInput({ kind: 'saveDialog', uri: file });
		assertSucceeded(await runCommand('graphCalls.reference.exportJson'));
		input.assertAllUsed();
		return importJson(fs.readFileSync(file.fsPath, 'utf8'));
	}

	before(async () => {
		api = await getApi();
		dir = fs.mkdtempSync(path.join(os.tmpdir(), 'graph-calls-reference-'));
		await useEmulatorProfile(api);
		await putRoles(ALL_PERMISSIONS);
	});

	after(async () => {
		await restoreUserInput();
		await vscode.commands.executeCommand('workbench.action.closeAllEditors');
		if (api.emulator.running) await putRoles(ALL_PERMISSIONS);
		await stopEmulator(api);
		await closeControlAgents();
		if (dir) fs.rmSync(dir, { recursive: true, force: true });
	});

	it('opens from its command and marks every method from the active profile\'s token roles', async () => {
		assertSucceeded(await runCommand('graphCalls.reference.open'));
		await waitFor('the reference tab', () => vscode.window.tabGroups.all.some((g) => g.tabs.some((t) => t.label === 'Graph Calls Permission Reference')), 10_000, 100);
		assertSucceeded(await runCommand('graphCalls.reference.refresh'), 'roles read from a fresh token');
		const exported = await exportJsonNow('all.json');
		assert.equal(exported.profileName, 'Emulator');
		assert.equal(exported.query, undefined, 'no filter');
		assert.deepEqual([...new Set(exported.rows.flatMap((r) => r.leastPrivileged))].sort(), [...ALL_PERMISSIONS].sort(), 'every permission has its methods');
		assert.ok(exported.rows.length >= 34);
		assert.ok(exported.rows.every((r) => exported.status?.[r.action] === 'granted'), 'every method is granted');
		// Each row carries its documentation URL (what the reference's "Copy documentation URL" copies).
		const raw = JSON.parse(fs.readFileSync(path.join(dir, 'all.json'), 'utf8')) as { rows: { action: string; docUrl: string }[] };
		assert.equal(raw.rows.find((r) => r.action === 'call.recordResponse')?.docUrl, 'https://learn.microsoft.com/graph/api/call-record?view=graph-rest-1.0');
	});

	it('exports JSON and CSV, and flips marks when the emulator takes a role away', async () => {
		assertSucceeded(await runCommand('graphCalls.reference.refresh'));
		const before = await exportJsonNow('before.json');
		assert.equal(before.status?.['call.recordResponse'], 'granted');

		await putRoles(ALL_PERMISSIONS.filter((p) => p !== 'Calls.AccessMedia.All'));
		// A fresh token lacks the removed role (what the reference's Refresh reads).
		const diagnosis = assertSucceeded(await runCommand<PermissionDiagnosis>('graphCalls.profile.checkPermissions'))!;
		assert.ok(diagnosis.actions.some((a) => !a.allowed), 'a fresh token lacks the removed role');
		assertSucceeded(await runCommand('graphCalls.reference.refresh'));
		const model = await exportJsonNow('after.json');
		assert.equal(model.status?.['call.recordResponse'], 'missing');
		assert.equal(model.status?.['call.subscribeToTone'], 'missing');
		assert.equal(model.status?.['call.mute'], 'granted', 'mute is still allowed by Calls.Initiate.All');
		assert.deepStrictEqual(model.rows, before.rows, 'the same rows, only the marks changed');

		const csvFile = vscode.Uri.file(path.join(dir, 'reference.csv'));
		await scriptInput({ kind: 'saveDialog', uri: csvFile });
		assertSucceeded(await runCommand('graphCalls.reference.exportCsv'));
		const csv = importCsv(fs.readFileSync(csvFile.fsPath, 'utf8'));
		assert.deepStrictEqual(csv.rows, model.rows);
		assert.equal(csv.status?.['call.recordResponse'], 'missing');
		assert.equal(csv.status?.['call.mute'], 'granted');
	});

	it('warns in .http documents on a request the token cannot make, and explains it on hover', async () => {
		const doc = await vscode.workspace.openTextDocument({
			language: 'http',
			content: 'POST /v1.0/communications/calls/{{callId}}/recordResponse\nContent-Type: application/json\n\n{}\n\n###\n\nPOST /v1.0/communications/calls/{{callId}}/mute\n',
		});
		await vscode.window.showTextDocument(doc);
		const hints = () => vscode.languages.getDiagnostics(doc.uri).filter((d) => d.source === PERMISSION_DIAGNOSTIC_SOURCE);
		const diagnostics = await waitFor('the permission warning', () => (hints().length ? hints() : undefined), 20_000, 100);
		assert.equal(diagnostics.length, 1, 'only recordResponse lacks its permission');
		assert.equal(diagnostics[0].range.start.line, 0);
		assert.match(diagnostics[0].message, /Calls\.AccessMedia\.All.*grant admin consent/);
		assert.equal(diagnostics[0].severity, vscode.DiagnosticSeverity.Warning);

		const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, new vscode.Position(0, 3));
		const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
		assert.match(text, /Needs the application permission `Calls\.AccessMedia\.All`/);
		assert.match(text, /Missing/);

		await putRoles(ALL_PERMISSIONS);
		assertSucceeded(await runCommand('graphCalls.reference.refresh'));
		await waitFor('the warning to go away once the role is back', () => hints().length === 0, 20_000, 100);
		assert.deepEqual(hints(), []);
	});

	it('opens a method as a request', async () => {
		const editor = assertSucceeded(await runCommand<vscode.TextEditor>('graphCalls.request.openAsRequest', undefined, 'participant.muteAll'));
		assert.ok(editor, 'a request document opened');
		assert.match(editor.document.getText(), /POST \S*\/communications\/calls\/\S+\/participants\/muteAll/);
	});
});
