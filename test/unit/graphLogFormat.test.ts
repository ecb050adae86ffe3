import * as assert from 'node:assert/strict';
import type { GraphRequestEvent } from '../../src/core/graph/graphClient';
import { toHar } from '../../src/core/traffic/har';
import { formatRequestDetails, formatRequestLine } from '../../src/core/graph/requestLogFormat';

const base: GraphRequestEvent = {
	sequence: 1,
	profileName: 'Emulator',
	startedDateTime: '2026-11-28T06:00:00.000Z',
	method: 'POST',
	url: 'https://127.0.0.1:4443/v1.0/communications/calls/abc/playPrompt',
	path: '/communications/calls/abc/playPrompt',
	action: 'call.playPrompt',
	attempt: 1,
	clientRequestId: '11111111-2222-4333-8444-555555555555',
	requestHeaders: { 'content-type': 'application/json', authorization: '[redacted]' },
	requestBody: { prompts: [{ mediaInfo: { uri: 'https://a.example/a.wav' } }] },
	status: 200,
	requestId: 'rid-1',
	responseHeaders: { 'content-type': 'application/json', 'request-id': 'rid-1' },
	responseBody: { id: 'op-1', status: 'running' },
	durationMs: 84,
};

describe('graph request log format', () => {
	it('writes one line per request with method, path, status, duration and ids', () => {
		assert.equal(formatRequestLine(base), 'POST /communications/calls/abc/playPrompt -> 200 in 84 ms [client-request-id 11111111-2222-4333-8444-555555555555, request-id rid-1]');
	});

	it('says what failed and what happens next', () => {
		const line = formatRequestLine({ ...base, status: undefined, requestId: undefined, error: 'no answer within 30 s', attempt: 2, next: 'retrying in 500 ms' });
		assert.equal(line, 'POST /communications/calls/abc/playPrompt -> failed (no answer within 30 s) in 84 ms (attempt 2), retrying in 500 ms [client-request-id 11111111-2222-4333-8444-555555555555]');
	});

	it('details show redacted headers and pretty bodies of both sides', () => {
		const text = formatRequestDetails({ ...base, requestHeaders: { authorization: 'Bearer abc.def', 'x-secret-thing': 'v' } });
		assert.match(text, /^> POST https:\/\/127\.0\.0\.1:4443\/v1\.0\/communications\/calls\/abc\/playPrompt/);
		assert.match(text, /  authorization: \[redacted\]/);
		assert.match(text, /  x-secret-thing: \[redacted\]/);
		assert.match(text, /"status": "running"/);
		assert.match(text, /< 200/);
	});

	it('exports HAR 1.2 entries with request, response, timings and the ids in the comment', () => {
		const har = toHar([base, { ...base, sequence: 2, status: undefined, responseHeaders: undefined, responseBody: undefined, error: 'ECONNREFUSED' }], '1.2.3');
		assert.equal(har.log.version, '1.2');
		assert.equal(har.log.creator.version, '1.2.3');
		const [ok, failed] = har.log.entries;
		assert.equal(ok.request.method, 'POST');
		assert.equal(ok.request.postData?.mimeType, 'application/json');
		assert.deepEqual(JSON.parse(ok.request.postData!.text), base.requestBody);
		assert.equal(ok.response.status, 200);
		assert.deepEqual(JSON.parse(ok.response.content.text!), base.responseBody);
		assert.equal(ok.time, 84);
		assert.match(ok.comment!, /client-request-id 11111111/);
		assert.equal(failed.response.status, 0);
		assert.equal(failed.response._error, 'ECONNREFUSED');
	});
});
