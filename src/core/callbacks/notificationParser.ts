import type { ChangeType, CommsNotification } from '../schema/types';

/** The outcome of parsing one commsNotifications POST body. */
export type ParsedNotifications =
	| { readonly ok: true; readonly notifications: CommsNotification[]; readonly warnings: string[] }
	| { readonly ok: false; readonly error: string };

const CHANGE_TYPES: readonly ChangeType[] = ['created', 'updated', 'deleted'];
const KNOWN_BATCH_TYPES = ['#microsoft.graph.commsNotifications'];
const KNOWN_ITEM_TYPES = ['#microsoft.graph.commsNotification'];

function isObject(v: unknown): v is Record<string, unknown> {
	return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Parses a commsNotifications body. Tolerant where Graph varies (unknown @odata.type, `resource` instead of
 * `resourceUrl`, resourceData as object or array, a single notification without the `value` wrapper) and strict
 * where nothing useful could follow (not JSON, no notification at all).
 */
export function parseCommsNotifications(text: string): ParsedNotifications {
	let body: unknown;
	try {
		body = JSON.parse(text);
	} catch (err) {
		return { ok: false, error: `The body is not valid JSON (${(err as Error).message}).` };
	}
	const warnings: string[] = [];
	let items: unknown[];
	if (isObject(body) && Array.isArray(body.value)) {
		const t = body['@odata.type'];
		if (typeof t === 'string' && !KNOWN_BATCH_TYPES.includes(t)) warnings.push(`Unknown @odata.type "${t}" on the body; read as commsNotifications.`);
		items = body.value;
	} else if (isObject(body) && ('changeType' in body || 'resourceUrl' in body)) {
		warnings.push('The body is a single notification without the commsNotifications "value" wrapper.');
		items = [body];
	} else {
		return { ok: false, error: 'The body is JSON but not a commsNotifications object: expected {"value": [ {changeType, resourceUrl, resourceData}, ... ]}.' };
	}
	if (items.length === 0) return { ok: false, error: 'The commsNotifications "value" array is empty.' };

	const notifications: CommsNotification[] = [];
	items.forEach((item, i) => {
		if (!isObject(item)) {
			warnings.push(`value[${i}] is not an object; ignored.`);
			return;
		}
		const resourceUrl = typeof item.resourceUrl === 'string' ? item.resourceUrl : typeof item.resource === 'string' ? item.resource : undefined;
		if (!resourceUrl) {
			warnings.push(`value[${i}] has no resourceUrl; ignored.`);
			return;
		}
		const changeType = item.changeType;
		if (typeof changeType !== 'string' || !CHANGE_TYPES.includes(changeType as ChangeType)) {
			warnings.push(`value[${i}] has changeType ${JSON.stringify(changeType)}, not created, updated or deleted; ignored.`);
			return;
		}
		const t = item['@odata.type'];
		if (typeof t === 'string' && !KNOWN_ITEM_TYPES.includes(t)) warnings.push(`value[${i}] has unknown @odata.type "${t}"; read as commsNotification.`);
		notifications.push({ ...(item as object), changeType: changeType as ChangeType, resourceUrl } as CommsNotification);
	});
	if (notifications.length === 0) return { ok: false, error: `No usable notification in the body: ${warnings.join(' ')}` };
	return { ok: true, notifications, warnings };
}

export type NotificationKind = 'call' | 'participants' | 'operation' | 'other';

/** What the notifications view and the CallStore need to know about one notification. */
export interface NotificationSummary {
	readonly kind: NotificationKind;
	readonly changeType: ChangeType;
	readonly resourceUrl: string;
	readonly callId?: string;
	readonly operationId?: string;
	/** Call state for call notifications (e.g. incoming, established, terminated). */
	readonly state?: string;
	/** commsOperation status for operation notifications (notStarted, running, completed, failed). */
	readonly operationStatus?: string;
	/** The resourceData @odata.type, e.g. #microsoft.graph.playPromptOperation. */
	readonly dataType?: string;
	readonly participantCount?: number;
	readonly resultInfo?: { code?: number; subcode?: number; message?: string };
}

// Ids in resourceUrl may be upper-case GUIDs without dashes or other opaque strings: match any path segment.
const RESOURCE_URL = /^(?:https?:\/\/[^/]+)?(?:\/(?:v1\.0|beta))?\/(?:communications|app)\/calls\/([^/?#]+)(?:\/(participants|operations)(?:\/([^/?#]+))?)?/i;

/** Reads call id, kind, state and status out of a notification without trusting its shape. */
export function summarizeNotification(n: CommsNotification): NotificationSummary {
	const m = RESOURCE_URL.exec(n.resourceUrl);
	const callId = m?.[1];
	const child = m?.[2]?.toLowerCase();
	const data = n.resourceData;
	const first = Array.isArray(data) ? data[0] : data;
	const obj = isObject(first) ? first : undefined;
	const dataType = typeof obj?.['@odata.type'] === 'string' ? (obj['@odata.type'] as string) : undefined;
	const resultInfo = isObject(obj?.resultInfo) ? (obj.resultInfo as NotificationSummary['resultInfo']) : undefined;
	const base = { changeType: n.changeType, resourceUrl: n.resourceUrl, callId, dataType, resultInfo };
	if (child === 'operations' || (dataType !== undefined && /Operation$/i.test(dataType))) {
		const operationId = m?.[3] ?? (typeof obj?.id === 'string' ? obj.id : undefined);
		return { ...base, kind: 'operation', operationId, operationStatus: typeof obj?.status === 'string' ? obj.status : undefined };
	}
	if (child === 'participants' || Array.isArray(data)) {
		return { ...base, kind: 'participants', participantCount: Array.isArray(data) ? data.length : obj ? 1 : 0 };
	}
	if (callId) return { ...base, kind: 'call', state: typeof obj?.state === 'string' ? obj.state : undefined };
	return { ...base, kind: 'other' };
}
