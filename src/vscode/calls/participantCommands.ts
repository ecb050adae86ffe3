import * as vscode from 'vscode';
import { participantName } from '../../core/calls/callDescription';
import { idKey } from '../../core/calls/mergeRules';
import { deleteParticipant, getCall, getOperation, getParticipant, inviteParticipants, listParticipants, muteParticipant, startHoldMusic, stopHoldMusic } from '../../core/graph/calls';
import type { GraphResponse } from '../../core/graph/graphClient';
import { GraphError } from '../../core/graph/graphError';
import type { CallResource, ParticipantResource } from '../../core/schema/types';
import { LIMITS } from '../../core/graph/validators';
import type { QuickPickItemWithData } from '../shared/userInput';
import { nodeOf, type CallCommandKit } from './callCommands';
import { registerCommand } from '../shared/registerCommand';

/** The participant from the tree node, else a QuickPick over a fresh participants list (which also updates the store). */
async function pickParticipant(kit: CallCommandKit, callId: string, node: unknown, title: string): Promise<string> {
	const fromNode = nodeOf(node);
	if (fromNode?.participantId && fromNode.callId === callId) return fromNode.participantId;
	const r = await kit.run('Listing participants', (c, o) => listParticipants(c, callId, o)).catch((e: unknown) => kit.markGoneOn404(callId, e));
	const list = r.body?.value ?? [];
	kit.deps.callStore.applyParticipants(callId, list);
	if (list.length === 0) throw new Error(`Call ${callId} has no participants to pick. Refresh the call, or invite someone first.`);
	const items: QuickPickItemWithData<string>[] = list.map((p) => ({
		label: participantName(p),
		description: [p.isMuted ? 'muted' : undefined, p.isInLobby ? 'in lobby' : undefined].filter(Boolean).join(', ') || undefined,
		detail: p.id,
		data: p.id,
	}));
	return (await kit.input.showQuickPick(items, { title, placeHolder: 'Pick a participant', step: 'participant' })).data;
}

/**
 * GETs one participant. Graph answers 404 both when the participant left and when the whole call is gone, so a
 * 404 is followed by a GET of the call to tell which: a gone call is marked ended (as the call commands do), a
 * gone participant is dropped from the store so the Calls view stops showing them.
 */
async function fetchParticipant(kit: CallCommandKit, callId: string, participantId: string): Promise<GraphResponse<ParticipantResource>> {
	const store = kit.deps.callStore;
	try {
		return await kit.run('Getting participant', (c, o) => getParticipant(c, callId, participantId, o));
	} catch (err) {
		if (!(err instanceof GraphError && err.status === 404)) throw err;
		const known = store.get(callId)?.participants.get(idKey(participantId));
		let call: GraphResponse<CallResource>;
		try {
			call = await kit.run('Checking the call', (c, o) => getCall(c, callId, o));
		} catch (callErr) {
			if (callErr instanceof GraphError && callErr.status === 404) kit.markGoneOn404(callId, callErr);
			// The call could not be checked: the participant's own 404 is the better report.
			throw err;
		}
		if (call.body?.id) store.applyCall(call.body);
		store.removeParticipants(callId, [participantId]);
		const who = known ? `${participantName(known)} (${participantId})` : participantId;
		throw Object.assign(new Error(`Participant ${who} is no longer in call ${callId}; the Calls view was updated.`), {
			explanation: 'They left or were removed. List the participants to see who is in the call now.',
		});
	}
}

export function registerParticipantCommands(kit: CallCommandKit): vscode.Disposable[] {
	const store = kit.deps.callStore;
	return [
		registerCommand('graphCalls.participant.list', async (node?: unknown) => {
			const callId = await kit.pickCall(node, 'List participants');
			const r = await kit.run('Listing participants', (c, o) => listParticipants(c, callId, o)).catch((e: unknown) => kit.markGoneOn404(callId, e));
			const list = r.body?.value ?? [];
			store.applyParticipants(callId, list);
			return kit.report(`Call ${callId} has ${list.length} participant${list.length === 1 ? '' : 's'}${list.length ? `: ${list.map(participantName).join(', ')}` : ''}.`, list);
		}),

		registerCommand('graphCalls.participant.get', async (node?: unknown) => {
			const callId = await kit.pickCall(node, 'Get participant');
			const participantId = await pickParticipant(kit, callId, node, 'Get participant');
			const r = await fetchParticipant(kit, callId, participantId);
			const p = r.body;
			if (p?.id) store.applyParticipant(callId, p);
			const flags = [p?.isMuted ? 'muted' : 'unmuted', p?.isInLobby ? 'in lobby' : undefined].filter(Boolean).join(', ');
			return kit.report(`Participant ${p ? participantName(p) : participantId} in call ${callId}: ${flags} (participant ${participantId}, ${r.durationMs} ms).`, p);
		}),

		registerCommand('graphCalls.participant.invite', async (node?: unknown) => {
			const callId = await kit.pickCall(node, 'Invite participants');
			const participants = await kit.pickTargets('Invite', LIMITS.invitees);
			const r = await kit.run('Inviting', (c, o) => inviteParticipants(c, callId, { participants }, o)).catch((e: unknown) => kit.markGoneOn404(callId, e));
			return kit.report(kit.operationResult(callId, `Invite ${participants.length}`, r), r.body);
		}),

		registerCommand('graphCalls.participant.mute', async (node?: unknown) => {
			const callId = await kit.pickCall(node, 'Mute participant');
			const participantId = await pickParticipant(kit, callId, node, 'Mute participant');
			const r = await kit.run('Muting participant', (c, o) => muteParticipant(c, callId, participantId, {}, o)).catch((e: unknown) => kit.markGoneOn404(callId, e));
			return kit.report(kit.operationResult(callId, `Mute participant ${participantId}`, r), r.body);
		}),

		registerCommand('graphCalls.participant.remove', async (node?: unknown) => {
			const callId = await kit.pickCall(node, 'Remove participant');
			const participantId = await pickParticipant(kit, callId, node, 'Remove participant');
			const r = await kit.run('Removing participant', (c, o) => deleteParticipant(c, callId, participantId, o)).catch((e: unknown) => kit.markGoneOn404(callId, e));
			store.removeParticipants(callId, [participantId]);
			kit.report(`Participant ${participantId} removed from call ${callId} (${r.status}).`);
		}),

		registerCommand('graphCalls.participant.startHoldMusic', async (node?: unknown) => {
			const callId = await kit.pickCall(node, 'Start hold music');
			const participantId = await pickParticipant(kit, callId, node, 'Start hold music');
			const r = await kit.run('Starting hold music', (c, o) => startHoldMusic(c, callId, participantId, {}, o)).catch((e: unknown) => kit.markGoneOn404(callId, e));
			return kit.report(kit.operationResult(callId, `Hold music for ${participantId}`, r), r.body);
		}),

		registerCommand('graphCalls.participant.stopHoldMusic', async (node?: unknown) => {
			const callId = await kit.pickCall(node, 'Stop hold music');
			const participantId = await pickParticipant(kit, callId, node, 'Stop hold music');
			const r = await kit.run('Stopping hold music', (c, o) => stopHoldMusic(c, callId, participantId, {}, o)).catch((e: unknown) => kit.markGoneOn404(callId, e));
			return kit.report(kit.operationResult(callId, `Stop hold music for ${participantId}`, r), r.body);
		}),

		registerCommand('graphCalls.operation.get', async (node?: unknown) => {
			const callId = await kit.pickCall(node, 'Get operation');
			let operationId = nodeOf(node)?.operationId;
			if (!operationId) {
				const known = [...(store.get(callId)?.operations.values() ?? [])].reverse();
				const items: QuickPickItemWithData<string | undefined>[] = [
					...known.map((o) => ({ label: o.operation['@odata.type']?.replace('#microsoft.graph.', '') ?? 'operation', description: o.operation.status ?? undefined, detail: o.operation.id, data: o.operation.id })),
					{ label: '$(edit) Enter an operation id...', data: undefined },
				];
				operationId = (await kit.input.showQuickPick(items, { title: 'Get operation', step: 'operation' })).data;
				operationId ??= (await kit.input.showInputBox({ title: 'Get operation', prompt: 'The operation id (from an action response or a notification)', validateInput: (v) => (v.trim() ? undefined : 'Enter the operation id.'), step: 'operationId' })).trim();
			}
			const id = operationId;
			const r = await kit.run('Getting operation', (c, o) => getOperation(c, callId, id, o));
			return kit.report(kit.operationResult(callId, `Operation ${id}`, r), r.body);
		}),
	];
}
