/**
 * Turns a successful Graph answer into CallStore updates, by the endpoint it answered: the one rule for how
 * responses change call state, whether the request came from a command or from a request document.
 */
import type { CallStore } from './callStore';
import type { CallResource, OperationResource, ParticipantResource } from '../schema/types';
import { matchEndpoint, type EndpointMatch } from '../schema/endpointMatch';
import type { ApiVersionName } from '../schema/endpoints';

export interface SentResponse {
	readonly status: number;
	readonly headers: Readonly<Record<string, string>>;
	readonly body: unknown;
}

export type StoreLike = Pick<CallStore, 'applyCall' | 'applyParticipants' | 'applyParticipant' | 'removeParticipants' | 'applyOperation' | 'get'> & { track(callId: string): unknown };

function isObject(v: unknown): v is Record<string, unknown> {
	return !!v && typeof v === 'object' && !Array.isArray(v);
}

/** The id of a created call: the body's id, or the last segment of the Location header. */
export function createdCallId(response: SentResponse): string | undefined {
	if (isObject(response.body) && typeof response.body.id === 'string' && response.body.id) return response.body.id;
	const location = response.headers.location ?? response.headers.Location;
	const m = location ? /\/calls\/([^/?#]+)\/?(?:[?#].*)?$/.exec(location) : null;
	return m ? decodeURIComponent(m[1]) : undefined;
}

/** Applies a successful response; returns the call id it concerned, if any. Failed responses change nothing. */
export function feedCallStore(store: StoreLike, match: EndpointMatch | undefined, response: SentResponse): string | undefined {
	if (!match || response.status < 200 || response.status >= 300) return undefined;
	const body = response.body;
	const action = match.row.action;
	if (action === 'call.create') {
		const id = createdCallId(response);
		if (!id) return undefined;
		store.applyCall(isObject(body) ? ({ ...body, id } as unknown as CallResource) : { id });
		return id;
	}
	const callId = match.params.callId;
	if (!callId) return undefined;
	switch (action) {
		case 'call.get':
			if (isObject(body) && typeof body.id === 'string') store.applyCall(body as unknown as CallResource);
			break;
		case 'call.delete':
			// The bot's leg is gone; the terminated notification or the next poll confirms it.
			store.applyCall({ id: store.get(callId)?.callId ?? callId, state: 'terminating' });
			break;
		case 'participant.list':
			if (isObject(body) && Array.isArray(body.value)) store.applyParticipants(callId, body.value as ParticipantResource[]);
			break;
		case 'participant.get':
			if (isObject(body) && typeof body.id === 'string') store.applyParticipant(callId, body as unknown as ParticipantResource);
			break;
		case 'participant.delete':
			if (match.params.participantId) store.removeParticipants(callId, [match.params.participantId]);
			break;
		default:
			// Actions that start an operation (playPrompt, mute, invite, ...) answer with it.
			if (isObject(body) && typeof body.id === 'string' && (typeof body.status === 'string' || /Operation$/.test(String(body['@odata.type'] ?? '')))) {
				store.applyOperation(callId, body as unknown as OperationResource);
			} else if (!store.get(callId)) {
				store.track(callId);
			}
	}
	return store.get(callId)?.callId ?? callId;
}

/** Applies the answer to `method url` (an absolute URL, or a path below the root of `version`). */
export function applyResponse(store: StoreLike, method: string, urlOrPath: string, response: SentResponse, version: ApiVersionName = 'v1.0'): string | undefined {
	return feedCallStore(store, matchEndpoint(method, urlOrPath, version), response);
}
