import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import * as vscode from 'vscode';
import { EmulatorControl } from '../../core/scenarios/emulatorControl';
import { PersonControl } from '../../core/softphone/personControl';
import { PhoneRecorder } from '../../core/softphone/phoneRecorder';
import type { PhoneCall, PhonePerson, PhoneView } from '../../core/softphone/phoneView';
import type { UserInput } from '../shared/userInput';

export const SOFTPHONE_VIEW_TYPE = 'graphCalls.softphone';

/** How often an open softphone reads the emulator's state: quick enough that a ring feels immediate. */
const POLL_MS = 400;
/** Largest local prompt file the panel plays (WAV prompts are seconds long; anything bigger is not a prompt). */
const MAX_AUDIO_BYTES = 8 * 1024 * 1024;

/** Messages the page sends (media/softphone/softphone.js); nothing in them is trusted. */
type FromWebview =
	| { type: 'ready' }
	| { type: 'callBot'; appId?: unknown }
	| { type: 'callAction'; action?: unknown; callId?: unknown; keys?: unknown }
	| { type: 'ringAction'; action?: unknown; ringId?: unknown }
	| { type: 'joinMeeting'; joinUrl?: unknown }
	| { type: 'playAudio'; uri?: unknown }
	| { type: 'saveScenario' };

export interface SoftphoneDeps {
	readonly extensionUri: vscode.Uri;
	/** Where the running emulator's control API is and which CA it uses; undefined when it does not run. */
	readonly emulator: () => { controlUrl: string; caCertPem: string; clientId: string } | undefined;
	/** The callback URL the workbench's own bot (the extension) answers calls on, for calls to the emulator's app. */
	readonly callbackUri: () => string | undefined;
	readonly input: () => UserInput;
	readonly log: vscode.LogOutputChannel;
}

/**
 * A phone for one emulated person or PSTN number: calls the bot, rings when the bot calls, has a keypad, hold and
 * hang up, and shows what the bot is doing to this person. It acts through the emulator's control API, as the
 * scenario runner's people do, and reads the emulator's state to show the calls.
 */
export class SoftphonePanel implements vscode.Disposable {
	private readonly panel: vscode.WebviewPanel;
	private readonly control: EmulatorControl;
	private readonly person: PersonControl;
	private readonly recorder: PhoneRecorder;
	private readonly disposables: vscode.Disposable[] = [];
	private timer: NodeJS.Timeout | undefined;
	private view: PhoneView | undefined;
	private polling = false;
	/** The person's behaviour before the panel made their phone ring for real ("manual"); given back on close. */
	private previousBehaviour: string | undefined;
	private readonly _onDidDispose = new vscode.EventEmitter<void>();
	readonly onDidDispose = this._onDidDispose.event;

	constructor(readonly who: PhonePerson, private readonly deps: SoftphoneDeps) {
		const emulator = deps.emulator();
		if (!emulator) throw new Error('The local emulator is not running.');
		this.control = new EmulatorControl(emulator.controlUrl, emulator.caCertPem);
		this.person = new PersonControl(who, this.control);
		this.recorder = new PhoneRecorder(who);
		this.disposables.push(this.person.onDidAct((a) => this.recorder.action(a)));
		const media = vscode.Uri.joinPath(deps.extensionUri, 'media', 'softphone');
		const codicons = vscode.Uri.joinPath(deps.extensionUri, 'media', 'reference', 'codicons');
		this.panel = vscode.window.createWebviewPanel(SOFTPHONE_VIEW_TYPE, `Softphone: ${who.displayName}`, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: false }, {
			enableScripts: true,
			retainContextWhenHidden: true,
			localResourceRoots: [media, codicons],
		});
		this.panel.iconPath = new vscode.ThemeIcon('device-mobile');
		this.panel.webview.html = this.html(this.panel.webview, media, codicons);
		this.panel.onDidDispose(() => this.dispose(), undefined, this.disposables);
		this.panel.onDidChangeViewState(() => this.schedule(), undefined, this.disposables);
		this.panel.webview.onDidReceiveMessage((m: FromWebview) => void this.onMessage(m), undefined, this.disposables);
		void this.takeThePhone();
		this.schedule();
	}

	/** While the panel is open, calls to this person ring here until answered or declined. */
	private async takeThePhone(): Promise<void> {
		try {
			const view = await this.person.view();
			if (view.behaviour !== 'manual') {
				this.previousBehaviour = view.behaviour;
				await this.person.setBehaviour('manual');
			}
		} catch (err) {
			this.deps.log.warn(`Softphone (${this.who.displayName}): calls to this person keep their directory behaviour: ${(err as Error).message}`);
		}
	}

	reveal(): void {
		this.panel.reveal();
	}

	/** Reads the state again now and then every POLL_MS while the panel is visible. */
	private schedule(): void {
		if (this.timer) clearTimeout(this.timer);
		this.timer = undefined;
		void this.poll();
	}

	private async poll(): Promise<void> {
		if (this.polling) return;
		this.polling = true;
		try {
			const view = await this.person.view();
			this.view = view;
			this.recorder.observe(view);
			void this.panel.webview.postMessage({ type: 'view', view, canSave: this.recorder.hasCall });
		} catch (err) {
			void this.panel.webview.postMessage({ type: 'offline', message: `The emulator does not answer (${(err as Error).message}). Start it with "Graph Calls: Use Local Emulator"; this phone reconnects by itself.` });
		} finally {
			this.polling = false;
			if (!this.disposed) this.timer = setTimeout(() => void this.poll(), this.panel.visible ? POLL_MS : POLL_MS * 5);
		}
	}

	private findCall(callId: unknown): PhoneCall {
		const call = this.view?.calls.find((c) => c.callId === callId);
		if (!call) throw new Error('That call has ended.');
		return call;
	}

	private async onMessage(m: FromWebview): Promise<void> {
		try {
			switch (m.type) {
				case 'ready':
					this.schedule();
					return;
				case 'callBot': {
					const emulator = this.deps.emulator();
					const appId = typeof m.appId === 'string' && m.appId ? m.appId : emulator?.clientId;
					// The workbench itself is the emulator's default bot: its calls go to the receiver's callback URL.
					const callbackUri = appId === emulator?.clientId ? this.deps.callbackUri() : undefined;
					await this.person.callBot(appId, callbackUri);
					break;
				}
				case 'callAction':
					await this.callAction(String(m.action), this.findCall(m.callId), typeof m.keys === 'string' ? m.keys : '');
					break;
				case 'ringAction': {
					const ring = this.view?.rings.find((r) => r.ringId === m.ringId);
					if (!ring) throw new Error('That call stopped ringing.');
					await (m.action === 'decline' ? this.person.decline(ring) : this.person.answer(ring));
					break;
				}
				case 'joinMeeting':
					await this.person.joinMeeting(String(m.joinUrl ?? ''));
					break;
				case 'playAudio':
					await this.playAudio(String(m.uri ?? ''));
					return;
				case 'saveScenario':
					await this.saveScenario();
					return;
			}
			this.schedule();
		} catch (err) {
			if (err instanceof Error && err.name === 'UserCancelledError') return;
			const message = err instanceof Error ? err.message : String(err);
			this.deps.log.error(`Softphone (${this.who.displayName}): ${message}`);
			void this.panel.webview.postMessage({ type: 'error', message });
		}
	}

	private async callAction(action: string, call: PhoneCall, keys: string): Promise<void> {
		switch (action) {
			case 'press':
				return this.person.press(call, keys);
			case 'hold':
				return this.person.hold(call);
			case 'resume':
				return this.person.resume(call);
			case 'hangUp':
				return this.person.hangUp(call);
			case 'mute':
				return this.person.setMuted(call, true);
			case 'unmute':
				return this.person.setMuted(call, false);
			default:
				throw new Error(`The softphone cannot "${action}" yet.`);
		}
	}

	/** Plays a prompt the emulator reports when its audio is on this machine: a file: or data: URI. */
	private async playAudio(uri: string): Promise<void> {
		let bytes: Buffer;
		if (uri.startsWith('data:')) {
			const comma = uri.indexOf(',');
			bytes = Buffer.from(decodeURIComponent(uri.slice(comma + 1)), /;base64$/.test(uri.slice(0, comma)) ? 'base64' : 'utf8');
		} else if (uri.startsWith('file:')) {
			bytes = await readFile(vscode.Uri.parse(uri).fsPath);
		} else {
			throw new Error(`Only prompts stored on this machine (file: or data: URIs) can be played here; ${uri.slice(0, 200)} is on a server the bot names, which Graph fetches, not the workbench.`);
		}
		if (bytes.length > MAX_AUDIO_BYTES) throw new Error(`The prompt is ${Math.round(bytes.length / 1024 / 1024)} MB; the softphone plays prompts up to 8 MB.`);
		void this.panel.webview.postMessage({ type: 'audio', base64: bytes.toString('base64') });
	}

	private async saveScenario(): Promise<void> {
		const yaml = this.recorder.toScenarioYaml();
		const name = `${this.who.displayName.toLowerCase().replace(/[^a-z0-9]+/g, '-')}-calls-the-bot.yaml`;
		const uri = await this.deps.input().showSaveDialog({
			title: 'Save the call as a scenario',
			defaultUri: vscode.Uri.joinPath(await scenarioFolder(), name),
			filters: { 'Scenario (YAML)': ['yaml', 'yml'] },
		});
		await vscode.workspace.fs.writeFile(uri, Buffer.from(yaml, 'utf8'));
		this.deps.log.info(`Softphone: saved ${this.who.displayName}'s call as the scenario ${uri.fsPath}.`);
		await vscode.window.showTextDocument(uri, { preview: false });
	}

	private html(webview: vscode.Webview, media: vscode.Uri, codicons: vscode.Uri): string {
		const nonce = randomBytes(16).toString('base64');
		const asset = (base: vscode.Uri, ...p: string[]) => webview.asWebviewUri(vscode.Uri.joinPath(base, ...p)).toString();
		const csp = [
			"default-src 'none'",
			`style-src ${webview.cspSource}`,
			`font-src ${webview.cspSource}`,
			// Prompts arrive as bytes and play from a blob: the page itself fetches nothing.
			'media-src blob:',
			`script-src 'nonce-${nonce}'`,
		].join('; ');
		return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${asset(codicons, 'codicon.css')}">
<link rel="stylesheet" href="${asset(media, 'softphone.css')}">
<title>Softphone</title>
</head>
<body data-person-kind="${this.who.kind}">
<main class="phone" aria-label="Softphone for ${escapeAttr(this.who.displayName)}">
	<header class="who">
		<span class="codicon codicon-${this.who.kind === 'phone' ? 'device-mobile' : 'account'}" aria-hidden="true"></span>
		<div>
			<h1 id="name"></h1>
			<p id="number" class="muted"></p>
		</div>
	</header>
	<p id="status" class="status" role="status" aria-live="polite">Connecting to the emulator…</p>
	<p id="error" class="error" role="alert" hidden></p>
	<section id="ring" class="ring" hidden aria-label="Incoming call">
		<p id="ringText"></p>
		<button id="answer" type="button" class="answer"><span class="codicon codicon-call-incoming" aria-hidden="true"></span>Answer</button>
		<button id="decline" type="button" class="decline"><span class="codicon codicon-call-outgoing" aria-hidden="true"></span>Decline</button>
	</section>
	<section id="dial" class="dial" aria-label="Call">
		<div class="row">
			<label for="app">Call</label>
			<select id="app"></select>
			<button id="callBot" type="button" class="answer"><span class="codicon codicon-call-outgoing" aria-hidden="true"></span>Call</button>
		</div>
		<div class="row">
			<label for="joinUrl">Join</label>
			<input id="joinUrl" type="url" placeholder="Meeting join URL" aria-label="Meeting join URL" spellcheck="false">
			<button id="join" type="button"><span class="codicon codicon-organization" aria-hidden="true"></span>Join</button>
		</div>
	</section>
	<section id="call" class="call" hidden aria-label="Current call">
		<div class="call-head">
			<strong id="callTitle"></strong>
			<span id="callState" class="badge"></span>
			<span id="duration" class="muted" aria-label="Call duration"></span>
		</div>
		<ul id="activity" class="activity" aria-label="What the bot is doing"></ul>
		<div id="keypad" class="keypad" role="group" aria-label="Keypad (or type 0-9, * and #)"></div>
		<p id="sent" class="muted" aria-live="polite"></p>
		<div class="controls">
			<button id="mute" type="button"><span class="codicon codicon-mic" aria-hidden="true"></span><span class="label">Mute</span></button>
			<button id="hold" type="button"><span class="codicon codicon-debug-pause" aria-hidden="true"></span><span class="label">Hold</span></button>
			<button id="hangUp" type="button" class="decline"><span class="codicon codicon-call-outgoing" aria-hidden="true"></span>Hang up</button>
		</div>
	</section>
	<footer class="footer">
		<button id="saveScenario" type="button" disabled title="Save what you did and what the bot did as a scenario file"><span class="codicon codicon-save" aria-hidden="true"></span>Save as scenario</button>
	</footer>
</main>
<script nonce="${nonce}">window.softphonePerson = ${JSON.stringify({ kind: this.who.kind, id: this.who.id, displayName: this.who.displayName }).replace(/</g, '\\u003c')};</script>
<script nonce="${nonce}" src="${asset(media, 'softphone.js')}"></script>
</body>
</html>`;
	}

	private disposed = false;

	dispose(): void {
		if (this.disposed) return;
		this.disposed = true;
		if (this.timer) clearTimeout(this.timer);
		// The person answers calls by their directory behaviour again once nobody holds their phone.
		const restored = this.previousBehaviour ? this.person.setBehaviour(this.previousBehaviour).catch(() => undefined) : Promise.resolve();
		this.panel.dispose();
		this.person.dispose();
		void restored.finally(() => this.control.dispose());
		for (const d of this.disposables.splice(0)) d.dispose();
		this._onDidDispose.fire();
		this._onDidDispose.dispose();
	}
}

/** The workspace's scenarios/ folder when it has one, else the workspace itself (or the home folder without one). */
async function scenarioFolder(): Promise<vscode.Uri> {
	const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
	if (!folder) return vscode.Uri.file(homedir());
	const scenarios = vscode.Uri.joinPath(folder, 'scenarios');
	try {
		if ((await vscode.workspace.fs.stat(scenarios)).type & vscode.FileType.Directory) return scenarios;
	} catch {
		// no scenarios/ folder: the workspace root
	}
	return folder;
}

function escapeAttr(s: string): string {
	return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
