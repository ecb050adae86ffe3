import * as vscode from 'vscode';
import { participantName } from '../../core/calls/callDescription';
import { idKey } from '../../core/calls/mergeRules';
import { deleteParticipant, getCall, getOperation, getParticipant, inviteParticipants, listParticipants, muteParticipant, startHoldMusic, stopHoldMusic } from '../../core/graph/calls';
import type { GraphResponse } from '../../core/graph/graphClient';
import { GraphError } from '../../core/graph/graphError';
import type { ParticipantResource } from '../../core/schema/types';
import { LIMITS } from '../../core/graph/validators';
import type { QuickPickItemWithData } from '../shared/userInput';
import type { CallCommandServices } from './callCommands';
import { nodeTargetOf } from '../shared/nodeTarget';
import { ActionableError } from '../shared/actionableError';

/**
 * GETs one participant. Graph answers 404 both when the participant left and when the whole call is gone, so a
 * 404 is followed by a GET of the call to tell which: a gone call is marked ended (as the call commands do), a
 * gone participant is dropped from the store so the Calls view stops showing them.
 */
async function fetchParticipant(s: CallCommandServices, callId: string, participantId: string): Promise<GraphResponse<ParticipantResource>> {
	const store = s.runner.store;
	try {
		return await s.runner.send('Getting participant', (c, o) => getParticipant(c, callId, participantId, o));
	} catch (err) {
		if (!(err instanceof GraphError && err.status === 404)) throw err;
		const known = store.get(callId)?.participants.get(idKey(participantId));
		try {
			// Its answer (the call) goes into the store; its 404 marks the call ended and is the better report.
			await s.runner.send('Checking the call', (c, o) => getCall(c, callId, o), callId);
		} catch (callErr) {
			if (callErr instanceof GraphError && callErr.status === 404) throw callErr;
			// The call could not be checked: the participant's own 404 is the better report.
			throw err;
		}
		s.runner.participantGone(callId, participantId);
		const who = known ? `${participantName(known)} (${participantId})` : participantId;
		throw new ActionableError(`Participant ${who} is no longer in call ${callId}; the Calls view was updated.`, 'They left or were removed. List the participants to see who is in the call now.');
	}
}

export function registerParticipantCommands(s: CallCommandServices): vscode.Disposable[] {
	const store = s.runner.store;
	return [
		s.commands.register('graphCalls.participant.list', async (node?: unknown) => {
			const callId = await s.pick.pickCall(node, 'List participants');
			const r = await s.runner.send('Listing participants', (c, o) => listParticipants(c, callId, o), callId);
			const list = r.body?.value ?? [];
			return s.runner.report(`Call ${callId} has ${list.length} participant${list.length === 1 ? '' : 's'}${list.length ? `: ${list.map(participantName).join(', ')}` : ''}.`, list);
		}),

		s.commands.register('graphCalls.participant.get', async (node?: unknown) => {
			const callId = await s.pick.pickCall(node, 'Get participant');
			const participantId = await s.pick.pickParticipant(callId, node, 'Get participant');
			const r = await fetchParticipant(s, callId, participantId);
			const p = r.body;
			const flags = [p?.isMuted ? 'muted' : 'unmuted', p?.isInLobby ? 'in lobby' : undefined].filter(Boolean).join(', ');
			return s.runner.report(`Participant ${p ? participantName(p) : participantId} in call ${callId}: ${flags} (participant ${participantId}, ${r.durationMs} ms).`, p);
		}),

		s.commands.register('graphCalls.participant.invite', async (node?: unknown) => {
			const callId = await s.pick.pickCall(node, 'Invite participants');
			const participants = await s.pick.pickTargets('Invite', LIMITS.invitees);
			const r = await s.runner.send('Inviting', (c, o) => inviteParticipants(c, callId, { participants }, o), callId);
			return s.runner.report(s.runner.operationMessage(`Invite ${participants.length}`, r), r.body);
		}),

		s.commands.register('graphCalls.participant.mute', async (node?: unknown) => {
			const callId = await s.pick.pickCall(node, 'Mute participant');
			const participantId = await s.pick.pickParticipant(callId, node, 'Mute participant');
			const r = await s.runner.send('Muting participant', (c, o) => muteParticipant(c, callId, participantId, {}, o), callId);
			return s.runner.report(s.runner.operationMessage(`Mute participant ${participantId}`, r), r.body);
		}),

		s.commands.register('graphCalls.participant.remove', async (node?: unknown) => {
			const callId = await s.pick.pickCall(node, 'Remove participant');
			const participantId = await s.pick.pickParticipant(callId, node, 'Remove participant');
			const r = await s.runner.send('Removing participant', (c, o) => deleteParticipant(c, callId, participantId, o), callId);
			s.runner.report(`Participant ${participantId} removed from call ${callId} (${r.status}).`);
		}),

		s.commands.register('graphCalls.participant.startHoldMusic', async (node?: unknown) => {
			const callId = await s.pick.pickCall(node, 'Start hold music');
			const participantId = await s.pick.pickParticipant(callId, node, 'Start hold music');
			const r = await s.runner.send('Starting hold music', (c, o) => startHoldMusic(c, callId, participantId, {}, o), callId);
			return s.runner.report(s.runner.operationMessage(`Hold music for ${participantId}`, r), r.body);
		}),

		s.commands.register('graphCalls.participant.stopHoldMusic', async (node?: unknown) => {
			const callId = await s.pick.pickCall(node, 'Stop hold music');
			const participantId = await s.pick.pickParticipant(callId, node, 'Stop hold music');
			const r = await s.runner.send('Stopping hold music', (c, o) => stopHoldMusic(c, callId, participantId, {}, o), callId);
			return s.runner.report(s.runner.operationMessage(`Stop hold music for ${participantId}`, r), r.body);
		}),

		s.commands.register('graphCalls.operation.get', async (node?: unknown) => {
			const callId = await s.pick.pickCall(node, 'Get operation');
			let operationId = nodeTargetOf(node)?.operationId;
			if (!operationId) {
				const known = [...(store.get(callId)?.operations.values() ?? [])].reverse();
				const items: QuickPickItemWithData<string | undefined>[] = [
					...known.map((o) => ({ label: o.operation['@odata.type']?.replace('#microsoft.graph.', '') ?? 'operation', description: o.operation.status ?? undefined, detail: o.operation.id, data: o.operation.id })),
					{ label: '$(edit) Enter an operation id...', data: undefined },
				];
				operationId = (await s.pick.input.showQuickPick(items, { title: 'Get operation', step: 'operation' })).data;
				operationId ??= (await s.pick.input.showInputBox({ title: 'Get operation', prompt: 'The operation id (from an action response or a notification)', validateInput: (v) => (v.trim() ? undefined : 'Enter the operation id.'), step: 'operationId' })).trim();
			}
			const id = operationId;
			const r = await s.runner.send('Getting operation', (c, o) => getOperation(c, callId, id, o));
			return s.runner.report(s.runner.operationMessage(`Operation ${id}`, r), r.body);
		}),
	];
}
