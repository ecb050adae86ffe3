import type { Agent } from 'undici';
import { undici } from '../lazyUndici';
import { Emitter, type Event } from '../event';
import { Disposable, toDisposable } from '../lifecycle';
import { forwardHeadersOf, type DeliveryOutcome, type NotificationRecord } from './notificationRecord';

// Hop-by-hop headers describe the connection to us, not the message; the rest is forwarded unchanged.
const HOP_BY_HOP = new Set(['host', 'connection', 'content-length', 'transfer-encoding', 'keep-alive', 'upgrade', 'te', 'trailer', 'proxy-connection', 'proxy-authorization', 'expect']);

export interface NotificationRelayOptions {
	/** The developer's bot endpoint, e.g. http://localhost:5000/api/calling; undefined = relay off. */
	target?: string;
	/** Per request. Default 10 s. */
	readonly timeoutMs?: number;
	/** Relays waiting for the bot above this are recorded as skipped instead of piling up. Default 1000. */
	readonly queueLimit?: number;
}

/**
 * Forwards accepted notifications, body and headers unchanged, to the developer's bot, one at a time in
 * arrival order (bots care about event order), and records the bot's status code and time on the record.
 */
export class NotificationRelay extends Disposable {
	private agentInstance: Agent | undefined;

	/** Created on the first relay, so that the receiver does not load undici at activation. */
	private get agent(): Agent {
		this.agentInstance ??= new (undici().Agent)({ connections: 8 });
		return this.agentInstance;
	}
	private readonly queue: NotificationRecord[] = [];
	private running = false;
	private readonly _onDidDeliver = this._register(new Emitter<{ record: NotificationRecord; outcome: DeliveryOutcome }>());
	readonly onDidDeliver: Event<{ record: NotificationRecord; outcome: DeliveryOutcome }> = this._onDidDeliver.event;

	constructor(private readonly options: NotificationRelayOptions = {}) {
		super();
		this._register(toDisposable(() => void this.agentInstance?.close().catch(() => undefined)));
	}

	get target(): string | undefined {
		return this.options.target;
	}

	set target(value: string | undefined) {
		this.options.target = value?.trim() || undefined;
	}

	/** Queues a relay when a target is set; the outcome lands on record.relay. */
	enqueue(record: NotificationRecord): void {
		const target = this.options.target;
		if (!target) return;
		if (this.queue.length >= (this.options.queueLimit ?? 1000)) {
			record.relay = { kind: 'relay', target, at: new Date().toISOString(), durationMs: 0, error: 'Not relayed: the bot is not keeping up and the relay queue is full. Replay it once the bot catches up.' };
			this._onDidDeliver.fire({ record, outcome: record.relay });
			return;
		}
		this.queue.push(record);
		if (!this.running) void this.run();
	}

	/** Resolves when every queued relay has been attempted. */
	async whenIdle(): Promise<void> {
		while (this.running || this.queue.length) await new Promise((r) => setTimeout(r, 5));
	}

	private async run(): Promise<void> {
		this.running = true;
		try {
			let record: NotificationRecord | undefined;
			while ((record = this.queue.shift())) {
				const target = this.options.target;
				if (!target) continue;
				record.relay = await this.send(record, target, 'relay');
				this._onDidDeliver.fire({ record, outcome: record.relay });
			}
		} finally {
			this.running = false;
		}
	}

	/** Sends a captured notification again (or an edited body) to the relay target, and records the outcome. */
	async replay(record: NotificationRecord, body?: string): Promise<DeliveryOutcome> {
		const target = this.options.target;
		if (!target) {
			throw Object.assign(new Error('No relay target is set, so there is nowhere to replay the notification to.'), {
				explanation: 'Run "Graph Calls: Configure Relay Target" and enter your bot\'s endpoint, e.g. http://localhost:5000/api/calling.',
			});
		}
		const outcome = await this.send(record, target, 'replay', body);
		record.replays.push(outcome);
		this._onDidDeliver.fire({ record, outcome });
		return outcome;
	}

	private async send(record: NotificationRecord, target: string, kind: 'relay' | 'replay', body = record.body): Promise<DeliveryOutcome> {
		const headers: Record<string, string> = {};
		for (const [k, v] of Object.entries(forwardHeadersOf(record))) {
			if (!HOP_BY_HOP.has(k.toLowerCase())) headers[k] = v;
		}
		const at = new Date().toISOString();
		const started = performance.now();
		const timeout = this.options.timeoutMs ?? 10_000;
		try {
			const res = await undici().request(target, { method: 'POST', headers, body, dispatcher: this.agent, headersTimeout: timeout, bodyTimeout: timeout, signal: AbortSignal.timeout(timeout) });
			await res.body.dump();
			return { kind, target, at, status: res.statusCode, durationMs: Math.round(performance.now() - started) };
		} catch (err) {
			return { kind, target, at, durationMs: Math.round(performance.now() - started), error: `Could not reach the bot at ${target} (${describe(err)}). Is it running and listening there?` };
		}
	}
}

function describe(err: unknown): string {
	const e = err as { code?: string; message?: string; cause?: { code?: string } };
	return e?.cause?.code ?? e?.code ?? e?.message ?? String(err);
}
