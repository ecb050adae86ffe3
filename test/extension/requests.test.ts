// Request documents inside a real extension host: a .http document's requests are sent to the emulator through the
// "Send with <profile>" CodeLens; the response editor opens beside it and the Calls view's list updates. What was sent
// is observed through the public requests.list()/onDidSend; the history through its own commands.
import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as vscode from 'vscode';
import { waitFor as waitUpTo } from './support/waitFor';

const waitFor = <T>(what: string, probe: () => T | undefined | false) => waitUpTo(what, probe, 5_000);
import { RESPONSE_SCHEME } from '../../src/vscode/requests/responseViewer';
import type { SendOutcome } from '../../src/vscode/requests/requestSender';
import type { GraphCallsApi } from '../../src/api';
import { assertFailed, assertSucceeded, describeRun, getApi, restoreUserInput, runCommand, scriptInput, stopEmulator, useEmulatorProfile, type CommandRun } from './support/api';

const ADELE = '0d5e1a6b-0001-4a00-8000-000000000001';

async function openHttp(content: string): Promise<vscode.TextEditor> {
	const doc = await vscode.workspace.openTextDocument({ language: 'http', content });
	return vscode.window.showTextDocument(doc, vscode.ViewColumn.One);
}

/** Our CodeLenses for the document, as VS Code computes them. */
async function sendLenses(doc: vscode.TextDocument): Promise<vscode.CodeLens[]> {
	const lenses = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri, 100)) ?? [];
	return lenses.filter((l) => l.command?.command === 'graphCalls.request.send');
}

async function runLens(lens: vscode.CodeLens): Promise<SendOutcome | undefined> {
	return (await runLensCommand(lens)).result;
}

async function runLensCommand(lens: vscode.CodeLens): Promise<CommandRun<SendOutcome>> {
	return runCommand<SendOutcome>(lens.command!.command, ...(lens.command!.arguments ?? []));
}


describe('request documents', function () {
	// Generous: a loaded CI machine takes tens of seconds to open editors and compute CodeLenses.
	this.timeout(120000);
	let api: GraphCallsApi;
	let foreign: http.Server;
	const foreignRequests: http.IncomingHttpHeaders[] = [];

	before(async () => {
		api = await getApi();
		await useEmulatorProfile(api);
		foreign = http.createServer((req, res) => {
			foreignRequests.push(req.headers);
			res.setHeader('content-type', 'application/json');
			res.end('{"ok":true}');
		});
		await new Promise<void>((r) => foreign.listen(0, '127.0.0.1', () => r()));
	});

	after(async () => {
		await restoreUserInput();
		await vscode.commands.executeCommand('workbench.action.closeAllEditors');
		await new Promise<void>((r) => foreign.close(() => r()));
		await stopEmulator(api);
	});

	afterEach(() => restoreUserInput());

	it('sends each request through its CodeLens: response beside the document, call in the Calls view', async () => {
		await scriptInput();
		const editor = await openHttp([
			`@userId = ${ADELE}`,
			'',
			'###',
			'# @name create',
			'POST /communications/calls',
			'Content-Type: application/json',
			'',
			'{',
			'  "@odata.type": "#microsoft.graph.call",',
			'  "callbackUri": "{{callbackUri}}",',
			'  "targets": [{ "@odata.type": "#microsoft.graph.invitationParticipantInfo", "identity": { "user": { "id": "{{userId}}", "displayName": "Adele Vance" } } }],',
			'  "requestedModalities": ["audio"],',
			'  "mediaConfig": { "@odata.type": "#microsoft.graph.serviceHostedMediaConfig" },',
			'  "tenantId": "{{tenantId}}"',
			'}',
			'',
			'###',
			'GET /communications/calls/{{callId}}',
			'',
			'###',
			'POST /communications/calls/{{callId}}/playPrompt',
			'',
			'{ "clientContext": "ctx-1", "prompts": [{ "@odata.type": "#microsoft.graph.mediaPrompt", "mediaInfo": { "uri": "https://cdn.contoso.com/beep.wav" } }] }',
		].join('\n'));
		const lenses = await sendLenses(editor.document);
		assert.equal(lenses.length, 3);
		assert.equal(lenses[0].command!.title, '$(play) Send with Emulator');
		assert.equal(lenses[0].range.start.line, 4);

		const created = assertSucceeded(await runLensCommand(lenses[0]));
		assert.ok(created, 'the send command returns its outcome');
		assert.equal(created.response.status, 201);
		const callId = created.callId!;
		assert.ok(callId, 'the created call id');
		assert.ok(api.calls.get(callId), 'the created call is in the Calls view');

		const responseEditor = await waitFor('the response editor', () => vscode.window.visibleTextEditors.find((e) => e.document.uri.scheme === RESPONSE_SCHEME));
		assert.notEqual(responseEditor.viewColumn, editor.viewColumn, 'the response opens beside the document');
		const text = responseEditor.document.getText();
		assert.match(text, /^# POST https:\/\/127\.0\.0\.1:\d+\/v1\.0\/communications\/calls/);
		assert.match(text, /201 Created · \d+ ms · profile Emulator/);
		assert.match(text, /client-request-id: [0-9a-f-]{36}/);
		assert.ok(text.includes(`"id": "${callId}"`), 'pretty JSON body with the call id');
		assert.doesNotMatch(text, /Bearer|eyJ/);

		// {{callId}} now resolves to the call the document created.
		const got = await runLens(lenses[1]);
		assert.equal(got?.response.status, 200);
		assert.ok(got?.request.url.endsWith(`/communications/calls/${callId}`));

		const played = await runLens(lenses[2]);
		assert.equal(played?.response.status, 200);
		const opId = (played?.response.body as { id: string }).id;
		await waitFor('the operation in the Calls view', () => api.calls.get(callId)?.operations.size);
		assert.ok([...api.calls.get(callId)!.operations.values()].some((o) => o.operation.id === opId));
		await waitFor('the playPrompt response shown', () => vscode.window.visibleTextEditors.find((e) => e.document.uri.scheme === RESPONSE_SCHEME && /playPrompt/.test(e.document.uri.path)));

		// The three exchanges, newest first, as the session's requests record them (the poller's GETs left out).
		const ours = new Set([created, got, played].map((o) => o?.response.clientRequestId));
		const exchanges = api.requests.list().filter((e) => ours.has(e.clientRequestId) && e.status !== undefined).reverse();
		assert.deepEqual(exchanges.map((h) => [h.method, h.status]), [['POST', 200], ['GET', 200], ['POST', 201]]);
		// The history offers them newest first, with their status.
		const history = await scriptInput({ kind: 'cancel' });
		await runCommand('graphCalls.request.history');
		const items = history.asked[0]?.items ?? [];
		assert.ok(items.length >= 3, `the history lists the requests: ${items.join(' | ')}`);
		assert.match(items[0], /^200 POST .*playPrompt/);
		assert.match(items[1], /^200 GET .*\/communications\/calls\//);
		assert.match(items[2], /^201 POST .*\/communications\/calls$/);
	});

	it('resolves {{callId}} from the call selected in the Calls view before the last created one', async () => {
		const created: string[] = [];
		for (let i = 0; i < 2; i++) {
			const editor = await openHttp(['POST /communications/calls', 'Content-Type: application/json', '', JSON.stringify({
				'@odata.type': '#microsoft.graph.call', callbackUri: '{{callbackUri}}', requestedModalities: ['audio'],
				mediaConfig: { '@odata.type': '#microsoft.graph.serviceHostedMediaConfig' },
				targets: [{ '@odata.type': '#microsoft.graph.invitationParticipantInfo', identity: { user: { id: ADELE } } }],
			})].join('\n'));
			const [lens] = await sendLenses(editor.document);
			assert.ok(lens, 'a Send CodeLens above the request');
			const outcome = await runLens(lens);
			assert.equal(outcome?.response.status, 201);
			created.push(outcome.callId!);
		}
		const [first, last] = created;
		assert.notEqual(first, last);
		/** The URL a GET of {{callId}} is sent to. */
		const resolvedCallId = async () => {
			const editor = await openHttp('GET /communications/calls/{{callId}}\n');
			const [lens] = await sendLenses(editor.document);
			const outcome = assertSucceeded(await runLensCommand(lens));
			return outcome?.request.url;
		};
		assert.ok((await resolvedCallId())?.endsWith(`/communications/calls/${last}`), 'without a selection: the call the documents created last');
		await vscode.commands.executeCommand('workbench.view.extension.graphCalls');
		await api.calls.reveal(first);
		await waitFor('the selection', () => api.calls.selectedCallId === first);
		const sent: string[] = [];
		const sub = api.requests.onDidSend((e) => sent.push(e.url));
		try {
			assert.ok((await resolvedCallId())?.endsWith(`/communications/calls/${first}`), 'the selected call wins');
			assert.ok(sent.some((u) => u.endsWith(`/communications/calls/${first}`)), 'and that is what was sent');
		} finally {
			sub.dispose();
		}
	});

	it('resends the last request from the history', async () => {
		const historyItems = async () => {
			const input = await scriptInput({ kind: 'cancel' });
			await runCommand('graphCalls.request.history');
			return input.asked[0]?.items ?? [];
		};
		const before = await historyItems();
		const newest = /^\d+ (\S+) (\S+)/.exec(before[0] ?? '');
		assert.ok(newest, `the history has a newest entry: ${before[0]}`);
		await scriptInput();
		const sent: string[] = [];
		const sub = api.requests.onDidSend((e) => sent.push(`${e.method} ${e.url}`));
		let outcome: SendOutcome;
		try {
			outcome = assertSucceeded(await runCommand<SendOutcome>('graphCalls.request.resend'))!;
		} finally {
			sub.dispose();
		}
		assert.equal(outcome.request.method, newest[1]);
		assert.ok(outcome.request.url.endsWith(newest[2]), `${outcome.request.url} is the newest history entry (${newest[2]})`);
		assert.equal(sent.filter((x) => x === `${outcome.request.method} ${outcome.response.url}`).length, 1, 'sent once more');
		const after = await historyItems();
		assert.equal(after.length, before.length + 1, 'one more history entry');
		assert.ok(after[0].includes(newest[2]), 'the resent request is the newest entry now');
	});

	it('re-opens a request from the history in an editor', async () => {
		const input = await scriptInput({ kind: 'quickPick', pick: /POST \/communications\/calls$/ }, { kind: 'quickPick', pick: 'Open in Editor' });
		const editor = assertSucceeded(await runCommand<vscode.TextEditor>('graphCalls.request.history'));
		input.assertAllUsed();
		assert.ok(editor);
		assert.doesNotMatch(editor.document.getText(), /^authorization:/im, 'the history keeps no Authorization header');
		assert.match(editor.document.getText(), /^POST https:\/\/127\.0\.0\.1:\d+\/v1\.0\/communications\/calls$|^POST \/communications\/calls$/m);
		assert.match(editor.document.getText(), /"requestedModalities"/);
	});

	it('copies a tree node action as PowerShell with the node ids', async () => {
		await scriptInput();
		const code = await vscode.commands.executeCommand<string>('graphCalls.request.copyAsCode', { callId: 'call-9', participantId: 'p-9' }, 'participant.mute', { language: 'powershell' });
		assert.match(code, /\$callId = "call-9"/);
		assert.match(code, /\$participantId = "p-9"/);
		assert.match(code, /Invoke-MgMuteCommunicationCallParticipant -CallId \$callId -ParticipantId \$participantId -BodyParameter \$params/);
	});

	it('contributes snippets for .http documents', async () => {
		const editor = await openHttp('');
		await vscode.commands.executeCommand('editor.action.insertSnippet', { langId: 'http', name: 'Graph Calls: Play a prompt' });
		const text = await waitFor('the snippet text', () => (editor.document.getText().includes('playPrompt') ? editor.document.getText() : undefined));
		assert.match(text, /^POST \/communications\/calls\/\{\{callId\}\}\/playPrompt$/m);
		assert.match(text, /"@odata.type": "#microsoft.graph.mediaPrompt"/);
	});

	it('reports unknown variables with their line before sending', async () => {
		await scriptInput();
		const sent: string[] = [];
		const sub = api.requests.onDidSend((e) => sent.push(e.url));
		const editor = await openHttp('GET /communications/calls/{{nope}}\n');
		const diags = await waitFor('a diagnostic for {{nope}}', () => {
			const d = vscode.languages.getDiagnostics(editor.document.uri).filter((x) => x.source === 'Graph Calls');
			return d.length ? d : undefined;
		});
		assert.match(diags[0].message, /\{\{nope\}\} is not defined/);
		assert.equal(diags[0].range.start.line, 0);
		const [lens] = await sendLenses(editor.document);
		try {
			assert.match(assertFailed(await runLensCommand(lens)), /line 1 cannot be sent yet: \{\{nope\}\} is not defined/);
		} finally {
			sub.dispose();
		}
		// The poller may GET known calls meanwhile; nothing with the unresolved variable ever left.
		assert.deepEqual(sent.filter((u) => /nope|%7B%7B|\{\{/i.test(u)), [], 'nothing was sent');
	});

	it('sends a request for another host only after a warning, and without the token', async () => {
		const input = await scriptInput({ kind: 'warning', choose: 'Send Without Token' });
		const port = (foreign.address() as AddressInfo).port;
		const editor = await openHttp(`GET http://127.0.0.1:${port}/steal\n`);
		const [lens] = await sendLenses(editor.document);
		const run = await runLensCommand(lens);
		const outcome = assertSucceeded(run);
		assert.equal(outcome?.sentWithoutToken, true);
		assert.match(input.asked[0].name, /not to the Graph host of profile "Emulator"/);
		input.assertAllUsed();
		assert.equal(foreignRequests.length, 1);
		assert.equal(foreignRequests[0].authorization, undefined, 'no token reached the other host');
	});

	it('does not send to another host when the warning is dismissed', async () => {
		await scriptInput({ kind: 'cancel' });
		const port = (foreign.address() as AddressInfo).port;
		const count = foreignRequests.length;
		const editor = await openHttp(`POST http://127.0.0.1:${port}/steal\n\n{"a": 1}\n`);
		const [lens] = await sendLenses(editor.document);
		const run = await runLensCommand(lens);
		assert.equal(run.result, undefined);
		assert.notEqual(run.outcome.outcome, 'failed', `dismissing is not an error (${describeRun(run)})`);
		assert.equal(foreignRequests.length, count);
	});

	it('copies a document request as code without the token', async () => {
		await scriptInput();
		const editor = await openHttp('POST /communications/calls/abc/playPrompt\nAuthorization: Bearer should-not-appear\n\n{"clientContext": "c", "prompts": []}\n');
		const code = await vscode.commands.executeCommand<string>('graphCalls.request.copyAsCode', editor.document.uri, 0, { language: 'csharp' });
		assert.match(code, /graphClient\.Communications\.Calls\["abc"\]\.PlayPrompt\.PostAsync\(requestBody\)/);
		assert.doesNotMatch(code, /should-not-appear/);
		assert.equal(await vscode.env.clipboard.readText(), code);
	});

	it('opens a tree node as a request pre-filled with its ids', async () => {
		await scriptInput({ kind: 'quickPick', pick: /Mute a participant/ });
		const editor = await vscode.commands.executeCommand<vscode.TextEditor>('graphCalls.request.openAsRequest', { callId: 'call-123', participantId: 'p-456' });
		assert.ok(editor);
		const text = editor.document.getText();
		assert.equal(editor.document.languageId, 'http');
		assert.match(text, /^POST \/communications\/calls\/call-123\/participants\/p-456\/mute$/m);
	});
});
