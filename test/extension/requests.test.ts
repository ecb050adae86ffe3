// Request documents inside a real extension host: a .http document's requests are sent to the emulator through the
// "Send with <profile>" CodeLens; the response editor opens beside it and the CallStore (the tree's source) updates.
import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as vscode from 'vscode';
import { waitFor as waitUpTo } from './support/waitFor';

const waitFor = <T>(what: string, probe: () => T | undefined | false) => waitUpTo(what, probe, 5_000);
import { startEmulator, type EmulatorHandle } from '../../src/core/emulator';
import type { TenantProfile } from '../../src/core/auth/tenantProfile';
import { RESPONSE_SCHEME } from '../../src/vscode/requests/responseViewer';
import type { SendOutcome } from '../../src/vscode/requests/requestSender';
import type { GraphCallsApi } from '../../src/extension';
import { getApi, restoreUserInput, scriptInput } from './support/api';

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
	return vscode.commands.executeCommand<SendOutcome | undefined>(lens.command!.command, ...(lens.command!.arguments ?? []));
}


describe('request documents', function () {
	// Generous: a loaded CI machine takes tens of seconds to open editors and compute CodeLenses.
	this.timeout(120000);
	let emu: EmulatorHandle;
	let api: GraphCallsApi;
	let profile: TenantProfile;
	let foreign: http.Server;
	const foreignRequests: http.IncomingHttpHeaders[] = [];

	before(async () => {
		api = await getApi();
		emu = await startEmulator();
		profile = await api.profiles.add(
			{
				name: 'Requests Emulator', cloud: 'global', tenantId: emu.tenantId, clientId: emu.clientId, credentialKind: 'secret', apiVersion: 'v1.0',
				emulator: { authority: emu.authority, graphHost: emu.baseUrl, caCertPem: emu.caCertPem, controlUrl: emu.controlUrl },
			},
			{ kind: 'secret', clientSecret: emu.clientSecret },
			{ activate: true },
		);
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
		if (profile) await api.profiles.remove(profile.id);
		await new Promise<void>((r) => foreign.close(() => r()));
		await emu?.stop();
	});

	afterEach(() => restoreUserInput());

	it('sends each request through its CodeLens: response beside the document, call in the CallStore', async () => {
		await scriptInput();
		api.commandContext.lastError = undefined;
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
		assert.equal(lenses[0].command!.title, '$(play) Send with Requests Emulator');
		assert.equal(lenses[0].range.start.line, 4);

		const created = await runLens(lenses[0]);
		assert.equal(api.commandContext.lastError, undefined);
		assert.ok(created, 'the send command returns its outcome');
		assert.equal(created.response.status, 201);
		const callId = created.callId!;
		assert.ok(callId, 'the created call id');
		assert.ok(api.callStore.get(callId), 'the created call is in the CallStore (and so in the tree)');

		const responseEditor = await waitFor('the response editor', () => vscode.window.visibleTextEditors.find((e) => e.document.uri.scheme === RESPONSE_SCHEME));
		assert.notEqual(responseEditor.viewColumn, editor.viewColumn, 'the response opens beside the document');
		const text = responseEditor.document.getText();
		assert.match(text, /^# POST https:\/\/127\.0\.0\.1:\d+\/v1\.0\/communications\/calls/);
		assert.match(text, /201 Created · \d+ ms · profile Requests Emulator/);
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
		await waitFor('the operation in the CallStore', () => api.callStore.get(callId)?.operations.size);
		assert.ok([...api.callStore.get(callId)!.operations.values()].some((o) => o.operation.id === opId));
		assert.match(api.requests.viewer.last!.uri.path, /playPrompt/);

		const history = api.requests.history.list(profile.id);
		assert.deepEqual(history.slice(0, 3).map((h) => [h.request.method, h.status]), [['POST', 200], ['GET', 200], ['POST', 201]]);
		assert.ok(history.every((h) => !h.request.headers.some((x) => /authorization/i.test(x.name))));
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
		assert.equal(api.requests.sender.variableValues().callId, last, 'without a selection: the call the documents created last');
		await vscode.commands.executeCommand('workbench.view.extension.graphCalls');
		await api.calls.selectCall(first);
		await waitFor('the selection', () => api.calls.selectedNode()?.callId === first);
		assert.equal(api.requests.sender.variableValues().callId, first, 'the selected call wins');
	});

	it('resends the last request from the history', async () => {
		await scriptInput();
		api.commandContext.lastError = undefined;
		const before = api.requests.history.list(profile.id);
		const outcome = await vscode.commands.executeCommand<SendOutcome>('graphCalls.request.resend');
		assert.equal(api.commandContext.lastError, undefined);
		assert.equal(outcome.request.url, before[0].request.url);
		assert.equal(api.requests.history.list(profile.id).length, before.length + 1);
	});

	it('re-opens a request from the history in an editor', async () => {
		const input = await scriptInput({ kind: 'quickPick', pick: /POST \/communications\/calls$/ }, { kind: 'quickPick', pick: 'Open in Editor' });
		api.commandContext.lastError = undefined;
		const editor = await vscode.commands.executeCommand<vscode.TextEditor>('graphCalls.request.history');
		assert.equal(api.commandContext.lastError, undefined);
		input.assertAllUsed();
		assert.ok(editor);
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
		api.commandContext.lastError = undefined;
		const before = api.requests.history.list(profile.id).length;
		const editor = await openHttp('GET /communications/calls/{{nope}}\n');
		const diags = await waitFor('a diagnostic for {{nope}}', () => {
			const d = vscode.languages.getDiagnostics(editor.document.uri).filter((x) => x.source === 'Graph Calls');
			return d.length ? d : undefined;
		});
		assert.match(diags[0].message, /\{\{nope\}\} is not defined/);
		assert.equal(diags[0].range.start.line, 0);
		const [lens] = await sendLenses(editor.document);
		await runLens(lens);
		assert.match(api.commandContext.lastError ?? '', /line 1 cannot be sent yet: \{\{nope\}\} is not defined/);
		assert.equal(api.requests.history.list(profile.id).length, before, 'nothing was sent');
	});

	it('sends a request for another host only after a warning, and without the token', async () => {
		const input = await scriptInput({ kind: 'warning', choose: 'Send Without Token' });
		api.commandContext.lastError = undefined;
		const port = (foreign.address() as AddressInfo).port;
		const editor = await openHttp(`GET http://127.0.0.1:${port}/steal\n`);
		const [lens] = await sendLenses(editor.document);
		const outcome = await runLens(lens);
		assert.equal(api.commandContext.lastError, undefined);
		assert.equal(outcome?.sentWithoutToken, true);
		assert.match(input.asked[0].name, /not to the Graph host of profile "Requests Emulator"/);
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
		assert.equal(await runLens(lens), undefined);
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
