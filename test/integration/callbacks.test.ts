import * as assert from 'node:assert/strict';
import * as os from 'node:os';
import * as path from 'node:path';
import { Agent, request } from 'undici';
import { CallbackPipeline, type CallbackProfile } from '../../src/core/callbacks/callbackPipeline';
import { CallbackReceiver } from '../../src/core/callbacks/callbackReceiver';
import { CallbackTokenValidator } from '../../src/core/callbacks/callbackTokenValidator';
import { OpenIdKeySource } from '../../src/core/callbacks/openIdKeySource';
import { pointEmulatorAtReceiver } from '../../src/core/callbacks/emulatorCallingWebhook';
import type { NotificationRecord } from '../../src/core/callbacks/notificationRecord';
import { CallStore } from '../../src/core/calls/callStore';
import { EMULATOR_PEOPLE, type EmulatorHandle } from '../../src/core/emulator';
import type { GraphClient } from '../../src/core/graph/graphClient';
import * as calls from '../../src/core/graph/calls';
import { useEmulator } from './support/emulatorFixture';
import { WebhookReceiver } from './support/webhookReceiver';

type Jose = typeof import('jose', { with: { 'resolution-mode': 'import' } });

async function until(what: string, check: () => boolean, timeoutMs = 10_000): Promise<void> {
	const end = Date.now() + timeoutMs;
	while (!check()) {
		if (Date.now() > end) throw new Error(`Timed out waiting for ${what}`);
		await new Promise((r) => setTimeout(r, 20));
	}
}

describe('callbacks: receiver with the emulator', function () {
	// The bursts take 10-25 s on a loaded 2-core machine; the limit only guards against a hang.
	this.timeout(120_000);
	// The client's tokens come straight from the emulator's token endpoint (the auth area has its own tests).
	const fx = useEmulator({ emulator: { stateDir: path.join(os.tmpdir(), 'graph-calls-callbacks-it'), timings: { establishMs: 50, defaultAnswerAfterMs: 100, operationMs: 100, transferMs: 50, terminateMs: 20 } }, client: true });
	let emu: EmulatorHandle;
	let agent: Agent;
	let client: GraphClient;
	let store: CallStore;
	let pipeline: CallbackPipeline;
	let profile: CallbackProfile;
	let relaxed = false;
	let url: string;
	let jose: Jose;
	const records: NotificationRecord[] = [];

	before(async () => {
		({ emu, agent, client } = fx);
		jose = await import('jose');
		profile = { name: 'Emulator', clientId: emu.clientId, tenantId: emu.tenantId, emulator: { authority: emu.authority, graphHost: emu.baseUrl, caCertPem: emu.caCertPem, controlUrl: emu.controlUrl } };
		store = new CallStore();
		pipeline = new CallbackPipeline({ security: () => ({ profile, relaxed }), sink: () => store });
		pipeline.onDidRecord((r) => records.push(r));
		url = await pipeline.start();
	});

	after(async () => {
		await pipeline?.stop();
		pipeline?.dispose();
		store?.dispose();
	});

	afterEach(() => {
		relaxed = false;
	});

	const post = (body: string, authorization?: string) =>
		request(url, { method: 'POST', body, headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) } });
	const sample = (callId: string) => JSON.stringify({ '@odata.type': '#microsoft.graph.commsNotifications', value: [{ '@odata.type': '#microsoft.graph.commsNotification', changeType: 'updated', resourceUrl: `/communications/calls/${callId}`, resourceData: { '@odata.type': '#microsoft.graph.call', state: 'established' } }] });

	it('receives, validates and stores notifications for every kind of event', async () => {
		const callee = EMULATOR_PEOPLE.lidia;
		const created = await calls.createCall(client, { kind: 'user', userId: callee.id, callbackUri: url, tenantId: emu.tenantId });
		const callId = created.body!.id;
		await until('the call to be established in the store', () => store.get(callId)?.call.state === 'established');
		await until('the roster', () => (store.get(callId)?.participants.size ?? 0) >= 2);

		const prompt = await calls.playPrompt(client, callId, { promptUris: ['https://example.com/hello.wav'] });
		const opId = prompt.body!.id;
		await until('the prompt operation to finish', () => !!store.get(callId)?.operations.get(opId.toLowerCase().replace(/-/g, ''))?.finished || [...(store.get(callId)?.operations.values() ?? [])].some((o) => o.operation.id === opId && o.finished));

		await calls.subscribeToTone(client, callId);
		emu.pressKeys(callId, '1');
		await until('a tone notification', () => records.some((r) => r.summaries.some((s) => s.callId === callId && s.kind === 'call' && /toneInfo/.test(r.body))));

		await request(`${emu.controlUrl}/calls/${callId}/hangUp`, { method: 'POST', headers: { 'content-type': 'application/json' }, dispatcher: agent }).then((r) => r.body.dump());
		await until('the call to end', () => !!store.get(callId)?.ended);

		const incomingId = emu.incomingCall({ userId: callee.id }, url);
		await until('the incoming call in the store', () => store.get(incomingId)?.call.state === 'incoming');
		assert.equal(store.get(incomingId)?.origin, 'notification');
		await calls.answerCall(client, incomingId, { callbackUri: url });
		await until('the answered call to be established', () => store.get(incomingId)?.call.state === 'established');

		await emu.webhooksIdle();
		await pipeline.receiver!.whenIdle();
		const mine = records.filter((r) => r.summaries.some((s) => s.callId === callId || s.callId === incomingId));
		const kinds = new Set(mine.flatMap((r) => r.summaries.map((s) => `${s.kind}:${s.changeType}`)));
		for (const k of ['call:created', 'call:updated', 'call:deleted', 'participants:updated', 'operation:deleted']) assert.ok(kinds.has(k), `missing ${k} in ${[...kinds].join(', ')}`);
		for (const r of mine) {
			assert.equal(r.accepted, true, r.reason);
			assert.equal(r.valid, true, r.reason);
			assert.equal(r.tokenClaims?.aud, emu.clientId);
			assert.equal(r.responseStatus, 202);
		}
		assert.ok(!JSON.stringify(pipeline.history.toJson()).includes(emu.emulator.webhooks.tokenFor(emu.clientId, emu.tenantId)));
	});

	it('rejects forged, expired, wrong-audience and unsigned tokens, and still records them as invalid', async () => {
		const good = emu.emulator.webhooks.tokenFor(emu.clientId, emu.tenantId);
		const { kid } = jose.decodeProtectedHeader(good);
		const now = Math.floor(Date.now() / 1000);
		const base = { iss: 'https://api.botframework.com', aud: emu.clientId, tid: emu.tenantId, iat: now, nbf: now - 5, exp: now + 3600 };
		const { privateKey } = await jose.generateKeyPair('RS256');
		const forged = await new jose.SignJWT(base).setProtectedHeader({ alg: 'RS256', kid }).sign(privateKey);
		const expired = emu.emulator.webhookKey.sign({ ...base, iat: now - 7200, nbf: now - 7200, exp: now - 3600 });
		const wrongAudience = emu.emulator.webhooks.tokenFor('00000000-0000-0000-0000-00000000beef', emu.tenantId);
		const unsigned = new jose.UnsecuredJWT(base).encode();
		const cases: [string, string | undefined, number, RegExp][] = [
			['forged', `Bearer ${forged}`, 403, /signature does not match/],
			['expired', `Bearer ${expired}`, 403, /expired/],
			['wrong audience', `Bearer ${wrongAudience}`, 403, /audience/],
			['unsigned', `Bearer ${unsigned}`, 403, /unsigned/],
			['no token', undefined, 401, /No Authorization header/],
		];
		const before = store.list().length;
		for (const [name, auth, status, reason] of cases) {
			const id = `forged-${name.replace(/\s/g, '')}`;
			const res = await post(sample(id), auth);
			assert.equal(res.statusCode, status, name);
			await res.body.dump();
			const rec = records[records.length - 1];
			assert.equal(rec.valid, false, name);
			assert.equal(rec.accepted, false, name);
			assert.match(rec.reason ?? '', reason, name);
			assert.equal(rec.notifications.length, 1, `${name}: the body is still shown`);
			assert.ok(pipeline.history.get(rec.id), `${name}: in the history`);
		}
		await pipeline.receiver!.whenIdle();
		assert.equal(store.list().length, before, 'nothing invalid reached the store');
		const ok = await post(sample('genuine-1'), `Bearer ${good}`);
		assert.equal(ok.statusCode, 202);
		await ok.body.dump();
	});

	it('accepts invalid tokens when validation is relaxed, marked invalid and relaxed', async () => {
		relaxed = true;
		const res = await post(sample('relaxed-1'), 'Bearer nonsense.token.here');
		assert.equal(res.statusCode, 202);
		await res.body.dump();
		await pipeline.receiver!.whenIdle();
		const rec = records[records.length - 1];
		assert.deepEqual([rec.accepted, rec.valid, rec.relaxed], [true, false, true]);
		assert.equal(store.get('relaxed-1')?.call.state, 'established');
	});

	it('takes a burst of 10,000 notifications: every one accepted or rejected explicitly, none lost', async () => {
		const token = `Bearer ${emu.emulator.webhooks.tokenFor(emu.clientId, emu.tenantId)}`;
		const receiver = pipeline.receiver!;
		const statsBefore = { ...receiver.stats, rejected: { ...receiver.stats.rejected } };
		const pool = new Agent({ connections: 64, pipelining: 1 });
		const total = 10_000;
		const statuses = new Map<number | string, number>();
		const latencies: number[] = [];
		let next = 0;
		const started = performance.now();
		await Promise.all(
			Array.from({ length: 64 }, async () => {
				while (next < total) {
					const i = next++;
					const t0 = performance.now();
					let key: number | string;
					try {
						const res = await request(url, { method: 'POST', dispatcher: pool, body: sample(`burst-${i % 50}`), headers: { 'content-type': 'application/json', authorization: token } });
						await res.body.dump();
						key = res.statusCode;
					} catch (err) {
						key = (err as Error).message;
					}
					latencies.push(performance.now() - t0);
					statuses.set(key, (statuses.get(key) ?? 0) + 1);
				}
			}),
		);
		const elapsed = performance.now() - started;
		await receiver.whenIdle();
		await pool.close();
		const accepted = statuses.get(202) ?? 0;
		const busy = statuses.get(503) ?? 0;
		latencies.sort((a, b) => a - b);
		console.log(`      burst: ${total} POSTs in ${elapsed.toFixed(0)} ms (${Math.round(total / (elapsed / 1000))}/s); 202=${accepted} 503=${busy} other=${JSON.stringify([...statuses].filter(([k]) => k !== 202 && k !== 503))}; latency p50=${latencies[total >> 1].toFixed(1)} ms p99=${latencies[Math.floor(total * 0.99)].toFixed(1)} ms; max queued=${receiver.stats.maxQueued}`);
		assert.equal(accepted + busy, total, `every request answered 202 or 503: ${JSON.stringify([...statuses])}`);
		assert.equal(receiver.stats.accepted - statsBefore.accepted, accepted);
		assert.equal(receiver.stats.processed - statsBefore.processed, accepted, 'every accepted notification was processed');
		assert.equal(receiver.stats.overloaded - statsBefore.overloaded, busy);
		assert.equal(store.get('burst-0')?.call.state, 'established');
		const health = await request(new URL('/', url));
		assert.equal(health.statusCode, 200, 'still up');
		await health.body.dump();
	});

	it('answers the overflow of a burst with 503 when processing falls behind, and processes every accepted one', async () => {
		// The receiver alone, validating real emulator tokens, with a small queue and a consumer slower than the senders.
		const keys = new OpenIdKeySource({ openIdConfigurationUrl: emu.webhookOpenIdConfigurationUrl, caCertPem: emu.caCertPem });
		const validator = new CallbackTokenValidator(keys);
		const applied = new Set<string>();
		const receiver = new CallbackReceiver({
			queueLimit: 100,
			authenticate: async (auth) => {
				const check = await validator.validate(auth, { profileName: 'Emulator', clientId: emu.clientId, tenantId: emu.tenantId });
				return check.valid ? { accept: true, valid: true } : { accept: false, valid: false, status: check.status, reason: check.reason };
			},
			process: async (record) => {
				await new Promise((r) => setTimeout(r, 1));
				applied.add(record.id);
			},
		});
		const target = await receiver.start();
		const token = `Bearer ${emu.emulator.webhooks.tokenFor(emu.clientId, emu.tenantId)}`;
		const pool = new Agent({ connections: 64 });
		const total = 10_000;
		const counts = new Map<number, number>();
		let next = 0;
		const started = performance.now();
		try {
			await Promise.all(
				Array.from({ length: 64 }, async () => {
					while (next < total) {
						next++;
						const res = await request(target, { method: 'POST', dispatcher: pool, body: sample('overflow'), headers: { 'content-type': 'application/json', authorization: token } });
						if (res.statusCode === 503) assert.equal(res.headers['retry-after'], '1');
						await res.body.dump();
						counts.set(res.statusCode, (counts.get(res.statusCode) ?? 0) + 1);
					}
				}),
			);
			await receiver.whenIdle();
		} finally {
			await receiver.stop();
			receiver.dispose();
			keys.dispose();
			await pool.close();
		}
		const accepted = counts.get(202) ?? 0;
		const busy = counts.get(503) ?? 0;
		console.log(`      overflow burst: ${total} POSTs in ${(performance.now() - started).toFixed(0)} ms; 202=${accepted} 503=${busy}; processed=${applied.size}; max queued=${receiver.stats.maxQueued}`);
		assert.equal(accepted + busy, total, JSON.stringify([...counts]));
		assert.ok(busy > 0, 'the queue limit was reached and said so');
		assert.equal(applied.size, accepted, 'every accepted notification was processed');
		assert.equal(receiver.stats.overloaded, busy);
		assert.ok(receiver.stats.maxQueued <= 100);
	});

	it('makes the receiver the emulator app\'s calling webhook, so incoming calls without a callbackUri arrive', async () => {
		await pointEmulatorAtReceiver(profile.emulator!, emu.clientId, url);
		const callId = emu.incomingCall({ userId: EMULATOR_PEOPLE.johanna.id });
		await until('the incoming call sent to the calling webhook', () => store.get(callId)?.call.state === 'incoming');
		await calls.rejectCall(client, callId, { reason: 'none' });
		await assert.rejects(pointEmulatorAtReceiver({ ...profile.emulator!, controlUrl: 'https://127.0.0.1:9/_emulator' }, emu.clientId, url), /Could not reach the emulator's control API/);
	});

	it('relays emulator notifications to a local bot and replays them, as-is and edited', async () => {
		const bot = await WebhookReceiver.start({ status: 200 });
		try {
			pipeline.relay.target = bot.url;
			const from = records.length;
			const callee = EMULATOR_PEOPLE.adele;
			const incomingId = emu.incomingCall({ userId: callee.id }, url);
			await until('the incoming notification relayed', () => records.slice(from).some((r) => r.relay?.status === 200 && r.summaries.some((s) => s.callId === incomingId)));
			const rec = records.slice(from).find((r) => r.summaries.some((s) => s.callId === incomingId))!;
			const got = bot.posts.find((b) => b.body === rec.body);
			assert.ok(got, 'the bot got the body unchanged');
			assert.match(String(got.headers.authorization), /^Bearer ey/, 'with the original token');
			assert.ok(typeof rec.relay!.durationMs === 'number');

			const n = bot.posts.length;
			const again = await pipeline.replay(rec);
			assert.equal(again.status, 200);
			assert.equal(bot.posts[n].body, rec.body);
			const edited = rec.body.replace('"incoming"', '"terminated"');
			const outcome = await pipeline.replay(rec, edited);
			assert.equal(outcome.status, 200);
			assert.match(bot.posts[n + 1].body, /"terminated"/);
			assert.equal(rec.replays.length, 2);
			await calls.rejectCall(client, incomingId, { reason: 'busy' });
		} finally {
			pipeline.relay.target = undefined;
			await bot.stop();
		}
	});
});
