import * as assert from 'node:assert/strict';
import { backoffDelay, decideRetry, DEFAULT_RETRY, parseRetryAfter, RETRY_AFTER_MARGIN_MS, sleep, type RetryOptions } from '../../src/core/graph/retryPolicy';

const opts: RetryOptions = { ...DEFAULT_RETRY, random: () => 0.5, maxAttempts: 4, maxTotalMs: 60_000, baseDelayMs: 500, maxDelayMs: 8_000 };

describe('graph retry policy', () => {
	describe('parseRetryAfter', () => {
		it('reads delta-seconds, including decimals, as milliseconds rounded up', () => {
			assert.equal(parseRetryAfter('3'), 3000);
			assert.equal(parseRetryAfter(' 0 '), 0);
			assert.equal(parseRetryAfter('1.2501'), 1251);
		});

		it('reads an HTTP date relative to now, and 0 for a date already past', () => {
			const now = Date.parse('Wed, 21 Oct 2026 07:28:00 GMT');
			assert.equal(parseRetryAfter('Wed, 21 Oct 2026 07:28:05 GMT', now), 5000);
			assert.equal(parseRetryAfter('Wed, 21 Oct 2026 07:27:00 GMT', now), 0);
		});

		it('measures a date against the server Date header when given, so a fast local clock cannot make it early', () => {
			const localNow = Date.parse('Wed, 21 Oct 2026 07:28:04 GMT'); // local clock 4 s ahead of the server
			assert.equal(parseRetryAfter('Wed, 21 Oct 2026 07:28:05 GMT', localNow, 'Wed, 21 Oct 2026 07:28:00 GMT'), 5000);
			// An unreadable Date header falls back to the local clock.
			assert.equal(parseRetryAfter('Wed, 21 Oct 2026 07:28:05 GMT', localNow, 'garbage'), 1000);
		});

		it('returns undefined for absent, empty or unreadable values', () => {
			assert.equal(parseRetryAfter(undefined), undefined);
			assert.equal(parseRetryAfter(''), undefined);
			assert.equal(parseRetryAfter('soon'), undefined);
			assert.equal(parseRetryAfter('-5'), undefined);
		});
	});

	describe('backoffDelay', () => {
		it('doubles per retry, stays within [ceiling/2, ceiling] and caps at maxDelayMs', () => {
			const lo = { ...opts, random: () => 0 };
			const hi = { ...opts, random: () => 0.999999 };
			assert.equal(backoffDelay(1, lo), 250);
			assert.equal(backoffDelay(1, hi), 500);
			assert.equal(backoffDelay(3, lo), 1000);
			assert.equal(backoffDelay(3, hi), 2000);
			assert.equal(backoffDelay(20, hi), 8000);
			assert.ok(backoffDelay(20, lo) >= 4000);
		});
	});

	describe('decideRetry', () => {
		const ask = (over: Partial<Parameters<typeof decideRetry>[0]>) => decideRetry({ method: 'GET', isCreateCall: false, attempt: 1, elapsedMs: 0, failure: { kind: 'status', status: 503 }, ...over }, opts);

		it('waits at least Retry-After (plus a margin) on 429, never less', () => {
			const d = ask({ failure: { kind: 'status', status: 429, retryAfterMs: 7000 } });
			assert.deepEqual(d, { retry: true, delayMs: 7000 + RETRY_AFTER_MARGIN_MS });
		});

		it('uses jittered backoff when there is no Retry-After', () => {
			assert.deepEqual(ask({ failure: { kind: 'status', status: 503 } }), { retry: true, delayMs: 375 });
			assert.deepEqual(ask({ attempt: 2, failure: { kind: 'status', status: 504 } }), { retry: true, delayMs: 750 });
		});

		it('does not retry statuses that are not transient', () => {
			for (const status of [400, 403, 404, 409, 500]) assert.equal(ask({ failure: { kind: 'status', status } }).retry, false);
		});

		it('stops at maxAttempts and when the wait would pass the total budget', () => {
			assert.equal(ask({ attempt: 4 }).retry, false);
			const d = ask({ elapsedMs: 55_000, failure: { kind: 'status', status: 429, retryAfterMs: 10_000 } });
			assert.equal(d.retry, false);
			assert.match((d as { reason: string }).reason, /retry budget/);
		});

		it('never retries a create call that may have reached Graph (timeout, reset, 504)', () => {
			const timeout = ask({ method: 'POST', isCreateCall: true, failure: { kind: 'maybeSent' } });
			assert.equal(timeout.retry, false);
			assert.match((timeout as { reason: string }).reason, /second call/);
			assert.equal(ask({ method: 'POST', isCreateCall: true, failure: { kind: 'status', status: 504 } }).retry, false);
		});

		it('retries a create call on 429 and 503, which prove it was not processed, and when the connection never opened', () => {
			assert.equal(ask({ method: 'POST', isCreateCall: true, failure: { kind: 'status', status: 429, retryAfterMs: 10 } }).retry, true);
			assert.equal(ask({ method: 'POST', isCreateCall: true, failure: { kind: 'status', status: 503 } }).retry, true);
			assert.equal(ask({ method: 'POST', isCreateCall: true, failure: { kind: 'notSent' } }).retry, true);
		});

		it('retries GET and DELETE after a timeout, but no other POST', () => {
			assert.equal(ask({ method: 'GET', failure: { kind: 'maybeSent' } }).retry, true);
			assert.equal(ask({ method: 'DELETE', failure: { kind: 'maybeSent' } }).retry, true);
			assert.equal(ask({ method: 'POST', failure: { kind: 'maybeSent' } }).retry, false);
		});
	});

	describe('sleep', () => {
		it('rejects with the abort reason as soon as the signal aborts', async () => {
			const ac = new AbortController();
			const started = Date.now();
			const p = sleep(10_000, ac.signal);
			setTimeout(() => ac.abort(new Error('stop')), 10);
			await assert.rejects(p, /stop/);
			assert.ok(Date.now() - started < 5000);
		});
	});
});
