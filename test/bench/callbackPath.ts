/**
 * (3) Emulator under load with webhooks delivered to our receiver, and (4) the receiver alone with JWT validation
 * on. Both use the CallbackPipeline the extension runs (receiver + token validation + CallStore sink).
 */
import { Agent, request } from 'undici';
import { CallbackPipeline, type CallbackProfile } from '../../src/core/callbacks/callbackPipeline';
import { CallStore } from '../../src/core/calls/callStore';
import { EMULATOR_PEOPLE, type EmulatorHandle } from '../../src/core/emulator';
import * as calls from '../../src/core/graph/calls';
import { GraphClient } from '../../src/core/graph/graphClient';
import type { CommsNotification } from '../../src/core/schema/types';
import { fetchToken, staticTokens } from './requestPath';
import { percentile, round, runPool } from './stats';

function profileOf(emu: EmulatorHandle): CallbackProfile {
	return { name: 'Emulator', clientId: emu.clientId, tenantId: emu.tenantId, emulator: { authority: emu.authority, graphHost: emu.baseUrl, caCertPem: emu.caCertPem, controlUrl: emu.controlUrl } };
}

/** Identifies "the same" notification on both sides of the wire: resource, change and state or status. */
function keyOf(n: CommsNotification): string {
	const data = (n.resourceData ?? {}) as { '@odata.type'?: string; state?: string; status?: string };
	return `${n.resourceUrl}|${n.changeType}|${data['@odata.type'] ?? ''}|${data.state ?? data.status ?? ''}`.toLowerCase();
}

export async function benchEmulator(emu: EmulatorHandle, size: { calls: number; concurrency: number }): Promise<Record<string, number>> {
	const store = new CallStore();
	const pipeline = new CallbackPipeline({ security: () => ({ profile: profileOf(emu), relaxed: false }), sink: () => store, historyLimit: 200 });
	const url = await pipeline.start();
	// Stamp each notification when the emulator's state change hands it to the dispatcher; match it on arrival.
	const sentAt = new Map<string, number[]>();
	const webhooks = emu.emulator.webhooks;
	const originalSend = webhooks.send.bind(webhooks);
	webhooks.send = (uri, appId, tenantId, notifications) => {
		const t = performance.now();
		for (const n of notifications) {
			const k = keyOf(n);
			const list = sentAt.get(k);
			if (list) list.push(t);
			else sentAt.set(k, [t]);
		}
		originalSend(uri, appId, tenantId, notifications);
	};
	const latencies: number[] = [];
	let invalid = 0;
	pipeline.onDidRecord((r) => {
		const t = performance.now();
		if (!r.valid) invalid++;
		let body: { value?: CommsNotification[] };
		try {
			body = JSON.parse(r.body);
		} catch {
			return;
		}
		for (const n of body.value ?? []) {
			const sent = sentAt.get(keyOf(n))?.shift();
			if (sent !== undefined) latencies.push(t - sent);
		}
	});
	const token = await fetchToken(emu, new Agent({ connect: { ca: emu.caCertPem } }));
	const client = new GraphClient({ profileName: 'Emulator', baseUrl: emu.graphBaseUrl, graphHost: emu.baseUrl, tokenProvider: staticTokens(token), caCertPem: emu.caCertPem });
	let actions = 0;
	try {
		const elapsed = await runPool(size.calls, size.concurrency, async () => {
			const created = await calls.createCall(client, { kind: 'user', userId: EMULATOR_PEOPLE.lidia.id, callbackUri: url, tenantId: emu.tenantId });
			actions++;
			const callId = created.body.id;
			// The established notification reaching the store is the signal to go on (no polling requests).
			const end = Date.now() + 30_000;
			while (store.get(callId)?.call.state !== 'established') {
				if (Date.now() > end) throw new Error(`Call ${callId} was not reported established within 30 s: webhooks are not arriving at ${url}.`);
				await new Promise((r) => setTimeout(r, 2));
			}
			await calls.getCall(client, callId);
			await calls.playPrompt(client, callId, { promptUris: ['https://example.com/bench.wav'] });
			await calls.deleteCall(client, callId);
			actions += 3;
		});
		await emu.webhooksIdle();
		await pipeline.receiver?.whenIdle();
		if (invalid) throw new Error(`${invalid} emulator notifications failed token validation.`);
		if (latencies.length < size.calls) throw new Error(`Only ${latencies.length} webhook deliveries were matched for ${size.calls} calls.`);
		latencies.sort((a, b) => a - b);
		return {
			emulatorActionsPerSec: round(actions / (elapsed / 1000), 0),
			webhookP50Ms: round(percentile(latencies, 50), 1),
			webhookP99Ms: round(percentile(latencies, 99), 1),
		};
	} finally {
		webhooks.send = originalSend;
		client.dispose();
		await pipeline.stop();
		pipeline.dispose();
		store.dispose();
	}
}

export async function benchReceiver(emu: EmulatorHandle, size: { posts: number; concurrency: number }): Promise<Record<string, number>> {
	const store = new CallStore();
	const pipeline = new CallbackPipeline({ security: () => ({ profile: profileOf(emu), relaxed: false }), sink: () => store, historyLimit: 200 });
	const url = await pipeline.start();
	const authorization = `Bearer ${emu.emulator.webhooks.tokenFor(emu.clientId, emu.tenantId)}`;
	const pool = new Agent({ connections: size.concurrency });
	const body = (i: number) => JSON.stringify({ '@odata.type': '#microsoft.graph.commsNotifications', value: [{ '@odata.type': '#microsoft.graph.commsNotification', changeType: 'updated', resourceUrl: `/communications/calls/bench-${i % 100}`, resourceData: { '@odata.type': '#microsoft.graph.call', state: i % 2 ? 'established' : 'hold' } }] });
	const post = async (i: number) => {
		const res = await request(url, { method: 'POST', dispatcher: pool, body: body(i), headers: { 'content-type': 'application/json', authorization } });
		await res.body.dump();
		return res.statusCode;
	};
	try {
		// Warm-up: keys fetched, connections open.
		for (let i = 0; i < 20; i++) if ((await post(i)) !== 202) throw new Error('The receiver did not accept a validly signed emulator notification; check the emulator profile.');
		const latencies: number[] = [];
		let other = 0;
		const elapsed = await runPool(size.posts, size.concurrency, async (i) => {
			const t = performance.now();
			const status = await post(i);
			latencies.push(performance.now() - t);
			if (status !== 202) other++;
		});
		await pipeline.receiver?.whenIdle();
		if (other) throw new Error(`${other} of ${size.posts} notifications were not answered 202 (queue full or validation failed).`);
		if ((pipeline.receiver?.stats.processed ?? 0) < size.posts) throw new Error('Not every accepted notification was processed.');
		latencies.sort((a, b) => a - b);
		return { receiverNotificationsPerSec: round(size.posts / (elapsed / 1000), 0), receiverP99Ms: round(percentile(latencies, 99), 1) };
	} finally {
		await pool.close();
		await pipeline.stop();
		pipeline.dispose();
		store.dispose();
	}
}
