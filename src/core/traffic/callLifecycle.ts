/**
 * Per call, the moments lint rules compare: when Graph announced it as incoming, when the bot answered, when it
 * was established, each successful keepAlive, and when (and how) it ended. Built once per view.
 */
import { callStateOf, createdCallId, TrafficView, type IndexedEntry } from './lintModel';

export interface CallLifecycle {
	readonly callId: string;
	incoming?: IndexedEntry;
	/** The bot's first answer, reject or redirect. */
	response?: IndexedEntry;
	/** The first sign the call was up: an `established` notification, else a successful create or answer. */
	established?: IndexedEntry;
	readonly keepAlives: IndexedEntry[];
	/** The first evidence the call is over: a `terminated` notification, a hang-up, or a 404 on the call. */
	ended?: IndexedEntry;
	/** Graph ended the call for lack of keepAlive (resultInfo 408/8537). */
	keepAliveTimeout?: IndexedEntry;
	/** Every entry about this call, in time order. */
	readonly entries: IndexedEntry[];
}

const ANSWERS = new Set(['call.answer', 'call.reject', 'call.redirect']);
const cache = new WeakMap<TrafficView, Map<string, CallLifecycle>>();

export function callLifecycles(view: TrafficView): Map<string, CallLifecycle> {
	let calls = cache.get(view);
	if (calls) return calls;
	calls = new Map();
	const get = (id: string): CallLifecycle => {
		let c = calls!.get(id);
		if (!c) calls!.set(id, (c = { callId: id, keepAlives: [], entries: [] }));
		return c;
	};
	for (const e of view.byTime) {
		if (e.direction === 'in') {
			for (const n of e.notifications) {
				if (!n.callId) continue;
				const c = get(n.callId);
				if (c.entries[c.entries.length - 1] !== e) c.entries.push(e);
				const s = callStateOf(n);
				if (!s?.state) continue;
				if (s.state === 'incoming' && n.changeType === 'created') c.incoming ??= e;
				if (s.state === 'established') c.established ??= e;
				if (s.state === 'terminated') {
					c.ended ??= e;
					if (s.code === 408 && s.subcode === 8537) c.keepAliveTimeout ??= e;
				}
			}
			continue;
		}
		const ok = TrafficView.ok(e);
		if (e.action === 'call.create' && ok) {
			const id = createdCallId(e);
			if (id) {
				const c = get(id);
				c.entries.push(e);
				c.established ??= e;
			}
			continue;
		}
		if (!e.callId) continue;
		const c = get(e.callId);
		c.entries.push(e);
		if (e.action && ANSWERS.has(e.action)) c.response ??= e;
		if (e.action === 'call.answer' && ok) c.established ??= e;
		if (e.action === 'call.keepAlive' && ok) c.keepAlives.push(e);
		// A 404 on the call itself means it is gone; a 404 on a participant or an operation does not.
		if ((e.action === 'call.delete' && ok) || (e.status === 404 && e.action?.startsWith('call.'))) c.ended ??= e;
	}
	cache.set(view, calls);
	return calls;
}
