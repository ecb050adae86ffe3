import * as vscode from 'vscode';
import type { TenantProfile } from '../../core/auth/tenantProfile';
import { CallbackPipeline, type NotificationSink } from '../../core/callbacks/callbackPipeline';
import { callbackUriFor, CallbackUrlMissingError } from '../../core/callbacks/callbackUri';
import { pointEmulatorAtReceiver } from '../../core/callbacks/emulatorCallingWebhook';
import type { NotificationRecord } from '../../core/callbacks/notificationRecord';
import { RejectionLog } from '../../core/callbacks/rejectionLog';
import { Disposable } from '../../core/lifecycle';
import type { Configuration } from '../shared/configuration';
import type { UserInput } from '../shared/userInput';
import { NotificationsStatusBar } from './notificationsStatusBar';
import { NotificationsTreeProvider } from './notificationsTreeProvider';

/** What the callback services need from the rest of the extension. */
export interface CallbackDeps {
	readonly profiles: { readonly active: TenantProfile | undefined; readonly onDidChangeActive: vscode.Event<TenantProfile | undefined> };
	/** The CallStore: accepted notifications are applied to it. */
	readonly callStore: NotificationSink;
	readonly input: () => UserInput;
	readonly log: vscode.LogOutputChannel;
	readonly configuration: Configuration;
}


/**
 * The callback receiver in VS Code: the pipeline (receiver, validation, history, relay) configured from the
 * settings and the active profile, the Notifications view, the status bar item, and the callbackUri the call
 * commands send.
 */
export class CallbackServices extends Disposable {
	readonly pipeline: CallbackPipeline;
	readonly tree: NotificationsTreeProvider;
	readonly statusBar: NotificationsStatusBar;
	/** Public host names of tunnels started in this window (the public callback adds its own while it runs). */
	readonly extraPublicHosts = new Set<string>();
	private warnedRelaxed = new Set<string>();
	/** Rejections (forged or malformed requests) are logged at a bounded rate: a flood never floods the log. */
	private readonly rejections: RejectionLog;

	constructor(readonly deps: CallbackDeps) {
		super();
		this.rejections = new RejectionLog((line) => deps.log.warn(line));
		this._register({ dispose: () => this.rejections.flush() });
		this.pipeline = this._register(
			new CallbackPipeline({
				security: () => ({ profile: deps.profiles.active, relaxed: !!this.relaxedProfile() }),
				sink: () => deps.callStore,
				relayTarget: this.settings.relayTarget || undefined,
				// A tunnel forwards Graph's POSTs with the public Host (ngrok does by default): the callback URLs the user
				// set are the public names the receiver answers to, besides the loopback ones.
				receiver: { publicHosts: () => [...publicCallbackHosts(this.settings.callbackUrl, deps.profiles.active?.callbackUrl), ...this.extraPublicHosts] },
			}),
		);
		this.tree = this._register(new NotificationsTreeProvider(this.pipeline.history));
		const configChanged = new vscode.EventEmitter<void>();
		this._register(configChanged);
		this.statusBar = this._register(new NotificationsStatusBar(this.pipeline, () => this.relaxedProfile(), [deps.profiles.onDidChangeActive, configChanged.event, this.pipeline.relay.onDidDeliver]));
		this._register(vscode.window.createTreeView('graphCalls.notifications', { treeDataProvider: this.tree }));

		this._register(this.pipeline.onDidRecord((r) => this.logRecord(r)));
		this._register(this.pipeline.onDidFailToApply(({ record, error }) => deps.log.error(`notification ${record.id}: the CallStore could not apply it: ${(error as Error)?.message ?? String(error)}`)));
		this._register(this.pipeline.onDidChangeState((s) => void vscode.commands.executeCommand('setContext', 'graphCalls.receiver.running', s.running)));
		this._register(
			deps.configuration.onDidChange((changed) => {
				if (changed.has('relayTarget')) this.pipeline.relay.target = this.settings.relayTarget || undefined;
				if (changed.has('relaxValidationFor')) this.warnIfRelaxed();
				if (changed.has('receiverPort') && this.pipeline.isRunning) {
					void vscode.window.showInformationMessage('The receiver port changed: stop and start the receiver to use it.');
				}
				configChanged.fire();
			}),
		);
		// The emulator posts to the receiver directly: have it listening whenever the emulator profile is active.
		this._register(deps.profiles.onDidChangeActive((p) => this.onProfile(p)));
		setImmediate(() => this.onProfile(deps.profiles.active));
		void vscode.commands.executeCommand('setContext', 'graphCalls.receiver.running', false);
	}

	private get settings() {
		return this.deps.configuration.current;
	}

	/** The active profile's name when validation is relaxed for it (by name or id). */
	relaxedProfile(): string | undefined {
		const p = this.deps.profiles.active;
		if (!p) return this.settings.relaxValidationFor.includes('*') ? '(no profile)' : undefined;
		const list = this.settings.relaxValidationFor;
		return list.includes(p.name) || list.includes(p.id) || list.includes('*') ? p.name : undefined;
	}

	/** The callbackUri for create and answer, starting the receiver first when the emulator needs it. */
	callbackUri(profile: TenantProfile): string {
		try {
			return callbackUriFor(profile, this.pipeline, this.settings.callbackUrl);
		} catch (err) {
			if (!(err instanceof CallbackUrlMissingError)) throw err;
			const actions = profile.emulator
				? [{ title: 'Start Callback Receiver', run: () => vscode.commands.executeCommand('graphCalls.receiver.start') }]
				: [{ title: 'Open Settings', run: () => vscode.commands.executeCommand('workbench.action.openSettings', 'graphCalls.callbackUrl') }];
			throw Object.assign(err, { actions });
		}
	}

	async start(): Promise<string> {
		const url = await this.pipeline.start({ port: this.settings.receiverPort });
		this.deps.log.info(`Callback receiver listening at ${url}`);
		this.warnIfRelaxed();
		void this.pointEmulator(this.deps.profiles.active);
		return url;
	}

	private onProfile(p: TenantProfile | undefined): void {
		this.warnIfRelaxed();
		if (p?.emulator && !this.pipeline.isRunning && !this.isDisposed) {
			this.start().catch((err: Error) => this.deps.log.warn(`The callback receiver did not start for the emulator profile: ${err.message}`));
		} else {
			void this.pointEmulator(p);
		}
	}

	/** The emulator's incoming calls (scenarios, control API) go to the app's calling webhook: make it the receiver. */
	private async pointEmulator(p: TenantProfile | undefined): Promise<void> {
		const url = this.pipeline.url;
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
		if (!name || this.warnedRelaxed.has(name) || !this.pipeline.isRunning) return;
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

/** The host names of the configured callback URLs (the setting and the profile's), for the receiver's Host check. */
function publicCallbackHosts(...urls: (string | undefined)[]): string[] {
	const hosts: string[] = [];
	for (const url of urls) {
		if (!url) continue;
		try {
			hosts.push(new URL(url).host);
		} catch {
			// Not a URL: the setting's validation reports it where it is set.
		}
	}
	return hosts;
}
