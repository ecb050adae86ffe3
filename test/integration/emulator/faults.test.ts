import * as assert from 'node:assert/strict';
import type { Agent } from 'undici';
import { EMULATOR_PEOPLE, parseFaultSpec, type EmulatorHandle } from '../../../src/core/emulator';
import { control, emulatorToken, graph } from '../support/emulatorAuth';
import { useEmulator } from '../support/emulatorFixture';
import type { WebhookReceiver } from '../support/webhookReceiver';

const SERVICE_MEDIA = { '@odata.type': '#microsoft.graph.serviceHostedMediaConfig' };

describe('emulator: faults', function () {
	this.timeout(20000);
	const fx = useEmulator({ emulator: { clockSpeed: 20 }, token: true, receiver: true });
	let emu: EmulatorHandle;
	let agent: Agent;
	let token: string;
	let rx: WebhookReceiver;
	before(() => {
		({ emu, agent, token, receiver: rx } = fx);
	});

	const createBody = () => ({ callbackUri: rx.url, requestedModalities: ['audio'], mediaConfig: SERVICE_MEDIA, targets: [{ identity: { user: { id: EMULATOR_PEOPLE.adele.id } } }] });
	const create = () => graph(emu, agent, token, 'POST', '/communications/calls', createBody());

	afterEach(async () => {
		await emu.webhooksIdle();
		await emu.reset();
	});

	it('429 with Retry-After in seconds; a retry before it has passed is counted and answered 429 again', async () => {
		emu.setFaults({ rules: [{ route: 'call.create', status: 429, times: 1, retryAfterSeconds: 1 }], notifications: {}, tokenEndpointDown: false });
		const first = await create();
		assert.equal(first.status, 429);
		assert.equal(first.headers['retry-after'], '1');
		assert.equal(first.body.error.code, 'TooManyRequests');
		const early = await create();
		assert.equal(early.status, 429, 'early retry is throttled again');
		assert.match(early.body.error.message, /before Retry-After/);
		const other = await graph(emu, agent, token, 'GET', '/communications/calls/unknown');
		assert.equal(other.status, 404, 'other routes are not throttled');
		await new Promise((r) => setTimeout(r, 1050));
		const later = await create();
		assert.equal(later.status, 201);
		const counters = (await control(emu, agent, 'GET', '/faults')).body.counters;
		assert.equal(counters.earlyRetries, 1);
		assert.equal(counters.injected['call.create 429'], 1);
	});

	it('429 with Retry-After as an HTTP date', async () => {
		emu.setFaults(parseFaultSpec('429@call.get,retry-after:2,retry-after-date'));
		const r = await graph(emu, agent, token, 'GET', '/communications/calls/x');
		assert.equal(r.status, 429);
		const when = Date.parse(r.headers['retry-after']);
		assert.ok(Number.isFinite(when), `Retry-After is a date: ${r.headers['retry-after']}`);
		assert.ok(when > Date.now(), 'the date is in the future');
	});

	it('500, 502, 503 and 504 by route, set at run time through the control API', async () => {
		for (const status of [500, 502, 503, 504]) {
			const put = await control(emu, agent, 'PUT', '/faults', { spec: `${status}@call.get` });
			assert.equal(put.status, 200);
			const r = await graph(emu, agent, token, 'GET', '/communications/calls/x');
			assert.equal(r.status, status);
			assert.ok(r.body.error.code);
			assert.ok(r.headers['request-id']);
		}
		assert.equal((await create()).status, 201, 'only the named route fails');
		const counters = (await control(emu, agent, 'GET', '/faults')).body.counters;
		assert.equal(counters.injected['call.get 503'], 1);
		const bad = await control(emu, agent, 'PUT', '/faults', { spec: '418' });
		assert.equal(bad.status, 400);
		assert.match(bad.body.error.message, /Unknown fault/);
	});

	it('a rate between 0 and 1 fails some requests, reproducibly with a seed', async () => {
		const run = async () => {
			emu.setFaults(parseFaultSpec('500:0.5@call.get,seed:7'));
			const statuses: number[] = [];
			for (let i = 0; i < 20; i++) statuses.push((await graph(emu, agent, token, 'GET', '/communications/calls/x')).status);
			return statuses;
		};
		const a = await run();
		const b = await run();
		assert.deepEqual(a, b);
		assert.ok(a.includes(500) && a.includes(404), `a mix of failures and passes: ${a.join(',')}`);
	});

	it('adds latency', async () => {
		emu.setFaults(parseFaultSpec('latency:150@call.get'));
		const started = performance.now();
		await graph(emu, agent, token, 'GET', '/communications/calls/x');
		assert.ok(performance.now() - started >= 140);
		assert.equal(emu.emulator.faults.counters.latencyInjected, 1);
	});

	it('drops every notification at rate 1', async () => {
		emu.setFaults(parseFaultSpec('drop:1'));
		const r = await create();
		await new Promise((res) => setTimeout(res, 300));
		await emu.webhooksIdle();
		assert.equal(rx.forCall(r.body.id).length, 0);
		assert.ok(emu.emulator.faults.counters.notificationsDropped >= 2);
		assert.equal((await graph(emu, agent, token, 'GET', `/communications/calls/${r.body.id}`)).body.state, 'established', 'the call itself goes on');
	});

	it('duplicates every notification at rate 1', async () => {
		emu.setFaults(parseFaultSpec('dup:1'));
		const r = await create();
		await rx.waitForState(r.body.id, 'established');
		await emu.webhooksIdle();
		const states = rx.forCall(r.body.id).filter((n) => !Array.isArray(n.resourceData)).map((n) => (n.resourceData as any).state);
		assert.deepEqual(states, ['establishing', 'establishing', 'ringing', 'ringing', 'established', 'established']);
	});

	it('reorders notifications: they arrive swapped in pairs (ringing before establishing)', async () => {
		emu.setFaults(parseFaultSpec('reorder'));
		const r = await create();
		await rx.waitForState(r.body.id, 'establishing');
		await emu.webhooksIdle();
		const states = rx.forCall(r.body.id).filter((n) => !Array.isArray(n.resourceData)).map((n) => (n.resourceData as any).state);
		assert.deepEqual(states.slice(0, 2), ['ringing', 'establishing'], `order seen: ${states.join(', ')}`);
		assert.ok(emu.emulator.faults.counters.notificationsReordered >= 1);
	});

	it('token endpoint faults by route: 503 on token requests', async () => {
		emu.setFaults(parseFaultSpec('503@token'));
		await assert.rejects(emulatorToken(emu, agent), /503|temporarily|ServiceUnavailable|server_error/i);
		emu.setFaults(parseFaultSpec(''));
		assert.ok(await emulatorToken(emu, agent));
	});

	it('parses fault specs and JSON, and explains bad ones', () => {
		const c = parseFaultSpec('429:0.1@call.create,503:0.05,latency:50,drop:0.1,dup:0.2,reorder,token-down,retry-after:3');
		assert.equal(c.rules.length, 3);
		assert.deepEqual(c.rules[0], { status: 429, rate: 0.1, route: 'call.create', retryAfterSeconds: 3 });
		assert.equal(c.notifications.dropRate, 0.1);
		assert.equal(c.notifications.duplicateRate, 0.2);
		assert.equal(c.notifications.reorder, true);
		assert.equal(c.tokenEndpointDown, true);
		assert.equal(parseFaultSpec('{"rules":[{"status":500}]}').rules[0].status, 500);
		assert.throws(() => parseFaultSpec('latency:abc'), /needs a number/);
		assert.throws(() => parseFaultSpec('{"rules":[{"status":500,"rate":2}]}'), /between 0 and 1/);
	});
});
