import * as vscode from 'vscode';
import { graphBaseUrlOf, graphHostOf, type TenantProfile } from '../../core/auth/tenantProfile';
import type { TokenProvider } from '../../core/auth/tokenProvider';
import { Emitter, type Event } from '../../core/event';
import { GraphClient, type GraphRequestEvent } from '../../core/graph/graphClient';
import { Disposable, toDisposable } from '../../core/lifecycle';

/** What GraphClients needs from the ProfileStore (src/vscode/profiles/profileStore.ts). */
export interface ProfileSource {
	readonly active: TenantProfile | undefined;
	readonly onDidChangeActive: Event<TenantProfile | undefined>;
	readonly onDidChange?: Event<{ readonly kind: string; readonly profile: TenantProfile }>;
	tokenProviderFor(profile: TenantProfile): TokenProvider;
}

/** Thrown when a command needs Graph and no profile is active; carries the way out as actions. */
export class NoActiveProfileError extends Error {
	readonly explanation = 'Use the local emulator (no Azure tenant needed) or add a tenant profile, then run the command again.';
	readonly actions = [
		{ title: 'Use Local Emulator', run: () => vscode.commands.executeCommand('graphCalls.emulator.start') },
		{ title: 'Add Tenant Profile', run: () => vscode.commands.executeCommand('graphCalls.profile.add') },
	];
	constructor() {
		super('No Graph Calls profile is active.');
		this.name = 'NoActiveProfileError';
	}
}

interface Entry {
	readonly key: string;
	readonly client: GraphClient;
}

/**
 * One GraphClient (one undici Agent) per profile, built on first use. A client is disposed when its profile
 * changes, is removed or stops being active, so connections and trusted CAs never outlive the profile.
 * Every client's request events are re-fired on `onDidRequest` for the log and the HAR export.
 */
export class GraphClients extends Disposable {
	private readonly clients = new Map<string, Entry>();
	private readonly _onDidRequest = this._register(new Emitter<GraphRequestEvent>());
	readonly onDidRequest: Event<GraphRequestEvent> = this._onDidRequest.event;

	constructor(private readonly profiles: ProfileSource, private readonly userAgent = 'GraphCallsWorkbench') {
		super();
		this._register(profiles.onDidChangeActive((p) => {
			for (const id of [...this.clients.keys()]) if (id !== p?.id) this.drop(id);
		}));
		// A changed profile gets a new client lazily (forProfile compares its key); a new secret needs none, the
		// token provider handles it. Only a removed profile's client goes at once.
		if (profiles.onDidChange) {
			this._register(profiles.onDidChange((e) => {
				if (e.kind === 'removed') this.drop(e.profile.id);
			}));
		}
		// The timeout is fixed per client: a new setting takes effect with the next client.
		this._register(vscode.workspace.onDidChangeConfiguration((e) => {
			if (e.affectsConfiguration('graphCalls.requestTimeoutSeconds')) for (const id of [...this.clients.keys()]) this.drop(id);
		}));
		this._register(toDisposable(() => {
			for (const id of [...this.clients.keys()]) this.drop(id);
		}));
	}

	/** The client for the active profile; throws NoActiveProfileError (with actions) when there is none. */
	active(): GraphClient {
		const profile = this.profiles.active;
		if (!profile) throw new NoActiveProfileError();
		return this.forProfile(profile);
	}

	get activeProfile(): TenantProfile | undefined {
		return this.profiles.active;
	}

	forProfile(profile: TenantProfile): GraphClient {
		const key = JSON.stringify([graphBaseUrlOf(profile), graphHostOf(profile), profile.emulator?.caCertPem ?? '', profile.name]);
		const existing = this.clients.get(profile.id);
		if (existing && existing.key === key) return existing.client;
		if (existing) this.drop(profile.id);
		const client = new GraphClient({
			profileName: profile.name,
			baseUrl: graphBaseUrlOf(profile),
			graphHost: graphHostOf(profile),
			tokenProvider: this.profiles.tokenProviderFor(profile),
			caCertPem: profile.emulator?.caCertPem,
			timeoutMs: requestTimeoutMs(),
			userAgent: this.userAgent,
		});
		client.onDidRequest((e) => this._onDidRequest.fire(e));
		this.clients.set(profile.id, { key, client });
		return client;
	}

	private drop(profileId: string): void {
		const entry = this.clients.get(profileId);
		if (!entry) return;
		this.clients.delete(profileId);
		entry.client.dispose();
	}
}

/** graphCalls.requestTimeoutSeconds as milliseconds. */
export function requestTimeoutMs(): number {
	const seconds = vscode.workspace.getConfiguration('graphCalls').get<number>('requestTimeoutSeconds', 30);
	return Math.max(1, Math.min(600, Number.isFinite(seconds) ? seconds : 30)) * 1000;
}
