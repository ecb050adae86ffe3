import { formatDuration, type Expectation, type ExpectKind, type Party } from './scenarioModel';
import type { InboundEntry, NotificationItem, OutboundEntry, TrafficEntry } from './trafficRecord';

/** Which request each request expectation looks for. */
const ACTION_OF: Partial<Record<ExpectKind, string>> = {
	answer: 'call.answer', reject: 'call.reject', redirect: 'call.redirect', playPrompt: 'call.playPrompt', recordResponse: 'call.recordResponse',
	subscribeToTone: 'call.subscribeToTone', sendDtmfTones: 'call.sendDtmfTones', transfer: 'call.transfer', invite: 'participant.invite',
	hangUp: 'call.delete', create: 'call.create', mute: 'call.mute', unmute: 'call.unmute', keepAlive: 'call.keepAlive',
};

export function actionOf(e: Expectation): string | undefined {
	return e.kind === 'request' ? e.action : ACTION_OF[e.kind];
}

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (v && typeof v === 'object' ? (v as Json) : {});
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** Does this call path belong to the call (ids may differ in case, never in content)? */
export function isForCall(path: string, callId: string | undefined): boolean {
	if (!callId) return false;
	const m = /\/communications\/calls\/([^/]+)/i.exec(path) ?? /\/app\/calls\/([^/]+)/i.exec(path);
	return !!m && m[1].toLowerCase() === callId.toLowerCase();
}

function identityIs(identity: unknown, to: Party): boolean {
	const i = obj(identity);
	const userId = obj(i.user).id;
	const phone = obj(i.phone).id;
	return (!!to.userId && typeof userId === 'string' && userId.toLowerCase() === to.userId.toLowerCase()) || (!!to.phone && phone === to.phone);
}

function globMatch(pattern: string, value: unknown): boolean {
	if (typeof value !== 'string') return false;
	const re = new RegExp(`^${pattern.split('*').map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
	return re.test(value);
}

const TONE_NAMES: Record<string, string> = { '*': 'star', '#': 'pound' };
function tonesOf(keys: string): string[] {
	return [...keys].map((k) => TONE_NAMES[k] ?? `tone${k}`);
}

/** Every key of `expected` is in `actual` with an equal value (objects compared the same way, arrays exactly). */
export function containsSubset(actual: unknown, expected: unknown): boolean {
	if (expected && typeof expected === 'object' && !Array.isArray(expected)) {
		const a = obj(actual);
		return Object.entries(expected as Json).every(([k, v]) => containsSubset(a[k], v));
	}
	return JSON.stringify(actual) === JSON.stringify(expected);
}

/** Whether a request's body says what the expectation asks (the right action and call are checked before). */
function bodyMatches(e: Expectation, body: unknown): boolean {
	const b = obj(body);
	switch (e.kind) {
		case 'answer': return !e.modalities || e.modalities.every((m) => arr(b.acceptedModalities).includes(m));
		case 'reject': return !e.reason || (b.reason ?? 'none') === e.reason;
		case 'redirect': return !e.to || arr(b.targets).some((t) => identityIs(obj(t).identity, e.to!));
		case 'playPrompt': return !e.uri || arr(b.prompts).some((p) => globMatch(e.uri!, obj(obj(p).mediaInfo).uri));
		case 'sendDtmfTones': return !e.tones || JSON.stringify(arr(b.tones)) === JSON.stringify(tonesOf(e.tones));
		case 'transfer': return !e.to || identityIs(obj(b.transferTarget).identity, e.to);
		case 'invite': return !e.to || arr(b.participants).some((p) => identityIs(obj(p).identity, e.to!));
		case 'create': {
			if (!e.to) return true;
			if (e.to.meetingIds) {
				const joinId = obj(b.meetingInfo).joinMeetingId;
				const thread = obj(b.chatInfo).threadId;
				return e.to.meetingIds.includes(String(joinId)) || e.to.meetingIds.includes(String(thread));
			}
			return arr(b.targets).some((t) => identityIs(obj(t).identity, e.to!));
		}
		case 'request': return !e.body || containsSubset(b, e.body);
		default: return true;
	}
}

export interface RequestMatch {
	readonly match?: OutboundEntry;
	/** Requests for the right action that failed or asked for something else: the "actual" in a failure. */
	readonly nearMisses: readonly OutboundEntry[];
}

/** The first request in `entries` that meets a request expectation for the call. */
export function findRequest(e: Expectation, entries: readonly TrafficEntry[], callId: string | undefined, used: ReadonlySet<number>): RequestMatch {
	const action = actionOf(e);
	const nearMisses: OutboundEntry[] = [];
	for (const t of entries) {
		if (t.direction !== 'out' || t.action !== action || used.has(t.seq)) continue;
		if (action !== 'call.create' && !isForCall(t.path, callId)) continue;
		if (t.status >= 200 && t.status < 300 && bodyMatches(e, t.requestBody)) return { match: t, nearMisses };
		nearMisses.push(t);
	}
	return { nearMisses };
}

function callNotifications(t: InboundEntry, callId: string | undefined): NotificationItem[] {
	return t.notifications.filter((n) => {
		const url = String(n.resourceUrl ?? '');
		return isForCall(url, callId) && !/\/calls\/[^/]+\//.test(url);
	});
}

function stateOf(n: NotificationItem): { state?: string; result?: string } {
	const d = obj(n.resourceData);
	const r = obj(d.resultInfo);
	return { state: typeof d.state === 'string' ? d.state : undefined, result: r.code !== undefined ? `${String(r.code)}/${String(r.subcode ?? 0)}` : undefined };
}

/** The first notification telling the bot its call reached the state (and result) expected. */
export function findState(e: Expectation, entries: readonly TrafficEntry[], callId: string | undefined): { match?: InboundEntry; seen: string[] } {
	const seen: string[] = [];
	for (const t of entries) {
		if (t.direction !== 'in') continue;
		for (const n of callNotifications(t, callId)) {
			const s = stateOf(n);
			if (!s.state) continue;
			const text = `${s.state}${s.result ? ` ${s.result}` : ''}`;
			if (!seen.includes(text)) seen.push(text);
			if (s.state === e.state && (!e.result || s.result === e.result)) return { match: t, seen };
		}
	}
	return { seen };
}

/** When the call first reached `state` according to its notifications (wall-clock ms), if it did. */
export function firstStateAt(entries: readonly TrafficEntry[], callId: string | undefined, state: string): InboundEntry | undefined {
	return entries.find((t): t is InboundEntry => t.direction === 'in' && callNotifications(t, callId).some((n) => stateOf(n).state === state));
}

export interface KeepAliveVerdict {
	readonly ok: boolean;
	readonly message: string;
	readonly evidence?: TrafficEntry;
}

/**
 * keepAlive often enough: from the moment the call was established until now (or until it ended), no gap between
 * successful keepAlive requests is longer than `everyMs` of emulated time.
 */
export function checkKeepAlive(e: Expectation, entries: readonly TrafficEntry[], callId: string | undefined, now: number, rate: number): KeepAliveVerdict {
	const established = firstStateAt(entries, callId, 'established');
	if (!established) return { ok: false, message: 'the call was never established, so nothing could be kept alive' };
	const ended = firstStateAt(entries, callId, 'terminated');
	const end = ended ? ended.at : now;
	const beats = entries.filter((t): t is OutboundEntry => t.direction === 'out' && t.action === 'call.keepAlive' && isForCall(t.path, callId) && t.status >= 200 && t.status < 300 && t.at >= established.at && t.at <= end);
	const times = [established.at, ...beats.map((b) => b.at), end];
	let worst = { gap: 0, from: established.at };
	for (let i = 1; i < times.length; i++) {
		const gap = (times[i] - times[i - 1]) * rate;
		if (gap > worst.gap) worst = { gap, from: times[i - 1] };
	}
	const every = e.everyMs ?? 0;
	const span = formatDuration((end - established.at) * rate);
	const endedWhy = ended ? callEndText(ended, callId) : '';
	const timedOut = ended && /ended with 408\/8537/.test(endedWhy);
	if (worst.gap > every || timedOut) {
		const at = formatDuration((worst.from - established.at) * rate);
		return { ok: false, evidence: beats[beats.length - 1] ?? established, message: `${beats.length} keepAlive request(s) in ${span}; the longest gap was ${formatDuration(worst.gap)} (starting ${at} after the call was established), ${worst.gap > every ? `more than ${formatDuration(every)}` : `and Graph's own limit ended the call`}${endedWhy}` };
	}
	return { ok: true, evidence: beats[beats.length - 1] ?? established, message: `${beats.length} keepAlive request(s) in ${span}, longest gap ${formatDuration(worst.gap)}${endedWhy}` };
}

function callEndText(t: InboundEntry, callId: string | undefined): string {
	const n = callNotifications(t, callId).find((x) => stateOf(x).state === 'terminated');
	const r = n ? obj(obj(n.resourceData).resultInfo) : {};
	return r.code !== undefined ? `; the call ended with ${String(r.code)}/${String(r.subcode)}${r.message ? ` (${String(r.message)})` : ''}` : '; the call ended';
}

/** A short line about a request, for messages: "POST .../answer -> 400 (BadRequest: ...)". */
export function describeRequest(t: OutboundEntry): string {
	const err = obj(obj(t.responseBody).error);
	const why = err.code ? ` (${String(err.code)}: ${String(err.message ?? '')})` : '';
	return `${t.method} ${t.path} -> ${t.status}${why}`;
}

/** Notification POSTs the bot did not acknowledge with 2xx, in words. */
export function callbackTrouble(entries: readonly TrafficEntry[], since: number): string | undefined {
	const bad = entries.filter((t): t is InboundEntry => t.direction === 'in' && t.at >= since && !t.delivered);
	if (!bad.length) return undefined;
	const first = bad[0];
	const how = first.status !== undefined ? `answered ${first.status}` : `could not be reached (${first.error ?? 'no answer'})`;
	return `${bad.length} notification POST(s) to ${first.callbackUri} failed: the bot ${how}`;
}
