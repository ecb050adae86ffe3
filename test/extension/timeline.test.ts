// The call timeline inside a real extension host: opened from a HAR file (the product's own traffic record) and
// from a call the workbench made against the bundled emulator, then exported as a user would (save dialog) to see
// what the panel holds: the Mermaid diagram names the call's arrows, the HAR export holds the call's exchanges.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { CallResource } from '../../src/core/schema/types';
import { harEntry } from '../../src/core/traffic/har';
import { notificationEntry, buildTrafficLog } from '../../src/core/traffic/trafficRecord';
import { assertSucceeded, getApi, restoreUserInput, runCommand, scriptInput, stopEmulator, useEmulatorProfile } from './support/api';
import { waitFor } from './support/waitFor';

const CALL = '2e1a0b00-2db4-4022-9570-243709c565ab';
const T0 = Date.parse('2026-11-28T09:00:00.000Z');

function timelineTab(label: string): boolean {
	return vscode.window.tabGroups.all.some((g) => g.tabs.some((t) => t.label === label && t.input instanceof vscode.TabInputWebview));
}

describe('call timeline', function () {
	this.timeout(60_000);
	let dir: string;

	async function exportAs(command: string, name: string): Promise<string> {
		const file = vscode.Uri.file(path.join(dir, name));
		const input = await scriptInput({ kind: 'saveDialog', uri: file });
		assertSucceeded(await runCommand(command));
		input.assertAllUsed();
		return fs.readFileSync(file.fsPath, 'utf8');
	}

	before(() => {
		dir = fs.mkdtempSync(path.join(os.tmpdir(), 'graph-calls-timeline-'));
	});
	afterEach(async () => {
		await restoreUserInput();
	});
	after(async () => {
		await vscode.commands.executeCommand('workbench.action.closeAllEditors');
		await stopEmulator(await getApi());
		fs.rmSync(dir, { recursive: true, force: true });
	});

	it('opens a HAR file as a timeline and exports it as Mermaid, SVG and HAR', async () => {
		const entries = [
			harEntry({ direction: 'out', startedDateTime: new Date(T0).toISOString(), durationMs: 90, method: 'POST', url: 'https://graph.microsoft.com/v1.0/communications/calls', requestHeaders: { authorization: 'Bearer eyJ0eXAiOiJKV1QifQ.eyJyb2xlcyI6W119.c2ln' }, requestBody: { targets: [{ identity: { user: { id: 'u1', displayName: 'Adele Vance' } } }], tenantId: 't' }, status: 201, responseBody: { id: CALL, state: 'establishing' } }),
			notificationEntry({ url: 'https://bot.contoso.com/api/calls', startedDateTime: new Date(T0 + 1500).toISOString(), durationMs: 12, headers: {}, body: { value: [{ changeType: 'updated', resourceUrl: `/communications/calls/${CALL}`, resourceData: { state: 'established' } }] }, status: 202 }),
		];
		const file = path.join(dir, 'one-call.har');
		fs.writeFileSync(file, JSON.stringify(buildTrafficLog(entries, { creatorVersion: 'test' })));
		assertSucceeded(await runCommand('graphCalls.timeline.openHar', vscode.Uri.file(file)));
		await waitFor('the timeline tab', () => timelineTab('Timeline: one-call.har'), 10_000, 100);

		const mmd = await exportAs('graphCalls.timeline.exportMermaid', 'one.mmd');
		assert.match(mmd, /^sequenceDiagram\n/);
		assert.match(mmd, /participant L2 as Adele Vance/);
		assert.match(mmd, /L0->>L1: \+0\.000 s POST create/);
		assert.match(mmd, /L1->>L0: \+1\.500 s call established/);
		assert.match(mmd, /L0-->>L1: \+1\.512 s 202 Accepted after 12 ms/);
		const svg = await exportAs('graphCalls.timeline.exportSvg', 'one.svg');
		assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
		const har = JSON.parse(await exportAs('graphCalls.timeline.exportHar', 'one.har')) as { log: { entries: unknown[] } };
		assert.equal(har.log.entries.length, 2);
		assert.doesNotMatch(JSON.stringify(har), /eyJ0eXAi/);
	});

	it('shows the timeline of a call the workbench made, with its create and the notifications', async () => {
		const api = await getApi();
		await useEmulatorProfile(api);
		const input = await scriptInput({ kind: 'quickPick', pick: /Teams user/ }, { kind: 'quickPick', pick: 'Adele Vance' });
		const call = assertSucceeded(await runCommand<CallResource>('graphCalls.call.create'), 'created');
		input.assertAllUsed();
		assert.ok(call?.id);
		await waitFor('the call established', () => api.calls.get(call.id)?.call.state === 'established', 20_000, 100);
		assertSucceeded(await runCommand('graphCalls.timeline.showForCall', { callId: call.id }));
		await waitFor('the call\'s timeline tab', () => timelineTab(`Timeline: call ${call.id.slice(0, 8)}`), 10_000, 100);
		const mmd = await exportAs('graphCalls.timeline.exportMermaid', 'call.mmd');
		assert.match(mmd, /L0->>L1: \+0\.000 s POST create/);
		assert.match(mmd, /L1-->>L0: \+\d+\.\d{3} s 201 Created/);
		assert.match(mmd, /call established/, 'the receiver\'s notification is on the timeline');
		assert.match(mmd, /participant L2 as Adele Vance/);
	});
});
