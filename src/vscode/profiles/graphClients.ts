import { noProfileError } from '../shared/actionableError';
import type { Configuration } from '../shared/configuration';
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

	constructor(private readonly profiles: ProfileSource, private readonly configuration: Configuration, private readonly userAgent = 'GraphCallsWorkbench') {
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
		this._register(configuration.onDidChangeAny(['requestTimeoutMs'], () => {
			for (const id of [...this.clients.keys()]) this.drop(id);
		}));
		this._register(toDisposable(() => {
			for (const id of [...this.clients.keys()]) this.drop(id);
		}));
	}

	/** The client for the active profile; throws an actionable error (use the emulator, add a profile) when there is none. */
	active(): GraphClient {
		const profile = this.profiles.active;
		if (!profile) throw noProfileError();
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
			timeoutMs: this.configuration.current.requestTimeoutMs,
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
