import * as assert from 'node:assert/strict';
import { CallbackReceiver } from '../../src/core/callbacks/callbackReceiver';
import { NotificationHistory } from '../../src/core/callbacks/notificationHistory';
import type { NotificationRecord } from '../../src/core/callbacks/notificationRecord';
import { NotificationRelay } from '../../src/core/callbacks/notificationRelay';
import { request } from 'undici';
import { startTestBot } from './callbacksTestServers';

const body = (id: string, state: string) => JSON.stringify({ value: [{ changeType: 'updated', resourceUrl: `/communications/calls/${id}`, resourceData: { state } }] });

describe('callbacks: relay, replay and history', () => {
	let receiver: CallbackReceiver;
	const records: NotificationRecord[] = [];

	before(async () => {
		receiver = new CallbackReceiver({ authenticate: async () => ({ accept: true, valid: true }) });
		receiver.onDidRecord((r) => records.push(r));
		await receiver.start();
	});
	after(() => receiver.stop());

	async function capture(b: string, extraHeaders: Record<string, string> = {}): Promise<NotificationRecord> {
		const res = await request(receiver.url!, { method: 'POST', body: b, headers: { 'content-type': 'application/json', authorization: 'Bearer tok.en.sig', 'x-custom': 'kept', ...extraHeaders } });
		await res.body.dump();
		await receiver.whenIdle();
		return records[records.length - 1];
	}

	it('forwards body and headers unchanged, in order, and records the bot status and time', async () => {
		const bot = await startTestBot(200);
		const relay = new NotificationRelay({ target: `${bot.url}/api/calling` });
		try {
			const recs = [await capture(body('a', 'establishing')), await capture(body('a', 'established')), await capture(body('a', 'terminated'))];
			for (const r of recs) relay.enqueue(r);
			await relay.whenIdle();
			assert.deepEqual(bot.received.map((x) => JSON.parse(x.body).value[0].resourceData.state), ['establishing', 'established', 'terminated']);
			assert.equal(bot.received[0].body, recs[0].body, 'body unchanged');
			assert.equal(bot.received[0].headers.authorization, 'Bearer tok.en.sig', 'the bot gets the real token to validate');
			assert.equal(bot.received[0].headers['x-custom'], 'kept');
			assert.equal(bot.received[0].headers['content-type'], 'application/json');
			for (const r of recs) {
				assert.equal(r.relay?.status, 200);
				assert.equal(r.relay?.kind, 'relay');
				assert.ok(typeof r.relay?.durationMs === 'number' && r.relay.durationMs >= 0);
			}
		} finally {
			relay.dispose();
			await bot.close();
		}
	});

	it('records the bot error status and an unreachable bot with a reason', async () => {
		const bot = await startTestBot(500);
		const relay = new NotificationRelay({ target: bot.url });
		try {
			const r1 = await capture(body('b', 'established'));
			relay.enqueue(r1);
			await relay.whenIdle();
			assert.equal(r1.relay?.status, 500);
			await bot.close();
			const r2 = await capture(body('b', 'terminated'));
			relay.enqueue(r2);
			await relay.whenIdle();
			assert.equal(r2.relay?.status, undefined);
			assert.match(r2.relay?.error ?? '', /Could not reach the bot.*ECONNREFUSED/);
		} finally {
			relay.dispose();
		}
	});

	it('replays as-is or edited, keeping each outcome, and explains a missing target', async () => {
		const bot = await startTestBot(202);
		const relay = new NotificationRelay({});
		try {
			const r = await capture(body('c', 'established'));
			await assert.rejects(relay.replay(r), (e: Error & { explanation?: string }) => /No relay target/.test(e.message) && /Configure Relay Target/.test(e.explanation ?? ''));
			relay.target = bot.url;
			const o1 = await relay.replay(r);
			const edited = body('c', 'terminated');
			const o2 = await relay.replay(r, edited);
			assert.deepEqual([o1.status, o2.status, o1.kind], [202, 202, 'replay']);
			assert.equal(bot.received[0].body, r.body);
			assert.equal(bot.received[1].body, edited);
			assert.equal(r.replays.length, 2);
		} finally {
			relay.dispose();
			await bot.close();
		}
	});

	it('skips relays explicitly when the bot falls behind', async () => {
		const bot = await startTestBot(200, 100);
		const relay = new NotificationRelay({ target: bot.url, queueLimit: 2 });
		try {
			const recs = await Promise.all([1, 2, 3, 4, 5].map((i) => capture(body(`d${i}`, 'established'))));
			for (const r of recs) relay.enqueue(r);
			await relay.whenIdle();
			const skipped = recs.filter((r) => /queue is full/.test(r.relay?.error ?? ''));
			const delivered = recs.filter((r) => r.relay?.status === 200);
			assert.equal(skipped.length + delivered.length, 5);
			assert.ok(skipped.length >= 1, 'some were skipped, each marked');
			assert.equal(bot.received.length, delivered.length);
		} finally {
			relay.dispose();
			await bot.close();
		}
	});

	it('keeps history newest first, filters by call id in any case, trims old records and exports without tokens', async () => {
		const h = new NotificationHistory(3);
		const rs = [await capture(body('Call-A', 'establishing')), await capture(body('call-b', 'established')), await capture(body('call-a', 'established')), await capture(body('call-c', 'x'))];
		for (const r of rs) h.add(r);
		assert.equal(h.size, 3);
		assert.equal(h.trimmed, 1);
		assert.deepEqual(h.list().map((r) => r.id), [rs[3].id, rs[2].id, rs[1].id]);
		assert.deepEqual(h.list({ callId: 'CALL-A' }).map((r) => r.id), [rs[2].id]);
		assert.deepEqual(h.callIds(), ['call-c', 'call-a', 'call-b']);
		const exported = JSON.parse(h.toJson());
		assert.equal(exported.length, 3);
		assert.equal(exported[0].body.value[0].resourceData.state, 'established');
		assert.ok(!h.toJson().includes('tok.en.sig'));
		h.clear();
		assert.equal(h.size, 0);
	});
});
