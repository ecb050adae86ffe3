import { randomUUID } from 'node:crypto';
import type { ResultInfo } from '../schema/types';
import { isPeerToPeer, type CallRecord, type EmulatedIdentitySet, type EmulatedParticipant } from './callModel';
import type { CallTable } from './callTable';
import { EMULATOR_TENANT, type Behaviour } from './directory';
import { badRequest } from './http';
import { at } from './requestChecks';
import { RESULT } from './resultCodes';
import type { RingingPeople, RingReason } from './ringing';

/** How a directory entry reacts when rung. */
export interface TargetBehaviour {
	behaviour: Behaviour;
	answerAfterMs?: number;
}

/**
 * The people on the other side: who a target is in the directory, how they react when rung, and the participants
 * that stand for them (and for the bot) in a call's roster.
 */
export class Roster {
	constructor(private readonly table: CallTable, readonly ringing: RingingPeople) {}

	/** Finds who a target is in the directory; unknown people are `offline` (no endpoints), like the service. */
	resolveTarget(target: unknown, allowPhone: boolean): TargetBehaviour {
		const identity = at(target, 'identity');
		if (!identity || typeof identity !== 'object') throw badRequest('Each target needs identity: { user: { id } } or { phone: { id } } (an invitationParticipantInfo).');
		const { user, phone, application, applicationInstance } = identity as Record<string, unknown>;
		const directory = this.table.directory;
		if (user) {
			const id = at(user, 'id');
			if (typeof id !== 'string' || !id) throw badRequest('identity.user.id is required (the Entra object id of the user).');
			return directory.users.find((u) => u.id.toLowerCase() === id.toLowerCase()) ?? { behaviour: 'offline' };
		}
		if (phone) {
			if (!allowPhone) throw badRequest('This action cannot target a phone number.');
			const id = at(phone, 'id');
			if (typeof id !== 'string' || !/^\+[1-9]\d{6,14}$/.test(id)) throw badRequest(`identity.phone.id must be an E.164 number such as +14255550101, not "${String(id)}".`);
			return directory.phones.find((p) => p.id === id) ?? { behaviour: 'offline' };
		}
		if (application || applicationInstance) return { behaviour: 'answers', answerAfterMs: this.table.timings.establishMs };
		throw badRequest('identity must contain user, phone, application or applicationInstance.');
	}

	/** Rings a target with its behaviour; `done(participantId)` when they join, `done(undefined, result)` when not. */
	ring(call: CallRecord, target: unknown, done: (joined: string | undefined, result?: ResultInfo) => void, reason: RingReason = 'call'): void {
		const entry = this.resolveTarget(target, true);
		const outcome = entry.behaviour;
		const timings = this.table.timings;
		if (outcome === 'manual') {
			this.awaitPerson(call, target, reason, () => {
				const p = this.participantFromIdentity(at(target, 'identity') as EmulatedIdentitySet);
				this.add(call, p, false);
				done(p.id);
			}, (result) => done(undefined, result));
			return;
		}
		const delay = outcome === 'answers' ? entry.answerAfterMs ?? timings.defaultAnswerAfterMs : outcome === 'neverAnswers' ? timings.ringTimeoutMs : outcome === 'declines' ? timings.establishMs * 2 : timings.establishMs;
		this.table.after(call, delay, () => {
			if (outcome === 'answers') {
				// resolveTarget checked the identity; it joins as the client named it.
				const p = this.participantFromIdentity(at(target, 'identity') as EmulatedIdentitySet);
				this.add(call, p, false);
				done(p.id);
			} else {
				done(undefined, resultFor(outcome));
			}
		});
	}

	/**
	 * A `manual` person's phone rings until they answer or decline through the control API; after the ring timeout
	 * it ends as unanswered (the result a `neverAnswers` person gives).
	 */
	awaitPerson(call: CallRecord, target: unknown, reason: RingReason, answered: () => void, notAnswered: (result: ResultInfo) => void): void {
		const identity = at(target, 'identity') as EmulatedIdentitySet;
		const personId = identity.user ? String(identity.user.id).toLowerCase() : String(identity.phone?.id ?? '');
		const ring = this.ringing.add({
			personId, call, reason, since: this.table.now(),
			answer: () => answered(),
			decline: () => notAnswered(RESULT.declined),
		});
		this.table.after(call, this.table.timings.ringTimeoutMs, () => {
			if (this.ringing.remove(ring)) notAnswered(RESULT.noAnswer);
		});
	}

	/** The identity of someone from the directory who calls the bot. */
	callerIdentity(from: { userId?: string; phone?: string }): EmulatedIdentitySet {
		const directory = this.table.directory;
		if (from.userId) {
			const u = directory.users.find((x) => x.id.toLowerCase() === from.userId!.toLowerCase());
			if (!u) throw badRequest(`No user ${from.userId} in the directory: GET /_emulator/directory lists them.`);
			return { user: { id: u.id, displayName: u.displayName, tenantId: EMULATOR_TENANT.tenantId } };
		}
		if (from.phone) {
			const p = directory.phones.find((x) => x.id === from.phone);
			return { phone: { id: from.phone, displayName: p?.displayName } };
		}
		throw badRequest('Say who calls: { "from": { "userId": "..." } } or { "from": { "phone": "+1..." } }.');
	}

	participantFromIdentity(identity: EmulatedIdentitySet): EmulatedParticipant {
		if (identity.user) return this.userParticipant(identity.user.id as string);
		return makeParticipant({ ...identity });
	}

	userParticipant(userId: string): EmulatedParticipant {
		const u = this.table.directory.users.find((x) => x.id.toLowerCase() === userId.toLowerCase());
		return makeParticipant({ user: { id: u?.id ?? userId, displayName: u?.displayName ?? null, tenantId: EMULATOR_TENANT.tenantId } });
	}

	guestParticipant(displayName: string): EmulatedParticipant {
		return makeParticipant({ guest: { id: randomUUID(), displayName } });
	}

	botParticipant(call: CallRecord): EmulatedParticipant {
		const p = makeParticipant({ application: { id: call.appId, displayName: EMULATOR_TENANT.botDisplayName } });
		p.id = call.botParticipantId;
		return p;
	}

	add(call: CallRecord, p: EmulatedParticipant, notify: boolean): void {
		call.participants.set(p.id, p);
		if (notify) this.table.notify.roster(call);
	}

	/** Someone leaves; in a 1:1 call the remote party leaving ends the call. */
	drop(call: CallRecord, participantId: string): void {
		call.participants.delete(participantId);
		if (call.peerParticipantId === participantId && isPeerToPeer(call)) {
			this.table.terminate(call, peerHungUpResult(call), true);
			return;
		}
		this.table.notify.roster(call);
	}
}

function makeParticipant(identity: EmulatedIdentitySet): EmulatedParticipant {
	return {
		'@odata.type': '#microsoft.graph.participant',
		id: randomUUID(),
		info: { '@odata.type': '#microsoft.graph.participantInfo', identity, endpointType: 'default', languageId: 'en-US' },
		isMuted: false,
		isInLobby: false,
		mediaStreams: [{ '@odata.type': '#microsoft.graph.mediaStream', mediaType: 'audio', sourceId: String(1 + Math.floor(Math.random() * 1e6)), direction: 'sendReceive', serverMuted: false }],
	};
}

/** How a call that was not answered ends. */
export function resultFor(outcome: Behaviour): ResultInfo {
	switch (outcome) {
		case 'busy': return RESULT.busy;
		case 'declines': return RESULT.declined;
		case 'neverAnswers': return RESULT.noAnswer;
		default: return RESULT.noEndpoints;
	}
}

/** How a 1:1 call ends when the other person hangs up: a phone caller or callee with the PSTN code, anyone else 4521. */
export function peerHungUpResult(call: CallRecord): ResultInfo {
	const peerIsPhone = call.kind === 'phone' || (call.kind === 'incoming' && !!at(call.resource.source, 'identity', 'phone'));
	return peerIsPhone ? RESULT.pstnHungUp : RESULT.peerHungUp;
}
