// The real msal-node against the emulator over HTTPS: secret and certificate credentials, each AADSTS error
// translated, and the secret never in the log or an error.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { request } from 'undici';
import { EMULATOR_TENANT, type EmulatorHandle } from '../../src/core/emulator';
import { MsalTokenProvider, type AuthLogLevel } from '../../src/core/auth/msalTokenProvider';
import { SignInError } from '../../src/core/auth/authErrors';
import type { ProfileCredential } from '../../src/core/auth/credential';
import type { TenantProfile } from '../../src/core/auth/tenantProfile';
import { decodeTokenClaims, summariseClaims } from '../../src/core/auth/tokenClaims';
import { diagnosePermissions } from '../../src/core/auth/permissionDiagnosis';
import { startEmulatorFixture, useEmulator } from './support/emulatorFixture';

const fixtures = path.resolve(__dirname, '../../../test/unit/authFixtures');

describe('auth: msal-node against the emulator', function () {
	this.timeout(30_000);
	const providers: MsalTokenProvider[] = [];
	let logLines: { level: AuthLogLevel; message: string }[] = [];
	let tokenRequests = 0;
	const fx = useEmulator({
		onStarted: (emu) => emu.emulator.onDidServe((r) => {
			if (r.path.endsWith('/oauth2/v2.0/token')) tokenRequests++;
		}),
	});
	let emu: EmulatorHandle;
	before(() => {
		emu = fx.emu;
	});

	function profileFor(overrides: Partial<TenantProfile> = {}): TenantProfile {
		return {
			id: 'emulator',
			name: 'Emulator',
			cloud: 'global',
			tenantId: emu.tenantId,
			clientId: emu.clientId,
			credentialKind: 'secret',
			apiVersion: 'v1.0',
			emulator: { authority: emu.authority, graphHost: emu.baseUrl, caCertPem: emu.caCertPem, controlUrl: emu.controlUrl },
			...overrides,
		};
	}

	/** A fresh provider (and msal application) per test: msal caches throttling and tokens per instance. */
	function provider(credential: ProfileCredential, overrides: Partial<TenantProfile> = {}): MsalTokenProvider {
		const p = new MsalTokenProvider({ profile: profileFor(overrides), getCredential: async () => credential, log: (level, message) => logLines.push({ level, message }) });
		providers.push(p);
		return p;
	}

	async function signInError(p: MsalTokenProvider): Promise<SignInError> {
		try {
			await p.getToken();
		} catch (err) {
			assert.ok(err instanceof SignInError, `expected SignInError, got ${String(err)}`);
			return err;
		}
		assert.fail('the token request should have failed');
	}

	beforeEach(() => {
		logLines = [];
		tokenRequests = 0;
	});
	afterEach(() => {
		for (const p of providers.splice(0)) p.dispose();
	});

	it('gets a token with the client secret; claims carry the app, tenant and roles', async () => {
		const token = await provider({ kind: 'secret', clientSecret: emu.clientSecret }).getToken();
		const s = summariseClaims(decodeTokenClaims(token.token));
		assert.equal(s.appId, emu.clientId);
		assert.equal(s.tenantId, emu.tenantId);
		assert.equal(s.audience, 'https://graph.microsoft.com');
		assert.ok(s.roles.includes('Calls.Initiate.All'));
		assert.ok(token.expiresOn.getTime() > Date.now() + 30 * 60_000);
	});

	it('the token is accepted by the emulator\'s Graph API (same CA, profile-scoped trust)', async () => {
		const token = await provider({ kind: 'secret', clientSecret: emu.clientSecret }).getToken();
		const { Agent } = await import('undici');
		const agent = new Agent({ connect: { ca: emu.caCertPem } });
		try {
			const res = await request(`${emu.graphBaseUrl}/communications/calls/00000000-0000-0000-0000-000000000000`, { headers: { authorization: `Bearer ${token.token}` }, dispatcher: agent });
			await res.body.dump();
			assert.equal(res.statusCode, 404, 'authenticated: the call is unknown, not 401');
		} finally {
			await agent.close();
		}
	});

	it('does not trust the emulator CA anywhere else: a request without the profile\'s agent fails TLS', async () => {
		await assert.rejects(request(`${emu.baseUrl}/v1.0/communications/calls/x`), (err: Error & { code?: string; cause?: { code?: string } }) => /SELF_SIGNED|UNABLE_TO_VERIFY|unable to verify|self.signed/i.test(`${err.code} ${err.cause?.code} ${err.message}`));
	});

	it('caches in memory: repeated and concurrent calls make one token request; forceRefresh makes another', async () => {
		const p = provider({ kind: 'secret', clientSecret: emu.clientSecret });
		const [a, b, c] = await Promise.all([p.getToken(), p.getToken(), p.getToken()]);
		assert.equal(a.token, b.token);
		assert.equal(b.token, c.token);
		assert.equal((await p.getToken()).token, a.token);
		assert.equal(tokenRequests, 1);
		const fresh = await p.getToken({ forceRefresh: true });
		assert.equal(tokenRequests, 2);
		assert.notEqual(fresh.token, a.token);
	});

	it('a token within 5 minutes of expiry is never reused: the next call gets a new one', async () => {
		const shortLivedFixture = await startEmulatorFixture({ emulator: { tokenLifetimeSeconds: 200 } });
		const shortLived = shortLivedFixture.emu;
		let requests = 0;
		shortLived.emulator.onDidServe((r) => {
			if (r.path.endsWith('/oauth2/v2.0/token')) requests++;
		});
		try {
			const p = provider({ kind: 'secret', clientSecret: shortLived.clientSecret }, {
				emulator: { authority: shortLived.authority, graphHost: shortLived.baseUrl, caCertPem: shortLived.caCertPem, controlUrl: shortLived.controlUrl },
			});
			const a = await p.getToken();
			const b = await p.getToken();
			assert.equal(requests, 2);
			assert.notEqual(a.token, b.token);
		} finally {
			await shortLivedFixture.stop();
		}
	});

	it('gets a token with a certificate (x5t#S256 + PS256 client assertion)', async () => {
		const pem = emu.clientCertificate.certPem + emu.clientCertificate.keyPem;
		const token = await provider({ kind: 'certificate', pem }, { credentialKind: 'certificate' }).getToken();
		const claims = decodeTokenClaims(token.token);
		assert.equal(claims.appid, emu.clientId);
		assert.equal(claims.appidacr, '2', 'the emulator saw a certificate credential');
	});

	it('AADSTS7000215: a wrong secret is explained and the secret appears nowhere', async () => {
		const wrong = 'Wr0ng~secret-value-that-must-never-be-logged';
		const err = await signInError(provider({ kind: 'secret', clientSecret: wrong }));
		assert.equal(err.code, 'AADSTS7000215');
		assert.match(err.message, /Sign-in for profile "Emulator" failed: Entra ID rejected the client secret/);
		assert.match(err.explanation, /Secret ID/);
		const everything = [err.message, err.explanation, err.stack ?? '', JSON.stringify(err), ...logLines.map((l) => l.message)].join('\n');
		assert.ok(!everything.includes(wrong), 'the secret leaked');
		assert.ok(logLines.some((l) => l.message.startsWith('msal:')), 'msal logs reach the log callback');
		assert.ok(logLines.some((l) => l.level === 'warn' && /AADSTS7000215/.test(l.message)));
	});

	it('AADSTS7000222: an expired secret', async () => {
		const err = await signInError(provider({ kind: 'secret', clientSecret: EMULATOR_TENANT.expiredClientSecret }));
		assert.equal(err.code, 'AADSTS7000222');
		assert.match(err.message, /expired/);
		assert.ok(![err.message, err.explanation, ...logLines.map((l) => l.message)].join('\n').includes(EMULATOR_TENANT.expiredClientSecret));
	});

	it('AADSTS700016: an app that is not in the tenant', async () => {
		const err = await signInError(provider({ kind: 'secret', clientSecret: emu.clientSecret }, { clientId: '99999999-9999-4999-8999-999999999999' }));
		assert.equal(err.code, 'AADSTS700016');
		assert.match(err.message, /Application 99999999-9999-4999-8999-999999999999 was not found in tenant/);
	});

	it('AADSTS700027: a certificate that is not registered for the app', async () => {
		const pem = fs.readFileSync(path.join(fixtures, 'cert-and-key.pem'), 'utf8');
		const err = await signInError(provider({ kind: 'certificate', pem }, { credentialKind: 'certificate', certificateThumbprint: 'X', certificateThumbprintSha1: 'BE7EFDDFD62C3F039F228FA7DB2C414866845A65' }));
		assert.equal(err.code, 'AADSTS700027');
		assert.match(err.explanation, /Upload the certificate \(thumbprint BE7EFDDFD62C3F039F228FA7DB2C414866845A65\)/);
		const key = fs.readFileSync(path.join(fixtures, 'key.pem'), 'utf8').split('\n')[1];
		assert.ok(![err.message, err.explanation, ...logLines.map((l) => l.message)].join('\n').includes(key), 'no key material in errors or logs');
	});

	it('AADSTS90002: a tenant that does not exist', async () => {
		const other = '0badc0de-0000-4000-8000-000000000000';
		const err = await signInError(provider({ kind: 'secret', clientSecret: emu.clientSecret }, {
			tenantId: other,
			emulator: { authority: `${emu.baseUrl}/${other}`, graphHost: emu.baseUrl, caCertPem: emu.caCertPem, controlUrl: emu.controlUrl },
		}));
		assert.equal(err.code, 'AADSTS90002');
		assert.match(err.message, new RegExp(`Tenant ${other} was not found`));
	});

	it('a CA that did not sign the server: the TLS error is explained', async () => {
		const wrongCa = fs.readFileSync(path.join(fixtures, 'cert.pem'), 'utf8');
		const err = await signInError(provider({ kind: 'secret', clientSecret: emu.clientSecret }, {
			emulator: { authority: emu.authority, graphHost: emu.baseUrl, caCertPem: wrongCa, controlUrl: emu.controlUrl },
		}));
		assert.match(err.message, /TLS certificate of 127\.0\.0\.1:\d+ is not trusted/);
		assert.match(err.explanation, /Use Local Emulator/);
	});

	it('an emulator that is not running: says to start it, and the next request tries again', async () => {
		const goneFixture = await startEmulatorFixture();
		const gone = goneFixture.emu;
		const profile = { tenantId: gone.tenantId, emulator: { authority: gone.authority, graphHost: gone.baseUrl, caCertPem: gone.caCertPem, controlUrl: gone.controlUrl } };
		await goneFixture.stop();
		const p = provider({ kind: 'secret', clientSecret: emu.clientSecret }, profile);
		const err = await signInError(p);
		assert.equal(err.code, 'ECONNREFUSED');
		assert.match(err.explanation, /Use Local Emulator/);
		const again = await signInError(p);
		assert.equal(again.code, 'ECONNREFUSED', 'a failed session is not cached');
	});

	it('a role taken away shows up in the next fresh token and in the diagnosis', async () => {
		emu.setRoles(['Calls.JoinGroupCall.All']);
		try {
			const token = await provider({ kind: 'secret', clientSecret: emu.clientSecret }).getToken({ forceRefresh: true });
			const d = diagnosePermissions(summariseClaims(decodeTokenClaims(token.token)).roles, 'v1.0');
			assert.deepEqual(d.callingRoles, ['Calls.JoinGroupCall.All']);
			assert.equal(d.actions.find((a) => a.action === 'call.redirect')?.allowed, false);
			assert.equal(d.suggestions[0]?.permission !== undefined, true);
			assert.ok(d.suggestions.some((s) => s.permission === 'Calls.Initiate.All' && s.unlocks.includes('call.redirect')));
		} finally {
			emu.setRoles(['Calls.Initiate.All', 'Calls.InitiateGroupCall.All', 'Calls.JoinGroupCall.All', 'Calls.JoinGroupCallAsGuest.All', 'Calls.AccessMedia.All']);
		}
	});

	it('a dismissed secret prompt is a cancellation, not a sign-in error, and the next request asks again', async () => {
		let asks = 0;
		const p = new MsalTokenProvider({
			profile: profileFor(),
			getCredential: async () => {
				if (asks++ === 0) throw Object.assign(new Error('Cancelled at: Client secret'), { name: 'UserCancelledError' });
				return { kind: 'secret', clientSecret: emu.clientSecret };
			},
		});
		providers.push(p);
		await assert.rejects(p.getToken(), (e: Error) => e.name === 'UserCancelledError' && !(e instanceof SignInError));
		assert.ok((await p.getToken()).token);
		assert.equal(asks, 2);
	});

	it('an aborted request rejects with AbortError at once', async () => {
		const p = provider({ kind: 'secret', clientSecret: emu.clientSecret });
		const ac = new AbortController();
		ac.abort();
		await assert.rejects(p.getToken({ signal: ac.signal }), { name: 'AbortError' });
	});
});
