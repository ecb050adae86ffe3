import * as assert from 'node:assert/strict';
import { decodeTokenClaims, renderClaimsMarkdown, summariseClaims, TokenDecodeError } from '../../src/core/auth/tokenClaims';

function jwt(payload: object): string {
	const enc = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
	return `${enc({ alg: 'RS256', typ: 'JWT' })}.${enc(payload)}.c2lnbmF0dXJlLXRoYXQtbXVzdC1ub3QtYmUtc2hvd24`;
}

const now = new Date('2026-01-01T10:00:00Z');
const claims = {
	aud: 'https://graph.microsoft.com',
	iss: 'https://sts.windows.net/tid/',
	iat: now.getTime() / 1000 - 60,
	exp: now.getTime() / 1000 + 3540,
	appid: 'app-1',
	app_displayname: 'Echo bot',
	tid: 'tid',
	roles: ['Calls.JoinGroupCall.All', 'Calls.Initiate.All'],
};

describe('auth: token claims', () => {
	it('decodes the payload of a JWS, including base64url characters', () => {
		const c = decodeTokenClaims(jwt({ ...claims, x: '>>>???' }));
		assert.deepEqual(c.roles, claims.roles);
		assert.equal(c.x, '>>>???');
	});

	it('summarises app, tenant, roles (sorted), expiry', () => {
		const s = summariseClaims(claims, now);
		assert.equal(s.appId, 'app-1');
		assert.equal(s.tenantId, 'tid');
		assert.deepEqual(s.roles, ['Calls.Initiate.All', 'Calls.JoinGroupCall.All']);
		assert.equal(s.secondsLeft, 3540);
		assert.equal(s.expiresOn?.toISOString(), '2026-01-01T10:59:00.000Z');
		assert.deepEqual(s.scopes, []);
		assert.equal(summariseClaims({ azp: 'v2-app', exp: now.getTime() / 1000 - 10 }, now).secondsLeft, -10);
	});

	it('refuses non-JWTs with a message that never repeats the token', () => {
		const secretish = 'eyJhbGciOi.opaque-token-value';
		assert.throws(() => decodeTokenClaims(secretish), (e: Error) => e instanceof TokenDecodeError && !e.message.includes('opaque-token-value') && /not a JWT/.test(e.message));
		assert.throws(() => decodeTokenClaims('a.!!!notbase64json.c'), /not valid base64url JSON/);
		assert.throws(() => decodeTokenClaims(`a.${Buffer.from('[1]').toString('base64url')}.c`), /not a JSON object/);
	});

	it('renders markdown with roles and expiry but never the token or its signature', () => {
		const token = jwt(claims);
		const md = renderClaimsMarkdown('Contoso', decodeTokenClaims(token), now);
		assert.match(md, /# Token claims: Contoso/);
		assert.match(md, /\| roles \| Calls\.Initiate\.All, Calls\.JoinGroupCall\.All \|/);
		assert.match(md, /2026-01-01T10:59:00\.000Z \(in 59 min\)/);
		assert.match(md, /app-1 \(Echo bot\)/);
		assert.ok(!md.includes(token));
		for (const part of token.split('.')) assert.ok(!md.includes(part), 'no part of the raw token');
	});

	it('says so when the app has no roles or the token is delegated', () => {
		const md = renderClaimsMarkdown('P', { scp: 'User.Read Calls.Initiate' }, now);
		assert.match(md, /none: the app has no consented application permissions/);
		assert.match(md, /unexpected in an app-only token/);
	});
});
