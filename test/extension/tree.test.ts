// The Calls view's content inside a real extension host, against the emulator: a created call is in the view's list
// (calls.list()/get(), what the tree draws) and moves through its states by polling, its participants appear,
// actions run from its node (the { callId } the view passes) update it, "Open as JSON" shows the latest resource,
// calls can be tracked by id, ended calls cleared. How rows look (labels, descriptions, icons, contextValues) is
// checked on the tree model in test/unit/treeModel.test.ts; the status bar's call count in test/e2e/workbench.test.ts;
// that tracked calls survive a reload in test/unit/callStore.test.ts.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { waitFor as pollUntil } from './support/waitFor';
import type { CallEntry } from '../../src/core/calls/callStore';
import type { GraphCallsApi } from '../../src/api';
import type { SendOutcome } from '../../src/vscode/requests/requestSender';
import { CALLS_JSON_SCHEME } from '../../src/vscode/calls/callsJsonDocuments';
import { assertFailed, assertSucceeded, getApi, restoreUserInput, runCommand, scriptInput, stopEmulator, useEmulatorProfile } from './support/api';
import { closeControlAgents, incomingCall } from './support/emulatorControl';

const waitFor = <T>(what: string, probe: () => Promise<T | undefined | false> | T | undefined | false) => pollUntil(what, probe, 10_000, 100);

const ADELE = { id: '0d5e1a6b-0001-4a00-8000-000000000001', displayName: 'Adele Vance' };
const LIDIA = { id: '0d5e1a6b-0007-4a00-8000-000000000007', displayName: 'Lidia Holloway' };
/** Nothing listens there: the view has to learn the states by polling. */
const NOWHERE = 'https://127.0.0.1:9/api/calling';

describe('calls tree', function () {
	this.timeout(40_000);
	let api: GraphCallsApi;
	let callId: string;

	const entry = (id: string): CallEntry => {
		const e = api.calls.get(id);
		assert.ok(e, `call ${id} is in the Calls view`);
		return e;
	};
	const bot = (id: string) => [...entry(id).participants.values()].find((p) => p.id === entry(id).call.myParticipantId);
	/** Runs the view's refresh command on the call's node, as the context menu does. */
	const refresh = (id: string) => vscode.commands.executeCommand('graphCalls.calls.refresh', { callId: id });

	/** Creates a call from a request document whose callbackUri leads nowhere; returns its id. */
	async function newCall(user: { id: string; displayName: string }): Promise<string> {
		const body = {
			'@odata.type': '#microsoft.graph.call', callbackUri: NOWHERE, requestedModalities: ['audio'], tenantId: '{{tenantId}}',
			mediaConfig: { '@odata.type': '#microsoft.graph.serviceHostedMediaConfig' },
			targets: [{ '@odata.type': '#microsoft.graph.invitationParticipantInfo', identity: { user } }],
		};
		const doc = await vscode.workspace.openTextDocument({ language: 'http', content: ['POST /communications/calls', 'Content-Type: application/json', '', JSON.stringify(body)].join('\n') });
		await vscode.window.showTextDocument(doc);
		const lenses = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri, 100)) ?? [];
		const lens = lenses.find((l) => l.command?.command === 'graphCalls.request.send');
		assert.ok(lens, 'a Send CodeLens');
		const outcome = assertSucceeded(await runCommand<SendOutcome>(lens.command!.command, ...(lens.command!.arguments ?? [])));
		assert.equal(outcome?.response.status, 201);
		await vscode.commands.executeCommand('workbench.action.closeAllEditors');
		return outcome.callId!;
	}

	before(async () => {
		api = await getApi();
		await useEmulatorProfile(api);
		await vscode.commands.executeCommand('graphCalls.calls.focus');
	});

	after(async () => {
		await restoreUserInput();
		await vscode.commands.executeCommand('workbench.action.closeAllEditors');
		await stopEmulator(api);
		await closeControlAgents();
	});

	afterEach(() => restoreUserInput());

	it('shows a created call under the profile and follows it to established, with its participants', async () => {
		assert.equal(api.profiles.active?.id, 'emulator', 'the view follows the active profile');
		callId = await newCall(ADELE);
		const first = entry(callId);
		assert.equal(first.call.direction, 'outgoing');
		assert.ok(['establishing', 'ringing', 'established'].includes(String(first.call.state)));
		assert.equal(first.call.targets?.[0]?.identity?.user?.displayName, 'Adele Vance');

		await waitFor('the call to be established', async () => {
			assertSucceeded(await runCommand('graphCalls.calls.refresh', { callId }), 'refresh');
			return entry(callId).call.state === 'established';
		});
		const history = entry(callId).stateHistory.map((h) => h.state);
		assert.equal(history[0], 'establishing');
		assert.equal(history.at(-1), 'established');
		assert.ok(entry(callId).establishedAt, 'the duration starts');

		const people = [...entry(callId).participants.values()];
		assert.ok(people.some((p) => p.info?.identity?.user?.displayName === 'Adele Vance'), `Adele is a participant: ${people.map((p) => p.info?.identity?.user?.displayName ?? p.id).join(', ')}`);
		assert.ok(bot(callId), 'the bot\'s own leg is in the roster');
	});

	it('runs actions from the call node and updates the call: mute, toggle keepAlive', async () => {
		let changes = 0;
		const sub = api.calls.onDidChange(() => changes++);
		try {
			assertSucceeded(await runCommand('graphCalls.call.mute', { callId }));
			await waitFor('the bot to show as muted', async () => {
				await refresh(callId);
				return bot(callId)?.isMuted === true;
			});
			assert.ok(changes > 0, 'onDidChange fired, so the view redraws');
			const ops = [...entry(callId).operations.values()].map((o) => o.operation['@odata.type'] ?? '');
			assert.ok(ops.some((t) => /muteParticipantOperation$/.test(t)), `the mute operation shows under the call: ${ops.join(', ')}`);

			const off = await runCommand('graphCalls.calls.toggleKeepAlive', { callId });
			assert.match(off.message, new RegExp(`^Automatic keepAlive is off for call ${callId}`));
			const on = await runCommand('graphCalls.calls.toggleKeepAlive', { callId });
			assert.match(on.message, new RegExp(`^Automatic keepAlive is on for call ${callId}\\.`));
		} finally {
			sub.dispose();
		}
	});

	it('opens the latest call resource as read-only JSON', async () => {
		assertSucceeded(await runCommand('graphCalls.calls.openJson', { callId }));
		const editor = await waitFor('the JSON editor', () => vscode.window.visibleTextEditors.find((e) => e.document.uri.scheme === CALLS_JSON_SCHEME));
		assert.equal(editor.document.languageId, 'json');
		const json = JSON.parse(editor.document.getText());
		assert.equal(json.id, callId);
		assert.equal(json.state, 'established');
	});

	it('tracks an existing call by id', async () => {
		// A call the workbench never answered: Lidia calls the bot at a callback URL nobody listens to. With the
		// emulator the Calls view still sees it, through the emulator's live feed, as it sees the bot's calls.
		const other = await incomingCall(api, { userId: LIDIA.id }, NOWHERE);
		await waitFor('the emulator feed to bring the call', () => api.calls.get(other) !== undefined);
		const input = await scriptInput({ kind: 'inputBox', value: other.toUpperCase().replace(/-/g, '') });
		assertSucceeded(await runCommand('graphCalls.calls.track'));
		input.assertAllUsed();
		const tracked = api.calls.get(other);
		assert.ok(tracked, 'the tracked call is in the view');
		assert.ok(api.calls.list().some((e) => e.callId === tracked.callId));
	});

	it('says why tracking an unknown call id failed', async () => {
		await scriptInput({ kind: 'inputBox', value: 'no-such-call-id' });
		const run = await runCommand('graphCalls.calls.track');
		assert.match(assertFailed(run), /No call no-such-call-id exists for Emulator\. .*Check the id and the active profile/);
		assert.equal(api.calls.get('no-such-call-id'), undefined);
	});

	it('hangs up from the node; the call stays, ended, with its result; Clear Ended Calls removes it', async () => {
		assertSucceeded(await runCommand('graphCalls.call.hangUp', { callId }));
		await waitFor('the call to end', async () => {
			await refresh(callId);
			return api.calls.get(callId)?.ended;
		});
		assert.equal(String(entry(callId).call.state).toLowerCase(), 'terminated');
		assert.ok(entry(callId).call.resultInfo, 'its result is kept to explain it');
		assert.ok(api.calls.list().some((e) => e.callId === callId), 'the ended call stays in the view');
		assertSucceeded(await runCommand('graphCalls.calls.clearEnded'));
		assert.equal(api.calls.get(callId), undefined);
	});

	it('simulates an incoming call on the emulator', async () => {
		await scriptInput({ kind: 'quickPick', pick: /Johanna/ });
		assertSucceeded(await runCommand('graphCalls.calls.simulateIncoming'));
		const incoming = await waitFor('the incoming call', () => api.calls.list().find((e) => e.call.state === 'incoming' && e.call.source?.identity?.user?.displayName === 'Johanna Lorenz'));
		assert.equal(incoming.call.direction, 'incoming');
	});
});
