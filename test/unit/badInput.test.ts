// The bad-input table: one test per row, across profile fields, command inputs, .http documents and notifications
// (responses from a real loopback server are in test/integration/badInputResponses.test.ts). Every row must get a
// message that says what is wrong and what to do, and must lose nothing already stored: a CallStore holding an
// established call (roster, operation) and a profile list are compared before and after each row.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseCertificatePem, readCertificateFile } from '../../src/core/auth/certificate';
import { exportProfiles, parseProfilesExport } from '../../src/core/auth/profileExport';
import { normaliseGuid, normaliseTenantId, validateCallbackUrl, validateClientId, validateClientSecret, validateProfileName, validateTenantId } from '../../src/core/auth/profileValidation';
import type { TenantProfile } from '../../src/core/auth/tenantProfile';
import { CallbackReceiver } from '../../src/core/callbacks/callbackReceiver';
import type { NotificationRecord } from '../../src/core/callbacks/notificationRecord';
import { parseCommsNotifications } from '../../src/core/callbacks/notificationParser';
import { RejectionLog } from '../../src/core/callbacks/rejectionLog';
import { CallStore } from '../../src/core/calls/callStore';
import * as calls from '../../src/core/graph/calls';
import type { GraphRequest, GraphResponse } from '../../src/core/graph/graphClient';
import { checkE164, parseTones, ValidationError } from '../../src/core/graph/validators';
import { parseHttpDocument } from '../../src/core/requests/httpDocument';
import { isForbiddenDocumentHeader, resolveRequestTarget } from '../../src/core/requests/requestTarget';
import { unknownVariableDiagnostics, VariableResolver } from '../../src/core/requests/variables';

const fixtures = path.resolve(__dirname, '../../../test/unit/authFixtures');
const CALL = 'c0ffee00-0000-4000-8000-000000000001';
const URL_BASE = `/communications/calls/${CALL}`;

/** A GraphSender that fails the row when anything would be sent: bad input must be refused before the network. */
const refusingSender = {
	sent: 0,
	async request<T>(req: GraphRequest): Promise<GraphResponse<T>> {
		this.sent++;
		throw new Error(`bad input reached the network: ${req.method} ${req.path ?? req.url}`);
	},
};

type Outcome = { message: string | undefined; valid?: false } | { valid: true; value?: unknown };

interface Row {
	readonly surface: 'profile' | 'command' | 'document' | 'notification';
	readonly name: string;
	readonly run: (store: CallStore) => Outcome | Promise<Outcome>;
	/** The message must match (what is wrong + what to do); `valid` rows must be accepted (and `value` checked). */
	readonly expect: RegExp | { valid: true; value?: unknown };
}

const message = (m: string | undefined): Outcome => ({ message: m });
let lastError: unknown;
async function thrown(f: () => unknown): Promise<Outcome> {
	try {
		await f();
	} catch (err) {
		lastError = err;
		return { message: (err as Error).message };
	}
	return { message: undefined };
}
function notify(store: CallStore, text: string): Outcome {
	const parsed = parseCommsNotifications(text);
	if (!parsed.ok) return { message: parsed.error };
	for (const n of parsed.notifications) store.applyNotification(n);
	return parsed.warnings.length ? { message: parsed.warnings.join(' ') } : { valid: true };
}
const docErrors = (text: string) => message(parseHttpDocument(text).diagnostics.map((d) => d.message).join(' ') || undefined);

const profile: TenantProfile = { id: 'p1', name: 'Contoso dev', cloud: 'global', tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47', clientId: '11111111-2222-3333-4444-555555555555', credentialKind: 'secret', apiVersion: 'v1.0' };

const rows: Row[] = [
	// ---- profile fields ----
	{ surface: 'profile', name: 'tenant id: a GUID one digit short', run: () => message(validateTenantId('72f988bf-86f1-41af-91ab-2d7cd011db4')), expect: /is not a GUID: a tenant id has 32 hexadecimal digits/ },
	{ surface: 'profile', name: 'tenant id: an upper-case GUID is valid and stored lower-case', run: () => ({ valid: validateTenantId('72F988BF-86F1-41AF-91AB-2D7CD011DB47') === undefined, value: normaliseTenantId('72F988BF-86F1-41AF-91AB-2D7CD011DB47') } as Outcome), expect: { valid: true, value: '72f988bf-86f1-41af-91ab-2d7cd011db47' } },
	{ surface: 'profile', name: 'tenant id: a GUID without dashes is valid and stored with them', run: () => ({ valid: validateTenantId('72f988bf86f141af91ab2d7cd011db47') === undefined, value: normaliseTenantId('72f988bf86f141af91ab2d7cd011db47') } as Outcome), expect: { valid: true, value: '72f988bf-86f1-41af-91ab-2d7cd011db47' } },
	{ surface: 'profile', name: 'tenant id: a GUID with only some dashes', run: () => message(validateTenantId('72f988bf86f1-41af-91ab-2d7cd011db47')), expect: /not a GUID/ },
	{ surface: 'profile', name: 'tenant id: a verified domain is valid', run: () => ({ valid: validateTenantId('contoso.onmicrosoft.com') === undefined } as Outcome), expect: { valid: true } },
	{ surface: 'profile', name: 'tenant id: "common" cannot get app-only tokens', run: () => message(validateTenantId('common')), expect: /cannot get app-only tokens: enter the tenant's GUID/ },
	{ surface: 'profile', name: 'tenant id: a bare word is neither GUID nor domain', run: () => message(validateTenantId('contoso')), expect: /neither a GUID nor a domain name: enter the Directory \(tenant\) ID/ },
	{ surface: 'profile', name: 'client id: empty', run: () => message(validateClientId('  ')), expect: /Enter the Application \(client\) ID/ },
	{ surface: 'profile', name: 'client id: braces and upper case are normalised', run: () => ({ valid: validateClientId('{11111111-2222-3333-4444-55555555555A}') === undefined, value: normaliseGuid('{11111111-2222-3333-4444-55555555555A}') } as Outcome), expect: { valid: true, value: '11111111-2222-3333-4444-55555555555a' } },
	{ surface: 'profile', name: 'client id: not hexadecimal', run: () => message(validateClientId('1111111g-2222-3333-4444-555555555555')), expect: /is not a GUID: the Application \(client\) ID has 32 hexadecimal digits/ },
	{ surface: 'profile', name: 'client secret: the Secret ID pasted instead of the Value', run: () => message(validateClientSecret('0e3b4c5d-1111-2222-3333-444455556666')), expect: /looks like the Secret ID.*Copy the secret's Value/ },
	{ surface: 'profile', name: 'client secret: contains spaces', run: () => message(validateClientSecret('abc def')), expect: /no spaces: paste the Value column exactly/ },
	{ surface: 'profile', name: 'callback URL: plain http on a public host', run: () => message(validateCallbackUrl('http://bot.contoso.com/api/calls')), expect: /only calls https callback URLs: use a tunnel/ },
	{ surface: 'profile', name: 'callback URL: not a URL', run: () => message(validateCallbackUrl('bot.contoso.com/api/calls')), expect: /is not a URL: enter an absolute https URL/ },
	{ surface: 'profile', name: 'callback URL: credentials in the URL', run: () => message(validateCallbackUrl('https://user:pw@bot.contoso.com/api')), expect: /Remove the user name and password/ },
	{ surface: 'profile', name: 'callback URL: ftp scheme', run: () => message(validateCallbackUrl('ftp://bot.contoso.com/api')), expect: /"ftp:" is not supported: the callback URL must start with https/ },
	{ surface: 'profile', name: 'profile name: taken in another casing', run: () => message(validateProfileName('contoso DEV', ['Contoso dev'])), expect: /already exists: choose another name/ },
	{ surface: 'profile', name: 'certificate: a .pfx (binary) instead of PEM', run: () => thrown(() => parseCertificatePem('0\u0082\u0000\u0001binary', 'cert.pfx')), expect: /cert\.pfx is not a PEM file.*openssl pkcs12/ },
	{ surface: 'profile', name: 'certificate: password-protected private key', run: () => thrown(() => parseCertificatePem(fs.readFileSync(path.join(fixtures, 'cert-and-encrypted-key.pem'), 'utf8'), 'enc.pem')), expect: /password-protected private key.*Remove the password/ },
	{ surface: 'profile', name: 'certificate: certificate without its key', run: () => thrown(() => parseCertificatePem(fs.readFileSync(path.join(fixtures, 'cert.pem'), 'utf8'), 'cert.pem')), expect: /has a certificate but no private key. Export the certificate together with its private key/ },
	{ surface: 'profile', name: 'certificate: key that does not belong to the certificate', run: () => thrown(() => parseCertificatePem(fs.readFileSync(path.join(fixtures, 'cert-and-wrong-key.pem'), 'utf8'), 'wrong.pem')), expect: /wrong\.pem.*(match|belong)/i },
	{ surface: 'profile', name: 'certificate: unreadable path (a folder)', run: () => thrown(() => readCertificateFile(os.tmpdir())), expect: /is a folder: choose the PEM file inside it/ },
	{ surface: 'profile', name: 'profiles import: not JSON', run: () => thrown(() => parseProfilesExport('{ "format": ')), expect: /not valid JSON.*choose a file written by "Graph Calls: Export Profiles"/ },
	{
		surface: 'profile', name: 'profiles import: one broken profile among good ones is skipped with its reasons, the good one kept',
		run: () => {
			const text = exportProfiles([profile]).replace('"profiles": [', '"profiles": [{"name":"Broken","cloud":"mars","tenantId":"x","clientId":"y","credentialKind":"secret"},');
			const r = parseProfilesExport(text);
			assert.deepEqual(r.profiles.map((p) => p.name), ['Contoso dev']);
			return message(r.problems.join(' '));
		},
		expect: /Profile "Broken" skipped: cloud must be one of global.*is not a GUID/,
	},

	// ---- command inputs ----
	{ surface: 'command', name: 'phone number: local format', run: () => message(checkE164('425-555-0100')), expect: /E\.164 form: \+ then country code/ },
	{ surface: 'command', name: 'phone number: 16 digits', run: () => message(checkE164('+1425555010012345')), expect: /at most 15/ },
	{ surface: 'command', name: 'tones: an unknown tone name', run: () => message(parseTones('1 2 tone12').error), expect: /"tone12" is not a tone. Use digits 0-9/ },
	{ surface: 'command', name: 'tones: empty', run: () => message(parseTones('  ').error), expect: /Enter at least one tone/ },
	{ surface: 'command', name: 'tones: 31 at once', run: () => message(parseTones('1'.repeat(31)).error), expect: /at most 30 tones at a time; got 31/ },
	{ surface: 'command', name: 'play prompt: 21 prompts', run: () => thrown(() => calls.playPrompt(refusingSender, CALL, { promptUris: Array.from({ length: 21 }, (_, i) => `https://cdn.contoso.com/${i}.wav`) })), expect: /at most 20 prompts; got 21. Remove 1/ },
	{ surface: 'command', name: 'play prompt: an http prompt URL', run: () => thrown(() => calls.playPrompt(refusingSender, CALL, { promptUris: ['http://cdn.contoso.com/a.wav'] })), expect: /must use https:\/\// },
	{ surface: 'command', name: 'record response: 121 seconds', run: () => thrown(() => calls.recordResponse(refusingSender, CALL, { maxRecordDurationInSeconds: 121 })), expect: /recording length \(seconds\) must be a whole number from 1 to 120; got "121"/ },
	{ surface: 'command', name: 'record response: zero seconds', run: () => thrown(() => calls.recordResponse(refusingSender, CALL, { maxRecordDurationInSeconds: 0 })), expect: /from 1 to 120/ },
	{ surface: 'command', name: 'redirect: timeout under the limit', run: () => thrown(() => calls.redirectCall(refusingSender, CALL, { targets: [{ kind: 'phone', number: '+14255550100' }], timeoutSeconds: 5 })), expect: /redirect timeout \(seconds\) must be a whole number from 15 to 90/ },
	{ surface: 'command', name: 'invite: six participants', run: () => thrown(() => calls.inviteParticipants(refusingSender, CALL, { participants: Array.from({ length: 6 }, (_, i) => ({ kind: 'phone' as const, number: `+1425555010${i}` })) })), expect: /at most 5 /i },
	{ surface: 'command', name: 'send tones: none', run: () => thrown(() => calls.sendDtmfTones(refusingSender, CALL, { tones: [] })), expect: /Give at least 1 tones/ },
	{ surface: 'command', name: 'empty call id', run: () => thrown(() => calls.getCall(refusingSender, '   ')), expect: /call id is empty.*pick it from the Calls view/ },
	{ surface: 'command', name: 'call id with a slash (path injection)', run: () => thrown(() => calls.deleteCall(refusingSender, `${CALL}/../../users`)), expect: /contains \/, \?, # or spaces/ },
	{ surface: 'command', name: 'create call: http callback on a public host', run: () => thrown(() => calls.createCall(refusingSender, { kind: 'user', userId: profile.clientId, callbackUri: 'http://bot.contoso.com/api', tenantId: profile.tenantId })), expect: /callback URL must use https/ },

	// ---- .http documents ----
	{ surface: 'document', name: 'no method: an unknown verb', run: () => docErrors('FETCH /communications/calls\n'), expect: /"FETCH" is not an HTTP method; use one of GET/ },
	{ surface: 'document', name: 'bad JSON body', run: () => docErrors('POST /communications/calls\nContent-Type: application/json\n\n{ "callbackUri": "https://x", }\n'), expect: /JSON/ },
	{
		surface: 'document', name: 'unknown variable', run: () => {
			const text = `GET ${URL_BASE}/participants/{{participantIdd}}\n`;
			return message(unknownVariableDiagnostics(text, parseHttpDocument(text), { callId: CALL }).map((d) => d.message).join(' '));
		},
		expect: /participantIdd/,
	},
	{
		surface: 'document', name: 'variables that reference each other in a loop stay unresolved, not a hang', run: () => {
			const doc = parseHttpDocument(`@a = {{b}}\n@b = {{a}}\n\nGET ${URL_BASE}?x={{a}}\n`);
			const r = new VariableResolver(doc.variables, {}).resolve(doc.requests[0]);
			return message(r.unknown.length ? `unknown: ${r.unknown.join(', ')}` : undefined);
		},
		expect: /unknown: a/,
	},
	{
		surface: 'document', name: 'huge body (2 MB) parses intact, with the following request still there', run: () => {
			const big = JSON.stringify({ clientContext: 'x'.repeat(2 * 1024 * 1024) });
			const doc = parseHttpDocument(`POST ${URL_BASE}/playPrompt\nContent-Type: application/json\n\n${big}\n\n###\nGET ${URL_BASE}\n`);
			assert.equal(doc.requests.length, 2);
			assert.equal(doc.requests[0].body?.trim().length, big.length);
			return { valid: true };
		},
		expect: { valid: true },
	},
	{
		surface: 'document', name: 'a broken request does not hide the good ones', run: () => {
			const doc = parseHttpDocument(`BREW /coffee\n\n###\nGET ${URL_BASE}\n\n###\nDELETE ${URL_BASE}\n`);
			assert.deepEqual(doc.requests.map((r) => r.method), ['GET', 'DELETE']);
			return message(doc.diagnostics.map((d) => d.message).join(' '));
		},
		expect: /"BREW" is not an HTTP method/,
	},
	{ surface: 'document', name: 'an Authorization header is ignored (the extension sets it)', run: () => ({ valid: isForbiddenDocumentHeader('AUTHORIZATION') && isForbiddenDocumentHeader('Cookie') } as Outcome), expect: { valid: true } },
	{ surface: 'document', name: 'a URL on another host never gets the token', run: () => ({ valid: resolveRequestTarget('https://evil.example/v1.0/communications/calls', 'https://graph.microsoft.com', 'v1.0').mayAttachToken === false } as Outcome), expect: { valid: true } },
	{ surface: 'document', name: 'a look-alike Graph host never gets the token', run: () => ({ valid: resolveRequestTarget('https://graph.microsoft.com.evil.example/v1.0/me', 'https://graph.microsoft.com', 'v1.0').mayAttachToken === false } as Outcome), expect: { valid: true } },

	// ---- notifications ----
	{ surface: 'notification', name: 'not JSON', run: (s) => notify(s, '{"value": [ {"changeType": "updated",'), expect: /The body is not valid JSON/ },
	{ surface: 'notification', name: 'JSON of the wrong shape (an array)', run: (s) => notify(s, '[1, 2, 3]'), expect: /not a commsNotifications object: expected \{"value": \[/ },
	{ surface: 'notification', name: 'an empty value array', run: (s) => notify(s, '{"value": []}'), expect: /"value" array is empty/ },
	{ surface: 'notification', name: 'a changeType that is not created, updated or deleted', run: (s) => notify(s, JSON.stringify({ value: [{ changeType: 'exploded', resourceUrl: URL_BASE, resourceData: { state: 'terminated' } }] })), expect: /changeType "exploded", not created, updated or deleted; ignored/ },
	{ surface: 'notification', name: 'no resourceUrl', run: (s) => notify(s, JSON.stringify({ value: [{ changeType: 'updated', resourceData: { state: 'terminated' } }] })), expect: /has no resourceUrl; ignored/ },
	{ surface: 'notification', name: 'unknown @odata.type on the body and the item: read anyway, with warnings', run: (s) => notify(s, JSON.stringify({ '@odata.type': '#microsoft.graph.somethingNew', value: [{ '@odata.type': '#microsoft.graph.unknownNotification', changeType: 'updated', resourceUrl: URL_BASE, resourceData: { state: 'established' } }] })), expect: /Unknown @odata.type "#microsoft.graph.somethingNew".*unknown @odata.type "#microsoft.graph.unknownNotification"/ },
	{ surface: 'notification', name: 'resourceData as an array on a call URL', run: (s) => notify(s, JSON.stringify({ value: [{ changeType: 'updated', resourceUrl: URL_BASE, resourceData: [{ state: 'terminated' }] }] })), expect: { valid: true } },
	{
		surface: 'notification', name: 'resourceData as an object on the participants URL adds that participant, keeps the roster', run: (s) => {
			const out = notify(s, JSON.stringify({ value: [{ changeType: 'updated', resourceUrl: `${URL_BASE}/participants`, resourceData: { id: 'p-new', info: { identity: { user: { id: 'u2', displayName: 'Guest' } } } } }] }));
			assert.equal(s.get(CALL)!.participants.size, 3);
			return out;
		},
		expect: { valid: true },
	},
	{ surface: 'notification', name: 'resourceData as a string', run: (s) => notify(s, JSON.stringify({ value: [{ changeType: 'updated', resourceUrl: URL_BASE, resourceData: 'terminated' }] })), expect: { valid: true } },
	{ surface: 'notification', name: 'a notification for a call nobody knows', run: (s) => notify(s, JSON.stringify({ value: [{ changeType: 'updated', resourceUrl: '/communications/calls/0000aaaa-0000-4000-8000-00000000dead', resourceData: { state: 'established' } }] })), expect: { valid: true } },
];

describe('bad input table', () => {
	let store: CallStore;
	let snapshot: string;
	const seeded = () => {
		const e = store.get(CALL)!;
		return JSON.stringify({ call: e.call, operations: [...e.operations.entries()].map(([k, v]) => [k, v.operation, v.finished]), ended: e.ended });
	};
	let roster: string[];
	const rosterNow = () => [...store.get(CALL)!.participants.values()].map((p) => JSON.stringify(p));

	beforeEach(() => {
		store = new CallStore();
		store.applyCall({ id: CALL, state: 'established', direction: 'outgoing', callbackUri: 'https://bot.contoso.com/api' } as never);
		store.applyParticipants(CALL, [{ id: 'p-bot', info: { identity: { application: { id: profile.clientId, displayName: 'Bot' } } } }, { id: 'p-adele', info: { identity: { user: { id: 'u1', displayName: 'Adele' } } } }] as never);
		store.applyOperation(CALL, { id: 'op-1', status: 'running', '@odata.type': '#microsoft.graph.playPromptOperation' } as never);
		snapshot = seeded();
		roster = rosterNow();
		refusingSender.sent = 0;
		lastError = undefined;
	});
	afterEach(() => store.dispose());

	it('has at least 40 rows across every surface', () => {
		assert.ok(rows.length >= 40, `${rows.length} rows`);
		for (const s of ['profile', 'command', 'document', 'notification']) assert.ok(rows.some((r) => r.surface === s), s);
	});

	for (const row of rows) {
		it(`${row.surface}: ${row.name}`, async () => {
			const out = await row.run(store);
			if (row.expect instanceof RegExp) {
				assert.ok(!('valid' in out && out.valid), 'expected a refusal with a message');
				const m = (out as { message?: string }).message;
				assert.ok(m, 'a message');
				assert.match(m, row.expect);
				assert.ok(m.length < 600, 'the message is short enough to read');
				assert.doesNotMatch(m, /undefined|\[object Object\]/, 'no placeholder leaks into the message');
			} else {
				assert.ok('valid' in out && out.valid === true, `expected to be accepted, got ${JSON.stringify(out)}`);
				if ('value' in row.expect) assert.deepEqual((out as { value?: unknown }).value, row.expect.value);
			}
			assert.equal(refusingSender.sent, 0, 'nothing was sent');
			if (row.surface === 'command' && lastError !== undefined) assert.ok(lastError instanceof ValidationError, 'refused as a ValidationError, before any request');
			// Nothing already stored was lost or damaged (a participant may be added, none removed or changed).
			assert.equal(seeded(), snapshot, 'the stored call is unchanged');
			const now = rosterNow();
			for (const p of roster) assert.ok(now.includes(p), `participant kept: ${p}`);
		});
	}
});

describe('bad input: a flood of forged callback requests', function () {
	this.timeout(30_000);

	it('1,000 rejected requests: every one answered, the log gets 20 lines and a summary, valid ones still get through', async () => {
		const lines: string[] = [];
		const log = new RejectionLog((l) => lines.push(l));
		const processed: NotificationRecord[] = [];
		const receiver = new CallbackReceiver({
			authenticate: async (authorization) => authorization === 'Bearer good' ? { accept: true, valid: true } : { accept: false, valid: false, status: 403, reason: 'The token signature does not verify.' },
			process: (r) => void processed.push(r),
		});
		const url = await receiver.start();
		try {
			const body = JSON.stringify({ value: [{ changeType: 'updated', resourceUrl: `/communications/calls/${CALL}`, resourceData: { state: 'established' } }] });
			const statuses: number[] = [];
			for (let batch = 0; batch < 20; batch++) {
				statuses.push(...await Promise.all(Array.from({ length: 50 }, () => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer forged' }, body }).then((r) => r.status))));
			}
			const good = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer good' }, body });
			await receiver.whenIdle();
			// The extension feeds every record to its log like this (src/vscode/commands/callbacks.ts).
			for (let i = 0; i < receiver.stats.rejected[403]; i++) log.rejected(`notification ${i} rejected with 403: The token signature does not verify.`);
			log.flush();
			assert.deepEqual([...new Set(statuses)], [403]);
			assert.equal(statuses.length, 1000);
			assert.equal(good.status, 202, 'a valid notification still gets through');
			assert.equal(processed.length, 1);
			assert.equal(receiver.stats.rejected[403], 1000);
			assert.equal(lines.length, 21);
			assert.match(lines[20], /^980 more callback requests were rejected in the last 60 s \(1000 in all\); the receiver keeps answering them\. If they are not yours, .*stop the tunnel/);
		} finally {
			await receiver.stop();
			receiver.dispose();
		}
	});

	it('the rejection log starts a new window after the window passes', () => {
		let now = 0;
		const lines: string[] = [];
		const log = new RejectionLog((l) => lines.push(l), { perWindow: 2, windowMs: 1000, now: () => now });
		for (let i = 0; i < 5; i++) log.rejected(`r${i}`);
		now = 1500;
		log.rejected('r5');
		assert.deepEqual(lines.slice(0, 2), ['r0', 'r1']);
		assert.match(lines[2], /^3 more callback requests were rejected in the last 1 s \(6 in all\)/);
		assert.equal(lines[3], 'r5');
	});
});
