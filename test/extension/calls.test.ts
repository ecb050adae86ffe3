// Call commands inside a real extension host, against the emulator child process ("Use Local Emulator"):
// palette commands with scripted input, tree-node arguments, the CallStore fed by responses, the log lines,
// validation messages, and the HAR export without tokens.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { CallResource, OperationResource } from '../../src/core/schema/types';
import type { HarLog } from '../../src/core/graph/har';
import { getApi, restoreUserInput, scriptInput, useEmulatorProfile } from './support/api';

function filesUnder(dir: string): string[] {
	if (!fs.existsSync(dir)) return [];
	return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

/** Every log file of this window: the "Graph Calls" channel is written under it. */
function windowLogs(logUri: vscode.Uri): string {
	const windowDir = path.resolve(logUri.fsPath, '..', '..');
	return filesUnder(windowDir).filter((f) => f.endsWith('.log')).map((f) => fs.readFileSync(f, 'utf8')).join('\n');
}

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
		// Errors these tests provoke on purpose must not look like failures to the next suite.
		(await getApi()).commandContext.lastError = undefined;
	});
	after(async () => {
		const api = await getApi();
		await api.emulator.stop();
	});

	it('Create Call: picks a user from the emulator directory, feeds the store and logs one line', async () => {
		const api = await getApi();
		const input = await scriptInput({ kind: 'quickPick', pick: /Teams user/ }, { kind: 'quickPick', pick: 'Adele Vance' });
		const call = await vscode.commands.executeCommand<CallResource>('graphCalls.call.create');
		input.assertAllUsed();
		assert.ok(call?.id, `created (last error: ${api.commandContext.lastError})`);
		callId = call.id;
		assert.deepEqual(input.asked.map((a) => a.name), ['kind', 'target']);
		assert.match(api.callCommands.lastResult ?? '', /^Call to Adele Vance created: establishing/);
		assert.ok(api.callStore.get(callId), 'the call is in the CallStore');
		await until('the log line', () => /POST \/communications\/calls -> 201 in \d+ ms \[client-request-id [0-9a-f-]{36}/.test(windowLogs(api.logUri)));
	});

	it('Get Call with a tree node refreshes the store until established', async () => {
		const api = await getApi();
		await until('established', async () => {
			await vscode.commands.executeCommand('graphCalls.call.get', { callId });
			return api.callStore.get(callId)?.call.state === 'established';
		});
		assert.match(api.callCommands.lastResult ?? '', new RegExp(`^Call ${callId}: established`));
	});

	it('Play Prompt asks for audio URLs, then offers them as recent; the operation lands in the store', async () => {
		const api = await getApi();
		const url = `https://contoso.example/audio/welcome-${Date.now()}.wav`;
		// Another test may have left recent URLs: then the first prompt is the recent list, with "Enter" at the end.
		const hasRecent = ((api.globalStateSnapshot()['graphCalls.recentPromptUrls'] as string[] | undefined) ?? []).length > 0;
		let input = await scriptInput(...(hasRecent ? [{ kind: 'quickPick' as const, pick: /Enter audio file URLs/ }] : []), { kind: 'inputBox', value: url });
		const op = await vscode.commands.executeCommand<OperationResource>('graphCalls.call.playPrompt', { callId });
		input.assertAllUsed();
		assert.ok(op?.id, `played (last error: ${api.commandContext.lastError})`);
		assert.match(api.callCommands.lastResult ?? '', /^Play prompt: operation running/);
		assert.ok(api.callStore.get(callId)?.operations.has(op.id.toLowerCase()) || [...(api.callStore.get(callId)?.operations.values() ?? [])].some((o) => o.operation.id === op.id));

		input = await scriptInput({ kind: 'quickPick', pick: url });
		await vscode.commands.executeCommand('graphCalls.call.playPrompt', { callId });
		input.assertAllUsed();
		assert.equal(input.asked[0].name, 'promptUrl');
	});

	it('Send DTMF Tones refuses a bad tone with a message that says what to type', async () => {
		const api = await getApi();
		api.commandContext.lastError = undefined;
		await scriptInput({ kind: 'inputBox', value: '12x' });
		await vscode.commands.executeCommand('graphCalls.call.sendDtmfTones', { callId });
		assert.match(api.commandContext.lastError ?? '', /"12x" is not a tone\. Use digits 0-9, \* and #/);
	});

	it('Mute Bot from the palette picks the call from the CallStore', async () => {
		const api = await getApi();
		const input = await scriptInput({ kind: 'quickPick', pick: /Adele Vance/ });
		const op = await vscode.commands.executeCommand<OperationResource>('graphCalls.call.mute');
		input.assertAllUsed();
		assert.equal(String(op?.status), 'completed', `muted (last error: ${api.commandContext.lastError})`);
	});

	it('List Participants fills the roster; Hang Up ends the call; a later Get explains the 404', async () => {
		const api = await getApi();
		await vscode.commands.executeCommand('graphCalls.participant.list', { callId });
		assert.ok((api.callStore.get(callId)?.participants.size ?? 0) >= 2, api.callCommands.lastResult);
		await vscode.commands.executeCommand('graphCalls.call.hangUp', { callId });
		assert.match(api.callCommands.lastResult ?? '', /^Hanging up call/);
		api.commandContext.lastError = undefined;
		await until('404 after hang-up', async () => {
			await vscode.commands.executeCommand('graphCalls.call.get', { callId });
			return api.commandContext.lastError;
		});
		assert.match(api.commandContext.lastError ?? '', /404 .*call has probably ended.*request-id/);
		assert.equal(api.callStore.get(callId)?.ended, true, 'the store marks the call ended');
	});

	it('Export Requests as HAR writes the session without any token', async () => {
		const api = await getApi();
		const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'graph-calls-har-')), 'session.har');
		const input = await scriptInput({ kind: 'saveDialog', uri: vscode.Uri.file(file) });
		await vscode.commands.executeCommand('graphCalls.log.exportHar');
		input.assertAllUsed();
		const text = fs.readFileSync(file, 'utf8');
		const har = JSON.parse(text) as HarLog;
		assert.equal(har.log.version, '1.2');
		assert.ok(har.log.entries.some((e) => e.request.method === 'POST' && e.request.url.endsWith('/communications/calls') && e.response.status === 201));
		const token = await api.profiles.tokenProviderFor({ id: 'emulator' }).getToken();
		assert.ok(!text.includes(token.token), 'no token in the HAR');
		assert.doesNotMatch(text, /eyJ[\w-]+\.eyJ[\w-]+\.[\w-]+/, 'no JWT at all');
		assert.ok(har.log.entries.every((e) => e.request.headers.find((h) => h.name === 'authorization')?.value !== undefined ? e.request.headers.find((h) => h.name === 'authorization')!.value === '[redacted]' : true));
		assert.ok(!windowLogs(api.logUri).includes(token.token), 'no token in any log');
	});
});
