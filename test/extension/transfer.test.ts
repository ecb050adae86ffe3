// "Transfer Call" inside a real extension host, against the emulator child process ("Use Local Emulator"):
// a group call asks which participant is transferred (after the target), sends that participant's identity and
// participant id as the transferee, and the emulator takes it (transferring -> transferAccepted -> terminated
// 200/7015 in the CallStore); from a participant node that participant is the transferee without a prompt;
// a 1:1 call asks no transferee and sends none. What is sent is observed through the public requests.onDidSend.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { GraphRequestEvent } from '../../src/core/graph/requestEvent';
import type { CallResource, ParticipantResource } from '../../src/core/schema/types';
import type { GraphCallsApi } from '../../src/api';
import type { SendOutcome } from '../../src/vscode/requests/requestSender';
import { assertSucceeded, getApi, restoreUserInput, runCommand, scriptInput, stopEmulator, useEmulatorProfile } from './support/api';
import { waitFor } from './support/waitFor';

const ADELE = { id: '0d5e1a6b-0001-4a00-8000-000000000001', displayName: 'Adele Vance' };
const LIDIA = { id: '0d5e1a6b-0007-4a00-8000-000000000007', displayName: 'Lidia Holloway' };
const JOHANNA = 'Johanna Lorenz';

type TransferBody = { transferTarget: { identity: { user?: { displayName?: string } } }; transferee?: { '@odata.type': string; participantId: string; identity: { user?: { id: string; displayName?: string } } } };

describe('Transfer Call (extension host, emulator profile)', function () {
	this.timeout(60_000);
	let api: GraphCallsApi;
	let sent: GraphRequestEvent[] = [];
	let sub: { dispose(): void } | undefined;

	const roster = (callId: string) => [...(api.calls.get(callId)?.participants.values() ?? [])];
	const userLeg = (callId: string, userId: string) => roster(callId).find((p) => p.info?.identity?.user?.id === userId);
	/** The transfer bodies as sent (the request event holds the redacted JSON text; ids are not secrets and stay). */
	const transferBodies = () => sent.filter((e) => e.action === 'call.transfer').map((e) => (typeof e.requestBody === 'string' ? JSON.parse(e.requestBody) : e.requestBody) as TransferBody);

	/**
	 * A group call with Adele and Lidia (both answer), created from a request document (as a developer would, and
	 * fed to the Calls view by its response), established with both in the roster.
	 */
	async function groupCall(): Promise<string> {
		const body = {
			'@odata.type': '#microsoft.graph.call', callbackUri: '{{callbackUri}}', requestedModalities: ['audio'], tenantId: '{{tenantId}}',
			mediaConfig: { '@odata.type': '#microsoft.graph.serviceHostedMediaConfig' },
			targets: [ADELE, LIDIA].map((u) => ({ '@odata.type': '#microsoft.graph.invitationParticipantInfo', identity: { user: u } })),
		};
		const doc = await vscode.workspace.openTextDocument({ language: 'http', content: ['POST /communications/calls', 'Content-Type: application/json', '', JSON.stringify(body)].join('\n') });
		await vscode.window.showTextDocument(doc);
		const lenses = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri, 100)) ?? [];
		const lens = lenses.find((l) => l.command?.command === 'graphCalls.request.send');
		assert.ok(lens, 'a Send CodeLens');
		const outcome = assertSucceeded(await runCommand<SendOutcome>(lens.command!.command, ...(lens.command!.arguments ?? []))) ;
		assert.equal(outcome?.response.status, 201, 'the group call was created');
		const callId = outcome.callId!;
		assert.ok(callId && api.calls.get(callId), 'the response fed the Calls view');
		await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
		await waitFor('the group call established with Adele and Lidia in the roster', () => api.calls.get(callId)?.call.state === 'established' && userLeg(callId, ADELE.id) && userLeg(callId, LIDIA.id), 15_000);
		return callId;
	}

	/** The states the CallStore saw, lower-cased; the call ended by a completed transfer. */
	async function assertTransferred(callId: string): Promise<void> {
		const entry = await waitFor('the call to end', () => (api.calls.get(callId)?.ended ? api.calls.get(callId) : undefined), 15_000);
		const states = entry.stateHistory.map((s) => s.state.toLowerCase());
		for (const s of ['transferring', 'transferaccepted', 'terminated']) assert.ok(states.includes(s), `${s} in ${states.join(' -> ')}`);
		assert.ok(states.indexOf('transferring') < states.indexOf('transferaccepted') && states.indexOf('transferaccepted') < states.indexOf('terminated'), states.join(' -> '));
		assert.deepEqual([entry.call.resultInfo?.code, entry.call.resultInfo?.subcode], [200, 7015], 'transfer completed');
	}

	before(async () => {
		api = await getApi();
		await useEmulatorProfile(api);
		sub = api.requests.onDidSend((e) => sent.push(e));
	});
	beforeEach(() => {
		sent = [];
	});
	afterEach(async () => {
		await restoreUserInput();
	});
	after(async () => {
		sub?.dispose();
		await vscode.commands.executeCommand('workbench.action.closeAllEditors');
		await stopEmulator(api);
	});

	it('group call from the palette: blind, target, then "Which participant is transferred?" without the bot; the emulator completes it', async () => {
		const callId = await groupCall();
		const adele = userLeg(callId, ADELE.id)!;
		const input = await scriptInput(
			{ kind: 'quickPick', pick: (i) => i.detail === callId },
			{ kind: 'quickPick', pick: /Blind/ },
			{ kind: 'quickPick', pick: JOHANNA },
			{ kind: 'quickPick', pick: ADELE.displayName },
		);
		sent = [];
		const run = await runCommand('graphCalls.call.transfer');
		input.assertAllUsed();
		assertSucceeded(run);
		assert.deepEqual(input.asked.map((a) => a.name), ['call', 'mode', 'target', 'transferee']);
		assert.deepEqual(input.asked[3].items?.slice().sort(), [ADELE.displayName, LIDIA.displayName].sort(), 'the bot is not offered');
		assert.match(run.message, new RegExp(`^Transfer of participant ${adele.id} of call ${callId} to ${JOHANNA} requested \\(blind, 202\\)`));

		const [body] = transferBodies();
		assert.ok(body?.transferee, 'the request carried a transferee');
		assert.equal(body.transferee['@odata.type'], '#microsoft.graph.participantInfo');
		assert.equal(body.transferee.participantId, adele.id);
		assert.equal(body.transferee.identity.user?.id, ADELE.id, 'the identity is Adele\'s user identity, not her participant id');
		assert.equal(body.transferTarget.identity.user?.displayName, JOHANNA);
		await assertTransferred(callId);
	});

	it('group call from a participant node: that participant is the transferee, no transferee prompt', async () => {
		const callId = await groupCall();
		const lidia: ParticipantResource = userLeg(callId, LIDIA.id)!;
		const input = await scriptInput({ kind: 'quickPick', pick: /Blind/ }, { kind: 'quickPick', pick: JOHANNA });
		sent = [];
		const run = await runCommand('graphCalls.call.transfer', { callId, participantId: lidia.id });
		input.assertAllUsed();
		assertSucceeded(run);
		assert.deepEqual(input.asked.map((a) => a.name), ['mode', 'target']);
		const [body] = transferBodies();
		assert.equal(body?.transferee?.participantId, lidia.id);
		assert.equal(body?.transferee?.identity.user?.id, LIDIA.id);
		await assertTransferred(callId);
	});

	it('1:1 call: no transferee prompt and none sent; the transfer completes', async () => {
		const create = await scriptInput({ kind: 'quickPick', pick: /Teams user/ }, { kind: 'quickPick', pick: ADELE.displayName });
		const call = assertSucceeded(await runCommand<CallResource>('graphCalls.call.create'), 'created');
		create.assertAllUsed();
		assert.ok(call?.id);
		const callId = call.id;
		await waitFor('the 1:1 call established with Adele in the roster', () => api.calls.get(callId)?.call.state === 'established' && userLeg(callId, ADELE.id), 15_000);
		sent = [];

		const input = await scriptInput({ kind: 'quickPick', pick: /Blind/ }, { kind: 'quickPick', pick: JOHANNA });
		const run = await runCommand('graphCalls.call.transfer', { callId });
		input.assertAllUsed();
		assertSucceeded(run);
		assert.deepEqual(input.asked.map((a) => a.name), ['mode', 'target']);
		assert.deepEqual(sent.filter((e) => e.action).map((e) => e.action), ['call.transfer'], 'no participants list or call GET, only the transfer');
		assert.equal(transferBodies()[0].transferee, undefined);
		assert.match(run.message, new RegExp(`^Transfer of call ${callId} to ${JOHANNA} requested \\(blind, 202\\)`));
		await assertTransferred(callId);
	});
});
