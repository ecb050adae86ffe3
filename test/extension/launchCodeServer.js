#!/usr/bin/env node
// Runs the extension-host tests (test/extension/*.test.ts, compiled to out/) inside a real VS Code: code-server
// 4.139.1 from .cache/tools, driven by Debian's Chromium through playwright-core. The workbench loads the
// repository as the extension under development and out/test/extension/index.js as the test runner through the
// smoke-test driver's `payload` URL parameter, and reports the exit code through window.codeAutomationExit.
// The runner inside the host writes test-results/extension.json; this launcher prints its transcript.
// Two runs, both with workspace trust on: the main suite in a folder trusted through VS Code's trust prompt, then
// test/extension/restricted/ in a second workbench whose folder is not trusted (Restricted Mode). extension.json
// holds both runs' counts.
//
// Also the library for `npm start` (test/scripts/start.js) and the UI tests (test/e2e): starting code-server in
// its own process group, installing the built extension, launching Chromium, signing in and trusting a folder.
//
// Every code-server here is served as a user's would be, because loopback is no boundary against the browser: any
// web page can reach 127.0.0.1 (DNS rebinding makes its own host name resolve there), and the VS Code websocket is
// code execution on the machine. So: password authentication with a fresh random password per start, passed in
// the environment (never on the command line, which every local user can read), a free port unless one is asked
// for, and workspace trust left on: the trusted run trusts its folder by answering VS Code's trust prompt.
'use strict';
const { spawn } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');

const root = path.resolve(__dirname, '../..');
const { toolPaths } = require('../scripts/setupTools.js');

/** Flags that keep Chromium quiet and offline; see /work/shared/vscode-offline.md. */
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
	'--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];

/** User settings for every workbench we start: no welcome page, no telemetry or update checks. Trust stays on. */
const DEFAULT_SETTINGS = {
	// In a browser VS Code defaults to "never": the folder silently opens in Restricted Mode. Ask instead, as desktop
	// VS Code does, so the person (or the test acting as one) decides whether to trust it.
	'security.workspace.trust.startupPrompt': 'once',
	'workbench.startupEditor': 'none',
	'workbench.tips.enabled': false,
	'workbench.enableExperiments': false,
	'telemetry.telemetryLevel': 'off',
	'extensions.autoCheckUpdates': false,
	'extensions.autoUpdate': false,
	'extensions.ignoreRecommendations': true,
	'update.mode': 'none',
	'git.enabled': false,
	'window.restoreWindows': 'none',
	// The chat panel takes a third of the window and reaches for the network: keep it closed.
	'chat.disableAIFeatures': true,
	'workbench.secondarySideBar.defaultVisibility': 'hidden',
};

function freePort() {
	return new Promise((resolve, reject) => {
		const server = net.createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address();
			server.close(() => resolve(port));
		});
	});
}

function sleep(ms) {
	return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A fresh folder: removed first so every run starts from the same state. */
function freshDir(dir) {
	fs.rmSync(dir, { recursive: true, force: true });
	fs.mkdirSync(dir, { recursive: true });
	return dir;
}

/** Kills a whole process group (negative pid); ignores a group that is already gone. */
function killGroup(pid, signal) {
	try {
		process.kill(-pid, signal);
		return true;
	} catch {
		return false;
	}
}

function groupAlive(pid) {
	try {
		process.kill(-pid, 0);
		return true;
	} catch {
		return false;
	}
}

/**
 * A password for one code-server start: 192 random bits, URL- and shell-safe. A web page cannot guess it, and
 * code-server allows only a dozen wrong logins an hour.
 */
function newPassword() {
	return crypto.randomBytes(24).toString('base64url');
}

/**
 * Starts code-server in a process group of its own on 127.0.0.1 and waits for /healthz.
 * stateDir holds HOME, the user data and (unless given) the extensions dir; logFile receives its output.
 * Authentication is always on: `password` (default: a new random one) is what the login page accepts.
 * Returns { port, baseUrl, pid, password, userDataDir, extensionsDir, stop() }.
 */
async function startCodeServer({ stateDir, workspace, extensionsDir, settings = {}, smokeTestDriver = false, env = {}, logFile, port, password = newPassword(), startupTimeoutMs = 60000 }) {
	const tools = toolPaths();
	if (!fs.existsSync(tools.codeServer) || !fs.existsSync(tools.node)) {
		throw new Error(`code-server is not installed under ${path.relative(root, tools.toolsDir)}: run \`node test/scripts/setupTools.js\` first.`);
	}
	const home = path.join(stateDir, 'home');
	const userDataDir = path.join(stateDir, 'user-data');
	extensionsDir = extensionsDir || path.join(stateDir, 'extensions');
	for (const d of [home, userDataDir, extensionsDir, path.join(userDataDir, 'User')]) fs.mkdirSync(d, { recursive: true });
	fs.writeFileSync(path.join(userDataDir, 'User', 'settings.json'), JSON.stringify({ ...DEFAULT_SETTINGS, ...settings }, null, 2));
	// An empty config file of our own: without one, code-server writes a default config.yaml holding a second,
	// generated password that nothing uses.
	const configFile = path.join(stateDir, 'code-server-config.yaml');
	fs.writeFileSync(configFile, '');
	port = port || await freePort();
	const args = [tools.codeServer,
		'--bind-addr', `127.0.0.1:${port}`, '--auth', 'password', '--disable-telemetry', '--disable-update-check',
		'--disable-getting-started-override', '--ignore-last-opened',
		// Nothing here needs code-server's /proxy/PORT route to other local ports: one way in less.
		'--disable-proxy',
		'--config', configFile,
		'--user-data-dir', userDataDir, '--extensions-dir', extensionsDir];
	if (smokeTestDriver) args.push('--vscode-option', 'enable-smoke-test-driver');
	if (workspace) args.push(workspace);
	if (logFile) fs.mkdirSync(path.dirname(logFile), { recursive: true });
	const out = logFile ? fs.openSync(logFile, 'w') : 'ignore';
	const child = spawn(tools.node, args, {
		// detached = setsid: code-server and every process it forks share one group we can kill at once.
		detached: true,
		stdio: ['ignore', out, out],
		// code-server reads PASSWORD once and removes it from its environment, so the extension host and terminals
		// never see it. HASHED_PASSWORD would take precedence: an inherited one must not replace ours.
		env: { ...withoutInheritedPasswords(process.env), HOME: home, XDG_CONFIG_HOME: path.join(home, '.config'), XDG_DATA_HOME: path.join(home, '.local/share'), ...env, PASSWORD: password },
	});
	if (typeof out === 'number') fs.closeSync(out);
	const pid = child.pid;
	let exited = false;
	child.once('exit', () => { exited = true; });
	const onExit = () => killGroup(pid, 'SIGKILL');
	process.once('exit', onExit);

	async function stop() {
		process.removeListener('exit', onExit);
		if (!groupAlive(pid)) return;
		killGroup(pid, 'SIGTERM');
		for (let i = 0; i < 30 && groupAlive(pid); i++) await sleep(100);
		if (groupAlive(pid)) killGroup(pid, 'SIGKILL');
		for (let i = 0; i < 20 && groupAlive(pid); i++) await sleep(50);
	}

	const baseUrl = `http://127.0.0.1:${port}`;
	const deadline = Date.now() + startupTimeoutMs;
	for (;;) {
		if (exited) {
			await stop();
			throw new Error(`code-server exited during startup; see ${logFile || 'its output'}.`);
		}
		try {
			const res = await fetch(`${baseUrl}/healthz`);
			if (res.ok) break;
		} catch {
			// not listening yet
		}
		if (Date.now() > deadline) {
			await stop();
			throw new Error(`code-server did not answer ${baseUrl}/healthz within ${startupTimeoutMs / 1000} s; see ${logFile || 'its output'}.`);
		}
		await sleep(200);
	}
	return { port, baseUrl, pid, password, userDataDir, extensionsDir, stop };
}

function withoutInheritedPasswords(env) {
	const copy = { ...env };
	delete copy.PASSWORD;
	delete copy.HASHED_PASSWORD;
	return copy;
}

/** The files a user's installed copy of the extension holds (what the VSIX holds, see .vscodeignore). */
const EXTENSION_FILES = ['package.json', 'dist', 'media', 'README.md', 'CHANGELOG.md', 'LICENSE'];

/**
 * Installs the built extension (dist/ must exist: run `node esbuild.js` first) into an extensions dir by copying,
 * as `code-server --install-extension x.vsix` would lay it out. Returns the installed folder.
 */
function installExtension(extensionsDir) {
	const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
	if (!fs.existsSync(path.join(root, manifest.main))) {
		throw new Error(`${manifest.main} is missing: build the extension with \`node esbuild.js\` first.`);
	}
	const id = `${manifest.publisher}.${manifest.name}`;
	const target = path.join(extensionsDir, `${id}-${manifest.version}`);
	freshDir(target);
	for (const name of EXTENSION_FILES) {
		const from = path.join(root, name);
		if (!fs.existsSync(from)) continue;
		fs.cpSync(from, path.join(target, name), {
			recursive: true,
			filter: (src) => !src.includes(`${path.sep}screenshots`) && !src.endsWith('.meta.json') && !src.endsWith('.map'),
		});
	}
	return target;
}

/** Debian's Chromium through playwright-core, in a fresh profile dir. Never downloads a browser. */
async function launchChromium(profileDir, { viewport = { width: 1400, height: 900 } } = {}) {
	const { chromium } = require('playwright-core');
	const tools = toolPaths();
	if (!fs.existsSync(tools.chromium)) throw new Error(`${tools.chromium} is missing: run \`node test/scripts/setupTools.js\` (installs Debian's chromium).`);
	freshDir(profileDir);
	return chromium.launchPersistentContext(profileDir, {
		executablePath: tools.chromium,
		headless: true,
		args: CHROMIUM_ARGS,
		viewport,
	});
}

/**
 * Signs in the way a user does: opens `url` (code-server sends a browser without its session cookie to the login
 * page, remembering where it was going), types the password, submits, and waits until the page has left the login
 * page for `url`. Throws if code-server refuses the password (its error text is in the message, the password not).
 */
async function signIn(page, url, password, { timeoutMs = 120000 } = {}) {
	await page.goto(url, { waitUntil: 'domcontentloaded', timeout: timeoutMs });
	const field = page.locator('form.login-form input[name="password"]');
	await field.waitFor({ timeout: timeoutMs });
	await field.fill(password);
	await Promise.all([
		page.waitForNavigation({ waitUntil: 'domcontentloaded', timeout: timeoutMs }),
		page.locator('form.login-form input[type="submit"]').click(),
	]);
	if (new URL(page.url()).pathname.endsWith('/login')) {
		const error = await page.locator('form.login-form .error').innerText().catch(() => 'no error shown');
		throw new Error(`code-server did not accept the password: ${error}`);
	}
}

/** The workbench's own question when it opens a folder it does not trust yet (VS Code 1.139). */
const TRUST_PROMPT = 'Do you trust the authors of the files in this folder?';

/**
 * Answers VS Code's startup trust prompt with "Yes, I trust the authors", as a user trusting the folder would, and
 * waits until the workbench says so. VS Code keeps the answer in the browser's storage for this origin (scheme, host
 * and port), so a later load of the same folder in the same browser profile opens trusted without asking.
 */
async function trustFolder(page, { timeoutMs = 120000 } = {}) {
	const dialog = page.locator('.monaco-dialog-box', { hasText: TRUST_PROMPT });
	await dialog.waitFor({ timeout: timeoutMs });
	await dialog.locator('.monaco-button', { hasText: 'Yes, I trust the authors' }).click();
	await dialog.waitFor({ state: 'hidden', timeout: 15000 });
	// The status bar says "Restricted Mode" until the trust is in effect (and stored).
	await page.locator('.part.statusbar .statusbar-item', { hasText: 'Restricted Mode' }).waitFor({ state: 'hidden', timeout: 30000 });
	// The storage write to IndexedDB can trail the indicator by a moment; navigating away too soon could lose it.
	await page.waitForTimeout(1000);
}

/**
 * The workbench URL that loads `extensionPath` as the extension under development and, optionally, a test runner.
 * `logLevel` ("publisher.name:trace", comma-separated) sets extensions' log levels as `--log` would on the desktop.
 */
function payloadUrl(baseUrl, folder, { extensionDevelopmentPath, extensionTestsPath, logLevel } = {}) {
	const host = new URL(baseUrl).host;
	const remote = (p) => `vscode-remote://${host}${p}`;
	const payload = [];
	if (extensionDevelopmentPath) payload.push(['extensionDevelopmentPath', remote(extensionDevelopmentPath)]);
	if (extensionTestsPath) payload.push(['extensionTestsPath', remote(extensionTestsPath)]);
	if (logLevel) payload.push(['logLevel', logLevel]);
	let url = `${baseUrl}/?folder=${encodeURIComponent(folder)}`;
	if (payload.length) url += `&payload=${encodeURIComponent(JSON.stringify(payload))}`;
	return url;
}

/** publisher.name of the extension under test, as VS Code's log levels name it. */
const EXTENSION_LOG_ID = (() => {
	const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
	return `${manifest.publisher}.${manifest.name}`;
})();

/**
 * User settings for the Restricted Mode run: nothing that would ask (a modal prompt would block the workbench before
 * the tests start). A fresh browser profile trusts no folder, so the workspace opens restricted.
 */
const RESTRICTED_SETTINGS = {
	'security.workspace.trust.startupPrompt': 'never',
	'security.workspace.trust.banner': 'never',
	'security.workspace.trust.untrustedFiles': 'open',
	'security.workspace.trust.emptyWindow': false,
};

/**
 * The extension-host runs. `suite` reaches the runner (test/extension/index.ts) as GRAPH_CALLS_EXTENSION_SUITE;
 * `workspaceFixture` is copied into the opened folder (the restricted run's .vscode/settings.json).
 */
const RUNS = [
	{ suite: 'main', title: 'trusted workspace', trusted: true, timeoutMs: 15 * 60 * 1000 },
	{
		suite: 'restricted', title: 'Restricted Mode', trusted: false, settings: RESTRICTED_SETTINGS, timeoutMs: 4 * 60 * 1000,
		workspaceFixture: path.join(root, 'test', 'extension', 'restricted', 'workspace'),
	},
];

/**
 * One workbench: code-server + Chromium on a fresh state dir, the runner loaded through `payload`.
 * Resolves { code, results } (results undefined when the runner wrote none); never rejects.
 */
async function runSuite(run, { runner, resultsFile, logsDir }) {
	const started = Date.now();
	const prefix = run.suite === 'main' ? 'extension' : `extension-${run.suite}`;
	const timeoutMs = Number(process.env.GRAPH_CALLS_EXTENSION_TIMEOUT_MS) || run.timeoutMs;
	fs.rmSync(resultsFile, { force: true });
	const stateDir = freshDir(path.join(root, '.cache', 'vscode-test', prefix));
	const workspace = path.join(stateDir, 'workspace');
	fs.mkdirSync(workspace, { recursive: true });
	if (run.workspaceFixture) fs.cpSync(run.workspaceFixture, workspace, { recursive: true });

	let server, context, timer;
	const cleanup = async () => {
		if (context) await Promise.race([context.close().catch(() => {}), sleep(5000)]);
		if (server) await server.stop();
	};
	const timedOut = new Promise((resolve) => {
		timer = setTimeout(() => {
			console.error(`${prefix}: no result after ${timeoutMs / 1000} s: stopping code-server and Chromium. See test-results/logs/${prefix}-*.log.`);
			resolve(1);
		}, timeoutMs);
	});
	const onSignal = async () => { await cleanup(); process.exit(130); };
	for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, onSignal);

	let code;
	try {
		code = await Promise.race([timedOut, (async () => {
			server = await startCodeServer({
				stateDir, workspace, smokeTestDriver: true, settings: run.settings || {},
				// The tests read the "Graph Calls" log file under <user-data>/logs (the extension host inherits this environment).
				env: { GRAPH_CALLS_RESULTS_FILE: resultsFile, GRAPH_CALLS_EXTENSION_SUITE: run.suite, GRAPH_CALLS_USER_DATA_DIR: path.join(stateDir, 'user-data') },
				logFile: path.join(logsDir, `${prefix}-code-server.log`),
			});
			console.log(`${prefix}: code-server up on ${server.baseUrl} after ${((Date.now() - started) / 1000).toFixed(1)} s (${run.title})`);
			context = await launchChromium(path.join(stateDir, 'chromium'));
			let resolveExit;
			const exitCode = new Promise((resolve) => { resolveExit = resolve; });
			// The workbench calls this when the test runner's promise settles (smoke-test driver only).
			await context.exposeFunction('codeAutomationExit', (c) => resolveExit(Number(c)));
			const page = context.pages()[0] || await context.newPage();
			const browserLog = fs.createWriteStream(path.join(logsDir, `${prefix}-browser.log`));
			page.on('console', (m) => browserLog.write(`[${m.type()}] ${m.text()}\n`));
			page.on('pageerror', (e) => browserLog.write(`[pageerror] ${e.message}\n`));
			// Generous timeouts: the workbench can take a minute to load on a busy 2-core machine; the run's own
			// timeout still applies. Sign in first, as a user would; the session cookie then carries every later load.
			// Trace level: every line the extension logs reaches its log file, which the tests read (leak checks included).
			const testsUrl = payloadUrl(server.baseUrl, workspace, { extensionDevelopmentPath: root, extensionTestsPath: runner, logLevel: `${EXTENSION_LOG_ID}:trace` });
			if (run.trusted) {
				// Trust is decided before the extension host starts: answer the prompt in a plain workbench of the
				// folder, then load the tests into a workbench that opens it trusted.
				await signIn(page, payloadUrl(server.baseUrl, workspace), server.password, { timeoutMs: 180000 });
				await trustFolder(page, { timeoutMs: 180000 });
				await page.goto(testsUrl, { waitUntil: 'domcontentloaded', timeout: 180000 });
			} else {
				await signIn(page, testsUrl, server.password, { timeoutMs: 180000 });
			}
			const c = await exitCode;
			browserLog.end();
			return c;
		})()]);
	} catch (err) {
		console.error(`${prefix}: ${err instanceof Error ? err.message : String(err)}`);
		code = 1;
	} finally {
		clearTimeout(timer);
		for (const signal of ['SIGINT', 'SIGTERM']) process.removeListener(signal, onSignal);
		await cleanup();
	}

	let results;
	try {
		results = JSON.parse(fs.readFileSync(resultsFile, 'utf8'));
	} catch {
		console.error(`${prefix}: the workbench exited with ${code} but the runner wrote no ${path.relative(root, resultsFile)}; ` +
			`see test-results/logs/${prefix}-browser.log and ${prefix}-code-server.log.`);
	}
	if (results) for (const line of results.output || []) console.log(line);
	console.log(`${prefix}: workbench exit code ${code} after ${((Date.now() - started) / 1000).toFixed(1)} s (${run.title})`);
	return { code, results };
}

/**
 * The extension-host tier: every run in RUNS (or those named in GRAPH_CALLS_EXTENSION_SUITES, comma-separated),
 * one after the other. Each run's runner writes test-results/extension-<suite>.json; the tier's results file
 * (GRAPH_CALLS_RESULTS_FILE, read by runAllTests.js) adds them up. Exit code 0 only if every run passed.
 */
async function runExtensionTests() {
	const started = Date.now();
	const resultsFile = process.env.GRAPH_CALLS_RESULTS_FILE || path.join(root, 'test-results', 'extension.json');
	const logsDir = path.join(root, 'test-results', 'logs');
	const runner = path.join(root, 'out', 'test', 'extension', 'index.js');
	if (!fs.existsSync(runner)) {
		console.error(`extension: ${path.relative(root, runner)} is missing: compile the tests with \`npx tsc -p tsconfig.json\` first.`);
		return 1;
	}
	if (!fs.existsSync(path.join(root, 'dist', 'extension.js'))) {
		console.error('extension: dist/extension.js is missing: build the extension with `node esbuild.js` first.');
		return 1;
	}
	const wanted = (process.env.GRAPH_CALLS_EXTENSION_SUITES || '').split(',').map((x) => x.trim()).filter(Boolean);
	const runs = wanted.length ? RUNS.filter((r) => wanted.includes(r.suite)) : RUNS;
	if (!runs.length) {
		console.error(`extension: GRAPH_CALLS_EXTENSION_SUITES=${wanted.join(',')} names no run; known: ${RUNS.map((r) => r.suite).join(', ')}.`);
		return 1;
	}
	fs.rmSync(resultsFile, { force: true });
	fs.mkdirSync(logsDir, { recursive: true });

	const total = { passed: 0, failed: 0, skipped: 0, failures: [], output: [], durationMs: 0, runs: {} };
	let exitCode = 0;
	for (const run of runs) {
		const runFile = path.join(path.dirname(resultsFile), `${path.basename(resultsFile, '.json')}-${run.suite}.json`);
		const { code, results } = await runSuite(run, { runner, resultsFile: runFile, logsDir });
		// A run that wrote nothing (crash, timeout) counts as one failure, as runAllTests.js does for a tier.
		const r = results || { passed: 0, failed: 1, skipped: 0, failures: [{ title: `${run.title} run`, error: `no results (workbench exit code ${code})` }], output: [], durationMs: 0 };
		total.passed += r.passed;
		total.failed += r.failed;
		total.skipped += r.skipped || 0;
		total.durationMs += r.durationMs || 0;
		total.failures.push(...(r.failures || []).map((f) => ({ ...f, title: `[${run.title}] ${f.title}` })));
		total.output.push(`--- ${run.title} (${run.suite})`, ...(r.output || []));
		total.runs[run.suite] = { passed: r.passed, failed: r.failed, skipped: r.skipped || 0, exitCode: code };
		if (code !== 0 || r.failed > 0) exitCode = code || 1;
	}
	fs.mkdirSync(path.dirname(resultsFile), { recursive: true });
	fs.writeFileSync(resultsFile, JSON.stringify(total, null, 2));
	if (total.passed + total.failed === 0) {
		console.error('extension: no test ran in any run (GRAPH_CALLS_TEST_GREP matches nothing?).');
		exitCode = 1;
	}
	const perRun = runs.map((r) => `${r.suite} ${total.runs[r.suite].passed}/${total.runs[r.suite].failed}`).join(', ');
	console.log(`extension: ${total.passed} passed, ${total.failed} failed (passed/failed per run: ${perRun}) after ${((Date.now() - started) / 1000).toFixed(1)} s`);
	return exitCode;
}

module.exports = { startCodeServer, installExtension, launchChromium, signIn, trustFolder, payloadUrl, freePort, freshDir, killGroup, newPassword, CHROMIUM_ARGS, TRUST_PROMPT };

if (require.main === module) {
	runExtensionTests().then((code) => process.exit(code));
}
