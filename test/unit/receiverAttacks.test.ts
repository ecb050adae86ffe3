import * as assert from 'node:assert/strict';
import * as net from 'node:net';
import { request } from 'undici';
import { CallbackReceiver, type CallbackReceiverOptions } from '../../src/core/callbacks/callbackReceiver';
import type { NotificationRecord } from '../../src/core/callbacks/notificationRecord';

const BODY = JSON.stringify({
	'@odata.type': '#microsoft.graph.commsNotifications',
	value: [{ '@odata.type': '#microsoft.graph.commsNotification', changeType: 'created', resourceUrl: '/communications/calls/c1', resourceData: { state: 'incoming' } }],
});

/** Sends raw bytes on a fresh connection and collects everything the receiver says until it closes. */
function rawExchange(port: number, write: (s: net.Socket) => void): Promise<{ text: string; closedAfterMs: number }> {
	return new Promise((resolve, reject) => {
		const started = Date.now();
		const s = net.connect(port, '127.0.0.1', () => write(s));
		let text = '';
		s.on('data', (d) => (text += d));
		s.on('error', reject);
		s.on('close', () => resolve({ text, closedAfterMs: Date.now() - started }));
	});
}

/** Attacks on the callback receiver, over real HTTP: every server on the developer's machine is a target for web pages and local floods. */
describe('receiver: attacks', function () {
	this.timeout(20_000);
	const receivers: CallbackReceiver[] = [];
	const sockets: net.Socket[] = [];
	/** Relaxed validation accepts any token: the checks under test must hold even then. */
	async function start(opts: Partial<CallbackReceiverOptions> = {}) {
		const records: NotificationRecord[] = [];
		const processed: NotificationRecord[] = [];
		const r = new CallbackReceiver({ authenticate: async () => ({ accept: true, valid: false, relaxed: true }), process: (rec) => void processed.push(rec), ...opts });
		r.onDidRecord((rec) => records.push(rec));
		receivers.push(r);
		const url = await r.start();
		return { r, url, port: Number(new URL(url).port), records, processed };
	}

	afterEach(async () => {
		for (const s of sockets.splice(0)) s.destroy();
		for (const r of receivers.splice(0)) await r.stop();
	});

	it('DNS rebinding: a page whose name resolves to 127.0.0.1 gets 421 and no notification in', async () => {
		const { r, url, port, records, processed } = await start();
		const attackerHost = `rebind.attacker.example:${port}`;
		const posted = await request(url, { method: 'POST', body: BODY, headers: { host: attackerHost, 'content-type': 'application/json', origin: 'http://rebind.attacker.example' } });
		assert.equal(posted.statusCode, 421);
		const reason = (await posted.body.json()) as { error: { message: string } };
		assert.match(reason.error.message, /Host header "rebind\.attacker\.example:\d+" is not an address this server serves/);
		assert.match(reason.error.message, /DNS rebinding/);
		const health = await request(`http://127.0.0.1:${port}/health`, { headers: { host: attackerHost } });
		assert.equal(health.statusCode, 421);
		assert.doesNotMatch(await health.body.text(), /accepted/, 'the page learns nothing about the receiver');
		await r.whenIdle();
		assert.equal(r.stats.accepted, 0);
		assert.deepEqual([records.length, processed.length], [0, 0]);
		// The same request naming the receiver itself is taken, so the refusal is about the name only.
		assert.equal((await request(url, { method: 'POST', body: BODY, headers: { 'content-type': 'application/json', host: `localhost:${port}` } })).statusCode, 202);
	});

	it('a tunnel that keeps its public Host is served once the name is declared, and only then', async () => {
		let tunnel: string[] = [];
		const { url } = await start({ publicHosts: () => tunnel });
		const viaTunnel = () => request(url, { method: 'POST', body: BODY, headers: { host: 'abc123.ngrok-free.app', 'content-type': 'application/json' } }).then((r) => r.body.dump().then(() => r.statusCode));
		assert.equal(await viaTunnel(), 421);
		tunnel = ['abc123.ngrok-free.app'];
		assert.equal(await viaTunnel(), 202);
	});

	it('Slowloris: a client that trickles its headers is cut off within the header timeout (default a few seconds)', async () => {
		const { port } = await start();
		let trickle: NodeJS.Timeout | undefined;
		const { text, closedAfterMs } = await rawExchange(port, (s) => {
			s.write(`POST /api/calling HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n`);
			let i = 0;
			trickle = setInterval(() => s.writable && s.write(`X-Slow-${i++}: a\r\n`), 250);
		});
		clearInterval(trickle);
		assert.ok(closedAfterMs < 7000, `closed after ${closedAfterMs} ms`);
		assert.ok(closedAfterMs >= 4000, `the header timeout is about 5 s, not less (closed after ${closedAfterMs} ms)`);
		assert.match(text, /^HTTP\/1\.1 408/);
	});

	it('a connection flood beyond the cap is refused with 503 at once, and the receiver serves again when they go', async () => {
		const { r, url, port } = await start({ maxConnections: 8 });
		for (let i = 0; i < 8; i++) {
			sockets.push(await new Promise<net.Socket>((resolve) => {
				const s = net.connect(port, '127.0.0.1', () => resolve(s));
			}));
		}
		await new Promise((res) => setTimeout(res, 100));
		const extra = await rawExchange(port, () => undefined);
		assert.match(extra.text, /^HTTP\/1\.1 503/);
		assert.match(extra.text, /tooManyConnections/);
		assert.ok(extra.closedAfterMs < 2000, `closed after ${extra.closedAfterMs} ms`);
		assert.equal(r.stats.connectionsRefused, 1);
		for (const s of sockets.splice(0)) s.destroy();
		await new Promise((res) => setTimeout(res, 100));
		const ok = await request(url, { method: 'POST', body: BODY, headers: { 'content-type': 'application/json' } });
		assert.equal(ok.statusCode, 202);
	});

	it('refuses to listen beyond loopback unless allowRemote says so', async () => {
		const exposed = new CallbackReceiver({ host: '0.0.0.0', authenticate: async () => ({ accept: true, valid: true }) });
		receivers.push(exposed);
		await assert.rejects(exposed.start(), /Refusing to listen on 0\.0\.0\.0.*allowRemote/);
		assert.equal(exposed.isRunning, false);
		const allowed = new CallbackReceiver({ host: '0.0.0.0', allowRemote: true, authenticate: async () => ({ accept: true, valid: true }) });
		receivers.push(allowed);
		const url = await allowed.start();
		assert.match(url, /^http:\/\/0\.0\.0\.0:\d+\//);
		const res = await request(`http://127.0.0.1:${allowed.port}/health`);
		assert.equal(res.statusCode, 200);
		await res.body.dump();
	});
});
