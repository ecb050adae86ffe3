/**
 * The emulator's live feed: every Graph request it served, every notification it posted to a callback and every
 * change of a call's state or roster, as it happens, each with the call id and the app that made or answered the
 * call. The control API serves it as Server-Sent Events (GET /_emulator/events) and as a HAR 1.2 traffic record
 * (GET /_emulator/traffic), whose entries come from the one HAR writer (src/core/traffic/har.ts), redacted.
 *
 * Memory is bounded: the feed keeps the last FEED_CAPACITY events (and at most FEED_MAX_BYTES of their JSON);
 * older ones fall off the front. A Server-Sent Events client that reads slower than the emulator writes is cut off
 * once FEED_CLIENT_MAX_BUFFER bytes wait for it, so it never holds memory or the emulator back; it reconnects with
 * Last-Event-ID and gets what it missed from the buffer.
 */
import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { Event } from '../event';
import { REDACTED } from '../graph/redaction';
import { Disposable, toDisposable } from '../lifecycle';
import { harEntry, type HarEntry } from '../traffic/har';
import { TRAFFIC_CREATOR } from '../traffic/trafficRecord';
import type { CallRecord } from './callModel';
import type { Clock } from './clock';
import type { AppRegistration } from './directory';
import type { DeliveryRecord } from './webhooks';

/** Events kept for replay and for GET /_emulator/traffic. */
export const FEED_CAPACITY = 5000;
/** Most bytes of event JSON kept, whatever the count (a few large bodies must not hold hundreds of MB). */
export const FEED_MAX_BYTES = 32 * 1024 * 1024;
/** Bytes allowed to wait in one Server-Sent Events connection before the client is cut off as too slow. */
export const FEED_CLIENT_MAX_BUFFER = 1024 * 1024;
/** Server-Sent Events connections served at once. */
export const FEED_MAX_CLIENTS = 16;
/** A comment line every so often keeps proxies and idle timers from closing a quiet stream. */
const HEARTBEAT_MS = 15_000;

export type FeedEventType = 'request' | 'notification' | 'call';

interface StoredEvent {
	readonly seq: number;
	readonly type: FeedEventType;
	readonly callId?: string;
	readonly appId?: string;
	/** The whole event as JSON (what a Server-Sent Events `data:` line carries). */
	readonly json: string;
	/** request and notification: the HAR entry alone, as JSON, for the traffic record. */
	readonly entryJson?: string;
}

/** What the feed reads of a served request (the emulator's ServedRequest). */
export interface FeedServedRequest {
	readonly method: string;
	readonly path: string;
	readonly url: string;
	readonly status: number;
	readonly action?: string;
	readonly appId?: string;
	readonly startedAt: number;
	readonly durationMs: number;
	readonly requestHeaders: Readonly<Record<string, string | string[] | undefined>>;
	readonly requestBody: string;
	readonly responseHeaders: Readonly<Record<string, string>>;
	readonly responseBody?: unknown;
}

interface Client {
	readonly res: ServerResponse;
	readonly types: ReadonlySet<FeedEventType> | undefined;
	readonly callId: string | undefined;
}

const CALL_PATH = /\/communications\/calls\/([^/?#]+)/i;

function parseBody(text: string): unknown {
	if (!text) return undefined;
	try {
		return JSON.parse(text);
	} catch {
		return text;
	}
}

function flatHeaders(h: Readonly<Record<string, string | string[] | undefined>>): Record<string, string> {
	const out: Record<string, string> = {};
	for (const [k, v] of Object.entries(h)) if (v !== undefined) out[k] = Array.isArray(v) ? v.join(', ') : v;
	return out;
}

/** Call ids arrive upper-case without dashes in notification URLs; the feed names calls as the API does. */
function callIdIn(url: string): string | undefined {
	const m = CALL_PATH.exec(url);
	return m ? decodeURIComponent(m[1]).toLowerCase() : undefined;
}

/** What the feed listens to and reads: the running emulator's parts. */
export interface EventFeedSources {
	readonly origin: () => string;
	readonly clock: Clock;
	readonly apps: ReadonlyMap<string, AppRegistration>;
	readonly onDidServe: Event<FeedServedRequest>;
	readonly onDidDeliver: Event<DeliveryRecord>;
}

export class EventFeed extends Disposable {
	/** Changes with every emulator start, so a client can tell a restarted emulator (whose seq starts again). */
	readonly instance = randomUUID();
	private readonly events: StoredEvent[] = [];
	private head = 0;
	private bytes = 0;
	private seq = 0;
	private readonly clients = new Set<Client>();
	private readonly lastCallKey = new Map<string, string>();
	private readonly heartbeat: NodeJS.Timeout;

	constructor(private readonly deps: EventFeedSources) {
		super();
		this._register(deps.onDidServe((r) => this.served(r)));
		this._register(deps.onDidDeliver((d) => this.delivered(d)));
		this.heartbeat = setInterval(() => this.broadcastRaw(': keep-alive\n\n'), HEARTBEAT_MS);
		this.heartbeat.unref();
		this._register(toDisposable(() => {
			clearInterval(this.heartbeat);
			for (const c of this.clients) c.res.destroy();
			this.clients.clear();
		}));
	}

	get lastSeq(): number {
		return this.seq;
	}

	/** Server-Sent Events connections open now. */
	get clientCount(): number {
		return this.clients.size;
	}

	get size(): number {
		return this.events.length - this.head;
	}

	/** Emulated time of a real moment: with a fast clock, lint sees the times the emulator's calls lived through. */
	private emulatedIso(realMs: number): string {
		const { clock } = this.deps;
		return new Date(clock.now() - (Date.now() - realMs) * clock.speed).toISOString();
	}

	/**
	 * Exact app secrets are scrubbed wherever they appear, besides what the HAR writer already redacted by shape.
	 * This works on the serialized JSON, so it replaces only the secret's JSON-escaped text (never quotes or
	 * backslashes around it), which keeps the JSON valid.
	 */
	private scrub(json: string): string {
		let out = json;
		for (const app of this.deps.apps.values()) {
			for (const s of app.secrets) {
				if (s.value.length < 8) continue;
				const escaped = JSON.stringify(s.value).slice(1, -1);
				if (out.includes(escaped)) out = out.split(escaped).join(REDACTED);
			}
		}
		return out;
	}

	/** A Graph request the emulator answered (the token endpoint and the control API are not traffic). */
	served(r: FeedServedRequest): void {
		if (this.isDisposed || !(r.path.startsWith('/v1.0/') || r.path.startsWith('/beta/'))) return;
		const responseCallId = r.action === 'call.create' ? (r.responseBody as { id?: unknown } | undefined)?.id : undefined;
		const callId = callIdIn(r.path) ?? (typeof responseCallId === 'string' ? responseCallId : undefined);
		const entry: HarEntry = {
			...harEntry({
				direction: 'out',
				startedDateTime: this.emulatedIso(r.startedAt),
				durationMs: Math.round(r.durationMs * 1000) / 1000,
				method: r.method,
				url: `${this.deps.origin()}${r.url}`,
				requestHeaders: flatHeaders(r.requestHeaders),
				requestBody: parseBody(r.requestBody),
				status: r.status,
				responseHeaders: r.responseHeaders,
				responseBody: r.responseBody,
			}),
			...(callId ? { _callId: callId } : {}),
			...(r.appId ? { _appId: r.appId } : {}),
		};
		this.pushEntry('request', entry, callId, r.appId, { action: r.action });
	}

	/** A notification POST to a callback and how the receiver answered it. */
	delivered(d: DeliveryRecord): void {
		if (this.isDisposed) return;
		const callId = d.notifications.map((n) => callIdIn(n.resourceUrl ?? '')).find((id) => id);
		const entry: HarEntry = {
			...harEntry({
				direction: 'in',
				startedDateTime: this.emulatedIso(Date.parse(d.at) - d.durationMs),
				durationMs: Math.round(d.durationMs * 1000) / 1000,
				method: 'POST',
				url: d.callbackUri,
				requestHeaders: { 'content-type': 'application/json', 'user-agent': 'GraphCallsEmulator/1.0' },
				requestBody: { '@odata.type': '#microsoft.graph.commsNotifications', value: d.notifications },
				status: d.status,
				error: d.error,
				comment: `attempt ${d.attempt}`,
			}),
			...(callId ? { _callId: callId } : {}),
			...(d.appId ? { _appId: d.appId } : {}),
		};
		this.pushEntry('notification', entry, callId, d.appId, { attempt: d.attempt, delivered: d.delivered });
	}

	/** A call's state or roster may have changed (the engine is about to notify): recorded when it did. */
	callChanged(call: CallRecord): void {
		if (this.isDisposed) return;
		const participants = [...call.participants.values()];
		const key = JSON.stringify([call.resource.state, call.resource.resultInfo ?? null, participants]);
		if (this.lastCallKey.get(call.id) === key) return;
		this.lastCallKey.set(call.id, key);
		const state = call.resource.state;
		if (state === 'terminated') this.lastCallKey.delete(call.id);
		const app = this.deps.apps.get(call.appId.toLowerCase());
		const body = {
			type: 'call' as const,
			time: new Date(this.deps.clock.now()).toISOString(),
			callId: call.id,
			appId: call.appId,
			...(app ? { appName: app.displayName } : {}),
			kind: call.kind,
			state,
			call: call.resource,
			participants,
		};
		this.push({ type: 'call', callId: call.id, appId: call.appId }, (seq) => this.scrub(JSON.stringify({ seq, ...body })));
	}

	private pushEntry(type: 'request' | 'notification', entry: HarEntry, callId: string | undefined, appId: string | undefined, extra: Record<string, unknown>): void {
		const entryJson = this.scrub(JSON.stringify(entry));
		const app = appId ? this.deps.apps.get(appId.toLowerCase()) : undefined;
		const head = { type, time: entry.startedDateTime, ...(callId ? { callId } : {}), ...(appId ? { appId } : {}), ...(app ? { appName: app.displayName } : {}), ...extra };
		this.push({ type, callId, appId, entryJson }, (seq) => `${JSON.stringify({ seq, ...head }).slice(0, -1)},"entry":${entryJson}}`);
	}

	private push(meta: Omit<StoredEvent, 'seq' | 'json'>, toJson: (seq: number) => string): void {
		const seq = ++this.seq;
		const event: StoredEvent = { ...meta, seq, json: toJson(seq) };
		this.events.push(event);
		this.bytes += event.json.length + (event.entryJson?.length ?? 0);
		while (this.size > FEED_CAPACITY || (this.bytes > FEED_MAX_BYTES && this.size > 1)) {
			const old = this.events[this.head++];
			this.bytes -= old.json.length + (old.entryJson?.length ?? 0);
		}
		// Compact now and then instead of shifting on every event.
		if (this.head > 1024 && this.head * 2 > this.events.length) {
			this.events.splice(0, this.head);
			this.head = 0;
		}
		for (const c of this.clients) this.send(c, event);
	}

	/** Events after `since` (a seq), oldest first. */
	after(since: number, filter: { readonly types?: ReadonlySet<FeedEventType>; readonly callId?: string } = {}): StoredEvent[] {
		const out: StoredEvent[] = [];
		for (let i = this.head; i < this.events.length; i++) {
			const e = this.events[i];
			if (e.seq > since && matches(e, filter.types, filter.callId)) out.push(e);
		}
		return out;
	}

	/** The events as JSON for a poll: `{"instance","next","value":[...]}`. */
	pollJson(since: number, filter: { readonly types?: ReadonlySet<FeedEventType>; readonly callId?: string } = {}): string {
		return `{"instance":${JSON.stringify(this.instance)},"next":${this.seq},"value":[${this.after(since, filter).map((e) => e.json).join(',')}]}`;
	}

	/** The traffic so far as a HAR 1.2 log (optionally one call's or one app's), built from the stored JSON. */
	harJson(creatorVersion: string, filter: { readonly callId?: string; readonly appId?: string } = {}): string {
		const entries: string[] = [];
		for (let i = this.head; i < this.events.length; i++) {
			const e = this.events[i];
			if (!e.entryJson) continue;
			if (filter.callId && e.callId !== filter.callId.toLowerCase()) continue;
			if (filter.appId && e.appId?.toLowerCase() !== filter.appId.toLowerCase()) continue;
			entries.push(e.entryJson);
		}
		const creator = JSON.stringify({ name: TRAFFIC_CREATOR, version: creatorVersion });
		const speed = this.deps.clock.speed;
		const comment = speed !== 1 ? `,"comment":${JSON.stringify(`Emulated time: the emulator's clock runs ${speed} times faster than real time; start times are emulated, durations real.`)}` : '';
		return `{"log":{"version":"1.2","creator":${creator},"entries":[${entries.join(',')}]${comment}}}`;
	}

	/**
	 * Streams events to `res` as Server-Sent Events: first a `hello` event (instance, the oldest and newest seq
	 * kept), then what the buffer holds after `since`, then each event as it happens. Returns false (and writes
	 * nothing) when too many clients are connected.
	 */
	stream(res: ServerResponse, since: number, filter: { readonly types?: ReadonlySet<FeedEventType>; readonly callId?: string } = {}): boolean {
		if (this.isDisposed || this.clients.size >= FEED_MAX_CLIENTS) return false;
		const client: Client = { res, types: filter.types, callId: filter.callId?.toLowerCase() };
		this.clients.add(client);
		const drop = () => this.clients.delete(client);
		res.on('close', drop);
		res.on('error', drop);
		const oldest = this.head < this.events.length ? this.events[this.head].seq : this.seq + 1;
		// A Last-Event-ID from an earlier emulator (higher than anything here) means: start from the beginning.
		const from = since > this.seq ? 0 : since;
		res.write(`retry: 1000\nevent: hello\ndata: ${JSON.stringify({ instance: this.instance, oldest, last: this.seq, capacity: FEED_CAPACITY, missed: from + 1 < oldest && from > 0 ? oldest - from - 1 : 0 })}\n\n`);
		for (const e of this.after(from, filter)) if (!this.send(client, e)) break;
		return true;
	}

	private send(c: Client, e: StoredEvent): boolean {
		if (!matches(e, c.types, c.callId)) return true;
		return this.write(c, `id: ${e.seq}\nevent: ${e.type}\ndata: ${e.json}\n\n`);
	}

	/** Writes without waiting; a client with too much waiting is cut off rather than buffered without end. */
	private write(c: Client, chunk: string): boolean {
		if (c.res.destroyed || c.res.writableEnded) {
			this.clients.delete(c);
			return false;
		}
		if (c.res.writableLength + chunk.length > FEED_CLIENT_MAX_BUFFER) {
			this.clients.delete(c);
			c.res.destroy();
			return false;
		}
		c.res.write(chunk);
		return true;
	}

	private broadcastRaw(chunk: string): void {
		for (const c of this.clients) this.write(c, chunk);
	}
}

function matches(e: StoredEvent, types: ReadonlySet<FeedEventType> | undefined, callId: string | undefined): boolean {
	return (!types || types.has(e.type)) && (!callId || e.callId === callId);
}
