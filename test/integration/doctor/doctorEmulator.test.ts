/**
 * The setup doctor against the emulator, over real HTTP: each misconfiguration the emulator plays through its
 * control API makes exactly the checks that look at it fail, and the Graph error a bot gets for it names the check.
 */
import * as assert from 'node:assert/strict';
import { request } from 'undici';
import { MsalTokenProvider } from '../../../src/core/auth/msalTokenProvider';
import type { TenantProfile } from '../../../src/core/auth/tenantProfile';
import { ARM_SCOPE } from '../../../src/core/doctor/botChannelCheck';
import { graphProbe, runDoctor, type DoctorInput } from '../../../src/core/doctor/doctor';
import type { CheckResult, DoctorCheckId, DoctorReport } from '../../../src/core/doctor/doctorModel';
import { clientCredentialsToken, openIdTenantResolver } from '../../../src/core/doctor/doctorSources';
import { EMULATOR_AZURE_BOT } from '../../../src/core/emulator/directory';
import { GraphClient } from '../../../src/core/graph/graphClient';
import { GraphError } from '../../../src/core/graph/graphError';
import { useEmulator } from '../support/emulatorFixture';

const CALLBACK = 'https://bot.contoso.example/api/calling';

const MANIFEST = (botId: string, extra: Record<string, unknown> = {}) => JSON.stringify({
	$schema: 'https://developer.microsoft.com/json-schemas/teams/v1.19/MicrosoftTeams.schema.json',
	manifestVersion: '1.19', version: '1.0.0', id: '11111111-2222-4333-8444-555555555555',
	developer: { name: 'Contoso', websiteUrl: 'https://contoso.example', privacyUrl: 'https://contoso.example/p', termsOfUseUrl: 'https://contoso.example/t' },
	name: { short: 'Calling bot' }, description: { short: 'Calls', full: 'Calls people' }, icons: { color: 'color.png', outline: 'outline.png' }, accentColor: '#FFFFFF',
	bots: [{ botId, scopes: ['personal', 'team'], supportsCalling: true, ...extra }],
});

describe('setup doctor against the emulator', function () {
	this.timeout(30_000);
	const fx = useEmulator();
	const disposables: { dispose(): void }[] = [];

	afterEach(async () => {
		for (const d of disposables.splice(0)) d.dispose();
		await control('POST', '/reset', {});
	});

	async function control(method: string, path: string, body?: unknown): Promise<unknown> {
		const res = await request(`${fx.emu.controlUrl}${path}`, { method: method as 'POST', dispatcher: fx.agent, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
		const text = await res.body.text();
		assert.ok(res.statusCode < 300, `${method} ${path}: ${res.statusCode} ${text}`);
		return text ? JSON.parse(text) : undefined;
	}

	const setup = (patch: Record<string, unknown>) => control('PATCH', `/apps/${fx.emu.clientId}/setup`, patch);

	function profile(): TenantProfile {
		const emu = fx.emu;
		return {
			id: 'doctor-test', name: 'Emulator', cloud: 'global', tenantId: emu.tenantId, clientId: emu.clientId, credentialKind: 'secret', apiVersion: 'v1.0', callbackUrl: CALLBACK,
			emulator: { authority: emu.authority, graphHost: emu.baseUrl, caCertPem: emu.caCertPem, controlUrl: emu.controlUrl },
		};
	}

	/** A fresh token provider per run: msal caches tokens, and a changed setup must show in a new token. */
	function clients(p = profile()): { tokens: MsalTokenProvider; client: GraphClient } {
		const tokens = new MsalTokenProvider({ profile: p, getCredential: async () => ({ kind: 'secret', clientSecret: fx.emu.clientSecret }) });
		const client = new GraphClient({ profileName: p.name, baseUrl: `${fx.emu.baseUrl}/v1.0`, graphHost: fx.emu.baseUrl, tokenProvider: tokens, caCertPem: fx.emu.caCertPem, retry: { maxAttempts: 1 } });
		disposables.push(client, tokens);
		return { tokens, client };
	}

	async function doctor(overrides: Partial<DoctorInput> = {}): Promise<DoctorReport> {
		const p = profile();
		const { tokens, client } = clients(p);
		const emu = fx.emu;
		return runDoctor({
			profileName: p.name, clientId: p.clientId, tenantId: p.tenantId, callbackUrl: p.callbackUrl,
			getToken: async () => (await tokens.getToken({ forceRefresh: true })).token,
			probeGraph: graphProbe(client),
			resolveTenantDomain: openIdTenantResolver(new URL(emu.authority).origin, emu.caCertPem),
			needs: { kinds: ['peerToPeer'], video: false },
			manifest: { path: 'appPackage/manifest.json', text: MANIFEST(emu.clientId) },
			azureBot: EMULATOR_AZURE_BOT,
			arm: { endpoint: emu.baseUrl, caCertPem: emu.caCertPem, getToken: () => clientCredentialsToken({ authority: emu.authority, clientId: emu.clientId, clientSecret: emu.clientSecret, scope: ARM_SCOPE, caCertPem: emu.caCertPem }) },
			...overrides,
		});
	}

	const row = (r: DoctorReport, id: DoctorCheckId): CheckResult => r.results.find((x) => x.id === id)!;
	const states = (r: DoctorReport) => Object.fromEntries(r.results.map((x) => [x.id, x.state]));

	/** The error a bot gets from Graph for this setup: a create call, as the bot would send it. */
	async function createCallError(): Promise<GraphError> {
		const { client } = clients();
		const err = await client.request({ method: 'POST', path: '/communications/calls', action: 'call.create', body: {
			'@odata.type': '#microsoft.graph.call', callbackUri: CALLBACK, requestedModalities: ['audio'], mediaConfig: { '@odata.type': '#microsoft.graph.serviceHostedMediaConfig' },
			targets: [{ '@odata.type': '#microsoft.graph.invitationParticipantInfo', identity: { user: { id: '0d5e1a6b-0001-4a00-8000-000000000001', displayName: 'Adele Vance' } } }], tenantId: fx.emu.tenantId,
		} }).then(() => undefined, (e: unknown) => e);
		assert.ok(err instanceof GraphError, `expected a GraphError, got ${String(err)}`);
		return err;
	}

	it('passes every check it can on a healthy setup, reading the Azure Bot through the Resource Manager stand-in', async () => {
		await control('PATCH', `/apps/${fx.emu.clientId}`, { callingWebhook: CALLBACK });
		await control('PUT', `/apps/${fx.emu.clientId}/roles`, { roles: ['Calls.Initiate.All'] });
		const r = await doctor();
		assert.deepEqual(states(r), {
			token: 'pass', consent: 'pass', roles: 'pass', tenant: 'pass', callingService: 'pass', botChannel: 'pass',
			manifest: 'pass', callbackPublic: 'pass', callbackReachable: 'cannotCheck', clock: 'pass',
		}, JSON.stringify(r.results, null, 1));
		assert.match(row(r, 'roles').detail, /Exactly what 1:1 calls to users need: Calls\.Initiate\.All/);
		assert.match(row(r, 'botChannel').detail, /calling webhook is the callback URL/);
		assert.match(row(r, 'callbackReachable').detail, /No reachability probe/);
	});

	it('least privilege: names the roles held beyond what the bot needs', async () => {
		await control('PATCH', `/apps/${fx.emu.clientId}`, { callingWebhook: CALLBACK });
		const r = await doctor();
		assert.equal(row(r, 'roles').state, 'pass');
		assert.match(row(r, 'roles').fix ?? '', /remove .*Calls\.AccessMedia\.All/);
	});

	it('a role missing: the roles check fails naming it, and the 403 names the check', async () => {
		await control('PUT', `/apps/${fx.emu.clientId}/roles`, { roles: ['Calls.JoinGroupCall.All'] });
		const r = await doctor({ needs: { kinds: ['peerToPeer', 'pstn'], video: false } });
		assert.equal(row(r, 'roles').state, 'fail');
		assert.match(row(r, 'roles').detail, /add Calls\.Initiate\.All/);
		const err = await createCallError();
		assert.equal(err.status, 403);
		assert.equal(err.doctorCheck, 'roles');
		assert.match(err.explanation, /Setup Doctor check "Application roles"/);
	});

	it('consent missing: the token has no roles claim, Graph answers 7504, and both name the consent check', async () => {
		await setup({ adminConsent: false });
		const r = await doctor();
		assert.equal(row(r, 'token').state, 'pass');
		assert.equal(row(r, 'consent').state, 'fail');
		assert.match(row(r, 'consent').detail, /no roles claim/);
		assert.equal(row(r, 'roles').state, 'cannotCheck');
		assert.equal(row(r, 'callingService').state, 'fail');
		assert.match(row(r, 'callingService').detail, /7504/);
		const err = await createCallError();
		assert.equal(err.status, 403);
		assert.equal(err.code, '7504');
		assert.equal(err.doctorCheck, 'consent');
		assert.match(err.explanation, /Setup Doctor check "Admin consent"/);
	});

	it('insufficient tenant permissions: roles in the token, yet 7504 from the calling service', async () => {
		await setup({ tenantPermissions: false });
		const r = await doctor();
		assert.equal(row(r, 'consent').state, 'pass');
		assert.equal(row(r, 'callingService').state, 'fail');
		assert.match(row(r, 'callingService').detail, /Insufficient enterprise tenant permissions/);
		assert.equal((await createCallError()).code, '7504');
	});

	it('app not registered (no Azure Bot): Resource Manager has no bot and Graph answers 7503 as the SDKs report it', async () => {
		await setup({ botRegistered: false });
		const r = await doctor();
		assert.equal(row(r, 'botChannel').state, 'fail');
		assert.match(row(r, 'botChannel').detail, /There is no Azure Bot emulator-bot.*ResourceNotFound/);
		assert.equal(row(r, 'callingService').state, 'fail');
		assert.match(row(r, 'callingService').detail, /Application is not registered in our store/);
		const err = await createCallError();
		assert.equal(err.status, 403);
		assert.equal(err.code, 'UnknownError');
		assert.match(err.graphMessage ?? '', /"errorCode":"7503"/);
		assert.equal(err.doctorCheck, 'botChannel');
		assert.match(err.explanation, /Setup Doctor check "Azure Bot Teams channel"/);
	});

	it('calling not enabled on the Teams channel: enableCalling false through Resource Manager, 7503 from Graph', async () => {
		await control('PATCH', `/apps/${fx.emu.clientId}`, { callingWebhook: CALLBACK });
		await setup({ callingEnabled: false });
		const r = await doctor();
		assert.equal(row(r, 'botChannel').state, 'fail');
		assert.match(row(r, 'botChannel').detail, /Calling is not enabled .*enableCalling is false/);
		assert.match(row(r, 'botChannel').fix ?? '', /Enable calling/);
		assert.equal((await createCallError()).doctorCheck, 'botChannel');
	});

	it('no Teams channel at all: the channel is not found', async () => {
		await setup({ teamsChannel: false });
		const r = await doctor();
		assert.equal(row(r, 'botChannel').state, 'fail');
		assert.match(row(r, 'botChannel').detail, /has no Microsoft Teams channel/);
	});

	it('a wrong calling webhook: the channel points elsewhere than the callback URL', async () => {
		await control('PATCH', `/apps/${fx.emu.clientId}`, { callingWebhook: 'https://old-tunnel.contoso.example/api/calling' });
		const r = await doctor();
		assert.equal(row(r, 'botChannel').state, 'fail');
		assert.match(row(r, 'botChannel').detail, /calling webhook is https:\/\/old-tunnel\.contoso\.example\/api\/calling, not the callback URL/);
		assert.equal(row(r, 'callingService').state, 'pass', 'Graph itself is fine: only incoming calls go astray');
	});

	it('a tenant mismatch: the token comes from another tenant, the tenant check fails and Graph answers 7505', async () => {
		await setup({ homeTenantId: '0b0b0b0b-1111-4222-8333-444444444444' });
		const r = await doctor();
		assert.equal(row(r, 'tenant').state, 'fail');
		assert.match(row(r, 'tenant').detail, /token is for tenant 0b0b0b0b-1111-4222-8333-444444444444, but the calls belong to tenant/);
		assert.match(row(r, 'callingService').detail, /7505/);
		const err = await createCallError();
		assert.equal(err.code, '7505');
		assert.equal(err.doctorCheck, 'tenant');
		assert.match(err.explanation, /Setup Doctor check "Tenant"/);
	});

	it('a tenant given as a domain is resolved through the authority before it is compared', async () => {
		const r = await doctor({ tenantId: 'emulator.onmicrosoft.com' });
		assert.equal(row(r, 'tenant').state, 'pass', row(r, 'tenant').detail);
	});

	it('a wrong client secret: the token check fails with the AADSTS explanation and the rest cannot be checked', async () => {
		const r = await doctor({ getToken: () => { throw Object.assign(new Error('Sign-in failed: AADSTS7000215 invalid secret'), { nextStep: 'Copy the secret Value.' }); } });
		assert.equal(row(r, 'token').state, 'fail');
		assert.equal(row(r, 'token').fix, 'Copy the secret Value.');
		for (const id of ['consent', 'roles', 'tenant', 'callingService', 'clock'] as const) assert.equal(row(r, id).state, 'cannotCheck', id);
	});

	it('a skewed clock: the Date header of Graph\'s answer shows it', async () => {
		const { client } = clients();
		const probe = graphProbe(client);
		const r = await doctor({ probeGraph: async () => ({ ...(await probe()), sentAt: Date.now() + 600_000, receivedAt: Date.now() + 600_100 }) });
		assert.equal(row(r, 'clock').state, 'fail');
		assert.match(row(r, 'clock').detail, /ahead of the service's/);
	});

	it('the Resource Manager stand-in answers like Resource Manager: no token, a Graph token, no api-version', async () => {
		const url = `${fx.emu.baseUrl}/subscriptions/${EMULATOR_AZURE_BOT.subscriptionId}/resourceGroups/${EMULATOR_AZURE_BOT.resourceGroup}/providers/Microsoft.BotService/botServices/${EMULATOR_AZURE_BOT.botName}/channels/MsTeamsChannel`;
		const get = async (u: string, token?: string) => {
			const res = await request(u, { dispatcher: fx.agent, headers: token ? { authorization: `Bearer ${token}` } : {} });
			return { status: res.statusCode, body: (await res.body.json()) as { error?: { code: string }; properties?: { channelName: string; properties: Record<string, unknown> } } };
		};
		assert.deepEqual((await get(`${url}?api-version=2022-09-15`)).body.error?.code, 'AuthenticationFailed');
		const graphToken = await clientCredentialsToken({ authority: fx.emu.authority, clientId: fx.emu.clientId, clientSecret: fx.emu.clientSecret, scope: 'https://graph.microsoft.com/.default', caCertPem: fx.emu.caCertPem });
		const wrongAudience = await get(`${url}?api-version=2022-09-15`, graphToken);
		assert.equal(wrongAudience.status, 401);
		assert.equal(wrongAudience.body.error?.code, 'InvalidAuthenticationTokenAudience');
		const armToken = await clientCredentialsToken({ authority: fx.emu.authority, clientId: fx.emu.clientId, clientSecret: fx.emu.clientSecret, scope: ARM_SCOPE, caCertPem: fx.emu.caCertPem });
		assert.equal((await get(url, armToken)).body.error?.code, 'MissingApiVersionParameter');
		const ok = await get(`${url}?api-version=2022-09-15`, armToken);
		assert.equal(ok.status, 200);
		assert.equal(ok.body.properties?.channelName, 'MsTeamsChannel');
		assert.equal(ok.body.properties?.properties.enableCalling, true);
		assert.equal(ok.body.properties?.properties.isEnabled, true);
		// An ARM token is no Graph token.
		const graph = await request(`${fx.emu.graphBaseUrl}/communications/calls/x`, { dispatcher: fx.agent, headers: { authorization: `Bearer ${armToken}` } });
		assert.equal(graph.statusCode, 401);
		await graph.body.dump();
	});
});
