import { randomUUID } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import type { CommsNotification } from '../schema/types';
import { Emitter } from '../event';
import { Disposable, toDisposable } from '../lifecycle';
import type { Clock } from './clock';
import type { FaultInjector } from './faults';
import type { SigningKey } from './signingKeys';
import { runDeliveryWorker, type DeliveryAttempt, type DeliveryJob, type DeliverySettings } from './webhookDeliveryWorker';

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

interface Pending {
	readonly callbackUri: string;
	readonly appId: string;
	readonly notifications: readonly CommsNotification[];
}

/**
 * Posts commsNotifications to callback URIs without blocking request handling: a signed JWT on each POST, the
 * drop/duplicate/reorder faults, and a record of every attempt. The POSTs themselves (ordered queues, batching,
 * retries with backoff, redirects) run on a worker thread: see webhookDeliveryWorker.ts for why.
 */
export class WebhookDispatcher extends Disposable {
	private worker?: Worker;
	private nextId = 1;
	/** Notifications handed to the worker and not finished with, by job id. */
	private readonly pending = new Map<number, Pending>();
	/** Under the reorder fault: the job waiting on each lane for a partner to swap with. */
	private readonly held = new Map<string, { job: DeliveryJob; timer: NodeJS.Timeout }>();
	private readonly tokens = new Map<string, { token: string; exp: number }>();
	private readonly _onDidDeliver = this._register(new Emitter<DeliveryRecord>());
	readonly onDidDeliver = this._onDidDeliver.event;
	readonly history: DeliveryRecord[] = [];
	private idleWaiters: (() => void)[] = [];

	constructor(private readonly signer: SigningKey, private readonly clock: Clock, private readonly faults: FaultInjector, readonly options: WebhookOptions) {
		super();
		this._register(toDisposable(() => {
			for (const h of this.held.values()) clearTimeout(h.timer);
			this.held.clear();
			this.pending.clear();
			void this.worker?.terminate();
			this.worker = undefined;
			this.checkIdle();
		}));
		// Started now, while the emulator is still starting: a thread takes tens of ms to come up, and the first
		// notification of a call must not wait for that.
		this.startWorker().unref();
	}

	/** Queues notifications for one callback; returns at once. */
	send(callbackUri: string, appId: string, tenantId: string, notifications: CommsNotification[]): void {
		if (this.isDisposed || !notifications.length) return;
		const copies = this.faults.notificationCopies();
		for (let i = 0; i < copies; i++) this.enqueue(callbackUri, appId, tenantId, notifications);
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
		return this.isDisposed || (this.pending.size === 0 && this.held.size === 0);
	}

	private checkIdle(): void {
		if (this.idleWaiters.length && this.isIdle()) for (const w of this.idleWaiters.splice(0)) w();
	}

	/**
	 * A callback's notifications go out on LANES queues, a call always on the same one: each call's notifications stay
	 * in order, as the service keeps them, while a busy bot's calls no longer wait one POST at a time behind each
	 * other (one queue per callback put them tens of ms behind the state change). Each lane still batches.
	 */
	private laneOf(callbackUri: string, notifications: readonly CommsNotification[]): string {
		const call = /^\/?communications\/calls\/([^/]+)/.exec(notifications[0]?.resourceUrl ?? '')?.[1] ?? '';
		let h = 0;
		for (let i = 0; i < call.length; i++) h = (h * 31 + call.charCodeAt(i)) | 0;
		return `${callbackUri} ${Math.abs(h) % LANES}`;
	}

	private enqueue(callbackUri: string, appId: string, tenantId: string, notifications: CommsNotification[]): void {
		const id = this.nextId++;
		this.pending.set(id, { callbackUri, appId, notifications });
		const lane = this.laneOf(callbackUri, notifications);
		const job: DeliveryJob = { id, lane, callbackUri, appId, tenantId, token: this.tokenFor(appId, tenantId), json: JSON.stringify(notifications).slice(1, -1), count: notifications.length, speed: this.clock.speed };
		if (!this.faults.reorder) {
			this.post(job);
			return;
		}
		const held = this.held.get(lane);
		if (held) {
			clearTimeout(held.timer);
			this.held.delete(lane);
			this.faults.counters.notificationsReordered++;
			this.post(job);
			this.post(held.job);
			return;
		}
		const timer = setTimeout(() => {
			if (this.held.get(lane)?.job !== job) return;
			this.held.delete(lane);
			this.post(job);
		}, this.options.reorderHoldMs);
		this.held.set(lane, { job, timer });
	}

	private post(job: DeliveryJob): void {
		const worker = this.worker ?? this.startWorker();
		// Keep the process alive only while something is waiting to be delivered.
		worker.ref();
		worker.postMessage(job);
	}

	private startWorker(): Worker {
		const settings: DeliverySettings = { attempts: this.options.attempts, retryBaseMs: this.options.retryBaseMs, ackTimeoutMs: this.options.ackTimeoutMs, maxBatch: MAX_BATCH };
		const worker = new Worker(`(${runDeliveryWorker.toString()})()`, { eval: true, workerData: settings });
		worker.on('message', (attempt: DeliveryAttempt) => this.attempted(attempt));
		worker.on('error', (err) => this.workerFailed(worker, err));
		worker.on('exit', (code) => this.workerFailed(worker, new Error(`exited with code ${code}`)));
		this.worker = worker;
		return worker;
	}

	private attempted(a: DeliveryAttempt): void {
		const jobs = a.ids.map((id) => this.pending.get(id)).filter((p): p is Pending => !!p);
		if (!jobs.length) return;
		this.record({ id: randomUUID(), callbackUri: a.callbackUri, appId: jobs[0].appId, notifications: jobs.flatMap((j) => j.notifications), attempt: a.attempt, status: a.status, error: a.error, at: a.at, durationMs: a.durationMs, delivered: a.delivered });
		if (a.final) this.finish(a.ids);
	}

	/** The worker is gone (it should not happen): what it still had is recorded as failed, and the next send starts another. */
	private workerFailed(worker: Worker, err: Error): void {
		if (this.worker !== worker) return;
		this.worker = undefined;
		if (this.isDisposed) return;
		const error = `The webhook delivery thread stopped (${err.message}); these notifications were not sent.`;
		for (const p of this.pending.values()) this.record({ id: randomUUID(), callbackUri: p.callbackUri, appId: p.appId, notifications: p.notifications, attempt: 1, error, at: new Date().toISOString(), durationMs: 0, delivered: false });
		this.finish([...this.pending.keys()]);
	}

	private record(record: DeliveryRecord): void {
		this.history.push(record);
		if (this.history.length > 1000) this.history.splice(0, this.history.length - 1000);
		this._onDidDeliver.fire(record);
	}

	private finish(ids: readonly number[]): void {
		for (const id of ids) this.pending.delete(id);
		if (this.pending.size === 0) this.worker?.unref();
		this.checkIdle();
	}
}
