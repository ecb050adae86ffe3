import * as assert from 'node:assert/strict';
import { createHash, generateKeyPairSync, sign as cryptoSign } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Agent } from 'undici';
import { request } from 'undici';
import { EMULATOR_TENANT, type EmulatorHandle } from '../../../src/core/emulator';
import { control, emulatorMsalApp, emulatorToken, graph } from '../support/emulatorAuth';
import { startEmulatorFixture, useEmulator } from '../support/emulatorFixture';

function decode(token: string): Record<string, any> {
	return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8'));
}

async function expectMsalError(promise: Promise<unknown>, code: string): Promise<string> {
	try {
		await promise;
	} catch (err) {
		const text = `${(err as Error).message} ${(err as { errorMessage?: string }).errorMessage ?? ''}`;
		assert.match(text, new RegExp(code), `expected ${code} in: ${text}`);
		return text;
	}
	assert.fail(`expected msal-node to fail with ${code}`);
}

describe('emulator: Entra ID with the real msal-node', () => {
	const fx = useEmulator();
	let emu: EmulatorHandle;
	let agent: Agent;
	before(() => {
		({ emu, agent } = fx);
	});

	it('issues a token for a client secret with roles, tid, appid and aud', async () => {
		const token = await emulatorToken(emu, agent);
		const claims = decode(token);
		assert.equal(claims.aud, 'https://graph.microsoft.com');
		assert.equal(claims.tid, emu.tenantId);
		assert.equal(claims.appid, emu.clientId);
		assert.equal(claims.iss, `https://sts.windows.net/${emu.tenantId}/`);
		assert.ok(claims.roles.includes('Calls.Initiate.All'));
		assert.ok(claims.exp > Date.now() / 1000 + 3000);
		assert.equal(claims.appidacr, '1');
	});

	it('issues a token for a certificate assertion (PS256, x5t#S256) with the registered certificate', async () => {
		const token = await emulatorToken(emu, agent, { certificate: { thumbprintSha256: emu.clientCertificate.thumbprintSha256, privateKey: emu.clientCertificate.keyPem } });
		const claims = decode(token);
		assert.equal(claims.appid, emu.clientId);
		assert.equal(claims.appidacr, '2');
		const res = await graph(emu, agent, token, 'GET', '/communications/calls/00000000-0000-0000-0000-000000000000');
		assert.equal(res.status, 404, 'a certificate token is accepted by Graph (404 = authorized, no such call)');
	});

	it('rejects an assertion signed by an unregistered certificate with AADSTS700027', async () => {
		const dir = mkdtempSync(path.join(os.tmpdir(), 'emu-cert-'));
		try {
			execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'k.pem', '-out', 'c.pem', '-days', '2', '-subj', '/CN=stranger'], { cwd: dir, stdio: 'ignore' });
			const der = Buffer.from(readFileSync(path.join(dir, 'c.pem'), 'utf8').replace(/-----[^-]+-----|\s/g, ''), 'base64');
			const thumb = createHash('sha256').update(der).digest('hex');
			const app = emulatorMsalApp(emu, agent, { certificate: { thumbprintSha256: thumb, privateKey: readFileSync(path.join(dir, 'k.pem'), 'utf8') } });
			await expectMsalError(app.acquireTokenByClientCredential({ scopes: ['https://graph.microsoft.com/.default'] }), 'AADSTS700027');
		} finally {
			rmSync(dir, { recursive: true, force: true });
		}
	});

	it('rejects an assertion whose signature does not match the registered certificate with AADSTS700027', async () => {
		// Claims the registered certificate's thumbprint but is signed with another key.
		const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
		const header = { alg: 'RS256', typ: 'JWT', 'x5t#S256': Buffer.from(emu.clientCertificate.thumbprintSha256, 'hex').toString('base64url') };
		const now = Math.floor(Date.now() / 1000);
		const payload = { aud: `${emu.authority}/oauth2/v2.0/token`, iss: emu.clientId, sub: emu.clientId, exp: now + 600, nbf: now, jti: 'x' };
		const input = `${Buffer.from(JSON.stringify(header)).toString('base64url')}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}`;
		const jwt = `${input}.${cryptoSign('sha256', Buffer.from(input), privateKey).toString('base64url')}`;
		const res = await request(`${emu.authority}/oauth2/v2.0/token`, {
			method: 'POST', dispatcher: agent, headers: { 'content-type': 'application/x-www-form-urlencoded' },
			body: new URLSearchParams({ client_id: emu.clientId, scope: 'https://graph.microsoft.com/.default', grant_type: 'client_credentials', client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer', client_assertion: jwt }).toString(),
		});
		const body = (await res.body.json()) as { error: string; error_codes: number[]; error_description: string };
		assert.equal(res.statusCode, 401);
		assert.equal(body.error, 'invalid_client');
		assert.deepEqual(body.error_codes, [700027]);
		assert.match(body.error_description, /signature/);
	});

	it('answers a wrong secret with AADSTS7000215 and never echoes the secret', async () => {
		const text = await expectMsalError(emulatorToken(emu, agent, { clientSecret: 'wrong-secret-value-123' }), 'AADSTS7000215');
		assert.doesNotMatch(text, /wrong-secret-value-123/);
	});

	it('answers an expired secret with AADSTS7000222', async () => {
		await expectMsalError(emulatorToken(emu, agent, { clientSecret: EMULATOR_TENANT.expiredClientSecret }), 'AADSTS7000222');
	});

	it('answers an unknown app with AADSTS700016', async () => {
		await expectMsalError(emulatorToken(emu, agent, { clientId: '11111111-2222-3333-4444-555555555555' }), 'AADSTS700016');
	});

	it('answers an unknown tenant with AADSTS90002', async () => {
		await expectMsalError(emulatorToken(emu, agent, { tenant: 'nowhere.onmicrosoft.com' }), 'AADSTS90002');
	});

	it('works when msal-node discovers the OIDC document itself (knownAuthorities only)', async () => {
		const served: string[] = [];
		const sub = emu.emulator.onDidServe((r) => served.push(r.path));
		try {
			const token = await emulatorToken(emu, agent, { discover: true });
			assert.equal(decode(token).appid, emu.clientId);
			assert.ok(served.some((p) => p.endsWith('/.well-known/openid-configuration')), `discovery request seen: ${served.join(', ')}`);
		} finally {
			sub.dispose();
		}
	});

	it('accepts the tenant domain as well as its id', async () => {
		const token = await emulatorToken(emu, agent, { tenant: EMULATOR_TENANT.domain });
		assert.equal(decode(token).tid, emu.tenantId);
	});

	it('publishes the OIDC document and JWKS per tenant', async () => {
		const conf = await graph(emu, agent, undefined, 'GET', `${emu.authority}/v2.0/.well-known/openid-configuration`);
		assert.equal(conf.status, 200);
		assert.equal(conf.body.token_endpoint, `${emu.authority}/oauth2/v2.0/token`);
		assert.equal(conf.body.issuer, `${emu.authority}/v2.0`);
		const keys = await graph(emu, agent, undefined, 'GET', conf.body.jwks_uri);
		assert.equal(keys.body.keys[0].kty, 'RSA');
		assert.ok(keys.body.keys[0].kid);
		assert.equal(keys.body.keys[0].d, undefined, 'no private part in the JWKS');
	});

	it('rejects Graph requests without, with a garbage, or with an expired token (401 InvalidAuthenticationToken)', async () => {
		const none = await graph(emu, agent, undefined, 'GET', '/communications/calls/x');
		assert.equal(none.status, 401);
		assert.equal(none.body.error.code, 'InvalidAuthenticationToken');
		const garbage = await graph(emu, agent, 'not.a.jwt', 'GET', '/communications/calls/x');
		assert.equal(garbage.status, 401);
		const shortLived = await startEmulatorFixture({ emulator: { tokenLifetimeSeconds: 1 } });
		const { emu: short, agent: shortAgent } = shortLived;
		try {
			const token = await emulatorToken(short, shortAgent);
			await new Promise((r) => setTimeout(r, 1100));
			const expired = await graph(short, shortAgent, token, 'GET', '/communications/calls/x');
			assert.equal(expired.status, 401);
			assert.match(expired.body.error.message, /expired/);
		} finally {
			await shortLived.stop();
		}
	});

	it('checks roles: without Calls.Initiate.All a 1:1 call is 403 naming the permission', async () => {
		const token = await emulatorToken(emu, agent);
		await control(emu, agent, 'PUT', `/apps/${emu.clientId}/roles`, { roles: ['Calls.JoinGroupCall.All'] });
		try {
			const res = await graph(emu, agent, token, 'POST', '/communications/calls', {
				callbackUri: 'https://bot.example/callback', requestedModalities: ['audio'],
				mediaConfig: { '@odata.type': '#microsoft.graph.serviceHostedMediaConfig' },
				targets: [{ '@odata.type': '#microsoft.graph.invitationParticipantInfo', identity: { user: { id: EMULATOR_TENANT.clientId } } }],
			});
			assert.equal(res.status, 403);
			assert.match(res.body.error.message, /Calls\.Initiate\.All/);
			const group = await graph(emu, agent, token, 'POST', '/communications/calls', {
				callbackUri: 'https://bot.example/callback', requestedModalities: ['audio'],
				mediaConfig: { '@odata.type': '#microsoft.graph.serviceHostedMediaConfig' },
				targets: [1, 2].map(() => ({ identity: { user: { id: EMULATOR_TENANT.clientId } } })),
			});
			assert.equal(group.status, 403);
			assert.match(group.body.error.message, /Calls\.InitiateGroupCall\.All/);
			const get = await graph(emu, agent, token, 'GET', '/communications/calls/abc');
			assert.equal(get.status, 404, 'call.get is checked when the call is created: any calls permission passes');
		} finally {
			await control(emu, agent, 'PUT', `/apps/${emu.clientId}/roles`, { roles: ['Calls.Initiate.All', 'Calls.InitiateGroupCall.All', 'Calls.JoinGroupCall.All', 'Calls.JoinGroupCallAsGuest.All', 'Calls.AccessMedia.All'] });
		}
		const fresh = decode(await emulatorToken(emu, agent));
		assert.equal(fresh.roles.length, 5);
	});

	it('serves token requests with the token-endpoint-down fault as 503, and recovers', async () => {
		emu.setFaults({ rules: [], notifications: {}, tokenEndpointDown: true });
		try {
			await expectMsalError(emulatorToken(emu, agent), '503|temporarily_unavailable|AADSTS90033');
		} finally {
			emu.setFaults({ rules: [], notifications: {}, tokenEndpointDown: false });
		}
		assert.ok(await emulatorToken(emu, agent));
		assert.ok(emu.emulator.faults.counters.tokenEndpointRefusals >= 1);
	});
});
