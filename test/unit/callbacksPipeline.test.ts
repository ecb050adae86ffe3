import * as assert from 'node:assert/strict';
import type { CryptoKey, JWK } from 'jose' with { 'resolution-mode': 'import' };
import { request } from 'undici';
import { CallbackPipeline, openIdConfigurationUrlFor, type CallbackProfile } from '../../src/core/callbacks/callbackPipeline';
import type { CommsNotification } from '../../src/core/schema/types';
import { startOpenIdServer, startTestBot } from './callbacksTestServers';

const TENANT = 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee';
const APP_A = '11111111-0000-0000-0000-00000000000a';
const APP_B = '11111111-0000-0000-0000-00000000000b';

describe('callbacks: pipeline (validation per active profile, store feed, relay)', () => {
	let oidc: Awaited<ReturnType<typeof startOpenIdServer>>;
	let key: { privateKey: CryptoKey; jwk: JWK };
	let jose: typeof import('jose', { with: { 'resolution-mode': 'import' } });
	let profile: CallbackProfile | undefined;
	let relaxed = false;
	const applied: CommsNotification[] = [];
	let failOn: string | undefined;
	let pipeline: CallbackPipeline;
	let url: string;

	const sign = (aud: string) => new jose.SignJWT({ tid: TENANT }).setProtectedHeader({ alg: 'RS256', kid: 'k1' }).setIssuer('https://api.botframework.com').setAudience(aud).setExpirationTime('1h').sign(key.privateKey);
	const body = (...ids: string[]) => JSON.stringify({ value: ids.map((id) => ({ changeType: 'updated', resourceUrl: `/communications/calls/${id}`, resourceData: { state: 'established' } })) });
	const post = async (b: string, auth?: string) => {
		const res = await request(url, { method: 'POST', body: b, headers: { 'content-type': 'application/json', ...(auth ? { authorization: auth } : {}) } });
		await res.body.dump();
		await pipeline.receiver!.whenIdle();
		return res.statusCode;
	};
	const profileFor = (clientId: string): CallbackProfile => ({ name: `P-${clientId.slice(-1)}`, clientId, tenantId: TENANT, emulator: { graphHost: oidc.url, authority: `${oidc.url}/${TENANT}`, caCertPem: '', controlUrl: `${oidc.url}/_emulator` } });

	before(async () => {
		jose = await import('jose');
		const pair = await jose.generateKeyPair('RS256', { extractable: true });
		key = { privateKey: pair.privateKey, jwk: { ...(await jose.exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256' } };
		oidc = await startOpenIdServer([key.jwk]);
		pipeline = new CallbackPipeline({
			security: () => ({ profile, relaxed }),
			sink: () => ({
				applyNotification: (n) => {
					if (failOn && n.resourceUrl.endsWith(failOn)) throw new Error('store broke');
					applied.push(n);
				},
			}),
		});
		url = await pipeline.start();
	});
	after(async () => {
		await pipeline.stop();
		pipeline.dispose();
		await oidc.close();
	});
	afterEach(() => {
		relaxed = false;
		failOn = undefined;
		applied.length = 0;
	});

	it('finds the emulator keys under its Graph host and real Graph keys at api.aps.skype.com', () => {
		assert.equal(openIdConfigurationUrlFor(profileFor(APP_A)), `${oidc.url}/v1/.well-known/OpenIdConfiguration`);
		assert.equal(openIdConfigurationUrlFor({ name: 'T', clientId: APP_A, tenantId: TENANT }), 'https://api.aps.skype.com/v1/.well-known/OpenIdConfiguration');
	});

	it('rejects everything, with the reason, while no profile is active (unless relaxed)', async () => {
		profile = undefined;
		assert.equal(await post(body('c1'), `Bearer ${await sign(APP_A)}`), 403);
		assert.match(pipeline.history.list()[0].reason ?? '', /No active profile/);
		relaxed = true;
		assert.equal(await post(body('c1'), `Bearer ${await sign(APP_A)}`), 202);
		assert.equal(applied.length, 1);
	});

	it('checks the audience against whichever profile is active at the time', async () => {
		profile = profileFor(APP_A);
		const tokenA = `Bearer ${await sign(APP_A)}`;
		assert.equal(await post(body('a1'), tokenA), 202);
		profile = profileFor(APP_B);
		assert.equal(await post(body('a2'), tokenA), 403);
		assert.match(pipeline.history.list()[0].reason ?? '', /audience.*P-b/);
		assert.deepEqual(applied.map((n) => n.resourceUrl), ['/communications/calls/a1']);
	});

	it('keeps applying the other items of a POST when the store throws on one, and reports the failure', async () => {
		profile = profileFor(APP_A);
		failOn = 'bad';
		const failures: string[] = [];
		const sub = pipeline.onDidFailToApply(({ error }) => failures.push((error as Error).message));
		assert.equal(await post(body('x1', 'bad', 'x2'), `Bearer ${await sign(APP_A)}`), 202);
		sub.dispose();
		assert.deepEqual(applied.map((n) => n.resourceUrl), ['/communications/calls/x1', '/communications/calls/x2']);
		assert.deepEqual(failures, ['store broke']);
		assert.equal(pipeline.receiver!.stats.processErrors, 1);
	});

	it('relays accepted notifications only, and updates the history row with the outcome', async () => {
		profile = profileFor(APP_A);
		const bot = await startTestBot(204);
		const updates: string[] = [];
		const sub = pipeline.history.onDidChange((c) => c.kind === 'updated' && updates.push(c.record.id));
		try {
			pipeline.relay.target = bot.url;
			await post(body('r1'), `Bearer ${await sign(APP_B)}`);
			await post(body('r2'), `Bearer ${await sign(APP_A)}`);
			await pipeline.relay.whenIdle();
			assert.equal(bot.received.length, 1, 'the rejected one is not relayed');
			assert.match(bot.received[0].body, /r2/);
			const row = pipeline.history.list()[0];
			assert.equal(row.relay?.status, 204);
			assert.deepEqual(updates, [row.id]);
		} finally {
			sub.dispose();
			pipeline.relay.target = undefined;
			await bot.close();
		}
	});
});
