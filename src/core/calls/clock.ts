import type { IDisposable } from '../lifecycle';

/**
 * Time and timers, injected into the keepAlive scheduler and the poller so unit tests can move time forward
 * instantly instead of waiting.
 */
export interface Clock {
	now(): number;
	/** Calls `fn` once after `ms`; disposing the result cancels it. */
	setTimeout(fn: () => void, ms: number): IDisposable;
}

export const systemClock: Clock = {
	now: () => Date.now(),
	setTimeout(fn, ms) {
		const handle = setTimeout(fn, Math.max(0, ms));
		// Timers here are housekeeping: they must never keep a process (a CLI, a test run) alive on their own.
		handle.unref?.();
		return { dispose: () => clearTimeout(handle) };
	},
};

/** A clock that only moves when told to: `advance(ms)` runs every timer that falls due, in order. */
export class ManualClock implements Clock {
	private time: number;
	private seq = 0;
	private readonly timers = new Map<number, { at: number; fn: () => void }>();

	constructor(start = Date.UTC(2026, 0, 1)) {
		this.time = start;
	}

	now(): number {
		return this.time;
	}

	setTimeout(fn: () => void, ms: number): IDisposable {
		const id = ++this.seq;
		this.timers.set(id, { at: this.time + Math.max(0, ms), fn });
		return { dispose: () => this.timers.delete(id) };
	}

	/** Pending timers, for tests that check nothing is left scheduled. */
	get pending(): number {
		return this.timers.size;
	}

	/** Moves time forward by `ms`, firing due timers in time order (timers scheduled while firing included). */
	advance(ms: number): void {
		const end = this.time + ms;
		for (;;) {
			let next: [number, { at: number; fn: () => void }] | undefined;
			for (const entry of this.timers) {
				if (entry[1].at <= end && (!next || entry[1].at < next[1].at || (entry[1].at === next[1].at && entry[0] < next[0]))) next = entry;
			}
			if (!next) break;
			this.timers.delete(next[0]);
			this.time = Math.max(this.time, next[1].at);
			next[1].fn();
		}
		this.time = end;
	}
}
