// The emulator's event feed keeps bounded memory (a ring of FEED_CAPACITY events), and lint findings land on the
// entry they name in a HAR file's text.
import * as assert from 'node:assert/strict';
import { Emitter } from '../../src/core/event';
import { Clock } from '../../src/core/emulator/clock';
import { EventFeed, FEED_CAPACITY, type FeedServedRequest } from '../../src/core/emulator/eventFeed';
import type { DeliveryRecord } from '../../src/core/emulator/webhooks';
import { harEntryOffsets } from '../../src/core/traffic/harPositions';
import { parseHar } from '../../src/core/traffic/harReader';

function served(i: number): FeedServedRequest {
	return { method: 'POST', path: `/v1.0/communications/calls/c${i}/keepAlive`, url: `/v1.0/communications/calls/c${i}/keepAlive`, status: 200, action: 'call.keepAlive', appId: 'app', startedAt: Date.now(), durationMs: 1, requestHeaders: {}, requestBody: '', responseHeaders: {} };
}

describe('emulator event feed bounds', () => {
	it('keeps only the last FEED_CAPACITY events, replays from there, and its HAR holds exactly those', () => {
		const serve = new Emitter<FeedServedRequest>();
		const clock = new Clock(1);
		const feed = new EventFeed({ origin: () => 'https://127.0.0.1:1', clock, apps: new Map(), onDidServe: serve.event, onDidDeliver: new Emitter<DeliveryRecord>().event });
		try {
			for (let i = 1; i <= FEED_CAPACITY + 1500; i++) serve.fire(served(i));
			assert.equal(feed.size, FEED_CAPACITY);
			assert.equal(feed.lastSeq, FEED_CAPACITY + 1500);
			const kept = feed.after(0);
			assert.equal(kept[0].seq, 1501);
			const har = parseHar(feed.harJson('test'));
			assert.equal(har.log.entries.length, FEED_CAPACITY);
			assert.equal(har.log.entries[0]._callId, 'c1501');
			// The control API and the token endpoint are not traffic.
			serve.fire({ ...served(0), path: '/_emulator/state', url: '/_emulator/state' });
			assert.equal(feed.lastSeq, FEED_CAPACITY + 1500);
		} finally {
			feed.dispose();
			clock.dispose();
		}
	});

	it('finds each entry of a HAR text, strings with braces and nested arrays notwithstanding', () => {
		const text = JSON.stringify({ log: { version: '1.2', creator: { name: 'x', version: '1' }, pages: [{ id: '{[' }], entries: [{ a: '}{', b: [{ c: 1 }] }, { d: '"]' }] } }, null, 2);
		const offsets = harEntryOffsets(text);
		assert.equal(offsets.length, 2);
		assert.ok(text.slice(offsets[0]).replace(/\s/g, '').startsWith('{"a":"}{"'));
		assert.ok(text.slice(offsets[1]).replace(/\s/g, '').startsWith('{"d":"\\"]"'));
		assert.deepEqual(harEntryOffsets('{"entries":[{}]}'), [], 'entries outside log are not HAR entries');
	});
});
