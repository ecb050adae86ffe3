// The product as a person sees it: the real VS Code workbench (code-server) with the built extension installed and
// the `npm start` sample workspace, driven through Chromium. The steps build on each other, like a first session:
// open the view, use the local emulator from the welcome view, create a call from the palette, watch it become
// established with its participants, play a prompt, hang up, read the request log, send a request from a .http
// document. Each step leaves a screenshot in test-results/screenshots.
import * as assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { Workbench, root } from './support/workbench';

const { SAMPLES } = createRequire(__filename)(path.join(root, 'test', 'scripts', 'start.js')) as { SAMPLES: Record<string, string> };

/** Things that must never reach the log: bearer tokens, JWTs, client secrets. */
const SECRET_PATTERNS = [/Bearer\s+[\w.-]{8,}/i, /eyJ[\w-]{8,}\.[\w-]{8,}\./, /client_secret=/i, /"clientSecret"\s*:\s*"[^"]/];

describe('workbench (e2e)', function () {
	this.timeout(120000);
	let wb: Workbench;

	before(async function () {
		this.timeout(240000);
		wb = await Workbench.open({ name: 'e2e-workbench', files: SAMPLES });
	});

	afterEach(async function () {
		// A failed step keeps a picture of what the workbench showed.
		if (this.currentTest?.state === 'failed' && wb) await wb.screenshot(`failed-${this.currentTest.title.replace(/\W+/g, '-').slice(0, 60)}`).catch(() => undefined);
	});

	after(async () => {
		await wb?.close();
	});

	it('shows the Graph Calls view with the welcome actions when there is no profile', async () => {
		await wb.showViewContainer('Graph Calls');
		const welcome = wb.page.locator('.welcome-view-content').first();
		await welcome.waitFor({ timeout: 30000 });
		assert.match(await welcome.innerText(), /No tenant profile yet/);
		assert.ok(await wb.page.locator('.welcome-view-content .monaco-button', { hasText: 'Use Local Emulator' }).isVisible(), 'Use Local Emulator button');
		assert.ok(await wb.page.locator('.welcome-view-content .monaco-button', { hasText: 'Add Tenant Profile' }).isVisible(), 'Add Tenant Profile button');
		await wb.screenshot('01-calls-view-welcome');
	});

	it('opens the Graph Calls log channel from the command palette', async () => {
		await wb.runCommand('Graph Calls: Show Log');
		await wb.page.locator('.part.panel .output-view').waitFor({ timeout: 15000 });
		assert.equal(await wb.outputChannel(), 'Graph Calls');
		await wb.screenshot('02-log-channel');
	});

	it('offers the "Get started with Graph Calls" walkthrough', async () => {
		await wb.runCommand('Welcome: Open Walkthrough...', { opensQuickInput: true });
		await wb.pickQuickItem('Get started with Graph Calls', 15000);
		const steps = wb.page.locator('.gettingStartedContainer .getting-started-step');
		await steps.first().waitFor({ timeout: 15000 });
		const titles = (await steps.allInnerTexts()).join('\n');
		for (const title of ['Use the local emulator', 'Add a real tenant', 'Set up a callback URL and tunnel', 'Send your first request']) {
			assert.ok(titles.includes(title), `walkthrough step "${title}" is shown`);
		}
		await wb.screenshot('03-walkthrough');
		await wb.page.keyboard.press('Control+K');
		await wb.page.keyboard.press('W'); // close all editors: the next steps want the view and an empty editor area
	});

	it('uses the local emulator from the welcome view: the Emulator profile becomes active', async () => {
		await wb.showViewContainer('Graph Calls');
		const button = wb.page.locator('.welcome-view-content .monaco-button', { hasText: 'Use Local Emulator' });
		await button.waitFor({ timeout: 15000 });
		await button.click();
		// The status bar names the active profile; the welcome content goes away once a profile exists.
		await wb.statusBarItem(/Emulator/).waitFor({ timeout: 90000 });
		await wb.page.locator('.welcome-view-content', { hasText: 'No tenant profile yet' }).waitFor({ state: 'hidden', timeout: 30000 });
		await wb.screenshot('04-emulator-profile');
	});

	it('creates a call to a directory user from the palette and shows it established with its participants', async () => {
		await wb.runCommand('Graph Calls: Create Call', { opensQuickInput: true });
		await wb.pickQuickItem('Call a Teams user');
		await wb.pickQuickItem('Adele Vance');
		await wb.quickInputClosed(30000);
		const call = wb.treeRow(/Adele Vance/);
		await call.waitFor({ timeout: 30000 });
		// Adele answers after a moment: the emulator's notifications move the call to established.
		await wb.page.locator('.part.sidebar .monaco-list-row', { hasText: /Adele Vance.*established/ }).first().waitFor({ timeout: 60000 });
		// A 1:1 call gets no roster notifications (Graph sends those for group calls): the roster comes with the next
		// poll, and only then does the call row get children to expand.
		const expandable = async () => {
			for (const end = Date.now() + 30000; Date.now() < end; await wb.page.waitForTimeout(250)) {
				const state = await call.getAttribute('aria-expanded');
				if (state !== null) return state;
			}
			throw new Error('the call row never got children (no roster within 30 s)');
		};
		if ((await expandable()) === 'false') await call.locator('.monaco-tl-twistie').click();
		const participants = wb.treeRow(/^\s*Participants \(\d+\)/);
		await participants.waitFor({ timeout: 30000 });
		if ((await participants.getAttribute('aria-expanded')) === 'false') await participants.locator('.monaco-tl-twistie').click();
		await wb.page.locator('.part.sidebar .monaco-list-row[aria-level="4"]', { hasText: /Adele Vance/ }).first().waitFor({ timeout: 30000 });
		const label = (await participants.innerText()).trim();
		assert.match(label, /Participants \(([2-9]|\d{2,})\)/, 'the bot and Adele are both in the roster');
		await wb.screenshot('05-call-established');
	});

	// The status bar cannot be read from the extension host: its call count and the receiver item are checked here.
	it('counts the active call in the profile\'s status bar item and shows the receiver\'s port', async () => {
		await wb.statusBarItem(/Emulator ·\s*1 call\b/).waitFor({ timeout: 30000 });
		await wb.statusBarItem(/Receiver :\d+/).waitFor({ timeout: 30000 });
		assert.equal(await wb.statusBarItem(/Receiver :\d+/).locator('.codicon-warning').count(), 0, 'validation is enforced: no warning');
	});

	it('plays a prompt in the call from the palette; the operation shows under the call', async () => {
		await wb.runCommand('Graph Calls: Play Prompt', { opensQuickInput: true });
		await wb.pickQuickItem(/Adele Vance/);
		await wb.answerInputBox('https://contoso.example/audio/welcome.wav');
		await wb.quickInputClosed(30000);
		const operations = wb.treeRow(/^\s*Operations \(\d+\)/);
		await operations.waitFor({ timeout: 30000 });
		if ((await operations.getAttribute('aria-expanded')) === 'false') await operations.locator('.monaco-tl-twistie').click();
		await wb.treeRow(/playPrompt/i).waitFor({ timeout: 30000 });
		await wb.screenshot('06-prompt-played');
	});

	it('hangs up from the palette and shows the call ended', async () => {
		await wb.runCommand('Graph Calls: Hang Up', { opensQuickInput: true });
		await wb.pickQuickItem(/Adele Vance/);
		await wb.quickInputClosed(30000);
		await wb.page.locator('.part.sidebar .monaco-list-row', { hasText: /Adele Vance.*terminated/ }).first().waitFor({ timeout: 60000 });
		await wb.screenshot('07-call-ended');
	});

	it('drops the ended call from the status bar count', async () => {
		await wb.statusBarItem(/Emulator/).waitFor({ timeout: 30000 });
		await wb.page.locator('.part.statusbar .statusbar-item', { hasText: /Emulator ·\s*\d+ calls?\b/ }).waitFor({ state: 'detached', timeout: 30000 });
	});

	it('logs each request in the Graph Calls channel without secrets or tokens', async () => {
		await wb.runCommand('Graph Calls: Show Log');
		await wb.page.locator('.part.panel .output-view').waitFor({ timeout: 15000 });
		assert.equal(await wb.outputChannel(), 'Graph Calls');
		// Maximise the panel so the Monaco editor renders every line of the short log.
		await wb.runCommand('View: Toggle Maximized Panel');
		const text = await wb.outputText();
		assert.match(text, /POST\s+\S*\/communications\/calls\b/, 'the create request is logged');
		assert.match(text, /playPrompt/, 'the play prompt request is logged');
		assert.match(text, /DELETE\s+\S*\/communications\/calls\//, 'the hang-up request is logged');
		for (const pattern of SECRET_PATTERNS) assert.doesNotMatch(text, pattern);
		await wb.screenshot('08-request-log');
		await wb.runCommand('View: Toggle Maximized Panel');
		await wb.runCommand('View: Hide Panel');
	});

	it('sends a request from a .http document with its CodeLens and shows the response beside it', async () => {
		await wb.openFile('calls.http');
		const lens = wb.page.locator('.contentWidgets .codelens-decoration a', { hasText: /Send with Emulator/ }).first();
		await lens.waitFor({ timeout: 30000 });
		await lens.click();
		// The response opens in a second editor group with the status line of the created call.
		const response = wb.page.locator('.editor-group-container').nth(1).locator('.view-lines').filter({ hasText: /\b201\b/ });
		await response.waitFor({ timeout: 30000 });
		assert.match(await response.innerText(), /201/);
		await wb.screenshot('09-http-document');
	});
	it('shows a simulated incoming call in the Calls view, and two active calls in the status bar', async () => {
		await wb.runCommand('Graph Calls: Simulate Incoming Call (Emulator)', { opensQuickInput: true });
		await wb.pickQuickItem(/Johanna Lorenz/);
		await wb.quickInputClosed(30000);
		await wb.showViewContainer('Graph Calls');
		await wb.page.locator('.part.sidebar .monaco-list-row', { hasText: /Johanna Lorenz.*incoming/ }).first().waitFor({ timeout: 30000 });
		// The call the .http document created and this one (it rings for 15 s before the emulator ends it).
		await wb.statusBarItem(/Emulator ·\s*2 calls\b/).waitFor({ timeout: 15000 });
		await wb.screenshot('10-incoming-call');
	});

	it('warns in the receiver\'s status bar item while validation is relaxed, and shows it stopped', async () => {
		await wb.runCommand('Graph Calls: Toggle Relaxed Callback Token Validation for the Active Profile');
		const relax = wb.page.locator('.monaco-dialog-box .monaco-button', { hasText: 'Relax Validation' });
		await relax.waitFor({ timeout: 15000 });
		await relax.click();
		await wb.statusBarItem(/Receiver :\d+/).locator('.codicon-warning').waitFor({ timeout: 15000 });
		await wb.screenshot('11-receiver-relaxed');
		await wb.runCommand('Graph Calls: Toggle Relaxed Callback Token Validation for the Active Profile');
		await wb.statusBarItem(/Receiver :\d+/).locator('.codicon-warning').waitFor({ state: 'detached', timeout: 15000 });

		await wb.runCommand('Graph Calls: Stop Callback Receiver');
		await wb.statusBarItem(/Receiver off/).waitFor({ timeout: 15000 });
		await wb.runCommand('Graph Calls: Start Callback Receiver');
		await wb.statusBarItem(/Receiver :\d+/).waitFor({ timeout: 15000 });
	});
});
