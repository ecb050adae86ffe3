// `npm start` as a user runs it: it prints a URL where VS Code answers with the extension installed and the
// sample workspace open, and Ctrl+C (SIGINT) leaves no process of its code-server behind.
import * as assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
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

describe('npm start (e2e)', function () {
	this.timeout(180000);
	const stateDir = path.join(root, '.cache', 'vscode-test', 'e2e-start');
	let child: ChildProcess | undefined;
	let context: BrowserContext | undefined;
	let output = '';
	let url = '';
	let pgid = 0;

	before(async () => {
		harness.freshDir(stateDir);
		const port = await harness.freePort();
		// --skip-setup: the test run has already built; this checks what start.js itself does.
		child = spawn(process.execPath, ['test/scripts/start.js', '--skip-setup', '--port', String(port), '--state-dir', stateDir], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
		child.stdout!.on('data', (d) => { output += String(d); });
		child.stderr!.on('data', (d) => { output += String(d); });
		const deadline = Date.now() + 120000;
		while (!/running in VS Code at (\S+)/.test(output) || !/process group (\d+)/.test(output)) {
			if (child.exitCode !== null) throw new Error(`start.js exited with ${child.exitCode}:\n${output}`);
			if (Date.now() > deadline) throw new Error(`start.js printed no URL within 120 s:\n${output}`);
			await new Promise((r) => setTimeout(r, 200));
		}
		url = /running in VS Code at (\S+)/.exec(output)![1];
		pgid = Number(/process group (\d+)/.exec(output)![1]);
	});

	after(async () => {
		await context?.close().catch(() => undefined);
		if (child && child.exitCode === null) child.kill('SIGKILL');
		if (pgid && groupAlive(pgid)) harness.killGroup(pgid, 'SIGKILL');
	});

	it('prints a 127.0.0.1 URL that serves VS Code with the sample workspace', async () => {
		assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/\?folder=/);
		const health = await fetch(new URL('/healthz', url));
		assert.equal(health.status, 200);
		for (const name of ['calls.http', 'participants.http', 'README.md']) {
			assert.ok(fs.existsSync(path.join(stateDir, 'workspace', name)), `sample ${name} written`);
		}
		assert.match(fs.readFileSync(path.join(stateDir, 'workspace', 'calls.http'), 'utf8'), /^POST \/communications\/calls$/m);
	});

	it('shows the installed extension with the Emulator profile active in the workbench at that URL', async () => {
		context = await harness.launchChromium(path.join(stateDir, 'chromium'));
		const page = context.pages()[0] ?? await context.newPage();
		await page.goto(url, { waitUntil: 'domcontentloaded', timeout: 120000 });
		await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'calls.http' }).first().waitFor({ timeout: 120000 });
		const icon = page.locator('.part.activitybar .action-item [aria-label^="Graph Calls"]').first();
		await icon.waitFor({ timeout: 60000 });
		await icon.click();
		await page.locator('.pane-header', { hasText: /Calls/ }).first().waitFor({ timeout: 30000 });
		// start.js turns on graphCalls.startEmulatorOnStartup: the emulator runs and its profile is active.
		await page.locator('.part.statusbar .statusbar-item', { hasText: /Emulator/ }).first().waitFor({ timeout: 90000 });
		assert.equal(await page.locator('.welcome-view-content', { hasText: 'No tenant profile yet' }).isVisible(), false, 'no welcome content once the Emulator profile exists');
		fs.mkdirSync(screenshotsDir, { recursive: true });
		await page.screenshot({ path: path.join(screenshotsDir, 'npm-start.png') });
		await context.close();
		context = undefined;
	});

	it('stops its whole process group on Ctrl+C (SIGINT)', async () => {
		assert.ok(groupAlive(pgid), 'code-server is running before SIGINT');
		const exited = new Promise<number | null>((resolve) => child!.once('exit', (code) => resolve(code)));
		child!.kill('SIGINT');
		assert.equal(await exited, 0, `start.js exit code; output:\n${output}`);
		assert.equal(groupAlive(pgid), false, `process group ${pgid} still has processes after SIGINT`);
		await assert.rejects(fetch(new URL('/healthz', url)), 'nothing answers on the port any more');
	});
});
