// Realistic traffic records for the lint tests: requests and notifications shaped as Graph's docs show them
// (application-post-calls.md, call-answer.md, call-playprompt.md), written through the product's own HAR writer.
import type { HarEntry } from '../../src/core/traffic/har';
import { notificationEntry, buildTrafficLog, type TrafficLog } from '../../src/core/traffic/trafficRecord';
import { harEntry } from '../../src/core/traffic/har';

export const GRAPH = 'https://graph.microsoft.com/v1.0';
export const CALLBACK = 'https://bot.contoso.com/api/calls';
export const TENANT = 'aa67bd4c-8475-432d-bd41-39f255720e0a';
export const CALL_ID = '2e1a0b00-2db4-4022-9570-243709c565ab';
/** The same id as notifications write it. */
export const CALL_ID_UPPER = '2E1A0B002DB440229570243709C565AB';
export const USER = { '@odata.type': '#microsoft.graph.identity', id: '112f7296-5fa4-42ca-bae8-6a692b15d4b8', displayName: 'John' };

const T0 = Date.parse('2026-11-28T09:00:00.000Z');
export const at = (ms: number) => new Date(T0 + ms).toISOString();
export const MIN = 60_000;

export function createBody(extra: Record<string, unknown> = {}): Record<string, unknown> {
	return {
		'@odata.type': '#microsoft.graph.call',
		callbackUri: CALLBACK,
		targets: [{ '@odata.type': '#microsoft.graph.invitationParticipantInfo', identity: { '@odata.type': '#microsoft.graph.identitySet', user: USER } }],
		requestedModalities: ['audio'],
		mediaConfig: { '@odata.type': '#microsoft.graph.serviceHostedMediaConfig' },
		tenantId: TENANT,
		...extra,
	};
}

export function out(ms: number, method: string, path: string, body: unknown, status: number, response?: unknown, durationMs = 120): HarEntry {
	return harEntry({
		direction: 'out',
		startedDateTime: at(ms),
		durationMs,
		method,
		url: `${GRAPH}${path}`,
		requestHeaders: { authorization: 'Bearer eyJ0eXAiOiJKV1QifQ.eyJyb2xlcyI6W119.c2ln', 'content-type': 'application/json' },
		requestBody: body,
		status,
		responseHeaders: { 'content-type': 'application/json', ...(status === 201 && response && typeof response === 'object' && 'id' in response ? { location: `${GRAPH}/communications/calls/${(response as { id: string }).id}` } : {}) },
		responseBody: response,
	});
}

export function create(ms: number, body = createBody(), status = 201, id = CALL_ID): HarEntry {
	return out(ms, 'POST', '/communications/calls', body, status, status === 201 ? { '@odata.type': '#microsoft.graph.call', id, state: 'establishing', direction: 'outgoing' } : undefined);
}

export function action(ms: number, name: string, status = 200, body: unknown = {}, response?: unknown, callId = CALL_ID): HarEntry {
	return out(ms, 'POST', `/communications/calls/${callId}/${name}`, body, status, response);
}

export function notify(ms: number, value: Record<string, unknown>[], status = 202, durationMs = 15): HarEntry {
	return notificationEntry({
		url: CALLBACK,
		startedDateTime: at(ms),
		durationMs,
		headers: { authorization: 'Bearer eyJ0eXAiOiJKV1QifQ.eyJhdWQiOiJib3QifQ.c2ln' },
		body: { '@odata.type': '#microsoft.graph.commsNotifications', value },
		status,
	});
}

export function callState(state: string, extra: Record<string, unknown> = {}, changeType = 'updated', callId = CALL_ID_UPPER): Record<string, unknown> {
	return {
		'@odata.type': '#microsoft.graph.commsNotification',
		changeType,
		resourceUrl: `/communications/calls/${callId}`,
		resourceData: { '@odata.type': '#microsoft.graph.call', '@odata.id': `/communications/calls/${callId}`, state, ...extra },
	};
}

export function incoming(callId = CALL_ID_UPPER): Record<string, unknown> {
	return callState('incoming', { direction: 'incoming', source: { identity: { user: USER } } }, 'created', callId);
}

export function terminated(code = 200, subcode = 5001, callId = CALL_ID_UPPER): Record<string, unknown> {
	return callState('terminated', { resultInfo: { '@odata.type': '#microsoft.graph.resultInfo', code, subcode } }, 'deleted', callId);
}

export function operationDone(opId: string, type = '#microsoft.graph.playPromptOperation', callId = CALL_ID_UPPER): Record<string, unknown> {
	return {
		'@odata.type': '#microsoft.graph.commsNotification',
		changeType: 'deleted',
		resourceUrl: `/communications/calls/${callId}/operations/${opId}`,
		resourceData: { '@odata.type': type, '@odata.id': `/communications/calls/${callId}/operations/${opId}`, id: opId, status: 'completed', resultInfo: { code: 200, subcode: 0 } },
	};
}

export function record(entries: HarEntry[], roles?: string[]): TrafficLog {
	return buildTrafficLog(entries, { creatorVersion: 'test', roles });
}

/** A call the bot made and handled well: created, established, kept alive every 15 min for an hour, hung up. */
export function wellBehavedCall(): HarEntry[] {
	return [
		create(0),
		notify(300, [callState('establishing')]),
		notify(2_000, [callState('established')]),
		action(15 * MIN, 'keepAlive'),
		action(30 * MIN, 'keepAlive'),
		action(45 * MIN, 'keepAlive'),
		action(60 * MIN, 'keepAlive'),
		out(61 * MIN, 'DELETE', `/communications/calls/${CALL_ID}`, undefined, 204),
		notify(61 * MIN + 200, [terminated(200, 7000)]),
	];
}
