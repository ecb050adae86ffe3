/**
 * Sends keepAlive for every established call on a schedule (Graph ends a call with 408/8537 when none arrives
 * for 45 minutes; 15 is recommended), says when the next one is due, warns before a call would time out, and
 * stops when the call ends. Time comes from an injected Clock so tests run instantly.
 */
import { Disposable } from '../lifecycle';
import { Emitter, type Event } from '../event';
import { systemClock, type Clock } from './clock';
import type { CallStore } from './callStore';
import { idKey } from './mergeRules';

export const DEFAULT_KEEPALIVE_INTERVAL_MS = 15 * 60_000;
/** Graph's limit: no keepAlive for this long ends the call with 408/8537. */
export const KEEPALIVE_TIMEOUT_MS = 45 * 60_000;

export interface KeepAliveOptions {
	/** Sends one keepAlive; rejects on failure. An error with `status: 404` means the call is gone. */
	send(callId: string): Promise<void>;
	clock?: Clock;
	intervalMs?: number;
	timeoutMs?: number;
	/** How long before the timeout to warn. */
	warnBeforeMs?: number;
	/** Wait before retrying a failed keepAlive. */
	retryMs?: number;
	/** Whether calls start with keepAlive on (each can be toggled). */
	enabledByDefault?: boolean;
	/**
	 * The earliest first keepAlive after the scheduler starts following a call, even when one is overdue (a call
	 * restored after a reload): keeps activation free of network requests. Default 5 s.
	 */
	firstDelayMs?: number;
}

export interface KeepAliveStatus {
	readonly enabled: boolean;
	readonly lastSentAt?: number;
	/** When the next keepAlive will be sent; undefined when off. */
	readonly nextDueAt?: number;
	/** When Graph would end the call with 408/8537 if nothing more is sent. */
	readonly deadlineAt: number;
	readonly lastFailure?: string;
	readonly sending: boolean;
}

export interface KeepAliveWarning {
	readonly callId: string;
	readonly deadlineAt: number;
	readonly message: string;
}

interface CallSchedule {
	callId: string;
	enabled: boolean;
	lastSentAt?: number;
	lastFailedAt?: number;
	lastFailure?: string;
	sending: boolean;
	notBefore: number;
	warnedFor?: number;
	timer?: { dispose(): void };
}

export class KeepAliveScheduler extends Disposable {
	private readonly schedules = new Map<string, CallSchedule>();
	/** Per-call choices made before the call was established, or kept across a profile switch. */
	private readonly choices = new Map<string, boolean>();
	private readonly clock: Clock;
	private intervalMs: number;
	private readonly timeoutMs: number;
	private readonly warnBeforeMs: number;
	private readonly retryMs: number;
	private readonly enabledByDefault: boolean;

	private readonly _onDidChange = this._register(new Emitter<string>());
	/** The call whose keepAlive status changed (sent, failed, toggled, rescheduled). */
	readonly onDidChange: Event<string> = this._onDidChange.event;
	private readonly _onDidWarn = this._register(new Emitter<KeepAliveWarning>());
	readonly onDidWarn: Event<KeepAliveWarning> = this._onDidWarn.event;
	private readonly _onDidFail = this._register(new Emitter<{ callId: string; message: string }>());
	readonly onDidFail: Event<{ callId: string; message: string }> = this._onDidFail.event;

	constructor(
		private readonly store: CallStore,
		private readonly options: KeepAliveOptions,
	) {
		super();
		this.clock = options.clock ?? systemClock;
		this.intervalMs = options.intervalMs ?? DEFAULT_KEEPALIVE_INTERVAL_MS;
		this.timeoutMs = options.timeoutMs ?? KEEPALIVE_TIMEOUT_MS;
		this.warnBeforeMs = options.warnBeforeMs ?? 5 * 60_000;
		this.retryMs = options.retryMs ?? 60_000;
		this.enabledByDefault = options.enabledByDefault ?? true;
		this._register(
			store.onDidChange((e) => {
				if (e.callId === undefined) this.reconcileAll();
				else if (e.call) this.reconcile(e.callId);
			}),
		);
		this._register({ dispose: () => this.schedules.forEach((s) => s.timer?.dispose()) });
		this.reconcileAll();
	}

	status(callId: string): KeepAliveStatus | undefined {
		const s = this.schedules.get(idKey(callId));
		const base = s && this.baseOf(s);
		if (!s || base === undefined) return undefined;
		return {
			enabled: s.enabled,
			lastSentAt: s.lastSentAt,
			nextDueAt: this.nextDueOf(s, base),
			deadlineAt: base + this.timeoutMs,
			lastFailure: s.lastFailure,
			sending: s.sending,
		};
	}

	isEnabled(callId: string): boolean {
		return this.choices.get(idKey(callId)) ?? this.enabledByDefault;
	}

	setEnabled(callId: string, enabled: boolean): void {
		this.choices.set(idKey(callId), enabled);
		const s = this.schedules.get(idKey(callId));
		if (s) s.enabled = enabled;
		this.reconcile(callId);
		this._onDidChange.fire(s?.callId ?? callId);
	}

	/** New interval from the settings: applies to the next keepAlive of every call. */
	setInterval(intervalMs: number): void {
		this.intervalMs = Math.max(1, Math.min(intervalMs, this.timeoutMs - 1));
		this.reconcileAll();
	}

	/** A keepAlive sent outside the scheduler (the keepAlive command) restarts the call's clock. */
	noteSent(callId: string, at = this.clock.now()): void {
		const s = this.schedules.get(idKey(callId));
		if (!s) return;
		s.lastSentAt = at;
		s.lastFailure = undefined;
		s.lastFailedAt = undefined;
		this.reconcile(s.callId);
		this._onDidChange.fire(s.callId);
	}

	/** Sends one now, whatever the schedule says; resolves when it succeeded or failed (never rejects). */
	async sendNow(callId: string): Promise<void> {
		const s = this.schedules.get(idKey(callId));
		if (!s || s.sending) return;
		s.sending = true;
		this._onDidChange.fire(s.callId);
		try {
			await this.options.send(s.callId);
			s.lastSentAt = this.clock.now();
			s.lastFailure = undefined;
			s.lastFailedAt = undefined;
		} catch (err) {
			s.lastFailedAt = this.clock.now();
			s.lastFailure = err instanceof Error ? err.message : String(err);
			this._onDidFail.fire({ callId: s.callId, message: `keepAlive for call ${s.callId} failed: ${s.lastFailure}` });
			if ((err as { status?: number })?.status === 404) {
				this.store.applyEnded(s.callId, { code: 404, message: 'keepAlive returned 404: the call no longer exists' }, 'poll');
			}
		} finally {
			s.sending = false;
		}
		this.reconcile(s.callId);
		this._onDidChange.fire(s.callId);
	}

	private reconcileAll(): void {
		const live = new Set(this.store.list().map((e) => idKey(e.callId)));
		for (const [key, s] of this.schedules) {
			if (!live.has(key)) {
				s.timer?.dispose();
				this.schedules.delete(key);
			}
		}
		for (const e of this.store.list()) this.reconcile(e.callId);
	}

	/** Creates, reschedules or drops the call's timer to match its state. */
	private reconcile(callId: string): void {
		const key = idKey(callId);
		const entry = this.store.get(callId);
		let s = this.schedules.get(key);
		if (!entry || entry.ended || entry.establishedAt === undefined) {
			if (s) {
				s.timer?.dispose();
				this.schedules.delete(key);
				this._onDidChange.fire(s.callId);
			}
			return;
		}
		if (!s) {
			s = { callId: entry.callId, enabled: this.isEnabled(callId), sending: false, notBefore: this.clock.now() + (this.options.firstDelayMs ?? 5_000) };
			this.schedules.set(key, s);
		}
		s.timer?.dispose();
		s.timer = undefined;
		const base = this.baseOf(s)!;
		const now = this.clock.now();
		const deadline = base + this.timeoutMs;
		const warnAt = deadline - this.warnBeforeMs;
		const due = this.nextDueOf(s, base);
		if (now >= warnAt && s.warnedFor !== deadline && now < deadline) {
			s.warnedFor = deadline;
			const minutes = Math.max(1, Math.round((deadline - now) / 60_000));
			const why = !s.enabled ? 'automatic keepAlive is off for it' : s.lastFailure ? `the last keepAlive failed (${s.lastFailure})` : 'no keepAlive was sent';
			this._onDidWarn.fire({ callId: s.callId, deadlineAt: deadline, message: `Call ${s.callId} will end with 408/8537 in about ${minutes} min: ${why}. Send a keepAlive now or turn automatic keepAlive on.` });
		}
		if (due !== undefined && due <= now && !s.sending) {
			void this.sendNow(s.callId);
			return;
		}
		const wakes = [due, s.warnedFor === deadline ? undefined : warnAt].filter((t): t is number => t !== undefined && t > now);
		if (wakes.length && !s.sending) {
			const at = Math.min(...wakes);
			s.timer = this.clock.setTimeout(() => {
				if (s) s.timer = undefined;
				this.reconcile(callId);
			}, at - now);
		}
	}

	private baseOf(s: CallSchedule): number | undefined {
		return s.lastSentAt ?? this.store.get(s.callId)?.establishedAt;
	}

	private nextDueOf(s: CallSchedule, base: number): number | undefined {
		if (!s.enabled) return undefined;
		// After a failure, retry soon rather than waiting a whole interval, but never hammer the service.
		if (s.lastFailedAt !== undefined) return s.lastFailedAt + this.retryMs;
		return Math.max(base + this.intervalMs, s.notBefore);
	}
}
