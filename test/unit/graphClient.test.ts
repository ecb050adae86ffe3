import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TokenRequestOptions } from '../../src/core/auth/tokenProvider';
import { GraphClient, isProfileGraphUrl, type GraphRequestEvent } from '../../src/core/graph/graphClient';
import { GraphError } from '../../src/core/graph/graphError';

interface Seen {
	method: string;
	url: string;
	authorization?: string;
	clientRequestId?: string;
	at: number;
}

type Handler = (req: http.IncomingMessage, res: http.ServerResponse, hit: number) => void;

/** A scripted 127.0.0.1 server: each test sets the handler and reads what arrived. */
class ScriptedServer {
	readonly seen: Seen[] = [];
	handler: Handler = (_q, res) => res.end();
	private server = http.createServer((req, res) => {
		this.seen.push({ method: req.method!, url: req.url!, authorization: req.headers.authorization, clientRequestId: req.headers['client-request-id'] as string | undefined, at: Date.now() });
		req.resume();
		req.on('end', () => this.handler(req, res, this.seen.length));
	});
	url = '';

	async start(): Promise<this> {
		await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', () => r()));
		this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
		return this;
	}

	stop(): Promise<void> {
		this.server.closeAllConnections();
		return new Promise((r) => this.server.close(() => r()));
	}

	reset(handler: Handler): void {
		this.seen.length = 0;
		this.handler = handler;
	}
}

function json(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
	res.writeHead(status, { 'content-type': 'application/json', ...headers });
	res.end(JSON.stringify(body));
}

describe('GraphClient (against a scripted 127.0.0.1 server)', function () {
	this.timeout(15_000);
	const graph = new ScriptedServer();
	const other = new ScriptedServer();
	let tokenCalls: TokenRequestOptions[] = [];
	let client: GraphClient;
	let events: GraphRequestEvent[] = [];

	before(async () => {
		await graph.start();
		await other.start();
	});
	after(async () => {
		await graph.stop();
		await other.stop();
	});
	beforeEach(() => {
		tokenCalls = [];
		events = [];
		client = new GraphClient({
			profileName: 'unit',
			baseUrl: `${graph.url}/v1.0`,
			graphHost: graph.url,
			timeoutMs: 2000,
			retry: { baseDelayMs: 20, maxDelayMs: 50 },
			tokenProvider: {
				getToken: async (o) => {
					tokenCalls.push(o ?? {});
					return { token: `token-${tokenCalls.length}-${o?.forceRefresh ? 'fresh' : 'cached'}`, expiresOn: new Date(Date.now() + 60_000) };
				},
			},
		});
		client.onDidRequest((e) => events.push(e));
	});
	afterEach(() => client.dispose());

	it('sends JSON with a bearer token and a fresh GUID client-request-id, and parses the JSON answer', async () => {
		graph.reset((_q, res) => json(res, 200, { id: 'c1' }, { 'request-id': 'server-req-1' }));
		const r1 = await client.request<{ id: string }>({ method: 'GET', path: '/communications/calls/c1' });
		const r2 = await client.request({ method: 'GET', path: '/communications/calls/c1' });
		assert.deepEqual(r1.body, { id: 'c1' });
		assert.equal(r1.requestId, 'server-req-1');
		assert.equal(graph.seen[0].url, '/v1.0/communications/calls/c1');
		assert.equal(graph.seen[0].authorization, 'Bearer token-1-cached');
		assert.match(graph.seen[0].clientRequestId!, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
		assert.notEqual(r1.clientRequestId, r2.clientRequestId);
		assert.equal(events[0].path, '/communications/calls/c1');
		assert.equal(events[0].requestHeaders['authorization'], '[redacted]');
	});

	it('keeps the token on a same-origin redirect and drops it on a redirect to another host', async () => {
		other.reset((_q, res) => json(res, 200, { ok: true }));
		graph.reset((req, res) => {
			if (req.url!.endsWith('/a')) return json(res, 307, {}, { location: '/v1.0/b' });
			if (req.url!.endsWith('/b')) return json(res, 302, {}, { location: `${other.url}/elsewhere` });
			return json(res, 500, {});
		});
		const r = await client.request({ method: 'GET', path: '/a' });
		assert.equal(r.status, 200);
		assert.equal(graph.seen.length, 2);
		assert.ok(graph.seen.every((s) => s.authorization?.startsWith('Bearer ')));
		assert.equal(other.seen.length, 1);
		assert.equal(other.seen[0].authorization, undefined, 'the token must not leave the Graph host');
		assert.equal(events.length, 3);
		assert.match(events[1].next!, /following redirect/);
	});

	it('keeps a caller\'s own Authorization for its URL (no profile token, no refresh) and drops it on a redirect away', async () => {
		other.reset((_q, res) => json(res, 200, { ok: true }));
		graph.reset((req, res) => (req.url!.endsWith('/away') ? json(res, 302, {}, { location: `${other.url}/x` }) : json(res, 401, {})));
		const r = await client.request({ method: 'GET', path: '/recording', headers: { Authorization: 'Bearer recording-token-123' }, acceptAnyStatus: true });
		assert.equal(r.status, 401);
		assert.equal(graph.seen.length, 1, 'no refresh-and-retry for a caller\'s token');
		assert.equal(graph.seen[0].authorization, 'Bearer recording-token-123');
		assert.equal(tokenCalls.length, 0, 'the profile token was not fetched');
		assert.ok(!JSON.stringify(events).includes('recording-token-123'), 'and it is redacted');
		await client.request({ method: 'GET', path: '/away', headers: { authorization: 'Bearer recording-token-123' } });
		assert.equal(other.seen.at(-1)!.authorization, undefined);
	});

	it('isProfileGraphUrl compares the whole origin', () => {
		const emu = { cloud: 'global' as const, emulator: { graphHost: 'https://127.0.0.1:4443', authority: '', caCertPem: '', controlUrl: '' } };
		assert.equal(isProfileGraphUrl('https://127.0.0.1:4443/v1.0/x', emu), true);
		assert.equal(isProfileGraphUrl('https://127.0.0.1:4444/v1.0/x', emu), false);
		assert.equal(isProfileGraphUrl('https://graph.microsoft.com/v1.0/x', { cloud: 'global' }), true);
		assert.equal(isProfileGraphUrl('https://graph.microsoft.com.evil.example/v1.0/x', { cloud: 'global' }), false);
		assert.equal(isProfileGraphUrl('http://graph.microsoft.com/v1.0/x', { cloud: 'global' }), false);
	});

	it('refreshes the token once after a 401 and retries', async () => {
		graph.reset((req, res) => (req.headers.authorization === 'Bearer token-2-fresh' ? json(res, 200, { ok: 1 }) : json(res, 401, { error: { code: 'InvalidAuthenticationToken', message: 'Access token has expired.' } })));
		const r = await client.request({ method: 'GET', path: '/communications/calls/x' });
		assert.equal(r.status, 200);
		assert.deepEqual(tokenCalls.map((t) => !!t.forceRefresh), [false, true]);
	});

	it('believes a second 401: one refresh only, then a GraphError with an explanation', async () => {
		graph.reset((_q, res) => json(res, 401, { error: { code: 'InvalidAuthenticationToken', message: 'Bad audience.' } }));
		const err = await client.request({ method: 'GET', path: '/communications/calls/x' }).catch((e: unknown) => e);
		assert.ok(err instanceof GraphError);
		assert.equal(err.status, 401);
		assert.equal(graph.seen.length, 2);
		assert.equal(tokenCalls.filter((t) => t.forceRefresh).length, 1);
		assert.match(err.explanation, /even after getting a fresh one/);
	});

	it('waits for Retry-After before retrying a 429, and keeps the client-request-id across attempts', async () => {
		graph.reset((_q, res, hit) => (hit === 1 ? json(res, 429, { error: { code: 'TooManyRequests', message: 'slow down' } }, { 'retry-after': '1' }) : json(res, 200, { ok: 1 })));
		const r = await client.request({ method: 'POST', path: '/communications/calls/x/playPrompt', body: {} });
		assert.equal(r.status, 200);
		assert.equal(r.attempts, 2);
		assert.ok(graph.seen[1].at - graph.seen[0].at >= 1000, `retried after ${graph.seen[1].at - graph.seen[0].at} ms`);
		assert.equal(graph.seen[0].clientRequestId, graph.seen[1].clientRequestId);
		assert.match(events[0].next!, /retrying in 10\d\d ms/);
	});

	it('gives up after maxAttempts with a throttling explanation', async () => {
		graph.reset((_q, res) => json(res, 503, { error: { code: 'ServiceUnavailable', message: 'busy' } }));
		const err = await client.request({ method: 'GET', path: '/x' }).catch((e: unknown) => e);
		assert.ok(err instanceof GraphError);
		assert.equal(graph.seen.length, 4);
		assert.match(err.explanation, /retries ran out/);
		assert.match(err.explanation, /gave up after 4 attempts/);
	});

	it('never sends a create call twice after a timeout', async () => {
		graph.reset(() => undefined); // never answers
		const err = await client.request({ method: 'POST', path: '/communications/calls', body: { a: 1 }, timeoutMs: 200 }).catch((e: unknown) => e);
		assert.ok(err instanceof GraphError);
		assert.equal(err.kind, 'timeout');
		assert.match(err.explanation, /not sent again/);
		await new Promise((r) => setTimeout(r, 150));
		assert.equal(graph.seen.length, 1);
	});

	it('retries a GET after a timeout', async () => {
		graph.reset((_q, res, hit) => (hit === 1 ? undefined : json(res, 200, { ok: 1 })));
		const r = await client.request({ method: 'GET', path: '/communications/calls/x', timeoutMs: 200 });
		assert.equal(r.status, 200);
		assert.equal(graph.seen.length, 2);
	});

	it('times out an answer whose body stalls half way, and does not send a POST again', async () => {
		graph.reset((_q, res) => {
			res.writeHead(200, { 'content-type': 'application/json' });
			res.write('{"id":'); // and nothing more
		});
		const started = Date.now();
		const err = await client.request({ method: 'POST', path: '/communications/calls/x/playPrompt', body: { clientContext: 'c' }, timeoutMs: 300 }).catch((e: unknown) => e);
		assert.ok(err instanceof GraphError, String(err));
		assert.equal(err.kind, 'timeout');
		assert.match(err.message, /no answer within 300 ms/);
		assert.ok(Date.now() - started < 3000, `gave up after ${Date.now() - started} ms`);
		assert.equal(graph.seen.length, 1);
		assert.match(events[0].error!, /no answer within 300 ms/);
	});

	it('stops at once when the caller aborts mid-request, with a cancellation the command wrapper ignores', async () => {
		graph.reset(() => undefined);
		const ac = new AbortController();
		const started = Date.now();
		setTimeout(() => ac.abort(), 50);
		const err = await client.request({ method: 'GET', path: '/slow', signal: ac.signal, timeoutMs: 10_000 }).catch((e: unknown) => e);
		assert.ok(err instanceof Error);
		assert.equal(err.name, 'AbortError');
		assert.match(err.message, /cancel/);
		assert.ok(Date.now() - started < 2000);
		assert.equal(graph.seen.length, 1);
	});

	it('turns a Graph error body into a GraphError with ids, date and the missing permission', async () => {
		graph.reset((_q, res) => json(res, 403, { error: { code: 'Forbidden', message: 'Application does not have permission', innerError: { date: '2026-11-28T06:00:00', 'request-id': 'rid-9', 'client-request-id': 'crid-9' } } }));
		const err = await client.request({ method: 'POST', path: '/communications/calls/x/recordResponse', body: {}, action: 'call.recordResponse' }).catch((e: unknown) => e);
		assert.ok(err instanceof GraphError);
		assert.equal(err.status, 403);
		assert.equal(err.code, 'Forbidden');
		assert.equal(err.requestId, 'rid-9');
		assert.equal(err.clientRequestId, 'crid-9');
		assert.equal(err.date, '2026-11-28T06:00:00');
		assert.match(err.message, /POST \/communications\/calls\/x\/recordResponse failed: 403 Forbidden: Application does not have permission/);
		assert.match(err.explanation, /Calls\.AccessMedia\.All/);
		assert.equal(graph.seen.length, 1, '403 is not retried');
	});

	it('explains calling error codes found in the message', async () => {
		graph.reset((_q, res) => json(res, 403, { error: { code: 'UnknownError', message: 'Code: 7504, Insufficient enterprise tenant permissions' } }));
		const err = (await client.request({ method: 'POST', path: '/communications/calls', body: {} }).catch((e: unknown) => e)) as GraphError;
		assert.match(err.explanation, /7504/);
		assert.match(err.explanation, /admin consent/);
	});

	it('returns error answers as they are with acceptAnyStatus', async () => {
		graph.reset((_q, res) => json(res, 404, { error: { code: 'NotFound', message: 'gone' } }));
		const r = await client.request({ method: 'GET', path: '/x', acceptAnyStatus: true });
		assert.equal(r.status, 404);
		assert.deepEqual(r.body, { error: { code: 'NotFound', message: 'gone' } });
	});
});
