import * as assert from 'node:assert/strict';
import { newDocumentText } from '../../src/core/requests/callExamples';
import { parseHttpDocument } from '../../src/core/requests/httpDocument';
import { formatResponse } from '../../src/core/requests/responseText';

describe('requests: response text and starter document', () => {
	it('shows status, duration, profile, ids, headers and pretty JSON', () => {
		const text = formatResponse({
			profileName: 'Emulator', method: 'POST', url: 'https://127.0.0.1:9/v1.0/communications/calls', status: 201, durationMs: 42.4,
			headers: { 'content-type': 'application/json', location: '/v1.0/communications/calls/c1' }, body: { id: 'c1', state: 'establishing' },
			requestId: 'r-1', clientRequestId: 'c-1',
		});
		assert.equal(text, [
			'# POST https://127.0.0.1:9/v1.0/communications/calls',
			'# 201 Created · 42 ms · profile Emulator',
			'# request-id: r-1 · client-request-id: c-1',
			'',
			'HTTP/1.1 201 Created',
			'content-type: application/json',
			'location: /v1.0/communications/calls/c1',
			'',
			'{',
			'  "id": "c1",',
			'  "state": "establishing"',
			'}',
			'',
		].join('\n'));
	});

	it('says when the request went out without the token, and shows text and empty bodies as they are', () => {
		const text = formatResponse({ profileName: 'P', method: 'GET', url: 'https://example.com/x', status: 204, durationMs: 1, headers: {}, body: undefined, sentWithoutToken: true });
		assert.match(text, /sent WITHOUT the access token/);
		assert.ok(text.endsWith('HTTP/1.1 204 No Content\n'));
		assert.ok(formatResponse({ profileName: 'P', method: 'GET', url: 'u', status: 599, durationMs: 1, headers: {}, body: 'plain text' }).endsWith('HTTP/1.1 599\n\nplain text\n'));
	});

	it('the starter document parses cleanly and names its requests', () => {
		const doc = parseHttpDocument(newDocumentText());
		assert.deepEqual(doc.diagnostics, []);
		assert.deepEqual(doc.requests.map((r) => r.name), ['createCallUser', 'getCall', 'playPrompt', 'listParticipants', 'keepAlive', 'deleteCall']);
		assert.deepEqual(doc.requests.map((r) => r.method), ['POST', 'GET', 'POST', 'GET', 'POST', 'DELETE']);
	});
});
