import * as assert from 'node:assert/strict';
import { request } from 'undici';
import { CallbackReceiver } from '../../src/core/callbacks/callbackReceiver';
import type { NotificationRecord } from '../../src/core/callbacks/notificationRecord';
import { PROBE_HEADER } from '../../src/core/tunnel/reachabilityProbe';

const BODY = JSON.stringify({
	'@odata.type': '#microsoft.graph.commsNotifications',
	value: [{ '@odata.type': '#microsoft.graph.commsNotification', changeType: 'created', resourceUrl: '/communications/calls/c1', resourceData: { state: 'incoming' } }],
});

/** The receiver's answer to reachability probes, attacked: it must tell a stranger nothing and keep its Host guard. */
describe('receiver: reachability probes, attacked', () => {
	let r: CallbackReceiver;
	let url: string;
	let records: NotificationRecord[];
	let processed: NotificationRecord[];

	beforeEach(async () => {
		records = [];
		processed = [];
		// Relaxed: any token is accepted, so a probe header that slipped through would show as a notification.
		r = new CallbackReceiver({ authenticate: async () => ({ accept: true, valid: false, relaxed: true }), process: (rec) => void processed.push(rec), publicHosts: () => ['abc-3978.usw2.devtunnels.ms'] });
		r.onDidRecord((rec) => records.push(rec));
		url = await r.start();
	});

	afterEach(async () => {
		await r.stop();
		r.dispose();
	});

	it('answers an expected nonce once: 200, no body, only the nonce echoed; never recorded, processed or counted as accepted', async () => {
		const expectation = r.expectProbe('nonce-1');
		const res = await request(url, { method: 'POST', headers: { [PROBE_HEADER]: 'nonce-1', 'content-type': 'application/json' }, body: '{}' });
		const text = await res.body.text();
		assert.equal(res.statusCode, 200);
		assert.equal(text, '');
		assert.equal(res.headers[PROBE_HEADER], 'nonce-1');
		assert.deepEqual(Object.keys(res.headers).filter((h) => !['content-length', 'cache-control', 'date', 'connection', 'keep-alive', PROBE_HEADER].includes(h)), [], 'nothing else is said');
		assert.deepEqual(await expectation.arrived, { path: '/api/calling', host: new URL(url).host });
		const again = await request(url, { method: 'POST', headers: { [PROBE_HEADER]: 'nonce-1', 'content-type': 'application/json' }, body: BODY });
		await again.body.dump();
		assert.equal(again.statusCode, 202, 'a replayed nonce is an ordinary POST (here: accepted as a notification, relaxed)');
		await r.whenIdle();
		assert.equal(r.stats.probes, 1);
		assert.equal(records.length, 1, 'only the replay was recorded');
		assert.equal(processed.length, 1);
	});

	it('a guessed nonce gets what any request gets: GET 405, a POST goes through validation like a notification', async () => {
		r.expectProbe('the-real-one');
		const get = await request(url, { method: 'GET', headers: { [PROBE_HEADER]: 'guess' } });
		assert.equal(get.statusCode, 405);
		assert.doesNotMatch(await get.body.text(), /probe|guess|real/i);
		assert.equal(get.headers[PROBE_HEADER], undefined);
		const post = await request(url, { method: 'POST', headers: { [PROBE_HEADER]: 'guess', 'content-type': 'application/json' }, body: '{}' });
		assert.equal(post.statusCode, 400, 'an empty body is not a notification');
		assert.equal(post.headers[PROBE_HEADER], undefined);
		await post.body.dump();
		assert.equal(r.stats.probes, 0);
	});

	it('keeps the Host guard: an expected nonce through a name the receiver does not serve gets 421 and does not arrive', async () => {
		const expectation = r.expectProbe('nonce-2');
		let arrived = false;
		void expectation.arrived.then(() => (arrived = true));
		const res = await request(url, { method: 'POST', headers: { host: 'attacker.example.com', [PROBE_HEADER]: 'nonce-2', 'content-type': 'application/json' }, body: '{}' });
		await res.body.dump();
		assert.equal(res.statusCode, 421);
		assert.equal(res.headers[PROBE_HEADER], undefined);
		await new Promise((resolve) => setTimeout(resolve, 20));
		assert.equal(arrived, false);
		const viaTunnel = await request(url, { method: 'POST', headers: { host: 'abc-3978.usw2.devtunnels.ms', [PROBE_HEADER]: 'nonce-2', 'content-type': 'application/json' }, body: '{}' });
		await viaTunnel.body.dump();
		assert.equal(viaTunnel.statusCode, 200, 'the same nonce through the tunnel\'s public name is answered');
	});

	it('a disposed expectation is no longer answered', async () => {
		r.expectProbe('nonce-3').dispose();
		const res = await request(url, { method: 'GET', headers: { [PROBE_HEADER]: 'nonce-3' } });
		await res.body.dump();
		assert.equal(res.statusCode, 405);
	});
});
