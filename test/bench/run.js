#!/usr/bin/env node
// `npm run bench [-- --quick]`: builds, measures, prints a Markdown table and writes test/bench/results/latest.json.
// Every speed figure is a ratio against a baseline measured in the same run, or a size: the machine may be shared.
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const esbuild = require('esbuild');

const root = path.resolve(__dirname, '../..');
const quick = process.argv.includes('--quick');
const started = Date.now();

function run(cmd, args, what) {
	const r = spawnSync(cmd, args, { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
	if (r.status !== 0) {
		process.stderr.write(r.stdout + r.stderr);
		throw new Error(`${what} failed (exit ${r.status}); see the output above.`);
	}
	return r.stdout;
}

function lastJson(stdout) {
	return JSON.parse(stdout.trim().split('\n').pop());
}

function median(values) {
	const s = [...values].sort((a, b) => a - b);
	return s[Math.floor((s.length - 1) / 2)];
}

const kb = (file) => Math.round(fs.statSync(path.join(root, file)).size / 1024);

function extensionLoad() {
	console.error('extension load: production bundle, VSIX, activation');
	run(process.execPath, ['esbuild.js', '--production'], 'The production build');
	const distKB = kb('dist/extension.js');
	let vsixKB;
	if (quick && fs.existsSync(path.join(root, 'dist-vsix/graph-calls-workbench.vsix'))) {
		// Quick runs reuse the last package when there is one: vsce takes most of a minute on a busy machine.
		vsixKB = kb('dist-vsix/graph-calls-workbench.vsix');
	} else {
		run(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['run', '--silent', 'package'], 'npm run package');
		vsixKB = kb('dist-vsix/graph-calls-workbench.vsix');
	}
	const runs = Array.from({ length: quick ? 3 : 7 }, () => lastJson(run(process.execPath, [path.join(__dirname, 'activation.js')], 'Activation with a fake vscode module')));
	return {
		distKB,
		vsixKB,
		activateMs: Math.round(median(runs.map((r) => r.activateMs))),
		msalLoadedAtActivate: runs.some((r) => r.msalLoadedAtActivate),
	};
}

async function bundleSections() {
	const outfile = path.join(root, '.cache/bench/main.js');
	await esbuild.build({ entryPoints: [path.join(__dirname, 'main.ts')], outfile, bundle: true, platform: 'node', format: 'cjs', target: 'node20', packages: 'external', sourcemap: 'inline', logLevel: 'error' });
	return outfile;
}

const ROWS = [
	['Request path', 'clientOverRawUndici', 'our GraphClient (logging on) time / raw undici.request on the same Agent (lower is better, 1.00 = the floor); median of the per-slice ratios'],
	['', 'clientOverRawUndiciMiddleHalf', 'the same ratio: 25th to 75th percentile over the slices'],
	['', 'clientCpuOverRawUndici', 'CPU time of the calling process, ours / raw undici (median of the per-slice ratios; the emulator runs in another process)'],
	['', 'clientCpuOverRawUndiciMiddleHalf', 'the same ratio: 25th to 75th percentile over the slices'],
	['', 'graphSdkOverClient', '@microsoft/microsoft-graph-client time / ours (higher is better)'],
	['', 'fetchOverClient', "Node's global fetch time / ours"],
	['', 'clientRps', 'requests per second, our client'],
	['', 'rawUndiciRps', 'requests per second, raw undici'],
	['', 'graphSdkRps', 'requests per second, Graph SDK'],
	['', 'fetchRps', 'requests per second, global fetch'],
	['Extension load', 'distKB', 'minified dist/extension.js'],
	['', 'vsixKB', 'packaged VSIX'],
	['', 'activateMs', 'require the bundle + activate() with a fake vscode module (median)'],
	['', 'msalLoadedAtActivate', 'msal-node evaluated during activation (must be false)'],
	['Emulator', 'emulatorActionsPerSec', 'create, get, playPrompt, delete at concurrency 32, webhooks to the receiver'],
	['', 'webhookP50Ms', 'state change in the emulator to the receiver having the notification, median'],
	['', 'webhookP99Ms', 'same, 99th percentile'],
	['', 'emulatorProcessActionsPerSec', 'the emulator CLI in its own process: create, get, keepAlive, participants, get, delete at concurrency 32 from another process, webhooks on'],
	['', 'emulatorActionsPerCpuSec', 'same, actions per CPU-second of the emulator process'],
	['', 'emulatorProcessWebhookP50Ms', 'under that same load: the emulator queueing a notification (stamped in its process) to a receiver in a third process having the POST, median'],
	['', 'emulatorProcessWebhookP99Ms', 'same, 99th percentile (target at most 20)'],
	['', 'emulatorProcessWebhookP99MeetsTarget', 'emulatorProcessWebhookP99Ms <= 20'],
	['', 'emulatorProcessWebhooksMeasured', 'notifications queued in the measured window, every one matched on arrival'],
	['Receiver', 'receiverNotificationsPerSec', 'signed notifications accepted per second, JWT validation on'],
	['', 'receiverP99Ms', 'POST to 202, 99th percentile'],
	['CallStore and tree', 'rosterMerge1kMs', 'apply a 1,000-participant roster update (tree model listening)'],
	['', 'treeChildren10kMs', 'expand a call with 10,000 participants: group, pages, every row'],
	['', 'storeRssMBBefore', 'process RSS before those 10,000 calls (the baseline for the line below)'],
	['', 'storeRssMBAfter10kCalls', 'process RSS after 10,000 calls created, ended and cleared'],
	['', 'storeHeapGrowthMBAfter3Rounds', 'heap growth over two more rounds of 10,000 (should be ~0)'],
	['Traffic lint', 'lint10kOverJsonParse', 'graph-calls lint on a 10,000-entry HAR (parse, check, every rule) / JSON.parse of the same text (median of interleaved rounds)'],
	['', 'lint10kCpuOverJsonParse', 'the same ratio in CPU time of the process (steadier on a shared machine)'],
	['', 'lint10kMs', 'the same lint, absolute wall-clock ms (median; target at most 1,000)'],
	['', 'lint10kCpuMs', 'the same lint, CPU ms of the process (median)'],
	['', 'jsonParse10kMs', 'JSON.parse of that HAR, ms (the baseline)'],
	['', 'lint10kHarMB', 'size of the generated HAR'],
	['', 'lint10kFindings', 'findings in it (every tenth of the 400 calls breaks three rules on purpose, plus unused-permission)'],
	['Call timeline', 'timeline1kOpenMs', 'open a 1,000-event call: model, lint, first render payload (init message as JSON), ms (median; target at most 300)'],
	['', 'timeline1kOverJsonParse', 'the same / JSON.parse of the call\'s HAR (median of interleaved rounds)'],
	['', 'timeline1kEvents', 'events on that timeline'],
	['', 'timeline1kPayloadKB', 'size of the first render payload'],
	['Scenario runner', 'scenarioRunnerOverheadMs', 'wall time of one IVR scenario minus the time spent waiting on the bot (its start, its requests, emulated time), median'],
	['', 'scenarioWallMs', 'wall time of that scenario (emulator start to everything stopped), median'],
	['', 'scenarioSuiteSize', 'scenarios in the suite below (100; 30 with --quick)'],
	['', 'scenarioSuiteSeconds', 'that suite of the IVR scenario against the test bot, as many at once as CPUs, clock 20'],
	['Token path', 'tokenCachedOverRaw', 'request with the msal-backed provider (cached) / with a ready token string'],
];

function table(results) {
	const lines = ['| Area | Key | Value | What |', '| --- | --- | --- | --- |'];
	for (const [area, key, what] of ROWS) lines.push(`| ${area} | \`${key}\` | ${results[key] ?? 'n/a'} | ${what} |`);
	return lines.join('\n');
}

async function main() {
	const load = os.loadavg().map((n) => n.toFixed(1)).join(' ');
	const results = { ...extensionLoad() };
	const script = await bundleSections();
	console.error('CallStore and tree');
	Object.assign(results, lastJson(run(process.execPath, ['--expose-gc', script, 'store', ...(quick ? ['--quick'] : [])], 'The CallStore/tree section')));
	console.error('traffic lint over a 10,000-entry HAR');
	Object.assign(results, lastJson(run(process.execPath, [script, 'lint', ...(quick ? ['--quick'] : [])], 'The traffic lint section')));
	console.error('call timeline: open a 1,000-event call');
	Object.assign(results, lastJson(run(process.execPath, [script, 'timeline', ...(quick ? ['--quick'] : [])], 'The call timeline section')));
	for (const baseline of ['rawUndici', 'graphSdk', 'fetch']) {
		console.error(`request path: our client and ${baseline}, in a process of their own`);
		Object.assign(results, lastJson(run(process.execPath, [script, 'request', baseline, ...(quick ? ['--quick'] : [])], `The request path against ${baseline}`)));
	}
	console.error('token path, emulator, receiver');
	const net = spawnSync(process.execPath, [script, 'net', ...(quick ? ['--quick'] : [])], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 64 * 1024 * 1024 });
	if (net.status !== 0) throw new Error(`The network section failed (exit ${net.status}); see the output above.`);
	Object.assign(results, lastJson(net.stdout));
	console.error('scenario runner with a real bot process');
	Object.assign(results, lastJson(run(process.execPath, [script, 'scenarios', ...(quick ? ['--quick'] : [])], 'The scenario-runner section')));
	console.error('emulator in its own process');
	Object.assign(results, lastJson(run(process.execPath, [path.join(__dirname, 'emulatorProcess.js'), ...(quick ? ['--quick'] : [])], 'The emulator-process section')));
	const meta = { quick, seconds: Math.round((Date.now() - started) / 1000), node: process.version, cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, loadAverageAtStart: load, loadAverageAtEnd: os.loadavg().map((n) => n.toFixed(1)).join(' '), date: new Date().toISOString() };
	fs.mkdirSync(path.join(__dirname, 'results'), { recursive: true });
	fs.writeFileSync(path.join(__dirname, 'results/latest.json'), JSON.stringify({ ...results, meta }, null, 2) + '\n');
	console.log(table(results));
	console.log(`\n${meta.quick ? 'quick run' : 'full run'} in ${meta.seconds} s; Node ${meta.node}; ${meta.cpus} CPUs; load average ${meta.loadAverageAtStart} at start, ${meta.loadAverageAtEnd} at end. JSON: test/bench/results/latest.json`);
}

main().catch((err) => {
	console.error(err instanceof Error ? err.message : err);
	process.exit(1);
});
