import * as vscode from 'vscode';
import type { TenantProfile } from '../../core/auth/tenantProfile';
import { participantName } from '../../core/calls/callDescription';
import { idKey } from '../../core/calls/mergeRules';
import {
	addLargeGalleryView, answerCall, cancelMediaProcessing, changeScreenSharingRole, createCall, deleteCall, getCall, keepAlive, listParticipants, muteCall,
	playPrompt, recordResponse, redirectCall, rejectCall, sendDtmfTones, subscribeToTone, transferCall, unmuteCall, updateRecordingStatus,
	type CreateCallInput, type TransfereeInput,
} from '../../core/graph/calls';
import { parseJoinUrl } from '../../core/graph/meetingJoinUrl';
import type { CallResource, ParticipantResource } from '../../core/schema/types';
import { checkGuid, checkIntegerInRange, LIMITS, parseTones } from '../../core/graph/validators';
import type { GraphClients } from '../profiles/graphClients';
import type { Commands } from '../shared/commands';
import { nodeTargetOf } from '../shared/nodeTarget';
import type { QuickPickItemWithData } from '../shared/userInput';
import type { CallCommandRunner } from './callCommandRunner';
import { describeTarget, type CallPickers, type EmulatorDirectory } from './callPickers';

/** What the call and participant commands work with. */
export interface CallCommandServices {
	readonly runner: CallCommandRunner;
	readonly pick: CallPickers;
	readonly clients: GraphClients;
	readonly commands: Commands;
	/** Remembers the last application instance id. */
	readonly memento: vscode.Memento;
	/** The callbackUri for create and answer (the callback receiver's, or the profile's); throws an actionable error. */
	readonly callbackUri: (profile: TenantProfile) => string;
}

const LAST_APP_INSTANCE_KEY = 'graphCalls.lastApplicationInstanceId';

/** The bot's own leg: the call's myParticipantId, else an application identity with the profile's client id. */
function isBotParticipant(p: ParticipantResource, call: CallResource | undefined, appId: string | undefined): boolean {
	if (call?.myParticipantId && idKey(p.id) === idKey(call.myParticipantId)) return true;
	const app = p.info?.identity?.application?.id;
	return !!appId && !!app && app.toLowerCase() === appId.toLowerCase();
}

/**
 * Whether a transfer from this call needs a transferee: Graph wants one from group calls and meetings only.
 * The call resource tells meetings (meetingInfo or chatInfo) and calls created with several targets; a 1:1 call
 * that grew through participants/invite keeps its single target, so then the roster decides: more than one
 * participant besides the bot. This is the emulator's rule too (classify(): meetingInfo/chatInfo -> meeting,
 * several targets -> group; invite turns a 1:1 call into a group call).
 */
export function isGroupCall(call: CallResource | undefined, roster: Iterable<ParticipantResource>, appId?: string): boolean {
	if (call?.meetingInfo || call?.chatInfo) return true;
	if ((call?.targets?.length ?? 0) > 1) return true;
	let others = 0;
	for (const p of roster) if (!isBotParticipant(p, call, appId)) others++;
	return others > 1;
}

/**
 * The transferee of a group call or meeting, or undefined for a 1:1 call (no prompt then). The participants
 * list is fetched fresh (it also updates the store) so the identity sent is the one Graph has now. From a
 * participant node that participant is the transferee without a prompt; the Calls view shows Transfer Call on
 * call nodes only today, so that path serves executeCommand callers and a future participant menu entry.
 */
async function pickTransferee(s: CallCommandServices, callId: string, node: unknown): Promise<TransfereeInput | undefined> {
	const store = s.runner.store;
	if (!store.get(callId)) {
		// A call id typed in: the rule needs the call resource.
		await s.runner.send('Getting the call', (c, o) => getCall(c, callId, o), callId);
	}
	const call = store.get(callId)?.call;
	const appId = s.clients.activeProfile?.clientId;
	if (!isGroupCall(call, store.get(callId)?.participants.values() ?? [], appId)) return undefined;
	const r = await s.runner.send('Listing participants', (c, o) => listParticipants(c, callId, o), callId);
	const list = r.body?.value ?? [];
	const others = list.filter((p) => !isBotParticipant(p, call, appId));
	const asTransferee = (p: ParticipantResource): TransfereeInput => ({ participantId: p.id, identity: (p.info?.identity ?? {}) as Record<string, unknown> });
	const fromNode = nodeTargetOf(node);
	if (fromNode?.participantId && fromNode.callId === callId) {
		const p = others.find((x) => idKey(x.id) === idKey(fromNode.participantId!));
		if (!p) throw new Error(`Participant ${fromNode.participantId} is not in call ${callId} any more, or is the bot itself: run Transfer Call on the call and pick who is transferred.`);
		return asTransferee(p);
	}
	if (others.length === 0) throw new Error(`Call ${callId} is a group call but has no participant besides the bot to transfer. List the participants, or invite someone first.`);
	const items: QuickPickItemWithData<ParticipantResource>[] = others.map((p) => ({ label: participantName(p), description: p.isInLobby ? 'in lobby' : undefined, detail: p.id, data: p }));
	const picked = await s.pick.input.showQuickPick(items, { title: 'Which participant is transferred?', placeHolder: 'A group call transfers one participant to the target', step: 'transferee' });
	return asTransferee(picked.data);
}

// ---------------------------------------------------------------------------------------------------------------

async function createCallCommand(s: CallCommandServices): Promise<CallResource | undefined> {
	const profile = s.clients.activeProfile;
	s.clients.active(); // fails early, with the way out, when no profile is active
	const p = profile!;
	const kind = await s.pick.pickOne('Create call: what kind?', [
		{ value: 'user', label: '$(person) Call a Teams user' },
		{ value: 'phone', label: '$(call-outgoing) Call a phone number', description: 'PSTN, needs a resource account' },
		{ value: 'meetingJoinId', label: '$(organization) Join a meeting by meeting id and passcode' },
		{ value: 'meetingJoinUrl', label: '$(link) Join a meeting by its join link' },
		{ value: 'group', label: '$(person-add) Group call', description: `2 to ${LIMITS.groupCallTargets} users` },
	] as const, 'kind');
	const common = { callbackUri: s.callbackUri(p), tenantId: p.tenantId };
	let input: CreateCallInput;
	let label: string;
	switch (kind) {
		case 'user': {
			const t = await s.pick.pickTarget('Create call: who?', ['user']);
			if (t.kind !== 'user') throw new Error('Pick a user.');
			input = { ...common, kind: 'user', userId: t.id, displayName: t.displayName };
			label = describeTarget(t);
			break;
		}
		case 'phone': {
			const appInstance = (await s.pick.input.showInputBox({
				title: 'Create call: the bot\'s resource account',
				prompt: 'Object id (GUID) of the application instance (Teams resource account) with a phone number that the call comes from',
				value: s.memento.get<string>(LAST_APP_INSTANCE_KEY) ?? (p.emulator ? EMULATOR_APP_INSTANCE : ''),
				validateInput: (v) => checkGuid(v, 'The application instance id'),
				step: 'applicationInstance',
			})).trim();
			await s.memento.update(LAST_APP_INSTANCE_KEY, appInstance);
			const t = await s.pick.pickTarget('Create call: which number?', ['phone']);
			if (t.kind !== 'phone') throw new Error('Pick a phone number.');
			input = { ...common, kind: 'phone', applicationInstanceId: appInstance, phoneNumber: t.number };
			label = t.number;
			break;
		}
		case 'meetingJoinId': {
			const directory = await s.pick.emulatorDirectory();
			let joinMeetingId: string | undefined;
			let passcode: string | undefined;
			if (directory?.meetings.length) {
				const picked = await s.pick.input.showQuickPick(
					[...directory.meetings.map((m) => ({ label: m.subject, description: `id ${m.joinMeetingId}`, data: m as EmulatorDirectory['meetings'][number] | undefined })), { label: '$(edit) Enter a meeting id...', data: undefined }],
					{ title: 'Join a meeting', step: 'meeting' },
				);
				joinMeetingId = picked.data?.joinMeetingId;
				passcode = picked.data?.passcode;
			}
			if (!joinMeetingId) {
				joinMeetingId = (await s.pick.input.showInputBox({ title: 'Join a meeting', prompt: 'Meeting ID (digits, as shown in the invite)', validateInput: (v) => (/^\d{6,20}$/.test(v.replace(/\s/g, '')) ? undefined : 'Enter the 6 to 20 digits of the meeting id.'), step: 'joinMeetingId' })).replace(/\s/g, '');
				passcode = (await s.pick.input.showInputBox({ title: 'Join a meeting', prompt: 'Passcode (leave empty if the meeting has none)', step: 'passcode' })).trim() || undefined;
			}
			input = { ...common, kind: 'meetingJoinId', joinMeetingId, passcode };
			label = `meeting ${joinMeetingId}`;
			break;
		}
		case 'meetingJoinUrl': {
			const joinUrl = (await s.pick.input.showInputBox({
				title: 'Join a meeting by link',
				prompt: 'The "Join the meeting" link from the invite',
				placeHolder: 'https://teams.microsoft.com/l/meetup-join/19%3ameeting_...%40thread.v2/0?context=...',
				validateInput: (v) => {
					const r = parseJoinUrl(v);
					return r.ok ? undefined : r.error;
				},
				step: 'joinUrl',
			})).trim();
			input = { ...common, kind: 'meetingJoinUrl', joinUrl };
			label = 'meeting';
			break;
		}
		case 'group': {
			const users = await s.pick.pickTargets('Group call: who?', LIMITS.groupCallTargets, ['user'], 2);
			input = { ...common, kind: 'group', users: users.map((u) => (u.kind === 'user' ? { id: u.id, displayName: u.displayName } : { id: '' })) };
			label = users.map(describeTarget).join(', ');
			break;
		}
	}
	const r = await s.runner.send(`Creating a call to ${label}`, (client, o) => createCall(client, input, o));
	return s.runner.report(`Call to ${label} created: ${r.body?.state ?? 'accepted'} (call ${r.body?.id ?? 'id unknown'}, ${r.durationMs} ms).`, r.body);
}

/** The emulator's fixed application instance id (EMULATOR_TENANT.applicationInstanceId), offered as the default. */
const EMULATOR_APP_INSTANCE = '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d';

export function registerCallCommands(s: CallCommandServices): vscode.Disposable[] {
	return [
		s.commands.register('graphCalls.call.create', () => createCallCommand(s)),

		s.commands.register('graphCalls.call.get', async (node?: unknown) => {
			const callId = await s.pick.pickCall(node, 'Get call');
			const r = await s.runner.send('Getting the call', (c, o) => getCall(c, callId, o), callId);
			return s.runner.report(`Call ${callId}: ${r.body?.state ?? 'unknown state'}${r.body?.resultInfo ? ` (${r.body.resultInfo.code}/${r.body.resultInfo.subcode})` : ''}.`, r.body);
		}),

		s.commands.register('graphCalls.call.hangUp', async (node?: unknown) => {
			const callId = await s.pick.pickCall(node, 'Hang up');
			await s.runner.send('Hanging up', (c, o) => deleteCall(c, callId, o), callId);
			s.runner.report(`Hanging up call ${callId}: Graph confirms with a terminated notification.`);
		}),

		s.commands.register('graphCalls.call.answer', async (node?: unknown) => {
			const callId = await s.pick.pickCall(node, 'Answer');
			const profile = s.clients.activeProfile;
			if (!profile) s.clients.active();
			const callbackUri = s.callbackUri(profile!);
			const r = await s.runner.send('Answering', (c, o) => answerCall(c, callId, { callbackUri }, o), callId);
			s.runner.report(`Answer sent for call ${callId} (${r.status}): it becomes established when Graph notifies.`);
		}),

		s.commands.register('graphCalls.call.reject', async (node?: unknown) => {
			const callId = await s.pick.pickCall(node, 'Reject');
			const reason = await s.pick.pickOne('Reject: reason', [
				{ value: 'none', label: 'none', description: 'just decline' },
				{ value: 'busy', label: 'busy' },
				{ value: 'forbidden', label: 'forbidden' },
			] as const, 'reason');
			const r = await s.runner.send('Rejecting', (c, o) => rejectCall(c, callId, { reason }, o), callId);
			s.runner.report(`Call ${callId} rejected (${reason}, ${r.status}).`);
		}),

		s.commands.register('graphCalls.call.redirect', async (node?: unknown) => {
			const callId = await s.pick.pickCall(node, 'Redirect');
			const targets = await s.pick.pickTargets('Redirect to', LIMITS.redirectTargets);
			const r = await s.runner.send('Redirecting', (c, o) => redirectCall(c, callId, { targets }, o), callId);
			s.runner.report(`Call ${callId} redirected to ${targets.map(describeTarget).join(', ')} (${r.status}).`);
		}),

		s.commands.register('graphCalls.call.transfer', async (node?: unknown) => {
			const callId = await s.pick.pickCall(node, 'Transfer');
			const mode = await s.pick.pickOne('Transfer: how?', [
				{ value: 'blind', label: 'Blind transfer', description: 'hand the call to someone' },
				{ value: 'consultative', label: 'Consultative transfer', description: 'replace this call with the bot\'s call to the target' },
			] as const, 'mode');
			const target = await s.pick.pickTarget('Transfer to');
			let replacesCallId: string | undefined;
			if (mode === 'consultative') {
				replacesCallId = await s.pick.pickCall(undefined, 'Consultative transfer: the bot\'s call with the transfer target');
				if (replacesCallId === callId) throw new Error('The consultation call must be a different call from the one being transferred. Create a call to the target first.');
			}
			const transferee = await pickTransferee(s, callId, node);
			const r = await s.runner.send('Transferring', (c, o) => transferCall(c, callId, { target, replacesCallId, transferee }, o), callId);
			const who = transferee ? ` of participant ${transferee.participantId}` : '';
			s.runner.report(`Transfer${who} of call ${callId} to ${describeTarget(target)} requested (${mode}, ${r.status}): watch for transferAccepted.`);
		}),

		s.commands.register('graphCalls.call.playPrompt', async (node?: unknown) => {
			const callId = await s.pick.pickCall(node, 'Play prompt');
			const promptUris = await s.pick.promptUrls('Play prompt');
			const r = await s.runner.send('Playing prompt', (c, o) => playPrompt(c, callId, { promptUris }, o), callId);
			return s.runner.report(s.runner.operationMessage('Play prompt', r), r.body);
		}),

		s.commands.register('graphCalls.call.recordResponse', async (node?: unknown) => {
			const callId = await s.pick.pickCall(node, 'Record response');
			const seconds = Number((await s.pick.input.showInputBox({
				title: 'Record response',
				prompt: `Longest recording in seconds (1 to ${LIMITS.recordSeconds}); the caller ends it with # or silence`,
				value: '10',
				validateInput: (v) => checkIntegerInRange(v, 'The recording length', 1, LIMITS.recordSeconds),
				step: 'maxRecordDurationInSeconds',
			})).trim());
			const r = await s.runner.send('Recording', (c, o) => recordResponse(c, callId, { maxRecordDurationInSeconds: seconds }, o), callId);
			return s.runner.report(s.runner.operationMessage('Record response', r), r.body);
		}),

		s.commands.register('graphCalls.call.cancelMediaProcessing', async (node?: unknown) => {
			const callId = await s.pick.pickCall(node, 'Cancel media processing');
			const r = await s.runner.send('Cancelling media processing', (c, o) => cancelMediaProcessing(c, callId, {}, o), callId);
			return s.runner.report(s.runner.operationMessage('Cancel media processing', r), r.body);
		}),

		s.commands.register('graphCalls.call.subscribeToTone', async (node?: unknown) => {
			const callId = await s.pick.pickCall(node, 'Subscribe to tones');
			const r = await s.runner.send('Subscribing to tones', (c, o) => subscribeToTone(c, callId, {}, o), callId);
			return s.runner.report(s.runner.operationMessage('Subscribe to tones', r), r.body);
		}),

		s.commands.register('graphCalls.call.sendDtmfTones', async (node?: unknown) => {
			const callId = await s.pick.pickCall(node, 'Send DTMF tones');
			const text = await s.pick.input.showInputBox({
				title: 'Send DTMF tones',
				prompt: 'Tones: digits 0-9, * and #, or names (tone1, star, pound)',
				placeHolder: '123#',
				validateInput: (v) => parseTones(v).error,
				step: 'tones',
			});
			const tones = parseTones(text).tones!;
			const r = await s.runner.send('Sending tones', (c, o) => sendDtmfTones(c, callId, { tones }, o), callId);
			return s.runner.report(s.runner.operationMessage(`Send ${tones.length} tones`, r), r.body);
		}),

		s.commands.register('graphCalls.call.mute', async (node?: unknown) => {
			const callId = await s.pick.pickCall(node, 'Mute the bot');
			const r = await s.runner.send('Muting', (c, o) => muteCall(c, callId, {}, o), callId);
			return s.runner.report(s.runner.operationMessage('Mute', r), r.body);
		}),

		s.commands.register('graphCalls.call.unmute', async (node?: unknown) => {
			const callId = await s.pick.pickCall(node, 'Unmute the bot');
			const r = await s.runner.send('Unmuting', (c, o) => unmuteCall(c, callId, {}, o), callId);
			return s.runner.report(s.runner.operationMessage('Unmute', r), r.body);
		}),

		s.commands.register('graphCalls.call.keepAlive', async (node?: unknown) => {
			const callId = await s.pick.pickCall(node, 'Keep alive');
			const r = await s.runner.send('Sending keepAlive', (c, o) => keepAlive(c, callId, o), callId);
			s.runner.report(`Call ${callId} kept alive (${r.status}); send keepAlive at least every 45 minutes.`);
		}),

		s.commands.register('graphCalls.call.updateRecordingStatus', async (node?: unknown) => {
			const callId = await s.pick.pickCall(node, 'Update recording status');
			const status = await s.pick.pickOne('Recording status', [
				{ value: 'recording', label: 'recording', description: 'the bot started recording' },
				{ value: 'notRecording', label: 'notRecording', description: 'the bot stopped recording' },
				{ value: 'failed', label: 'failed', description: 'recording failed' },
			] as const, 'recordingStatus');
			const r = await s.runner.send('Updating recording status', (c, o) => updateRecordingStatus(c, callId, { status }, o), callId);
			return s.runner.report(s.runner.operationMessage(`Recording status ${status}`, r), r.body);
		}),

		s.commands.register('graphCalls.call.changeScreenSharingRole', async (node?: unknown) => {
			const callId = await s.pick.pickCall(node, 'Change screen sharing role');
			const role = await s.pick.pickOne('Screen sharing role', [
				{ value: 'viewer', label: 'viewer' },
				{ value: 'sharer', label: 'sharer' },
			] as const, 'role');
			const r = await s.runner.send('Changing screen sharing role', (c, o) => changeScreenSharingRole(c, callId, { role }, o), callId);
			s.runner.report(`Screen sharing role of call ${callId} set to ${role} (${r.status}).`);
		}),

		s.commands.register('graphCalls.call.addLargeGalleryView', async (node?: unknown) => {
			const callId = await s.pick.pickCall(node, 'Add large gallery view');
			const r = await s.runner.send('Adding large gallery view', (c, o) => addLargeGalleryView(c, callId, {}, o), callId);
			return s.runner.report(s.runner.operationMessage('Add large gallery view', r), r.body);
		}),
	];
}
