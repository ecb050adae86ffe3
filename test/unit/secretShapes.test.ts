// Redaction by pattern: a payload carries a secret under names no list knew (privateKeyPem, apiKey, x-sig,
// sharedAccessSignature, credential), in query parameters (api_key, code, sig), in URL fragments
// (#access_token=), as a JWT that does not start with eyJ, as a bare credential-shaped string, and in a
// rejected non-JSON body. The secret must appear in no core text sink: request log line and details, HAR,
// request events, GraphError messages, the notification record (Open as JSON, export), the rejection log,
// copy-as-code and redactForDisplay. And Graph's own ids and URLs stay readable.
import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { CallbackReceiver } from '../../src/core/callbacks/callbackReceiver';
import { NotificationHistory } from '../../src/core/callbacks/notificationHistory';
import { recordToJson, type NotificationRecord } from '../../src/core/callbacks/notificationRecord';
import { RejectionLog } from '../../src/core/callbacks/rejectionLog';
import { GraphClient, type GraphRequestEvent } from '../../src/core/graph/graphClient';
import { GraphError } from '../../src/core/graph/graphError';
import { toHar } from '../../src/core/traffic/har';
import { isSecretKey, isSecretParameter, redactForDisplay } from '../../src/core/graph/redaction';
import { formatRequestDetails, formatRequestLine } from '../../src/core/graph/requestLogFormat';
import { CODE_LANGUAGES, generateCode } from '../../src/core/requests/code';

const alnum = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const chars = (alphabet: string, min: number, max: number) => fc.array(fc.constantFrom(...alphabet.split('')), { minLength: min, maxLength: max }).map((a) => a.join(''));
/** A secret value of the kind stored under a secret name: long enough that finding it cannot be chance. */
const opaque = chars(`${alnum}~._-`, 16, 40).map((s) => `Zq9${s}`);
/** Three base64url parts, the header not starting with eyJ (a JWE, a JWT from a library that orders fields differently). */
const jwtAnyHeader = fc.tuple(chars(`${alnum}_-`, 14, 40), chars(`${alnum}_-`, 20, 80), chars(`${alnum}_-`, 16, 60)).map(([h, p, s]) => `Ab1${h}.Cd2${p}.${s}`);
/** A bare credential: base64 of random bytes or an Entra client secret, mixed case and digits, 32+ characters. */
const credential = fc.oneof(chars(`${alnum}+/`, 30, 60).map((s) => `Kx7${s}==`), chars(`${alnum}~._-`, 30, 44).map((s) => `Q8~x${s}`));

/** Names the old list missed: each is the name of a secret in some API or config file. */
const SECRET_NAMES = ['privateKeyPem', 'apiKey', 'x-api-key', 'sharedAccessSignature', 'credential', 'clientCredential', 'sig', 'x-sig', 'subscriptionKey', 'webhookSecret', 'recordingAccessToken', 'dbPassword', 'client_assertion', 'signature'];
const SECRET_PARAMS = ['api_key', 'code', 'sig', 'access_token', 'key', 'token', 'client_secret', 'signature'];

interface Payload {
	readonly secrets: string[];
	readonly json: Record<string, unknown>;
	readonly text: string;
	readonly query: string;
	readonly fragment: string;
}

const payload = fc
	.record({ name: fc.constantFrom(...SECRET_NAMES), param: fc.constantFrom(...SECRET_PARAMS), fragParam: fc.constantFrom('access_token', 'id_token', 'code'), a: opaque, b: opaque, c: opaque, jwt: jwtAnyHeader, cred: credential })
	.map(({ name, param, fragParam, a, b, c, jwt, cred }): Payload => ({
		secrets: [a, b, c, jwt, cred],
		json: { id: 'c1', [name]: a, nested: { list: [{ [name]: { value: a } }] }, note: `signed ${jwt} with ${cred}` },
		text: `${name}=${a}&user=x ${jwt} ${cred}`,
		query: `${encodeURIComponent(param)}=${encodeURIComponent(b)}`,
		fragment: `${fragParam}=${c}&state=1`,
	}));

function assertNoSecret(sink: string, text: string, secrets: readonly string[]): void {
	for (const s of secrets) assert.ok(!text.includes(s) && !text.includes(encodeURIComponent(s)), `${sink} shows a secret (${s.slice(0, 4)}...)`);
}

describe('secret shapes never reach a text sink (attack property test)', function () {
	this.timeout(120_000);
	let server: http.Server;
	let origin = '';
	let reply: (body: string) => { status: number; body: string } = () => ({ status: 200, body: '{}' });

	before(async () => {
		server = http.createServer((req, res) => {
			const chunks: Buffer[] = [];
			req.on('data', (c: Buffer) => chunks.push(c));
			req.on('end', () => {
				const r = reply(Buffer.concat(chunks).toString('utf8'));
				res.writeHead(r.status, { 'content-type': 'application/json', location: `${origin}/cb?${req.url?.split('?')[1] ?? ''}` });
				res.end(r.body);
			});
		});
		await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
		origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	});
	after(async () => {
		server.closeAllConnections();
		await new Promise<void>((r) => server.close(() => r()));
	});

	it('request log line and details, events, HAR and GraphError messages', async () => {
		await fc.assert(
			fc.asyncProperty(payload, fc.boolean(), async (p, fail) => {
				const client = new GraphClient({ profileName: 'P', baseUrl: `${origin}/v1.0`, graphHost: origin, tokenProvider: { getToken: async () => ({ token: 'tok-not-under-test', expiresOn: new Date(Date.now() + 3_600_000) }) }, retry: { maxAttempts: 1 } });
				const events: GraphRequestEvent[] = [];
				client.onDidRequest((e) => events.push(e));
				// Graph (or a proxy in front of it) echoing the payload back: in a body, in free text, in an error.
				const parsed = (body: string): unknown => {
					try {
						return JSON.parse(body);
					} catch {
						return body;
					}
				};
				reply = (body) => (fail ? { status: 400, body: JSON.stringify({ error: { code: 'BadRequest', message: `rejected ${p.text}`, innerError: parsed(body) } }) } : { status: 200, body: JSON.stringify({ echo: parsed(body), text: p.text }) });
				let err: unknown;
				try {
					await client.request({ method: 'POST', path: `/communications/calls?${p.query}`, body: p.json });
					await client.request({ method: 'POST', path: '/communications/calls/c1/playPrompt', body: p.text, headers: { 'content-type': 'text/plain' } });
				} catch (e) {
					err = e;
				} finally {
					client.dispose();
				}
				if (fail) assert.ok(err instanceof GraphError, 'the failing request failed');
				const sinks: [string, string][] = [
					['events', JSON.stringify(events)],
					['log lines', events.map((e) => formatRequestLine(e)).join('\n')],
					['log details', events.map((e) => formatRequestDetails(e)).join('\n')],
					['HAR', JSON.stringify(toHar(events, '0.0.0'))],
				];
				if (err instanceof GraphError) sinks.push(['GraphError', `${err.message}\n${err.explanation}\n${err.stack}`]);
				for (const [name, text] of sinks) assertNoSecret(name, text, p.secrets);
			}),
			{ numRuns: 60 },
		);
	});

	it('the notification record (view, Open as JSON, export) and the rejection log, accepted or rejected, JSON or not', async () => {
		const records: NotificationRecord[] = [];
		let accept = true;
		const receiver = new CallbackReceiver({ authenticate: async () => (accept ? { accept: true, valid: true } : { accept: false, valid: false, status: 403, reason: 'forged' }) });
		receiver.onDidRecord((r) => records.push(r));
		const logged: string[] = [];
		const rejections = new RejectionLog((line) => logged.push(line));
		try {
			const url = await receiver.start();
			await fc.assert(
				fc.asyncProperty(payload, fc.constantFrom('json', 'form', 'text'), fc.boolean(), async (p, kind, accepted) => {
					records.length = 0;
					logged.length = 0;
					accept = accepted;
					const body = kind === 'json' ? JSON.stringify({ value: [{ changeType: 'updated', resourceUrl: `/communications/calls/c1?${p.query}`, resourceData: p.json }] }) : kind === 'form' ? p.text : `<probe>${p.text}</probe>`;
					await fetch(`${url}?${p.query}#${p.fragment}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': p.secrets[0], 'x-forwarded-note': p.secrets[3] }, body });
					await receiver.whenIdle();
					assert.equal(records.length, 1);
					const r = records[0];
					// The line the extension writes for a rejected record (src/vscode/callbacks), here for every record.
					const what = r.summaries.map((x) => `${x.changeType} ${x.resourceUrl}`).join('; ') || `${r.method} ${r.path}`;
					rejections.rejected(`notification ${r.id} rejected with ${r.responseStatus}: ${r.reason ?? ''} (${what})`);
					const history = new NotificationHistory();
					history.add(r);
					const sinks: [string, string][] = [
						['record headers and path', JSON.stringify([r.headers, r.path])],
						['Open as JSON', JSON.stringify(recordToJson(r))],
						['export', history.toJson()],
						['rejection log', logged.join('\n')],
						['redactForDisplay(record.notifications)', JSON.stringify(redactForDisplay(r.notifications))],
					];
					history.dispose();
					for (const [name, text] of sinks) assertNoSecret(name, text, p.secrets);
				}),
				{ numRuns: 60 },
			);
		} finally {
			await receiver.stop();
			receiver.dispose();
		}
	});

	it('copy-as-code and redactForDisplay', () => {
		fc.assert(
			fc.property(payload, fc.constantFrom(...CODE_LANGUAGES.map((l) => l.id)), (p, lang) => {
				const code = generateCode(lang, { method: 'POST', url: `https://graph.microsoft.com/v1.0/communications/calls?${p.query}#${p.fragment}`, headers: [{ name: 'X-Sig', value: p.secrets[0] }, { name: 'X-Note', value: p.secrets[3] }], body: p.json });
				assertNoSecret(`${lang} code`, code, p.secrets);
				const raw = generateCode(lang, { method: 'POST', url: '/communications/calls/c1/playPrompt', body: p.text });
				assertNoSecret(`${lang} code (text body)`, raw, p.secrets);
				assertNoSecret('redactForDisplay', JSON.stringify(redactForDisplay({ call: p.json, text: p.text, url: `https://x.example/cb?${p.query}#${p.fragment}` })), p.secrets);
			}),
			{ numRuns: 300 },
		);
	});
});

describe('redaction keeps Graph readable (no false positives)', () => {
	it('names: secret by part, not by substring of another word', () => {
		for (const n of [...SECRET_NAMES, 'APIKey', 'privateKey', 'client_secret', 'Access-Token', 'code_verifier', 'password']) assert.ok(isSecretKey(n), n);
		for (const n of ['design', 'monkey', 'keepAlive', 'signal', 'id', 'tokenType', 'keyId', 'tokenClaims', 'code', 'errorCode', 'state', 'subject', 'signInName', 'sourceParticipantId']) assert.ok(!isSecretKey(n), n);
		for (const n of ['code', 'sig', 'api_key', 'access_token', 'X-Amz-Signature', 'sv_sig']) assert.ok(isSecretParameter(n), n);
		for (const n of ['$select', 'state', 'callId', 'design', 'tenant']) assert.ok(!isSecretParameter(n), n);
	});

	it('ids, GUIDs, thread ids, URLs, @odata types and Graph error codes stay as they are', () => {
		const call = {
			'@odata.type': '#microsoft.graph.call',
			'@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#communications/calls/$entity',
			id: '491f0b00-ffff-4bc9-a43e-b226498ec22a',
			callChainId: 'B7AE4EA9-8D5A-4A02-B9A1-0C3F1F2E6A11',
			chatInfo: { threadId: '19:meeting_MjdhNjM4YzUtYzExZi00OTFkLTkzZTAtNTVlNmZmMDhkNGU2@thread.v2', messageId: '0' },
			meetingInfo: { joinWebUrl: 'https://teams.microsoft.com/l/meetup-join/19%3ameeting_MjdhNjM4YzUtYzExZi00OTFkLTkzZTAtNTVlNmZmMDhkNGU2%40thread.v2/0?context=%7b%22Tid%22%3a%2272f988bf-86f1-41af-91ab-2d7cd011db47%22%7d' },
			callbackUri: 'https://bot.contoso.com/api/calling?tenant=contoso',
			resourceUrl: '/communications/calls/491f0b00-ffff-4bc9-a43e-b226498ec22a/operations/0fe0623f-d628-42ed-b4bd-8ac290072cc5',
			error: { code: 'Forbidden', message: 'Application does not have permission Calls.Initiate.All to make a call.' },
			resultInfo: { code: 403, subcode: 8537, message: 'Call ended: no keepAlive. DiagCode: 403#8537.@' },
			tokenClaims: { aud: 'aa67bd4c-8475-432d-bd41-39f255720e0a', iss: 'https://api.botframework.com' },
			source: { identity: { user: { id: '8d1e6ab2-4e3c-4b2a-9a3f-1c2b3d4e5f60', displayName: 'Adele Vance' } } },
		};
		assert.deepEqual(redactForDisplay(call), call);
		const line = 'POST /communications/calls/491f0b00-ffff-4bc9-a43e-b226498ec22a/playPrompt -> 200 in 84 ms [client-request-id 3d913abb-aec0-4964-8fa6-3c6850c4f278]';
		assert.equal(redactForDisplay(line), line);
	});
});
