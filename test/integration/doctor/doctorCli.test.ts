import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { request } from 'undici';
import { ARM_SCOPE } from '../../../src/core/doctor/botChannelCheck';
import { clientCredentialsToken } from '../../../src/core/doctor/doctorSources';
import { EMULATOR_AZURE_BOT } from '../../../src/core/emulator/directory';
import { useEmulator } from '../support/emulatorFixture';

const root = path.resolve(__dirname, '../../../..');
const CALLBACK = 'https://bot.contoso.example/api/calling';

interface Ran { code: number | null; stdout: string; stderr: string }

function run(cli: string, args: string[], cwd: string, env: Record<string, string>): Promise<Ran> {
	// Only what the doctor reads: the caller's GRAPH_*/AZURE_* variables must not leak in.
	const child = spawn(process.execPath, [cli, 'doctor', ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'], env: { PATH: process.env.PATH ?? '', ...env } });
	let stdout = '';
	let stderr = '';
	child.stdout.on('data', (d) => (stdout += String(d)));
	child.stderr.on('data', (d) => (stderr += String(d)));
	return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

describe('graph-calls doctor (the command line) against the emulator', function () {
	this.timeout(60_000);
	const fx = useEmulator();
	let cli: string;
	let dir: string;
	let env: Record<string, string>;

	before(async () => {
		const out = mkdtempSync(path.join(os.tmpdir(), 'graph-calls-doctor-'));
		cli = path.join(out, 'graph-calls.js');
		const esbuild = await import('esbuild');
		await esbuild.build({ entryPoints: [path.join(root, 'src/cli/graphCalls.ts')], outfile: cli, bundle: true, format: 'cjs', platform: 'node', target: 'node20', logLevel: 'silent' });
		dir = path.join(out, 'bot');
		mkdirSync(path.join(dir, 'appPackage'), { recursive: true });
		writeFileSync(path.join(dir, 'appPackage', 'manifest.json'), JSON.stringify({
			manifestVersion: '1.19', version: '1.0.0', id: '11111111-2222-4333-8444-555555555555', developer: { name: 'Contoso' },
			name: { short: 'Bot' }, description: { short: 'Calls' }, icons: { color: 'c.png', outline: 'o.png' }, accentColor: '#FFFFFF',
			bots: [{ botId: fx.emu.clientId, scopes: ['personal'], supportsCalling: true }],
		}));
		const emu = fx.emu;
		env = {
			GRAPH_BASE_URL: emu.graphBaseUrl, GRAPH_AUTHORITY: emu.authority, GRAPH_TENANT_ID: emu.tenantId, GRAPH_CLIENT_ID: emu.clientId, GRAPH_CLIENT_SECRET: emu.clientSecret,
			GRAPH_CA_FILE: emu.caCertFile, GRAPH_CALLBACK_URL: CALLBACK,
			AZURE_SUBSCRIPTION_ID: EMULATOR_AZURE_BOT.subscriptionId, AZURE_RESOURCE_GROUP: EMULATOR_AZURE_BOT.resourceGroup, AZURE_BOT_NAME: EMULATOR_AZURE_BOT.botName,
			AZURE_RESOURCE_MANAGER_URL: emu.baseUrl,
			GRAPH_ARM_TOKEN: await clientCredentialsToken({ authority: emu.authority, clientId: emu.clientId, clientSecret: emu.clientSecret, scope: ARM_SCOPE, caCertPem: emu.caCertPem }),
		};
	});

	afterEach(() => fx.emu.reset());

	const control = async (method: 'PATCH', p: string, body: unknown) => {
		const res = await request(`${fx.emu.controlUrl}${p}`, { method, dispatcher: fx.agent, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
		assert.equal(res.statusCode, 200, await res.body.text());
	};

	it('exits 0 on a healthy setup, one line per check, and never prints the secret or a token', async () => {
		await control('PATCH', `/apps/${fx.emu.clientId}`, { callingWebhook: CALLBACK });
		const r = await run(cli, ['--no-probe'], dir, env);
		assert.equal(r.code, 0, r.stdout + r.stderr);
		assert.match(r.stdout, /PASS {2}Token: Got an app-only token/);
		assert.match(r.stdout, /PASS {2}Azure Bot Teams channel: Calling is on and the calling webhook is the callback URL/);
		assert.match(r.stdout, /PASS {2}Teams app manifest: .*appPackage.manifest\.json declares bot/);
		assert.match(r.stdout, /SKIP {2}Callback URL is reachable/);
		assert.match(r.stdout, /9 passed, 0 failed, 1 could not be checked/);
		assert.ok(!r.stdout.includes(fx.emu.clientSecret) && !r.stdout.includes(env.GRAPH_ARM_TOKEN), 'no secret or token in the output');
		// Without --no-probe a request goes through the callback URL: this host name resolves nowhere.
		const probed = await run(cli, [], dir, env);
		assert.equal(probed.code, 1, probed.stdout + probed.stderr);
		assert.match(probed.stdout, /FAIL {2}Callback URL is reachable: The probe stopped at dns: The name bot\.contoso\.example does not resolve/);
	});

	it('exits 1 with JSON naming the failed checks when calling is off and consent is missing', async () => {
		await control('PATCH', `/apps/${fx.emu.clientId}/setup`, { callingEnabled: false, adminConsent: false });
		const r = await run(cli, ['--format', 'json', '--needs', 'peerToPeer'], dir, env);
		assert.equal(r.code, 1, r.stderr);
		const report = JSON.parse(r.stdout) as { results: { id: string; state: string; fix?: string; docs: string }[] };
		const state = Object.fromEntries(report.results.map((x) => [x.id, x.state]));
		assert.equal(state.consent, 'fail');
		assert.equal(state.botChannel, 'fail');
		assert.equal(state.callingService, 'fail');
		for (const x of report.results.filter((y) => y.state === 'fail')) {
			assert.ok(x.fix, `${x.id} has a fix`);
			assert.match(x.docs, /^https:\/\//);
		}
	});

	it('without an ARM token or a manifest, those checks are skipped with the reason, not failed', async () => {
		const { GRAPH_ARM_TOKEN: _omit, ...rest } = env;
		void _omit;
		const r = await run(cli, [], os.tmpdir(), { ...rest, GRAPH_CALLBACK_URL: 'http://127.0.0.1:3978/api/calling' });
		assert.equal(r.code, 1, 'the loopback http callback fails');
		assert.match(r.stdout, /SKIP {2}Azure Bot Teams channel: No Azure Resource Manager token \(GRAPH_ARM_TOKEN\)/);
		assert.match(r.stdout, /SKIP {2}Teams app manifest: No Teams app manifest found/);
		assert.match(r.stdout, /FAIL {2}Callback URL is public HTTPS: .*uses http/);
	});

	it('exits 2 on bad input: a missing variable, an unknown option, an unreadable --manifest', async () => {
		const { GRAPH_CLIENT_SECRET: _s, ...noSecret } = env;
		void _s;
		const missing = await run(cli, [], dir, noSecret);
		assert.equal(missing.code, 2);
		assert.match(missing.stderr, /Set GRAPH_CLIENT_SECRET/);
		const unknown = await run(cli, ['--nope'], dir, env);
		assert.equal(unknown.code, 2);
		assert.match(unknown.stderr, /Unknown option "--nope"/);
		const noFile = await run(cli, ['--manifest', 'missing.json'], dir, env);
		assert.equal(noFile.code, 2);
		assert.match(noFile.stderr, /--manifest .*missing\.json cannot be read: no such file/);
		const needs = await run(cli, ['--needs', 'teleport'], dir, env);
		assert.equal(needs.code, 2);
	});
});
