import * as assert from 'node:assert/strict';
import { EMULATOR_PEOPLE, type EmulatorHandle, type ServedRequest } from '../../src/core/emulator';
import * as calls from '../../src/core/graph/calls';
import type { GraphClient } from '../../src/core/graph/graphClient';
import { GraphError } from '../../src/core/graph/graphError';
import { useEmulator, type EmulatorTokenProvider } from './support/emulatorFixture';
import { waitFor } from './support/waitFor';
import type { WebhookReceiver } from './support/webhookReceiver';

/** The client's reliability promises, against faults the emulator injects and counts. */
describe('graph client faults against the emulator', function () {
	this.timeout(30_000);
	const served: ServedRequest[] = [];
	const fx = useEmulator({ emulator: { clockSpeed: 10 }, onStarted: (emu) => emu.emulator.onDidServe((s) => served.push(s)), receiver: true, client: true });
	let emu: EmulatorHandle;
	let client: GraphClient;
	let sink: WebhookReceiver;
	before(() => {
		({ emu, client, receiver: sink } = fx);
	});
	const { lidia } = EMULATOR_PEOPLE;

	beforeEach(() => {
		served.length = 0;
		emu.setFaults({ rules: [], notifications: {}, tokenEndpointDown: false });
		emu.emulator.faults.resetCounters();
	});

	const userCall = () => ({ callbackUri: sink.url, tenantId: emu.tenantId, kind: 'user' as const, userId: lidia.id });

	it('honours Retry-After in seconds on 429: the emulator counts zero early retries', async () => {
		const { body } = await calls.createCall(client, userCall());
		emu.setFaults({ rules: [{ route: 'call.get', status: 429, times: 2, retryAfterSeconds: 1 }], notifications: {}, tokenEndpointDown: false });
		const started = Date.now();
		const r = await calls.getCall(client, body.id);
		assert.equal(r.status, 200);
		assert.equal(r.attempts, 3);
		assert.ok(Date.now() - started >= 2000, 'two waits of at least 1 s each');
		assert.equal(emu.emulator.faults.counters.injected['call.get 429'], 2);
		assert.equal(emu.emulator.faults.counters.earlyRetries, 0);
	});

	it('honours Retry-After given as an HTTP date', async () => {
		const { body } = await calls.createCall(client, userCall());
		emu.setFaults({ rules: [{ route: 'call.get', status: 429, times: 1, retryAfterSeconds: 1, retryAfterAsDate: true }], notifications: {}, tokenEndpointDown: false });
		const r = await calls.getCall(client, body.id);
		assert.equal(r.attempts, 2);
		assert.equal(emu.emulator.faults.counters.earlyRetries, 0);
	});

	it('retries a create answered 503 (not processed) and places exactly one call', async () => {
		const before = emu.emulator.engine.list().length;
		emu.setFaults({ rules: [{ route: 'call.create', status: 503, times: 1, retryAfterSeconds: 1 }], notifications: {}, tokenEndpointDown: false });
		const r = await calls.createCall(client, userCall());
		assert.equal(r.status, 201);
		assert.deepEqual(served.filter((s) => s.action === 'call.create').map((s) => s.status), [503, 201]);
		assert.equal(emu.emulator.engine.list().length, before + 1);
	});

	it('never creates a duplicate call when create times out', async () => {
		const before = emu.emulator.engine.list().length;
		emu.setFaults({ rules: [{ route: 'call.create', latencyMs: 1200 }], notifications: {}, tokenEndpointDown: false });
		const err = await calls.createCall(client, userCall(), { timeoutMs: 300 }).catch((e: unknown) => e);
		assert.ok(err instanceof GraphError, String(err));
		assert.equal(err.kind, 'timeout');
		assert.match(err.explanation, /could place a second call/);
		// The slow create still lands on the emulator: exactly one, never a retry.
		await waitFor('the slow create to be served', () => served.some((s) => s.action === 'call.create'), 5000);
		await new Promise((r) => setTimeout(r, 300));
		assert.equal(served.filter((s) => s.action === 'call.create').length, 1);
		assert.equal(emu.emulator.engine.list().length, before + 1);
	});

	it('cancels mid-request: aborts at once and sends nothing more', async () => {
		const { body } = await calls.createCall(client, userCall());
		emu.setFaults({ rules: [{ route: 'call.get', latencyMs: 2000 }], notifications: {}, tokenEndpointDown: false });
		served.length = 0;
		const ac = new AbortController();
		const started = Date.now();
		setTimeout(() => ac.abort(), 100);
		const err = await calls.getCall(client, body.id, { signal: ac.signal }).catch((e: unknown) => e);
		assert.ok(err instanceof Error);
		assert.equal(err.name, 'AbortError');
		assert.ok(Date.now() - started < 1500, `aborted after ${Date.now() - started} ms`);
		await new Promise((r) => setTimeout(r, 2100));
		assert.ok(served.filter((s) => s.action === 'call.get').length <= 1, 'no retry after cancellation');
	});

	it('after maxAttempts of 503 the error explains throttling with the request ids', async () => {
		const { body } = await calls.createCall(client, userCall());
		emu.setFaults({ rules: [{ route: 'call.get', status: 503, retryAfterSeconds: 0 }], notifications: {}, tokenEndpointDown: false });
		const err = await calls.getCall(client, body.id).catch((e: unknown) => e);
		assert.ok(err instanceof GraphError);
		assert.equal(err.status, 503);
		assert.equal(served.filter((s) => s.action === 'call.get').length, 4);
		assert.match(err.explanation, /temporarily unavailable/);
		assert.ok(err.requestId);
	});
});

describe('graph client token refresh against the emulator', function () {
	this.timeout(20_000);
	// Tokens live 1 s, so a cached token expires during the test and the emulator answers 401.
	const fx = useEmulator({ emulator: { tokenLifetimeSeconds: 1 }, client: true });
	let emu: EmulatorHandle;
	let tokens: EmulatorTokenProvider;
	let client: GraphClient;
	before(() => {
		({ emu, tokens, client } = fx);
	});

	it('refreshes an expired token once after a 401 and succeeds', async () => {
		const first = await client.request({ method: 'GET', path: '/communications/calls/unknown-call', acceptAnyStatus: true });
		assert.equal(first.status, 404, 'the first token works');
		await new Promise((r) => setTimeout(r, 1600));
		tokens.calls.length = 0;
		const served: number[] = [];
		const sub = emu.emulator.onDidServe((s) => {
			if (s.path.startsWith('/v1.0/')) served.push(s.status);
		});
		const second = await client.request({ method: 'GET', path: '/communications/calls/unknown-call', acceptAnyStatus: true });
		sub.dispose();
		assert.equal(second.status, 404);
		assert.deepEqual(served, [401, 404]);
		assert.deepEqual(tokens.calls.map((c) => !!c.forceRefresh), [false, true]);
	});
});
