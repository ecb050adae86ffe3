/**
 * A client of the emulator's live feed (GET /_emulator/events, Server-Sent Events): parses the stream, hands
 * each event on, and reconnects with Last-Event-ID when the stream ends (the emulator restarted, or cut off a
 * reader that fell behind), so nothing is missed that the emulator still holds. The extension uses it to show
 * every emulator call live; tests use it to watch what the emulator did.
 */
import { Emitter, type Event } from '../event';
import { Disposable, toDisposable } from '../lifecycle';
import type { HarEntry } from './har';

/** The first message of every stream: which emulator this is and what it still holds. */
export interface FeedHello {
	readonly instance: string;
	readonly oldest: number;
	readonly last: number;
	readonly capacity: number;
	/** Events the client asked for that had already fallen out of the emulator's buffer. */
	readonly missed: number;
}

interface FeedEventBase {
	readonly seq: number;
	/** ISO time (emulated time when the emulator's clock runs fast). */
	readonly time: string;
	readonly callId?: string;
	/** The app that made the request, or whose call it is. */
	readonly appId?: string;
	/** That app's display name in the emulator. */
	readonly appName?: string;
}

export interface FeedRequestEvent extends FeedEventBase {
	readonly type: 'request';
	readonly action?: string;
	readonly entry: HarEntry;
}

export interface FeedNotificationEvent extends FeedEventBase {
	readonly type: 'notification';
	readonly attempt: number;
	readonly delivered: boolean;
	readonly entry: HarEntry;
}

export interface FeedCallEvent extends FeedEventBase {
	readonly type: 'call';
	readonly callId: string;
	readonly appId: string;
	readonly kind: string;
	readonly state: string;
	/** The call resource as Graph shows it. */
	readonly call: Record<string, unknown> & { id: string };
	readonly participants: readonly (Record<string, unknown> & { id: string })[];
}

export type FeedEvent = FeedRequestEvent | FeedNotificationEvent | FeedCallEvent;

/** One Server-Sent Events message. */
export interface SseMessage {
	readonly event: string;
	readonly data: string;
	readonly id?: string;
}

/** Incremental Server-Sent Events parser (the WHATWG event-stream format): push text, get whole messages. */
export class SseParser {
	private buffer = '';
	private data: string[] = [];
	private event = '';
	private id: string | undefined;
	/** The server's `retry:` advice, ms. */
	retryMs: number | undefined;

	push(chunk: string): SseMessage[] {
		this.buffer += chunk;
		const out: SseMessage[] = [];
		let start = 0;
		for (;;) {
			const nl = this.buffer.indexOf('\n', start);
			if (nl < 0) break;
			let line = this.buffer.slice(start, nl);
			start = nl + 1;
			if (line.endsWith('\r')) line = line.slice(0, -1);
			if (line === '') {
				if (this.data.length) out.push({ event: this.event || 'message', data: this.data.join('\n'), ...(this.id !== undefined ? { id: this.id } : {}) });
				this.data = [];
				this.event = '';
				continue;
			}
			if (line.startsWith(':')) continue;
			const colon = line.indexOf(':');
			const field = colon < 0 ? line : line.slice(0, colon);
			let value = colon < 0 ? '' : line.slice(colon + 1);
			if (value.startsWith(' ')) value = value.slice(1);
			if (field === 'data') this.data.push(value);
			else if (field === 'event') this.event = value;
			else if (field === 'id' && !value.includes('\0')) this.id = value;
			else if (field === 'retry' && /^\d+$/.test(value)) this.retryMs = Number(value);
		}
		this.buffer = this.buffer.slice(start);
		return out;
	}

	get lastEventId(): string | undefined {
		return this.id;
	}
}

/** How the client sends its request: undici's `request` with a dispatcher that trusts the emulator's CA. */
export type FeedRequester = (url: string, init: { headers: Record<string, string>; signal: AbortSignal }) => Promise<{ statusCode: number; body: AsyncIterable<Uint8Array> & { dump?(): Promise<void> } }>;

export interface EmulatorFeedClientOptions {
	/** https://127.0.0.1:PORT/_emulator */
	readonly controlUrl: string;
	readonly request: FeedRequester;
	/** Wait before reconnecting, doubled up to maxRetryMs while connecting fails. */
	readonly retryMs?: number;
	readonly maxRetryMs?: number;
	/** Only events after this seq (default: everything the emulator still holds). */
	readonly since?: number;
}

export class EmulatorFeedClient extends Disposable {
	private readonly _onDidReceive = this._register(new Emitter<FeedEvent>());
	readonly onDidReceive: Event<FeedEvent> = this._onDidReceive.event;
	private readonly _onDidConnect = this._register(new Emitter<FeedHello>());
	/** Each (re)connection: a new `instance` means the emulator restarted and its calls are new ones. */
	readonly onDidConnect: Event<FeedHello> = this._onDidConnect.event;
	private readonly _onDidDisconnect = this._register(new Emitter<string>());
	readonly onDidDisconnect: Event<string> = this._onDidDisconnect.event;
	private readonly abort = new AbortController();
	private lastSeq: number;
	private instance: string | undefined;
	private running: Promise<void> | undefined;

	constructor(private readonly options: EmulatorFeedClientOptions) {
		super();
		this.lastSeq = options.since ?? 0;
		this._register(toDisposable(() => this.abort.abort()));
	}

	/** Starts reading (once); reconnects until disposed. */
	start(): void {
		this.running ??= this.loop();
	}

	/** Resolves when the loop has ended (after dispose). */
	get done(): Promise<void> {
		return this.running ?? Promise.resolve();
	}

	private async loop(): Promise<void> {
		const base = this.options.retryMs ?? 500;
		let delay = base;
		while (!this.abort.signal.aborted) {
			let why: string;
			try {
				const got = await this.readOnce();
				if (got) delay = base;
				why = 'the stream ended';
			} catch (err) {
				why = (err as Error).message;
			}
			if (this.abort.signal.aborted) return;
			this._onDidDisconnect.fire(why);
			await new Promise<void>((resolve) => {
				const t = setTimeout(resolve, delay);
				this.abort.signal.addEventListener('abort', () => {
					clearTimeout(t);
					resolve();
				}, { once: true });
			});
			delay = Math.min(delay * 2, this.options.maxRetryMs ?? 5000);
		}
	}

	/** One connection; true when it got at least the hello. */
	private async readOnce(): Promise<boolean> {
		const headers: Record<string, string> = { accept: 'text/event-stream' };
		if (this.lastSeq > 0) headers['last-event-id'] = String(this.lastSeq);
		const query = this.instance ? `?instance=${encodeURIComponent(this.instance)}` : '';
		const res = await this.options.request(`${this.options.controlUrl.replace(/\/+$/, '')}/events${query}`, { headers, signal: this.abort.signal });
		if (res.statusCode !== 200) {
			await res.body.dump?.();
			throw new Error(`the emulator answered ${res.statusCode} to GET /_emulator/events`);
		}
		const parser = new SseParser();
		const decoder = new TextDecoder();
		let hello = false;
		for await (const chunk of res.body) {
			for (const m of parser.push(decoder.decode(chunk, { stream: true }))) {
				if (m.event === 'hello') {
					const h = JSON.parse(m.data) as FeedHello;
					// Another emulator (a restart) replays from its start: seqs from here on are its own.
					if (h.instance !== this.instance) this.lastSeq = 0;
					this.instance = h.instance;
					hello = true;
					this._onDidConnect.fire(h);
					continue;
				}
				if (m.event !== 'request' && m.event !== 'notification' && m.event !== 'call') continue;
				let e: FeedEvent;
				try {
					e = JSON.parse(m.data) as FeedEvent;
				} catch {
					continue;
				}
				if (typeof e.seq === 'number') this.lastSeq = e.seq;
				this._onDidReceive.fire(e);
			}
		}
		return hello;
	}
}
