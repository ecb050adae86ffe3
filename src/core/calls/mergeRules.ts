/**
 * How call resources, rosters and operations from responses, polls and notifications combine. Graph delivers
 * notifications out of order and sometimes twice; these rules make the result independent of that.
 */
import type { CallResource, OperationResource } from '../schema/types';

/**
 * The key a call, participant or operation id is stored under. Graph sends the same id upper-case without
 * dashes in some resourceUrls, so ids are compared after lower-casing and dropping dashes and braces; never
 * validated against a GUID pattern (emulators and older services use other shapes).
 */
export function idKey(id: string): string {
	return id.trim().toLowerCase().replace(/[-{}]/g, '');
}

export type ResourceTarget =
	| { kind: 'call'; callId: string }
	| { kind: 'participants'; callId: string }
	| { kind: 'participant'; callId: string; participantId: string }
	| { kind: 'operation'; callId: string; operationId: string }
	| { kind: 'other'; callId: string; path: string };

const RESOURCE_URL = /(?:^|\/)(?:communications|app)\/calls\/([^/?#]+)(?:\/([^/?#]+)(?:\/([^/?#]+))?)?/i;

/**
 * Reads which call (and which participant or operation) a notification's resourceUrl names. Accepts relative
 * paths, absolute URLs with a version segment, and the beta `/app/calls` alias.
 */
export function parseResourceUrl(url: string | undefined): ResourceTarget | undefined {
	if (!url) return undefined;
	const m = RESOURCE_URL.exec(url);
	if (!m) return undefined;
	const callId = decodeURIComponent(m[1]);
	const child = m[2]?.toLowerCase();
	const childId = m[3] ? decodeURIComponent(m[3]) : undefined;
	if (!child) return { kind: 'call', callId };
	if (child === 'participants') return childId ? { kind: 'participant', callId, participantId: childId } : { kind: 'participants', callId };
	if (child === 'operations' && childId) return { kind: 'operation', callId, operationId: childId };
	return { kind: 'other', callId, path: m[0] };
}

/**
 * Progress order of call states. A state may replace another of the same or a higher rank, never a lower one:
 * `established` arriving before `establishing` keeps the call established, and nothing revives `terminated`.
 * The in-call states (established, hold, transferring, ...) share one rank because calls move freely between them.
 */
const STATE_RANK: Readonly<Record<string, number>> = {
	incoming: 0,
	notifying: 0,
	establishing: 1,
	ringing: 1,
	established: 2,
	hold: 2,
	transferring: 2,
	transferaccepted: 2,
	redirecting: 2,
	terminating: 3,
	terminated: 4,
};

/** Unknown future states are treated as in-call states. */
export function callStateRank(state: string | null | undefined): number {
	if (!state) return -1;
	return STATE_RANK[state.toLowerCase()] ?? 2;
}

export function isEndedState(state: string | null | undefined): boolean {
	return state?.toLowerCase() === 'terminated';
}

/** True when `next` would move the call backwards from `prev` (a late or duplicated older event). */
export function isStateRegression(prev: string | null | undefined, next: string | null | undefined): boolean {
	if (!prev || !next) return false;
	return callStateRank(next) < callStateRank(prev);
}

/**
 * Merges a newer view of a call into what we had. A stale view (its state is older than ours) only fills in
 * fields we did not know yet; a current view overwrites. Child collections never live on the call entry.
 */
export function mergeCall(prev: CallResource | undefined, next: CallResource): { call: CallResource; stale: boolean } {
	const incoming = withoutChildren(next);
	if (!prev) return { call: incoming, stale: false };
	const stale = isStateRegression(prev.state, next.state) || (isEndedState(prev.state) && !isEndedState(next.state));
	const merged: CallResource = stale ? fillMissing(prev, incoming) : { ...prev, ...incoming };
	// The first id we saw stays the id we show, whatever casing a later event used.
	return { call: { ...merged, id: prev.id }, stale };
}

/** `prev` plus the fields only `extra` has, keeping prev's key order so an unchanged call compares equal. */
function fillMissing<T extends object>(prev: T, extra: T): T {
	const out: Record<string, unknown> = { ...(prev as Record<string, unknown>) };
	for (const [k, v] of Object.entries(extra)) if (!(k in out)) out[k] = v;
	return out as T;
}

function withoutChildren(call: CallResource): CallResource {
	if (!('participants' in call) && !('operations' in call)) return call;
	const { participants: _p, operations: _o, ...rest } = call;
	return rest as CallResource;
}

/** notStarted < running < completed | failed; the wire uses camelCase, the typings PascalCase. */
export function operationStatusRank(status: string | null | undefined): number {
	switch (status?.toLowerCase()) {
		case 'notstarted':
			return 0;
		case 'running':
			return 1;
		case 'completed':
		case 'failed':
			return 2;
		default:
			return -1;
	}
}

export function isFinishedOperation(op: Pick<OperationResource, 'status'>): boolean {
	return operationStatusRank(op.status) === 2;
}

/** Same rule as for calls: a finished operation never goes back to running. */
export function mergeOperation(prev: OperationResource | undefined, next: OperationResource): OperationResource {
	if (!prev) return next;
	if (operationStatusRank(next.status) < operationStatusRank(prev.status)) return fillMissing(prev, next);
	return { ...prev, ...next, id: prev.id };
}
