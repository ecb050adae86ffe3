import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { TenantProfile } from '../../core/auth/tenantProfile';
import { CallbackInspector, type NotificationSink } from '../../core/callbacks/callbackInspector';
import { callbackUriFor, CallbackUrlMissingError } from '../../core/callbacks/callbackUri';
import { pointEmulatorAtReceiver } from '../../core/callbacks/emulatorCallingWebhook';
import { recordToJson, redactSecrets, type DeliveryOutcome, type NotificationRecord } from '../../core/callbacks/notificationRecord';
import { RejectionLog } from '../../core/callbacks/rejectionLog';
import { Disposable } from '../../core/lifecycle';
import type { QuickPickItemWithData, UserInput } from '../shared/userInput';
import { NotificationsStatusBar } from './notificationsStatusBar';
import { NotificationsTreeProvider, type NotificationNode } from './notificationsTreeProvider';
import { registerCommand } from '../shared/registerCommand';

/** What the callback services need from the rest of the extension. */
export interface CallbackDeps {
	readonly profiles: { readonly active: TenantProfile | undefined; readonly onDidChangeActive: vscode.Event<TenantProfile | undefined> };
	/** The CallStore: accepted notifications are applied to it. */
	readonly callStore: NotificationSink;
	readonly input: () => UserInput;
	readonly log: vscode.LogOutputChannel;
}

/** Typed reads of the callback settings. */
function settings() {
	const c = vscode.workspace.getConfiguration('graphCalls');
	return {
		port: c.get<number>('receiver.port', 0),
		callbackUrl: c.get<string>('callbackUrl', '').trim(),
		relayTarget: c.get<string>('relay.target', '').trim(),
		relaxFor: c.get<string[]>('receiver.relaxValidation', []),
	};
}

const REPLAY_DIR = path.join(os.tmpdir(), 'graph-calls-replay');
const REPLAY_FILE = /^notification-(n\d+)\.replay\.json$/;

/**
 * The callback receiver in VS Code: the inspector (receiver, validation, history, relay) configured from the
 * settings and the active profile, the Notifications view, the status bar item, and the callbackUri the call
 * commands send.
 */
export class CallbackServices extends Disposable {
	readonly inspector: CallbackInspector;
	readonly tree: NotificationsTreeProvider;
	readonly statusBar: NotificationsStatusBar;
	/** Outcome of the last replay, for tests. */
	lastReplay: DeliveryOutcome | undefined;
	private warnedRelaxed = new Set<string>();
	/** Rejections (forged or malformed requests) are logged at a bounded rate: a flood never floods the log. */
	private readonly rejections: RejectionLog;

	constructor(readonly deps: CallbackDeps) {
		super();
		this.rejections = new RejectionLog((line) => deps.log.warn(line));
		this._register({ dispose: () => this.rejections.flush() });
		this.inspector = this._register(
			new CallbackInspector({
				security: () => ({ profile: deps.profiles.active, relaxed: !!this.relaxedProfile() }),
				sink: () => deps.callStore,
				relayTarget: settings().relayTarget || undefined,
			}),
		);
		this.tree = this._register(new NotificationsTreeProvider(this.inspector.history));
		const configChanged = new vscode.EventEmitter<void>();
		this._register(configChanged);
		this.statusBar = this._register(new NotificationsStatusBar(this.inspector, () => this.relaxedProfile(), [deps.profiles.onDidChangeActive, configChanged.event, this.inspector.relay.onDidDeliver]));
		this._register(vscode.window.createTreeView('graphCalls.notifications', { treeDataProvider: this.tree }));

		this._register(this.inspector.onDidRecord((r) => this.logRecord(r)));
		this._register(this.inspector.onDidFailToApply(({ record, error }) => deps.log.error(`notification ${record.id}: the CallStore could not apply it: ${(error as Error)?.message ?? String(error)}`)));
		this._register(this.inspector.onDidChangeState((s) => void vscode.commands.executeCommand('setContext', 'graphCalls.receiver.running', s.running)));
		this._register(
			vscode.workspace.onDidChangeConfiguration((e) => {
				if (e.affectsConfiguration('graphCalls.relay.target')) this.inspector.relay.target = settings().relayTarget || undefined;
				if (e.affectsConfiguration('graphCalls.receiver.relaxValidation')) this.warnIfRelaxed();
				if (e.affectsConfiguration('graphCalls.receiver.port') && this.inspector.isRunning) {
					void vscode.window.showInformationMessage('The receiver port changed: stop and start the receiver to use it.');
				}
				if (e.affectsConfiguration('graphCalls')) configChanged.fire();
			}),
		);
		// The emulator posts to the receiver directly: have it listening whenever the emulator profile is active.
		this._register(deps.profiles.onDidChangeActive((p) => this.onProfile(p)));
		setImmediate(() => this.onProfile(deps.profiles.active));
		void vscode.commands.executeCommand('setContext', 'graphCalls.receiver.running', false);
	}

	/** The active profile's name when validation is relaxed for it (by name or id). */
	relaxedProfile(): string | undefined {
		const p = this.deps.profiles.active;
		if (!p) return settings().relaxFor.includes('*') ? '(no profile)' : undefined;
		const list = settings().relaxFor;
		return list.includes(p.name) || list.includes(p.id) || list.includes('*') ? p.name : undefined;
	}

	/** The callbackUri for create and answer, starting the receiver first when the emulator needs it. */
	callbackUri(profile: TenantProfile): string {
		try {
			return callbackUriFor(profile, this.inspector, settings().callbackUrl);
		} catch (err) {
			if (!(err instanceof CallbackUrlMissingError)) throw err;
			const actions = profile.emulator
				? [{ title: 'Start Callback Receiver', run: () => vscode.commands.executeCommand('graphCalls.receiver.start') }]
				: [{ title: 'Open Settings', run: () => vscode.commands.executeCommand('workbench.action.openSettings', 'graphCalls.callbackUrl') }];
			throw Object.assign(err, { actions });
		}
	}

	async start(): Promise<string> {
		const url = await this.inspector.start({ port: settings().port });
		this.deps.log.info(`Callback receiver listening at ${url}`);
		this.warnIfRelaxed();
		void this.pointEmulator(this.deps.profiles.active);
		return url;
	}

	private onProfile(p: TenantProfile | undefined): void {
		this.warnIfRelaxed();
		if (p?.emulator && !this.inspector.isRunning && !this.isDisposed) {
			this.start().catch((err: Error) => this.deps.log.warn(`The callback receiver did not start for the emulator profile: ${err.message}`));
		} else {
			void this.pointEmulator(p);
		}
	}

	/** The emulator's incoming calls (scenarios, control API) go to the app's calling webhook: make it the receiver. */
	private async pointEmulator(p: TenantProfile | undefined): Promise<void> {
		const url = this.inspector.url;
		if (!p?.emulator || !url) return;
		try {
			await pointEmulatorAtReceiver(p.emulator, p.clientId, url);
			this.deps.log.debug(`The emulator's calling webhook for ${p.clientId} is now ${url}`);
		} catch (err) {
			this.deps.log.info((err as Error).message);
		}
	}

	private warnIfRelaxed(): void {
		const name = this.relaxedProfile();
		if (!name || this.warnedRelaxed.has(name) || !this.inspector.isRunning) return;
		this.warnedRelaxed.add(name);
		const message = `Callback token validation is RELAXED for profile "${name}": notifications with invalid or missing tokens are accepted. Use this for debugging only.`;
		this.deps.log.warn(message);
		void vscode.window.showWarningMessage(message, 'Open Settings').then((c) => {
			if (c) void vscode.commands.executeCommand('workbench.action.openSettings', 'graphCalls.receiver.relaxValidation');
		});
	}

	private logRecord(r: NotificationRecord): void {
		const what = r.summaries.map((s) => `${s.changeType} ${s.resourceUrl}${s.state ? ` ${s.state}` : ''}${s.operationStatus ? ` ${s.operationStatus}` : ''}`).join('; ') || `${r.method} ${r.path}`;
		if (!r.accepted) this.rejections.rejected(`notification ${r.id} rejected with ${r.responseStatus}: ${r.reason ?? ''} (${what})`);
		else if (!r.valid) this.deps.log.warn(`notification ${r.id} accepted with an INVALID token (validation relaxed): ${r.reason ?? ''} (${what})`);
		else this.deps.log.debug(`notification ${r.id}: ${what}`);
	}
}

function recordOf(services: CallbackServices, node: unknown): NotificationRecord | undefined {
	const id = (node as NotificationNode | undefined)?.recordId;
	return typeof id === 'string' ? services.inspector.history.get(id) : undefined;
}

async function pickRecord(services: CallbackServices, input: UserInput, node: unknown, title: string): Promise<NotificationRecord> {
	const fromNode = recordOf(services, node);
	if (fromNode) return fromNode;
	const records = services.inspector.history.list({ callId: services.tree.filter }).slice(0, 200);
	if (!records.length) throw Object.assign(new Error('No notifications received yet.'), { explanation: 'Start the callback receiver and make or receive a call.' });
	const items: QuickPickItemWithData<NotificationRecord>[] = records.map((r) => ({
		label: `${new Date(r.receivedAt).toLocaleTimeString(undefined, { hour12: false })} ${r.summaries[0]?.changeType ?? r.method} ${r.summaries[0]?.resourceUrl ?? r.path}`,
		description: `${r.responseStatus}${r.summaries[0]?.state ? ` ${r.summaries[0].state}` : ''}${r.valid ? '' : ' invalid'}`,
		data: r,
	}));
	return (await input.showQuickPick(items, { title, placeHolder: 'Pick a notification', step: 'notification' })).data;
}

async function openJson(value: unknown): Promise<vscode.TextEditor> {
	const doc = await vscode.workspace.openTextDocument({ language: 'json', content: JSON.stringify(value, null, 2) });
	return vscode.window.showTextDocument(doc, { preview: true });
}

function report(services: CallbackServices, outcome: DeliveryOutcome): void {
	services.lastReplay = outcome;
	if (outcome.status !== undefined) void vscode.window.showInformationMessage(`Replayed to ${outcome.target}: the bot answered ${outcome.status} in ${outcome.durationMs} ms.`);
	else throw Object.assign(new Error(outcome.error ?? 'The replay failed.'), { actions: [{ title: 'Configure Relay Target', run: () => vscode.commands.executeCommand('graphCalls.relay.configure') }] });
}

export function registerCallbackCommands(services: CallbackServices, input: () => UserInput): vscode.Disposable[] {
	const { inspector } = services;
	return [
		registerCommand('graphCalls.receiver.start', async () => {
			const url = await services.start();
			const active = services.deps.profiles.active;
			const hint = active && !active.emulator && !settings().callbackUrl && !active.callbackUrl ? ` Graph cannot reach 127.0.0.1: forward a tunnel to port ${new URL(url).port} and set "graphCalls.callbackUrl" to its https URL.` : '';
			void vscode.window.showInformationMessage(`Callback receiver listening at ${url}.${hint}`);
			return url;
		}),
		registerCommand('graphCalls.receiver.stop', async () => {
			await inspector.stop();
			services.deps.log.info('Callback receiver stopped.');
		}),
		registerCommand('graphCalls.receiver.copyUrl', async () => {
			const url = inspector.url;
			if (!url) throw Object.assign(new Error('The callback receiver is not running.'), { actions: [{ title: 'Start Callback Receiver', run: () => vscode.commands.executeCommand('graphCalls.receiver.start') }] });
			await vscode.env.clipboard.writeText(url);
			void vscode.window.showInformationMessage(`Copied ${url}`);
		}),
		registerCommand('graphCalls.receiver.relaxValidation', async () => {
			const profile = services.deps.profiles.active;
			if (!profile) throw new Error('No active profile: choose a profile first; validation is relaxed per profile.');
			const config = vscode.workspace.getConfiguration('graphCalls');
			const list = config.get<string[]>('receiver.relaxValidation', []);
			const relaxed = list.includes(profile.name) || list.includes(profile.id);
			if (relaxed) {
				await config.update('receiver.relaxValidation', list.filter((n) => n !== profile.name && n !== profile.id), vscode.ConfigurationTarget.Global);
				void vscode.window.showInformationMessage(`Callback token validation is enforced again for "${profile.name}".`);
				return;
			}
			await input().showWarningMessage(
				`Relax callback token validation for "${profile.name}"? Notifications with forged, expired or missing tokens will be accepted (still marked invalid). Anyone who can reach the receiver could then drive your calls tree. Use it only to debug.`,
				{ modal: true },
				'Relax Validation',
			);
			await config.update('receiver.relaxValidation', [...list, profile.name], vscode.ConfigurationTarget.Global);
		}),
		registerCommand('graphCalls.notifications.openJson', async (node?: unknown) => {
			const record = await pickRecord(services, input(), node, 'Open notification as JSON');
			const index = (node as NotificationNode | undefined)?.index;
			const json = recordToJson(record) as Record<string, unknown>;
			await openJson(index !== undefined ? { ...json, body: redactSecrets(record.notifications[index]) } : json);
		}),
		registerCommand('graphCalls.notifications.filter', async (node?: unknown) => {
			let callId = (node as NotificationNode | undefined)?.callId;
			if (!callId) {
				const ids = inspector.history.callIds();
				const items: QuickPickItemWithData<string | undefined>[] = [{ label: 'All calls', data: undefined }, ...ids.map((id) => ({ label: id, data: id }))];
				callId = (await input().showQuickPick(items, { title: 'Show notifications for', placeHolder: ids.length ? 'Pick a call' : 'No call ids in the notifications yet', step: 'filter' })).data;
			}
			services.tree.setFilter(callId);
		}),
		registerCommand('graphCalls.notifications.clearFilter', () => services.tree.setFilter(undefined)),
		registerCommand('graphCalls.notifications.clear', () => inspector.history.clear()),
		registerCommand('graphCalls.notifications.export', async () => {
			if (!inspector.history.size) throw new Error('There are no notifications to export yet.');
			const filter = services.tree.filter;
			const uri = await input().showSaveDialog({
				title: 'Export notifications as JSON',
				filters: { JSON: ['json'] },
				defaultUri: vscode.Uri.file(path.join(os.homedir(), `graph-notifications-${new Date().toISOString().replace(/[:.]/g, '-')}.json`)),
			});
			await vscode.workspace.fs.writeFile(uri, Buffer.from(inspector.history.toJson({ callId: filter }), 'utf8'));
			void vscode.window.showInformationMessage(`Exported ${inspector.history.list({ callId: filter }).length} notifications (tokens redacted) to ${uri.fsPath}.`);
			return uri;
		}),
		registerCommand('graphCalls.relay.configure', async () => {
			const current = settings().relayTarget;
			const value = (await input().showInputBox({
				title: 'Relay notifications to your bot',
				prompt: 'Your bot\'s calling endpoint: every accepted notification is forwarded there unchanged, with its headers. Leave empty to stop relaying.',
				value: current || 'http://localhost:5000/api/calling',
				validateInput: (v) => {
					if (!v.trim()) return undefined;
					try {
						const u = new URL(v.trim());
						return u.protocol === 'http:' || u.protocol === 'https:' ? undefined : 'Use an http or https URL.';
					} catch {
						return 'Enter an absolute URL such as http://localhost:5000/api/calling.';
					}
				},
				step: 'relayTarget',
			})).trim();
			await vscode.workspace.getConfiguration('graphCalls').update('relay.target', value, vscode.ConfigurationTarget.Global);
			inspector.relay.target = value || undefined;
			void vscode.window.showInformationMessage(value ? `Relaying accepted notifications to ${value}.` : 'Relay turned off.');
		}),
		registerCommand('graphCalls.notifications.replay', async (node?: unknown) => {
			const record = await pickRecord(services, input(), node, 'Replay notification to the relay target');
			if (!inspector.relay.target) {
				await vscode.commands.executeCommand('graphCalls.relay.configure');
				if (!inspector.relay.target) return undefined;
			}
			const how = await input().showQuickPick(
				[
					{ label: 'Send as captured', description: `to ${inspector.relay.target}`, data: 'asIs' as const },
					{ label: 'Edit, then send', description: 'opens the body in an editor; send it with the editor\'s Send button', data: 'edit' as const },
				],
				{ title: 'Replay notification', step: 'replayMode' },
			);
			if (how.data === 'asIs') {
				const outcome = await inspector.replay(record);
				report(services, outcome);
				return outcome;
			}
			await fs.mkdir(REPLAY_DIR, { recursive: true });
			const file = path.join(REPLAY_DIR, `notification-${record.id}.replay.json`);
			let body = record.body;
			try {
				body = JSON.stringify(JSON.parse(record.body), null, 2);
			} catch {
				// Keep malformed bodies as they came: replaying them is a legitimate test.
			}
			await fs.writeFile(file, body, 'utf8');
			const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
			await vscode.window.showTextDocument(doc);
			void vscode.window.showInformationMessage('Edit the notification, then click "Send Edited Notification" in the editor title bar.');
			return doc.uri;
		}),
		registerCommand('graphCalls.notifications.sendEdited', async (uri?: vscode.Uri) => {
			const target = uri instanceof vscode.Uri ? uri : vscode.window.activeTextEditor?.document.uri;
			const m = target ? REPLAY_FILE.exec(path.basename(target.fsPath)) : null;
			if (!target || !m) throw new Error('Open a notification with "Replay Notification" → "Edit, then send" first; this sends that editor\'s text.');
			const record = inspector.history.get(m[1]);
			if (!record) throw new Error(`Notification ${m[1]} is no longer in the history (it was cleared), so its headers are gone. Replay another one.`);
			const doc = await vscode.workspace.openTextDocument(target);
			const text = doc.getText();
			try {
				JSON.parse(text);
			} catch (err) {
				throw Object.assign(new Error(`The edited notification is not valid JSON (${(err as Error).message}).`), { explanation: 'Fix it and send again.' });
			}
			const outcome = await inspector.replay(record, text);
			report(services, outcome);
			return outcome;
		}),
	];
}
