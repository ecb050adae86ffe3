// The traffic record: what the builders write (directions, bodies, statuses, redaction) and what the reader accepts.
import * as assert from 'node:assert/strict';
import type { GraphRequestEvent } from '../../src/core/graph/graphClient';
import { toHar } from '../../src/core/traffic/har';
import { HarFormatError, parseHar } from '../../src/core/traffic/harReader';
import { lintTraffic } from '../../src/core/traffic/lint';
import { rolesOfToken, TrafficRecorder } from '../../src/core/traffic/trafficRecord';
import { at, CALLBACK, callState, incoming } from './trafficFixtures';

const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
const TOKEN = `${b64({ typ: 'JWT', alg: 'RS256' })}.${b64({ aud: 'https://graph.microsoft.com', roles: ['Calls.Initiate.All', 'Calls.AccessMedia.All'] })}.c2lnbmF0dXJlLXNpZ25hdHVyZQ`;

function event(ms: number, extra: Partial<GraphRequestEvent> = {}): GraphRequestEvent {
	return {
		sequence: 1,
		profileName: 'Contoso',
		startedDateTime: at(ms),
		method: 'POST',
		url: 'https://graph.microsoft.com/v1.0/communications/calls/2e1a0b00-2db4-4022-9570-243709c565ab/answer',
		path: '/communications/calls/2e1a0b00-2db4-4022-9570-243709c565ab/answer',
		action: 'call.answer',
		attempt: 1,
		clientRequestId: '11111111-2222-4333-8444-555555555555',
		requestHeaders: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
		requestBody: { callbackUri: CALLBACK, acceptedModalities: ['audio'], mediaConfig: { '@odata.type': '#microsoft.graph.serviceHostedMediaConfig' } },
		status: 202,
		responseHeaders: { 'request-id': 'abc' },
		durationMs: 80,
		...extra,
	};
}

describe('traffic record', () => {
	it('writes requests as out entries and notifications as in entries with the body and the bot\'s answer, in time order', () => {
		const rec = new TrafficRecorder();
		rec.addRequest(event(2000));
		rec.addNotification({ url: CALLBACK, startedDateTime: at(0), durationMs: 12, headers: { authorization: `Bearer ${TOKEN}` }, body: { '@odata.type': '#microsoft.graph.commsNotifications', value: [incoming()] }, status: 202 });
		rec.addNotification({ url: CALLBACK, startedDateTime: at(2500), durationMs: 9000, headers: {}, body: JSON.stringify({ value: [callState('established')] }), status: 500 });
		rec.addAction({ time: at(1000), actor: 'Adele Vance', action: 'dialled the bot' });
		rec.noteToken(TOKEN);
		const har = rec.toHar('1.0.0');
		assert.equal(har.log.version, '1.2');
		assert.deepEqual(har.log.entries.map((e) => [e._direction, e.request.method, e.response.status]), [['in', 'POST', 202], ['out', 'POST', 202], ['in', 'POST', 500]]);
		const [first, , third] = har.log.entries;
		assert.equal(first.request.url, CALLBACK);
		assert.equal(JSON.parse(first.request.postData!.text).value[0].resourceData.state, 'incoming');
		assert.equal(third.time, 9000);
		assert.deepEqual(har.log._actions, [{ time: at(1000), actor: 'Adele Vance', action: 'dialled the bot' }]);
		assert.deepEqual(har.log._roles, ['Calls.Initiate.All', 'Calls.AccessMedia.All']);
		// The roles are read; the token (or any of its pieces) is written nowhere.
		const text = JSON.stringify(har);
		assert.ok(!text.includes(TOKEN.split('.')[1]), 'the token payload leaked into the HAR');
		assert.ok(!text.includes('c2lnbmF0dXJlLXNpZ25hdHVyZQ'), 'the token signature leaked into the HAR');
	});

	it('a recorded record round-trips through the reader and lint', () => {
		const rec = new TrafficRecorder();
		rec.addNotification({ url: CALLBACK, startedDateTime: at(0), durationMs: 12, headers: {}, body: { value: [incoming()] }, status: 202 });
		rec.addRequest(event(20_000));
		const findings = lintTraffic(parseHar(JSON.stringify(rec.toHar('1.0.0'))));
		assert.deepEqual(findings.map((f) => [f.rule, f.entry]), [['answer-late', 1]]);
	});

	it('with a time scale, writes emulated start times (origin + elapsed x speed) and keeps durations real', () => {
		const origin = Date.parse(at(0));
		const rec = new TrafficRecorder({ timeScale: { speed: 100, origin } });
		rec.addRequest(event(1000, { durationMs: 80 }));
		rec.addAction({ time: at(2000), actor: 'Adele Vance', action: 'hung up' });
		const har = rec.toHar('1.0.0');
		assert.equal(har.log.entries[0].startedDateTime, at(100_000));
		assert.equal(har.log.entries[0].time, 80);
		assert.equal(har.log._actions![0].time, at(200_000));
		assert.match(har.log.comment!, /100 times faster/);
		assert.throws(() => new TrafficRecorder({ timeScale: { speed: 0, origin } }), RangeError);
	});

	it('the request log\'s HAR export is a traffic record: out entries that lint reads', () => {
		const har = toHar([event(0, { url: 'https://graph.microsoft.com/v1.0/communications/calls', path: '/communications/calls', action: 'call.create', requestBody: { targets: [{ identity: { user: { id: 'u1' } } }] }, status: 201, responseBody: { id: 'c1' } })], '1.0.0');
		assert.equal(har.log.entries[0]._direction, 'out');
		assert.deepEqual(lintTraffic(parseHar(JSON.stringify(har))).map((f) => f.rule), ['missing-tenant-id']);
	});

	it('rolesOfToken reads the roles claim and gives [] for something that is not a JWT', () => {
		assert.deepEqual(rolesOfToken(`Bearer ${TOKEN}`), ['Calls.Initiate.All', 'Calls.AccessMedia.All']);
		assert.deepEqual(rolesOfToken('not-a-token'), []);
	});

	describe('reader', () => {
		const browserHar = {
			log: {
				version: '1.2',
				creator: { name: 'WebInspector', version: '537.36' },
				pages: [],
				entries: [{ startedDateTime: at(0), time: 50, request: { method: 'GET', url: 'https://graph.microsoft.com/v1.0/communications/calls/abc', httpVersion: 'h2', headers: [], queryString: [], cookies: [], headersSize: -1, bodySize: 0 }, response: { status: 200, statusText: '', httpVersion: 'h2', headers: [], cookies: [], content: { size: 0, mimeType: 'application/json' }, redirectURL: '', headersSize: -1, bodySize: 0 }, cache: {}, timings: { send: 0, wait: 50, receive: 0 } }],
			},
		};

		it('reads a browser\'s HAR (no _direction: the entries are requests the bot made), with a BOM', () => {
			const log = parseHar(`\ufeff${JSON.stringify(browserHar)}`);
			assert.equal(log.log.entries.length, 1);
			assert.deepEqual(lintTraffic(log), []);
		});

		const bad: [string, string, RegExp][] = [
			['not JSON', '{"log": ', /not JSON/],
			['no log', '{}', /"log" is missing/],
			['HAR 2', JSON.stringify({ log: { version: '2.0', entries: [] } }), /log\.version is "2\.0"/],
			['entries not a list', JSON.stringify({ log: { version: '1.2', entries: {} } }), /log\.entries is not an array/],
			['bad date', JSON.stringify({ log: { version: '1.2', entries: [{ ...browserHar.log.entries[0], startedDateTime: 'yesterday' }] } }), /log\.entries\[0\]\.startedDateTime/],
			['no url', JSON.stringify({ log: { version: '1.2', entries: [{ ...browserHar.log.entries[0], request: { method: 'GET' } }] } }), /log\.entries\[0\]\.request\.url is missing/],
			['bad direction', JSON.stringify({ log: { version: '1.2', entries: [{ ...browserHar.log.entries[0], _direction: 'sideways' }] } }), /_direction/],
			['bad roles', JSON.stringify({ log: { version: '1.2', entries: [], _roles: 'Calls.Initiate.All' } }), /log\._roles/],
		];
		for (const [what, text, reason] of bad) {
			it(`rejects ${what} with a located reason`, () => {
				assert.throws(() => parseHar(text), (err: unknown) => err instanceof HarFormatError && reason.test(err.message));
			});
		}
	});
});
