/**
 * (1) Request path and (6) token path: the same sequence of GET /communications/calls/{id} and playPrompt requests
 * against the emulator over HTTPS (in its own process, as the extension runs it) with the same token, through our GraphClient (logging on), raw undici.request on
 * the client's own Agent (the floor), the official Graph SDK and Node's global fetch. Variants run in interleaved
 * rounds so load on the shared machine hits each of them alike.
 */
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client } from '@microsoft/microsoft-graph-client';
import { Agent, request } from 'undici';
import { MsalTokenProvider } from '../../src/core/auth/msalTokenProvider';
import type { TenantProfile } from '../../src/core/auth/tenantProfile';
import type { AccessToken, TokenProvider } from '../../src/core/auth/tokenProvider';
import { EMULATOR_PEOPLE, type EmulatorHandle } from '../../src/core/emulator';

/** What these sections need of an emulator: the in-process handle and the CLI's ready line both have it. */
export type EmulatorEndpoints = Pick<EmulatorHandle, 'graphBaseUrl' | 'baseUrl' | 'authority' | 'tenantId' | 'clientId' | 'clientSecret' | 'caCertPem' | 'controlUrl'>;
import * as calls from '../../src/core/graph/calls';
import { GraphClient, type GraphRequestEvent } from '../../src/core/graph/graphClient';
import { formatRequestLine } from '../../src/core/graph/requestLogFormat';
import { RecentItems } from '../../src/core/recentItems';
import { median, percentile, round, runPool } from './stats';

export interface RequestPathSize {
	gets: number;
	playPrompts: number;
	rounds: number;
	concurrency: number;
}

/** What one variant does for request i of the sequence: a GET or a playPrompt on the same call. */
type Step = (i: number) => Promise<void>;

const PROMPT = { clientContext: 'bench', prompts: [{ '@odata.type': '#microsoft.graph.mediaPrompt', mediaInfo: { '@odata.type': '#microsoft.graph.mediaInfo', uri: 'https://example.com/bench.wav' } }] };

export async function fetchToken(emu: EmulatorEndpoints, agent: Agent): Promise<AccessToken> {
	const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: emu.clientId, client_secret: emu.clientSecret, scope: 'https://graph.microsoft.com/.default' });
	const res = await request(`${emu.authority}/oauth2/v2.0/token`, { method: 'POST', body: form.toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' }, dispatcher: agent });
	const json = (await res.body.json()) as { access_token?: string; expires_in?: number; error_description?: string };
	if (res.statusCode !== 200 || !json.access_token) throw new Error(`The emulator refused a token (${res.statusCode}): ${json.error_description ?? 'no description'}`);
	return { token: json.access_token, expiresOn: new Date(Date.now() + (json.expires_in ?? 3600) * 1000) };
}

export const staticTokens = (t: AccessToken): TokenProvider => ({ getToken: async () => t });

/** A callback that answers 202 at once, so the emulator's own notifications cost it as little as possible. */
async function startSilentCallback(): Promise<{ url: string; close(): Promise<void> }> {
	const server = createServer((req, res) => {
		req.resume();
		req.on('end', () => res.writeHead(202).end());
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return {
		url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/callback`,
		close: () => new Promise<void>((resolve) => server.close(() => resolve())),
	};
}

async function establishedCall(emu: EmulatorEndpoints, client: GraphClient, callbackUri: string): Promise<string> {
	const created = await calls.createCall(client, { kind: 'user', userId: EMULATOR_PEOPLE.lidia.id, callbackUri, tenantId: emu.tenantId });
	const callId = created.body.id;
	const end = Date.now() + 20_000;
	for (;;) {
		const now = await calls.getCall(client, callId);
		if (now.body.state === 'established') return callId;
		if (Date.now() > end) throw new Error(`The benchmark call stayed "${now.body.state}" for 20 s; is the emulator overloaded?`);
		await new Promise((r) => setTimeout(r, 20));
	}
}

/**
 * Times each variant over the same sequence split into `rounds` short slices, in rotating order; returns the
 * times per variant and round. Short interleaved slices let a burst of load from elsewhere hit every variant.
 */
async function interleaved(variants: Record<string, Step>, size: RequestPathSize): Promise<Record<string, number[]>> {
	const total = size.gets + size.playPrompts;
	const perRound = Math.ceil(total / size.rounds);
	// GETs and playPrompts mixed evenly through the sequence (every k-th request plays a prompt).
	const every = size.playPrompts ? Math.max(1, Math.round(total / size.playPrompts)) : Infinity;
	const names = Object.keys(variants);
	const ms: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
	for (const n of names) await runPool(Math.min(50, perRound), size.concurrency, variants[n]); // warm-up: connections, JIT
	for (let r = 0; r < size.rounds; r++) {
		const order = names.map((_, k) => names[(k + r) % names.length]);
		for (const n of order) {
			const step = variants[n];
			ms[n][r] = await runPool(perRound, size.concurrency, (i) => step(i % every === every - 1 ? -1 : i));
		}
	}
	return ms;
}

const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);
/** Median over rounds of the per-round ratio: robust to a round that a load spike hit harder than its neighbours. */
const ratios = (ms: Record<string, number[]>, a: string, b: string) => ms[a].map((t, r) => t / ms[b][r]);
const ratio = (ms: Record<string, number[]>, a: string, b: string) => round(median(ratios(ms, a, b)));
/** The middle half of the per-slice ratios, as "low-high": how far one slice's answer strays from the median. */
const middleHalf = (ms: Record<string, number[]>, a: string, b: string) => {
	const sorted = ratios(ms, a, b).sort((x, y) => x - y);
	return `${round(percentile(sorted, 25))}-${round(percentile(sorted, 75))}`;
};

export async function benchRequestPath(emu: EmulatorEndpoints, size: RequestPathSize): Promise<Record<string, number | string>> {
	const callback = await startSilentCallback();
	const token = await fetchToken(emu, new Agent({ connect: { ca: emu.caCertPem } }));
	const client = new GraphClient({ profileName: 'Emulator', baseUrl: emu.graphBaseUrl, graphHost: emu.baseUrl, tokenProvider: staticTokens(token), caCertPem: emu.caCertPem });
	// Logging on, as in the extension's RequestLog at the default (info) level: keep the event for the HAR export
	// in the same bounded list, format the line.
	const kept = new RecentItems<GraphRequestEvent>(2000);
	let lines = 0;
	client.onDidRequest((e) => {
		kept.push(e);
		lines += formatRequestLine(e).length > 0 ? 1 : 0;
	});
	const callId = await establishedCall(emu, client, callback.url);
	const callUrl = `${emu.graphBaseUrl}/communications/calls/${callId}`;
	const auth = `Bearer ${token.token}`;
	// The floor uses the very Agent our client owns: same connections, same TLS settings.
	const agent = (client as unknown as { agent: Agent }).agent;
	const fetchAgent = new Agent({ keepAliveTimeout: 30_000, connections: 16, connect: { ca: emu.caCertPem } });
	const sdkAgent = new Agent({ keepAliveTimeout: 30_000, connections: 16, connect: { ca: emu.caCertPem } });
	const sdk = Client.init({
		authProvider: (done) => done(null, token.token),
		baseUrl: `${emu.baseUrl}/`,
		defaultVersion: 'v1.0',
		customHosts: new Set([new URL(emu.baseUrl).hostname]),
		// Node's fetch takes an undici dispatcher: this one trusts the emulator CA, nothing global changes.
		fetchOptions: { dispatcher: sdkAgent } as never,
	});
	const promptBody = JSON.stringify(PROMPT);
	const check = (status: number, what: string) => {
		if (status >= 300) throw new Error(`${what} answered ${status} during the benchmark; the emulator may have ended the call.`);
	};

	const variants: Record<string, Step> = {
		client: async (i) => {
			if (i < 0) await calls.playPrompt(client, callId, { promptUris: ['https://example.com/bench.wav'], clientContext: 'bench' });
			else await calls.getCall(client, callId);
		},
		rawUndici: async (i) => {
			// The same headers our client sends (a fresh client-request-id, as Graph asks of every caller), so the
			// ratio measures our code rather than the server's work on headers the floor would leave out.
			const headers = { authorization: auth, accept: 'application/json', 'client-request-id': randomUUID(), 'return-client-request-id': 'true', 'user-agent': 'GraphCallsWorkbench' };
			const res = i < 0
				? await request(`${callUrl}/playPrompt`, { dispatcher: agent, method: 'POST', body: promptBody, headers: { ...headers, 'content-type': 'application/json' } })
				: await request(callUrl, { dispatcher: agent, method: 'GET', headers });
			check(res.statusCode, 'raw undici');
			JSON.parse(await res.body.text());
		},
		graphSdk: async (i) => {
			if (i < 0) await sdk.api(`/communications/calls/${callId}/playPrompt`).post(PROMPT);
			else await sdk.api(`/communications/calls/${callId}`).get();
		},
		fetch: async (i) => {
			const res = i < 0
				? await fetch(`${callUrl}/playPrompt`, { method: 'POST', body: promptBody, headers: { authorization: auth, accept: 'application/json', 'content-type': 'application/json' }, dispatcher: fetchAgent } as unknown as RequestInit)
				: await fetch(callUrl, { headers: { authorization: auth, accept: 'application/json' }, dispatcher: fetchAgent } as unknown as RequestInit);
			check(res.status, 'fetch');
			await res.json();
		},
	};
	try {
		const ms = await interleaved(variants, size);
		const requests = Math.ceil((size.gets + size.playPrompts) / size.rounds) * size.rounds;
		const rps = (n: string) => round(requests / (sum(ms[n]) / 1000), 0);
		if (lines === 0) throw new Error('The client fired no request events: logging was not exercised.');
		return {
			clientOverRawUndici: ratio(ms, 'client', 'rawUndici'),
			clientOverRawUndiciMiddleHalf: middleHalf(ms, 'client', 'rawUndici'),
			graphSdkOverClient: ratio(ms, 'graphSdk', 'client'),
			fetchOverClient: ratio(ms, 'fetch', 'client'),
			clientRps: rps('client'),
			rawUndiciRps: rps('rawUndici'),
			graphSdkRps: rps('graphSdk'),
			fetchRps: rps('fetch'),
		};
	} finally {
		await calls.deleteCall(client, callId).catch(() => undefined);
		client.dispose();
		await Promise.all([fetchAgent.close(), sdkAgent.close(), callback.close()]);
	}
}

/** (6) A request whose token comes from msal's cache (through our provider) vs the same request with a ready string. */
export async function benchTokenPath(emu: EmulatorEndpoints, size: { requests: number; rounds: number; concurrency: number }): Promise<Record<string, number>> {
	const callback = await startSilentCallback();
	const token = await fetchToken(emu, new Agent({ connect: { ca: emu.caCertPem } }));
	const profile: TenantProfile = {
		id: 'bench', name: 'Emulator', cloud: 'global', tenantId: emu.tenantId, clientId: emu.clientId, credentialKind: 'secret', apiVersion: 'v1.0',
		emulator: { authority: emu.authority, graphHost: emu.baseUrl, caCertPem: emu.caCertPem, controlUrl: emu.controlUrl },
	};
	const msal = new MsalTokenProvider({ profile, getCredential: async () => ({ kind: 'secret', clientSecret: emu.clientSecret }) });
	const common = { profileName: 'Emulator', baseUrl: emu.graphBaseUrl, graphHost: emu.baseUrl, caCertPem: emu.caCertPem };
	const cached = new GraphClient({ ...common, tokenProvider: msal });
	const raw = new GraphClient({ ...common, tokenProvider: staticTokens(token) });
	try {
		await msal.getToken();
		const callId = await establishedCall(emu, raw, callback.url);
		const ms = await interleaved({
			cached: async () => void (await calls.getCall(cached, callId)),
			raw: async () => void (await calls.getCall(raw, callId)),
		}, { gets: size.requests, playPrompts: 0, rounds: size.rounds, concurrency: size.concurrency });
		await calls.deleteCall(raw, callId).catch(() => undefined);
		return { tokenCachedOverRaw: ratio(ms, 'cached', 'raw') };
	} finally {
		cached.dispose();
		raw.dispose();
		msal.dispose();
		await callback.close();
	}
}
