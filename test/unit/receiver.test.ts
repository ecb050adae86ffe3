import * as assert from 'node:assert/strict';
import * as net from 'node:net';
import { Readable } from 'node:stream';
import { request } from 'undici';
import { CallbackReceiver, type AuthDecision, type CallbackReceiverOptions } from '../../src/core/callbacks/callbackReceiver';
import type { NotificationRecord } from '../../src/core/callbacks/notificationRecord';
import { recordToJson } from '../../src/core/callbacks/notificationRecord';

const BODY = JSON.stringify({
	'@odata.type': '#microsoft.graph.commsNotifications',
	value: [{ '@odata.type': '#microsoft.graph.commsNotification', changeType: 'created', resourceUrl: '/communications/calls/c1', resourceData: { state: 'incoming' } }],
});
const TOKEN = 'Bearer eyJhbGciOiJSUzI1NiJ9.secret-part.sig';
const valid: AuthDecision = { accept: true, valid: true, profileName: 'P' };

describe('receiver: HTTP behaviour', () => {
	const receivers: CallbackReceiver[] = [];
	async function start(opts: Partial<CallbackReceiverOptions> = {}) {
		const records: NotificationRecord[] = [];
		const processed: NotificationRecord[] = [];
		const r = new CallbackReceiver({ authenticate: async () => valid, process: (rec) => void processed.push(rec), ...opts });
		r.onDidRecord((rec) => records.push(rec));
		receivers.push(r);
		const url = await r.start();
		return { r, url, records, processed };
	}
	const post = (url: string, body: string, headers: Record<string, string> = {}) =>
		request(url, { method: 'POST', body, headers: { 'content-type': 'application/json', authorization: TOKEN, ...headers } });

	after(async () => {
		for (const r of receivers) await r.stop();
	});

	it('answers 202 before processing, then processes the notification', async () => {
		let release!: () => void;
		const gate = new Promise<void>((r) => (release = r));
		const { r, url, records, processed } = await start({ process: async (rec) => { await gate; processed.push(rec); } });
		assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/api\/calling$/);
		const res = await post(url, BODY);
		assert.equal(res.statusCode, 202);
		await res.body.dump();
		assert.equal(records.length, 1);
		assert.equal(processed.length, 0, 'the 202 must not wait for the work');
		release();
		await r.whenIdle();
		assert.equal(processed.length, 1);
		assert.equal(processed[0].summaries[0].state, 'incoming');
		assert.deepEqual([r.stats.accepted, r.stats.processed], [1, 1]);
	});

	it('records bad JSON and wrong shapes as 400 with the reason, and keeps serving', async () => {
		const { r, url, records, processed } = await start();
		const a = await post(url, '{not json');
		assert.equal(a.statusCode, 400);
		assert.match(await a.body.text(), /not valid JSON/);
		const b = await post(url, '{"hello": "world"}');
		assert.equal(b.statusCode, 400);
		await b.body.dump();
		assert.deepEqual(records.map((x) => [x.responseStatus, x.accepted]), [[400, false], [400, false]]);
		const c = await post(url, BODY);
		assert.equal(c.statusCode, 202);
		await c.body.dump();
		await r.whenIdle();
		assert.equal(processed.length, 1);
	});

	it('rejects wrong content types with 415 and other methods with 405; GET / reports health', async () => {
		const { url, records } = await start();
		const a = await post(url, BODY, { 'content-type': 'text/plain' });
		assert.equal(a.statusCode, 415);
		await a.body.dump();
		assert.match(records[0].reason ?? '', /text\/plain/);
		const b = await request(url, { method: 'PUT', body: BODY });
		assert.equal(b.statusCode, 405);
		assert.equal(b.headers.allow, 'POST');
		await b.body.dump();
		const c = await request(new URL('/', url));
		assert.equal(c.statusCode, 200);
		assert.match(await c.body.text(), /Graph Calls Workbench/);
	});

	it('answers 413 to a body above the limit, whether declared or streamed', async () => {
		const { url, records } = await start({ maxBodyBytes: 1000 });
		const big = JSON.stringify({ value: [{ changeType: 'updated', resourceUrl: '/communications/calls/x', resourceData: { pad: 'x'.repeat(5000) } }] });
		const a = await post(url, big);
		assert.equal(a.statusCode, 413);
		await a.body.dump();
		// Chunked: no content-length, the limit is enforced while reading.
		const b = await request(url, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: Readable.from((function* () {
				for (let i = 0; i < 10; i++) yield Buffer.from('x'.repeat(500));
			})()),
		}).then((res) => res.statusCode, (err: Error) => err.message);
		assert.ok(b === 413 || /closed|reset|socket/i.test(String(b)), `got ${b}`);
		assert.deepEqual(records.map((x) => x.responseStatus), [413, 413]);
	});

	it('closes a slow body with 408 and records it', async () => {
		const { r, url, records } = await start({ bodyTimeoutMs: 150 });
		const { port } = new URL(url);
		const reply = await new Promise<string>((resolve) => {
			const s = net.connect(Number(port), '127.0.0.1', () => s.write(`POST /api/calling HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"va`));
			let text = '';
			s.on('data', (d) => (text += d));
			s.on('close', () => resolve(text));
		});
		assert.match(reply, /^HTTP\/1\.1 408/);
		assert.equal(records[0].responseStatus, 408);
		await r.whenIdle();
	});

	it('survives garbage on the socket', async () => {
		const { url } = await start();
		const { port } = new URL(url);
		const reply = await new Promise<string>((resolve) => {
			const s = net.connect(Number(port), '127.0.0.1', () => s.write('\x00\x01 NOT HTTP AT ALL\r\n\r\n'));
			let text = '';
			s.on('data', (d) => (text += d));
			s.on('close', () => resolve(text));
		});
		assert.match(reply, /400/);
		const ok = await post(url, BODY);
		assert.equal(ok.statusCode, 202);
		await ok.body.dump();
	});

	it('rejects what authenticate refuses with its status and reason, records it, and does not process it', async () => {
		const { r, url, records, processed } = await start({ authenticate: async (auth) => (auth ? { accept: false, valid: false, status: 403, reason: 'forged' } : { accept: false, valid: false, status: 401, reason: 'no token' }) });
		const a = await post(url, BODY);
		assert.equal(a.statusCode, 403);
		assert.match(await a.body.text(), /forged/);
		const b = await request(url, { method: 'POST', body: BODY, headers: { 'content-type': 'application/json' } });
		assert.equal(b.statusCode, 401);
		await b.body.dump();
		await r.whenIdle();
		assert.equal(processed.length, 0);
		assert.deepEqual(records.map((x) => [x.responseStatus, x.valid, x.reason, x.notifications.length]), [[403, false, 'forged', 1], [401, false, 'no token', 1]]);
	});

	it('accepts relaxed invalid notifications but marks them invalid', async () => {
		const { r, url, records, processed } = await start({ authenticate: async () => ({ accept: true, valid: false, relaxed: true, reason: 'expired' }) });
		const a = await post(url, BODY);
		assert.equal(a.statusCode, 202);
		await a.body.dump();
		await r.whenIdle();
		assert.equal(processed.length, 1);
		assert.deepEqual([records[0].valid, records[0].relaxed, records[0].reason], [false, true, 'expired']);
	});

	it('never lets the token reach the record or its JSON', async () => {
		const { url, records } = await start();
		await (await post(url, BODY, { cookie: 'session=abc' })).body.dump();
		const text = JSON.stringify(recordToJson(records[0]));
		assert.ok(!text.includes('secret-part'), text);
		assert.ok(!text.includes('session=abc'));
		assert.equal(records[0].headers.authorization, 'Bearer <redacted>');
	});

	it('redacts recording access tokens in the JSON view but keeps the body intact for replay', async () => {
		const { url, records } = await start();
		const body = JSON.stringify({ value: [{ changeType: 'deleted', resourceUrl: '/communications/calls/c1/operations/o1', resourceData: { '@odata.type': '#microsoft.graph.recordOperation', status: 'completed', recordingLocation: 'https://x/rec', recordingAccessToken: 'rec-secret-123' } }] });
		await (await post(url, body)).body.dump();
		const json = JSON.stringify(recordToJson(records[0]));
		assert.ok(!json.includes('rec-secret-123'), json);
		assert.match(json, /"recordingAccessToken":"<redacted>"/);
		assert.match(json, /https:\/\/x\/rec/);
		assert.equal(records[0].body, body);
	});

	it('answers 503 with Retry-After when the queue is full, and every request is accounted for', async () => {
		let release!: () => void;
		const gate = new Promise<void>((r) => (release = r));
		const processed: string[] = [];
		const { r, url } = await start({ queueLimit: 5, process: async (rec) => { await gate; processed.push(rec.id); } });
		const statuses = await Promise.all(
			Array.from({ length: 40 }, () => post(url, BODY).then(async (res) => {
				if (res.statusCode === 503) assert.equal(res.headers['retry-after'], '1');
				await res.body.dump();
				return res.statusCode;
			})),
		);
		const accepted = statuses.filter((s) => s === 202).length;
		const busy = statuses.filter((s) => s === 503).length;
		assert.equal(accepted + busy, 40);
		assert.ok(accepted >= 1 && accepted <= 5, `accepted ${accepted}`);
		assert.ok(busy >= 35);
		release();
		await r.whenIdle();
		assert.equal(processed.length, accepted, 'every accepted notification is processed');
		assert.equal(r.stats.overloaded, busy);
	});

	it('stop() processes what was accepted before closing', async () => {
		const processed: string[] = [];
		const { r, url } = await start({ process: async (rec) => { await new Promise((res) => setTimeout(res, 20)); processed.push(rec.id); } });
		for (let i = 0; i < 3; i++) await (await post(url, BODY)).body.dump();
		await r.stop();
		assert.equal(processed.length, 3);
		assert.equal(r.url, undefined);
		await assert.rejects(post(url, BODY));
	});

	it('explains a port that is in use', async () => {
		const { r } = await start();
		const other = new CallbackReceiver({ port: r.port, authenticate: async () => valid });
		await assert.rejects(other.start(), /already in use.*graphCalls\.receiver\.port/);
		other.dispose();
	});
});
