import * as assert from 'node:assert/strict';
import { CallPoller, nextPollDelay, type PollingPolicy } from '../../src/core/calls/callPoller';
import { CallStore } from '../../src/core/calls/callStore';
import { ManualClock } from '../../src/core/calls/clock';
import type { CallResource, ParticipantResource } from '../../src/core/schema/types';

const policy: PollingPolicy = { quietMs: 10_000, initialDelayMs: 5_000, maxDelayMs: 40_000, factor: 2 };
const settle = () => new Promise<void>((r) => setImmediate(r));

describe('CallPoller', () => {
	let clock: ManualClock;
	let store: CallStore;
	let polls: { callId: string; at: number }[];
	/** What the fake Graph answers for each call; undefined means 404. */
	let server: Map<string, CallResource | undefined>;
	let roster: ParticipantResource[];
	let poller: CallPoller;
	let failures: string[];

	/** Advances in small steps so each poll's awaited fetch settles before the next timer. */
	async function advance(ms: number, step = 1_000) {
		for (let t = 0; t < ms; t += step) {
			clock.advance(Math.min(step, ms - t));
			await settle();
		}
	}

	beforeEach(() => {
		clock = new ManualClock();
		store = new CallStore({ clock });
		polls = [];
		server = new Map();
		roster = [];
		failures = [];
		poller = new CallPoller(
			store,
			{
				fetchCall: async (callId) => {
					polls.push({ callId, at: clock.now() });
					if (callId === 'broken') throw new Error('connect ECONNREFUSED 127.0.0.1:1');
					return server.has(callId) ? server.get(callId) : undefined;
				},
				fetchParticipants: async () => roster,
			},
			{ clock, policy },
		);
		poller.onDidFail((f) => failures.push(f.message));
	});
	afterEach(() => {
		poller.dispose();
		store.dispose();
	});

	it('backs off while nothing changes and resets when a poll sees a change', async () => {
		server.set('c1', { id: 'c1', state: 'establishing' });
		store.applyCall({ id: 'c1', state: 'establishing' });
		const t0 = clock.now();
		await advance(60_000);
		// First poll after the quiet period, then +5 s (same state: delay doubles to 10, 20, 40 s).
		assert.deepEqual(polls.map((p) => (p.at - t0) / 1000), [10, 20, 40]);
		server.set('c1', { id: 'c1', state: 'established' });
		polls.length = 0;
		await advance(60_000);
		assert.equal(store.get('c1')?.call.state, 'established');
		// Poll at 80 s sees the change, so the next is 5 s later, then 10 s, then 20 s.
		assert.deepEqual(polls.map((p) => (p.at - t0) / 1000), [80, 85, 95, 115]);
		assert.equal(nextPollDelay(40_000, false, policy), 40_000, 'capped');
	});

	it('does not poll while notifications keep arriving', async () => {
		server.set('c1', { id: 'c1', state: 'established' });
		store.applyCall({ id: 'c1', state: 'established' });
		for (let i = 0; i < 6; i++) {
			await advance(5_000);
			store.applyNotification({ changeType: 'updated', resourceUrl: '/communications/calls/c1/participants', resourceData: [{ id: `p${i}` }] });
		}
		assert.equal(polls.length, 0);
		await advance(11_000);
		assert.equal(polls.length, 1, 'polls once notifications stop');
	});

	it('stops polling a call once it ends, and marks a 404 call ended', async () => {
		server.set('gone', undefined);
		store.applyCall({ id: 'gone', state: 'established' });
		await advance(12_000);
		const e = store.get('gone')!;
		assert.equal(e.ended, true);
		assert.match(e.call.resultInfo?.message ?? '', /404/);
		await advance(120_000);
		assert.equal(polls.length, 1);
		assert.equal(clock.pending, 0);
	});

	it('fills the roster from the participants list', async () => {
		server.set('c1', { id: 'c1', state: 'established' });
		roster = [{ id: 'p1', isMuted: true }];
		store.applyCall({ id: 'c1', state: 'established' });
		await advance(11_000);
		assert.equal(store.get('c1')?.participants.get('p1')?.isMuted, true);
	});

	it('manual refresh polls every live call now and reports failures with next steps', async () => {
		server.set('a', { id: 'a', state: 'established' });
		store.applyCall({ id: 'a', state: 'establishing' });
		store.applyCall({ id: 'done', state: 'terminated' });
		await poller.refresh();
		assert.deepEqual(polls.map((p) => p.callId), ['a']);
		assert.equal(store.get('a')?.call.state, 'established');
		store.track('broken');
		await assert.rejects(poller.refresh('broken'), /Refreshing call broken failed: connect ECONNREFUSED.*Retrying in/);
		assert.equal(failures.length, 1);
	});

	it('waits a quiet period after a Graph client arrives before polling calls restored from a previous session', async () => {
		poller.setFetcher(undefined);
		server.set('old', { id: 'old', state: 'established' });
		store.applyCall({ id: 'old', state: 'established' });
		await advance(60_000);
		const { fetchCall } = { fetchCall: async (id: string) => { polls.push({ callId: id, at: clock.now() }); return server.get(id); } };
		const since = clock.now();
		poller.setFetcher({ fetchCall });
		await advance(9_000);
		assert.equal(polls.length, 0);
		await advance(2_000);
		assert.deepEqual(polls.map((p) => (p.at - since) / 1000), [10]);
	});

	it('polls nothing without a Graph client, and says so on manual refresh', async () => {
		poller.setFetcher(undefined);
		store.applyCall({ id: 'c1', state: 'established' });
		await advance(30_000);
		assert.equal(polls.length, 0);
		await assert.rejects(poller.refresh(), /No Graph client for the active profile/);
	});
});
