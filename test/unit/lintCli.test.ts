// `graph-calls lint`: exit codes 0/1/2, the text, JSON and SARIF outputs, and the same through a real process.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runLint } from '../../src/cli/lint';
import { LINT_RULES } from '../../src/core/traffic/lint';
import { create, createBody, incoming, notify, record, terminated, wellBehavedCall } from './trafficFixtures';

const root = path.resolve(__dirname, '../../..');

function capture() {
	let out = '';
	let err = '';
	return { io: { stdout: { write: (s: string) => (out += s) }, stderr: { write: (s: string) => (err += s) } }, out: () => out, err: () => err };
}

describe('graph-calls lint', () => {
	let dir: string;
	let clean: string;
	let broken: string;
	let warningsOnly: string;

	before(() => {
		dir = fs.mkdtempSync(path.join(os.tmpdir(), 'graph-calls-lint-'));
		clean = path.join(dir, 'clean.har');
		fs.writeFileSync(clean, JSON.stringify(record(wellBehavedCall(), ['Calls.Initiate.All'])));
		broken = path.join(dir, 'broken.har');
		// An incoming call never answered (error) and a create without tenantId (warning).
		const body = createBody();
		delete body.tenantId;
		fs.writeFileSync(broken, JSON.stringify(record([notify(0, [incoming()]), notify(20_000, [terminated(408, 1106)]), create(30_000, body)])));
		warningsOnly = path.join(dir, 'warnings.har');
		fs.writeFileSync(warningsOnly, JSON.stringify(record([create(0, body)])));
	});

	after(() => fs.rmSync(dir, { recursive: true, force: true }));

	it('exits 0 with "no findings" on a clean record', async () => {
		const c = capture();
		assert.equal(await runLint([clean], c.io), 0);
		assert.match(c.out(), /clean\.har: no findings/);
		assert.equal(c.err(), '');
	});

	it('exits 1 when an error-severity finding exists, 0 when there are only warnings', async () => {
		const c = capture();
		assert.equal(await runLint([broken], c.io), 1);
		assert.match(c.out(), /entry 0: error answer-late: /);
		assert.match(c.out(), /entry 2: warning missing-tenant-id: /);
		assert.match(c.out(), /https:\/\/learn\.microsoft\.com\/graph\/api\/call-answer/);
		assert.equal(await runLint([warningsOnly], capture().io), 0);
	});

	it('--format json gives rule, severity, message, entry and docs per finding', async () => {
		const c = capture();
		assert.equal(await runLint([broken, '--format', 'json'], c.io), 1);
		const doc = JSON.parse(c.out()) as { findings: Record<string, unknown>[] };
		assert.deepEqual(doc.findings.map((f) => [f.rule, f.severity, f.entry]), [['answer-late', 'error', 0], ['missing-tenant-id', 'warning', 2]]);
		for (const f of doc.findings) {
			assert.deepEqual(Object.keys(f).sort(), ['docs', 'entry', 'message', 'rule', 'severity']);
			assert.equal(typeof f.message, 'string');
		}
	});

	it('--format sarif is SARIF 2.1.0: version, $schema, the rules, and results with ruleId, level, message and locations', async () => {
		const c = capture();
		assert.equal(await runLint([broken, '--format=sarif'], c.io), 1);
		const sarif = JSON.parse(c.out());
		assert.equal(sarif.version, '2.1.0');
		assert.match(sarif.$schema, /sarif-2\.1\.0/);
		assert.equal(sarif.runs.length, 1);
		const run = sarif.runs[0];
		assert.equal(typeof run.tool.driver.name, 'string');
		assert.deepEqual(run.tool.driver.rules.map((r: { id: string }) => r.id), LINT_RULES.map((r) => r.id));
		for (const r of run.tool.driver.rules) {
			assert.equal(typeof r.shortDescription.text, 'string');
			assert.match(r.helpUri, /^https:\/\//);
			assert.ok(['error', 'warning', 'note'].includes(r.defaultConfiguration.level));
		}
		assert.deepEqual(run.results.map((r: { ruleId: string; level: string }) => [r.ruleId, r.level]), [['answer-late', 'error'], ['missing-tenant-id', 'warning']]);
		for (const r of run.results) {
			assert.equal(run.tool.driver.rules[r.ruleIndex].id, r.ruleId);
			assert.equal(typeof r.message.text, 'string');
			assert.equal(r.locations[0].physicalLocation.artifactLocation.uri, broken);
			assert.match(r.locations[0].logicalLocations[0].fullyQualifiedName, /^log\.entries\[\d+\]$/);
		}
	});

	it('exits 2 with the reason for a missing file, a directory, a file that is not HAR, and bad arguments', async () => {
		const cases: [string[], RegExp][] = [
			[[path.join(dir, 'nope.har')], /cannot read .*nope\.har: no such file/],
			[[dir], /cannot read .*: it is a directory/],
			[[], /No HAR file given/],
			[[clean, '--format', 'xml'], /--format must be text, json or sarif, not "xml"/],
			[[clean, '--format'], /--format must be text, json or sarif\./],
			[[clean, '--fix'], /Unknown option "--fix"/],
			[[clean, broken], /One HAR file at a time/],
		];
		const notHar = path.join(dir, 'not.har');
		fs.writeFileSync(notHar, '<html>not a har</html>');
		cases.push([[notHar], /not\.har: Not a valid HAR file: it is not JSON/]);
		for (const [argv, reason] of cases) {
			const c = capture();
			assert.equal(await runLint(argv, c.io), 2, argv.join(' '));
			assert.match(c.err(), reason);
			assert.equal(c.out(), '');
		}
	});

	it('--roles overrides the record and feeds unused-permission', async () => {
		const c = capture();
		assert.equal(await runLint([clean, '--roles', 'Calls.Initiate.All,Calls.JoinGroupCall.All', '--format', 'json'], c.io), 0);
		assert.deepEqual(JSON.parse(c.out()).findings.map((f: { rule: string }) => f.rule), ['unused-permission']);
	});

	it('runs as a process: exit codes and output through a node entry', function () {
		this.timeout(20_000);
		const entry = path.join(dir, 'lint-entry.js');
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		require('esbuild').buildSync({
			stdin: { contents: `require(${JSON.stringify(path.join(root, 'src/cli/lint.ts'))}).runLint(process.argv.slice(2), process).then((c) => { process.exitCode = c; });`, resolveDir: root, loader: 'js' },
			outfile: entry, bundle: true, platform: 'node', format: 'cjs', logLevel: 'error',
		});
		const run = (...args: string[]) => spawnSync(process.execPath, [entry, ...args], { encoding: 'utf8' });
		const ok = run(clean);
		assert.equal(ok.status, 0, ok.stderr);
		const bad = run(broken, '--format', 'json');
		assert.equal(bad.status, 1, bad.stderr);
		assert.equal(JSON.parse(bad.stdout).findings[0].rule, 'answer-late');
		const missing = run(path.join(dir, 'missing.har'));
		assert.equal(missing.status, 2);
		assert.match(missing.stderr, /no such file/);
	});
});
