// `npm start` as a user runs it, and as a web page in the same browser would attack it. It prints a URL and a
// password: the password (typed into code-server's login page) leads to VS Code with the extension installed and
// the sample workspace open, which asks whether to trust the folder; without the password, a page that rebinds
// its own host name to 127.0.0.1 gets neither the workbench, nor the machine's files, nor the VS Code websocket.
// The port is a free one, not a fixed 8080; Ctrl+C (SIGINT) leaves no process of its code-server behind.
import * as assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as path from 'node:path';
import type { BrowserContext } from 'playwright-core';
import { harness, root, screenshotsDir } from './support/workbench';

function groupAlive(pgid: number): boolean {
	try {
		process.kill(-pgid, 0);
		return true;
	} catch {
		return false;
	}
}

/** One `node test/scripts/start.js` run, with what it printed. */
interface StartRun {
	child: ChildProcess;
	output(): string;
	/** The output as a test message may show it: the password replaced. */
	shown(): string;
	url: string;
	password: string;
	pgid: number;
}

/** Starts start.js (--skip-setup: the test run has built already) and waits until it prints its URL, or exits. */
async function npmStart(args: string[]): Promise<StartRun> {
	const child = spawn(process.execPath, ['test/scripts/start.js', '--skip-setup', ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
	let output = '';
	child.stdout!.on('data', (d) => { output += String(d); });
	child.stderr!.on('data', (d) => { output += String(d); });
	const run: StartRun = {
		child, url: '', password: '', pgid: 0,
		output: () => output,
		shown: () => (run.password ? output.split(run.password).join('<password>') : output.replace(/(password[^:]*: )\S+/g, '$1<password>')),
	};
	const deadline = Date.now() + 120000;
	while (!/running in VS Code at (\S+)/.test(output) || !/password[^:\n]*: (\S+)/.test(output) || !/process group (\d+)/.test(output)) {
		if (child.exitCode !== null) return run;
		if (Date.now() > deadline) throw new Error(`start.js printed no URL within 120 s:\n${run.shown()}`);
		await new Promise((r) => setTimeout(r, 200));
	}
	run.url = /running in VS Code at (\S+)/.exec(output)![1];
	run.password = /password[^:\n]*: (\S+)/.exec(output)![1];
	run.pgid = Number(/process group (\d+)/.exec(output)![1]);
	return run;
}

async function stopRun(run: StartRun | undefined): Promise<number | null | undefined> {
	if (!run) return undefined;
	if (run.child.exitCode === null) {
		const exited = new Promise<number | null>((resolve) => run.child.once('exit', (code) => resolve(code)));
		run.child.kill('SIGINT');
		const code = await Promise.race([exited, new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 15000))]);
		if (code !== 'timeout') return code;
		run.child.kill('SIGKILL');
	}
	if (run.pgid && groupAlive(run.pgid)) harness.killGroup(run.pgid, 'SIGKILL');
	return run.child.exitCode;
}

interface RawResponse {
	status: number;
	headers: http.IncomingHttpHeaders;
	body: string;
}

/**
 * A request exactly as given, Host header included (fetch would not send a foreign Host), the way a browser sends
 * one after DNS rebinding: to 127.0.0.1, with the attacker's host name in Host and Origin. A websocket handshake
 * resolves with its status too: 101 when code-server hands it to VS Code.
 */
function rawRequest(port: number, options: { method?: string; path: string; headers?: Record<string, string>; body?: string }): Promise<RawResponse> {
	return new Promise((resolve, reject) => {
		const req = http.request({ host: '127.0.0.1', port, method: options.method ?? 'GET', path: options.path, headers: options.headers }, (res) => {
			let body = '';
			res.setEncoding('utf8');
			res.on('data', (d) => { body += d; });
			res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
		});
		req.on('upgrade', (res, socket) => {
			socket.destroy();
			resolve({ status: res.statusCode ?? 0, headers: res.headers, body: '' });
		});
		req.on('error', reject);
		req.setTimeout(30000, () => req.destroy(new Error(`no answer to ${options.path} within 30 s`)));
		req.end(options.body);
	});
}

/** The handshake the workbench makes to reach VS Code's server (its remote extension host and file system). */
function websocketHandshake(headers: Record<string, string>): { path: string; headers: Record<string, string> } {
	return {
		path: `/?reconnectionToken=${crypto.randomUUID()}&reconnection=false&skipWebSocketFrames=false`,
		headers: { connection: 'Upgrade', upgrade: 'websocket', 'sec-websocket-key': crypto.randomBytes(16).toString('base64'), 'sec-websocket-version': '13', ...headers },
	};
}

/** Posts the login form as the login page does; resolves with the session cookie ("name=value") it sets, if any. */
async function postLogin(port: number, password: string | undefined): Promise<{ cookie?: string; response: RawResponse }> {
	const form = new URLSearchParams({ base: '.', href: `http://127.0.0.1:${port}/login` });
	if (password !== undefined) form.set('password', password);
	const response = await rawRequest(port, {
		method: 'POST', path: '/login', body: form.toString(),
		headers: { host: `127.0.0.1:${port}`, origin: `http://127.0.0.1:${port}`, 'content-type': 'application/x-www-form-urlencoded' },
	});
	const cookie = (response.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]).find((c) => c.startsWith('code-server-session='));
	return { cookie, response };
}

/** Holds 127.0.0.1:port if it is free; resolves undefined if something else holds it already (just as good). */
function holdPort(port: number): Promise<net.Server | undefined> {
	return new Promise((resolve) => {
		const server = net.createServer();
		server.once('error', () => resolve(undefined));
		server.listen(port, '127.0.0.1', () => resolve(server));
	});
}

describe('npm start (e2e)', function () {
	this.timeout(180000);
	const stateDir = path.join(root, '.cache', 'vscode-test', 'e2e-start');
	let run: StartRun | undefined;
	let context: BrowserContext | undefined;
	let port = 0;

	before(async () => {
		harness.freshDir(stateDir);
		// 8080 taken, as it often is on a developer's machine: start.js must not need it (and never asks for it).
		const blocker = await holdPort(8080);
		try {
			run = await npmStart(['--state-dir', stateDir]);
		} finally {
			await new Promise<void>((resolve) => (blocker ? blocker.close(() => resolve()) : resolve()));
		}
		if (!run.url) throw new Error(`start.js exited with ${run.child.exitCode} before printing a URL:\n${run.shown()}`);
		port = Number(new URL(run.url).port);
	});

	after(async () => {
		await context?.close().catch(() => undefined);
		await stopRun(run);
	});

	it('prints a 127.0.0.1 URL on a free port (8080 was taken) and a fresh password, kept off the command line and the log', async () => {
		assert.ok(run);
		assert.match(run.url, /^http:\/\/127\.0\.0\.1:\d+\/\?folder=/);
		assert.notEqual(port, 8080);
		const health = await fetch(new URL('/healthz', run.url));
		assert.equal(health.status, 200);
		for (const name of ['calls.http', 'participants.http', 'README.md']) {
			assert.ok(fs.existsSync(path.join(stateDir, 'workspace', name)), `sample ${name} written`);
		}
		assert.match(fs.readFileSync(path.join(stateDir, 'workspace', 'calls.http'), 'utf8'), /^POST \/communications\/calls$/m);
		// 32 base64url characters: 192 random bits, printed once.
		assert.match(run.password, /^[A-Za-z0-9_-]{32}$/, 'password shape');
		assert.equal(run.output().split(run.password).length - 1, 1, 'the password is printed exactly once');
		// What every local user can read (ps shows the command line) and what a bug report would attach.
		const cmdline = fs.readFileSync(`/proc/${run.pgid}/cmdline`, 'utf8');
		assert.match(cmdline, /--auth\0password\0/, 'code-server runs with password authentication');
		assert.ok(!cmdline.includes(run.password), 'the password is not on the command line');
		const log = fs.readFileSync(path.join(stateDir, 'code-server.log'), 'utf8');
		assert.match(log, /Using password from \$PASSWORD/);
		assert.ok(!log.includes(run.password), 'the password is not in the code-server log');
	});

	it('lets a browser in only with the printed password, then asks whether to trust the sample folder', async function () {
		// Three page loads (login, wrong password, workbench): minutes on a busy 2-core machine.
		this.timeout(360000);
		assert.ok(run);
		context = await harness.launchChromium(path.join(stateDir, 'chromium'));
		const page = context.pages()[0] ?? await context.newPage();
		await page.goto(run.url, { waitUntil: 'domcontentloaded', timeout: 120000 });
		assert.match(new URL(page.url()).pathname, /\/login$/, 'without the password the URL leads to the login page');
		// A guessed password: code-server says so and sets no session.
		await page.locator('form.login-form input[name="password"]').fill(`${run.password.slice(0, -1)}${run.password.endsWith('A') ? 'B' : 'A'}`);
		await Promise.all([page.waitForNavigation({ waitUntil: 'domcontentloaded' }), page.locator('form.login-form input[type="submit"]').click()]);
		assert.match(new URL(page.url()).pathname, /\/login$/);
		assert.match(await page.locator('form.login-form .error').innerText(), /Incorrect password/i);
		assert.equal((await context.cookies()).some((c) => c.name === 'code-server-session'), false, 'no session after a wrong password');
		assert.equal(await page.locator('.monaco-workbench').count(), 0);

		// The printed password, typed as a user would.
		await harness.signIn(page, run.url, run.password);
		await page.locator('.monaco-workbench').waitFor({ timeout: 120000 });
		// Trust is on: VS Code asks before it runs anything from the folder; the user trusts the samples it wrote.
		await page.locator('.monaco-dialog-box', { hasText: harness.TRUST_PROMPT }).waitFor({ timeout: 120000 });
		await page.screenshot({ path: path.join(screenshotsDir, 'npm-start-trust-prompt.png') }).catch(() => undefined);
		await harness.trustFolder(page);
		await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'calls.http' }).first().waitFor({ timeout: 120000 });
		const icon = page.locator('.part.activitybar .action-item [aria-label^="Graph Calls"]').first();
		await icon.waitFor({ timeout: 60000 });
		await icon.click();
		await page.locator('.pane-header', { hasText: /Calls/ }).first().waitFor({ timeout: 30000 });
		// start.js turns on graphCalls.startEmulatorOnStartup: the emulator runs and its profile is active.
		await page.locator('.part.statusbar .statusbar-item', { hasText: /Emulator/ }).first().waitFor({ timeout: 90000 });
		assert.equal(await page.locator('.welcome-view-content', { hasText: 'No tenant profile yet' }).isVisible(), false, 'no welcome content once the Emulator profile exists');
		assert.equal(await page.locator('.statusbar-item', { hasText: /Restricted Mode/ }).count(), 0, 'the trusted folder is not in Restricted Mode');
		fs.mkdirSync(screenshotsDir, { recursive: true });
		await page.screenshot({ path: path.join(screenshotsDir, 'npm-start.png') });
		await context.close();
		context = undefined;
	});

	it('gives a web page without the password (DNS rebinding, cross-site websocket) no workbench, no files and no websocket', async () => {
		assert.ok(run);
		const own = `127.0.0.1:${port}`;
		const rebound = `rebind.attacker.example:${port}`;
		const attacker = { host: rebound, origin: `http://${rebound}` };
		const workspaceReadme = path.join(stateDir, 'workspace', 'README.md');
		const fileUrl = `/vscode-remote-resource?path=${encodeURIComponent(workspaceReadme)}`;
		const workbenchPath = new URL(run.url).pathname + new URL(run.url).search;

		// The signed-in user: what each attack below would get if code-server let it through.
		const login = await postLogin(port, run.password);
		assert.ok(login.cookie, `the printed password signs in (status ${login.response.status})`);
		const signedIn = { host: own, origin: `http://${own}`, cookie: login.cookie };
		const workbench = await rawRequest(port, { path: workbenchPath, headers: signedIn });
		assert.equal(workbench.status, 200);
		assert.match(workbench.body, /workbench/);
		const file = await rawRequest(port, { path: fileUrl, headers: signedIn });
		assert.equal(file.status, 200);
		assert.match(file.body, /sample workspace/);
		assert.equal((await rawRequest(port, websocketHandshake(signedIn))).status, 101, 'the signed-in workbench gets its websocket');

		// A page whose host name now resolves to 127.0.0.1: the browser sends it no 127.0.0.1 cookie.
		const page = await rawRequest(port, { path: workbenchPath, headers: attacker });
		assert.equal(page.status, 302);
		assert.match(String(page.headers.location), /^\.\/login\?/, 'sent to the login page');
		assert.doesNotMatch(page.body, /workbench/);
		assert.equal((await rawRequest(port, { path: fileUrl, headers: attacker })).status, 401, 'no file of the machine');
		assert.equal((await rawRequest(port, websocketHandshake(attacker))).status, 401, 'no websocket');

		// A made-up session cookie, and a login without a password, get nothing either.
		const guessed = { ...attacker, cookie: `code-server-session=${crypto.randomBytes(32).toString('hex')}` };
		assert.equal((await rawRequest(port, { path: workbenchPath, headers: guessed })).status, 302);
		assert.equal((await rawRequest(port, websocketHandshake(guessed))).status, 401);
		const empty = await postLogin(port, undefined);
		assert.equal(empty.cookie, undefined, 'no session without a password');
		assert.match(empty.response.body, /Missing password/i);

		// A page on another site opening ws://127.0.0.1:PORT while the user is signed in: refused by its Origin.
		const crossSite = { host: own, origin: 'http://attacker.example', cookie: login.cookie };
		assert.equal((await rawRequest(port, websocketHandshake(crossSite))).status, 403, 'no websocket for a foreign Origin, even with the cookie');
	});

	it('uses the port --port asks for, and says so when it is taken instead of picking another', async () => {
		assert.ok(run);
		const taken = await npmStart(['--state-dir', path.join(stateDir, 'taken'), '--port', String(port)]);
		try {
			assert.equal(taken.url, '', 'no second server on a taken port');
			await new Promise((r) => (taken.child.exitCode !== null ? r(undefined) : taken.child.once('exit', r)));
			assert.equal(taken.child.exitCode, 1);
			assert.match(taken.shown(), new RegExp(`port ${port} on 127\\.0\\.0\\.1 is taken`));
		} finally {
			await stopRun(taken);
		}
		const wanted = await harness.freePort();
		const asked = await npmStart(['--state-dir', path.join(stateDir, 'asked'), '--port', String(wanted)]);
		try {
			assert.equal(new URL(asked.url).port, String(wanted), asked.shown());
			assert.notEqual(asked.password, run.password, 'every run has its own password');
		} finally {
			assert.equal(await stopRun(asked), 0, `start.js exit code; output:\n${asked.shown()}`);
		}
	});

	it('stops its whole process group on Ctrl+C (SIGINT)', async () => {
		assert.ok(run);
		const { pgid, url, child } = run;
		assert.ok(groupAlive(pgid), 'code-server is running before SIGINT');
		const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
		child.kill('SIGINT');
		assert.equal(await exited, 0, `start.js exit code; output:\n${run.shown()}`);
		assert.equal(groupAlive(pgid), false, `process group ${pgid} still has processes after SIGINT`);
		await assert.rejects(fetch(new URL('/healthz', url)), 'nothing answers on the port any more');
	});
});
