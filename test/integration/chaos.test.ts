// The bounded chaos soak in `npm test`: 1,000 mixed call actions against the emulator with faults on. The longer
// version is `npm run soak` (test/soak/soak.test.ts). Figures go to the console and docs/development.md (Reliability).
import * as assert from 'node:assert/strict';
import { EMULATOR_PEOPLE, type EmulatorHandle } from '../../src/core/emulator';
import * as calls from '../../src/core/graph/calls';
import type { GraphClient } from '../../src/core/graph/graphClient';
import { runChaosSoak, type SoakFigures } from '../soak/chaosSoak';
import { emulatorAgent, graph } from './support/emulatorAuth';
import { useEmulator, type EmulatorTokenProvider } from './support/emulatorFixture';
import type { WebhookReceiver } from './support/webhookReceiver';

describe('chaos soak (bounded)', function () {
	// About 30-60 s on a loaded 2-core machine; the limit only guards against a hang.
	this.timeout(170_000);
	let figures: SoakFigures;

	before(async () => {
		figures = await runChaosSoak({ actions: Number(process.env.GRAPH_CALLS_SOAK_ACTIONS ?? 1000), bots: 20, seed: 11, faultRate: 0.5, log: (l) => console.log(`      ${l}`) });
		console.log(`      chaos soak: ${JSON.stringify(figures)}`);
	});

	it('ends every action succeeded or failed with a clear error', () => {
		assert.equal(figures.actions, Number(process.env.GRAPH_CALLS_SOAK_ACTIONS ?? 1000));
		assert.equal(figures.succeeded + figures.failed, figures.actions);
		assert.deepEqual(figures.unclearFailures, []);
		assert.ok(figures.succeeded > figures.actions / 4, `many actions succeed through retries (${figures.succeeded})`);
	});

	it('really injected the faults: 429/5xx, token endpoint outages, dropped, duplicated and reordered notifications', () => {
		assert.ok(figures.faultsInjected > figures.actions / 4, `faults injected: ${figures.faultsInjected}`);
		assert.ok(figures.tokenEndpointRefusals > 0);
		assert.ok(figures.notificationsDropped > 0 && figures.notificationsDuplicated > 0 && figures.notificationsReordered > 0);
	});

	it('never retries before Retry-After and never creates a call twice', () => {
		assert.equal(figures.earlyRetries, 0);
		assert.ok(figures.graphRetries > 0);
		assert.equal(figures.duplicateCalls, 0);
		assert.ok(figures.callsCreated > 0);
	});

	it('loses no delivered notification, and the CallStore ends in the emulator\'s state', () => {
		assert.equal(figures.lostNotifications, 0);
		assert.equal(figures.receiverRejected, 0, 'every emulator notification passes JWT validation');
		assert.deepEqual(figures.storeMismatches, []);
	});

	it('keeps memory bounded: the heap after the last quarter is within 40 MB of the first', () => {
		assert.equal(figures.heapMb.length, 4);
		assert.ok(figures.heapMb[3] - figures.heapMb[0] < 40, `heap MB per quarter: ${figures.heapMb.join(', ')}`);
	});
});

describe('throttling shared across requests', function () {
	this.timeout(20_000);
	const fx = useEmulator({ receiver: true, client: true });
	let emu: EmulatorHandle;
	let tokens: EmulatorTokenProvider;
	let client: GraphClient;
	let sink: WebhookReceiver;
	before(() => {
		({ emu, tokens, client, receiver: sink } = fx);
	});

	it('after a 429, a new request to the same endpoint waits out the Retry-After instead of being throttled again', async () => {
		const { body } = await calls.createCall(client, { kind: 'user', userId: EMULATOR_PEOPLE.lidia.id, callbackUri: sink.url, tenantId: emu.tenantId });
		emu.setFaults({ rules: [{ route: 'call.get', status: 429, times: 1, retryAfterSeconds: 1 }], notifications: {}, tokenEndpointDown: false });
		const throttled = new Promise<void>((resolve) => client.onDidRequest((e) => e.status === 429 && resolve()));
		const first = calls.getCall(client, body.id);
		await throttled;
		const started = Date.now();
		const second = await calls.getCall(client, body.id);
		assert.equal(second.status, 200);
		assert.equal(second.attempts, 1, 'the second request was never answered 429');
		assert.ok(Date.now() - started >= 800, 'it waited for the Retry-After of the first');
		assert.equal((await first).attempts, 2);
		assert.equal(emu.emulator.faults.counters.earlyRetries, 0);
		assert.equal(emu.emulator.faults.counters.throttledConcurrent, 0);
	});

	it('the emulator counts a retry of the throttled request as early, and another request in the window apart', async () => {
		const agent = emulatorAgent(emu.caCertPem);
		try {
			const token = (await tokens.getToken()).token;
			emu.setFaults({ rules: [{ route: 'call.get', status: 429, times: 1, retryAfterSeconds: 2 }], notifications: {}, tokenEndpointDown: false });
			emu.emulator.faults.resetCounters();
			const get = (id: string) => graph(emu, agent, token, 'GET', '/communications/calls/unknown', undefined, { 'client-request-id': id });
			assert.equal((await get('a')).status, 429, 'the injected 429');
			assert.equal((await get('b')).status, 429, 'another request in the window is throttled too');
			assert.equal((await get('a')).status, 429, 'the same request again is throttled');
			const c = emu.emulator.faults.counters;
			assert.equal(c.earlyRetries, 1, 'only the same request counts as an early retry');
			assert.equal(c.throttledConcurrent, 1);
			assert.equal((await get('b')).status, 429);
			assert.equal(c.earlyRetries, 2, 'a throttled request retried early counts too');
		} finally {
			await agent.close();
		}
	});
});
