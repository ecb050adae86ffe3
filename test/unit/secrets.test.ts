// Secrets never reach text: a property test over random client secrets, access tokens and recording tokens through
// every path that writes text (request events and the log formatter, GraphError messages, the HAR export, exported
// profiles, copy-as-code in every language, the notifications record as opened and exported). And the bearer token
// only ever goes to the profile's Graph origin: not to another host, not across a redirect to another host.
// Real loopback HTTP servers stand in for Graph and for a foreign host.
import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { exportProfiles } from '../../src/core/auth/profileExport';
import type { TenantProfile } from '../../src/core/auth/tenantProfile';
import { CallbackReceiver } from '../../src/core/callbacks/callbackReceiver';
import { recordToJson, type NotificationRecord } from '../../src/core/callbacks/notificationRecord';
import { GraphClient, type GraphRequestEvent } from '../../src/core/graph/graphClient';
import { GraphError } from '../../src/core/graph/graphError';
import { toHar } from '../../src/core/traffic/har';
import { formatRequestDetails, formatRequestLine } from '../../src/core/graph/requestLogFormat';
import { CODE_LANGUAGES, generateCode } from '../../src/core/requests/code';

/** Secret-looking strings long enough that finding one in output cannot be a coincidence. */
const secretChars = fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789~._-'.split(''));
const secret = fc.array(secretChars, { minLength: 16, maxLength: 48 }).map((a) => `S${a.join('')}Q`);
/** JWT-shaped tokens, as Entra and Graph issue them. */
const jwt = fc.tuple(fc.base64String({ minLength: 12, maxLength: 40 }), fc.base64String({ minLength: 20, maxLength: 80 }), fc.base64String({ minLength: 20, maxLength: 60 }))
	.map(([h, p, s]) => `eyJ${h.replace(/[+/=]/g, 'x')}.eyJ${p.replace(/[+/=]/g, 'y')}.${s.replace(/[+/=]/g, 'z')}`);

interface Seen {
	authorization?: string;
	path: string;
}

class LoopbackServer {
	readonly seen: Seen[] = [];
	respond: (req: http.IncomingMessage, body: string) => { status: number; headers?: Record<string, string>; body?: string } = () => ({ status: 200, body: '{}' });
	private readonly server = http.createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (c: Buffer) => chunks.push(c));
		req.on('end', () => {
			this.seen.push({ authorization: req.headers.authorization, path: req.url ?? '' });
			const r = this.respond(req, Buffer.concat(chunks).toString('utf8'));
			res.writeHead(r.status, { 'content-type': 'application/json', ...r.headers });
			res.end(r.body);
		});
	});
	origin = '';
	async start(): Promise<this> {
		await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', () => r()));
		this.origin = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
		return this;
	}
	stop(): Promise<void> {
		this.server.closeAllConnections();
		return new Promise((r) => this.server.close(() => r()));
	}
}

function assertAbsent(what: string, text: string, secrets: readonly string[]): void {
	for (const s of secrets) assert.ok(!text.includes(s), `${what} contains a secret`);
}

describe('secrets never reach text (property test)', function () {
	this.timeout(60_000);
	let graph: LoopbackServer;
	let foreign: LoopbackServer;

	before(async () => {
		graph = await new LoopbackServer().start();
		foreign = await new LoopbackServer().start();
	});
	after(async () => {
		await graph?.stop();
		await foreign?.stop();
	});

	it('request events, log lines, HAR and GraphError messages never contain the token or secrets in bodies, headers or URLs', async () => {
		await fc.assert(fc.asyncProperty(jwt, secret, secret, fc.constantFrom(401, 403, 400, 500), async (token, clientSecret, recordingToken, failStatus) => {
			const client = new GraphClient({ profileName: 'P', baseUrl: `${graph.origin}/v1.0`, graphHost: graph.origin, tokenProvider: { getToken: async () => ({ token, expiresOn: new Date(Date.now() + 3_600_000) }) }, retry: { maxAttempts: 1 } });
			const events: GraphRequestEvent[] = [];
			client.onDidRequest((e) => events.push(e));
			try {
				// Graph (or a proxy) quoting secrets back: in the body, in headers, in an error message.
				graph.respond = (req) => req.method === 'GET'
					? { status: 200, headers: { 'x-echo-authorization': `Bearer ${token}` }, body: JSON.stringify({ id: 'c1', recordingAccessToken: recordingToken, note: `client_secret=${clientSecret}` }) }
					: { status: failStatus, body: JSON.stringify({ error: { code: 'Denied', message: `Token ${token} rejected; client_secret=${clientSecret}` } }) };
				await client.request({ method: 'GET', path: `/communications/calls/c1?access_token=${recordingToken}` });
				const err = await client.request({ method: 'POST', path: '/communications/calls/c1/recordResponse', body: { client_secret: clientSecret, recordingAccessToken: recordingToken } }).catch((e: unknown) => e);
				assert.ok(err instanceof GraphError);
				const texts = [
					JSON.stringify(events),
					...events.map((e) => formatRequestLine(e, client.redaction)),
					...events.map((e) => formatRequestDetails(e, client.redaction)),
					JSON.stringify(toHar(events, '0.0.0-test')),
					err.message,
					err.explanation,
					String(err.stack),
				];
				texts.forEach((t, i) => assertAbsent(`text #${i}`, t, [token, clientSecret, recordingToken]));
			} finally {
				client.dispose();
			}
		}), { numRuns: 30 });
	});

	it('copy-as-code in every language never contains the token or secrets', () => {
		fc.assert(fc.property(jwt, secret, secret, fc.constantFrom(...CODE_LANGUAGES.map((l) => l.id)), (token, clientSecret, recordingToken, language) => {
			const code = generateCode(language, {
				method: 'POST',
				url: `https://graph.microsoft.com/v1.0/communications/calls/c1/recordResponse?access_token=${recordingToken}`,
				headers: [{ name: 'Authorization', value: `Bearer ${token}` }, { name: 'X-Api-Key', value: clientSecret }, { name: 'X-Trace', value: token }],
				body: { maxRecordDurationInSeconds: 10, recordingAccessToken: recordingToken, clientSecret, nested: { password: clientSecret } },
			});
			assertAbsent(`${language} code`, code, [token, clientSecret, recordingToken]);
		}), { numRuns: 200 });
	});

	it('exported profiles never carry a secret, even when one sits on the profile object', () => {
		fc.assert(fc.property(secret, jwt, fc.string({ minLength: 1, maxLength: 40 }), (clientSecret, token, name) => {
			const profile = { id: 'x', name: name.trim() || 'p', cloud: 'global', tenantId: 'contoso.onmicrosoft.com', clientId: '11111111-2222-3333-4444-555555555555', credentialKind: 'secret', apiVersion: 'v1.0', clientSecret, accessToken: token, privateKeyPem: `-----BEGIN PRIVATE KEY-----\n${clientSecret}\n-----END PRIVATE KEY-----` } as unknown as TenantProfile;
			assertAbsent('export', exportProfiles([profile]), [clientSecret, token]);
		}), { numRuns: 200 });
	});

	it('the notifications record (view, Open as JSON, export) never shows the callback token or recording tokens', async () => {
		const records: NotificationRecord[] = [];
		const receiver = new CallbackReceiver({ authenticate: async () => ({ accept: true, valid: true }), process: (r) => void records.push(r) });
		try {
			const url = await receiver.start();
			await fc.assert(fc.asyncProperty(jwt, secret, async (token, recordingToken) => {
				records.length = 0;
				const body = JSON.stringify({ value: [{ changeType: 'updated', resourceUrl: '/communications/calls/c1/operations/o1', resourceData: { '@odata.type': '#microsoft.graph.recordOperation', status: 'completed', recordingLocation: 'https://x/rec.wav', recordingAccessToken: recordingToken } }] });
				const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, cookie: `session=${recordingToken}` }, body });
				assert.equal(res.status, 202);
				await receiver.whenIdle();
				assert.equal(records.length, 1);
				const r = records[0];
				assertAbsent('record headers', JSON.stringify(r.headers), [token, recordingToken]);
				assertAbsent('record as JSON', JSON.stringify(recordToJson(r)), [token, recordingToken]);
				assertAbsent('summaries and warnings', JSON.stringify([r.summaries, r.warnings, r.reason]), [token, recordingToken]);
			}), { numRuns: 30 });
		} finally {
			await receiver.stop();
			receiver.dispose();
		}
	});

	it('the bearer token goes only to the profile\'s Graph origin: never to another host, directly or by redirect', async () => {
		await fc.assert(fc.asyncProperty(jwt, fc.constantFrom(301, 302, 303, 307, 308), fc.webSegment(), async (token, redirectStatus, segment) => {
			graph.seen.length = 0;
			foreign.seen.length = 0;
			const client = new GraphClient({ profileName: 'P', baseUrl: `${graph.origin}/v1.0`, graphHost: graph.origin, tokenProvider: { getToken: async () => ({ token, expiresOn: new Date(Date.now() + 3_600_000) }) }, retry: { maxAttempts: 1 } });
			try {
				graph.respond = (req) => req.url?.includes('/redirect')
					? { status: redirectStatus, headers: { location: `${foreign.origin}/landing/${encodeURIComponent(segment)}` } }
					: { status: 200, body: '{}' };
				foreign.respond = () => ({ status: 200, body: '{}' });
				await client.request({ method: 'GET', path: '/communications/calls' });
				await client.request({ method: 'GET', path: `/redirect/${encodeURIComponent(segment)}` });
				await client.request({ method: 'GET', url: `${foreign.origin}/direct/${encodeURIComponent(segment)}` });
				assert.equal(graph.seen[0].authorization, `Bearer ${token}`, 'the Graph origin gets the token');
				assert.equal(foreign.seen.length, 2);
				for (const s of foreign.seen) assert.equal(s.authorization, undefined, `no token at ${s.path}`);
			} finally {
				client.dispose();
			}
		}), { numRuns: 25 });
	});
});
