// The calls tree inside a real extension host, against the emulator: a created call appears in the tree model and
// moves through its states, its participants appear, actions run from its node update that node, "Open as JSON"
// shows the latest resource, calls can be tracked by id, and a reload (a new CallStore on the same state) keeps them.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { waitFor as pollUntil } from './support/waitFor';

const waitFor = <T>(what: string, probe: () => Promise<T | undefined | false> | T | undefined | false) => pollUntil(what, probe, 10_000, 100);
import { startEmulator, type EmulatorHandle } from '../../src/core/emulator';
import type { TenantProfile } from '../../src/core/auth/tenantProfile';
import { CallStore } from '../../src/core/calls/callStore';
import { createCall } from '../../src/core/graph/calls';
import type { GraphCallsApi } from '../../src/extension';
import type { CallNode, CallsTreeNode } from '../../src/vscode/calls/callsTreeModel';
import { CALLS_JSON_SCHEME } from '../../src/vscode/calls/callsJsonDocuments';
import { getApi, restoreUserInput, scriptInput } from './support/api';

const ADELE = { id: '0d5e1a6b-0001-4a00-8000-000000000001', displayName: 'Adele Vance' };
const LIDIA = { id: '0d5e1a6b-0007-4a00-8000-000000000007', displayName: 'Lidia Holloway' };


describe('calls tree', function () {
	this.timeout(40_000);
	let emu: EmulatorHandle;
	let api: GraphCallsApi;
	let profile: TenantProfile;
	let callId: string;

	const model = () => api.calls.model;
	const callNode = (id: string): CallNode => {
		const node = model().callNode(id);
		assert.ok(node, `call ${id} has a node in the tree`);
		return node;
	};
	const contextOf = (id: string) => model().view(callNode(id)).contextValue;
	/** Runs the view's refresh command on the call's node, as the context menu does. */
	const refresh = (id: string) => vscode.commands.executeCommand('graphCalls.calls.refresh', callNode(id));

	async function newCall(user: { id: string; displayName: string }): Promise<string> {
		const r = await createCall(api.graphClients.active(), {
			kind: 'user',
			userId: user.id,
			displayName: user.displayName,
			// Nothing listens there: the tree has to learn the states by polling.
			callbackUri: 'https://127.0.0.1:9/api/calling',
			tenantId: emu.tenantId,
		});
		assert.equal(r.status, 201);
		return r.body.id;
	}

	before(async () => {
		api = await getApi();
		emu = await startEmulator();
		profile = await api.profiles.add(
			{
				name: 'Tree Emulator', cloud: 'global', tenantId: emu.tenantId, clientId: emu.clientId, credentialKind: 'secret', apiVersion: 'v1.0',
				emulator: { authority: emu.authority, graphHost: emu.baseUrl, caCertPem: emu.caCertPem, controlUrl: emu.controlUrl },
			},
			{ kind: 'secret', clientSecret: emu.clientSecret },
			{ activate: true },
		);
		await vscode.commands.executeCommand('graphCalls.calls.focus');
	});

	after(async () => {
		await restoreUserInput();
		await vscode.commands.executeCommand('workbench.action.closeAllEditors');
		if (profile) await api.profiles.remove(profile.id);
		await emu?.stop();
	});

	beforeEach(() => {
		api.commandContext.lastError = undefined;
	});
	afterEach(() => restoreUserInput());

	it('shows a created call under the profile and follows it to established, with its participants', async () => {
		assert.equal(api.callStore.profile, profile.id, 'the store follows the active profile');
		callId = await newCall(ADELE);
		const r = await api.graphClients.active().request<{ id: string; state: string }>({ method: 'GET', path: `/communications/calls/${callId}` });
		api.callStore.applyCall({ id: callId, state: 'establishing', direction: 'outgoing', targets: [{ identity: { user: ADELE } }] });

		const roots = model().getChildren();
		assert.equal(roots.length, 1);
		assert.equal(model().view(roots[0]).label, 'Tree Emulator');
		const calls = model().getChildren(roots[0]);
		assert.ok(calls.includes(callNode(callId)));
		assert.equal(model().view(callNode(callId)).label, 'Adele Vance');
		assert.match(contextOf(callId), /^call:establishing:unmuted:outgoing:/);
		assert.ok(['establishing', 'ringing', 'established'].includes(r.body.state));

		await waitFor('the call to be established', async () => {
			await refresh(callId);
			return /^call:established:/.test(contextOf(callId));
		});
		const history = api.callStore.get(callId)!.stateHistory.map((h) => h.state);
		assert.equal(history[0], 'establishing');
		assert.equal(history.at(-1), 'established');
		assert.equal(api.commandContext.lastError, undefined);

		const view = model().view(callNode(callId));
		assert.match(view.description!, /^established · outgoing · \d+:\d\d/);
		assert.match(view.description!, /keepAlive in 15 min/);
		assert.equal(view.icon?.id, 'pass-filled');
		// One status bar item names the profile and counts its active calls.
		assert.equal(api.calls.statusBar.item.text, '$(beaker) Tree Emulator · $(call-outgoing) 1 call');

		const groups = model().getChildren(callNode(callId));
		const participants = groups.find((g) => g.kind === 'participants');
		assert.ok(participants, 'a Participants node under the call');
		const people = model().getChildren(participants).map((n) => model().view(n));
		assert.ok(people.some((p) => p.label === 'Adele Vance' && p.contextValue.startsWith('participant:')), `Adele is a participant: ${people.map((p) => p.label).join(', ')}`);
		assert.ok(people.some((p) => /:self:/.test(p.contextValue)), 'the bot\'s own leg is flagged self');
	});

	it('runs actions from the call node and redraws the node: mute, toggle keepAlive', async () => {
		const redrawn: (CallsTreeNode | undefined)[] = [];
		const sub = model().onDidChange((n) => redrawn.push(n));
		try {
			await vscode.commands.executeCommand('graphCalls.call.mute', callNode(callId));
			assert.equal(api.commandContext.lastError, undefined);
			await waitFor('the bot to show as muted', async () => {
				await refresh(callId);
				return /^call:established:muted:/.test(contextOf(callId));
			});
			assert.ok(redrawn.includes(callNode(callId)), 'the call node was redrawn');
			const ops = model().getChildren(callNode(callId)).find((g) => g.kind === 'operations');
			assert.ok(ops, 'the mute operation shows under the call');
			assert.ok(model().getChildren(ops).some((n) => model().view(n).label === 'muteParticipant'));

			await vscode.commands.executeCommand('graphCalls.calls.toggleKeepAlive', callNode(callId));
			assert.match(contextOf(callId), /:keepAliveOff$/);
			assert.match(model().view(callNode(callId)).description!, /keepAlive off/);
			await vscode.commands.executeCommand('graphCalls.calls.toggleKeepAlive', callNode(callId));
			assert.match(contextOf(callId), /:keepAliveOn$/);
		} finally {
			sub.dispose();
		}
	});

	it('opens the latest call resource as read-only JSON', async () => {
		await vscode.commands.executeCommand('graphCalls.calls.openJson', callNode(callId));
		const editor = await waitFor('the JSON editor', () => vscode.window.visibleTextEditors.find((e) => e.document.uri.scheme === CALLS_JSON_SCHEME));
		assert.equal(editor.document.languageId, 'json');
		const json = JSON.parse(editor.document.getText());
		assert.equal(json.id, callId);
		assert.equal(json.state, 'established');
	});

	it('tracks an existing call by id, and keeps tracked calls across a reload', async () => {
		const other = await newCall(LIDIA);
		assert.equal(api.callStore.get(other), undefined);
		const input = await scriptInput({ kind: 'inputBox', value: other.toUpperCase().replace(/-/g, '') });
		await vscode.commands.executeCommand('graphCalls.calls.track');
		input.assertAllUsed();
		assert.equal(api.commandContext.lastError, undefined);
		const entry = api.callStore.get(other);
		assert.ok(entry, 'the tracked call is in the store');
		assert.equal(entry.origin, 'tracked');
		assert.ok(model().callNode(other));

		await api.callStore.flush();
		const reloaded = new CallStore({ storage: api.calls.storage });
		try {
			reloaded.setProfile(profile.id);
			assert.ok(reloaded.get(other), 'the tracked call survives a reload');
			assert.ok(reloaded.get(callId), 'so does the created call');
			assert.equal(reloaded.get(callId)?.call.state, 'established');
		} finally {
			reloaded.dispose();
		}
	});

	it('says why tracking an unknown call id failed', async () => {
		await scriptInput({ kind: 'inputBox', value: 'no-such-call-id' });
		api.commandContext.lastError = undefined;
		await vscode.commands.executeCommand('graphCalls.calls.track');
		assert.match(api.commandContext.lastError ?? '', /No call no-such-call-id exists for Tree Emulator\. .*Check the id and the active profile/);
		assert.equal(api.callStore.get('no-such-call-id'), undefined);
	});

	it('hangs up from the node; the call stays, greyed, with its result explained', async () => {
		assert.equal(api.calls.statusBar.item.text, '$(beaker) Tree Emulator · $(call-outgoing) 2 calls', 'this call and the tracked one');
		await vscode.commands.executeCommand('graphCalls.call.hangUp', callNode(callId));
		assert.equal(api.commandContext.lastError, undefined);
		await waitFor('the call to end', async () => {
			await refresh(callId);
			return api.callStore.get(callId)?.ended;
		});
		const view = model().view(callNode(callId));
		assert.match(view.contextValue, /^call:terminated:.*:ended$/);
		assert.equal(view.icon?.color, 'disabledForeground');
		assert.ok(api.calls.keepAlive.status(callId) === undefined, 'keepAlive stopped');

		assert.equal(api.calls.statusBar.item.text, '$(beaker) Tree Emulator · $(call-outgoing) 1 call', 'only the tracked call is still counted');
		await vscode.commands.executeCommand('graphCalls.calls.clearEnded');
		assert.equal(api.callStore.get(callId), undefined);
		assert.equal(model().callNode(callId), undefined);
	});

	it('simulates an incoming call on the emulator', async () => {
		await scriptInput({ kind: 'quickPick', pick: /Johanna/ });
		await vscode.commands.executeCommand('graphCalls.calls.simulateIncoming');
		assert.equal(api.commandContext.lastError, undefined);
		const incoming = api.callStore.list().find((e) => e.call.state === 'incoming');
		assert.ok(incoming, 'the incoming call is in the tree');
		assert.match(contextOf(incoming.callId), /^call:incoming:unmuted:incoming:/);
		assert.equal(model().view(callNode(incoming.callId)).label, 'Johanna Lorenz');
	});
});
