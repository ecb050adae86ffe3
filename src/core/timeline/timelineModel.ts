/**
 * The call timeline: a traffic record (src/core/traffic/trafficRecord.ts) drawn as a sequence diagram. Lanes are
 * the bot, Graph (the emulator or a real tenant) and each person; events are the bot's requests and Graph's
 * responses (paired, with the duration), the notifications Graph posted with the bot's acknowledgement, and what
 * people did (from the record's `_actions`, or read off participants notifications). Lint findings hang on the
 * event of the entry they point at.
 *
 * The builder is incremental: a live source appends entries and the builder returns only what changed, so a view
 * redraws a few rows instead of the whole call.
 */
import type { Finding } from '../traffic/lintModel';
import type { HarEntry } from '../traffic/har';
import type { PersonAction } from '../traffic/trafficRecord';
import { entryFacts, normalCallId, type PersonRef } from './entryFacts';

export type LaneKind = 'bot' | 'graph' | 'person';

export interface TimelineLane {
	readonly id: string;
	readonly kind: LaneKind;
	readonly name: string;
}

/** request and response, notification and ack come in pairs; an action is a person's, known or read off a roster. */
export type TimelineEventKind = 'request' | 'response' | 'notification' | 'ack' | 'action';

export type TimelineFinding = Pick<Finding, 'rule' | 'severity' | 'message' | 'docs'>;

export interface TimelineEvent {
	/** Stable id, in the order the builder saw the events. */
	readonly id: number;
	readonly kind: TimelineEventKind;
	/** Epoch ms: requests and notifications when they started, responses and acks when they ended. */
	readonly t: number;
	readonly from: string;
	readonly to: string;
	readonly label: string;
	/** HTTP status of a response or ack (0: no answer). */
	readonly status?: number;
	/** The exchange's duration, on both events of a pair. */
	readonly durationMs?: number;
	/** The other event of a request/response or notification/ack pair. */
	readonly pair?: number;
	/** Index of the HAR entry in the source's entries. */
	readonly entry?: number;
	/** Read off a participants notification, not recorded as an action. */
	readonly inferred?: boolean;
	readonly callIds: readonly string[];
	findings: TimelineFinding[];
}

export interface TimelineOptions {
	/** Only this call's entries (any spelling of its id); undefined: every entry. */
	readonly callId?: string;
	/** The Graph lane's name; by default "Emulator" when requests go to a local address, else "Graph". */
	readonly graphName?: string;
	/** People get a lane each up to this many; the rest share one "Other people" lane. */
	readonly maxPersonLanes?: number;
}

export interface TimelineDelta {
	/** New events, in time order. */
	readonly events: readonly TimelineEvent[];
	/** Every lane, when a lane was added or renamed. */
	readonly lanes?: readonly TimelineLane[];
}

export const BOT_LANE = 'bot';
export const GRAPH_LANE = 'graph';
const OTHERS_LANE = 'person:*';

function isLocal(url: string): boolean {
	try {
		const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
		return host === 'localhost' || host === '::1' || /^127\./.test(host);
	} catch {
		return false;
	}
}

export class TimelineBuilder {
	private readonly _lanes: TimelineLane[];
	private readonly _events: TimelineEvent[] = [];
	private readonly byEntry = new Map<number, TimelineEvent>();
	private readonly personLane = new Map<string, string>();
	private readonly laneByName = new Map<string, string>();
	/** Per call, per participant: what the last roster said (for joined / left / muted changes). */
	private readonly rosters = new Map<string, Map<string, { muted?: boolean }>>();
	private readonly callId: string | undefined;
	private graphNamed: boolean;
	private nextId = 0;

	constructor(private readonly options: TimelineOptions = {}) {
		this.callId = options.callId ? normalCallId(options.callId) : undefined;
		this.graphNamed = options.graphName !== undefined;
		this._lanes = [
			{ id: BOT_LANE, kind: 'bot', name: 'Bot' },
			{ id: GRAPH_LANE, kind: 'graph', name: options.graphName ?? 'Graph' },
		];
	}

	get lanes(): readonly TimelineLane[] {
		return this._lanes;
	}

	/** Every event, in time order (ties in the order seen). */
	get events(): readonly TimelineEvent[] {
		return this._events;
	}

	/** Epoch ms of the first event; the origin of relative times. */
	get start(): number {
		return this._events.length ? this._events[0].t : 0;
	}

	get end(): number {
		let end = 0;
		for (const e of this._events) end = Math.max(end, e.t);
		return end;
	}

	/** The event an entry produced (its request or notification), if the entry is on this timeline. */
	eventOfEntry(index: number): TimelineEvent | undefined {
		return this.byEntry.get(index);
	}

	/** Entries appended by a source; `firstIndex` is the first one's index in the source's entries. */
	addEntries(entries: readonly HarEntry[], firstIndex: number): TimelineDelta {
		const lanesBefore = this._lanes.length;
		const graphBefore = this._lanes[1].name;
		const added: TimelineEvent[] = [];
		entries.forEach((entry, i) => this.addEntry(entry, firstIndex + i, added));
		return this.delta(added, lanesBefore, graphBefore);
	}

	addActions(actions: readonly PersonAction[]): TimelineDelta {
		const lanesBefore = this._lanes.length;
		const added: TimelineEvent[] = [];
		for (const a of actions) {
			if (this.callId && a.callId && normalCallId(a.callId) !== this.callId) continue;
			const t = Date.parse(a.time);
			if (Number.isNaN(t)) continue;
			const lane = this.laneForActor(a.actor);
			added.push(this.push({ kind: 'action', t, from: lane, to: GRAPH_LANE, label: a.action, callIds: a.callId ? [normalCallId(a.callId)] : [] }));
		}
		return this.delta(added, lanesBefore, this._lanes[1].name);
	}

	/** Hangs findings on the events of the entries they point at (replacing earlier ones); returns the events that changed. */
	attachFindings(findings: readonly Finding[]): TimelineEvent[] {
		const next = new Map<number, TimelineFinding[]>();
		for (const f of findings) {
			const e = this.byEntry.get(f.entry);
			if (!e) continue;
			let list = next.get(e.id);
			if (!list) next.set(e.id, (list = []));
			list.push({ rule: f.rule, severity: f.severity, message: f.message, docs: f.docs });
		}
		const changed: TimelineEvent[] = [];
		for (const e of this.byEntry.values()) {
			const now = next.get(e.id) ?? [];
			if (now.length === 0 && e.findings.length === 0) continue;
			if (JSON.stringify(now) === JSON.stringify(e.findings)) continue;
			e.findings = now;
			changed.push(e);
		}
		return changed;
	}

	private delta(added: TimelineEvent[], lanesBefore: number, graphBefore: string): TimelineDelta {
		added.sort(byTime);
		const lanesChanged = this._lanes.length !== lanesBefore || this._lanes[1].name !== graphBefore;
		return lanesChanged ? { events: added, lanes: [...this._lanes] } : { events: added };
	}

	private addEntry(entry: HarEntry, index: number, added: TimelineEvent[]): void {
		const facts = entryFacts(entry);
		if (this.callId && !facts.callIds.includes(this.callId)) return;
		const t = Date.parse(entry.startedDateTime);
		if (Number.isNaN(t)) return;
		const duration = Math.max(0, entry.time || 0);
		const status = entry.response.status;
		for (const p of facts.people) this.laneForPerson(p);
		if (facts.direction === 'out') {
			if (!this.graphNamed) {
				this.graphNamed = true;
				if (isLocal(entry.request.url)) this._lanes[1] = { ...this._lanes[1], name: 'Emulator' };
			}
			const req = this.push({ kind: 'request', t, from: BOT_LANE, to: GRAPH_LANE, label: facts.label, durationMs: duration, entry: index, callIds: facts.callIds });
			const res = this.push({ kind: 'response', t: t + duration, from: GRAPH_LANE, to: BOT_LANE, label: responseLabel(status, entry.response._error), status, durationMs: duration, pair: req.id, entry: index, callIds: facts.callIds });
			(req as { pair?: number }).pair = res.id;
			this.byEntry.set(index, req);
			added.push(req, res);
		} else {
			const note = this.push({ kind: 'notification', t, from: GRAPH_LANE, to: BOT_LANE, label: facts.label, durationMs: duration, entry: index, callIds: facts.callIds });
			// What people did, read off the roster the notification carries, is drawn with it.
			for (const c of this.rosterChanges(facts, t)) added.push(c);
			const ack = this.push({ kind: 'ack', t: t + duration, from: BOT_LANE, to: GRAPH_LANE, label: responseLabel(status, entry.response._error), status, durationMs: duration, pair: note.id, entry: index, callIds: facts.callIds });
			(note as { pair?: number }).pair = ack.id;
			this.byEntry.set(index, note);
			added.push(note, ack);
		}
	}

	private rosterChanges(facts: ReturnType<typeof entryFacts>, at: number): TimelineEvent[] {
		if (!facts.roster.length) return [];
		const key = facts.callIds[0] ?? '';
		let roster = this.rosters.get(key);
		if (!roster) this.rosters.set(key, (roster = new Map()));
		const out: TimelineEvent[] = [];
		for (const r of facts.roster) {
			const before = roster.get(r.participantId);
			let change: string | undefined;
			if (r.removed) {
				if (before) change = 'left';
				roster.delete(r.participantId);
			} else if (!before) {
				change = 'joined';
				roster.set(r.participantId, { muted: r.muted });
			} else {
				if (r.muted !== undefined && before.muted !== undefined && r.muted !== before.muted) change = r.muted ? 'muted' : 'unmuted';
				if (r.muted !== undefined) before.muted = r.muted;
			}
			if (change) out.push(this.push({ kind: 'action', t: at, from: this.laneForPerson(r.person), to: GRAPH_LANE, label: change, inferred: true, callIds: facts.callIds }));
		}
		return out;
	}

	private push(e: Omit<TimelineEvent, 'id' | 'findings'>): TimelineEvent {
		const event: TimelineEvent = { ...e, id: this.nextId++, findings: [] };
		// Entries mostly arrive in time order: walk back from the end to the insertion point.
		let i = this._events.length;
		while (i > 0 && byTime(this._events[i - 1], event) > 0) i--;
		this._events.splice(i, 0, event);
		return event;
	}

	private laneForPerson(p: PersonRef): string {
		const known = this.personLane.get(p.key) ?? this.laneByName.get(p.name.toLowerCase());
		if (known) {
			this.personLane.set(p.key, known);
			return known;
		}
		const id = this.newPersonLane(p.name, `person:${p.key}`);
		this.personLane.set(p.key, id);
		return id;
	}

	private laneForActor(actor: string): string {
		const known = this.laneByName.get(actor.toLowerCase()) ?? [...this.personLane.entries()].find(([key]) => key.endsWith(`:${actor}`))?.[1];
		return known ?? this.newPersonLane(actor, `person:actor:${actor}`);
	}

	private newPersonLane(name: string, id: string): string {
		const people = this._lanes.length - 2;
		const max = this.options.maxPersonLanes ?? 12;
		if (people >= max) {
			if (!this._lanes.some((l) => l.id === OTHERS_LANE)) this._lanes.push({ id: OTHERS_LANE, kind: 'person', name: 'Other people' });
			return OTHERS_LANE;
		}
		this._lanes.push({ id, kind: 'person', name });
		this.laneByName.set(name.toLowerCase(), id);
		return id;
	}
}

function byTime(a: TimelineEvent, b: TimelineEvent): number {
	return a.t - b.t || a.id - b.id;
}

export function responseLabel(status: number, error?: string): string {
	if (!status) return error ? `no answer: ${error}` : 'no answer';
	return `${status}${REASONS[status] ? ` ${REASONS[status]}` : ''}`;
}

const REASONS: Readonly<Record<number, string>> = {
	200: 'OK', 201: 'Created', 202: 'Accepted', 204: 'No Content', 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found',
	409: 'Conflict', 429: 'Too Many Requests', 500: 'Internal Server Error', 502: 'Bad Gateway', 503: 'Service Unavailable', 504: 'Gateway Timeout',
};

/** A whole timeline at once: what the exporters and a HAR file opened later use. */
export interface Timeline {
	readonly lanes: readonly TimelineLane[];
	readonly events: readonly TimelineEvent[];
	/** Epoch ms of the first event: relative times count from here. */
	readonly start: number;
}

export function snapshot(builder: TimelineBuilder): Timeline {
	return { lanes: [...builder.lanes], events: [...builder.events], start: builder.start };
}

/** Relative time for labels: `+1.234 s`, `+12:03.5` past a minute. */
export function formatOffset(ms: number): string {
	const sign = ms < 0 ? '-' : '+';
	const a = Math.abs(ms);
	if (a < 60_000) return `${sign}${(a / 1000).toFixed(3)} s`;
	const min = Math.floor(a / 60_000);
	const s = ((a % 60_000) / 1000).toFixed(1).padStart(4, '0');
	return `${sign}${min}:${s}`;
}

export function formatMs(ms: number): string {
	if (ms < 1000) return `${Math.round(ms)} ms`;
	if (ms < 120_000) return `${(ms / 1000).toFixed(2)} s`;
	return `${(ms / 60_000).toFixed(1)} min`;
}
