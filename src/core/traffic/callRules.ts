/**
 * Rules about a call's life: answering in time, keeping it alive, not creating it twice, and what a create must
 * carry. Each rule's facts and their sources are in docs/lint.md.
 */
import { callLifecycles } from './callLifecycle';
import { createdCallId, formatDuration, TrafficView, type Finding, type IndexedEntry, type LintRule } from './lintModel';

const GRAPH = 'https://learn.microsoft.com/graph/api';

/** call-answer.md: "The current timeout value is 15 seconds for regular scenarios, and 5 seconds for policy-based recording scenarios." */
export const ANSWER_WINDOW_MS = 15_000;
/** call-keepalive.md: "At least one successful request must be made within 45 minutes of the previous request, or the start of the call." */
export const KEEPALIVE_LIMIT_MS = 45 * 60_000;

function finding(rule: LintRule, entry: number, message: string, severity = rule.severity): Finding {
	return { rule: rule.id, severity, message, entry, docs: rule.docs };
}

export const answerLate: LintRule = {
	id: 'answer-late',
	severity: 'error',
	summary: 'An incoming call answered, rejected or redirected after the 15 s Graph allows, or never.',
	docs: `${GRAPH}/call-answer?view=graph-rest-1.0`,
	check(view) {
		const out: Finding[] = [];
		for (const c of callLifecycles(view).values()) {
			const inc = c.incoming;
			if (!inc) continue;
			if (c.response) {
				const delay = c.response.time - inc.time;
				if (delay > ANSWER_WINDOW_MS) out.push(finding(this, c.response.index, `The bot answered incoming call ${c.callId} ${formatDuration(delay)} after Graph announced it (entry ${inc.index}); Graph allows 15 s (5 s for policy-based recording), so the caller is gone.`));
				continue;
			}
			const deadline = inc.time + ANSWER_WINDOW_MS;
			// The caller hung up first, or the record stops inside the window: nothing to blame the bot for.
			if ((c.ended && c.ended.time <= deadline) || view.end < deadline) continue;
			out.push(finding(this, inc.index, `Incoming call ${c.callId} was never answered, rejected or redirected; Graph drops it after 15 s.`));
		}
		return out;
	},
};

export const keepAliveMissing: LintRule = {
	id: 'keepalive-missing',
	severity: 'error',
	summary: 'An established call went more than 45 minutes without a successful keepAlive.',
	docs: `${GRAPH}/call-keepalive?view=graph-rest-1.0`,
	check(view) {
		const out: Finding[] = [];
		for (const c of callLifecycles(view).values()) {
			if (!c.established) continue;
			let prev = c.established;
			for (const ka of c.keepAlives) {
				if (ka.time < prev.time) continue;
				if (ka.time - prev.time > KEEPALIVE_LIMIT_MS) out.push(finding(this, ka.index, `Call ${c.callId} went ${formatDuration(ka.time - prev.time)} without a successful keepAlive (entries ${prev.index} to ${ka.index}); Graph ends a call after 45 minutes without one (15 recommended).`));
				prev = ka;
			}
			if (c.keepAliveTimeout) {
				out.push(finding(this, c.keepAliveTimeout.index, `Graph ended call ${c.callId} with 408/8537: no keepAlive arrived in time (last at entry ${prev.index}). Send POST /communications/calls/{id}/keepAlive every 15 minutes.`));
				continue;
			}
			const end = c.ended ? c.ended.time : view.end;
			if (end - prev.time > KEEPALIVE_LIMIT_MS) {
				const at: IndexedEntry = c.ended ?? c.entries[c.entries.length - 1] ?? prev;
				out.push(finding(this, at.index, `Call ${c.callId} went ${formatDuration(end - prev.time)} without a successful keepAlive after entry ${prev.index}; Graph ends a call after 45 minutes without one (15 recommended).`));
			}
		}
		return out;
	},
};

function ids(identity: unknown): string[] {
	if (!identity || typeof identity !== 'object') return [];
	return Object.entries(identity as Record<string, unknown>)
		.filter(([k, v]) => !k.startsWith('@') && v && typeof v === 'object' && typeof (v as Record<string, unknown>).id === 'string')
		.map(([k, v]) => `${k}:${String((v as Record<string, unknown>).id).toLowerCase()}`);
}

/** Who a create calls (targets, meeting) and as whom (source): two creates with the same key make the same call twice. */
export function createKey(body: Record<string, unknown> | undefined): string | undefined {
	if (!body) return undefined;
	const targets = Array.isArray(body.targets) ? body.targets.flatMap((t) => ids((t as Record<string, unknown> | null)?.identity)).sort() : [];
	const meeting = body.meetingInfo && typeof body.meetingInfo === 'object' ? (body.meetingInfo as Record<string, unknown>) : undefined;
	const chat = body.chatInfo && typeof body.chatInfo === 'object' ? (body.chatInfo as Record<string, unknown>) : undefined;
	const meetingKey = [meeting?.joinMeetingId, chat?.threadId, ...ids((meeting?.organizer as Record<string, unknown> | undefined) ?? undefined)].filter((v) => typeof v === 'string' && v).join(',');
	if (!targets.length && !meetingKey) return undefined;
	const source = ids((body.source as Record<string, unknown> | undefined)?.identity).sort();
	return JSON.stringify([targets, meetingKey, source]);
}

export const createRetried: LintRule = {
	id: 'create-retried',
	severity: 'error',
	summary: 'A second create for the same targets (or meeting) while the first call is still alive.',
	docs: `${GRAPH}/application-post-calls?view=graph-rest-1.0`,
	check(view) {
		const out: Finding[] = [];
		const calls = callLifecycles(view);
		const earlier = new Map<string, IndexedEntry[]>();
		for (const e of view.byTime) {
			if (e.direction !== 'out' || e.action !== 'call.create') continue;
			const key = createKey(e.requestJson());
			if (!key) continue;
			const prior = earlier.get(key) ?? [];
			for (const p of prior) {
				if (TrafficView.ok(p)) {
					const id = createdCallId(p);
					const ended = id ? calls.get(id)?.ended : undefined;
					if (ended && ended.time <= e.time) continue;
					out.push(finding(this, e.index, `A second create for the same targets while call ${id ?? '(created at entry ' + p.index + ')'} from entry ${p.index} is still alive: Graph makes a second call, and the person is rung twice.`));
					break;
				}
				if (p.status === 0 || p.status >= 500) {
					out.push(finding(this, e.index, `A second create for the same targets after the create at entry ${p.index} got ${p.status === 0 ? 'no answer' : p.status}: Graph may have created that call anyway, so this can ring the person twice. Look for its notifications (or wait for them) before creating again.`, 'warning'));
					break;
				}
			}
			prior.push(e);
			earlier.set(key, prior);
		}
		return out;
	},
};

export const missingTenantId: LintRule = {
	id: 'missing-tenant-id',
	severity: 'warning',
	summary: 'A create call request without tenantId.',
	docs: `${GRAPH}/application-post-calls?view=graph-rest-1.0`,
	check(view) {
		const out: Finding[] = [];
		for (const e of view.byTime) {
			if (e.direction !== 'out' || e.action !== 'call.create') continue;
			const body = e.requestJson();
			if (!body) continue;
			const tenantId = body.tenantId;
			if (typeof tenantId === 'string' && tenantId.trim()) continue;
			out.push(finding(this, e.index, 'The create call request has no tenantId: Graph\'s examples for joining meetings and calling phones send the tenant the call belongs to; without it the call is placed in the tenant that issued the token, which is wrong for multi-tenant bots.'));
		}
		return out;
	},
};

const LOOPBACK = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])$/i;

export const callbackNotHttps: LintRule = {
	id: 'callback-not-https',
	severity: 'error',
	summary: 'A create or answer sent to Graph with a callbackUri that is not https.',
	docs: `${GRAPH}/resources/call?view=graph-rest-1.0`,
	check(view) {
		const out: Finding[] = [];
		for (const e of view.byTime) {
			if (e.direction !== 'out' || (e.action !== 'call.create' && e.action !== 'call.answer')) continue;
			let host = '';
			try {
				host = new URL(e.entry.request.url).hostname;
			} catch {
				continue;
			}
			// The local emulator posts to plain-http loopback receivers; Graph itself cannot reach those anyway.
			if (LOOPBACK.test(host)) continue;
			const uri = e.requestJson()?.callbackUri;
			if (typeof uri !== 'string' || /^https:\/\//i.test(uri)) continue;
			out.push(finding(this, e.index, `callbackUri "${uri}" is not https: Graph requires an HTTPS callback URL and will not deliver notifications to it.`));
		}
		return out;
	},
};

export const requestAfterEnd: LintRule = {
	id: 'request-after-end',
	severity: 'warning',
	summary: 'Requests on a call after the bot was told it had ended.',
	docs: `${GRAPH}/call-keepalive?view=graph-rest-1.0`,
	check(view) {
		const out: Finding[] = [];
		for (const c of callLifecycles(view).values()) {
			const ended = c.ended;
			if (!ended) continue;
			const after = c.entries.filter((e) => e.direction === 'out' && e.time > ended.time && e.index !== ended.index && e.status === 404);
			if (!after.length) continue;
			out.push(finding(this, after[0].index, `${after.length} request(s) on call ${c.callId} after it ended (entry ${ended.index}) got 404: clean up the call's state (keepAlive timers, queued prompts) when it ends.`));
		}
		return out;
	},
};
