// Call commands inside a real extension host, against the emulator child process ("Use Local Emulator"):
// palette commands with scripted input, tree-node arguments, the CallStore fed by responses, the log lines,
// validation messages, and the HAR export without tokens.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { CallResource, OperationResource } from '../../src/core/schema/types';
import type { HarLog } from '../../src/core/traffic/har';
import { assertFailed, assertSucceeded, getApi, restoreUserInput, runCommand, scriptInput, stopEmulator, useEmulatorProfile } from './support/api';
import { allLogs, waitForLog } from './support/logFiles';

async function until<T>(what: string, fn: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 10_000): Promise<T> {
	const end = Date.now() + timeoutMs;
	for (;;) {
		const v = await fn();
		if (v) return v;
		if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
		await new Promise((r) => setTimeout(r, 100));
	}
}

describe('call commands (extension host, emulator profile)', function () {
	this.timeout(60_000);
	let callId: string;

	before(async () => {
		await useEmulatorProfile(await getApi());
	});
	afterEach(async () => {
		await restoreUserInput();
	});
	after(async () => {
		await stopEmulator(await getApi());
	});

	it('Create Call: picks a user from the emulator directory, feeds the store and logs one line', async () => {
		const api = await getApi();
		const input = await scriptInput({ kind: 'quickPick', pick: /Teams user/ }, { kind: 'quickPick', pick: 'Adele Vance' });
		const run = await runCommand<CallResource>('graphCalls.call.create');
		input.assertAllUsed();
		const call = assertSucceeded(run, 'created');
		assert.ok(call?.id);
		callId = call.id;
		assert.deepEqual(input.asked.map((a) => a.name), ['kind', 'target']);
		assert.match(run.message, /^Call to Adele Vance created: establishing/);
		assert.ok(api.calls.get(callId), 'the call is in the Calls view\'s list');
		await waitForLog(/POST \/communications\/calls -> 201 in \d+ ms \[client-request-id [0-9a-f-]{36}/);
	});

	it('Get Call with a tree node refreshes the store until established', async () => {
		const api = await getApi();
		let last = '';
		await until('established', async () => {
			last = (await runCommand('graphCalls.call.get', { callId })).message;
			return api.calls.get(callId)?.call.state === 'established';
		});
		assert.match(last, new RegExp(`^Call ${callId}: established`));
	});

	it('Play Prompt asks for audio URLs, then offers them as recent; the operation lands in the store', async () => {
		const api = await getApi();
		const url = `https://contoso.example/audio/welcome-${Date.now()}.wav`;
		// Another test may have left recent URLs: then the first prompt is the recent list, with "Enter" at the end.
		// Answer whichever comes: a pick of "Enter audio file URLs" when offered, then the URL.
		let input = await scriptInput({ kind: 'inputBox', value: url });
		let run = await runCommand<OperationResource>('graphCalls.call.playPrompt', { callId });
		if (run.failed && /unexpected quickPick|showed a quickPick/.test(run.message)) {
			input = await scriptInput({ kind: 'quickPick', pick: /Enter audio file URLs/ }, { kind: 'inputBox', value: url });
			run = await runCommand<OperationResource>('graphCalls.call.playPrompt', { callId });
		}
		input.assertAllUsed();
		const op = assertSucceeded(run, 'played');
		assert.ok(op?.id);
		assert.match(run.message, /^Play prompt: operation running/);
		assert.ok([...(api.calls.get(callId)?.operations.values() ?? [])].some((o) => o.operation.id === op.id), 'the operation is in the call\'s entry');

		input = await scriptInput({ kind: 'quickPick', pick: url });
		assertSucceeded(await runCommand('graphCalls.call.playPrompt', { callId }));
		input.assertAllUsed();
		assert.equal(input.asked[0].name, 'promptUrl');
	});

	it('Send DTMF Tones refuses a bad tone with a message that says what to type', async () => {
		await scriptInput({ kind: 'inputBox', value: '12x' });
		const run = await runCommand('graphCalls.call.sendDtmfTones', { callId });
		assert.match(assertFailed(run), /"12x" is not a tone\. Use digits 0-9, \* and #/);
	});

	it('Mute Bot from the palette picks the call from the CallStore', async () => {
		const input = await scriptInput({ kind: 'quickPick', pick: /Adele Vance/ });
		const run = await runCommand<OperationResource>('graphCalls.call.mute');
		input.assertAllUsed();
		const op = assertSucceeded(run, 'muted');
		assert.equal(String(op?.status), 'completed');
	});

	it('List Participants fills the roster; Hang Up ends the call; a later Get explains the 404', async () => {
		const api = await getApi();
		const listed = await runCommand('graphCalls.participant.list', { callId });
		assert.ok((api.calls.get(callId)?.participants.size ?? 0) >= 2, listed.message);
		const hangUp = await runCommand('graphCalls.call.hangUp', { callId });
		assert.match(hangUp.message, /^Hanging up call/);
		const error = await until('404 after hang-up', async () => {
			const run = await runCommand('graphCalls.call.get', { callId });
			return run.failed ? run.message : undefined;
		});
		assert.match(error, /404 .*call has probably ended.*request-id/);
		assert.equal(api.calls.get(callId)?.ended, true, 'the store marks the call ended');
	});

	it('Export Requests as HAR writes the session without any token', async () => {
		const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'graph-calls-har-')), 'session.har');
		const input = await scriptInput({ kind: 'saveDialog', uri: vscode.Uri.file(file) });
		assertSucceeded(await runCommand('graphCalls.log.exportHar'));
		input.assertAllUsed();
		const text = fs.readFileSync(file, 'utf8');
		const har = JSON.parse(text) as HarLog;
		assert.equal(har.log.version, '1.2');
		assert.ok(har.log.entries.some((e) => e.request.method === 'POST' && e.request.url.endsWith('/communications/calls') && e.response.status === 201));
		assert.doesNotMatch(text, /eyJ[\w-]+\.eyJ[\w-]+\.[\w-]+/, 'no JWT (no token) at all');
		assert.ok(har.log.entries.every((e) => e.request.headers.find((h) => h.name === 'authorization')?.value !== undefined ? e.request.headers.find((h) => h.name === 'authorization')!.value === '[redacted]' : true));
		assert.doesNotMatch(allLogs(), /eyJ[\w-]+\.eyJ[\w-]+\.[\w-]+/, 'no token in any log');
	});
});
