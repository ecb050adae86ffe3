import { publicOperation, type CallRecord, type EmulatedOperation, type EmulatedParticipant, type RequestBody } from './callModel';
import type { CallOperations } from './callOperations';
import type { CallTable } from './callTable';
import type { Lobby } from './lobby';
import { badRequest, GraphHttpError } from './http';
import { at } from './requestChecks';
import { RESULT } from './resultCodes';
import type { Roster } from './roster';

/** What the bot does to a call's participants (Graph API), and people joining or leaving (control API). */
export class ParticipantActions {
	constructor(
		private readonly table: CallTable,
		private readonly roster: Roster,
		private readonly operations: CallOperations,
		private readonly lobby: Lobby,
	) {}

	get(call: CallRecord, participantId: string): EmulatedParticipant {
		const p = call.participants.get(participantId.toLowerCase()) ?? call.participants.get(participantId);
		if (!p) throw new GraphHttpError(404, 'itemNotFound', `Participant ${participantId} is not in call ${call.id}: list the participants to see who is there.`);
		return p;
	}

	invite(call: CallRecord, body: RequestBody): Omit<EmulatedOperation, 'stopTones'> {
		this.table.actions++;
		this.table.requireState(call, ['established'], 'invite');
		const list = body.participants;
		if (!Array.isArray(list) || list.length === 0 || list.length > 5) throw badRequest('participants must hold 1 to 5 invitationParticipantInfo entries.');
		for (const t of list) this.roster.resolveTarget(t, true);
		const op = this.operations.start(call, 'inviteParticipantsOperation', body.clientContext);
		op.participants = list;
		let pending = list.length;
		let joinedAny = false;
		// Inviting someone into a 1:1 call turns it into a group call, as the service does.
		if (call.kind === 'peerToPeer' || call.kind === 'incoming' || call.kind === 'phone') call.kind = 'group';
		for (const t of list) {
			this.roster.ring(call, t, (joined, result) => {
				if (joined) {
					joinedAny = true;
					this.table.notify.roster(call);
				}
				if (--pending === 0) {
					this.operations.finish(call, op, joinedAny ? 'completed' : 'failed', joinedAny ? RESULT.success : result ?? RESULT.noAnswer);
				}
			});
		}
		return publicOperation(op);
	}

	mute(call: CallRecord, participantId: string, body: RequestBody): EmulatedOperation {
		this.table.actions++;
		this.table.requireState(call, ['established'], 'mute participant');
		const p = this.get(call, participantId);
		p.isMuted = true;
		for (const s of p.mediaStreams ?? []) s.serverMuted = true;
		this.table.notify.roster(call);
		return this.operations.completed(call, 'muteParticipantOperation', body.clientContext);
	}

	muteAll(call: CallRecord, body: RequestBody): EmulatedOperation {
		this.table.actions++;
		this.table.requireState(call, ['established'], 'muteAll');
		for (const p of call.participants.values()) {
			if (p.id === call.botParticipantId) continue;
			p.isMuted = true;
			for (const s of p.mediaStreams ?? []) s.serverMuted = true;
		}
		this.table.notify.roster(call);
		return this.operations.completed(call, 'muteParticipantsOperation', body.clientContext);
	}

	remove(call: CallRecord, participantId: string): void {
		this.table.actions++;
		const p = this.get(call, participantId);
		if (p.id === call.botParticipantId) throw badRequest('To leave the call, DELETE the call itself rather than the bot\'s participant.');
		this.roster.drop(call, p.id);
	}

	holdMusic(call: CallRecord, participantId: string, body: RequestBody, start: boolean): EmulatedOperation {
		this.table.actions++;
		this.table.requireState(call, ['established'], start ? 'startHoldMusic' : 'stopHoldMusic');
		const p = this.get(call, participantId);
		if (body.customPrompt !== undefined && !at(body.customPrompt, 'mediaInfo', 'uri')) throw badRequest('customPrompt needs mediaInfo.uri.');
		const op = this.operations.start(call, start ? 'startHoldMusicOperation' : 'stopHoldMusicOperation', body.clientContext);
		const timings = this.table.timings;
		this.table.after(call, Math.min(timings.operationMs, timings.establishMs), () => {
			for (const s of p.mediaStreams ?? []) s.direction = start ? 'inactive' : 'sendReceive';
			p.isOnHold = start;
			this.table.notify.roster(call);
			this.operations.finish(call, op, 'completed', RESULT.success);
		}, `op:${op.id}`);
		return publicOperation(op);
	}

	/** A directory user (or an anonymous guest) joins a group call or meeting. */
	join(call: CallRecord, who: { userId?: string; displayName?: string }): EmulatedParticipant {
		this.table.actions++;
		this.table.requireState(call, ['established', 'hold'], 'join');
		const userId = who.userId?.toLowerCase();
		const present = userId && [...call.participants.values()].find((x) => String(x.info.identity.user?.id ?? '').toLowerCase() === userId);
		if (present) throw new GraphHttpError(409, 'AlreadyInCall', `${present.info.identity.user?.displayName ?? who.userId} is already in call ${call.id}${present.isInLobby ? ' (in its lobby)' : ''}.`);
		const p = who.userId ? this.roster.userParticipant(who.userId) : this.roster.guestParticipant(who.displayName ?? 'Guest');
		// Joining a meeting goes through its lobby, as joining by its URL does.
		if (call.meeting) this.lobby.enter(call, call.meeting, p);
		else this.roster.add(call, p, true);
		return p;
	}

	leave(call: CallRecord, participantId: string): void {
		this.table.actions++;
		const p = this.get(call, participantId);
		this.roster.drop(call, p.id);
	}
}
