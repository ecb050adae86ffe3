// "Use Local Emulator" below VS Code: the bundled CLI as a child process, its ready line, and the Emulator
// profile's token through the real msal-node. Also the ways starting can fail, with fake CLIs.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { EmulatorProcess, EmulatorStartError, parseReadyLine } from '../../src/vscode/emulator/emulatorProcess';
import { MsalTokenProvider } from '../../src/core/auth/msalTokenProvider';
import { decodeTokenClaims } from '../../src/core/auth/tokenClaims';

const root = path.resolve(__dirname, '../../..');
const cli = path.join(root, 'dist', 'emulator.js');

function alive(pid: number | undefined): boolean {
	if (!pid) return false;
	try {
		process.kill(pid, 0);
		return true;
	} catch {
		return false;
	}
}

describe('auth: emulator child process', function () {
	this.timeout(30_000);
	let tmp: string;
	const procs: EmulatorProcess[] = [];

	function fakeCli(name: string, source: string): string {
		const file = path.join(tmp, name);
		fs.writeFileSync(file, source);
		return file;
	}

	function proc(scriptPath: string, extra: Partial<ConstructorParameters<typeof EmulatorProcess>[0]> = {}): EmulatorProcess {
		const p = new EmulatorProcess({ scriptPath, stateDir: path.join(tmp, 'state'), ...extra });
		procs.push(p);
		return p;
	}

	before(() => {
		tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'graph-calls-emuproc-'));
		if (!fs.existsSync(cli)) {
			const r = spawnSync(process.execPath, ['esbuild.js'], { cwd: root, encoding: 'utf8' });
			assert.equal(r.status, 0, `building dist/emulator.js failed: ${r.stderr}`);
		}
	});
	afterEach(async () => {
		for (const p of procs.splice(0)) {
			await p.stop();
			p.dispose();
		}
	});
	after(() => {
		fs.rmSync(tmp, { recursive: true, force: true });
	});

	it('starts dist/emulator.js, reads its ready line and CA, and the Emulator profile signs in', async () => {
		const lines: string[] = [];
		const p = proc(cli, { onOutput: (l) => lines.push(l) });
		const ready = await p.start();
		assert.ok(p.running);
		assert.match(ready.graphBaseUrl, /^https:\/\/127\.0\.0\.1:\d+\/v1\.0$/);
		assert.match(ready.caCertPem, /BEGIN CERTIFICATE/);
		assert.ok(fs.existsSync(path.join(tmp, 'state')), 'the state dir was created');
		const provider = new MsalTokenProvider({
			profile: {
				id: 'emulator', name: 'Emulator', cloud: 'global', tenantId: ready.tenantId, clientId: ready.clientId, credentialKind: 'secret', apiVersion: 'v1.0',
				emulator: { authority: ready.authority, graphHost: new URL(ready.graphBaseUrl).origin, caCertPem: ready.caCertPem, controlUrl: ready.controlUrl },
			},
			getCredential: async () => ({ kind: 'secret', clientSecret: ready.clientSecret }),
		});
		try {
			const token = await provider.getToken();
			assert.equal(decodeTokenClaims(token.token).appid, ready.clientId);
		} finally {
			provider.dispose();
		}
		assert.ok(lines.some((l) => /listening on https:\/\/127\.0\.0\.1/.test(l)), `stderr reaches the output: ${lines.join(' | ')}`);
		assert.ok(!lines.some((l) => l.includes(ready.clientSecret)), 'the emulator log never shows the secret');

		const exits: boolean[] = [];
		p.onDidExit((e) => exits.push(e.expected));
		const pid = p.pid;
		await p.stop();
		assert.equal(p.running, false);
		assert.equal(alive(pid), false, 'the child process is gone');
		assert.deepEqual(exits, [true]);
	});

	it('a missing program: says how to build it', async () => {
		await assert.rejects(proc(path.join(tmp, 'nope.js')).start(), (e: EmulatorStartError) => e instanceof EmulatorStartError && /is missing/.test(e.message) && /npm run build/.test(e.explanation));
	});

	it('exits before ready: the error quotes its last stderr lines', async () => {
		const script = fakeCli('crash.js', 'console.error("cannot open state dir: EACCES"); process.exit(3);');
		await assert.rejects(proc(script).start(), (e: EmulatorStartError) => /exited \(code 3\) before it was ready: cannot open state dir: EACCES/.test(e.message) && /Show Emulator Log/.test(e.explanation));
	});

	it('a ready line that breaks the contract is refused and the process stopped', async () => {
		const script = fakeCli('bad.js', 'console.log(JSON.stringify({event:"ready",graphBaseUrl:"http://127.0.0.1:1/v1.0"})); setInterval(() => {}, 1000);');
		const p = proc(script);
		await assert.rejects(p.start(), /ready line lacks betaBaseUrl, authority/);
		assert.equal(p.running, false);
	});

	it('never ready: times out and kills the process', async () => {
		const script = fakeCli('silent.js', 'setInterval(() => {}, 1000);');
		const p = proc(script, { readyTimeoutMs: 300 });
		await assert.rejects(p.start(), /did not report ready within 0 s|did not report ready/);
		assert.equal(p.running, false);
	});

	it('a crash after ready is reported as unexpected', async () => {
		const ca = path.join(tmp, 'ca.pem');
		fs.writeFileSync(ca, '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n');
		const line = { event: 'ready', graphBaseUrl: 'https://127.0.0.1:1/v1.0', betaBaseUrl: 'https://127.0.0.1:1/beta', authority: 'https://127.0.0.1:1/t', tenantId: 't', clientId: 'c', clientSecret: 's', caCertFile: ca, controlUrl: 'https://127.0.0.1:1/_emulator' };
		const script = fakeCli('dies.js', `console.log(${JSON.stringify(JSON.stringify(line))}); setTimeout(() => process.exit(9), 100);`);
		const p = proc(script);
		const exited = new Promise<{ code: number | null; expected: boolean }>((resolve) => p.onDidExit(resolve));
		await p.start();
		const e = await exited;
		assert.equal(e.code, 9);
		assert.equal(e.expected, false);
	});

	it('parseReadyLine checks JSON, event, fields and https', () => {
		assert.throws(() => parseReadyLine('hello'), /not JSON/);
		assert.throws(() => parseReadyLine('{"event":"starting"}'), /event "starting"/);
		const ok = { event: 'ready', graphBaseUrl: 'https://h/v1.0', betaBaseUrl: 'https://h/beta', authority: 'https://h/t', tenantId: 't', clientId: 'c', clientSecret: 'sek', caCertFile: '/ca', controlUrl: 'https://h/_emulator' };
		assert.equal(parseReadyLine(JSON.stringify(ok)).tenantId, 't');
		assert.throws(() => parseReadyLine(JSON.stringify({ ...ok, authority: 'http://h/t' })), /authority is not https/);
		assert.throws(() => parseReadyLine(JSON.stringify({ ...ok, clientSecret: '' })), (e: Error) => /lacks clientSecret/.test(e.message) && !e.message.includes('sek'));
	});
});
