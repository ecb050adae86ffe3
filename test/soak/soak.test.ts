// `npm run soak`: the long chaos soak (5,000 actions by default; GRAPH_CALLS_SOAK_ACTIONS changes it). Not part of
// `npm test`, which runs the bounded 1,000-action version in test/integration/chaos.test.ts.
import * as assert from 'node:assert/strict';
import { runChaosSoak } from './chaosSoak';

describe('chaos soak (long)', function () {
	this.timeout(30 * 60_000);

	it('keeps every promise over many actions: clear errors, no early retry, no duplicate, no loss, same state, bounded heap', async () => {
		const actions = Number(process.env.GRAPH_CALLS_SOAK_ACTIONS ?? 5000);
		const figures = await runChaosSoak({ actions, bots: 20, seed: Number(process.env.GRAPH_CALLS_SOAK_SEED ?? 29), faultRate: 0.5, log: (l) => console.log(`      ${l}`) });
		console.log(`      chaos soak: ${JSON.stringify(figures)}`);
		assert.equal(figures.actions, actions);
		assert.deepEqual(figures.unclearFailures, []);
		assert.equal(figures.earlyRetries, 0);
		assert.equal(figures.duplicateCalls, 0);
		assert.equal(figures.lostNotifications, 0);
		assert.deepEqual(figures.storeMismatches, []);
		assert.ok(figures.heapMb.at(-1)! - figures.heapMb[0] < 60, `heap MB per quarter: ${figures.heapMb.join(', ')}`);
	});
});
