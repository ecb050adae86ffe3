/**
 * Graph requests without an SDK: an app-only token from msal-node (client credentials) and undici, with a
 * dispatcher of its own that trusts GRAPH_CA_FILE when it is set (never the global dispatcher).
 */
import { randomUUID } from 'node:crypto';
import { ConfidentialClientApplication, type INetworkModule, type NetworkRequestOptions, type NetworkResponse } from '@azure/msal-node';
import { Agent, request } from 'undici';
import type { BotConfig } from './config';

export interface GraphResponse {
	readonly status: number;
	readonly body: any;
}

export class GraphError extends Error {
	constructor(readonly status: number, readonly code: string, message: string) {
		super(message);
	}
}

export class GraphClient {
	readonly agent: Agent;
	private msal?: Promise<ConfidentialClientApplication>;

	constructor(private readonly config: BotConfig) {
		// With `ca` set only that CA is trusted: right for the loopback emulator; without it, the system's CAs.
		this.agent = new Agent({ connect: config.caPem ? { ca: config.caPem } : {}, keepAliveTimeout: 10_000 });
	}

	private async createMsal(): Promise<ConfidentialClientApplication> {
		const network = this.networkModule();
		const host = new URL(this.config.authority).host;
		const isEntra = /(^|\.)login\.(microsoftonline\.(com|us)|partner\.microsoftonline\.cn|chinacloudapi\.cn)$/.test(host);
		if (isEntra) {
			return new ConfidentialClientApplication({ auth: { clientId: this.config.clientId, authority: this.config.authority, clientSecret: this.config.clientSecret }, system: { networkClient: network } });
		}
		// Any other authority (the emulator) is not a host msal knows: declare it and hand msal its OIDC document,
		// so msal does no instance discovery.
		const oidc = await network.sendGetRequestAsync<Record<string, unknown>>(`${this.config.authority}/v2.0/.well-known/openid-configuration`);
		if (oidc.status !== 200) throw new Error(`The OpenID configuration of ${this.config.authority} answered HTTP ${oidc.status}.`);
		return new ConfidentialClientApplication({
			auth: { clientId: this.config.clientId, authority: this.config.authority, clientSecret: this.config.clientSecret, knownAuthorities: [host], authorityMetadata: JSON.stringify(oidc.body) },
			system: { networkClient: network },
		});
	}

	/** msal-node's network module on our undici agent; it resolves on 4xx/5xx so msal can read Entra's error. */
	private networkModule(): INetworkModule {
		const send = async <T>(method: 'GET' | 'POST', url: string, options?: NetworkRequestOptions): Promise<NetworkResponse<T>> => {
			const res = await request(url, { method, headers: options?.headers, body: method === 'POST' ? options?.body ?? '' : undefined, dispatcher: this.agent, signal: AbortSignal.timeout(30_000) });
			const text = await res.body.text();
			const headers: Record<string, string> = {};
			for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(', ') : v;
			return { status: res.statusCode, headers, body: (text ? JSON.parse(text) : {}) as T };
		};
		return { sendGetRequestAsync: (url, options) => send('GET', url, options), sendPostRequestAsync: (url, options) => send('POST', url, options) };
	}

	/** Signs in now, so the first answer (15 s window, less on an accelerated clock) does not wait for a token. */
	async prefetch(): Promise<void> {
		await this.token();
	}

	private async token(): Promise<string> {
		// msal caches the token in memory and renews it before it expires.
		// Created on the first call, so the bot can start before the authority is reachable; a failed start is retried.
		const msal = (this.msal ??= this.createMsal().catch((err) => {
			this.msal = undefined;
			throw err;
		}));
		const result = await (await msal).acquireTokenByClientCredential({ scopes: ['https://graph.microsoft.com/.default'] });
		if (!result?.accessToken) throw new Error('Sign-in returned no access token.');
		return result.accessToken;
	}

	/**
	 * One Graph request. 429 and 503 are retried (up to 3 times) after Retry-After, as Graph's throttling guidance
	 * asks; the service did not act on those, so retrying a POST is safe.
	 */
	async send(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<GraphResponse> {
		const clientRequestId = randomUUID();
		for (let attempt = 1; ; attempt++) {
			const res = await request(`${this.config.graphBaseUrl}${path}`, {
				method,
				dispatcher: this.agent,
				headers: {
					authorization: `Bearer ${await this.token()}`,
					'client-request-id': clientRequestId,
					...(body === undefined ? {} : { 'content-type': 'application/json' }),
				},
				body: body === undefined ? (method === 'POST' ? '' : undefined) : JSON.stringify(body),
				signal: AbortSignal.timeout(30_000),
			});
			const text = await res.body.text();
			let parsed: any = undefined;
			try {
				parsed = text ? JSON.parse(text) : undefined;
			} catch {
				parsed = text;
			}
			if ((res.statusCode === 429 || res.statusCode === 503) && attempt <= 3) {
				const header = Number(res.headers['retry-after']);
				await new Promise((r) => setTimeout(r, (Number.isFinite(header) ? header : 2 ** attempt) * 1000));
				continue;
			}
			if (res.statusCode >= 400) {
				const err = parsed?.error;
				throw new GraphError(res.statusCode, err?.code ?? 'unknown', `${method} ${path} failed: HTTP ${res.statusCode} ${err?.code ?? ''} ${err?.message ?? ''}`.trim());
			}
			return { status: res.statusCode, body: parsed };
		}
	}

	async close(): Promise<void> {
		await this.agent.close();
	}
}
