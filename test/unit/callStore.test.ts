import * as assert from 'node:assert/strict';
import { CallStore, type CallStoreChange, type CallStoreStorage } from '../../src/core/calls/callStore';
import { ManualClock } from '../../src/core/calls/clock';
import { callStateRank, idKey, parseResourceUrl } from '../../src/core/calls/mergeRules';
import { explainResultInfo } from '../../src/core/calls/resultInfoText';
import type { CommsNotification, ParticipantResource } from '../../src/core/schema/types';

const CALL_ID = '421f0b00-72a5-4c2a-9d9c-1e3c5f0a1b2c';
/** The same id the way some resourceUrls spell it. */
const CALL_ID_UPPER = '421F0B0072A54C2A9D9C1E3C5F0A1B2C';

function callNotification(state: string, extra: Record<string, unknown> = {}, id = CALL_ID): CommsNotification {
	return {
		'@odata.type': '#microsoft.graph.commsNotification',
		changeType: state === 'incoming' ? 'created' : 'updated',
		resourceUrl: `/communications/calls/${id}`,
		resourceData: { '@odata.type': '#microsoft.graph.call', id, state, ...extra },
	};
}

function participant(id: string, name: string, extra: Partial<ParticipantResource> = {}): ParticipantResource {
	return { id, info: { identity: { user: { id: `user-${id}`, displayName: name } } }, isMuted: false, isInLobby: false, ...extra };
}

class MemoryStorage implements CallStoreStorage {
	readonly data = new Map<string, unknown>();
	writes = 0;
	get<T>(key: string): T | undefined {
		// A real Memento hands back a deserialised copy: do the same so nothing is shared by reference.
		const v = this.data.get(key);
		return v === undefined ? undefined : (JSON.parse(JSON.stringify(v)) as T);
	}
	async update(key: string, value: unknown): Promise<void> {
		this.writes++;
		this.data.set(key, JSON.parse(JSON.stringify(value)));
	}
}

describe('CallStore merge rules', () => {
	let clock: ManualClock;
	let store: CallStore;
	let changes: CallStoreChange[];

	beforeEach(() => {
		clock = new ManualClock();
		store = new CallStore({ clock });
		changes = [];
		store.onDidChange((e) => changes.push(e));
	});
	afterEach(() => store.dispose());

	it('keeps a call established when a late establishing arrives after established', () => {
		store.applyNotification(callNotification('established'));
		clock.advance(100);
		const changed = store.applyNotification(callNotification('establishing'));
		assert.equal(changed, false, 'a stale event that repeats known fields is not a change');
		assert.equal(store.get(CALL_ID)?.call.state, 'established');
		assert.deepEqual(store.get(CALL_ID)?.stateHistory.map((h) => h.state), ['established']);
	});

	it('lets a stale event fill in fields that were still unknown, without undoing the state', () => {
		store.applyNotification(callNotification('established'));
		store.applyNotification(callNotification('establishing', { subject: 'Daily standup' }));
		const call = store.get(CALL_ID)!.call;
		assert.equal(call.state, 'established');
		assert.equal(call.subject, 'Daily standup');
	});

	it('never brings a terminated call back to life', () => {
		store.applyNotification(callNotification('established'));
		store.applyNotification(callNotification('terminated', { resultInfo: { code: 200, subcode: 5001 } }));
		store.applyNotification(callNotification('established'));
		store.applyCall({ id: CALL_ID, state: 'hold' }, 'poll');
		const entry = store.get(CALL_ID)!;
		assert.equal(entry.call.state, 'terminated');
		assert.equal(entry.ended, true);
		assert.deepEqual(entry.stateHistory.map((h) => h.state), ['established', 'terminated']);
	});

	it('moves freely between in-call states (hold and back)', () => {
		for (const s of ['establishing', 'established', 'hold', 'established']) store.applyNotification(callNotification(s));
		assert.deepEqual(store.get(CALL_ID)?.stateHistory.map((h) => h.state), ['establishing', 'established', 'hold', 'established']);
	});

	it('ignores duplicates: no change event for an identical notification', () => {
		store.applyNotification(callNotification('established'));
		const before = changes.length;
		assert.equal(store.applyNotification(callNotification('established')), false);
		assert.equal(changes.length, before);
	});

	it('matches ids case-insensitively and without dashes, keeping the first spelling', () => {
		store.applyCall({ id: CALL_ID, state: 'establishing', direction: 'outgoing' });
		store.applyNotification(callNotification('established', {}, CALL_ID_UPPER));
		assert.equal(store.list().length, 1);
		const entry = store.get(CALL_ID_UPPER)!;
		assert.equal(entry.callId, CALL_ID);
		assert.equal(entry.call.id, CALL_ID);
		assert.equal(entry.call.state, 'established');
		assert.equal(entry.origin, 'created');
	});

	it('accepts ids that are not GUIDs at all', () => {
		store.applyNotification(callNotification('incoming', {}, '08001f80-emulator-call-7'));
		assert.equal(store.get('08001F80EMULATORCALL7')?.call.state, 'incoming');
	});

	it('records when the call was established and when it ended, for the duration', () => {
		store.applyCall({ id: CALL_ID, state: 'establishing' });
		clock.advance(2_000);
		store.applyNotification(callNotification('established'));
		clock.advance(60_000);
		store.applyNotification({ changeType: 'deleted', resourceUrl: `/communications/calls/${CALL_ID}`, resourceData: { id: CALL_ID, state: 'terminated', resultInfo: { code: 408, subcode: 8537 } } });
		const e = store.get(CALL_ID)!;
		assert.equal(e.endedAt! - e.establishedAt!, 60_000);
		assert.equal(explainResultInfo(e.call.resultInfo), '408/8537: keepAlive not sent in time');
	});

	it('treats a deleted call notification without a body as the call ending', () => {
		store.applyNotification(callNotification('established'));
		store.applyNotification({ changeType: 'deleted', resourceUrl: `/communications/calls/${CALL_ID_UPPER}` });
		assert.equal(store.get(CALL_ID)?.call.state, 'terminated');
		assert.equal(store.activeCount, 0);
	});

	it('replaces the roster with each participants array and reports only a roster change', () => {
		store.applyNotification(callNotification('established'));
		changes.length = 0;
		const url = `/communications/calls/${CALL_ID}/participants`;
		store.applyNotification({ changeType: 'updated', resourceUrl: url, resourceData: [participant('p1', 'Adele'), participant('p2', 'Alex')] });
		assert.deepEqual([...store.get(CALL_ID)!.participants.values()].map((p) => p.id), ['p1', 'p2']);
		assert.deepEqual(changes.map((c) => [c.kind, c.call, c.participants]), [['updated', false, true]]);
		// Alex leaves, Megan joins, Adele mutes: the full roster replaces the old one.
		store.applyNotification({ changeType: 'updated', resourceUrl: url, resourceData: [participant('p1', 'Adele', { isMuted: true }), participant('p3', 'Megan')] });
		const roster = store.get(CALL_ID)!.participants;
		assert.deepEqual([...roster.values()].map((p) => p.id), ['p1', 'p3']);
		assert.equal(roster.get('p1')?.isMuted, true);
		const version = store.get(CALL_ID)!.rosterVersion;
		// The same roster again is a duplicate.
		assert.equal(store.applyNotification({ changeType: 'updated', resourceUrl: url, resourceData: [participant('p1', 'Adele', { isMuted: true }), participant('p3', 'Megan')] }), false);
		assert.equal(store.get(CALL_ID)!.rosterVersion, version);
	});

	it('removes participants named in a deleted roster notification', () => {
		store.applyParticipants(CALL_ID, [participant('p1', 'Adele'), participant('P2', 'Alex')]);
		store.applyNotification({ changeType: 'deleted', resourceUrl: `/communications/calls/${CALL_ID}/participants`, resourceData: [participant('p2', 'Alex')] });
		assert.deepEqual([...store.get(CALL_ID)!.participants.values()].map((p) => p.id), ['p1']);
	});

	it('updates a single participant from /participants/{id}', () => {
		store.applyParticipants(CALL_ID, [participant('p1', 'Adele')]);
		store.applyNotification({ changeType: 'updated', resourceUrl: `/communications/calls/${CALL_ID}/participants/p1`, resourceData: { isMuted: true } });
		const p = store.get(CALL_ID)!.participants.get('p1')!;
		assert.equal(p.isMuted, true);
		assert.equal(participantNameOf(p), 'Adele', 'fields not in the update are kept');
	});

	it('completes an operation announced as deleted, and never sets it back to running', () => {
		store.applyCall({ id: CALL_ID, state: 'established' });
		store.applyOperation(CALL_ID, { id: 'op-1', '@odata.type': '#microsoft.graph.playPromptOperation', status: 'running' as never, clientContext: 'ctx-1' });
		assert.equal(store.get(CALL_ID)!.operations.get('op1')?.finished, false);
		store.applyNotification({
			changeType: 'deleted',
			resourceUrl: `/communications/calls/${CALL_ID_UPPER}/operations/OP-1`,
			resourceData: { '@odata.type': '#microsoft.graph.playPromptOperation', status: 'completed', resultInfo: { code: 200, subcode: 8500 } },
		});
		// A late "running" for the same operation.
		store.applyNotification({ changeType: 'updated', resourceUrl: `/communications/calls/${CALL_ID}/operations/op-1`, resourceData: { status: 'running' } });
		const op = store.get(CALL_ID)!.operations.get(idKey('op-1'))!;
		assert.equal(op.finished, true);
		assert.equal(op.operation.status, 'completed');
		assert.equal(op.operation.id, 'op-1');
		assert.equal(op.operation.clientContext, 'ctx-1');
		assert.equal(store.get(CALL_ID)!.operations.size, 1);
	});

	it('marks an operation finished when its deleted notification carries no status', () => {
		store.applyOperation(CALL_ID, { id: 'op-2', status: 'running' as never });
		store.applyNotification({ changeType: 'deleted', resourceUrl: `/communications/calls/${CALL_ID}/operations/op-2` });
		assert.equal(store.get(CALL_ID)!.operations.get('op2')?.finished, true);
	});

	it('finishes running operations when the call ends', () => {
		store.applyCall({ id: CALL_ID, state: 'established' });
		store.applyOperation(CALL_ID, { id: 'op-3', status: 'running' as never });
		store.applyEnded(CALL_ID, { code: 200, subcode: 7000 });
		assert.equal(store.get(CALL_ID)!.operations.get('op3')?.finished, true);
	});

	it('keeps at most the configured number of operations, dropping the oldest finished', () => {
		const small = new CallStore({ clock, maxOperationsPerCall: 3 });
		for (let i = 0; i < 5; i++) small.applyOperation(CALL_ID, { id: `op-${i}`, status: 'completed' as never });
		small.applyOperation(CALL_ID, { id: 'running', status: 'running' as never });
		assert.deepEqual([...small.get(CALL_ID)!.operations.values()].map((o) => o.operation.id), ['op-3', 'op-4', 'running']);
		small.dispose();
	});

	it('learns about a call from any notification about it, even a roster update first', () => {
		store.applyNotification({ changeType: 'updated', resourceUrl: `/communications/calls/${CALL_ID}/participants`, resourceData: [participant('p1', 'Adele')] });
		const e = store.get(CALL_ID)!;
		assert.equal(e.origin, 'notification');
		assert.equal(e.participants.size, 1);
		assert.equal(changes[0].kind, 'added');
	});

	it('ignores notifications that name no call', () => {
		assert.equal(store.applyNotification({ changeType: 'updated', resourceUrl: '/communications/onlineMeetings/abc', resourceData: {} }), false);
		assert.equal(store.list().length, 0);
	});

	it('gives the same final state whatever order a realistic sequence arrives in', () => {
		const events: CommsNotification[] = [
			callNotification('incoming'),
			callNotification('establishing'),
			callNotification('established'),
			{ changeType: 'updated', resourceUrl: `/communications/calls/${CALL_ID}/participants`, resourceData: [participant('p1', 'Adele')] },
			{ changeType: 'deleted', resourceUrl: `/communications/calls/${CALL_ID}/operations/op-9`, resourceData: { status: 'completed' } },
			callNotification('terminated', { resultInfo: { code: 200, subcode: 5001 } }),
		];
		const finals = new Set<string>();
		// Every rotation plus the reverse order and a duplicated run.
		const orders = [...events.map((_, i) => [...events.slice(i), ...events.slice(0, i)]), [...events].reverse(), [...events, ...events]];
		for (const order of orders) {
			const s = new CallStore({ clock });
			for (const n of order) s.applyNotification(n);
			const e = s.get(CALL_ID)!;
			finals.add(JSON.stringify([e.call.state, e.ended, e.operations.get('op9')?.finished]));
			s.dispose();
		}
		assert.deepEqual([...finals], [JSON.stringify(['terminated', true, true])]);
	});

	it('track, forget and clearEnded change the list and fire removal events', () => {
		store.track(` ${CALL_ID} `);
		assert.equal(store.get(CALL_ID)?.origin, 'tracked');
		assert.throws(() => store.track('  '), /call id is needed/);
		store.applyCall({ id: 'other-call', state: 'established' });
		store.applyEnded(CALL_ID, { code: 200, subcode: 7000 });
		changes.length = 0;
		assert.equal(store.clearEnded(), 1);
		assert.deepEqual(changes.map((c) => [c.kind, c.callId]), [['removed', CALL_ID]]);
		assert.equal(store.forget('OTHER-CALL'), true);
		assert.equal(store.forget('OTHER-CALL'), false);
		assert.equal(store.list().length, 0);
	});

	it('lists newest first and counts only calls that have not ended', () => {
		store.applyCall({ id: 'a', state: 'established' });
		clock.advance(10);
		store.applyCall({ id: 'b', state: 'established' });
		clock.advance(10);
		store.applyCall({ id: 'c', state: 'terminated' });
		assert.deepEqual(store.list().map((e) => e.callId), ['c', 'b', 'a']);
		assert.equal(store.activeCount, 2);
	});
});

describe('CallStore persistence', () => {
	it('keeps tracked and ended calls across a reload, per profile', async () => {
		const storage = new MemoryStorage();
		const clock = new ManualClock();
		const first = new CallStore({ storage, clock });
		first.setProfile('emulator');
		first.track(CALL_ID);
		first.applyCall({ id: 'ended-call', state: 'terminated', resultInfo: { code: 408, subcode: 8537 } });
		first.applyParticipants(CALL_ID, [participant('p1', 'Adele')]);
		await first.flush();
		first.dispose();

		const reloaded = new CallStore({ storage, clock });
		reloaded.setProfile('emulator');
		assert.deepEqual(reloaded.list().map((e) => e.callId).sort(), [CALL_ID, 'ended-call'].sort());
		assert.equal(reloaded.get(CALL_ID)?.origin, 'tracked');
		assert.equal(reloaded.get('ended-call')?.ended, true);
		assert.equal(explainResultInfo(reloaded.get('ended-call')?.call.resultInfo), '408/8537: keepAlive not sent in time');
		assert.equal(reloaded.get(CALL_ID)?.participants.size, 0, 'rosters are not persisted: the next poll fills them');

		reloaded.setProfile('contoso');
		assert.equal(reloaded.list().length, 0, 'another profile has its own calls');
		reloaded.track('contoso-call');
		await reloaded.flush();
		reloaded.setProfile('emulator');
		assert.equal(reloaded.list().length, 2);
		assert.equal(reloaded.get('contoso-call'), undefined);
		reloaded.dispose();
	});

	it('forgetting a call removes it from storage', async () => {
		const storage = new MemoryStorage();
		const store = new CallStore({ storage });
		store.setProfile('p');
		store.track('x');
		store.forget('x');
		await store.flush();
		const again = new CallStore({ storage });
		again.setProfile('p');
		assert.equal(again.list().length, 0);
	});

	it('does not write storage for roster-only changes', async () => {
		const storage = new MemoryStorage();
		const store = new CallStore({ storage });
		store.setProfile('p');
		store.applyCall({ id: 'x', state: 'established' });
		await store.flush();
		const writes = storage.writes;
		for (let i = 0; i < 20; i++) store.applyParticipants('x', [participant('p1', 'Adele', { isMuted: i % 2 === 0 })]);
		await store.flush();
		assert.equal(storage.writes, writes);
	});

	it('coalesces a burst of changes into few writes that end with the latest state', async () => {
		const storage = new MemoryStorage();
		const store = new CallStore({ storage });
		store.setProfile('p');
		for (let i = 0; i < 50; i++) store.applyCall({ id: `call-${i}`, state: 'establishing' });
		store.applyCall({ id: 'call-49', state: 'established' });
		await store.flush();
		assert.ok(storage.writes <= 2, `${storage.writes} writes for 51 changes`);
		const saved = storage.get<{ calls: { callId: string; call: { state: string } }[] }>('graphCalls.calls.p')!;
		assert.equal(saved.calls.length, 50);
		assert.equal(saved.calls.find((c) => c.callId === 'call-49')?.call.state, 'established');
	});

	it('a write queued before a profile switch saves the old profile\'s calls under the old profile', async () => {
		const storage = new MemoryStorage();
		const store = new CallStore({ storage });
		store.setProfile('a');
		store.track('a-call');
		store.setProfile('b');
		store.track('b-call');
		await store.flush();
		assert.deepEqual(storage.get<{ calls: { callId: string }[] }>('graphCalls.calls.a')!.calls.map((c) => c.callId), ['a-call']);
		assert.deepEqual(storage.get<{ calls: { callId: string }[] }>('graphCalls.calls.b')!.calls.map((c) => c.callId), ['b-call']);
	});

	it('reports a failed save with what to do next', async () => {
		const store = new CallStore({ storage: { get: () => undefined, update: () => Promise.reject(new Error('disk full')) } });
		const messages: string[] = [];
		store.onDidFailToSave((m) => messages.push(m));
		store.setProfile('p');
		store.track('x');
		await store.flush();
		assert.equal(messages.length, 1);
		assert.match(messages[0], /disk full.*Track them again/);
	});
});

describe('resourceUrl parsing and result explanations', () => {
	it('reads call, participant and operation ids from every resourceUrl shape', () => {
		assert.deepEqual(parseResourceUrl('/communications/calls/ABC'), { kind: 'call', callId: 'ABC' });
		assert.deepEqual(parseResourceUrl('https://graph.microsoft.com/v1.0/communications/calls/abc/participants'), { kind: 'participants', callId: 'abc' });
		assert.deepEqual(parseResourceUrl('/app/calls/abc/participants/p-1'), { kind: 'participant', callId: 'abc', participantId: 'p-1' });
		assert.deepEqual(parseResourceUrl('communications/calls/abc/operations/op'), { kind: 'operation', callId: 'abc', operationId: 'op' });
		assert.equal(parseResourceUrl('/communications/onlineMeetings/x'), undefined);
		assert.equal(parseResourceUrl(undefined), undefined);
	});

	it('ranks states so that in-call states share a rank and terminated is last', () => {
		assert.ok(callStateRank('establishing') < callStateRank('established'));
		assert.equal(callStateRank('hold'), callStateRank('established'));
		assert.ok(callStateRank('terminating') < callStateRank('terminated'));
		assert.equal(callStateRank('someFutureState'), callStateRank('established'));
	});

	it('explains known codes, falls back to the message, then to the code class', () => {
		assert.equal(explainResultInfo({ code: 408, subcode: 8537 }), '408/8537: keepAlive not sent in time');
		assert.match(explainResultInfo({ code: 403, subcode: 7504, message: 'x' })!, /^403\/7504: insufficient enterprise tenant permissions/);
		assert.equal(explainResultInfo({ code: 500, subcode: 9999, message: 'Media platform down' }), '500/9999: Media platform down');
		assert.equal(explainResultInfo({ code: 486, subcode: 1 }), '486/1: busy');
		assert.equal(explainResultInfo(undefined), undefined);
	});
});

function participantNameOf(p: ParticipantResource): string | undefined {
	return (p.info?.identity as { user?: { displayName?: string } } | undefined)?.user?.displayName ?? undefined;
}
