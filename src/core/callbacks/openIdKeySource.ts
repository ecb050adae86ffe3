import type { Agent } from 'undici';
import { undici } from '../lazyUndici';
import type { JSONWebKeySet } from 'jose' with { 'resolution-mode': 'import' };
import { Disposable, toDisposable } from '../lifecycle';

/** Graph's signing keys for callback tokens. */
export const GRAPH_CALLBACK_OPENID_CONFIGURATION = 'https://api.aps.skype.com/v1/.well-known/OpenIdConfiguration';

export interface OpenIdKeySourceOptions {
	readonly openIdConfigurationUrl: string;
	/** PEM of a CA to trust for this source's connections only (the emulator's); never installed globally. */
	readonly caCertPem?: string;
	/** Keys older than this are fetched again before use. Default 24 h. */
	readonly maxAgeMs?: number;
	/** A token with an unknown key id triggers a refetch at most this often. Default 60 s. */
	readonly refreshCooldownMs?: number;
	readonly timeoutMs?: number;
}

export interface KeySet {
	readonly jwks: JSONWebKeySet;
	readonly issuer?: string;
	readonly fetchedAt: number;
}

/** Thrown when the OpenID configuration or its keys cannot be fetched: the notification cannot be judged. */
export class KeysUnavailableError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'KeysUnavailableError';
	}
}

/** Fetches the OpenID configuration, then its jwks_uri; caches the keys and refreshes them on age or on an unknown key id. */
export class OpenIdKeySource extends Disposable {
	private agentInstance: Agent | undefined;
	private current: KeySet | undefined;
	private inflight: Promise<KeySet> | undefined;
	private lastForcedRefresh = 0;
	/** How many times the keys were fetched; tests and the log use it. */
	fetchCount = 0;

	constructor(readonly options: OpenIdKeySourceOptions) {
		super();
		this._register(toDisposable(() => void this.agentInstance?.close().catch(() => undefined)));
	}

	/** Created on the first fetch, so that the receiver does not load undici at activation. */
	private get agent(): Agent {
		const timeout = this.options.timeoutMs ?? 10_000;
		this.agentInstance ??= new (undici().Agent)({ connect: this.options.caCertPem ? { ca: this.options.caCertPem } : {}, headersTimeout: timeout, bodyTimeout: timeout });
		return this.agentInstance;
	}

	/** Cached keys, fetched when missing or older than maxAgeMs. */
	async get(): Promise<KeySet> {
		const maxAge = this.options.maxAgeMs ?? 24 * 3600_000;
		if (this.current && Date.now() - this.current.fetchedAt < maxAge) return this.current;
		return this.fetch();
	}

	/** Refetches after a token named a key we do not have (key rollover), unless that happened very recently. */
	async refreshForUnknownKey(): Promise<KeySet | undefined> {
		const cooldown = this.options.refreshCooldownMs ?? 60_000;
		if (Date.now() - this.lastForcedRefresh < cooldown) return undefined;
		this.lastForcedRefresh = Date.now();
		return this.fetch();
	}

	private fetch(): Promise<KeySet> {
		this.inflight ??= this.doFetch().finally(() => (this.inflight = undefined));
		return this.inflight;
	}

	private async doFetch(): Promise<KeySet> {
		const configUrl = this.options.openIdConfigurationUrl;
		const config = await this.getJson(configUrl, 'OpenID configuration');
		const jwksUri = (config as { jwks_uri?: unknown }).jwks_uri;
		if (typeof jwksUri !== 'string') throw new KeysUnavailableError(`The OpenID configuration at ${configUrl} has no jwks_uri, so callback tokens cannot be checked.`);
		const jwks = await this.getJson(jwksUri, 'signing keys');
		if (!Array.isArray((jwks as { keys?: unknown }).keys)) throw new KeysUnavailableError(`${jwksUri} did not return a JSON Web Key Set ({"keys": [...]}).`);
		const issuer = (config as { issuer?: unknown }).issuer;
		this.fetchCount++;
		this.current = { jwks: jwks as JSONWebKeySet, issuer: typeof issuer === 'string' ? issuer : undefined, fetchedAt: Date.now() };
		return this.current;
	}

	private async getJson(url: string, what: string): Promise<unknown> {
		let res;
		try {
			res = await undici().request(url, { method: 'GET', dispatcher: this.agent, headers: { accept: 'application/json' } });
		} catch (err) {
			throw new KeysUnavailableError(`Could not fetch the ${what} from ${url} (${(err as Error).message}). Check the network (or that the emulator is running) and try again.`);
		}
		const text = await res.body.text();
		if (res.statusCode !== 200) throw new KeysUnavailableError(`Fetching the ${what} from ${url} returned HTTP ${res.statusCode}; callback tokens cannot be checked until it succeeds.`);
		try {
			return JSON.parse(text);
		} catch {
			throw new KeysUnavailableError(`The ${what} at ${url} is not JSON.`);
		}
	}
}
