import * as vscode from 'vscode';
import type { Identity, IdentitySet } from '@microsoft/microsoft-graph-types';
import { deleteParticipant, getOperation, inviteParticipants, listParticipants, muteParticipant, startHoldMusic, stopHoldMusic } from '../../core/graph/calls';
import type { ParticipantResource } from '../../core/graph/types';
import { LIMITS } from '../../core/graph/validators';
import type { QuickPickItemWithData } from '../userInput';
import { nodeOf, type CallCommandKit } from './calls';
import { registerCommand } from './registerCommand';

function participantName(p: ParticipantResource): string {
	// Graph's types lack identitySet.phone, which calls use for PSTN.
	const id = p.info?.identity as (IdentitySet & { phone?: Identity }) | undefined;
	return id?.user?.displayName ?? id?.application?.displayName ?? id?.phone?.id ?? id?.user?.id ?? p.id;
}

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
