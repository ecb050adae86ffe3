import * as assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Agent, request } from 'undici';
import { testStateDir } from '../support/emulatorFixture';

const root = path.resolve(__dirname, '../../../..');

/** Bundles the CLI the way esbuild.js does (JSON scenarios included), into a temporary file. */
async function bundleCli(outfile: string): Promise<void> {
	const esbuild = await import('esbuild');
	await esbuild.build({ entryPoints: [path.join(root, 'src/cli/emulator.ts')], outfile, bundle: true, format: 'cjs', platform: 'node', target: 'node20', logLevel: 'silent' });
}

interface Running {
	child: ChildProcess;
	ready: Record<string, string>;
	stdoutLines: string[];
	stderr: string[];
}

function run(cli: string, args: string[]): Promise<Running> {
	const child = spawn(process.execPath, [cli, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
	const stdoutLines: string[] = [];
	const stderr: string[] = [];
	child.stderr!.on('data', (d) => stderr.push(String(d)));
	return new Promise((resolve, reject) => {
		let buf = '';
		child.stdout!.on('data', (d) => {
			buf += String(d);
			let i;
			while ((i = buf.indexOf('\n')) >= 0) {
				const line = buf.slice(0, i);
				buf = buf.slice(i + 1);
				stdoutLines.push(line);
				if (stdoutLines.length === 1) resolve({ child, ready: JSON.parse(line), stdoutLines, stderr });
			}
		});
		child.on('exit', (code) => reject(new Error(`CLI exited ${code} before ready: ${stderr.join('')}`)));
	});
}

function exit(child: ChildProcess): Promise<number | null> {
	return new Promise((resolve) => child.on('exit', (code) => resolve(code)));
}

describe('emulator: CLI', function () {
	this.timeout(30000);
	let dir: string;
	let cli: string;
	const agents: Agent[] = [];

	before(async () => {
		dir = mkdtempSync(path.join(os.tmpdir(), 'emu-cli-'));
		cli = path.join(dir, 'emulator.js');
		await bundleCli(cli);
	});
	after(async () => {
		for (const a of agents) await a.close();
		rmSync(dir, { recursive: true, force: true });
	});

	it('prints exactly one JSON ready line on stdout, serves HTTPS with its CA, and stops cleanly on SIGTERM', async () => {
		const r = await run(cli, ['--port', '0', '--state-dir', testStateDir(), '--quiet']);
		const ready = r.ready;
		assert.equal(ready.event, 'ready');
		for (const k of ['graphBaseUrl', 'betaBaseUrl', 'authority', 'tenantId', 'clientId', 'clientSecret', 'caCertFile', 'controlUrl']) assert.ok(ready[k], k);
		assert.match(ready.graphBaseUrl, /^https:\/\/127\.0\.0\.1:\d+\/v1\.0$/);
		assert.equal(ready.authority, `${ready.graphBaseUrl.replace('/v1.0', '')}/${ready.tenantId}`);
		assert.ok(path.isAbsolute(ready.caCertFile));
		const { readFileSync } = await import('node:fs');
		const agent = new Agent({ connect: { ca: readFileSync(ready.caCertFile, 'utf8') } });
		agents.push(agent);
		const dir = await request(`${ready.controlUrl}/directory`, { dispatcher: agent });
		assert.equal(dir.statusCode, 200);
		assert.ok(((await dir.body.json()) as { users: unknown[] }).users.length > 0);
		const exited = exit(r.child);
		r.child.kill('SIGTERM');
		assert.equal(await exited, 0);
		assert.equal(r.stdoutLines.length, 1, 'nothing else on stdout');
		assert.equal(r.stderr.join(''), '', '--quiet keeps stderr empty');
	});

	it('logs on stderr, loads a built-in scenario and faults, and stops on SIGINT', async () => {
		const r = await run(cli, ['--port', '0', '--state-dir', testStateDir(), '--scenario', 'flaky-tenant', '--faults', '503@call.get']);
		assert.equal(r.ready.scenario, 'flaky-tenant');
		const { readFileSync } = await import('node:fs');
		const agent = new Agent({ connect: { ca: readFileSync(r.ready.caCertFile, 'utf8') } });
		agents.push(agent);
		const faults = (await (await request(`${r.ready.controlUrl}/faults`, { dispatcher: agent })).body.json()) as { faults: { rules: { status: number; route?: string }[] } };
		assert.deepEqual(faults.faults.rules.map((x) => [x.status, x.route]), [[503, 'call.get']], '--faults wins over the scenario\'s faults');
		const exited = exit(r.child);
		r.child.kill('SIGINT');
		assert.equal(await exited, 0);
		assert.match(r.stderr.join(''), /listening on https:\/\/127\.0\.0\.1/);
		assert.match(r.stderr.join(''), /SIGINT/);
		assert.doesNotMatch(r.stderr.join(''), new RegExp(r.ready.clientSecret.replace(/[~.]/g, '\\$&')), 'no secret in the log');
	});

	it('refuses --host 0.0.0.0 without --allow-remote: exit 2, a message, nothing listening', async () => {
		const exposed = spawn(process.execPath, [cli, '--host', '0.0.0.0', '--port', '0', '--state-dir', testStateDir()], { stdio: ['ignore', 'pipe', 'pipe'] });
		let out = '';
		let err = '';
		exposed.stdout!.on('data', (d) => (out += d));
		exposed.stderr!.on('data', (d) => (err += d));
		assert.equal(await exit(exposed), 2);
		assert.match(err, /--host 0\.0\.0\.0 would let other machines reach the emulator/);
		assert.match(err, /--allow-remote/);
		assert.equal(out, '', 'no ready line: it never listened');
	});

	it('with --allow-remote it listens on 0.0.0.0, says so loudly even with --quiet, and logs the real bound address', async () => {
		const r = await run(cli, ['--host', '0.0.0.0', '--allow-remote', '--port', '0', '--state-dir', testStateDir(), '--quiet']);
		const port = new URL(r.ready.baseUrl).port;
		assert.equal(r.ready.listenUrl, `https://0.0.0.0:${port}`);
		await new Promise((res) => setTimeout(res, 100));
		assert.match(r.stderr.join(''), new RegExp(`WARNING: listening on https://0\\.0\\.0\\.0:${port}, reachable from other machines`));
		const { readFileSync } = await import('node:fs');
		const agent = new Agent({ connect: { ca: readFileSync(r.ready.caCertFile, 'utf8') } });
		agents.push(agent);
		assert.equal((await request(`${r.ready.controlUrl}/clock`, { dispatcher: agent })).statusCode, 200);
		const exited = exit(r.child);
		r.child.kill('SIGTERM');
		assert.equal(await exited, 0);
	});

	it('explains bad flags and a missing scenario file, with a non-zero exit', async () => {
		const bad = spawn(process.execPath, [cli, '--bogus'], { stdio: ['ignore', 'pipe', 'pipe'] });
		let err = '';
		bad.stderr!.on('data', (d) => (err += d));
		assert.equal(await exit(bad), 2);
		assert.match(err, /Unknown option --bogus/);
		const missing = spawn(process.execPath, [cli, '--scenario', path.join(dir, 'nope.json'), '--state-dir', testStateDir()], { stdio: ['ignore', 'pipe', 'pipe'] });
		let err2 = '';
		missing.stderr!.on('data', (d) => (err2 += d));
		assert.equal(await exit(missing), 1);
		assert.match(err2, /Cannot read scenario/);
		const help = spawn(process.execPath, [cli, '--help'], { stdio: ['ignore', 'pipe', 'pipe'] });
		let out = '';
		help.stdout!.on('data', (d) => (out += d));
		assert.equal(await exit(help), 0);
		assert.match(out, /--state-dir/);
	});
});
