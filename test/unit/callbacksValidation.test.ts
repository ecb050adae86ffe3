import * as assert from 'node:assert/strict';
import type { CryptoKey, JWK, JWTPayload } from 'jose' with { 'resolution-mode': 'import' };
import { CallbackTokenValidator, type TokenCheck } from '../../src/core/callbacks/callbackTokenValidator';
import { OpenIdKeySource } from '../../src/core/callbacks/openIdKeySource';
import { startOpenIdServer } from './callbacksTestServers';

const CLIENT_ID = '11111111-2222-3333-4444-555555555555';
const TENANT = 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee';
const expected = { profileName: 'Contoso', clientId: CLIENT_ID, tenantId: TENANT };

type Jose = typeof import('jose', { with: { 'resolution-mode': 'import' } });

describe('callbacks: token validation (local OpenID configuration)', () => {
	let jose: Jose;
	let key: { privateKey: CryptoKey; jwk: JWK };
	let oidc: Awaited<ReturnType<typeof startOpenIdServer>>;
	let sources: OpenIdKeySource[] = [];

	async function makeKey(kid: string) {
		const { privateKey, publicKey } = await jose.generateKeyPair('RS256', { extractable: true });
		return { privateKey, jwk: { ...(await jose.exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' } };
	}

	async function sign(claims: JWTPayload = {}, k = key, opts: { exp?: string | number; kid?: string } = {}) {
		return new jose.SignJWT({ tid: TENANT, ...claims })
			.setProtectedHeader({ alg: 'RS256', kid: opts.kid ?? k.jwk.kid })
			.setIssuer((claims.iss as string) ?? 'https://api.botframework.com')
			.setAudience((claims.aud as string) ?? CLIENT_ID)
			.setIssuedAt()
			.setExpirationTime(opts.exp ?? '1h')
			.sign(k.privateKey);
	}

	function validator(cooldownMs = 0) {
		const src = new OpenIdKeySource({ openIdConfigurationUrl: `${oidc.url}/v1/.well-known/OpenIdConfiguration`, refreshCooldownMs: cooldownMs });
		sources.push(src);
		return { v: new CallbackTokenValidator(src), src };
	}

	function invalid(check: TokenCheck): { status: number; reason: string } {
		assert.equal(check.valid, false, 'expected the token to be rejected');
		return check as { status: number; reason: string };
	}

	before(async () => {
		jose = await import('jose');
		key = await makeKey('k1');
		oidc = await startOpenIdServer([key.jwk]);
	});
	afterEach(() => {
		for (const s of sources) s.dispose();
		sources = [];
		oidc.keys = [key.jwk];
		oidc.failing = false;
	});
	after(() => oidc.close());

	it('accepts a well-signed token for the profile and caches the keys', async () => {
		const { v, src } = validator();
		for (let i = 0; i < 5; i++) {
			const check = await v.validate(`Bearer ${await sign()}`, expected);
			assert.ok(check.valid, JSON.stringify(check));
			assert.equal(check.claims.tid, TENANT);
		}
		assert.equal(src.fetchCount, 1);
	});

	it('also accepts https://graph.microsoft.com as issuer, and a tenant id with different dashes and case', async () => {
		const { v } = validator();
		assert.ok((await v.validate(`Bearer ${await sign({ iss: 'https://graph.microsoft.com' })}`, expected)).valid);
		assert.ok((await v.validate(`Bearer ${await sign()}`, { ...expected, tenantId: TENANT.toUpperCase().replace(/-/g, '') })).valid);
	});

	it('rejects a missing or non-bearer Authorization header with 401', async () => {
		const { v } = validator();
		assert.equal(invalid(await v.validate(undefined, expected)).status, 401);
		assert.match(invalid(await v.validate('Basic abc', expected)).reason, /not "Bearer <JWT>"/);
		assert.match(invalid(await v.validate('Bearer not-a-jwt', expected)).reason, /not a JWT/);
	});

	it('rejects a forged token signed with another key under the same key id', async () => {
		const { v } = validator();
		const forger = await makeKey('k1');
		const r = invalid(await v.validate(`Bearer ${await sign({}, forger)}`, expected));
		assert.equal(r.status, 403);
		assert.match(r.reason, /signature does not match/);
	});

	it('rejects expired, wrong-audience, wrong-issuer, wrong-tenant and tenant-less tokens, each with its reason', async () => {
		const { v } = validator();
		const past = Math.floor(Date.now() / 1000) - 3600;
		assert.match(invalid(await v.validate(`Bearer ${await sign({}, key, { exp: past })}`, expected)).reason, /expired/);
		assert.match(invalid(await v.validate(`Bearer ${await sign({ aud: 'some-other-bot' })}`, expected)).reason, /audience.*some-other-bot.*client id/);
		assert.match(invalid(await v.validate(`Bearer ${await sign({ iss: 'https://evil.example' })}`, expected)).reason, /issuer/);
		assert.match(invalid(await v.validate(`Bearer ${await sign({ tid: '99999999-bbbb-cccc-dddd-eeeeeeeeeeee' })}`, expected)).reason, /tenant 99999999/);
		assert.match(invalid(await v.validate(`Bearer ${await sign({ tid: undefined })}`, expected)).reason, /no tenant id claim/);
	});

	it('rejects unsigned (alg none) tokens', async () => {
		const { v } = validator();
		const unsigned = new jose.UnsecuredJWT({ tid: TENANT }).setIssuer('https://api.botframework.com').setAudience(CLIENT_ID).setExpirationTime('1h').encode();
		const r = invalid(await v.validate(`Bearer ${unsigned}`, expected));
		assert.equal(r.status, 403);
		assert.match(r.reason, /unsigned tokens are never accepted/);
	});

	it('refetches keys when a token names an unknown key id (rollover), and rejects a token whose key is nowhere', async () => {
		const { v, src } = validator();
		assert.ok((await v.validate(`Bearer ${await sign()}`, expected)).valid);
		const next = await makeKey('k2');
		oidc.keys = [key.jwk, next.jwk];
		assert.ok((await v.validate(`Bearer ${await sign({}, next)}`, expected)).valid);
		assert.equal(src.fetchCount, 2);
		const stranger = await makeKey('k3');
		assert.match(invalid(await v.validate(`Bearer ${await sign({}, stranger)}`, expected)).reason, /not among the published signing keys/);
	});

	it('limits refetches for unknown key ids to one per cooldown', async () => {
		const { v, src } = validator(60_000);
		const stranger = await makeKey('k9');
		for (let i = 0; i < 5; i++) invalid(await v.validate(`Bearer ${await sign({}, stranger)}`, expected));
		assert.equal(src.fetchCount, 2);
	});

	it('answers 503 with the reason when the keys cannot be fetched', async () => {
		oidc.failing = true;
		const { v } = validator();
		const r = invalid(await v.validate(`Bearer ${await sign()}`, expected));
		assert.equal(r.status, 503);
		assert.match(r.reason, /HTTP 500/);
	});
});
