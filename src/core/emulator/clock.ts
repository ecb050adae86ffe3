import type { IDisposable } from '../lifecycle';

interface Timer {
	due: number;
	fn: () => void;
	handle?: NodeJS.Timeout;
}

/**
 * Emulated time. Every delay in the emulator (ringing, answer windows, keepAlive, operations, webhook retries)
 * is expressed in emulated milliseconds; `speed` 10 makes them pass ten times faster. Changing the speed
 * reschedules what is pending.
 */
export class Clock implements IDisposable {
	private baseReal = Date.now();
	private baseVirtual = Date.now();
	private _speed: number;
	private readonly timers = new Set<Timer>();

	constructor(speed = 1) {
		this._speed = validSpeed(speed);
	}

	get speed(): number {
		return this._speed;
	}

	now(): number {
		return this.baseVirtual + (Date.now() - this.baseReal) * this._speed;
	}

	setSpeed(speed: number): void {
		const now = this.now();
		this._speed = validSpeed(speed);
		this.baseReal = Date.now();
		this.baseVirtual = now;
		for (const t of this.timers) this.arm(t);
	}

	/** Runs fn after `ms` emulated milliseconds. */
	setTimeout(fn: () => void, ms: number): IDisposable {
		const t: Timer = { due: this.now() + Math.max(0, ms), fn };
		this.timers.add(t);
		this.arm(t);
		return { dispose: () => this.cancel(t) };
	}

	private arm(t: Timer): void {
		if (t.handle) clearTimeout(t.handle);
		const realMs = Math.max(0, (t.due - this.now()) / this._speed);
		t.handle = setTimeout(() => {
			this.timers.delete(t);
			t.fn();
		}, Math.min(realMs, 2 ** 31 - 1));
		t.handle.unref?.();
	}

	private cancel(t: Timer): void {
		if (t.handle) clearTimeout(t.handle);
		this.timers.delete(t);
	}

	get pending(): number {
		return this.timers.size;
	}

	dispose(): void {
		for (const t of this.timers) if (t.handle) clearTimeout(t.handle);
		this.timers.clear();
	}
}

function validSpeed(speed: number): number {
	if (!Number.isFinite(speed) || speed <= 0 || speed > 10000) throw new Error(`Clock speed ${speed} is out of range: use a number above 0 and at most 10000.`);
	return speed;
}
