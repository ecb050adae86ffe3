// "Get Participant" inside a real extension host, against the emulator child process ("Use Local Emulator"):
// from a participant node in the Calls view and from the palette with scripted picks, the fetched participant
// lands in the CallStore and the tree; a participant who left (removed through the emulator's control API) is
// dropped from the view with a message saying so; a participant of an ended call marks the call ended.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { TenantProfile } from '../../src/core/auth/tenantProfile';
import type { CallResource, ParticipantResource } from '../../src/core/schema/types';
import type { GraphCallsApi } from '../../src/extension';
import type { CallsTreeNode } from '../../src/vscode/calls/callsTreeModel';
import { CALLS_JSON_SCHEME } from '../../src/vscode/calls/callsJsonDocuments';
import { getApi, restoreUserInput, scriptInput, useEmulatorProfile } from './support/api';
import { waitFor } from './support/waitFor';

const LIDIA = 'Lidia Holloway';
/** How the tree labels the emulator's anonymous guest. */
const GUEST = 'Guest Tester (guest)';

function nameOf(p: ParticipantResource): string | undefined {
	return p.info?.identity?.user?.displayName ?? p.info?.identity?.application?.displayName ?? undefined;
}

describe('Get Participant (extension host, emulator profile)', function () {
	this.timeout(60_000);
	let api: GraphCallsApi;
	let profile: TenantProfile;
	let callId: string;
	let lidiaId: string;

	const model = () => api.calls.model;
	const roster = () => [...(api.callStore.get(callId)?.participants.values() ?? [])];
	/** The participant nodes under the call in the Calls view, with what the tree shows for each. */
	const participantNodes = (): { node: CallsTreeNode; label: string; contextValue: string }[] => {
		const call = model().callNode(callId);
		assert.ok(call, `call ${callId} has a node in the tree`);
		const group = model().getChildren(call).find((g) => g.kind === 'participants');
		if (!group) return [];
		return model().getChildren(group).map((node) => ({ node, ...model().view(node) }));
	};
	const nodeOf = (label: string) => {
		const hit = participantNodes().find((n) => n.label === label);
		assert.ok(hit, `${label} has a node in the tree: ${participantNodes().map((n) => n.label).join(', ')}`);
		return hit;
	};
	const control = (method: 'POST' | 'DELETE', path: string, body?: unknown) =>
		api.graphClients.active().request<ParticipantResource>({ method, url: `${profile.emulator!.controlUrl}${path}`, body });

	before(async () => {
		api = await getApi();
		profile = await useEmulatorProfile(api);
	});
	beforeEach(() => {
		api.commandContext.lastError = undefined;
	});
	afterEach(async () => {
		await restoreUserInput();
		// Errors these tests provoke on purpose must not look like failures to the next suite.
		api.commandContext.lastError = undefined;
	});
	after(async () => {
		await vscode.commands.executeCommand('workbench.action.closeAllEditors');
		await api.emulator.stop();
	});

	it('creates a call to a directory person and waits for the participants', async () => {
		const input = await scriptInput({ kind: 'quickPick', pick: /Teams user/ }, { kind: 'quickPick', pick: LIDIA });
		const call = await vscode.commands.executeCommand<CallResource>('graphCalls.call.create');
		input.assertAllUsed();
		assert.ok(call?.id, `created (last error: ${api.commandContext.lastError})`);
		callId = call.id;
		await waitFor('the call to be established', async () => {
			await vscode.commands.executeCommand('graphCalls.call.get', { callId });
			return api.callStore.get(callId)?.call.state === 'established';
		}, 15_000, 100);
		// The roster arrives by notification through the callback receiver.
		const lidia = await waitFor('Lidia in the roster', () => roster().find((p) => nameOf(p) === LIDIA), 10_000, 50);
		lidiaId = lidia.id;
		assert.ok(roster().length >= 2, 'the bot and Lidia');
		assert.match(nodeOf(LIDIA).contextValue, /^participant:unmuted:callActive$/);
	});

	it('from a participant node: fetches that participant and the tree shows the fresh state', async () => {
		// Make the view stale: the store says Lidia is muted and in the lobby, the emulator says she is not.
		const stale = { ...roster().find((p) => p.id === lidiaId)!, isMuted: true, isInLobby: true };
		api.callStore.applyParticipant(callId, stale);
		const { node } = nodeOf(LIDIA);
		assert.match(model().view(node).contextValue, /^participant:muted:inLobby:callActive$/);
		const versionBefore = api.callStore.get(callId)!.rosterVersion;

		const fetched = await vscode.commands.executeCommand<ParticipantResource>('graphCalls.participant.get', node);
		assert.equal(api.commandContext.lastError, undefined);
		assert.equal(fetched?.id, lidiaId);
		assert.equal(fetched.isMuted, false);
		assert.match(api.callCommands.lastResult ?? '', new RegExp(`^Participant ${LIDIA} in call ${callId}: unmuted \\(participant ${lidiaId}, \\d+ ms\\)\\.$`));

		const stored = api.callStore.get(callId)!.participants;
		const inStore = [...stored.values()].find((p) => p.id === lidiaId)!;
		assert.equal(inStore.isMuted, false, 'the store took the fetched participant');
		assert.equal(inStore.isInLobby, false);
		assert.ok(api.callStore.get(callId)!.rosterVersion > versionBefore, 'the roster version moved, so views redraw');
		assert.match(model().view(node).contextValue, /^participant:unmuted:callActive$/, 'the tree node shows the fresh state');
		assert.ok(roster().length >= 2, 'the rest of the roster is kept');

		// "Open as JSON" on the same node shows what was fetched.
		await vscode.commands.executeCommand('graphCalls.calls.openJson', node);
		const editor = await waitFor('the participant JSON', () => vscode.window.visibleTextEditors.find((e) => e.document.uri.scheme === CALLS_JSON_SCHEME && e.document.uri.path.includes('/participants/')));
		const json = JSON.parse(editor.document.getText()) as ParticipantResource;
		assert.equal(json.id, lidiaId);
		assert.equal(json.isMuted, false);
		assert.equal(json.isInLobby, false);
	});

	it('from the palette: asks for the call, then the participant', async () => {
		const input = await scriptInput(
			{ kind: 'quickPick', pick: (i) => i.detail === callId },
			{ kind: 'quickPick', pick: (i) => i.detail === lidiaId },
		);
		const fetched = await vscode.commands.executeCommand<ParticipantResource>('graphCalls.participant.get');
		input.assertAllUsed();
		assert.equal(api.commandContext.lastError, undefined);
		assert.deepEqual(input.asked.map((a) => a.name), ['call', 'participant']);
		assert.ok(input.asked[1].items?.includes(LIDIA), `Lidia is offered: ${input.asked[1].items?.join(', ')}`);
		assert.equal(fetched?.id, lidiaId);
		assert.equal(nameOf(fetched), LIDIA);
		assert.match(api.callCommands.lastResult ?? '', new RegExp(`^Participant ${LIDIA} in call ${callId}: unmuted`));
		assert.equal([...api.callStore.get(callId)!.participants.values()].find((p) => p.id === lidiaId)?.isMuted, false);
	});

	it('a participant who left is removed from the view, with a message saying so; the call stays', async () => {
		const guest = (await control('POST', `/calls/${encodeURIComponent(callId)}/participants`, { displayName: 'Guest Tester' })).body;
		assert.ok(guest?.id, 'the emulator added a guest');
		await waitFor('the guest in the roster', () => roster().some((p) => p.id === guest.id));
		const { node } = nodeOf(GUEST);

		const left = await control('DELETE', `/calls/${encodeURIComponent(callId)}/participants/${encodeURIComponent(guest.id)}`);
		assert.equal(left.status, 204);
		await waitFor('the roster notification without the guest', () => !roster().some((p) => p.id === guest.id));
		// A view that missed that notification still shows the guest: put the stale entry back.
		api.callStore.applyParticipant(callId, guest);
		nodeOf(GUEST);

		const result = await vscode.commands.executeCommand('graphCalls.participant.get', node);
		assert.equal(result, undefined);
		assert.match(api.commandContext.lastError ?? '', new RegExp(`^Participant Guest Tester \\(guest\\) \\(${guest.id}\\) is no longer in call ${callId}; the Calls view was updated\\. .*List the participants`));
		assert.ok(!roster().some((p) => p.id === guest.id), 'the guest is gone from the store');
		assert.ok(!participantNodes().some((n) => n.label === GUEST), 'and from the tree');
		assert.equal(api.callStore.get(callId)?.ended, false, 'the call is not marked ended');
		assert.ok(roster().some((p) => p.id === lidiaId), 'Lidia is still there');
	});

	it('a participant of a call that ended: the call is marked ended, not the participant blamed', async () => {
		const { node } = nodeOf(LIDIA);
		await vscode.commands.executeCommand('graphCalls.call.hangUp', { callId });
		await waitFor('a 404 after the hang-up', async () => {
			api.commandContext.lastError = undefined;
			await vscode.commands.executeCommand('graphCalls.participant.get', node);
			return api.commandContext.lastError;
		}, 10_000, 100);
		assert.match(api.commandContext.lastError ?? '', /404 .*call has probably ended.*request-id/);
		assert.doesNotMatch(api.commandContext.lastError ?? '', /is no longer in call/);
		assert.equal(api.callStore.get(callId)?.ended, true, 'the store marks the call ended');
	});
});
