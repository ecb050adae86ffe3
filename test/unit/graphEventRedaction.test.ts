// Request events carry the response headers and body redacted on first read (the benchmarks made that lazy):
// they must still never show a secret, and must show what was received even if the caller changed its copy.
import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { GraphClient, type GraphRequestEvent } from '../../src/core/graph/graphClient';

describe('GraphClient events: lazily redacted responses', () => {
	const token = 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJ1bml0In0.c2lnbmF0dXJl';
	let server: http.Server;
	let client: GraphClient;
	const events: GraphRequestEvent[] = [];

	before(async () => {
		server = http.createServer((req, res) => {
			req.resume();
			req.on('end', () => {
				// The server echoes the bearer token and a secret in its body, and sets a cookie: all must be scrubbed.
				res.writeHead(200, { 'content-type': 'application/json', 'set-cookie': 'session=abc123456789', 'request-id': 'rid-1' });
				res.end(JSON.stringify({ id: 'call-1', state: 'established', echo: req.headers.authorization, client_secret: 'super-secret-value', nested: { access_token: 'at-123456789' } }));
			});
		});
		await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
		const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
		client = new GraphClient({ profileName: 'unit', baseUrl: `${url}/v1.0`, graphHost: url, tokenProvider: { getToken: async () => ({ token, expiresOn: new Date(Date.now() + 60_000) }) } });
		client.onDidRequest((e) => events.push(e));
	});

	after(async () => {
		client.dispose();
		server.closeAllConnections();
		await new Promise<void>((r) => server.close(() => r()));
	});

	it('redacts the body and headers when read, and is not affected by the caller changing its body', async () => {
		const res = await client.request<Record<string, unknown>>({ method: 'GET', path: '/communications/calls/call-1' });
		assert.equal(res.body.echo, `Bearer ${token}`, 'the caller gets the body as received');
		res.body.state = 'changed by the caller';
		const e = events.at(-1)!;
		const body = e.responseBody as Record<string, unknown>;
		assert.equal(body.state, 'established');
		assert.equal(body.id, 'call-1');
		assert.equal(body.client_secret, '[redacted]');
		assert.deepEqual(body.nested, { access_token: '[redacted]' });
		assert.ok(!String(body.echo).includes(token), 'the echoed token is scrubbed');
		assert.equal(e.responseHeaders?.['set-cookie'], '[redacted]');
		assert.equal(e.responseHeaders?.['request-id'], 'rid-1');
		assert.equal(e.responseBody, body, 'computed once');
		const serialized = JSON.stringify(events);
		for (const secret of [token, 'super-secret-value', 'at-123456789', 'abc123456789']) assert.ok(!serialized.includes(secret), `no ${secret.slice(0, 6)}… in the serialized events`);
		assert.ok(serialized.includes('"responseBody"'), 'the getters are enumerable, so exports see them');
	});
});
