// CallStore.applyParticipant as "Get Participant" uses it: one fresh participant is upserted into the roster
// without replacing the others, ids match whatever their casing, and a repeat changes nothing.
import * as assert from 'node:assert/strict';
import { CallStore, type CallStoreChange } from '../../src/core/calls/callStore';
import { ManualClock } from '../../src/core/calls/clock';
import type { ParticipantResource } from '../../src/core/schema/types';

const CALL_ID = '5b0c7e10-3d2f-4e8a-9c41-7a6b5d4c3e2f';

function participant(id: string, name: string, extra: Partial<ParticipantResource> = {}): ParticipantResource {
	return { id, info: { identity: { user: { id: `user-${id}`, displayName: name } } }, isMuted: false, isInLobby: false, ...extra };
}

describe('CallStore.applyParticipant (one participant from a GET)', () => {
	let clock: ManualClock;
	let store: CallStore;
	let changes: CallStoreChange[];

	beforeEach(() => {
		clock = new ManualClock();
		store = new CallStore({ clock });
		store.applyCall({ id: CALL_ID, state: 'established' });
		changes = [];
		store.onDidChange((e) => changes.push(e));
	});
	afterEach(() => store.dispose());

	it('updates one participant in place and keeps the rest of the roster and its order', () => {
		store.applyParticipants(CALL_ID, [participant('p1', 'Adele'), participant('p2', 'Alex'), participant('p3', 'Megan')]);
		const before = store.get(CALL_ID)!.rosterVersion;
		changes = [];
		clock.advance(1000);

		assert.equal(store.applyParticipant(CALL_ID, participant('p2', 'Alex', { isMuted: true, isInLobby: true })), true);
		const entry = store.get(CALL_ID)!;
		assert.deepEqual([...entry.participants.values()].map((p) => p.id), ['p1', 'p2', 'p3']);
		assert.equal(entry.participants.get('p2')!.isMuted, true);
		assert.equal(entry.participants.get('p2')!.isInLobby, true);
		assert.equal(entry.participants.get('p1')!.isMuted, false, 'the others are untouched');
		assert.equal(entry.rosterVersion, before + 1, 'views see a new roster version');
		assert.equal(entry.updatedAt, clock.now());
		assert.deepEqual(changes.map((c) => [c.callId, c.kind, c.call, c.participants, c.operations]), [[CALL_ID, 'updated', false, true, false]]);
	});

	it('adds a participant the roster did not have yet, at the end', () => {
		store.applyParticipants(CALL_ID, [participant('p1', 'Adele')]);
		changes = [];
		assert.equal(store.applyParticipant(CALL_ID, participant('p9', 'Lidia')), true);
		assert.deepEqual([...store.get(CALL_ID)!.participants.values()].map((p) => p.id), ['p1', 'p9']);
		assert.equal(changes.length, 1);
	});

	it('matches the participant id whatever its casing and dashes, keeping the first-seen spelling', () => {
		const id = 'a1b2c3d4-0000-4000-8000-00000000abcd';
		store.applyParticipants(CALL_ID, [participant(id, 'Adele')]);
		store.applyParticipant(CALL_ID, participant(id.toUpperCase().replace(/-/g, ''), 'Adele', { isMuted: true }));
		const roster = [...store.get(CALL_ID)!.participants.values()];
		assert.equal(roster.length, 1, 'no duplicate for the other spelling');
		assert.equal(roster[0].id, id);
		assert.equal(roster[0].isMuted, true);
	});

	it('returns false and fires nothing when the fetched participant is what the store already shows', () => {
		store.applyParticipants(CALL_ID, [participant('p1', 'Adele', { isMuted: true })]);
		const version = store.get(CALL_ID)!.rosterVersion;
		changes = [];
		assert.equal(store.applyParticipant(CALL_ID, participant('p1', 'Adele', { isMuted: true })), false);
		assert.equal(store.get(CALL_ID)!.rosterVersion, version);
		assert.deepEqual(changes, []);
	});

	it('ignores a body without an id (nothing to key it by)', () => {
		assert.equal(store.applyParticipant(CALL_ID, { isMuted: true } as unknown as ParticipantResource), false);
		assert.equal(store.get(CALL_ID)!.participants.size, 0);
		assert.deepEqual(changes, []);
	});

	it('removeParticipants then drops a participant that is gone, and only that one', () => {
		store.applyParticipants(CALL_ID, [participant('p1', 'Adele'), participant('p2', 'Guest')]);
		changes = [];
		assert.equal(store.removeParticipants(CALL_ID, ['P2']), true);
		assert.deepEqual([...store.get(CALL_ID)!.participants.values()].map((p) => p.id), ['p1']);
		assert.equal(store.get(CALL_ID)!.ended, false, 'the call itself stays active');
		assert.equal(changes.length, 1);
	});
});
