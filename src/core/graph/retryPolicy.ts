/**
 * When a failed Graph request may be sent again, and after how long. Pure functions: the GraphClient asks,
 * the unit tests check every branch without a network.
 */

export interface RetryOptions {
	/** Attempts in total, the first one included. */
	readonly maxAttempts: number;
	/** No retry is started once this much time has passed since the first attempt (waits included). */
	readonly maxTotalMs: number;
	/** First backoff step when the server gave no Retry-After. */
	readonly baseDelayMs: number;
	/** Largest single backoff step. */
	readonly maxDelayMs: number;
	/** Source of jitter, in [0, 1). Tests pin it. */
	readonly random: () => number;
}

export const DEFAULT_RETRY: RetryOptions = {
	maxAttempts: 4,
	maxTotalMs: 120_000,
	baseDelayMs: 500,
	maxDelayMs: 30_000,
	random: Math.random,
};

/** Statuses Graph documents as transient: throttling and gateway trouble. */
export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([429, 503, 504]);

/**
 * Retry-After as a delay in milliseconds: delta-seconds or an HTTP date (RFC 9110 section 10.2.3).
 * A date is measured against the server's own `Date` header when given, so clock skew cannot make us early.
 * Returns undefined when absent or unreadable; 0 for a date already past.
 */
export function parseRetryAfter(value: string | undefined, now: number = Date.now(), serverDate?: string): number | undefined {
	if (value === undefined) return undefined;
	const v = value.trim();
	if (v === '') return undefined;
	if (/^\d+(\.\d+)?$/.test(v)) return Math.ceil(Number(v) * 1000);
	// HTTP dates (IMF-fixdate, RFC 850, asctime) all start with a day name; Date.parse alone accepts "-5".
	const at = /^[A-Za-z]{3}/.test(v) ? Date.parse(v) : NaN;
	if (Number.isNaN(at)) return undefined;
	const reference = serverDate !== undefined && !Number.isNaN(Date.parse(serverDate)) ? Date.parse(serverDate) : now;
	return Math.max(0, at - reference);
}

/** Exponential backoff with full jitter over the upper half: never zero, never above maxDelayMs. */
export function backoffDelay(retryNumber: number, options: RetryOptions): number {
	const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** Math.max(0, retryNumber - 1));
	return Math.round(ceiling / 2 + (ceiling / 2) * options.random());
}

/** What went wrong with one attempt. */
export type AttemptFailure =
	| { readonly kind: 'status'; readonly status: number; readonly retryAfterMs?: number }
	/** The connection failed before the request could be written (refused, DNS): the server never saw it. */
	| { readonly kind: 'notSent' }
	/** Timeout, reset or closed socket after the request was written: the server may have processed it. */
	| { readonly kind: 'maybeSent' };

export interface RetryQuestion {
	readonly method: string;
	/** Creating a call is not idempotent: a second POST places a second call. */
	readonly isCreateCall: boolean;
	/** 1 for the first attempt. */
	readonly attempt: number;
	readonly elapsedMs: number;
	readonly failure: AttemptFailure;
}

export type RetryDecision = { readonly retry: true; readonly delayMs: number } | { readonly retry: false; readonly reason: string };

/** Margin added to a server's Retry-After so timer granularity can never make a retry early. */
export const RETRY_AFTER_MARGIN_MS = 25;

export function decideRetry(q: RetryQuestion, options: RetryOptions = DEFAULT_RETRY): RetryDecision {
	if (q.attempt >= options.maxAttempts) return { retry: false, reason: `gave up after ${q.attempt} attempts` };
	const f = q.failure;
	let delayMs: number;
	if (f.kind === 'status') {
		if (!RETRYABLE_STATUSES.has(f.status)) return { retry: false, reason: `status ${f.status} is not transient` };
		// A 504 means a gateway gave up waiting: the call may have been placed behind it.
		if (q.isCreateCall && f.status === 504) return { retry: false, reason: 'a 504 on create may mean the call was placed; not retried to avoid a second call' };
		delayMs = f.retryAfterMs !== undefined ? f.retryAfterMs + RETRY_AFTER_MARGIN_MS : backoffDelay(q.attempt, options);
	} else if (f.kind === 'notSent') {
		delayMs = backoffDelay(q.attempt, options);
	} else {
		// Only methods that are safe to repeat survive "maybe sent"; every POST on the calls API changes state.
		if (q.method !== 'GET' && q.method !== 'DELETE') {
			return {
				retry: false,
				reason: q.isCreateCall
					? 'the create request may have reached Graph; not retried to avoid placing a second call'
					: `a ${q.method} may have reached Graph; not retried to avoid doing it twice`,
			};
		}
		delayMs = backoffDelay(q.attempt, options);
	}
	if (q.elapsedMs + delayMs > options.maxTotalMs) {
		return { retry: false, reason: `waiting ${Math.ceil(delayMs / 1000)} s more would pass the ${Math.round(options.maxTotalMs / 1000)} s retry budget` };
	}
	return { retry: true, delayMs };
}

/** A sleep that ends early, rejecting with the signal's reason, when the signal aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
	return new Promise((resolve, reject) => {
		if (signal?.aborted) {
			reject(signal.reason);
			return;
		}
		const onAbort = () => {
			clearTimeout(timer);
			reject(signal?.reason);
		};
		const timer = setTimeout(() => {
			signal?.removeEventListener('abort', onAbort);
			resolve();
		}, ms);
		signal?.addEventListener('abort', onAbort, { once: true });
	});
}
