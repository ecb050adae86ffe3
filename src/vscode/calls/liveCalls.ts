import * as vscode from 'vscode';
import { Disposable } from '../../core/lifecycle';
import type { Event } from '../../core/event';
import type { TenantProfile } from '../../core/auth/tenantProfile';
import { CallStore } from '../../core/calls/callStore';
import { CallPoller, DEFAULT_POLLING_POLICY, type CallFetcher } from '../../core/calls/callPoller';
import { KeepAliveScheduler } from '../../core/calls/keepAliveScheduler';
import { parseResourceUrl } from '../../core/calls/mergeRules';
import { getCall, keepAlive, listParticipants, type GraphSender } from '../../core/graph/calls';
import type { GraphRequestEvent } from '../../core/graph/graphClient';
import { GraphError } from '../../core/graph/graphError';
import { CallsTreeModel } from './callsTreeModel';
import type { NodeTarget } from '../shared/nodeTarget';
import { createCallsTreeView, type CallsTreeView } from './callsTreeProvider';
import { CallsJsonDocuments } from './callsJsonDocuments';
import { CallsStatusBar } from './callsStatusBar';
import type { Configuration } from '../shared/configuration';

/** What the calls view needs from the ProfileStore. */
export interface ActiveProfileSource {
	readonly active: TenantProfile | undefined;
	readonly onDidChangeActive: Event<TenantProfile | undefined>;
}

/** What it needs from GraphClients: the active profile's client (throws when none) and its request events. */
export interface ActiveClientSource {
	active(): GraphSender;
	readonly onDidRequest?: Event<GraphRequestEvent>;
}

export interface LiveCallsOptions {
	/** Where tracked calls are kept across reloads (the extension's workspaceState). */
	readonly memento: vscode.Memento;
	readonly profiles: ActiveProfileSource;
	readonly clients: ActiveClientSource;
	readonly log: Pick<vscode.LogOutputChannel, 'info' | 'warn' | 'error'>;
	readonly configuration: Configuration;
	/** The active profile's status bar item, which also gets the call count (one item for both). */
	readonly statusItem?: vscode.StatusBarItem;
	/** Events after which that item has redrawn itself. */
	readonly statusRedrawn?: readonly Event<unknown>[];
}

/**
 * The calls feature wired together: the CallStore for the active profile, polling and keepAlive through the
 * active Graph client, the tree model and view, and the JSON documents. Built once in extension.ts.
 */
export class LiveCalls extends Disposable {
	readonly store: CallStore;
	readonly poller: CallPoller;
	readonly keepAlive: KeepAliveScheduler;
	readonly model: CallsTreeModel;
	readonly json: CallsJsonDocuments;
	readonly statusBar: CallsStatusBar;
	private view: CallsTreeView | undefined;
	private otherApp: (callId: string) => string | undefined = () => undefined;

	/**
	 * Calls of other apps (a bot, seen in the emulator's feed): the feed keeps them current, so they are not
	 * polled or kept alive with this profile's token (Graph would answer 404: the call is not this app's).
	 */
	/** The app of another app's call (see setOtherApps); undefined for this profile's own calls. */
	otherAppOf(callId: string): string | undefined {
		return this.otherApp(callId);
	}

	setOtherApps(otherApp: (callId: string) => string | undefined): void {
		this.otherApp = otherApp;
		this.model.refreshAll();
	}

	/** The node selected in the Calls view that refers to a call (`{{callId}}` in request documents follows it). */
	selectedNode(): NodeTarget | undefined {
		const node = this.view?.selection()[0];
		return node && 'callId' in node ? node : undefined;
	}

	/** Selects a call's row in the Calls view. */
	async selectCall(callId: string): Promise<void> {
		await this.view?.select(callId);
	}

	constructor(private readonly options: LiveCallsOptions) {
		super();
		const { profiles, clients, log } = options;
		this.store = this._register(new CallStore({ storage: options.memento }));
		this._register(this.store.onDidFailToSave((m) => log.warn(m)));

		const fetcher: CallFetcher = {
			fetchCall: async (callId, signal) => {
				if (this.otherApp(callId)) return this.store.get(callId)?.call;
				try {
					return (await getCall(clients.active(), callId, { signal })).body;
				} catch (err) {
					if (err instanceof GraphError && err.status === 404) return undefined;
					throw err;
				}
			},
			fetchParticipants: async (callId, signal) => {
				if (this.otherApp(callId)) return [...(this.store.get(callId)?.participants.values() ?? [])];
				try {
					return (await listParticipants(clients.active(), callId, { signal })).body?.value;
				} catch (err) {
					// Some calls (incoming, not yet answered) have no roster to list: the call itself was fetched.
					if (err instanceof GraphError && (err.status === 404 || err.status === 400)) return undefined;
					throw err;
				}
			},
		};
		this.poller = this._register(new CallPoller(this.store, undefined, { policy: { ...DEFAULT_POLLING_POLICY, quietMs: options.configuration.current.pollAfterSeconds * 1000 } }));
		this._register(this.poller.onDidFail((f) => log.warn(f.message)));

		this.keepAlive = this._register(new KeepAliveScheduler(this.store, {
			send: async (callId) => {
				await keepAlive(clients.active(), callId);
				log.info(`keepAlive sent for call ${callId}`);
			},
			intervalMs: options.configuration.current.keepAliveIntervalMinutes * 60_000,
			enabledByDefault: options.configuration.current.keepAliveEnabled,
		}));
		this._register(this.keepAlive.onDidFail((f) => log.warn(f.message)));
		this._register(this.keepAlive.onDidWarn(async (w) => {
			log.warn(w.message);
			const send = 'Send keepAlive Now';
			const turnOn = 'Turn On Automatic keepAlive';
			const choice = await vscode.window.showWarningMessage(w.message, send, ...(this.keepAlive.isEnabled(w.callId) ? [] : [turnOn]));
			if (choice === send) await this.keepAlive.sendNow(w.callId);
			if (choice === turnOn) this.keepAlive.setEnabled(w.callId, true);
		}));
		// A keepAlive sent by a command or a request document restarts that call's keepAlive clock too.
		if (clients.onDidRequest) {
			this._register(clients.onDidRequest((e) => {
				if (e.action !== 'call.keepAlive' || e.status === undefined || e.status >= 300) return;
				const target = parseResourceUrl(e.path) ?? parseResourceUrl(e.url);
				if (target) this.keepAlive.noteSent(target.callId);
			}));
		}

		this.model = this._register(new CallsTreeModel({
			store: this.store,
			profileName: () => profiles.active?.name,
			keepAlive: this.keepAlive,
			poll: this.poller,
			otherApp: (callId) => this.otherApp(callId),
		}));
		this.json = this._register(new CallsJsonDocuments(this.model, this.store));
		this.view = this._register(createCallsTreeView(this.model));
		this.statusBar = this._register(new CallsStatusBar(this.store, options.statusItem, options.statusRedrawn ?? [profiles.onDidChangeActive]));

		const onProfile = (p: TenantProfile | undefined) => {
			this.store.setProfile(p?.id);
			this.poller.setFetcher(p ? fetcher : undefined);
			this.model.refreshAll();
			this.updateContext();
			// Decides which "no calls" welcome shows (only the emulator can simulate an incoming call).
			void vscode.commands.executeCommand('setContext', 'graphCalls.activeProfileIsEmulator', !!p?.emulator);
		};
		this._register(profiles.onDidChangeActive(onProfile));
		this._register(this.store.onDidChange(() => this.updateContext()));
		this._register(options.configuration.onDidChangeAny(['keepAliveIntervalMinutes'], () => this.keepAlive.setInterval(options.configuration.current.keepAliveIntervalMinutes * 60_000)));
		onProfile(profiles.active);
	}

	private hasCalls: boolean | undefined;
	private updateContext(): void {
		const has = this.store.list().length > 0;
		if (has === this.hasCalls) return;
		this.hasCalls = has;
		void vscode.commands.executeCommand('setContext', 'graphCalls.hasCalls', has);
	}
}
