// The softphone as a person uses it, in the real workbench (code-server in Chromium): open a phone for Adele, ring
// the bot (here the workbench itself answers, from the Calls view), press keys on the keypad, hang up, and save
// the session as a scenario file. The screenshots of the panel are the ones the README shows.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FrameLocator } from 'playwright-core';
import { Workbench, root } from './support/workbench';

describe('softphone (e2e)', function () {
	this.timeout(120000);
	let wb: Workbench;
	let phone: FrameLocator;

	before(async function () {
		this.timeout(240000);
		wb = await Workbench.open({ name: 'e2e-softphone', files: { 'README.md': '# A bot project\n' } });
	});

	afterEach(async function () {
		if (this.currentTest?.state === 'failed' && wb) await wb.screenshot(`failed-softphone-${this.currentTest.title.replace(/\W+/g, '-').slice(0, 60)}`).catch(() => undefined);
	});

	after(async () => {
		await wb?.close();
	});

	/** The panel's page: VS Code nests each webview's content in an inner frame. */
	const panelFrame = (): FrameLocator => wb.page.frameLocator('iframe.webview.ready').last().frameLocator('#active-frame');

	/** Keeps a picture of the panel alone for the README (media/screenshots), and one of the whole window. */
	async function pictures(name: string): Promise<void> {
		await wb.screenshot(`softphone-${name}`);
		const file = path.join(root, 'test-results', 'screenshots', `softphone-${name}-panel.png`);
		await wb.page.locator('iframe.webview.ready').last().screenshot({ path: file });
	}

	it('opens a softphone for a directory person once the emulator runs', async () => {
		await wb.runCommand('Graph Calls: Use Local Emulator');
		await wb.statusBarItem(/Emulator/).waitFor({ timeout: 90000 });
		await wb.runCommand('Graph Calls: Open Softphone (Emulator)…', { opensQuickInput: true });
		await wb.pickQuickItem('Adele Vance');
		phone = panelFrame();
		await phone.locator('#name', { hasText: 'Adele Vance' }).waitFor({ timeout: 30000 });
		await phone.locator('#status', { hasText: /Ready/ }).waitFor({ timeout: 30000 });
		assert.ok(await phone.locator('#callBot').isVisible(), 'the Call button is there');
		assert.equal(await phone.locator('#ring').isVisible(), false, 'nothing rings');
		assert.equal(await phone.locator('#call').isVisible(), false, 'no call controls without a call');
		await pictures('01-ready');
	});

	it('rings the bot: the call shows as incoming in the Calls view, and the phone says it is ringing', async () => {
		await phone.locator('#callBot').click();
		await phone.locator('#status', { hasText: /Ringing the bot/ }).waitFor({ timeout: 30000 });
		await wb.showViewContainer('Graph Calls');
		await wb.page.locator('.part.sidebar .monaco-list-row', { hasText: /Adele Vance.*incoming/ }).first().waitFor({ timeout: 30000 });
	});

	it('is answered by the bot (the workbench, from the palette): the phone shows the call established with a running duration', async () => {
		await wb.runCommand('Graph Calls: Answer Call', { opensQuickInput: true });
		await wb.pickQuickItem(/Adele Vance/);
		await wb.quickInputClosed(30000);
		await phone.locator('#status', { hasText: /In call/ }).waitFor({ timeout: 30000 });
		await phone.locator('#duration', { hasText: /^0:0[1-9]|^0:[1-5]\d/ }).waitFor({ timeout: 15000 });
		assert.ok(await phone.locator('#keypad button', { hasText: '5' }).isEnabled(), 'the keypad works in an established call');
		assert.equal(await phone.locator('#dial').isVisible(), false, 'no dialling during a call');
		await pictures('02-in-call');
	});

	it('presses keys on the keypad and with the keyboard; each reaches the emulator', async () => {
		await phone.locator('#keypad button', { hasText: '5' }).click();
		await phone.locator('#sent', { hasText: 'Pressed 5' }).waitFor({ timeout: 15000 });
		await phone.locator('#keypad button', { hasText: '#' }).focus();
		await wb.page.keyboard.press('7');
		await phone.locator('#sent', { hasText: 'Pressed 7' }).waitFor({ timeout: 15000 });
		assert.equal(await phone.locator('#error').isVisible(), false, 'no error shown');
	});

	it('mutes and unmutes the person', async () => {
		await phone.locator('#mute').click();
		await phone.locator('#activity', { hasText: 'You are muted' }).waitFor({ timeout: 15000 });
		assert.equal(await phone.locator('#mute').getAttribute('aria-pressed'), 'true');
		await phone.locator('#mute', { hasText: 'Unmute' }).click();
		await phone.locator('#activity', { hasText: 'You are muted' }).waitFor({ state: 'detached', timeout: 15000 });
	});

	it('puts the call on hold and resumes it', async () => {
		await phone.locator('#hold').click();
		await phone.locator('#status', { hasText: /On hold/ }).waitFor({ timeout: 15000 });
		await phone.locator('#hold', { hasText: 'Resume' }).click();
		await phone.locator('#status', { hasText: /In call/ }).waitFor({ timeout: 15000 });
	});

	it('hangs up: the Calls view shows the call terminated and the phone is ready again', async () => {
		await phone.locator('#hangUp').click();
		await phone.locator('#status', { hasText: /Ready/ }).waitFor({ timeout: 30000 });
		await wb.page.locator('.part.sidebar .monaco-list-row', { hasText: /Adele Vance.*terminated/ }).first().waitFor({ timeout: 30000 });
	});

	it('rings when the bot calls the person, until the person answers in the panel', async () => {
		await wb.runCommand('Graph Calls: Create Call', { opensQuickInput: true });
		await wb.pickQuickItem('Call a Teams user');
		await wb.pickQuickItem('Adele Vance');
		await wb.quickInputClosed(30000);
		await phone.locator('#ring', { hasText: 'The bot is calling' }).waitFor({ timeout: 30000 });
		// Adele's directory behaviour answers after 0.3 s; with the panel open her phone rings until she answers.
		await wb.page.waitForTimeout(2000);
		assert.ok(await phone.locator('#ring').isVisible(), 'still ringing');
		await pictures('03-ringing');
		await phone.locator('#answer').click();
		await phone.locator('#status', { hasText: /In call/ }).waitFor({ timeout: 30000 });
		await wb.page.locator('.part.sidebar .monaco-list-row', { hasText: /Adele Vance.*established/ }).first().waitFor({ timeout: 30000 });
		await phone.locator('#hangUp').click();
		await phone.locator('#status', { hasText: /Ready/ }).waitFor({ timeout: 30000 });
	});

	it('saves the session as a scenario file that names the caller and the keys pressed', async () => {
		await phone.locator('#saveScenario').click();
		// VS Code for the Web asks for the path in its own quick input; the default is <workspace>/<person>-calls-the-bot.yaml
		// (scenarios/ when the workspace has that folder).
		await wb.page.locator('.quick-input-widget').waitFor({ timeout: 15000 });
		await wb.page.keyboard.press('Enter');
		const file = path.join(wb.workspace, 'adele-vance-calls-the-bot.yaml');
		for (const end = Date.now() + 30000; !fs.existsSync(file) && Date.now() < end;) await wb.page.waitForTimeout(250);
		const yaml = fs.readFileSync(file, 'utf8');
		assert.match(yaml, /from: Adele Vance/);
		assert.match(yaml, /expect: answer/);
		assert.match(yaml, /press: "5"[\s\S]*press: "7"/);
		assert.match(yaml, /hold: caller[\s\S]*resume: caller[\s\S]*hangUp: caller/);
		await wb.page.locator('.tabs-container .tab', { hasText: 'adele-vance-calls-the-bot.yaml' }).waitFor({ timeout: 15000 });
	});
});
