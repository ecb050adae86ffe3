import { randomUUID } from 'node:crypto';
import { Agent, request } from 'undici';
import type { CommsNotification } from '../schema/types';
import { Emitter } from '../event';
import { Disposable, toDisposable } from '../lifecycle';
import type { Clock } from './clock';
import type { FaultInjector } from './faults';
import type { SigningKey } from './signingKeys';

/** Most notifications one POST carries when several are waiting for the same callback. */
const MAX_BATCH = 20;
/** POSTs in flight at once per callback (calls are spread over them; one call's notifications stay in order). */
const LANES = 4;

/** Issuer of the JWT on every notification POST, as the real service sends it. */
export const WEBHOOK_ISSUER = 'https://api.botframework.com';

export interface DeliveryRecord {
	readonly id: string;
	readonly callbackUri: string;
	/** The app the notifications are for (whose call it is). */
	readonly appId: string;
	readonly notifications: readonly CommsNotification[];
	readonly attempt: number;
	readonly status?: number;
	readonly error?: string;
	readonly at: string;
	/** How long the receiver took to answer (or to fail), real ms. */
	readonly durationMs: number;
	/** True once the receiver acknowledged with 2xx. */
	readonly delivered: boolean;
}

export interface WebhookOptions {
	/** Attempts per notification including the first (default 4). */
	attempts: number;
	/** First retry delay in emulated ms, doubled each time (default 500). */
	retryBaseMs: number;
	/** How long the receiver has to answer, real ms (the service allows 5 s). */
	ackTimeoutMs: number;
	/** How long a notification waits for a partner to swap with when reordering is on, real ms. */
	reorderHoldMs: number;
}

interface Item {
	callbackUri: string;
	appId: string;
	tenantId: string;
	notifications: CommsNotification[];
	attempt: number;
	redirected?: boolean;
}

interface Queue {
	items: Item[];
	running: boolean;
	held?: { item: Item; timer: NodeJS.Timeout };
}

/**
 * Posts commsNotifications to callback URIs without blocking request handling: one ordered queue per callback,
 * a signed JWT on each POST, retries with backoff, and the drop/duplicate/reorder faults.
 */
export class WebhookDispatcher extends Disposable {
	private readonly queues = new Map<string, Queue>();
	private readonly agent = new Agent({ connections: 16, keepAliveTimeout: 10_000, connect: { timeout: 5_000 } });
	private readonly tokens = new Map<string, { token: string; exp: number }>();
	private readonly _onDidDeliver = this._register(new Emitter<DeliveryRecord>());
	readonly onDidDeliver = this._onDidDeliver.event;
	readonly history: DeliveryRecord[] = [];
	private inFlight = 0;
	private idleWaiters: (() => void)[] = [];

	constructor(private readonly signer: SigningKey, private readonly clock: Clock, private readonly faults: FaultInjector, readonly options: WebhookOptions) {
		super();
		this._register(toDisposable(() => {
			for (const q of this.queues.values()) if (q.held) clearTimeout(q.held.timer);
			this.queues.clear();
			void this.agent.close().catch(() => undefined);
		}));
	}

	/** Queues notifications for one callback; returns at once. */
	send(callbackUri: string, appId: string, tenantId: string, notifications: CommsNotification[]): void {
		if (this.isDisposed) return;
		const copies = this.faults.notificationCopies();
		for (let i = 0; i < copies; i++) this.enqueue({ callbackUri, appId, tenantId, notifications, attempt: 1 });
	}

	/** The bearer token a notification POST carries; also handy for tests that check receivers. */
	tokenFor(appId: string, tenantId: string): string {
		const key = `${appId} ${tenantId}`;
		const now = Math.floor(Date.now() / 1000);
		const cached = this.tokens.get(key);
		if (cached && cached.exp - now > 300) return cached.token;
		const exp = now + 3600;
		const token = this.signer.sign({ iss: WEBHOOK_ISSUER, aud: appId, tid: tenantId, appid: appId, iat: now, nbf: now - 5, exp, serviceurl: 'https://emulator.local/' });
		this.tokens.set(key, { token, exp });
		return token;
	}

	/** Resolves when nothing is queued, held or in flight. */
	idle(): Promise<void> {
		if (this.isIdle()) return Promise.resolve();
		return new Promise((resolve) => this.idleWaiters.push(resolve));
	}

	private isIdle(): boolean {
		if (this.inFlight > 0) return false;
		for (const q of this.queues.values()) if (q.items.length || q.running || q.held) return false;
		return true;
	}

	private checkIdle(): void {
		if (this.idleWaiters.length && this.isIdle()) for (const w of this.idleWaiters.splice(0)) w();
	}

	/**
	 * A callback's notifications go out on LANES queues, a call always on the same one: each call's notifications stay
	 * in order, as the service keeps them, while a busy bot's calls no longer wait one POST at a time behind each
	 * other (one queue per callback put them tens of ms behind the state change). Each lane still batches.
	 */
	private queueKey(item: Item): string {
		const call = /^\/?communications\/calls\/([^/]+)/.exec(item.notifications[0]?.resourceUrl ?? '')?.[1] ?? '';
		let h = 0;
		for (let i = 0; i < call.length; i++) h = (h * 31 + call.charCodeAt(i)) | 0;
		return `${item.callbackUri} ${Math.abs(h) % LANES}`;
	}

	private queueFor(key: string): Queue {
		let q = this.queues.get(key);
		if (!q) {
			q = { items: [], running: false };
			this.queues.set(key, q);
		}
		return q;
	}

	private enqueue(item: Item): void {
		const key = this.queueKey(item);
		const q = this.queueFor(key);
		if (this.faults.reorder && item.attempt === 1) {
			if (q.held) {
				clearTimeout(q.held.timer);
				const held = q.held.item;
				q.held = undefined;
				this.faults.counters.notificationsReordered++;
				q.items.push(item, held);
			} else {
				const timer = setTimeout(() => {
					if (q.held?.item === item) {
						q.held = undefined;
						q.items.push(item);
						void this.pump(q, key);
					}
				}, this.options.reorderHoldMs);
				q.held = { item, timer };
				return;
			}
		} else {
			q.items.push(item);
		}
		void this.pump(q, key);
	}

	private async pump(q: Queue, key: string): Promise<void> {
		if (q.running) return;
		q.running = true;
		try {
			while (q.items.length && !this.isDisposed) {
				const item = q.items.shift()!;
				// Like the service, send what has piled up for one callback in one POST (a longer `value` array).
				while (item.attempt === 1 && q.items.length && q.items[0].attempt === 1 && q.items[0].appId === item.appId && q.items[0].tenantId === item.tenantId && item.notifications.length + q.items[0].notifications.length <= MAX_BATCH) {
					item.notifications = [...item.notifications, ...q.items.shift()!.notifications];
				}
				await this.deliver(item);
			}
		} finally {
			q.running = false;
			// Ended calls leave no queue behind.
			if (!q.items.length && !q.held && this.queues.get(key) === q) this.queues.delete(key);
			this.checkIdle();
		}
	}

	private async deliver(item: Item): Promise<void> {
		const body = JSON.stringify({ '@odata.type': '#microsoft.graph.commsNotifications', value: item.notifications });
		let status: number | undefined;
		let error: string | undefined;
		let redirectTo: string | undefined;
		this.inFlight++;
		const started = performance.now();
		try {
			const res = await request(item.callbackUri, {
				method: 'POST',
				dispatcher: this.agent,
				headers: {
					'content-type': 'application/json',
					authorization: `Bearer ${this.tokenFor(item.appId, item.tenantId)}`,
					'client-request-id': randomUUID(),
					'user-agent': 'GraphCallsEmulator/1.0',
				},
				body,
				headersTimeout: this.options.ackTimeoutMs,
				bodyTimeout: this.options.ackTimeoutMs,
			});
			status = res.statusCode;
			const location = res.headers.location;
			if ((status === 302 || status === 307) && typeof location === 'string') redirectTo = new URL(location, item.callbackUri).toString();
			await res.body.dump();
		} catch (err) {
			error = `${(err as Error).message}`;
		} finally {
			this.inFlight--;
		}
		const delivered = status !== undefined && status >= 200 && status < 300;
		const record: DeliveryRecord = { id: randomUUID(), callbackUri: item.callbackUri, appId: item.appId, notifications: item.notifications, attempt: item.attempt, status, error, at: new Date().toISOString(), durationMs: performance.now() - started, delivered };
		this.history.push(record);
		if (this.history.length > 1000) this.history.splice(0, this.history.length - 1000);
		this._onDidDeliver.fire(record);
		if (redirectTo && !item.redirected && !this.isDisposed) {
			// 302/307 + Location: the receiver sends us to another region; follow it once, as the service does.
			await this.deliver({ ...item, callbackUri: redirectTo, redirected: true });
			return;
		}
		const retryable = !delivered && (status === undefined || status === 408 || status === 429 || status >= 500);
		if (retryable && item.attempt < this.options.attempts && !this.isDisposed) {
			// Retry in place, so the callback still sees this call's events in order.
			const delay = this.options.retryBaseMs * 2 ** (item.attempt - 1);
			this.inFlight++;
			await new Promise<void>((resolve) => this.clock.setTimeout(resolve, delay));
			this.inFlight--;
			if (!this.isDisposed) await this.deliver({ ...item, attempt: item.attempt + 1 });
		}
	}
}
