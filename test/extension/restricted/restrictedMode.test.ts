// Restricted Mode in a real extension host: the launcher's second run opens a folder that is NOT trusted, with
// workspace trust on (test/extension/launchCodeServer.js, RUNS). The runner only runs this folder there.
// Sending from a request document asks first (modal), declining sends nothing, and a restricted setting from the
// folder's .vscode/settings.json (see ./workspace) is ignored in favour of the user value.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { SendOutcome } from '../../../src/vscode/requests/requestSender';
import type { GraphCallsApi } from '../../../src/api';
import { EXTENSION_ID, describeRun, getApi, getExtension, restoreUserInput, runCommand, stopEmulator, useEmulatorProfile, type CommandRun } from '../support/api';
import { closeControlAgents, controlOk } from '../support/emulatorControl';
import { ScriptedUserInput, type ScriptedAnswer } from '../support/scriptedInput';

const ADELE = '0d5e1a6b-0001-4a00-8000-000000000001';
// Lidia Holloway in the emulator's directory: a user value that differs from the fallback (Adele).
const USER_LEVEL_USER_ID = '0d5e1a6b-0007-4a00-8000-000000000007';

/** A ScriptedUserInput that also keeps the options of each warning, to see that the trust question is modal. */
class RecordingInput extends ScriptedUserInput {
	readonly warnings: { message: string; options: vscode.MessageOptions; items: string[] }[] = [];
	override async showWarningMessage(message: string, options: vscode.MessageOptions, ...items: string[]): Promise<string> {
		this.warnings.push({ message, options, items });
		return super.showWarningMessage(message, options, ...items);
	}
}

async function recordInput(api: GraphCallsApi, ...answers: ScriptedAnswer[]): Promise<RecordingInput> {
	const input = new RecordingInput(answers);
	api.automation.setUserInput(input);
	return input;
}

function createCallDocument(): string {
	return ['POST /communications/calls', 'Content-Type: application/json', '', JSON.stringify({
		'@odata.type': '#microsoft.graph.call', callbackUri: '{{callbackUri}}', requestedModalities: ['audio'],
		mediaConfig: { '@odata.type': '#microsoft.graph.serviceHostedMediaConfig' },
		targets: [{ '@odata.type': '#microsoft.graph.invitationParticipantInfo', identity: { user: { id: '{{userId}}' } } }],
	})].join('\n');
}

async function sendLens(content: string): Promise<vscode.CodeLens> {
	const doc = await vscode.workspace.openTextDocument({ language: 'http', content });
	await vscode.window.showTextDocument(doc, vscode.ViewColumn.One);
	const lenses = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri, 100)) ?? [];
	const lens = lenses.find((l) => l.command?.command === 'graphCalls.request.send');
	assert.ok(lens, 'a "Send with" CodeLens above the request');
	return lens;
}

async function runLens(lens: vscode.CodeLens): Promise<CommandRun<SendOutcome>> {
	return runCommand<SendOutcome>(lens.command!.command, ...(lens.command!.arguments ?? []));
}

/** A {{callId}}-free GET whose sent URL shows how a request document's variables resolve. */
function userDocument(): string {
	return 'GET /users/{{userId}}';
}

describe('Restricted Mode (workspace not trusted)', function () {
	this.timeout(120000);
	let api: GraphCallsApi;

	/**
	 * How many create-call requests the emulator has served: a zero-latency fault rule on call.create counts every
	 * one it sees (GET /_emulator/faults), whatever the extension did or did not record.
	 */
	const createsServed = async () => (await controlOk<{ counters: { latencyInjected: number } }>(api, 'GET', '/faults')).counters.latencyInjected;
	/** The last request to /users/ the session sent (the poller's GETs of earlier calls are not it). */
	const lastSentUrl = () => api.requests.list().filter((r) => /\/users\//.test(r.url)).at(-1)?.url ?? '(nothing sent)';
	const callsInEmulator = async () => (await controlOk<{ calls: unknown[] }>(api, 'GET', '/state')).calls.length;

	before(async () => {
		api = await getApi();
		await useEmulatorProfile(api);
		// A 1 ms latency rule on call.create: the emulator counts each create it serves in latencyInjected.
		await controlOk(api, 'PUT', '/faults', { rules: [{ route: 'call.create', latencyMs: 1 }], notifications: {}, tokenEndpointDown: false });
		await controlOk(api, 'POST', '/faults/counters/reset');
	});

	after(async () => {
		await restoreUserInput();
		await vscode.workspace.getConfiguration('graphCalls.requests').update('variables', undefined, vscode.ConfigurationTarget.Global);
		await vscode.commands.executeCommand('workbench.action.closeAllEditors');
		if (api.emulator.running) await controlOk(api, 'DELETE', '/faults');
		await stopEmulator(api);
		await closeControlAgents();
	});

	afterEach(() => restoreUserInput());

	it('runs untrusted, with the extension active and its commands registered', async () => {
		assert.equal(vscode.workspace.isTrusted, false, 'the launcher opened the folder in Restricted Mode');
		assert.ok(vscode.workspace.workspaceFolders?.length, 'a folder is open');
		assert.equal(getExtension().isActive, true, `${EXTENSION_ID} is active in Restricted Mode ("limited" support)`);
		const commands = await vscode.commands.getCommands(true);
		for (const id of ['graphCalls.request.send', 'graphCalls.request.resend', 'graphCalls.log.show']) {
			assert.ok(commands.includes(id), `${id} is registered`);
		}
	});

	it('hovering over a stranger\'s request document signs nobody in (runs first: nothing has fetched a token yet)', async () => {
		const doc = await vscode.workspace.openTextDocument({ language: 'http', content: 'POST /v1.0/communications/calls/abc/recordResponse\nContent-Type: application/json\n\n{}\n' });
		await vscode.window.showTextDocument(doc);
		const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, new vscode.Position(0, 3));
		const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
		assert.match(text, /Needs the application permission `Calls\.AccessMedia\.All`/, 'the hover still explains the request');
		// In a trusted folder this hover fetches a token to mark the permission granted or missing.
		assert.match(text, /roles are not known yet/, 'no token was fetched to learn the roles');
		assert.doesNotMatch(text, /Granted|Missing/);
	});

	it('asks (modal) before sending a request document, and sends nothing when declined', async () => {
		const input = await recordInput(api, { kind: 'cancel' });
		const servedBefore = await createsServed();
		const logBefore = api.requests.list().length;
		const lens = await sendLens(createCallDocument());
		const run = await runLens(lens);
		assert.equal(run.result, undefined, 'declining cancels the command');
		assert.equal(run.outcome.outcome, 'cancelled', `declining is not an error (${describeRun(run)})`);
		assert.equal(input.warnings.length, 1, `one question: ${input.warnings.map((w) => w.message).join(' | ')}`);
		const [warning] = input.warnings;
		assert.equal(warning.message, 'This workspace is not trusted. Send this request with profile "Emulator"?');
		// What is about to be sent, so the user can read it: the method, the full URL and the start of the body.
		assert.match(warning.options.detail ?? '', /^POST https:\/\/127\.0\.0\.1:\d+\/v1\.0\/communications\/calls\n\nBody:\n\{"@odata\.type":"#microsoft\.graph\.call","callbackUri":"http/);
		assert.equal(warning.options.modal, true, 'the trust question is modal');
		assert.deepEqual(warning.items, ['Send']);
		// The emulator never saw the request, and the extension neither logged nor recorded one.
		assert.equal(await createsServed(), servedBefore);
		assert.equal(api.requests.list().length, logBefore, 'no Graph request in the request log');
		const history = await recordInput(api, { kind: 'cancel' });
		await runCommand('graphCalls.request.history');
		assert.ok(!(history.asked[0]?.items ?? []).some((i) => /POST .*\/communications\/calls$/.test(i)), `nothing added to the history: ${(history.asked[0]?.items ?? []).join(' | ')}`);
	});

	it('shows the whole URL, query included, before a request from an untrusted document goes out', async () => {
		// A request that looks harmless by its path but carries its payload in the query string.
		const input = await recordInput(api, { kind: 'cancel' });
		const run = await runLens(await sendLens('GET /communications/calls/abc?$select=id&forward=https%3A%2F%2Fattacker.example%2Fx\n'));
		assert.equal(run.outcome.outcome, 'cancelled', describeRun(run));
		const [warning] = input.warnings;
		assert.match(warning?.options.detail ?? '', /^GET https:\/\/127\.0\.0\.1:\d+\/v1\.0\/communications\/calls\/abc\?\$select=id&forward=https%3A%2F%2Fattacker\.example%2Fx\n\nNo body\./);
	});

	it('sends the request when the user accepts', async () => {
		const input = await recordInput(api, { kind: 'warning', choose: 'Send' });
		const servedBefore = await createsServed();
		const callsBefore = await callsInEmulator();
		const lens = await sendLens(createCallDocument());
		const run = await runLens(lens);
		const outcome = run.result;
		assert.equal(run.outcome.outcome, 'succeeded', describeRun(run));
		input.assertAllUsed();
		assert.equal(input.warnings.length, 1);
		assert.equal(outcome?.response.status, 201);
		assert.ok(outcome.callId && api.calls.get(outcome.callId), 'the created call is in the Calls view');
		assert.equal(await createsServed(), servedBefore + 1, 'the emulator received exactly this request');
		assert.equal(await callsInEmulator(), callsBefore + 1, 'and created the call (201)');
		assert.ok(api.requests.list().some((r) => r.method === 'POST' && /\/communications\/calls$/.test(new URL(r.url).pathname) && r.status === 201), 'in the request log');
	});

	it('ignores the folder\'s value of a restricted setting (graphCalls.requests.variables) and uses the user value', async () => {
		const folder = vscode.workspace.workspaceFolders![0].uri;
		const fileText = new TextDecoder().decode(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(folder, '.vscode', 'settings.json')));
		assert.match(fileText, /workspace-user-from-untrusted-folder/, 'the folder really holds a workspace value');
		// Control: a setting that is not restricted is read from the same file, so VS Code did load it.
		assert.equal(vscode.workspace.getConfiguration('graphCalls.keepAlive').get('intervalMinutes'), 21);

		// Without a user value: the default ({}), so {{userId}} falls back to the emulator's user.
		assert.equal(vscode.workspace.getConfiguration('graphCalls.requests').inspect('variables')?.workspaceValue, undefined);
		assert.deepEqual(vscode.workspace.getConfiguration('graphCalls.requests').get('variables'), {});
		await recordInput(api, { kind: 'warning', choose: 'Send' });
		// Whatever the emulator answers for the user, the URL that was sent shows how {{userId}} resolved.
		await runLens(await sendLens(userDocument()));
		const fallback = lastSentUrl();
		assert.ok(fallback.endsWith(`/users/${ADELE}`), `{{userId}} is the emulator's user: ${fallback}`);

		// A user value wins over nothing, where in a trusted folder the workspace value would win over it.
		await vscode.workspace.getConfiguration('graphCalls.requests').update('variables', { userId: USER_LEVEL_USER_ID, greeting: 'from-user' }, vscode.ConfigurationTarget.Global);
		assert.equal(vscode.workspace.getConfiguration('graphCalls.requests').get<Record<string, string>>('variables')?.greeting, 'from-user');
		await recordInput(api, { kind: 'warning', choose: 'Send' });
		await runLens(await sendLens('GET /users/{{userId}}?greeting={{greeting}}'));
		const greeted = lastSentUrl();
		assert.ok(greeted.includes(`/users/${USER_LEVEL_USER_ID}`), `the user value is used: ${greeted}`);
		assert.ok(greeted.includes('greeting=from-user'), 'and its other variables');

		// And what is sent uses it.
		await recordInput(api, { kind: 'warning', choose: 'Send' });
		const outcome = (await runLens(await sendLens(createCallDocument()))).result;
		assert.equal(outcome?.response.status, 201);
		assert.ok(outcome.request.body?.includes(`"id":"${USER_LEVEL_USER_ID}"`), `the sent body uses the user value: ${outcome.request.body}`);
		assert.doesNotMatch(outcome.request.body ?? '', /workspace-user-from-untrusted-folder/);
	});
});
