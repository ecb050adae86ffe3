/**
 * Shared fixtures for integration tests: an msal-node ConfidentialClientApplication pointed at a running
 * emulator (no discovery requests, trusting only the emulator's CA), and undici requests to its Graph API.
 */
import { ConfidentialClientApplication, type INetworkModule, type NetworkRequestOptions, type NetworkResponse } from '@azure/msal-node';
import { Agent, request } from 'undici';
import type { EmulatorHandle } from '../../../src/core/emulator';

/** One undici Agent per CA: trusts the emulator's CA and nothing else. */
export function emulatorAgent(caCertPem: string): Agent {
	return new Agent({ connect: { ca: caCertPem }, keepAliveTimeout: 4000 });
}

/** msal-node's network module on undici; resolves (never rejects) on 4xx/5xx as msal expects. */
export function undiciNetworkModule(agent: Agent): INetworkModule {
	const send = async <T>(method: 'GET' | 'POST', url: string, options?: NetworkRequestOptions): Promise<NetworkResponse<T>> => {
		const res = await request(url, { method, headers: options?.headers, body: options?.body, dispatcher: agent });
		const text = await res.body.text();
		const headers: Record<string, string> = {};
		for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
		let body: unknown = {};
		try {
			body = text ? JSON.parse(text) : {};
		} catch {
			body = { error: 'invalid_json', error_description: text.slice(0, 200) };
		}
		return { status: res.statusCode, headers, body: body as T };
	};
	return {
		sendGetRequestAsync: (url, options) => send('GET', url, options),
		sendPostRequestAsync: (url, options) => send('POST', url, options),
	};
}

export interface MsalAppOptions {
	clientId?: string;
	clientSecret?: string;
	certificate?: { thumbprintSha256: string; privateKey: string };
	/** Authority tenant segment (default: the emulator's tenant id). */
	tenant?: string;
	/** Let msal-node fetch the OIDC document itself instead of passing authorityMetadata. */
	discover?: boolean;
}

/** A fresh unmodified ConfidentialClientApplication for the emulator (fresh per test: msal caches tokens and throttling). */
export function emulatorMsalApp(emu: EmulatorHandle, agent: Agent, options: MsalAppOptions = {}): ConfidentialClientApplication {
	const tenant = options.tenant ?? emu.tenantId;
	const authority = `${emu.baseUrl}/${tenant}`;
	const metadata = JSON.parse(emu.authorityMetadata) as Record<string, string>;
	// The metadata names the tenant in its endpoints; point them at the tenant this app asks for.
	const rewritten = JSON.stringify(metadata).split(`/${emu.tenantId}/`).join(`/${tenant}/`);
	return new ConfidentialClientApplication({
		auth: {
			clientId: options.clientId ?? emu.clientId,
			authority,
			knownAuthorities: [emu.authorityHost],
			...(options.discover ? {} : { authorityMetadata: rewritten }),
			...(options.certificate ? { clientCertificate: options.certificate } : { clientSecret: options.clientSecret ?? emu.clientSecret }),
		},
		system: { networkClient: undiciNetworkModule(agent) },
	});
}

export async function emulatorToken(emu: EmulatorHandle, agent: Agent, options: MsalAppOptions = {}): Promise<string> {
	const result = await emulatorMsalApp(emu, agent, options).acquireTokenByClientCredential({ scopes: ['https://graph.microsoft.com/.default'] });
	if (!result?.accessToken) throw new Error('msal-node returned no access token from the emulator.');
	return result.accessToken;
}

export interface GraphReply {
	status: number;
	headers: Record<string, string>;
	body: any;
}

/** A Graph request to the emulator over HTTPS with undici. `path` is relative to the version root or absolute. */
export async function graph(emu: EmulatorHandle, agent: Agent, token: string | undefined, method: string, path: string, body?: unknown, extraHeaders: Record<string, string> = {}): Promise<GraphReply> {
	const url = path.startsWith('https://') ? path : `${emu.graphBaseUrl}${path}`;
	const headers: Record<string, string> = { ...extraHeaders };
	if (token) headers.authorization = `Bearer ${token}`;
	if (body !== undefined) headers['content-type'] = 'application/json';
	const res = await request(url, { method: method as 'GET', headers, body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body), dispatcher: agent });
	const text = await res.body.text();
	const h: Record<string, string> = {};
	for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) h[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
	let parsed: unknown = undefined;
	if (text) {
		try {
			parsed = JSON.parse(text);
		} catch {
			parsed = text;
		}
	}
	return { status: res.statusCode, headers: h, body: parsed };
}

/** Control API request (no auth: loopback only; POSTs are JSON even when empty, as the control API requires). */
export function control(emu: EmulatorHandle, agent: Agent, method: string, path: string, body?: unknown): Promise<GraphReply> {
	return graph(emu, agent, undefined, method, `${emu.controlUrl}${path}`, body, method === 'POST' ? { 'content-type': 'application/json' } : {});
}
