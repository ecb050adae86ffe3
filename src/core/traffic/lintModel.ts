/**
 * What the lint rules read: the traffic record indexed once (each entry's time, direction, endpoint, call id,
 * parsed bodies and notifications), so each rule is one pass over arrays instead of re-parsing JSON.
 */
import type { HarEntry } from './har';
import type { CallAction } from '../schema/endpoints';
import { matchEndpoint } from '../schema/endpointMatch';
import { directionOf } from './harReader';
import type { TrafficLog } from './trafficRecord';

export type Severity = 'error' | 'warning' | 'info';

export interface Finding {
	readonly rule: string;
	readonly severity: Severity;
	readonly message: string;
	/** Index in the HAR's log.entries. */
	readonly entry: number;
	/** The Graph docs page the rule comes from. */
	readonly docs: string;
	/** The call the entry is about (normalised, see callKey), when it names one: for views that list calls. */
	readonly callId?: string;
}

export interface LintRule {
	readonly id: string;
	readonly severity: Severity;
	/** One line: what the rule checks. */
	readonly summary: string;
	readonly docs: string;
	/** About the bot as a whole (its token, say), not about the call of the entry its finding sits on. */
	readonly wholeRecord?: boolean;
	check(view: TrafficView, options: LintOptions): Finding[];
}

export interface LintOptions {
	/** Roles of the bot's token when the record has no `_roles` (or to override them). */
	readonly roles?: readonly string[];
}

/** One notification (one item of a commsNotifications `value`). */
export interface NotificationItem {
	readonly changeType: string;
	readonly resourceUrl: string;
	readonly callId?: string;
	readonly operationId?: string;
	readonly resourceData: unknown;
}

export interface IndexedEntry {
	readonly index: number;
	readonly entry: HarEntry;
	readonly direction: 'out' | 'in';
	/** Epoch ms the request started. */
	readonly time: number;
	readonly status: number;
	/** Requests to Graph: the endpoint table's action. */
	readonly action?: CallAction;
	/** Normalised (see callKey). */
	readonly callId?: string;
	/** Notifications carried by an incoming entry. */
	readonly notifications: readonly NotificationItem[];
	requestJson(): Record<string, unknown> | undefined;
	responseJson(): Record<string, unknown> | undefined;
}

/** Call ids arrive upper-case without dashes in notifications and lower-case with dashes elsewhere. */
export function callKey(id: string): string {
	return id.replace(/-/g, '').toLowerCase();
}

function parseObject(text: string | undefined): Record<string, unknown> | undefined {
	if (!text) return undefined;
	const t = text.trimStart();
	if (t[0] !== '{') return undefined;
	try {
		const v = JSON.parse(t) as unknown;
		return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
	} catch {
		return undefined;
	}
}

const CALL_URL = /\/(?:communications|app)\/calls\/([^/?#]+)(?:\/operations\/([^/?#]+))?/i;

function notificationsOf(body: Record<string, unknown> | undefined): NotificationItem[] {
	const value = body?.value;
	if (!Array.isArray(value)) return [];
	const out: NotificationItem[] = [];
	for (const v of value) {
		if (!v || typeof v !== 'object') continue;
		const n = v as Record<string, unknown>;
		const resourceUrl = typeof n.resourceUrl === 'string' ? n.resourceUrl : typeof n.resource === 'string' ? n.resource : '';
		const m = CALL_URL.exec(resourceUrl);
		out.push({
			changeType: typeof n.changeType === 'string' ? n.changeType : '',
			resourceUrl,
			callId: m ? callKey(decodeURIComponent(m[1])) : undefined,
			operationId: m?.[2] ? callKey(m[2]) : undefined,
			resourceData: n.resourceData,
		});
	}
	return out;
}

type Matched = { action?: CallAction; callId?: string };

/** Requests repeat their URLs (keepAlive, GET of a call): match each method and URL against the table once. */
function matchCached(cache: Map<string, Matched>, method: string, url: string): Matched {
	const key = `${method} ${url}`;
	let m = cache.get(key);
	if (!m) {
		const hit = /\/calls(\/|\?|$)/i.test(url) ? matchEndpoint(method, url) : undefined;
		m = { action: hit?.row.action, callId: hit?.params.callId ? callKey(hit.params.callId) : undefined };
		cache.set(key, m);
	}
	return m;
}

function indexEntry(entry: HarEntry, index: number, matches: Map<string, Matched>): IndexedEntry {
	const direction = directionOf(entry);
	let reqJson: Record<string, unknown> | undefined | null = null;
	let resJson: Record<string, unknown> | undefined | null = null;
	const requestJson = () => (reqJson === null ? (reqJson = parseObject(entry.request.postData?.text)) : reqJson);
	const responseJson = () => (resJson === null ? (resJson = parseObject(entry.response.content?.text)) : resJson);
	let action: CallAction | undefined;
	let callId: string | undefined;
	let notifications: NotificationItem[] = [];
	if (direction === 'out') {
		({ action, callId } = matchCached(matches, entry.request.method, entry.request.url));
	} else {
		notifications = notificationsOf(requestJson());
		callId = notifications.find((n) => n.callId)?.callId;
	}
	return { index, entry, direction, time: Date.parse(entry.startedDateTime), status: entry.response.status, action, callId, notifications, requestJson, responseJson };
}

/** The record, indexed. Entries keep their HAR index; `byTime` is the same entries in time order. */
export class TrafficView {
	readonly entries: readonly IndexedEntry[];
	readonly byTime: readonly IndexedEntry[];
	readonly roles: readonly string[] | undefined;
	readonly end: number;

	constructor(readonly log: TrafficLog, options: LintOptions = {}) {
		const matches = new Map<string, Matched>();
		this.entries = log.log.entries.map((e, i) => indexEntry(e, i, matches));
		const sorted = [...this.entries];
		// HAR entries are usually in order already; sort only when they are not.
		if (sorted.some((e, i) => i > 0 && e.time < sorted[i - 1].time)) sorted.sort((a, b) => a.time - b.time || a.index - b.index);
		this.byTime = sorted;
		this.roles = options.roles ?? log.log._roles;
		const last = sorted[sorted.length - 1];
		this.end = last ? last.time + Math.max(0, last.entry.time) : 0;
	}

	/** Out entries that are a successful (2xx) request. */
	static ok(e: IndexedEntry): boolean {
		return e.status >= 200 && e.status < 300;
	}
}

/** The call a create or answer response is about: its id, from the body or the Location header. */
export function createdCallId(e: IndexedEntry): string | undefined {
	const id = e.responseJson()?.id;
	if (typeof id === 'string' && id) return callKey(id);
	const loc = e.entry.response.redirectURL || e.entry.response.headers.find((h) => h.name.toLowerCase() === 'location')?.value;
	const m = loc ? CALL_URL.exec(loc) : null;
	return m ? callKey(decodeURIComponent(m[1])) : undefined;
}

/** The `state` a call notification carries, when it is about the call itself (not participants or operations). */
export function callStateOf(n: NotificationItem): { state?: string; code?: number; subcode?: number } | undefined {
	if (!n.callId || n.operationId || /\/participants|\/contentsharingsessions|\/audioroutinggroups/i.test(n.resourceUrl)) return undefined;
	const d = n.resourceData;
	if (!d || typeof d !== 'object' || Array.isArray(d)) return n.changeType === 'deleted' ? { state: 'terminated' } : undefined;
	const r = d as Record<string, unknown>;
	const info = r.resultInfo && typeof r.resultInfo === 'object' ? (r.resultInfo as Record<string, unknown>) : undefined;
	const state = typeof r.state === 'string' ? r.state : n.changeType === 'deleted' ? 'terminated' : undefined;
	return { state, code: typeof info?.code === 'number' ? info.code : undefined, subcode: typeof info?.subcode === 'number' ? info.subcode : undefined };
}

export function formatDuration(ms: number): string {
	if (ms < 1000) return `${Math.round(ms)} ms`;
	if (ms < 120_000) return `${(ms / 1000).toFixed(1)} s`;
	return `${Math.round(ms / 60_000)} min`;
}
