import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Agent } from 'undici';
import { EMULATOR_PEOPLE, loadScenarioFile, startEmulator, validateScenario, type EmulatorHandle } from '../../../src/core/emulator';
import { control, graph } from '../support/emulatorAuth';
import { startEmulatorFixture } from '../support/emulatorFixture';
import type { WebhookReceiver } from '../support/webhookReceiver';

const scenarioDir = path.resolve(__dirname, '../../../../src/core/emulator/scenarios');
const SERVICE_MEDIA = { '@odata.type': '#microsoft.graph.serviceHostedMediaConfig' };

async function withEmulator(scenarioFile: string, clockSpeed: number, body: (emu: EmulatorHandle, agent: Agent, token: string, rx: WebhookReceiver) => Promise<void>): Promise<void> {
	const fx = await startEmulatorFixture({ emulator: { scenario: loadScenarioFile(path.join(scenarioDir, scenarioFile)), clockSpeed }, token: true, receiver: true });
	try {
		await body(fx.emu, fx.agent, fx.token, fx.receiver);
	} finally {
		await fx.stop();
	}
}

describe('emulator: scenarios, clock and state dir', function () {
	this.timeout(20000);

	it('every shipped scenario is valid', () => {
		for (const f of ['one-to-one.json', 'ivr-dtmf.json', 'meeting-50.json', 'flaky-tenant.json']) {
			const s = loadScenarioFile(path.join(scenarioDir, f));
			assert.ok(s.name && s.description, f);
		}
		assert.throws(() => validateScenario({ name: 'x', events: [{ on: 'later', afterMs: 1, do: 'hangUp' }] }), /on="later"/);
	});

	it('IVR: after the call is established the caller presses 1, then 2 and #, seen through subscribeToTone', async () => {
		// Speed 2: the first key comes 750 ms after established, time enough to subscribe on a loaded machine.
		await withEmulator('ivr-dtmf.json', 2, async (emu, agent, token, rx) => {
			const r = await graph(emu, agent, token, 'POST', '/communications/calls', { callbackUri: rx.url, requestedModalities: ['audio'], mediaConfig: SERVICE_MEDIA, targets: [{ identity: { user: { id: EMULATOR_PEOPLE.adele.id } } }] });
			await rx.waitForState(r.body.id, 'established');
			await graph(emu, agent, token, 'POST', `/communications/calls/${r.body.id}/subscribeToTone`, {});
			await rx.waitFor((n) => (n.resourceData as any)?.toneInfo?.tone === 'pound', 10000, 'the # key');
			const tones = rx.forCall(r.body.id).map((n) => (n.resourceData as any)?.toneInfo?.tone).filter(Boolean);
			assert.deepEqual(tones, ['tone1', 'tone2', 'pound']);
		});
	});

	it('meeting with 50 people: the roster has 51, then changes as people leave and a guest joins', async () => {
		await withEmulator('meeting-50.json', 20, async (emu, agent, token, rx) => {
			const r = await graph(emu, agent, token, 'POST', '/communications/calls', { callbackUri: rx.url, requestedModalities: ['audio'], mediaConfig: SERVICE_MEDIA, meetingInfo: { '@odata.type': '#microsoft.graph.joinMeetingIdMeetingInfo', joinMeetingId: '5050505050', passcode: 'allhands' } });
			assert.equal(r.status, 201, JSON.stringify(r.body));
			const id = r.body.id;
			await rx.waitFor((n) => n.resourceUrl === `/communications/calls/${id}/participants` && (n.resourceData as unknown[]).length === 51);
			await rx.waitFor((n) => n.resourceUrl === `/communications/calls/${id}/participants` && (n.resourceData as any[]).some((p) => p.info.identity.guest?.displayName === 'Late guest'));
			await rx.waitFor((n) => n.resourceUrl === `/communications/calls/${id}/participants` && (n.resourceData as unknown[]).length === 50 && !(n.resourceData as any[]).some((p) => p.info.identity.guest));
			const dir = await control(emu, agent, 'GET', '/directory');
			assert.ok(dir.body.users.some((u: any) => u.id === EMULATOR_PEOPLE.adele.id), 'the scenario extends the default directory');
		});
	});

	it('flaky tenant: some requests are throttled and clients that honour Retry-After succeed', async () => {
		await withEmulator('flaky-tenant.json', 20, async (emu, agent, token) => {
			let throttled = 0;
			for (let i = 0; i < 30 && (i < 5 || throttled === 0); i++) {
				let res = await graph(emu, agent, token, 'GET', '/communications/calls/none');
				while (res.status === 429 || res.status === 503) {
					if (res.status === 429) throttled++;
					await new Promise((r) => setTimeout(r, Number(res.headers['retry-after']) * 1000));
					res = await graph(emu, agent, token, 'GET', '/communications/calls/none');
				}
				assert.equal(res.status, 404);
			}
			assert.ok(throttled > 0, 'a flaky tenant throttles');
			assert.equal(emu.emulator.faults.counters.earlyRetries, 0, 'a client that waits is never counted early');
		});
	});

	it('clock speed changes at run time through the control API and scales emulated delays', async () => {
		const fx = await startEmulatorFixture({ emulator: { clockSpeed: 1 } });
		const { emu, agent } = fx;
		try {
			assert.equal((await control(emu, agent, 'PUT', '/clock', { speed: 50 })).body.speed, 50);
			const t0 = Date.now();
			await new Promise<void>((resolve) => emu.emulator.clock.setTimeout(resolve, 2000));
			assert.ok(Date.now() - t0 < 1000, '2 s emulated pass in well under 1 s at speed 50');
			assert.equal((await control(emu, agent, 'PUT', '/clock', { speed: -1 })).status, 400);
		} finally {
			await fx.stop();
		}
	});

	it('creates its CA and keys once in the state dir and reuses them', async () => {
		const dir = mkdtempSync(path.join(os.tmpdir(), 'emu-state-'));
		try {
			const [a, b] = await Promise.all([startEmulator({ stateDir: dir }), startEmulator({ stateDir: dir })]);
			assert.equal(a.caCertPem, b.caCertPem, 'two emulators starting at once agree on one CA');
			const ca = readFileSync(path.join(dir, 'tls', 'ca.pem'), 'utf8');
			await a.stop();
			await b.stop();
			const c = await startEmulator({ stateDir: dir });
			assert.equal(c.caCertPem, ca);
			await c.stop();
		} finally {
			rmSync(dir, { recursive: true, force: true });
		}
	});

	it('reset ends calls silently and restores roles and faults', async () => {
		const fx = await startEmulatorFixture();
		const { emu, agent } = fx;
		try {
			emu.incomingCall({ userId: EMULATOR_PEOPLE.adele.id }, 'https://bot.example/cb');
			emu.setRoles([]);
			emu.setFaults({ rules: [{ status: 500 }], notifications: {}, tokenEndpointDown: false });
			assert.equal((await control(emu, agent, 'POST', '/reset')).status, 204);
			const state = (await control(emu, agent, 'GET', '/state')).body;
			assert.equal(state.calls.length, 0);
			assert.equal(state.apps[0].roles.length, 5);
			assert.deepEqual(state.faults.rules, []);
		} finally {
			await fx.stop();
		}
	});
});
