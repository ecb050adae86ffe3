// The product as a person sees it: the real VS Code workbench (code-server) with the built extension installed,
// driven through Chromium. Each step leaves a screenshot in test-results/screenshots.
import * as assert from 'node:assert/strict';
import { Workbench } from './support/workbench';

describe('workbench (e2e)', function () {
	this.timeout(120000);
	let wb: Workbench;

	before(async function () {
		this.timeout(180000);
		wb = await Workbench.open({ name: 'e2e-workbench' });
	});

	after(async () => {
		await wb?.close();
	});

	it('shows the Graph Calls view with the welcome actions when there is no profile', async () => {
		const icon = wb.activityItem('Graph Calls');
		await icon.waitFor({ timeout: 60000 });
		await icon.click();
		const view = wb.page.locator('.pane', { has: wb.page.locator('.pane-header', { hasText: /Calls/i }) }).first();
		const welcome = wb.page.locator('.welcome-view-content');
		await welcome.first().waitFor({ timeout: 30000 });
		const text = await welcome.first().innerText();
		assert.match(text, /No tenant profile yet/);
		assert.ok(await wb.page.locator('.welcome-view-content .monaco-button', { hasText: 'Use Local Emulator' }).isVisible(), 'Use Local Emulator button');
		assert.ok(await wb.page.locator('.welcome-view-content .monaco-button', { hasText: 'Add Tenant Profile' }).isVisible(), 'Add Tenant Profile button');
		assert.ok(await view.isVisible());
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
		const input = wb.page.locator('.quick-input-widget .quick-input-box input');
		await input.waitFor({ state: 'visible', timeout: 10000 });
		const row = wb.page.locator('.quick-input-widget .monaco-list-row', { hasText: 'Get started with Graph Calls' }).first();
		await row.waitFor({ timeout: 15000 });
		await row.click();
		const steps = wb.page.locator('.gettingStartedContainer .getting-started-step');
		await steps.first().waitFor({ timeout: 15000 });
		const titles = (await steps.allInnerTexts()).join('\n');
		for (const title of ['Use the local emulator', 'Add a real tenant', 'Set up a callback URL and tunnel', 'Send your first request']) {
			assert.ok(titles.includes(title), `walkthrough step "${title}" is shown`);
		}
		await wb.screenshot('03-walkthrough');
	});
});
