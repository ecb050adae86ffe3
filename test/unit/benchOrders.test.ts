// The benchmark's slice order: a variant pays for what the one before it left behind (garbage, late callbacks), so
// every variant must follow every other equally often, or the ratios lean against whichever follows the worst one.
import * as assert from 'node:assert/strict';
import { balancedOrders } from '../bench/stats';

describe('benchmark slice orders', () => {
	for (const n of [2, 3, 4, 5, 6]) {
		it(`with ${n} variants, each one follows every other exactly as often, and each row runs all of them`, () => {
			const rows = balancedOrders(n);
			const follows = new Map<string, number>();
			for (const row of rows) {
				assert.deepEqual([...row].sort((a, b) => a - b), Array.from({ length: n }, (_, k) => k));
				for (let i = 1; i < row.length; i++) follows.set(`${row[i - 1]}>${row[i]}`, (follows.get(`${row[i - 1]}>${row[i]}`) ?? 0) + 1);
			}
			assert.equal(follows.size, n * (n - 1), 'every ordered pair occurs');
			assert.equal(new Set(follows.values()).size, 1, `counts differ: ${JSON.stringify([...follows])}`);
		});
	}
});
