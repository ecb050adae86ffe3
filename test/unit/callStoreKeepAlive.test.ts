import * as assert from 'node:assert/strict';
import { CallStore } from '../../src/core/calls/callStore';
import { ManualClock } from '../../src/core/calls/clock';
import { KeepAliveScheduler, type KeepAliveWarning } from '../../src/core/calls/keepAliveScheduler';

const MIN = 60_000;

/** Lets the scheduler's awaited send() settle after the clock fired it. */
const settle = () => new Promise<void>((r) => setImmediate(r));

describe('KeepAliveScheduler', () => {
	let clock: ManualClock;
	let store: CallStore;
	let sent: { callId: string; at: number }[];
	let failNext: (Error & { status?: number }) | undefined;
	let scheduler: KeepAliveScheduler;
	let warnings: KeepAliveWarning[];

	function make(options: { intervalMs?: number; enabledByDefault?: boolean } = {}) {
		scheduler = new KeepAliveScheduler(store, {
			clock,
			intervalMs: options.intervalMs ?? 15 * MIN,
			enabledByDefault: options.enabledByDefault,
			send: async (callId) => {
				sent.push({ callId, at: clock.now() });
				if (failNext) {
					const err = failNext;
					failNext = undefined;
					throw err;
				}
			},
		});
		scheduler.onDidWarn((w) => warnings.push(w));
	}

	beforeEach(() => {
		clock = new ManualClock();
		store = new CallStore({ clock });
		sent = [];
		failNext = undefined;
		warnings = [];
	});
	afterEach(() => {
		scheduler.dispose();
		store.dispose();
	});

	it('sends every interval from the moment the call is established, and says when the next is due', async () => {
		make();
		store.applyCall({ id: 'c1', state: 'establishing' });
		clock.advance(20 * MIN);
		assert.equal(sent.length, 0, 'nothing before the call is established');
		assert.equal(scheduler.status('c1'), undefined);
		store.applyCall({ id: 'c1', state: 'established' });
		const start = clock.now();
		assert.equal(scheduler.status('c1')?.nextDueAt, start + 15 * MIN);
		assert.equal(scheduler.status('c1')?.deadlineAt, start + 45 * MIN);
		clock.advance(15 * MIN);
		await settle();
		clock.advance(15 * MIN);
		await settle();
		assert.deepEqual(sent.map((s) => s.at - start), [15 * MIN, 30 * MIN]);
		assert.equal(scheduler.status('c1')?.nextDueAt, start + 45 * MIN);
		assert.equal(scheduler.status('c1')?.deadlineAt, start + 75 * MIN);
		assert.equal(warnings.length, 0);
	});

	it('stops when the call is terminated and leaves no timer behind', async () => {
		make();
		store.applyCall({ id: 'c1', state: 'established' });
		clock.advance(15 * MIN);
		await settle();
		store.applyCall({ id: 'c1', state: 'terminated' });
		assert.equal(clock.pending, 0);
		clock.advance(120 * MIN);
		await settle();
		assert.equal(sent.length, 1);
		assert.equal(scheduler.status('c1'), undefined);
	});

	it('warns once before the timeout when keepAlive is off for a call', async () => {
		make();
		store.applyCall({ id: 'c1', state: 'established' });
		scheduler.setEnabled('c1', false);
		assert.equal(scheduler.status('c1')?.nextDueAt, undefined);
		clock.advance(39 * MIN);
		assert.equal(warnings.length, 0);
		clock.advance(1 * MIN);
		assert.equal(warnings.length, 1);
		assert.match(warnings[0].message, /c1 will end with 408\/8537 in about 5 min: automatic keepAlive is off/);
		clock.advance(4 * MIN);
		assert.equal(warnings.length, 1, 'one warning per deadline');
		assert.equal(sent.length, 0);
	});

	it('turning keepAlive back on sends at once when the interval has already passed', async () => {
		make();
		store.applyCall({ id: 'c1', state: 'established' });
		scheduler.setEnabled('c1', false);
		clock.advance(20 * MIN);
		scheduler.setEnabled('c1', true);
		await settle();
		assert.equal(sent.length, 1);
		assert.equal(scheduler.isEnabled('C1'), true);
	});

	it('retries a failed keepAlive after the retry delay and warns when failures approach the deadline', async () => {
		make({ intervalMs: 38 * MIN });
		store.applyCall({ id: 'c1', state: 'established' });
		failNext = Object.assign(new Error('503 Service Unavailable'), { status: 503 });
		clock.advance(38 * MIN);
		await settle();
		assert.equal(scheduler.status('c1')?.lastFailure, '503 Service Unavailable');
		failNext = Object.assign(new Error('503 again'), { status: 503 });
		clock.advance(1 * MIN);
		await settle();
		assert.equal(sent.length, 2);
		clock.advance(1 * MIN);
		assert.equal(warnings.length, 1);
		assert.match(warnings[0].message, /last keepAlive failed \(503 again\)/);
		await settle();
		assert.equal(sent.length, 3, 'third try succeeds');
		assert.equal(scheduler.status('c1')?.lastFailure, undefined);
	});

	it('marks the call ended when keepAlive answers 404', async () => {
		make();
		store.applyCall({ id: 'c1', state: 'established' });
		failNext = Object.assign(new Error('404 Not Found'), { status: 404 });
		clock.advance(15 * MIN);
		await settle();
		const e = store.get('c1')!;
		assert.equal(e.ended, true);
		assert.equal(e.call.resultInfo?.code, 404);
		assert.equal(clock.pending, 0);
	});

	it('a keepAlive sent by hand restarts the clock', async () => {
		make();
		store.applyCall({ id: 'c1', state: 'established' });
		clock.advance(10 * MIN);
		scheduler.noteSent('c1');
		clock.advance(10 * MIN);
		await settle();
		assert.equal(sent.length, 0);
		clock.advance(5 * MIN);
		await settle();
		assert.equal(sent.length, 1);
	});

	it('applies a new interval from the settings to the next keepAlive', async () => {
		make();
		store.applyCall({ id: 'c1', state: 'established' });
		scheduler.setInterval(5 * MIN);
		clock.advance(5 * MIN);
		await settle();
		assert.equal(sent.length, 1);
	});

	it('does not send during activation for a restored call that is overdue, but soon after', async () => {
		store.applyCall({ id: 'c1', state: 'established' });
		clock.advance(30 * MIN);
		make();
		await settle();
		assert.equal(sent.length, 0, 'nothing at once');
		assert.equal(scheduler.status('c1')?.nextDueAt, clock.now() + 5_000);
		clock.advance(5_000);
		await settle();
		assert.equal(sent.length, 1);
	});

	it('honours "off by default" and still lets one call opt in', async () => {
		make({ enabledByDefault: false });
		store.applyCall({ id: 'c1', state: 'established' });
		store.applyCall({ id: 'c2', state: 'established' });
		scheduler.setEnabled('c2', true);
		clock.advance(15 * MIN);
		await settle();
		assert.deepEqual(sent.map((s) => s.callId), ['c2']);
	});
});
