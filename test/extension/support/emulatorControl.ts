// The bundled emulator's control API (/_emulator, see src/core/emulator/controlApi.ts) as a developer's script
// would call it: over HTTPS, trusting only the emulator's own CA (from the Emulator profile record).
import * as assert from 'node:assert/strict';
import { Agent, request } from 'undici';
import type { GraphCallsApi } from '../../../src/api';
import { emulatorProfile } from './api';

export interface ControlResponse<T> {
	readonly status: number;
	readonly body: T;
}

const agents = new Map<string, Agent>();

function agentFor(caCertPem: string): Agent {
	let agent = agents.get(caCertPem);
	if (!agent) {
		agent = new Agent({ connect: { ca: caCertPem } });
		agents.set(caCertPem, agent);
	}
	return agent;
}

/** One request to the running emulator's control API; `path` is below /_emulator (e.g. "/incomingCall"). */
export async function control<T = unknown>(api: GraphCallsApi, method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, body?: unknown): Promise<ControlResponse<T>> {
	const endpoints = api.emulator.endpoints;
	const ca = emulatorProfile(api)?.emulator?.caCertPem;
	assert.ok(endpoints && ca, 'the emulator runs and its profile holds its CA');
	const res = await request(`${endpoints.controlUrl}${path}`, {
		method,
		dispatcher: agentFor(ca),
		// The control API takes JSON only (a web page cannot send that cross-site), even for a POST without a body.
		headers: method === 'GET' || method === 'DELETE' ? {} : { 'content-type': 'application/json' },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	const text = await res.body.text();
	let parsed: unknown = text;
	try {
		parsed = text ? JSON.parse(text) : undefined;
	} catch {
		// Not JSON: keep the text for the assertion message.
	}
	return { status: res.statusCode, body: parsed as T };
}

/** Like control(), asserting the status. */
export async function controlOk<T = unknown>(api: GraphCallsApi, method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, body?: unknown, status = [200, 201, 204]): Promise<T> {
	const r = await control<T>(api, method, path, body);
	assert.ok(status.includes(r.status), `${method} /_emulator${path} answered ${r.status}: ${JSON.stringify(r.body)}`);
	return r.body;
}

/** Someone calls the bot (the emulator's incoming call); returns the new call id. */
export async function incomingCall(api: GraphCallsApi, from: { userId?: string; phone?: string }, callbackUri: string | undefined): Promise<string> {
	const body = await controlOk<{ callId: string }>(api, 'POST', '/incomingCall', { from, ...(callbackUri ? { callbackUri } : {}) });
	return body.callId;
}

/** The emulator's notification faults (drop, duplicate, reorder): PUT /_emulator/faults. */
export async function setNotificationFaults(api: GraphCallsApi, notifications: { dropRate?: number; duplicateRate?: number; reorder?: boolean }): Promise<void> {
	await controlOk(api, 'PUT', '/faults', { rules: [], notifications, tokenEndpointDown: false });
}

export async function clearFaults(api: GraphCallsApi): Promise<void> {
	await controlOk(api, 'DELETE', '/faults');
}

export async function closeControlAgents(): Promise<void> {
	const all = [...agents.values()];
	agents.clear();
	await Promise.all(all.map((a) => a.close()));
}
