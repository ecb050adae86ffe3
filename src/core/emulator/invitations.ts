import { randomUUID } from 'node:crypto';
import type { CallKind, CallRecord, EmulatedCall, EmulatedIdentitySet, EmulatedParticipant } from './callModel';
import { newCallRecord, type CallTable } from './callTable';
import { EMULATOR_TENANT, type DirectoryMeeting } from './directory';
import { badRequest } from './http';
import type { Lobby } from './lobby';
import { requireCallbackUri } from './requestChecks';
import { RESULT } from './resultCodes';
import type { Roster } from './roster';

/** Someone from the directory: a user id or an E.164 number. */
export interface PartyRef {
	userId?: string;
	phone?: string;
}

/** Where an invitation goes: the app and the callback URL (its calling webhook, usually). */
export interface InvitationTarget {
	appId: string;
	tenantId: string;
	callbackUri: string;
}

/** The call resource of an incoming call as the service shows it when a notification "created" announces it. */
type IncomingCallResource = EmulatedCall & { applicationMetadata?: unknown };

/**
 * Incoming calls that are not 1:1: someone invites the bot into a group call or a meeting, and a compliance
 * recording policy invites its recorder into a call of a person under the policy. The shapes follow
 * call-answer.md (v1.0): an invitation "to a group call" carries chatInfo and meetingInfo; Example 3 shows the
 * policy-based recording notification (source, an applicationInstance target, tokenMeetingInfo, callChainId,
 * myParticipantId, incomingContext with sourceParticipantId and observedParticipantId, applicationMetadata.botData
 * with inviteReasons ["PolicyBasedRecording"]) and gives such a bot 5 s to answer instead of 15.
 */
export class Invitations {
	constructor(private readonly table: CallTable, private readonly roster: Roster, private readonly lobby: Lobby) {}

	/** `from` invites the bot into a group call with `members` (who are already in it), or into a meeting. */
	groupCall(to: InvitationTarget, from: PartyRef, members: readonly PartyRef[], meeting?: DirectoryMeeting): CallRecord {
		if (!from.userId) throw badRequest('Only a Teams user invites a bot into a group call or meeting: give "from": {"userId": "..."}.');
		if (members.length > 20) throw badRequest(`A group call invitation names at most 20 members; this one has ${members.length}.`);
		const inviter = this.participant(from);
		const others = members.map((m) => this.participant(m)).filter((p) => !samePerson(p, inviter));
		const threadId = meeting?.threadId ?? `19:${randomUUID().replace(/-/g, '')}@thread.v2`;
		const organizer = meeting ? this.roster.userParticipant(meeting.organizerId).info.identity : inviter.info.identity;
		const resource = this.resource(to, inviter, {
			chatInfo: { '@odata.type': '#microsoft.graph.chatInfo', threadId, messageId: '0' },
			meetingInfo: { '@odata.type': '#microsoft.graph.organizerMeetingInfo', organizer: { '@odata.type': '#microsoft.graph.identitySet', ...organizer }, allowConversationWithoutHost: true } as never,
			...(meeting ? { subject: meeting.subject } : {}),
		});
		const call = this.register(to, meeting ? 'meeting' : 'group', resource, this.table.timings.answerWindowMs);
		call.meeting = meeting;
		call.establishOnAnswer = () => {
			const inMeeting = meeting ? meeting.participants.filter((id) => !samePerson(this.roster.userParticipant(id), inviter) && !others.some((o) => samePerson(this.roster.userParticipant(id), o))) : [];
			if (meeting && this.lobby.holdBot(call, meeting, [String(inviter.info.identity.user!.id), ...others.flatMap((o) => (o.info.identity.user ? [String(o.info.identity.user.id)] : [])), ...inMeeting])) return;
			for (const p of [inviter, ...others]) this.roster.add(call, p, false);
			for (const id of inMeeting) this.roster.add(call, this.roster.userParticipant(id), false);
			this.roster.add(call, this.roster.botParticipant(call), false);
			this.table.setState(call, 'established');
			this.table.notify.roster(call);
		};
		return call;
	}

	/** A person under a recording policy is in a call (with `others`): the policy's recorder bot is invited. */
	recording(to: InvitationTarget, observed: PartyRef, others: readonly PartyRef[], policyIdentifier = 'Emulator recording policy'): CallRecord {
		if (!observed.userId) throw badRequest('Recording policies apply to Teams users: give the recorded person as "userId".');
		if (others.length > 20) throw badRequest(`A recorded call names at most 20 other people; this one has ${others.length}.`);
		if (typeof policyIdentifier !== 'string' || policyIdentifier.length > 256) throw badRequest('policyIdentifier must be a string of at most 256 characters.');
		const person = this.participant(observed);
		const rest = others.map((o) => this.participant(o)).filter((p) => !samePerson(p, person));
		const other = rest[0]?.info.identity;
		const resource = this.resource(to, person, {
			meetingInfo: { '@odata.type': '#microsoft.graph.tokenMeetingInfo', token: randomUUID().replace(/-/g, '') } as never,
			incomingContext: { '@odata.type': '#microsoft.graph.incomingContext', sourceParticipantId: person.id, observedParticipantId: person.id },
			targets: [{ '@odata.type': '#microsoft.graph.invitationParticipantInfo', identity: { '@odata.type': '#microsoft.graph.identitySet', applicationInstance: { '@odata.type': '#microsoft.graph.identity', id: EMULATOR_TENANT.applicationInstanceId, identityProvider: 'AAD' } } as never, endpointType: 'default', id: randomUUID() } as never],
			applicationMetadata: {
				botData: {
					user: { participationMethod: 'caller' },
					...(other ? { otherSideUser: { id: other.user?.id ?? other.phone?.id, participantId: rest[0].id, tenantId: EMULATOR_TENANT.tenantId, participationMethod: 'callee' } } : {}),
					inviteReasons: ['PolicyBasedRecording'],
					policyIdentifier,
				},
			},
		});
		// Example 3 shows the source with the recorded participant's id and an AAD identity.
		resource.source = { ...resource.source!, id: person.id, identity: { ...resource.source!.identity, user: { ...resource.source!.identity.user!, identityProvider: 'AAD' } } } as never;
		const call = this.register(to, 'group', resource, this.table.timings.policyRecordingAnswerWindowMs);
		call.establishOnAnswer = () => {
			for (const p of [person, ...rest]) this.roster.add(call, p, false);
			this.roster.add(call, this.roster.botParticipant(call), false);
			this.table.setState(call, 'established');
			this.table.notify.roster(call);
		};
		return call;
	}

	private participant(ref: PartyRef): EmulatedParticipant {
		if (ref.userId !== undefined && typeof ref.userId !== 'string') throw badRequest('userId must be a string.');
		if (ref.phone !== undefined && typeof ref.phone !== 'string') throw badRequest('phone must be an E.164 string such as +14255550101.');
		return this.roster.participantFromIdentity(this.roster.callerIdentity(ref));
	}

	private resource(to: InvitationTarget, source: EmulatedParticipant, extra: Partial<IncomingCallResource>): IncomingCallResource {
		requireCallbackUri(to.callbackUri);
		return {
			'@odata.type': '#microsoft.graph.call',
			id: randomUUID(),
			state: 'incoming',
			direction: 'incoming',
			callbackUri: to.callbackUri,
			callChainId: randomUUID(),
			requestedModalities: ['audio'],
			mediaState: { audio: 'inactive' },
			myParticipantId: randomUUID(),
			tenantId: to.tenantId,
			source: { '@odata.type': '#microsoft.graph.participantInfo', identity: source.info.identity, endpointType: 'default' },
			targets: [{ '@odata.type': '#microsoft.graph.invitationParticipantInfo', identity: { application: { id: to.appId, displayName: EMULATOR_TENANT.botDisplayName } } }],
			incomingContext: { '@odata.type': '#microsoft.graph.incomingContext', sourceParticipantId: source.id },
			...extra,
		};
	}

	private register(to: InvitationTarget, kind: CallKind, resource: IncomingCallResource, windowMs: number): CallRecord {
		const table = this.table;
		table.actions++;
		const call = newCallRecord(resource.id, to.appId, to.tenantId, kind, resource, resource.myParticipantId);
		table.add(call);
		table.notify.call(call, 'created');
		table.after(call, windowMs, () => {
			if (call.resource.state === 'incoming') {
				table.terminate(call, { ...RESULT.notAnswered, message: `The bot did not answer, reject or redirect the invitation within ${windowMs / 1000} s.` }, true);
			}
		}, 'answerWindow');
		return call;
	}
}

function samePerson(a: EmulatedParticipant, b: EmulatedParticipant): boolean {
	const x: EmulatedIdentitySet = a.info.identity;
	const y: EmulatedIdentitySet = b.info.identity;
	if (x.user && y.user) return String(x.user.id).toLowerCase() === String(y.user.id).toLowerCase();
	if (x.phone && y.phone) return x.phone.id === y.phone.id;
	return false;
}
