/**
 * Refresh policy: notifications first. A call that has heard no notification for `quietMs` (no public callback
 * URL, or a receiver that is not running) is polled with GET, backing off while nothing changes; ended calls
 * are never polled. The fetch functions come from the VS Code layer (the active profile's Graph client).
 */
import { Disposable } from '../lifecycle';
import { Emitter, type Event } from '../event';
import type { CallResource, ParticipantResource } from '../schema/types';
import { systemClock, type Clock } from './clock';
import type { CallStore } from './callStore';
import { idKey } from './mergeRules';

export interface PollingPolicy {
	/** Poll only when no notification arrived for this long. */
	readonly quietMs: number;
	readonly initialDelayMs: number;
	readonly maxDelayMs: number;
	/** Delay multiplier after a poll that changed nothing (or failed). */
	readonly factor: number;
}

export const DEFAULT_POLLING_POLICY: PollingPolicy = { quietMs: 10_000, initialDelayMs: 5_000, maxDelayMs: 120_000, factor: 2 };

/** Back to the initial delay after a poll that saw a change; otherwise grow by `factor` up to the cap. */
export function nextPollDelay(previousMs: number | undefined, changed: boolean, policy: PollingPolicy = DEFAULT_POLLING_POLICY): number {
	if (changed || previousMs === undefined) return policy.initialDelayMs;
	return Math.min(policy.maxDelayMs, Math.max(policy.initialDelayMs, previousMs * policy.factor));
}

export interface CallFetcher {
	/** GET the call; resolves undefined when Graph answers 404 (the call is gone). */
	fetchCall(callId: string, signal: AbortSignal): Promise<CallResource | undefined>;
	/** List the participants; optional (undefined result: not available). */
	fetchParticipants?(callId: string, signal: AbortSignal): Promise<readonly ParticipantResource[] | undefined>;
}

export interface CallPollerOptions {
	clock?: Clock;
	policy?: PollingPolicy;
}

interface PollState {
	delayMs: number;
	lastPolledAt?: number;
	timer?: { dispose(): void };
	inFlight?: AbortController;
}

export class CallPoller extends Disposable {
	private readonly states = new Map<string, PollState>();
	private readonly clock: Clock;
	private readonly policy: PollingPolicy;
	private fetcher: CallFetcher | undefined;
	/** When the current fetcher arrived: no poll before it has been quiet for a while (activation does no network). */
	private fetcherSince = 0;

	private readonly _onDidFail = this._register(new Emitter<{ callId: string; message: string }>());
	readonly onDidFail: Event<{ callId: string; message: string }> = this._onDidFail.event;

	constructor(
		private readonly store: CallStore,
		fetcher: CallFetcher | undefined,
		options: CallPollerOptions = {},
	) {
		super();
		this.fetcher = fetcher;
		this.clock = options.clock ?? systemClock;
		this.policy = options.policy ?? DEFAULT_POLLING_POLICY;
		this.fetcherSince = this.clock.now();
		this._register(
			store.onDidChange((e) => {
				if (e.callId === undefined) this.rescheduleAll();
				else this.schedule(e.callId);
			}),
		);
		this._register({ dispose: () => this.stopAll() });
		this.rescheduleAll();
	}

	/** A new Graph client (the active profile changed) or none; restarts the schedule. */
	setFetcher(fetcher: CallFetcher | undefined): void {
		this.fetcher = fetcher;
		this.fetcherSince = this.clock.now();
		this.rescheduleAll();
	}

	get hasFetcher(): boolean {
		return this.fetcher !== undefined;
	}

	/** When the call's next poll is due, for the tooltip; undefined when it is not polled. */
	nextPollAt(callId: string): number | undefined {
		const entry = this.store.get(callId);
		const st = this.states.get(idKey(callId));
		if (!entry || entry.ended || !this.fetcher || !st) return undefined;
		return this.dueAt(callId, st);
	}

	/**
	 * Manual refresh: polls now, the given call or every call not ended, and resets their backoff. Ended calls
	 * are polled only when named explicitly. Rejects with the first failure so the command can show it.
	 */
	async refresh(callId?: string): Promise<void> {
		if (!this.fetcher) throw new Error('No Graph client for the active profile: select or add a profile (or start the emulator), then refresh again.');
		const ids = callId ? [callId] : this.store.list().filter((e) => !e.ended).map((e) => e.callId);
		const results = await Promise.allSettled(ids.map((id) => this.poll(id, true)));
		const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
		if (failed) throw failed.reason;
	}

	private rescheduleAll(): void {
		this.stopAll();
		for (const e of this.store.list()) this.schedule(e.callId);
	}

	private stopAll(): void {
		for (const st of this.states.values()) {
			st.timer?.dispose();
			st.inFlight?.abort();
		}
		this.states.clear();
	}

	private dueAt(callId: string, st: PollState): number {
		const entry = this.store.get(callId)!;
		// Calls restored from a previous session were first seen long ago: wait from when polling became possible.
		const quietUntil = Math.max(entry.lastNotificationAt ?? entry.firstSeenAt, this.fetcherSince) + this.policy.quietMs;
		const backoffUntil = st.lastPolledAt !== undefined ? st.lastPolledAt + st.delayMs : 0;
		return Math.max(quietUntil, backoffUntil);
	}

	/** Makes sure a live call has a timer; drops the state of ended or forgotten calls. */
	private schedule(callId: string): void {
		const key = idKey(callId);
		const entry = this.store.get(callId);
		let st = this.states.get(key);
		if (!entry || entry.ended || !this.fetcher) {
			if (st) {
				st.timer?.dispose();
				st.inFlight?.abort();
				this.states.delete(key);
			}
			return;
		}
		if (!st) {
			st = { delayMs: this.policy.initialDelayMs };
			this.states.set(key, st);
		}
		// Already waiting or polling: the timer re-reads the due time when it fires, so notifications only
		// push it back without any timer churn.
		if (st.timer || st.inFlight) return;
		const wait = Math.max(0, this.dueAt(callId, st) - this.clock.now());
		st.timer = this.clock.setTimeout(() => {
			st.timer = undefined;
			const current = this.store.get(callId);
			if (!current || current.ended) return this.schedule(callId);
			if (this.dueAt(callId, st) > this.clock.now()) return this.schedule(callId);
			this.poll(callId, false).then(undefined, () => undefined);
		}, wait);
	}

	private async poll(callId: string, manual: boolean): Promise<void> {
		const fetcher = this.fetcher;
		if (!fetcher) return;
		const key = idKey(callId);
		const st = this.states.get(key) ?? { delayMs: this.policy.initialDelayMs };
		this.states.set(key, st);
		st.timer?.dispose();
		st.timer = undefined;
		st.inFlight?.abort();
		const controller = new AbortController();
		st.inFlight = controller;
		const id = this.store.get(callId)?.callId ?? callId;
		try {
			let changed = false;
			const call = await fetcher.fetchCall(id, controller.signal);
			if (controller.signal.aborted) return;
			if (!call) {
				changed = this.store.applyEnded(id, { code: 404, message: 'The call no longer exists: GET returned 404' }, 'poll');
			} else {
				changed = this.store.applyCall({ ...call, id }, 'poll');
				if (fetcher.fetchParticipants && !this.store.get(id)?.ended) {
					const roster = await fetcher.fetchParticipants(id, controller.signal);
					if (controller.signal.aborted) return;
					if (roster) changed = this.store.applyParticipants(id, roster, 'poll') || changed;
				}
			}
			st.delayMs = manual ? this.policy.initialDelayMs : nextPollDelay(st.delayMs, changed, this.policy);
		} catch (err) {
			if (controller.signal.aborted) return;
			st.delayMs = nextPollDelay(st.delayMs, false, this.policy);
			const message = `Refreshing call ${id} failed: ${err instanceof Error ? err.message : String(err)}. Retrying in ${Math.round(st.delayMs / 1000)} s; check the profile and the Graph Calls log.`;
			this._onDidFail.fire({ callId: id, message });
			if (manual) throw new Error(message);
		} finally {
			if (st.inFlight === controller) {
				st.inFlight = undefined;
				st.lastPolledAt = this.clock.now();
				if (this.states.get(key) === st) this.schedule(id);
			}
		}
	}
}
