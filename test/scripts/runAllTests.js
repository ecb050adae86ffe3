// `npm test`: builds, checks, then runs every test tier and ends with one summary line per tier and a total,
// e.g. `unit: 212 passed, 0 failed`. A tier that did not produce results counts as a failure, never a silent pass.
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '../..');
const resultsDir = path.join(root, 'test-results');
const only = process.argv.slice(2).filter((a) => !a.startsWith('-'));

require('./ensureDependencies').ensureDependencies('\n=== dependencies: ');

/** Build and static checks: any failure stops the run before the tiers. */
const steps = [
	// Chromium, Node 24 and code-server for the extension and e2e tiers: minutes the first time, seconds after.
	['tools', process.execPath, ['test/scripts/setupTools.js']],
	['build', 'node', ['esbuild.js']],
	['compile tests', process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.json']],
	['command declarations', 'node', ['test/scripts/checkCommands.js']],
	// eslint 9's "exports" hides bin/: resolve it next to its package.json.
	['lint', process.execPath, [path.join(path.dirname(require.resolve('eslint/package.json')), 'bin', 'eslint.js'), '-c', 'test/eslint.config.mjs', 'src', 'test']],
];

const mocha = require.resolve('mocha/bin/mocha.js');
/** Each tier writes test-results/<name>.json with {passed, failed, skipped}. */
const tiers = [
	{ name: 'unit', cmd: process.execPath, args: [mocha, '--config', 'test/unit/.mocharc.json'] },
	{ name: 'integration', cmd: process.execPath, args: [mocha, '--config', 'test/integration/.mocharc.json'] },
	// Mocha inside a real VS Code extension host (code-server + Chromium); the runner writes the results file.
	{ name: 'extension', cmd: process.execPath, args: ['test/extension/launchCodeServer.js'] },
	// Playwright driving the real workbench; screenshots in test-results/screenshots.
	{ name: 'e2e', cmd: process.execPath, args: [mocha, '--config', 'test/e2e/.mocharc.json'] },
];

function run(label, cmd, args, env = {}) {
	console.log(`\n=== ${label}: ${[path.basename(cmd), ...args.map((a) => path.relative(root, a) || a)].join(' ')}`);
	const started = Date.now();
	const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
	console.log(`=== ${label}: exit ${r.status ?? r.signal} after ${((Date.now() - started) / 1000).toFixed(1)} s`);
	return r.status === 0;
}

for (const [label, cmd, args] of steps) {
	if (!run(label, cmd, args)) {
		console.error(`\n${label} failed: fix it before the tests can run.`);
		process.exit(1);
	}
}

fs.mkdirSync(resultsDir, { recursive: true });
const summary = [];
for (const tier of tiers) {
	if (only.length && !only.includes(tier.name)) continue;
	const file = path.join(resultsDir, `${tier.name}.json`);
	fs.rmSync(file, { force: true });
	const ok = run(tier.name, tier.cmd, tier.args, { GRAPH_CALLS_RESULTS_FILE: file });
	let counts;
	try {
		counts = JSON.parse(fs.readFileSync(file, 'utf8'));
	} catch {
		counts = { passed: 0, failed: 1, skipped: 0, missing: true };
	}
	if (!ok && counts.failed === 0) counts.failed = 1; // exited non-zero without a failing test: still a failure
	if (counts.passed === 0 && counts.failed === 0) counts.failed = 1; // ran nothing: a failure, not a pass
	summary.push({ name: tier.name, ...counts });
}

console.log('');
for (const s of summary) {
	if (s.missing) console.log(`(${s.name} produced no results: counted as 1 failure)`);
}
let passed = 0, failed = 0, skipped = 0;
for (const s of summary) {
	passed += s.passed; failed += s.failed; skipped += s.skipped || 0;
	console.log(`${s.name}: ${s.passed} passed, ${s.failed} failed${s.skipped ? `, ${s.skipped} skipped` : ''}`);
}
console.log(`total: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 ? 1 : 0);
