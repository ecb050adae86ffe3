import { randomUUID } from 'node:crypto';
import type { CallOptions, InvitationParticipantInfo } from '@microsoft/microsoft-graph-types';
import { isPeerToPeer, type CallRecord, type CreatePermissionNeed, type EmulatedCall, type EmulatedIdentitySet, type EmulatedParticipantInfo, type MaybeTyped, type RequestBody } from './callModel';
import { gone, newCallRecord, type CallTable } from './callTable';
import { EMULATOR_TENANT, type Behaviour, type DirectoryMeeting } from './directory';
import { badRequest, GraphHttpError } from './http';
import { at, isOneOf, MODALITIES, requireCallbackUri, requireMediaConfig } from './requestChecks';
import { RESULT } from './resultCodes';
import type { Lobby } from './lobby';
import { peerHungUpResult, resultFor, type Roster } from './roster';

const REJECT_REASONS = ['none', 'busy', 'forbidden'] as const;

/**
 * A call from start to end: create (outgoing) and incoming calls, answer, reject, redirect, transfer, keepAlive,
 * delete, and what the other side does to the whole call (hang up, hold, resume).
 */
export class CallLifecycle {
	constructor(private readonly table: CallTable, private readonly roster: Roster, private readonly lobby?: Lobby) {}

	/** Works out what kind of call a create body asks for and which permissions it needs (before creating it). */
	classify(body: RequestBody): CreatePermissionNeed {
		if (body.meetingInfo || body.chatInfo) return { kind: 'meeting', anyOf: ['Calls.JoinGroupCall.All', 'Calls.JoinGroupCallAsGuest.All'] };
		const targets = Array.isArray(body.targets) ? body.targets : [];
		if (targets.length > 1) return { kind: 'group', anyOf: ['Calls.InitiateGroupCall.All'] };
		if (at(targets[0], 'identity', 'phone')) return { kind: 'phone', anyOf: ['Calls.Initiate.All'] };
		return { kind: 'peerToPeer', anyOf: ['Calls.Initiate.All'] };
	}

	create(appId: string, tenantId: string, body: RequestBody): CallRecord {
		const { table, roster } = this;
		table.actions++;
		const callbackUri = requireCallbackUri(body.callbackUri);
		const modalities = body.requestedModalities;
		if (!Array.isArray(modalities) || modalities.length === 0 || modalities.some((m) => !isOneOf(m, MODALITIES))) {
			throw badRequest(`requestedModalities must be a non-empty array of ${MODALITIES.join(', ')}, for example ["audio"].`);
		}
		requireMediaConfig(body.mediaConfig);
		if (body.tenantId && String(body.tenantId).toLowerCase() !== tenantId) {
			throw new GraphHttpError(403, '7505', `Request authorization tenant mismatch: the body's tenantId ${String(body.tenantId)} is not the token's tenant ${tenantId}.`);
		}
		const { kind } = this.classify(body);
		const id = randomUUID();
		const botParticipantId = randomUUID();
		// The client's values are echoed back as it sent them (Graph does the same); the checks above looked at them.
		const resource: EmulatedCall = {
			'@odata.type': '#microsoft.graph.call',
			id,
			state: 'establishing',
			direction: 'outgoing',
			callbackUri,
			callChainId: randomUUID(),
			requestedModalities: modalities,
			mediaConfig: body.mediaConfig as EmulatedCall['mediaConfig'],
			// null until the call is established: application-post-calls.md shows "mediaState": null in the 201.
			mediaState: null,
			myParticipantId: botParticipantId,
			tenantId,
			source: (body.source as EmulatedParticipantInfo | undefined) ?? { '@odata.type': '#microsoft.graph.participantInfo', identity: { application: { id: appId, displayName: EMULATOR_TENANT.botDisplayName } } },
			targets: (body.targets as MaybeTyped<InvitationParticipantInfo>[] | undefined) ?? [],
			callOptions: body.callOptions as CallOptions | undefined,
			subject: body.subject as string | undefined,
		};
		const call = newCallRecord(id, appId, tenantId, kind, resource, botParticipantId);
		call.contentSharingNotifications = at(body.callOptions, 'isContentSharingNotificationEnabled') === true;
		let meeting: DirectoryMeeting | undefined;
		const targets: unknown[] = Array.isArray(body.targets) ? body.targets : [];
		if (kind === 'meeting') {
			meeting = this.findMeeting(body);
			call.meeting = meeting;
			resource.meetingInfo = body.meetingInfo as EmulatedCall['meetingInfo'];
			resource.chatInfo = (body.chatInfo as EmulatedCall['chatInfo']) ?? { '@odata.type': '#microsoft.graph.chatInfo', threadId: meeting.threadId, messageId: '0' };
			resource.subject ??= meeting.subject;
		} else {
			if (targets.length === 0) throw badRequest('targets is required: give at least one invitationParticipantInfo (a user or a phone), or meetingInfo to join a meeting.');
			if (kind === 'group' && targets.length > 5) throw badRequest(`A group call can have at most 5 targets; this request has ${targets.length}. Invite more people later with participants/invite.`);
			for (const t of targets) roster.resolveTarget(t, true);
			if (kind === 'phone' && !at(body.source, 'identity', 'applicationInstance', 'id')) {
				throw badRequest(`Calls to a phone number need source.identity.applicationInstance.id (the bot's resource account with a phone number), for example ${EMULATOR_TENANT.applicationInstanceId}.`);
			}
		}
		table.add(call);
		table.startKeepAlive(call);
		roster.add(call, roster.botParticipant(call), false);
		table.notify.call(call, 'updated');
		const timings = table.timings;
		if (kind === 'meeting') {
			table.after(call, timings.establishMs, () => {
				if (this.lobby?.holdBot(call, meeting!, meeting!.participants)) return;
				for (const userId of meeting!.participants) roster.add(call, roster.userParticipant(userId), false);
				table.setState(call, 'established');
				table.notify.roster(call);
			});
		} else if (kind === 'group') {
			table.after(call, timings.establishMs, () => {
				table.setState(call, 'established');
				table.notify.roster(call);
				for (const t of targets) roster.ring(call, t, (joined) => joined && table.notify.roster(call));
			});
		} else {
			// The callee's devices ring (ringing) unless the call fails at once (busy, offline).
			const callee = roster.resolveTarget(targets[0], true);
			const rings = callee.behaviour === 'answers' || callee.behaviour === 'neverAnswers' || callee.behaviour === 'declines' || callee.behaviour === 'manual';
			const ringFor = callee.behaviour === 'answers' ? callee.answerAfterMs ?? timings.defaultAnswerAfterMs : callee.behaviour === 'neverAnswers' || callee.behaviour === 'manual' ? timings.ringTimeoutMs : timings.establishMs * 2;
			// Only from establishing: under load Node can run the answer timer first (it drains a whole timer list at
			// once), and a call must never go back from established to ringing.
			if (rings && ringFor > timings.establishMs) {
				table.after(call, timings.establishMs, () => {
					if (call.resource.state === 'establishing') table.setState(call, 'ringing');
				});
			}
			roster.ring(call, targets[0], (joined, result) => {
				if (joined) {
					call.peerParticipantId = joined;
					table.setState(call, 'established');
					table.notify.roster(call);
				} else {
					table.terminate(call, result!);
				}
			});
		}
		return call;
	}

	/** Someone from the directory calls the bot. The bot must answer, reject or redirect within the window. */
	incoming(appId: string, tenantId: string, callbackUri: string, from: { userId?: string; phone?: string }): CallRecord {
		const table = this.table;
		table.actions++;
		requireCallbackUri(callbackUri);
		const identity = this.roster.callerIdentity(from);
		const id = randomUUID();
		const botParticipantId = randomUUID();
		const resource: EmulatedCall = {
			'@odata.type': '#microsoft.graph.call',
			id,
			state: 'incoming',
			direction: 'incoming',
			callbackUri,
			callChainId: randomUUID(),
			requestedModalities: ['audio'],
			mediaState: { audio: 'inactive' },
			myParticipantId: botParticipantId,
			tenantId,
			// call-answer.md, call-reject.md and call-redirect.md show the caller with region and languageId, the bot's target with its participant id.
			source: { '@odata.type': '#microsoft.graph.participantInfo', identity: { '@odata.type': '#microsoft.graph.identitySet', ...identity }, endpointType: 'default', region: null, languageId: null },
			targets: [{ '@odata.type': '#microsoft.graph.invitationParticipantInfo', identity: { '@odata.type': '#microsoft.graph.identitySet', application: { id: appId, displayName: EMULATOR_TENANT.botDisplayName } }, endpointType: 'default', id: botParticipantId, region: null, languageId: null }],
			incomingContext: { '@odata.type': '#microsoft.graph.incomingContext', sourceParticipantId: randomUUID() },
		};
		const call = newCallRecord(id, appId, tenantId, 'incoming', resource, botParticipantId);
		table.add(call);
		table.notify.call(call, 'created');
		table.after(call, table.timings.answerWindowMs, () => {
			if (call.resource.state === 'incoming') {
				table.terminate(call, { ...RESULT.notAnswered, message: `The bot did not answer, reject or redirect the incoming call within ${table.timings.answerWindowMs / 1000} s.` }, true);
			}
		}, 'answerWindow');
		return call;
	}

	answer(call: CallRecord, body: RequestBody): void {
		const { table, roster } = this;
		table.actions++;
		table.requireState(call, ['incoming'], 'answer');
		// call-answer.md (v1.0): callbackUri is optional ("the bot's global callback URI will be used instead": here
		// the URL the incoming-call notification went to); acceptedModalities is "Required for answering a call".
		const callbackUri = body.callbackUri === undefined ? call.resource.callbackUri : requireCallbackUri(body.callbackUri);
		requireMediaConfig(body.mediaConfig);
		const accepted = body.acceptedModalities;
		if (!Array.isArray(accepted) || accepted.length === 0 || accepted.some((m: unknown) => !isOneOf(m, MODALITIES))) {
			throw badRequest(`acceptedModalities is required: a non-empty array of ${MODALITIES.join(', ')}, for example ["audio"].`);
		}
		// call-answer.md: participantCapacity, "for Teams policy-based recording", is an Int32 count of participants.
		const capacity = body.participantCapacity;
		if (capacity !== undefined && (typeof capacity !== 'number' || !Number.isInteger(capacity) || capacity < 1 || capacity > 2_147_483_647)) {
			throw badRequest('participantCapacity must be a whole number of participants of at least 1 (Int32).');
		}
		table.cancelTimer(call, 'answerWindow');
		Object.assign(call.resource, { callbackUri, mediaConfig: body.mediaConfig, requestedModalities: accepted, mediaState: { audio: 'active' } });
		if (capacity !== undefined) call.participantCapacity = capacity as number;
		// call-answer.md's callOptions (incomingCallOptions) turn content sharing notifications on, as on create.
		call.contentSharingNotifications = at(body.callOptions, 'isContentSharingNotificationEnabled') === true;
		table.startKeepAlive(call);
		table.setState(call, 'establishing');
		table.after(call, table.timings.establishMs, () => {
			if (call.establishOnAnswer) {
				call.establishOnAnswer();
				return;
			}
			// An incoming call's source is the caller the emulator built.
			const caller = roster.participantFromIdentity(call.resource.source!.identity as EmulatedIdentitySet);
			roster.add(call, caller, false);
			call.peerParticipantId = caller.id;
			roster.add(call, roster.botParticipant(call), false);
			table.setState(call, 'established');
			table.notify.roster(call);
		});
	}

	reject(call: CallRecord, body: RequestBody): void {
		const table = this.table;
		table.actions++;
		table.requireState(call, ['incoming'], 'reject');
		const reason = body.reason ?? 'none';
		if (!isOneOf(reason, REJECT_REASONS)) throw badRequest(`reason must be none, busy or forbidden, not "${String(reason)}".`);
		if (body.callbackUri !== undefined) requireCallbackUri(body.callbackUri);
		table.cancelTimer(call, 'answerWindow');
		const result = reason === 'busy' ? { ...RESULT.busy, message: 'The bot rejected the call as busy.' } : reason === 'forbidden' ? { code: 403, subcode: 0, message: 'The bot rejected the call as forbidden.' } : RESULT.rejectedByBot;
		table.terminate(call, result, true);
	}

	redirect(call: CallRecord, body: RequestBody): void {
		const table = this.table;
		table.actions++;
		table.requireState(call, ['incoming'], 'redirect');
		const targets = body.targets;
		if (!Array.isArray(targets) || targets.length === 0 || targets.length > 25) throw badRequest('targets must hold 1 to 25 invitationParticipantInfo entries.');
		for (const t of targets) this.roster.resolveTarget(t, true);
		const timeout = body.timeout;
		if (timeout !== undefined && (typeof timeout !== 'number' || timeout < 15 || timeout > 90)) throw badRequest('timeout must be a number of seconds from 15 to 90.');
		if (body.callbackUri !== undefined) requireCallbackUri(body.callbackUri);
		table.cancelTimer(call, 'answerWindow');
		table.setState(call, 'redirecting');
		table.after(call, table.timings.establishMs, () => table.terminate(call, RESULT.redirected, true));
	}

	delete(call: CallRecord): void {
		this.table.actions++;
		if (call.resource.state === 'terminating') return;
		this.table.terminate(call, RESULT.endedByBot);
	}

	keepAlive(call: CallRecord): void {
		this.table.actions++;
		if (call.resource.state === 'terminating' || call.resource.state === 'terminated') throw gone(call);
		this.table.startKeepAlive(call);
	}

	transfer(call: CallRecord, body: RequestBody): void {
		const table = this.table;
		table.actions++;
		table.requireState(call, ['established'], 'transfer');
		const target = body.transferTarget;
		if (!target || typeof target !== 'object') throw badRequest('transferTarget is required: an invitationParticipantInfo with the identity to transfer to.');
		if (call.kind === 'group' || call.kind === 'meeting') this.requireTransferee(call, body.transferee);
		// A phone number is a valid target: call-transfer.md (v1.0) Examples 3 and 4 transfer to PSTN, which Graph allows
		// for a bot with an application instance that has a number; the emulator's app has one (EMULATOR_TENANT).
		const entry = this.roster.resolveTarget(target, true);
		const replacesCallId = (target as Record<string, unknown>).replacesCallId;
		let replaced: CallRecord | undefined;
		if (replacesCallId) {
			replaced = table.find(String(replacesCallId));
			if (!replaced || replaced.appId !== call.appId) throw badRequest(`replacesCallId ${String(replacesCallId)} is not a call of this bot: consultative transfer needs the id of the bot's established call with the transfer target.`);
			if (replaced.resource.state !== 'established') throw badRequest(`The consultation call ${replaced.id} is ${replaced.resource.state}, not established.`);
		}
		table.setState(call, 'transferring');
		call.transferTarget = target;
		const timings = table.timings;
		const outcome = replaced ? 'answers' : entry.behaviour;
		const delay = replaced ? timings.transferMs : outcome === 'answers' ? entry.answerAfterMs ?? timings.transferMs : outcome === 'neverAnswers' ? timings.ringTimeoutMs : timings.transferMs;
		if (outcome === 'manual') {
			this.roster.awaitPerson(call, target, 'transfer', () => settle('answers'), (result) => settle(result === RESULT.declined ? 'declines' : 'neverAnswers'));
			return;
		}
		table.after(call, delay, () => settle(outcome));
		function settle(outcome: string): void {
			call.transferTarget = undefined;
			if (outcome === 'answers') {
				table.setState(call, 'transferAccepted');
				table.after(call, timings.transferMs, () => {
					// call-transfer.md shows a consultative transfer ending with terminationReason "AppTransferred" beside the 7015 end.
					if (replaced) call.resource.terminationReason = 'AppTransferred';
					table.terminate(call, RESULT.transferCompleted, true);
					if (replaced && table.isLive(replaced)) table.terminate(replaced, RESULT.transferCompleted, true);
				});
			} else {
				// The failure shows in one notification of the call going back to established, with a typed resultInfo as
				// call-transfer.md's "Notification - transfer failed" shows.
				call.resource.resultInfo = { '@odata.type': '#microsoft.graph.resultInfo', ...resultFor(outcome as Behaviour) };
				table.setState(call, 'established');
				delete call.resource.resultInfo;
			}
		}
	}

	/** The other side hangs up (1:1: 200/4521, or the PSTN code for a phone) or the group call or meeting ends (200/5001). */
	hangUp(call: CallRecord): void {
		this.table.actions++;
		this.table.terminate(call, isPeerToPeer(call) ? peerHungUpResult(call) : RESULT.ended, true);
	}

	/** The other side puts the bot on hold, or resumes. */
	hold(call: CallRecord, on: boolean): void {
		this.table.actions++;
		this.table.requireState(call, on ? ['established'] : ['hold'], on ? 'hold' : 'resume');
		this.table.setState(call, on ? 'hold' : 'established');
	}

	/** Group calls and meetings name whom to transfer: a participant of the call other than the bot. */
	private requireTransferee(call: CallRecord, transferee: unknown): void {
		const participantId = at(transferee, 'participantId');
		if (!transferee || typeof transferee !== 'object' || typeof participantId !== 'string' || !participantId) {
			throw badRequest('Transfers in group calls need transferee: the participantInfo of the participant to transfer, with its participantId and identity from the participants list.');
		}
		const pid = participantId.toLowerCase();
		if (pid === call.botParticipantId.toLowerCase()) throw badRequest(`transferee.participantId ${participantId} is the bot itself: pass the participant to transfer (GET /communications/calls/${call.id}/participants lists them).`);
		if (!call.participants.has(pid) && !call.participants.has(participantId)) {
			throw badRequest(`transferee.participantId ${participantId} is not a participant of call ${call.id}: pass the id of one listed by GET /communications/calls/${call.id}/participants.`);
		}
	}

	private findMeeting(body: RequestBody): DirectoryMeeting {
		const meetings = this.table.directory.meetings;
		// call.md: meetingInfo is "required information for meeting scenarios"; organizermeetinginfo.md: chatInfo goes
		// with an organizerMeetingInfo, it does not name a meeting on its own.
		if (!body.meetingInfo || typeof body.meetingInfo !== 'object') throw badRequest('meetingInfo is required to join a meeting: joinMeetingIdMeetingInfo (joinMeetingId, passcode), or organizerMeetingInfo with chatInfo.threadId.');
		const info = body.meetingInfo;
		const type = String(at(info, '@odata.type') ?? '');
		const joinMeetingId = at(info, 'joinMeetingId');
		if (type.endsWith('joinMeetingIdMeetingInfo') || joinMeetingId) {
			const m = meetings.find((x) => x.joinMeetingId === String(joinMeetingId));
			if (!m) throw new GraphHttpError(404, 'itemNotFound', `No meeting with joinMeetingId ${String(joinMeetingId)}: GET /_emulator/directory lists the emulator's meetings.`);
			if (m.passcode && m.passcode !== at(info, 'passcode')) throw new GraphHttpError(403, 'Forbidden', `The passcode for meeting ${m.joinMeetingId} is wrong or missing: pass meetingInfo.passcode.`);
			return m;
		}
		const threadId = at(body.chatInfo, 'threadId');
		if (!threadId) throw badRequest('Joining a meeting needs meetingInfo (joinMeetingIdMeetingInfo with joinMeetingId, or organizerMeetingInfo) and, for organizerMeetingInfo, chatInfo.threadId.');
		const m = meetings.find((x) => x.threadId === threadId);
		if (!m) throw new GraphHttpError(404, 'itemNotFound', `No meeting with chatInfo.threadId ${String(threadId)}: GET /_emulator/directory lists the emulator's meetings.`);
		const organizer = at(info, 'organizer', 'user', 'id');
		if (organizer && organizer !== m.organizerId) throw new GraphHttpError(403, 'Forbidden', `${String(organizer)} is not the organizer of meeting ${m.subject}.`);
		return m;
	}
}
