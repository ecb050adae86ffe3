/** Small numeric helpers for the benchmark sections: percentiles, rounding, timing a block. */

export function percentile(sorted: readonly number[], p: number): number {
	if (sorted.length === 0) return NaN;
	const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
	return sorted[i];
}

export function round(n: number, digits = 2): number {
	const f = 10 ** digits;
	return Math.round(n * f) / f;
}

export function median(values: readonly number[]): number {
	return percentile([...values].sort((a, b) => a - b), 50);
}

/** Runs `fn` `workers` at a time until `total` tasks ran; returns elapsed ms. */
export async function runPool(total: number, workers: number, fn: (i: number) => Promise<void>): Promise<number> {
	let next = 0;
	const started = performance.now();
	await Promise.all(Array.from({ length: Math.min(workers, total) }, async () => {
		while (next < total) await fn(next++);
	}));
	return performance.now() - started;
}

/**
 * Orders of 0..n-1 in which every item directly follows every other item equally often (a Williams design: a
 * balanced Latin square, mirrored when n is odd). n rows for even n, 2n for odd n.
 */
export function balancedOrders(n: number): number[][] {
	const first: number[] = [];
	for (let k = 0, lo = 0, hi = n - 1; k < n; k++) first.push(k % 2 === 0 ? lo++ : hi--);
	const rows = Array.from({ length: n }, (_, r) => first.map((v) => (v + r) % n));
	return n % 2 === 0 ? rows : [...rows, ...rows.map((row) => [...row].reverse())];
}

export function gc(): void {
	(globalThis as { gc?: () => void }).gc?.();
}
