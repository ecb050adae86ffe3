/**
 * (1) Request path and (6) token path: the same sequence of GET /communications/calls/{id} and playPrompt requests
 * against the emulator over HTTPS (in its own process, as the extension runs it) with the same token, through our GraphClient (logging on), raw undici.request on
 * the client's own Agent (the floor), the official Graph SDK and Node's global fetch. Variants run in interleaved
 * rounds so load on the shared machine hits each of them alike.
 */
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
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
import { balancedOrders, median, percentile, round, runPool } from './stats';

export interface RequestPathSize {
	gets: number;
	playPrompts: number;
	rounds: number;
	/**
	 * Rounds run first and not measured. Slices keep getting faster for about the first 1,000 requests of each
	 * variant (JIT in both processes, TLS sessions, pools), and our client, with more code to compile, more so:
	 * with a 50-request warm-up its first slices took twice the floor's and decided the sums.
	 */
	warmupRounds: number;
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

/** Per variant and slice: wall-clock ms, and CPU ms this process spent (the emulator's own CPU is not in it). */
interface SliceTimes {
	wall: Record<string, number[]>;
	cpu: Record<string, number[]>;
}

/**
 * Times each variant over the same sequence split into `rounds` short slices. Short interleaved slices let a burst
 * of load from elsewhere hit every variant. The order changes per round so that each variant follows every other
 * equally often: a variant pays for garbage and late callbacks left by the one before it (when all four variants
 * shared a process, a plain rotation, which keeps the cyclic order, always put our client right after global fetch).
 */
async function interleaved(variants: Record<string, Step>, size: RequestPathSize): Promise<SliceTimes> {
	const total = size.gets + size.playPrompts;
	const perRound = Math.ceil(total / size.rounds);
	// GETs and playPrompts mixed evenly through the sequence (every k-th request plays a prompt).
	const every = size.playPrompts ? Math.max(1, Math.round(total / size.playPrompts)) : Infinity;
	const names = Object.keys(variants);
	const times: SliceTimes = { wall: {}, cpu: {} };
	for (const n of names) {
		times.wall[n] = [];
		times.cpu[n] = [];
	}
	const orders = balancedOrders(names.length);
	for (let r = -size.warmupRounds; r < size.rounds; r++) {
		const order = orders[(r + size.warmupRounds) % orders.length].map((k) => names[k]);
		for (const n of order) {
			const step = variants[n];
			const cpu = process.cpuUsage();
			const wall = await runPool(perRound, size.concurrency, (i) => step(i % every === every - 1 ? -1 : i));
			const used = process.cpuUsage(cpu);
			if (r < 0) continue;
			times.wall[n][r] = wall;
			times.cpu[n][r] = (used.user + used.system) / 1000;
		}
	}
	return times;
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

/** What our client is compared with; each comparison runs in a process of its own (see main.ts). */
export type Baseline = 'rawUndici' | 'graphSdk' | 'fetch';

export async function benchRequestPath(emu: EmulatorEndpoints, size: RequestPathSize, baseline: Baseline): Promise<Record<string, number | string>> {
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
	// Loaded only by the process that compares with it, so the other comparisons do not carry its modules.
	const sdk = baseline === 'graphSdk' ? (await import('@microsoft/microsoft-graph-client')).Client.init({
		authProvider: (done) => done(null, token.token),
		baseUrl: `${emu.baseUrl}/`,
		defaultVersion: 'v1.0',
		customHosts: new Set([new URL(emu.baseUrl).hostname]),
		// Node's fetch takes an undici dispatcher: this one trusts the emulator CA, nothing global changes.
		fetchOptions: { dispatcher: sdkAgent } as never,
	}) : undefined;
	const promptBody = JSON.stringify(PROMPT);
	const check = (status: number, what: string) => {
		if (status >= 300) throw new Error(`${what} answered ${status} during the benchmark; the emulator may have ended the call.`);
	};

	const all: Record<'client' | Baseline, Step> = {
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
			if (!sdk) throw new Error('The Graph SDK was not loaded for this comparison.');
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
		const { wall: ms, cpu } = await interleaved({ client: all.client, [baseline]: all[baseline] }, size);
		const requests = Math.ceil((size.gets + size.playPrompts) / size.rounds) * size.rounds;
		const rps = (n: string) => round(requests / (sum(ms[n]) / 1000), 0);
		if (lines === 0) throw new Error('The client fired no request events: logging was not exercised.');
		if (baseline === 'rawUndici') {
			return {
				clientOverRawUndici: ratio(ms, 'client', 'rawUndici'),
				clientOverRawUndiciMiddleHalf: middleHalf(ms, 'client', 'rawUndici'),
				clientCpuOverRawUndici: ratio(cpu, 'client', 'rawUndici'),
				clientCpuOverRawUndiciMiddleHalf: middleHalf(cpu, 'client', 'rawUndici'),
				clientRps: rps('client'),
				rawUndiciRps: rps('rawUndici'),
			};
		}
		return { [`${baseline}OverClient`]: ratio(ms, baseline, 'client'), [`${baseline}Rps`]: rps(baseline) };
	} finally {
		await calls.deleteCall(client, callId).catch(() => undefined);
		client.dispose();
		await Promise.all([fetchAgent.close(), sdkAgent.close(), callback.close()]);
	}
}

/** (6) A request whose token comes from msal's cache (through our provider) vs the same request with a ready string. */
export async function benchTokenPath(emu: EmulatorEndpoints, size: { requests: number; rounds: number; warmupRounds: number; concurrency: number }): Promise<Record<string, number>> {
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
		const { wall: ms } = await interleaved({
			cached: async () => void (await calls.getCall(cached, callId)),
			raw: async () => void (await calls.getCall(raw, callId)),
		}, { gets: size.requests, playPrompts: 0, rounds: size.rounds, warmupRounds: size.warmupRounds, concurrency: size.concurrency });
		await calls.deleteCall(raw, callId).catch(() => undefined);
		return { tokenCachedOverRaw: ratio(ms, 'cached', 'raw') };
	} finally {
		cached.dispose();
		raw.dispose();
		msal.dispose();
		await callback.close();
	}
}
