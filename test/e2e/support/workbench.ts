// Drives the real VS Code workbench (code-server) through Playwright and Debian's Chromium, the way a person
// would: activity bar, command palette, views, the Output panel. Screenshots go to test-results/screenshots.
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import type * as Harness from '../../extension/launchCodeServer';

export const root = path.resolve(__dirname, '../../../..');
export const screenshotsDir = path.join(root, 'test-results', 'screenshots');

/** The harness is plain JavaScript (npm start uses it uncompiled), so it is loaded from the source tree. */
export const harness: typeof Harness = createRequire(__filename)(path.join(root, 'test', 'extension', 'launchCodeServer.js'));

export interface WorkbenchOptions {
	/** Folder under .cache/vscode-test for this run's state (recreated). */
	name: string;
	/** Files to create in the workspace, relative path → text. */
	files?: Record<string, string>;
	settings?: Record<string, unknown>;
}

export class Workbench {
	private constructor(
		readonly page: Page,
		private readonly context: BrowserContext,
		private readonly server: Harness.CodeServer,
		readonly workspace: string,
		private readonly consoleLog: fs.WriteStream,
	) {}

	/**
	 * Starts code-server with the built extension installed (as `npm start` does), opens it in Chromium, signs in
	 * with the password of this start and trusts the folder.
	 */
	static async open(options: WorkbenchOptions): Promise<Workbench> {
		const stateDir = harness.freshDir(path.join(root, '.cache', 'vscode-test', options.name));
		const workspace = path.join(stateDir, 'workspace');
		fs.mkdirSync(workspace, { recursive: true });
		for (const [rel, text] of Object.entries(options.files ?? {})) {
			fs.mkdirSync(path.dirname(path.join(workspace, rel)), { recursive: true });
			fs.writeFileSync(path.join(workspace, rel), text);
		}
		const extensionsDir = path.join(stateDir, 'extensions');
		harness.installExtension(extensionsDir);
		const logsDir = path.join(root, 'test-results', 'logs');
		fs.mkdirSync(logsDir, { recursive: true });
		const server = await harness.startCodeServer({ stateDir, workspace, extensionsDir, settings: options.settings, logFile: path.join(logsDir, `${options.name}-code-server.log`) });
		let context: BrowserContext | undefined;
		try {
			context = await harness.launchChromium(path.join(stateDir, 'chromium'));
			const page = context.pages()[0] ?? await context.newPage();
			const consoleLog = fs.createWriteStream(path.join(logsDir, `${options.name}-browser.log`));
			page.on('console', (m) => consoleLog.write(`[${m.type()}] ${m.text()}\n`));
			page.on('pageerror', (e) => consoleLog.write(`[pageerror] ${e.message}\n`));
			// As a user does: the workbench URL leads to the login page, the password leads to the workbench, which asks
			// whether to trust the folder (trust is on), and the user trusts the files they wrote.
			// Generous: on a busy 2-core machine the workbench can take a minute to come up.
			await harness.signIn(page, harness.payloadUrl(server.baseUrl, workspace), server.password, { timeoutMs: 120000 });
			await page.locator('.monaco-workbench').waitFor({ timeout: 120000 });
			await harness.trustFolder(page, { timeoutMs: 120000 });
			return new Workbench(page, context, server, workspace, consoleLog);
		} catch (err) {
			await context?.close().catch(() => undefined);
			await server.stop();
			throw err;
		}
	}

	async close(): Promise<void> {
		await Promise.race([this.context.close().catch(() => undefined), new Promise((r) => setTimeout(r, 5000))]);
		await this.server.stop();
		this.consoleLog.end();
	}

	/** The activity-bar entry of a view container, e.g. "Graph Calls". */
	activityItem(title: string): Locator {
		return this.page.locator(`.part.activitybar .action-item a[aria-label^="${title}"], .part.activitybar .action-item .action-label[aria-label^="${title}"]`).first();
	}

	/** Shows a view container in the side bar; clicking its icon when it is already shown would hide it. */
	async showViewContainer(title: string): Promise<void> {
		const sidebarTitle = this.page.locator('.part.sidebar .composite.title');
		if (await sidebarTitle.isVisible() && (await sidebarTitle.innerText()).toUpperCase().includes(title.toUpperCase())) return;
		const icon = this.activityItem(title);
		await icon.waitFor({ timeout: 90000 });
		await icon.click();
		await this.page.locator('.part.sidebar .composite.title', { hasText: new RegExp(title, 'i') }).waitFor({ timeout: 15000 });
	}

	/** Saves a full-window screenshot as test-results/screenshots/<name>.png and returns its path. */
	async screenshot(name: string): Promise<string> {
		fs.mkdirSync(screenshotsDir, { recursive: true });
		const file = path.join(screenshotsDir, `${name}.png`);
		await this.page.screenshot({ path: file });
		return file;
	}

	/** Runs a command from the palette by its full title ("Graph Calls: Show Log"), as a person would with F1. */
	async runCommand(title: string, options: { opensQuickInput?: boolean } = {}): Promise<void> {
		const input = this.page.locator('.quick-input-widget .quick-input-box input');
		// Pick the row whose label is exactly the title: fuzzy matching also lists longer titles, maybe first.
		const exact = new RegExp(`^\\s*${title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`);
		const row = this.page.locator('.quick-input-widget .monaco-list-row').filter({ has: this.page.locator('.label-name', { hasText: exact }) }).first();
		// A view that redraws (the calls tree polls) can take focus and close the palette: try again then.
		for (let attempt = 1; ; attempt++) {
			try {
				await this.page.keyboard.press('F1');
				await input.waitFor({ state: 'visible', timeout: 10000 });
				await input.fill(`>${title}`, { timeout: 5000 });
				await row.waitFor({ timeout: 15000 });
				await row.click({ timeout: 5000 });
				break;
			} catch (err) {
				if (attempt === 3) throw err;
				await this.page.keyboard.press('Escape');
			}
		}
		// A command that asks something next reuses the same quick input: then the caller waits for its prompt.
		if (!options.opensQuickInput) await input.waitFor({ state: 'hidden', timeout: 10000 });
	}

	/** Clicks the quick-pick row whose text contains `text` (waits for it: items may load from the network). */
	async pickQuickItem(text: string | RegExp, timeout = 30000): Promise<void> {
		const row = this.page.locator('.quick-input-widget .monaco-list-row', { hasText: text }).first();
		await row.waitFor({ timeout });
		await row.click();
	}

	/** Types into the open input box and accepts it. */
	async answerInputBox(value: string): Promise<void> {
		const input = this.page.locator('.quick-input-widget .quick-input-box input');
		await input.waitFor({ state: 'visible', timeout: 15000 });
		await input.fill(value);
		await input.press('Enter');
	}

	/** Waits until no quick input is open (the command took its last answer). */
	async quickInputClosed(timeout = 15000): Promise<void> {
		await this.page.locator('.quick-input-widget .quick-input-box input').waitFor({ state: 'hidden', timeout });
	}

	/** A row of a tree in the side bar whose text (label and description) matches. */
	treeRow(text: string | RegExp): Locator {
		return this.page.locator('.part.sidebar .monaco-list-row', { hasText: text }).first();
	}

	/** A status bar entry whose text matches. */
	statusBarItem(text: string | RegExp): Locator {
		return this.page.locator('.part.statusbar .statusbar-item', { hasText: text }).first();
	}

	/** The notification center's messages (toasts and the center), joined. */
	async notificationsText(): Promise<string> {
		return (await this.page.locator('.notification-list-item-message').allInnerTexts()).join('\n');
	}

	/** Opens a workspace file with Quick Open (Ctrl+P) and waits for its editor tab. */
	async openFile(relativePath: string): Promise<void> {
		const input = this.page.locator('.quick-input-widget .quick-input-box input');
		await this.page.keyboard.press('Control+P');
		await input.waitFor({ state: 'visible', timeout: 10000 });
		await input.fill(relativePath);
		await this.page.locator('.quick-input-widget .monaco-list-row', { hasText: path.basename(relativePath) }).first().waitFor({ timeout: 15000 });
		await input.press('Enter');
		await this.page.locator(`.tabs-container .tab[aria-label^="${path.basename(relativePath)}"]`).first().waitFor({ timeout: 15000 });
	}

	/** The text of the Output panel's editor (the lines Monaco has rendered). */
	async outputText(): Promise<string> {
		const lines = this.page.locator('.part.panel .output-view .view-lines .view-line');
		await lines.first().waitFor({ timeout: 15000 });
		return (await lines.allInnerTexts()).join('\n').replace(/\u00a0/g, ' ');
	}

	/** The channel currently shown in the Output panel, from its channel picker. */
	async outputChannel(): Promise<string> {
		const picker = this.page.locator('.part.panel .monaco-select-box, .part.panel select.monaco-select-box').first();
		await picker.waitFor({ timeout: 15000 });
		// Runs in the page; lib has no DOM types here.
		return (await picker.evaluate((el: any) => (el.tagName === 'SELECT' ? el.selectedOptions[0]?.textContent : el.getAttribute('title') ?? el.textContent) ?? '')).trim();
	}
}
