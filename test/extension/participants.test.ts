// "Get Participant" inside a real extension host, against the emulator child process ("Use Local Emulator"):
// from a participant's node (the { callId, participantId } the Calls view passes) and from the palette with scripted
// picks, the fetched participant lands in the call's entry (what the Calls view draws); a participant who left
// (removed through the emulator's control API while its notifications were dropped) is dropped from the view with a
// message saying so; a participant of an ended call marks the call ended. How the tree draws a participant
// (labels, contextValues) is checked on the tree model in test/unit/treeModel.test.ts.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { CallResource, ParticipantResource } from '../../src/core/schema/types';
import type { GraphCallsApi } from '../../src/api';
import { CALLS_JSON_SCHEME } from '../../src/vscode/calls/callsJsonDocuments';
import { assertFailed, assertSucceeded, getApi, restoreUserInput, runCommand, scriptInput, stopEmulator, useEmulatorProfile } from './support/api';
import { clearFaults, closeControlAgents, controlOk, setNotificationFaults } from './support/emulatorControl';
import { waitFor } from './support/waitFor';

const LIDIA = 'Lidia Holloway';
/** How the workbench names the emulator's anonymous guest. */
const GUEST = 'Guest Tester (guest)';

function nameOf(p: ParticipantResource): string | undefined {
	return p.info?.identity?.user?.displayName ?? p.info?.identity?.application?.displayName ?? undefined;
}

describe('Get Participant (extension host, emulator profile)', function () {
	this.timeout(60_000);
	let api: GraphCallsApi;
	let callId: string;
	let lidiaId: string;

	const roster = () => [...(api.calls.get(callId)?.participants.values() ?? [])];
	const inRoster = (id: string) => roster().find((p) => p.id === id);

	before(async () => {
		api = await getApi();
		await useEmulatorProfile(api);
	});
	afterEach(async () => {
		await restoreUserInput();
		if (api.emulator.running) await clearFaults(api);
	});
	after(async () => {
		await vscode.commands.executeCommand('workbench.action.closeAllEditors');
		await stopEmulator(api);
		await closeControlAgents();
	});

	it('creates a call to a directory person and waits for the participants', async () => {
		const input = await scriptInput({ kind: 'quickPick', pick: /Teams user/ }, { kind: 'quickPick', pick: LIDIA });
		const call = assertSucceeded(await runCommand<CallResource>('graphCalls.call.create'), 'created');
		input.assertAllUsed();
		assert.ok(call?.id);
		callId = call.id;
		await waitFor('the call to be established', async () => {
			await vscode.commands.executeCommand('graphCalls.call.get', { callId });
			return api.calls.get(callId)?.call.state === 'established';
		}, 15_000, 100);
		// The roster arrives by notification through the callback receiver.
		const lidia = await waitFor('Lidia in the roster', () => roster().find((p) => nameOf(p) === LIDIA), 10_000, 50);
		lidiaId = lidia.id;
		assert.ok(roster().length >= 2, 'the bot and Lidia');
		assert.equal(lidia.isMuted, false, 'Lidia is unmuted');
		assert.ok(!lidia.isInLobby, 'and not in the lobby');
	});

	it('from a participant node: fetches that participant and the view takes the fresh state', async () => {
		// Make the view stale: with the emulator's notifications dropped, Lidia is muted there but not in the view.
		await setNotificationFaults(api, { dropRate: 1 });
		assertSucceeded(await runCommand('graphCalls.participant.mute', { callId, participantId: lidiaId }), 'muted Lidia');
		assert.equal(inRoster(lidiaId)?.isMuted, false, 'the view missed the roster notification');
		const versionBefore = api.calls.get(callId)!.rosterVersion;

		const node = { callId, participantId: lidiaId };
		const run = await runCommand<ParticipantResource>('graphCalls.participant.get', node);
		const fetched = assertSucceeded(run);
		assert.equal(fetched?.id, lidiaId);
		assert.equal(fetched.isMuted, true);
		assert.match(run.message, new RegExp(`^Participant ${LIDIA} in call ${callId}: muted \\(participant ${lidiaId}, \\d+ ms\\)\\.$`));

		const inStore = inRoster(lidiaId)!;
		assert.equal(inStore.isMuted, true, 'the store took the fetched participant');
		assert.ok(!inStore.isInLobby);
		assert.ok(api.calls.get(callId)!.rosterVersion > versionBefore, 'the roster version moved, so views redraw');
		assert.ok(roster().length >= 2, 'the rest of the roster is kept');

		// "Open as JSON" on the same node shows what was fetched.
		assertSucceeded(await runCommand('graphCalls.calls.openJson', node));
		const editor = await waitFor('the participant JSON', () => vscode.window.visibleTextEditors.find((e) => e.document.uri.scheme === CALLS_JSON_SCHEME && e.document.uri.path.includes('/participants/')));
		const json = JSON.parse(editor.document.getText()) as ParticipantResource;
		assert.equal(json.id, lidiaId);
		assert.equal(json.isMuted, true);
		assert.ok(!json.isInLobby);
	});

	it('from the palette: asks for the call, then the participant', async () => {
		const input = await scriptInput(
			{ kind: 'quickPick', pick: (i) => i.detail === callId },
			{ kind: 'quickPick', pick: (i) => i.detail === lidiaId },
		);
		const run = await runCommand<ParticipantResource>('graphCalls.participant.get');
		input.assertAllUsed();
		const fetched = assertSucceeded(run);
		assert.deepEqual(input.asked.map((a) => a.name), ['call', 'participant']);
		assert.ok(input.asked[1].items?.includes(LIDIA), `Lidia is offered: ${input.asked[1].items?.join(', ')}`);
		assert.equal(fetched?.id, lidiaId);
		assert.equal(nameOf(fetched!), LIDIA);
		assert.match(run.message, new RegExp(`^Participant ${LIDIA} in call ${callId}: muted`));
		assert.equal(inRoster(lidiaId)?.isMuted, true);
	});

	it('a participant who left is removed from the view, with a message saying so; the call stays', async () => {
		const guest = await controlOk<ParticipantResource>(api, 'POST', `/calls/${encodeURIComponent(callId)}/participants`, { displayName: 'Guest Tester' });
		assert.ok(guest?.id, 'the emulator added a guest');
		await waitFor('the guest in the roster', () => inRoster(guest.id));

		// The view misses the guest's leaving: the emulator drops that roster notification.
		await setNotificationFaults(api, { dropRate: 1 });
		await controlOk(api, 'DELETE', `/calls/${encodeURIComponent(callId)}/participants/${encodeURIComponent(guest.id)}`, undefined, [204]);
		assert.ok(inRoster(guest.id), 'the view still shows the guest');

		const run = await runCommand('graphCalls.participant.get', { callId, participantId: guest.id });
		assert.equal(run.result, undefined);
		assert.match(assertFailed(run), new RegExp(`^Participant ${GUEST.replace(/[()]/g, '\\$&')} \\(${guest.id}\\) is no longer in call ${callId}; the Calls view was updated\\. .*List the participants`));
		assert.ok(!inRoster(guest.id), 'the guest is gone from the store, and so from the tree');
		assert.equal(api.calls.get(callId)?.ended, false, 'the call is not marked ended');
		assert.ok(inRoster(lidiaId), 'Lidia is still there');
	});

	it('a participant of a call that ended: the call is marked ended, not the participant blamed', async () => {
		const node = { callId, participantId: lidiaId };
		await vscode.commands.executeCommand('graphCalls.call.hangUp', { callId });
		const message = await waitFor('a 404 after the hang-up', async () => {
			const run = await runCommand('graphCalls.participant.get', node);
			return run.failed ? run.message : undefined;
		}, 10_000, 100);
		assert.match(message, /404 .*call has probably ended.*request-id/);
		assert.doesNotMatch(message, /is no longer in call/);
		assert.equal(api.calls.get(callId)?.ended, true, 'the store marks the call ended');
	});
});
