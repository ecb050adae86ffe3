import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { EMULATOR_TENANT } from '../../../src/core/emulator';
import { requirePython3 } from '../support/botProcess';
import { testStateDir } from '../support/emulatorFixture';
import { botCommand, ivrScenario, scenarioDir } from '../support/scenarioFiles';

const root = path.resolve(__dirname, '../../../..');

interface Ran { code: number | null; stdout: string; stderr: string }

function graphCalls(cli: string, args: string[], cwd: string): Promise<Ran> {
	const child = spawn(process.execPath, [cli, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, GRAPH_CALLS_EMULATOR_STATE_DIR: testStateDir() } });
	let stdout = '';
	let stderr = '';
	child.stdout.on('data', (d) => (stdout += String(d)));
	child.stderr.on('data', (d) => (stderr += String(d)));
	return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

describe('scenarios: graph-calls test (the command line)', function () {
	this.timeout(60_000);
	let cli: string;

	before(async () => {
		// Bundled the way esbuild.js bundles dist/graph-calls.js (the schema JSON included), into a temporary file.
		cli = path.join(mkdtempSync(path.join(os.tmpdir(), 'graph-calls-cli-')), 'graph-calls.js');
		const esbuild = await import('esbuild');
		await esbuild.build({ entryPoints: [path.join(root, 'src/cli/graphCalls.ts')], outfile: cli, bundle: true, format: 'cjs', platform: 'node', target: 'node20', logLevel: 'silent' });
	});

	it('exits 0 when every scenario passes, and writes JUnit and a redacted HAR per scenario', async () => {
		const dir = scenarioDir({ 'ivr.yaml': ivrScenario(botCommand()), 'again.yaml': ivrScenario(botCommand()), 'notes.yaml': 'just: yaml\n' });
		const r = await graphCalls(cli, ['test', '.', '--junit', 'reports/junit.xml', '--timeline', 'har'], dir);
		assert.equal(r.code, 0, r.stdout + r.stderr);
		assert.match(r.stdout, /✔ IVR transfers to Lidia on 1 \(again\.yaml, [\d.]+ s\)/);
		assert.match(r.stdout, /2 passed, 0 failed/);
		const junit = readFileSync(path.join(dir, 'reports/junit.xml'), 'utf8');
		assert.match(junit, /<testsuites name="graph-calls test" tests="2" failures="0" errors="0"/);
		assert.match(junit, /<testcase name="IVR transfers to Lidia on 1" classname="ivr\.yaml" file="ivr\.yaml"/);
		assert.deepEqual(readdirSync(path.join(dir, 'har')).sort(), ['again.har', 'ivr.har']);
		const text = readFileSync(path.join(dir, 'har', 'ivr.har'), 'utf8');
		const har = JSON.parse(text) as { log: { version: string; entries: { _direction: string; request: { method: string; url: string; postData?: { text: string } }; response: { status: number } }[] } };
		assert.equal(har.log.version, '1.2');
		const incoming = har.log.entries.find((e) => e._direction === 'in');
		assert.ok(incoming, 'notifications are entries for the POST Graph made to the callback');
		assert.match(incoming.request.url, /^http:\/\/127\.0\.0\.1:\d+\/api\/calling$/);
		assert.match(incoming.request.postData?.text ?? '', /commsNotifications/);
		assert.equal(incoming.response.status, 202);
		assert.ok(har.log.entries.some((e) => e._direction === 'out' && e.request.url.endsWith('/transfer')));
		assert.ok(!text.includes(EMULATOR_TENANT.clientSecret), 'no client secret in the HAR');
		assert.ok(!/eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\./.test(text), 'no token in the HAR');
		assert.match(JSON.stringify((har.log as { _actions?: unknown })._actions), /"actor":"Adele Vance","action":"caller presses 1"/);
		// The record is the project's traffic record: graph-calls lint reads it (0: no error-severity finding).
		const lint = await graphCalls(cli, ['lint', path.join('har', 'ivr.har'), '--format', 'json'], dir);
		assert.equal(lint.code, 0, lint.stdout + lint.stderr);
		assert.ok(Array.isArray((JSON.parse(lint.stdout) as { findings: unknown[] }).findings));
	});

	it('exits 1 when a scenario fails, naming file:line of the failed step in the output and the JUnit failure', async () => {
		const failing = `clock: 10\ncall:\n  from: adele\nsteps:\n  - expect: answer\n    within: 15s\n`;
		const dir = scenarioDir({ 'ok.yaml': ivrScenario(botCommand()), 'broken.yaml': `bot:\n  command: ${JSON.stringify(botCommand({ BOT_MODE: 'error-500' }))}\n${failing}` });
		const r = await graphCalls(cli, ['test', '--junit', 'junit.xml', '--bot-output'], dir);
		assert.equal(r.code, 1, r.stdout + r.stderr);
		// --bot-output: each bot's lines on stderr, named by its scenario file, never on stdout (the report).
		assert.match(r.stderr, /^\[bot broken\.yaml\] bot: listening on \d+$/m);
		assert.match(r.stderr, /^\[bot ok\.yaml\] bot: POST \S+\/transfer -> 202$/m);
		assert.doesNotMatch(r.stdout, /\[bot /);
		assert.match(r.stdout, /✘ broken \(broken\.yaml, [\d.]+ s\)\n {4}broken\.yaml:7: bot answers within 15s: nothing within 15s/);
		assert.match(r.stdout, /1 passed, 1 failed/);
		const junit = readFileSync(path.join(dir, 'junit.xml'), 'utf8');
		assert.match(junit, /failures="1" errors="0"/);
		assert.match(junit, /<failure message="broken\.yaml:7: bot answers within 15s: [^"]*the bot answered 500"/);
	});

	it('exits 2 on bad input: a scenario error (file:line), an unknown option, nothing to run', async () => {
		const dir = scenarioDir({ 'bad.yaml': `bot:\n  command: ${JSON.stringify(botCommand())}\ncall:\n  from: adele\nsteps:\n  - expect: answer\n    within: soon\n` });
		const bad = await graphCalls(cli, ['test', 'bad.yaml'], dir);
		assert.equal(bad.code, 2);
		assert.match(bad.stderr, /^bad\.yaml:7: "within" must be a duration such as 500ms, 15s, 45m or 2h$/m);
		const option = await graphCalls(cli, ['test', '--bot-comand', 'x'], dir);
		assert.equal(option.code, 2);
		assert.match(option.stderr, /Unknown option --bot-comand/);
		const empty = await graphCalls(cli, ['test', mkdtempSync(path.join(os.tmpdir(), 'no-scenarios-'))], dir);
		assert.equal(empty.code, 2);
		assert.match(empty.stderr, /No scenario files in/);
		const both = await graphCalls(cli, ['test', '--bot-command', 'a', '--bot-url', 'http://127.0.0.1:1/api/calling'], dir);
		assert.equal(both.code, 2);
	});

	it('takes the bot from --bot-command over the file, and prints JSON with --format json', async () => {
		const dir = scenarioDir({ 'ivr.yaml': ivrScenario('exit 9') });
		const r = await graphCalls(cli, ['test', 'ivr.yaml', '--format', 'json', '--bot-command', botCommand()], dir);
		assert.equal(r.code, 0, r.stderr);
		const json = JSON.parse(r.stdout) as { summary: { passed: number; failed: number }; results: { status: string; steps: { status: string; evidence?: { direction: string } }[] }[] };
		assert.deepEqual(json.summary.passed, 1);
		assert.equal(json.results[0].steps[0].evidence?.direction, 'out');
		assert.ok(!existsSync(path.join(dir, 'har')));
	});

	it('runs every sample bot in examples/ against its own scenarios: graph-calls test examples', async function () {
		this.timeout(180_000);
		requirePython3();
		const r = await graphCalls(cli, ['test', 'examples', '--junit', path.join(mkdtempSync(path.join(os.tmpdir(), 'examples-junit-')), 'junit.xml')], root);
		assert.equal(r.code, 0, r.stdout + r.stderr);
		assert.match(r.stdout, /✔ 1 transfers the caller to reception's phone number \(examples\/node-bot\/scenarios\/transfer\.yaml/);
		assert.match(r.stdout, /✔ 1 transfers the caller to reception's phone number \(examples\/python-bot\/scenarios\/transfer\.yaml/);
		assert.match(r.stdout, /8 passed, 0 failed/);
	});

	it('keeps graph-calls emulator as the emulator command', async () => {
		const r = await graphCalls(cli, ['emulator', '--help'], root);
		assert.equal(r.code, 0);
		assert.match(r.stdout, /Usage: graph-calls emulator \[options\]/);
		const unknown = await graphCalls(cli, ['dance'], root);
		assert.equal(unknown.code, 2);
	});
});
