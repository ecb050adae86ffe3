import { randomUUID } from 'node:crypto';
import type { CallRecord } from './callModel';
import { GraphHttpError } from './http';

/** Why a person's phone rings: the bot calls them, invites them into a call, or transfers a call to them. */
export type RingReason = 'call' | 'invite' | 'transfer';

/** A `manual` person's phone ringing, until they answer or decline (or the ring timeout ends it). */
export interface Ring {
	readonly id: string;
	/** The directory user id (lower case) or the E.164 number. */
	readonly personId: string;
	readonly call: CallRecord;
	readonly reason: RingReason;
	/** Emulated time (ms since the epoch) the ringing started. */
	readonly since: number;
	readonly answer: () => void;
	readonly decline: () => void;
}

/**
 * The rings that wait for a person's decision: what a softphone panel shows as an incoming call with answer and
 * decline, and what a scenario's `answer:`/`decline:` steps settle. A ring belongs to a call and dies with it.
 */
export class RingingPeople {
	private readonly rings = new Map<string, Ring>();

	add(ring: Omit<Ring, 'id'>): Ring {
		const r: Ring = { ...ring, id: randomUUID() };
		this.rings.set(r.id, r);
		return r;
	}

	/** Removes the ring; false when it was already settled (answered, declined, timed out). */
	remove(ring: Ring): boolean {
		return this.rings.delete(ring.id);
	}

	/** The person's rings of calls that are still live, oldest first. */
	forPerson(personId: string, isLive: (call: CallRecord) => boolean): Ring[] {
		const mine: Ring[] = [];
		for (const r of this.rings.values()) {
			if (!isLive(r.call)) this.rings.delete(r.id);
			else if (r.personId === personId) mine.push(r);
		}
		return mine;
	}

	/** Takes the ring the person acts on: the one named, or their only (or oldest) one. */
	take(personId: string, ringId: string | undefined, isLive: (call: CallRecord) => boolean): Ring {
		const mine = this.forPerson(personId, isLive);
		const ring = ringId === undefined ? mine[0] : mine.find((r) => r.id === ringId.toLowerCase());
		if (!ring) {
			throw new GraphHttpError(409, 'NothingRinging', ringId === undefined
				? `Nothing rings for ${personId}: only a person with behaviour "manual" rings until told, while the bot calls, invites or transfers to them.`
				: `No ring ${ringId.slice(0, 64)} for ${personId}: GET /_emulator/people/${encodeURIComponent(personId)} lists what rings.`);
		}
		this.rings.delete(ring.id);
		return ring;
	}

	clear(): void {
		this.rings.clear();
	}
}
