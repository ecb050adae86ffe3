import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as fc from 'fast-check';
import { GraphClient, type GraphRequestEvent } from '../../src/core/graph/graphClient';
import { GraphError } from '../../src/core/graph/graphError';
import { toHar } from '../../src/core/traffic/har';
import { REDACTED, Redactor } from '../../src/core/graph/redaction';
import { formatRequestDetails, formatRequestLine } from '../../src/core/graph/requestLogFormat';

const JWT = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJlLXNpZ25hdHVyZQ';

describe('graph redaction', () => {
	const r = new Redactor();

	it('keeps allowed headers and hides every other value', () => {
		const out = r.headers({ Authorization: `Bearer ${JWT}`, 'Content-Type': 'application/json', 'client-request-id': 'abc', 'X-Custom-Key': 'k', Cookie: 'c=1' });
		assert.deepEqual(out, { authorization: REDACTED, 'content-type': 'application/json', 'client-request-id': 'abc', 'x-custom-key': REDACTED, cookie: REDACTED });
	});

	it('replaces secret keys at any depth, in any spelling, and leaves the rest alone', () => {
		const out = r.value({ client_secret: 'abc123', nested: [{ recordingAccessToken: 'tok', keep: 'visible' }], 'Access-Token': 'x', clientAssertion: 'y', id: 'call-1' });
		assert.deepEqual(out, { client_secret: REDACTED, nested: [{ recordingAccessToken: REDACTED, keep: 'visible' }], 'Access-Token': REDACTED, clientAssertion: REDACTED, id: 'call-1' });
	});

	it('replaces JWT-shaped strings inside text and bearer tokens in free text', () => {
		assert.equal(r.text(`token is ${JWT}!`), `token is ${REDACTED}!`);
		assert.equal(r.text('Authorization: Bearer opaque-token-value'), `Authorization: Bearer ${REDACTED}`);
	});

	it('scrubs form bodies, query strings and unparseable JSON', () => {
		assert.equal(r.body('grant_type=client_credentials&client_secret=s3cr3t&scope=x'), `grant_type=client_credentials&client_secret=${REDACTED}&scope=x`);
		assert.equal(r.url('https://x.example/cb?access_token=abc&a=1'), `https://x.example/cb?access_token=${REDACTED}&a=1`);
		assert.equal(r.body('{"access_token": "abc", "trunc'), `{"access_token": "${REDACTED}", "trunc`);
		assert.equal(r.body('{"refresh_token":"abc"}'), `{"refresh_token":"${REDACTED}"}`);
		assert.equal(r.text('invalid client_secret=abc123, try again'), `invalid client_secret=${REDACTED}, try again`);
	});

	it('scrubs exact secret values it was told about, wherever they appear', () => {
		const rr = new Redactor();
		rr.addSecret('opaque-token-123456');
		assert.equal(rr.text('echo: opaque-token-123456 end'), `echo: ${REDACTED} end`);
		assert.deepEqual(rr.value({ note: 'xopaque-token-123456x' }), { note: `x${REDACTED}x` });
	});
});

/** A 127.0.0.1 server that echoes everything it got, the Authorization header included: the worst case for a log. */
function startEchoServer(): Promise<{ url: string; close(): Promise<void> }> {
	const server = http.createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (c: Buffer) => chunks.push(c));
		req.on('end', () => {
			const body = Buffer.concat(chunks).toString('utf8');
			if (req.url!.includes('/fail')) {
				// An error whose message quotes the secrets it got, in free text: the GraphError must not repeat them.
				const got = JSON.parse(body) as { client_secret: string; access_token: string };
				res.writeHead(400, { 'content-type': 'application/json' });
				res.end(JSON.stringify({ error: { code: 'BadRequest', message: `rejected ${req.headers.authorization} with client_secret=${got.client_secret} and ${got.access_token}` } }));
				return;
			}
			res.writeHead(200, { 'content-type': 'application/json', 'x-echo-authorization': String(req.headers.authorization ?? ''), 'set-cookie': 'session=abc' });
			res.end(JSON.stringify({ url: req.url, authorization: req.headers.authorization, received: body ? JSON.parse(body) : null }));
		});
	});
	return new Promise((resolve) => {
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address() as AddressInfo;
			resolve({ url: `http://127.0.0.1:${port}`, close: () => new Promise((r) => { server.closeAllConnections(); server.close(() => r()); }) });
		});
	});
}

const SECRET_KEYS = ['client_secret', 'client_assertion', 'access_token', 'refresh_token', 'id_token', 'recordingAccessToken', 'clientSecret', 'Password'];
const b64url = fc.stringMatching(/^[A-Za-z0-9_-]{8,40}$/);
const secretText = fc.stringMatching(/^[A-Za-z0-9+/=._~-]{6,40}$/).map((s) => `sec${s}`);
const jwt = fc.tuple(b64url, b64url, b64url).map(([a, b, c]) => `eyJ${a}.${b}.${c}`);

describe('graph redaction property: secrets never reach the log output', function () {
	this.timeout(60_000);
	let server: { url: string; close(): Promise<void> };
	before(async () => {
		server = await startEchoServer();
	});
	after(async () => {
		await server.close();
	});

	it('random tokens, secret fields and JWTs in random bodies appear nowhere in log lines, details, HAR or error messages', async () => {
		await fc.assert(
			fc.asyncProperty(
				secretText,
				fc.array(fc.tuple(fc.constantFrom(...SECRET_KEYS), fc.oneof(secretText, jwt)), { minLength: 1, maxLength: 4 }),
				jwt,
				fc.jsonValue({ maxDepth: 3 }),
				fc.string({ maxLength: 20 }),
				async (token, secretFields, embeddedJwt, noise, prefix) => {
					const client = new GraphClient({
						profileName: 'prop',
						baseUrl: `${server.url}/v1.0`,
						graphHost: server.url,
						tokenProvider: { getToken: async () => ({ token, expiresOn: new Date(Date.now() + 3_600_000) }) },
					});
					const events: GraphRequestEvent[] = [];
					client.onDidRequest((e) => events.push(e));
					try {
						const body: Record<string, unknown> = { noise, note: `${prefix}${embeddedJwt}${prefix}`, deep: { list: [] as unknown[] } };
						for (const [i, [k, v]] of secretFields.entries()) {
							if (i % 2 === 0) body[k] = v;
							else (body.deep as { list: unknown[] }).list.push({ [k]: v });
						}
						await client.request({ method: 'POST', path: `/communications/calls?access_token=${encodeURIComponent(secretFields[0][1])}`, body });
					} finally {
						client.dispose();
					}
					// The same secrets quoted back in an error message must not reach the GraphError either.
					const failing = new GraphClient({
						profileName: 'prop',
						baseUrl: `${server.url}/v1.0`,
						graphHost: server.url,
						tokenProvider: { getToken: async () => ({ token, expiresOn: new Date(Date.now() + 3_600_000) }) },
					});
					failing.onDidRequest((e) => events.push(e));
					const err = await failing.request({ method: 'POST', path: '/fail', body: { client_secret: secretFields[0][1], access_token: embeddedJwt } }).catch((e: unknown) => e as GraphError);
					failing.dispose();
					assert.ok(err instanceof GraphError && err.status === 400, 'the failing request failed');
					const output = [
						err.message,
						err.explanation,
						...events.map((e) => formatRequestLine(e)),
						...events.map((e) => formatRequestDetails(e)),
						JSON.stringify(toHar(events, '0.0.0')),
					].join('\n');
					const secrets = [token, embeddedJwt, ...secretFields.map(([, v]) => v)];
					for (const s of secrets) {
						assert.ok(!output.includes(s), `a secret reached the log output: ${s.slice(0, 3)}...`);
					}
					assert.ok(events.length === 2 && events[0].status === 200, 'the request went through');
				},
			),
			{ numRuns: 120 },
		);
	});
});
