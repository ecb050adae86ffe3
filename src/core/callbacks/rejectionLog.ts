import { defaultRedactor } from '../graph/redaction';

/**
 * Log lines for rejected callback requests, at a bounded rate. A public tunnel URL gets scanned and forged
 * requests can arrive by the thousand: each is answered and counted by the receiver, but the log gets the first
 * few of each window one by one and then one summary line, so it stays readable and small.
 */
export interface RejectionLogOptions {
	/** Rejections logged one by one per window (default 20). */
	readonly perWindow?: number;
	/** Window length (default 60 s). */
	readonly windowMs?: number;
	readonly now?: () => number;
}

export class RejectionLog {
	private windowStart = -Infinity;
	private inWindow = 0;
	private suppressed = 0;
	/** Every rejection seen, logged or not. */
	total = 0;

	constructor(private readonly write: (line: string) => void, private readonly options: RejectionLogOptions = {}) {}

	rejected(line: string): void {
		const now = (this.options.now ?? Date.now)();
		this.total++;
		if (now - this.windowStart >= (this.options.windowMs ?? 60_000)) {
			this.flush();
			this.windowStart = now;
			this.inWindow = 0;
		}
		// The line quotes what a stranger sent (paths, reasons, resource URLs): scrub it like any log text.
		if (++this.inWindow <= (this.options.perWindow ?? 20)) this.write(defaultRedactor.text(line));
		else this.suppressed++;
	}

	/** Writes the summary of what was not logged one by one (on a new window, and when the receiver stops). */
	flush(): void {
		if (this.suppressed === 0) return;
		this.write(`${this.suppressed} more callback requests were rejected in the last ${Math.round((this.options.windowMs ?? 60_000) / 1000)} s (${this.total} in all); the receiver keeps answering them. If they are not yours, someone is probing the tunnel URL: stop the tunnel or change its URL.`);
		this.suppressed = 0;
	}
}
