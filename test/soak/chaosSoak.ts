// The chaos soak: sequential "bots" (one emulator app each, so the emulator's per-app early-retry count measures
// each bot's own Retry-After handling) run mixed call actions through the real GraphClient, MsalTokenProvider,
// CallbackPipeline (receiver + JWT validation) and CallStore + CallPoller, while the emulator injects 429/5xx,
// latency, token-endpoint outages and dropped, duplicated and reordered notifications.
// Used by test/integration/chaos.test.ts (bounded) and test/soak/soak.test.ts (`npm run soak`, longer).
import { randomUUID } from 'node:crypto';
import * as os from 'node:os';
import * as path from 'node:path';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import type { AccessToken, TokenProvider, TokenRequestOptions } from '../../src/core/auth/tokenProvider';
import { MsalTokenProvider } from '../../src/core/auth/msalTokenProvider';
import { SignInError } from '../../src/core/auth/authErrors';
import type { TenantProfile } from '../../src/core/auth/tenantProfile';
import { CallbackPipeline } from '../../src/core/callbacks/callbackPipeline';
import { CallPoller } from '../../src/core/calls/callPoller';
import { CallStore } from '../../src/core/calls/callStore';
import { ALL_PERMISSIONS } from '../../src/core/schema/endpoints';
import { EMULATOR_PEOPLE, startEmulator, type EmulatorHandle, type FaultConfig } from '../../src/core/emulator';
import { mulberry32 } from '../../src/core/emulator/faults';
import * as calls from '../../src/core/graph/calls';
import { GraphClient } from '../../src/core/graph/graphClient';
import { GraphError, RequestCancelledError } from '../../src/core/graph/graphError';

export interface SoakOptions {
	actions: number;
	bots: number;
	seed: number;
	/** Probability of an injected 429/5xx on each Graph request. */
	faultRate: number;
	log?: (line: string) => void;
}

export interface SoakFigures {
	actions: number;
	actionsByKind: Record<string, number>;
	succeeded: number;
	failed: number;
	/** Failures whose error had no explanation or next step (must stay 0). */
	unclearFailures: string[];
	failuresByKind: Record<string, number>;
	/** The first message of each kind of failure, to read in the figures. */
	failureSamples: Record<string, string>;
	faultsInjected: number;
	latencyInjected: number;
	tokenEndpointRefusals: number;
	earlyRetries: number;
	/** Requests already under way when another request to the same endpoint got its 429: throttled too, not retries. */
	throttledConcurrent: number;
	graphRetries: number;
	callsCreated: number;
	/** Calls the emulator placed that no successful create returned, plus clientContexts seen twice. */
	duplicateCalls: number;
	notificationsDropped: number;
	notificationsDuplicated: number;
	notificationsReordered: number;
	/** POSTs the emulator says were delivered (acknowledged) minus those the receiver accepted and processed. */
	lostNotifications: number;
	notificationPostsProcessed: number;
	receiverRejected: number;
	/** Store entries whose state differs from the emulator's dump once faults stop (must be 0). */
	storeMismatches: string[];
	heapMb: number[];
	durationMs: number;
}

const ERRORS_WITHOUT_A_NEXT_STEP = /^\s*$/;

/** Swappable token source: the bot "re-selects its profile" mid-run, which builds a fresh msal application. */
class SwitchingTokenProvider implements TokenProvider {
	constructor(public current: MsalTokenProvider) {}
	getToken(options?: TokenRequestOptions): Promise<AccessToken> {
		return this.current.getToken(options);
	}
}

function heapMb(): number {
	const gc = vm.runInNewContext('gc') as () => void;
	gc();
	return Math.round((process.memoryUsage().heapUsed / 1024 / 1024) * 10) / 10;
}

/** The Graph routes the soak uses (the token endpoint has its own outage instead). */
const GRAPH_ROUTES = ['call.create', 'call.get', 'call.delete', 'participant.list', 'call.playPrompt', 'call.mute', 'call.unmute', 'call.subscribeToTone', 'call.keepAlive'];

function graphFaults(rate: number, seed: number, tokenEndpointDown: boolean): FaultConfig {
	// 3/7 of the Graph faults are 429 (Retry-After in seconds or as an HTTP date), the rest 503, 500, 502 and 504.
	// Rules are tried in order, so each rate is conditional on the earlier ones not firing.
	const share = rate / 7;
	const statuses = [
		{ status: 429, rate: share * 1.5, retryAfterSeconds: 1 },
		{ status: 429, rate: share * 1.5 / (1 - share * 1.5), retryAfterSeconds: 1, retryAfterAsDate: true },
		{ status: 503, rate: share / (1 - share * 3), retryAfterSeconds: 1 },
		{ status: 500, rate: share / (1 - share * 4) },
		{ status: 502, rate: share / (1 - share * 5) },
		{ status: 504, rate: Math.min(1, share / (1 - share * 6)) },
	] as const;
	return {
		seed,
		tokenEndpointDown,
		rules: GRAPH_ROUTES.flatMap((route) => [{ route, latencyMs: 2 }, ...statuses.map((s) => ({ route, ...s }))]),
		notifications: { dropRate: 0.1, duplicateRate: 0.1, reorder: true },
	};
}

export async function runChaosSoak(options: SoakOptions): Promise<SoakFigures> {
	v8.setFlagsFromString('--expose_gc');
	const log = options.log ?? (() => undefined);
	const started = Date.now();
	// People who answer, are busy or decline: calls that establish and calls that end on their own.
	const { adele, lidia, johanna, megan, lee } = EMULATOR_PEOPLE;
	const people = [adele, lidia, johanna, lidia, megan, lee];
	const apps = Array.from({ length: options.bots }, (_, i) => ({
		clientId: `5eed0000-0000-4000-8000-${String(i + 1).padStart(12, '0')}`,
		displayName: `Soak bot ${i + 1}`,
		secrets: [{ value: `soak-secret-${i + 1}-${randomUUID()}` }],
		certificates: [],
		roles: [...ALL_PERMISSIONS],
	}));
	const emu: EmulatorHandle = await startEmulator({
		stateDir: path.join(os.tmpdir(), 'graph-calls-chaos-soak'),
		apps,
		timings: { establishMs: 50, defaultAnswerAfterMs: 100, operationMs: 100, transferMs: 50, terminateMs: 20 },
		webhooks: { retryBaseMs: 100, reorderHoldMs: 30 },
		// The token endpoint is down when the bots start: their first actions fail with a sign-in error.
		faults: graphFaults(options.faultRate, options.seed, true),
	});
	const store = new CallStore();
	const resources: { dispose(): void }[] = [];
	const pipelines: CallbackPipeline[] = [];
	const figures: SoakFigures = {
		actions: 0, actionsByKind: {}, succeeded: 0, failed: 0, unclearFailures: [], failuresByKind: {}, failureSamples: {}, faultsInjected: 0, latencyInjected: 0, tokenEndpointRefusals: 0,
		earlyRetries: 0, throttledConcurrent: 0, graphRetries: 0, callsCreated: 0, duplicateCalls: 0, notificationsDropped: 0, notificationsDuplicated: 0, notificationsReordered: 0,
		lostNotifications: 0, notificationPostsProcessed: 0, receiverRejected: 0, storeMismatches: [], heapMb: [], durationMs: 0,
	};
	const createdIds = new Set<string>();
	const owner = new Map<string, number>();
	const ownerOf = (id: string): number => owner.get(id.toLowerCase()) ?? 0;
	try {
		const bots = await Promise.all(apps.map(async (app, i) => {
			const profile: TenantProfile = {
				id: `soak-${i}`, name: `Soak ${i + 1}`, cloud: 'global', tenantId: emu.tenantId, clientId: app.clientId, credentialKind: 'secret', apiVersion: 'v1.0',
				emulator: { authority: emu.authority, graphHost: emu.baseUrl, caCertPem: emu.caCertPem, controlUrl: emu.controlUrl },
			};
			const newProvider = () => new MsalTokenProvider({ profile, getCredential: async () => ({ kind: 'secret', clientSecret: app.secrets[0].value }), timeoutMs: 5_000 });
			const tokens = new SwitchingTokenProvider(newProvider());
			const client = new GraphClient({ profileName: profile.name, baseUrl: emu.graphBaseUrl, graphHost: emu.baseUrl, tokenProvider: tokens, caCertPem: emu.caCertPem, timeoutMs: 10_000, retry: { baseDelayMs: 50, maxDelayMs: 400 } });
			client.onDidRequest((e) => {
				if (e.next?.startsWith('retrying')) figures.graphRetries++;
			});
			const pipeline = new CallbackPipeline({ security: () => ({ profile, relaxed: false }), sink: () => store, historyLimit: 200 });
			pipelines.push(pipeline);
			const url = await pipeline.start();
			resources.push(client, { dispose: () => tokens.current.dispose() });
			return { app, client, tokens, newProvider, url, live: [] as string[], random: mulberry32(options.seed * 100 + i) };
		}));
		// Notifications get lost: the poller follows calls that went quiet, with the owning bot's client.
		const poller = new CallPoller(store, {
			fetchCall: async (id, signal) => {
				try {
					return (await calls.getCall(bots[ownerOf(id)].client, id, { signal })).body;
				} catch (err) {
					if (err instanceof GraphError && err.status === 404) return undefined;
					throw err;
				}
			},
			fetchParticipants: async (id, signal) => (await calls.listParticipants(bots[ownerOf(id)].client, id, { signal })).body.value,
		}, { policy: { quietMs: 300, initialDelayMs: 300, maxDelayMs: 1_500, factor: 2 } });
		resources.push(poller);

		// The token endpoint comes back after a while; later it fails again while every bot builds a new provider.
		emu.emulator.entra.tokenEndpointDown = true;
		// Each outage lasts until every bot has been refused once (or 8 s), plus half a second: on a loaded machine the
		// first token request can come late, and a fixed timer could end the outage before anyone noticed it.
		const endOutage = async (refusalsBefore: number) => {
			const until = Date.now() + 8_000;
			while (emu.emulator.faults.counters.tokenEndpointRefusals < refusalsBefore + options.bots && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
			await new Promise((r) => setTimeout(r, 500));
			emu.emulator.entra.tokenEndpointDown = false;
		};
		const outages = [endOutage(0)];
		let secondOutageDone = false;
		const perBot = Math.ceil(options.actions / options.bots);
		let done = 0;
		const quarter = Math.max(1, Math.floor(options.actions / 4));

		const runAction = async (bot: (typeof bots)[number], botIndex: number, n: number): Promise<void> => {
			const r = bot.random;
			const callId = bot.live.length ? bot.live[Math.floor(r() * bot.live.length)] : undefined;
			const pick = r();
			const clientContext = `soak-${botIndex}-${n}`;
			let kind = 'create';
			try {
				if (!callId || (bot.live.length < 3 && pick < 0.25)) {
					kind = 'create';
					const person = people[Math.floor(r() * people.length)];
					const res = await calls.createCall(bot.client, { kind: 'user', userId: person.id, displayName: person.displayName, callbackUri: bot.url, tenantId: emu.tenantId });
					const id = res.body.id;
					if (createdIds.has(id)) figures.duplicateCalls++;
					createdIds.add(id);
					owner.set(id.toLowerCase(), botIndex);
					store.applyCall(res.body);
					bot.live.push(id);
				} else if (pick < 0.35) {
					kind = 'get';
					store.applyCall((await calls.getCall(bot.client, callId)).body, 'poll');
				} else if (pick < 0.45) {
					kind = 'participants';
					store.applyParticipants(callId, (await calls.listParticipants(bot.client, callId)).body.value);
				} else if (pick < 0.6) {
					kind = 'playPrompt';
					store.applyOperation(callId, (await calls.playPrompt(bot.client, callId, { promptUris: ['https://cdn.contoso.com/beep.wav'], clientContext })).body);
				} else if (pick < 0.7) {
					kind = 'mute';
					store.applyOperation(callId, (await (r() < 0.5 ? calls.muteCall : calls.unmuteCall)(bot.client, callId, { clientContext })).body);
				} else if (pick < 0.78) {
					kind = 'subscribeToTone';
					store.applyOperation(callId, (await calls.subscribeToTone(bot.client, callId, { clientContext })).body);
				} else if (pick < 0.86) {
					kind = 'keepAlive';
					await calls.keepAlive(bot.client, callId);
				} else {
					kind = 'hangUp';
					await calls.deleteCall(bot.client, callId);
					bot.live = bot.live.filter((id) => id !== callId);
				}
				figures.succeeded++;
			} catch (err) {
				figures.failed++;
				const name = err instanceof GraphError ? `GraphError ${err.status ?? err.kind}` : (err as Error).name;
				figures.failuresByKind[name] = (figures.failuresByKind[name] ?? 0) + 1;
				figures.failureSamples[name] ??= (err as Error).message.slice(0, 300);
				const clear = (err instanceof GraphError && !ERRORS_WITHOUT_A_NEXT_STEP.test(err.nextStep) && err.message.length > 0)
					|| (err instanceof SignInError && !ERRORS_WITHOUT_A_NEXT_STEP.test(err.explanation))
					|| err instanceof RequestCancelledError;
				if (!clear && figures.unclearFailures.length < 20) figures.unclearFailures.push(`${(err as Error).name}: ${(err as Error).message}`);
				// A call Graph no longer knows is forgotten by the bot (the store keeps what it last heard).
				if (err instanceof GraphError && err.status === 404 && callId) bot.live = bot.live.filter((id) => id !== callId);
				// Sign-in failures come back at once (msal also honours the token endpoint's Retry-After): like a user,
				// the bot tries again a little later instead of spinning through its actions.
				if (err instanceof SignInError) await new Promise((r) => setTimeout(r, 250));
			}
			figures.actions++;
			figures.actionsByKind[kind] = (figures.actionsByKind[kind] ?? 0) + 1;
			done++;
			if (done % quarter === 0) {
				figures.heapMb.push(heapMb());
				log(`${done} actions, heap ${figures.heapMb.at(-1)} MB`);
			}
			if (!secondOutageDone && done >= options.actions / 2) {
				secondOutageDone = true;
				emu.emulator.entra.tokenEndpointDown = true;
				for (const b of bots) {
					const old = b.tokens.current;
					b.tokens.current = b.newProvider();
					old.dispose();
				}
				log(`token endpoint down at action ${done}; refusals so far ${emu.emulator.faults.counters.tokenEndpointRefusals}`);
				outages.push(endOutage(emu.emulator.faults.counters.tokenEndpointRefusals));
			}
		};

		await Promise.all(bots.map(async (bot, i) => {
			for (let n = 0; n < perBot && done < options.actions; n++) await runAction(bot, i, n);
		}));
		await Promise.all(outages);

		// Faults off: everything still queued is delivered, the poller catches up, then compare with the dump.
		emu.setFaults({ rules: [], notifications: {}, tokenEndpointDown: false });
		emu.emulator.entra.tokenEndpointDown = false;
		await emu.webhooksIdle();
		type Dump = { calls: { call: { id: string; state: string } }[]; endedCalls: { id: string }[]; counters: typeof emu.emulator.faults.counters; notifications: { delivered: number } };
		let state = emu.emulator.state() as Dump;
		const deadline = Date.now() + 20_000;
		for (;;) {
			// Read the emulator afresh each time: a call still establishing when the faults stopped moves on by itself
			// (its timer fires later), and the store follows it; comparing with the first dump saw a false mismatch.
			state = emu.emulator.state() as Dump;
			const ended = new Set(emu.emulator.engine.endedCalls().map((c) => c.id.toLowerCase()));
			const live = new Map(state.calls.map((c) => [c.call.id.toLowerCase(), c.call.state]));
			figures.storeMismatches = [];
			for (const id of createdIds) {
				const entry = store.get(id);
				const want = live.get(id.toLowerCase()) ?? (ended.has(id.toLowerCase()) ? 'terminated' : 'unknown to the emulator');
				const have = entry ? (entry.ended ? 'terminated' : entry.call.state) : 'missing from the store';
				if (want !== have) figures.storeMismatches.push(`${id}: emulator ${want}, store ${have}`);
			}
			for (const entry of store.list()) {
				if (!createdIds.has(entry.callId)) figures.storeMismatches.push(`${entry.callId}: in the store but never created`);
			}
			if (!figures.storeMismatches.length || Date.now() > deadline) break;
			await new Promise((r) => setTimeout(r, 200));
		}
		// Anything those late calls sent is delivered and processed before counting: delivered must equal processed.
		await emu.webhooksIdle();
		state = emu.emulator.state() as Dump;
		await Promise.all(pipelines.map((i) => i.receiver?.whenIdle()));

		const c = emu.emulator.faults.counters;
		figures.faultsInjected = Object.values(c.injected).reduce((a, b) => a + b, 0);
		figures.latencyInjected = c.latencyInjected;
		figures.tokenEndpointRefusals = c.tokenEndpointRefusals;
		figures.earlyRetries = c.earlyRetries;
		figures.throttledConcurrent = c.throttledConcurrent;
		figures.notificationsDropped = c.notificationsDropped;
		figures.notificationsDuplicated = c.notificationsDuplicated;
		figures.notificationsReordered = c.notificationsReordered;
		figures.callsCreated = createdIds.size;
		const placed = emu.emulator.engine.list().filter((x) => apps.some((a) => a.clientId === x.appId)).length
			+ emu.emulator.engine.endedCalls().filter((x) => apps.some((a) => a.clientId === x.appId)).length;
		figures.duplicateCalls += Math.max(0, placed - createdIds.size);
		const stats = pipelines.map((i) => i.receiver?.stats);
		figures.notificationPostsProcessed = stats.reduce((a, s) => a + (s?.processed ?? 0), 0);
		figures.receiverRejected = stats.reduce((a, s) => a + Object.values(s?.rejected ?? {}).reduce((x, y) => x + y, 0), 0);
		figures.lostNotifications = Math.max(0, state.notifications.delivered - figures.notificationPostsProcessed);
		figures.durationMs = Date.now() - started;
		return figures;
	} finally {
		for (const r of resources.reverse()) r.dispose();
		for (const i of pipelines) {
			await i.stop();
			i.dispose();
		}
		store.dispose();
		await emu.stop();
	}
}
