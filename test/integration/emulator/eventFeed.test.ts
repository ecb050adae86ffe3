// The emulator's live feed over real HTTPS: Server-Sent Events from GET /_emulator/events (each Graph request,
// notification and call change with its call id and app), the HAR 1.2 record from GET /_emulator/traffic, a
// second app (a bot) seen with its own app id and name, the control API's guards (Host, Origin) on both
// endpoints, secrets that never reach the feed, a reader too slow to keep up that is cut off without slowing the
// emulator, and a client that reconnects to a restarted emulator.
import * as assert from 'node:assert/strict';
import * as https from 'node:https';
import { request, type Agent } from 'undici';
import { EMULATOR_PEOPLE, EMULATOR_TENANT, startEmulator, type EmulatorHandle } from '../../../src/core/emulator';
import { FEED_CLIENT_MAX_BUFFER } from '../../../src/core/emulator/eventFeed';
import { createCall, deleteCall } from '../../../src/core/graph/calls';
import { lintTraffic } from '../../../src/core/traffic/lint';
import { EmulatorFeedClient, type FeedEvent, type FeedHello, type FeedRequester } from '../../../src/core/traffic/emulatorFeedClient';
import type { TrafficLog } from '../../../src/core/traffic/trafficRecord';
import { emulatorAgent } from '../support/emulatorAuth';
import { testStateDir, useEmulator } from '../support/emulatorFixture';
import { waitFor } from '../support/waitFor';

const ADELE = EMULATOR_PEOPLE.adele;

function requester(agent: Agent): FeedRequester {
	return (url, init) => request(url, { method: 'GET', headers: init.headers, signal: init.signal, dispatcher: agent }) as ReturnType<FeedRequester>;
}

/** A second app registered through the control API, and a token for it from the emulator's token endpoint. */
async function registerBot(emu: EmulatorHandle, agent: Agent, displayName: string): Promise<{ clientId: string; clientSecret: string; token: string }> {
	const reg = await request(`${emu.controlUrl}/apps`, { method: 'POST', dispatcher: agent, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ displayName }) });
	assert.equal(reg.statusCode, 201);
	const app = (await reg.body.json()) as { clientId: string; clientSecret: string };
	const tok = await request(`${emu.authority}/oauth2/v2.0/token`, {
		method: 'POST', dispatcher: agent, headers: { 'content-type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams({ grant_type: 'client_credentials', client_id: app.clientId, client_secret: app.clientSecret, scope: `${emu.baseUrl}/.default` }).toString(),
	});
	const body = (await tok.body.json()) as { access_token: string };
	assert.equal(tok.statusCode, 200);
	return { ...app, token: body.access_token };
}

/** Raw HTTPS with exactly the headers given (a forged Host needs the servername pinned). */
function raw(emu: EmulatorHandle, path: string, headers: Record<string, string>): Promise<{ status: number; text: string; contentType?: string }> {
	return new Promise((resolve, reject) => {
		const req = https.request({ host: '127.0.0.1', servername: 'localhost', port: emu.port, method: 'GET', path, headers, ca: emu.caCertPem, agent: false }, (res) => {
			let text = '';
			res.on('data', (d) => (text += d));
			res.on('end', () => resolve({ status: res.statusCode ?? 0, text, contentType: res.headers['content-type'] }));
		});
		req.on('error', reject);
		req.end();
	});
}

describe('emulator: live event feed', function () {
	this.timeout(30_000);
	let feed: EmulatorFeedClient;
	// Registered before the fixture's own after(): the stream must close before the fixture's agent can.
	after(async () => {
		feed?.dispose();
		await feed?.done;
	});
	const fx = useEmulator({ client: true, receiver: true, token: true });
	const events: FeedEvent[] = [];
	let streamText = '';

	before(async () => {
		feed = new EmulatorFeedClient({ controlUrl: fx.emu.controlUrl, request: async (url, init) => {
			// Keep the raw text too: the attack test reads every byte that crossed the wire.
			const res = await requester(fx.agent)(url, init);
			const body = res.body;
			return { statusCode: res.statusCode, body: { async *[Symbol.asyncIterator]() {
				for await (const c of body) {
					streamText += Buffer.from(c).toString('utf8');
					yield c;
				}
			} } };
		} });
		feed.onDidReceive((e) => events.push(e));
		const connected = new Promise<FeedHello>((resolve) => feed.onDidConnect(resolve));
		feed.start();
		await connected;
	});
	it('streams the create request, each call state with its app, and each notification delivery, as they happen', async () => {
		const { emu, client, receiver } = fx;
		const callId = (await createCall(client, { kind: 'user', userId: ADELE.id, displayName: ADELE.displayName, callbackUri: receiver.url, tenantId: emu.tenantId })).body.id;
		await waitFor('an established call event', () => events.find((e) => e.type === 'call' && e.callId === callId && e.state === 'established'), 10_000);
		await waitFor('the established notification delivered', () => events.find((e) => e.type === 'notification' && e.callId === callId && e.delivered && (e.entry.request.postData?.text ?? '').includes('"established"')), 10_000);

		const create = events.find((e) => e.type === 'request' && e.action === 'call.create');
		assert.ok(create && create.type === 'request');
		assert.equal(create.callId, callId);
		assert.equal(create.appId, emu.clientId);
		assert.equal(create.entry._direction, 'out');
		assert.equal(create.entry._callId, callId);
		assert.equal(create.entry.response.status, 201);
		assert.match(create.entry.request.url, /\/v1\.0\/communications\/calls$/);

		const states = events.filter((e) => e.type === 'call' && e.callId === callId).map((e) => (e.type === 'call' ? e.state : ''));
		assert.equal(states[0], 'establishing');
		assert.ok(states.indexOf('established') > 0, `states in order: ${states.join(', ')}`);
		const established = events.find((e) => e.type === 'call' && e.callId === callId && e.state === 'established');
		assert.ok(established?.type === 'call');
		assert.equal(established.appId, emu.clientId);
		assert.equal(established.appName, EMULATOR_TENANT.botDisplayName);
		assert.ok(established.participants.length >= 2, 'the roster comes with the call event, also for a 1:1 call');

		const note = events.find((e) => e.type === 'notification' && e.callId === callId);
		assert.ok(note?.type === 'notification');
		assert.equal(note.entry._direction, 'in');
		assert.equal(note.entry.request.method, 'POST');
		assert.equal(note.entry.request.url, receiver.url);
		assert.equal(note.entry.response.status, 202);
		assert.equal(note.appId, emu.clientId);
		// Seqs are in order with no gaps: the stream misses nothing.
		const seqs = events.map((e) => e.seq);
		assert.deepEqual(seqs, seqs.map((_, i) => seqs[0] + i));

		await deleteCall(client, callId);
		await waitFor('a terminated call event', () => events.find((e) => e.type === 'call' && e.callId === callId && e.state === 'terminated'), 10_000);
	});

	it('names the app of a call another client made (a bot with its own app registration)', async () => {
		const { emu, agent, receiver } = fx;
		const bot = await registerBot(emu, agent, 'Contoso Reception Bot');
		const res = await request(`${emu.graphBaseUrl}/communications/calls`, {
			method: 'POST', dispatcher: agent, headers: { authorization: `Bearer ${bot.token}`, 'content-type': 'application/json' },
			body: JSON.stringify({ '@odata.type': '#microsoft.graph.call', callbackUri: receiver.url, tenantId: emu.tenantId, requestedModalities: ['audio'], mediaConfig: { '@odata.type': '#microsoft.graph.serviceHostedMediaConfig' }, targets: [{ '@odata.type': '#microsoft.graph.invitationParticipantInfo', identity: { '@odata.type': '#microsoft.graph.identitySet', user: { '@odata.type': '#microsoft.graph.identity', id: ADELE.id, displayName: ADELE.displayName } } }] }),
		});
		assert.equal(res.statusCode, 201);
		const callId = ((await res.body.json()) as { id: string }).id;
		const call = await waitFor('the bot call event', () => events.find((e) => e.type === 'call' && e.callId === callId), 10_000);
		assert.equal(call.appId, bot.clientId);
		assert.equal(call.appName, 'Contoso Reception Bot');
		const req = events.find((e) => e.type === 'request' && e.callId === callId);
		assert.equal(req?.appId, bot.clientId);
		assert.equal(req?.type === 'request' ? req.entry._appId : undefined, bot.clientId);

		// The traffic record can be cut to one app or one call.
		const har = await request(`${emu.controlUrl}/traffic?appId=${bot.clientId}`, { dispatcher: agent });
		const log = (await har.body.json()) as TrafficLog;
		assert.ok(log.log.entries.length >= 1);
		assert.ok(log.log.entries.every((e) => e._appId === bot.clientId));
	});

	it('GET /_emulator/traffic is a HAR 1.2 record of both directions that lint reads', async () => {
		const { emu, agent } = fx;
		await emu.webhooksIdle();
		const res = await request(`${emu.controlUrl}/traffic`, { dispatcher: agent });
		assert.equal(res.statusCode, 200);
		assert.match(String(res.headers['content-type']), /application\/json/);
		const log = (await res.body.json()) as TrafficLog;
		assert.equal(log.log.version, '1.2');
		assert.equal(log.log.creator.name, 'Graph Calls Workbench');
		const dirs = new Set(log.log.entries.map((e) => e._direction));
		assert.deepEqual([...dirs].sort(), ['in', 'out']);
		assert.ok(log.log.entries.every((e) => !e.request.url.includes('/_emulator') && !/oauth2/.test(e.request.url)), 'neither the control API nor the token endpoint is traffic');
		const findings = lintTraffic(log);
		assert.ok(Array.isArray(findings));
		// Poll form: the same events as JSON, after a seq.
		const poll = await request(`${emu.controlUrl}/events?since=${events[0].seq}`, { dispatcher: agent, headers: { accept: 'application/json' } });
		const body = (await poll.body.json()) as { value: FeedEvent[]; next: number };
		assert.equal(body.value[0].seq, events[0].seq + 1);
		assert.ok(body.next >= events[events.length - 1].seq);
	});

	it('attack: no access token, webhook token or client secret ever appears in the stream, the poll or the HAR', async () => {
		const { emu, agent, token, receiver } = fx;
		const bot = await registerBot(emu, agent, 'Leaky Bot');
		// A bot that pastes its secret and token into bodies (clientContext is echoed back by Graph).
		const callId = (await createCall(fx.client, { kind: 'user', userId: ADELE.id, displayName: ADELE.displayName, callbackUri: receiver.url, tenantId: emu.tenantId })).body.id;
		await waitFor('established', () => events.find((e) => e.type === 'call' && e.callId === callId && e.state === 'established'), 10_000);
		await request(`${emu.graphBaseUrl}/communications/calls/${callId}/playPrompt`, {
			method: 'POST', dispatcher: agent, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
			body: JSON.stringify({ clientContext: `${bot.clientSecret} ${token}`, prompts: [{ '@odata.type': '#microsoft.graph.mediaPrompt', mediaInfo: { uri: `https://cdn.contoso.com/a.wav?sig=${bot.clientSecret}` } }] }),
		}).then((r) => r.body.dump());
		await waitFor('the playPrompt request in the stream', () => events.find((e) => e.type === 'request' && e.action === 'call.playPrompt' && e.callId === callId), 10_000);
		await emu.webhooksIdle();
		await waitFor('every notification in the stream', () => events.filter((e) => e.type === 'notification').length >= receiver.posts.length);
		const webhookTokens = receiver.posts.map((p) => String(p.headers.authorization).replace(/^Bearer /, ''));
		const har = await (await request(`${emu.controlUrl}/traffic`, { dispatcher: agent })).body.text();
		const poll = await (await request(`${emu.controlUrl}/events`, { dispatcher: agent, headers: { accept: 'application/json' } })).body.text();
		for (const [where, text] of [['stream', streamText], ['HAR', har], ['poll', poll]] as const) {
			assert.ok(text.includes(callId), `${where} holds the call`);
			for (const secret of [token, bot.token, bot.clientSecret, emu.clientSecret, ...webhookTokens]) {
				assert.ok(!text.includes(secret), `${where} must not hold a secret`);
			}
			// Not even the JWT's signature or header alone.
			assert.ok(!text.includes(token.split('.')[2]), `${where} must not hold the token's signature`);
		}
	});

	it('refuses a foreign Host header (DNS rebinding) and a web page\'s Origin on both endpoints', async () => {
		const { emu } = fx;
		for (const path of ['/_emulator/events', '/_emulator/traffic']) {
			const rebound = await raw(emu, path, { host: `rebind.attacker.example:${emu.port}`, accept: 'text/event-stream' });
			assert.equal(rebound.status, 421, path);
			assert.doesNotMatch(rebound.text, /"entry"|"log"/);
			const page = await raw(emu, path, { host: `127.0.0.1:${emu.port}`, origin: 'https://attacker.example', accept: 'text/event-stream' });
			assert.equal(page.status, 403, path);
			assert.doesNotMatch(page.text, /"entry"|"log"/);
		}
	});

	it('cuts off a reader that stops reading, while the emulator keeps answering at speed', async () => {
		const { emu, token } = fx;
		// A client that opens the stream and never reads: its socket and the server's buffer fill up.
		const req = https.request({ host: '127.0.0.1', port: emu.port, path: '/_emulator/events?since=latest', headers: { accept: 'text/event-stream' }, ca: emu.caCertPem, agent: false });
		const opened = new Promise<void>((resolve) => req.on('response', (res) => {
			res.pause();
			res.socket.pause();
			res.on('error', () => undefined);
			resolve();
		}));
		req.on('error', () => undefined);
		req.end();
		await opened;
		const streams = await waitFor('the stalled stream to be served', () => emu.emulator.feed.clientCount >= 2 && emu.emulator.feed.clientCount);
		// Large request bodies make large events: a few MB more than the per-client limit.
		const big = JSON.stringify({ clientContext: 'x'.repeat(400_000) });
		const times: number[] = [];
		for (let i = 0; i < Math.ceil((FEED_CLIENT_MAX_BUFFER * 24) / 400_000); i++) {
			const t = performance.now();
			const r = await request(`${emu.graphBaseUrl}/communications/calls/00000000-0000-0000-0000-000000000000/keepAlive`, { method: 'POST', dispatcher: fx.agent, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: big });
			await r.body.dump();
			times.push(performance.now() - t);
		}
		// The emulator drops the stalled stream (its client sees that only once it reads again).
		await waitFor('the slow reader to be cut off', () => emu.emulator.feed.clientCount === streams - 1, 5000);
		times.sort((a, b) => a - b);
		assert.ok(times[Math.floor(times.length / 2)] < 500, `median request ${times[Math.floor(times.length / 2)]} ms while a reader stalls`);
		req.destroy();
	});
});

describe('emulator: event feed across a restart', function () {
	this.timeout(30_000);

	it('reconnects to the emulator started again on the same port and reads the new one from its start', async () => {
		const first = await startEmulator({ stateDir: testStateDir() });
		const port = first.port;
		const agent = emulatorAgent(first.caCertPem);
		const hellos: FeedHello[] = [];
		const client = new EmulatorFeedClient({ controlUrl: first.controlUrl, request: requester(agent), retryMs: 100, maxRetryMs: 300 });
		const events: FeedEvent[] = [];
		client.onDidReceive((e) => events.push(e));
		client.onDidConnect((h) => hellos.push(h));
		let second: EmulatorHandle | undefined;
		try {
			client.start();
			await waitFor('the first hello', () => hellos.length === 1);
			first.incomingCall({ userId: ADELE.id }, 'https://127.0.0.1:9/callback');
			await waitFor('the incoming call on the first emulator', () => events.find((e) => e.type === 'call' && e.state === 'incoming'));
			await first.stop();
			second = await startEmulator({ stateDir: testStateDir(), port });
			await waitFor('a hello from the second emulator', () => hellos.length >= 2 && hellos[hellos.length - 1].instance !== hellos[0].instance, 10_000);
			const id = second.incomingCall({ userId: ADELE.id }, 'https://127.0.0.1:9/callback');
			const e = await waitFor('the second emulator\'s call', () => events.find((x) => x.type === 'call' && x.callId === id), 10_000);
			assert.equal(e.seq, 1, 'the new emulator is read from its first event');
		} finally {
			client.dispose();
			await client.done;
			await second?.stop();
			await first.stop();
			await agent.close();
		}
	});
});
