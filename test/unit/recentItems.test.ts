import * as assert from 'node:assert/strict';
import { RecentItems } from '../../src/core/recentItems';

describe('RecentItems', () => {
	it('keeps the newest items up to the limit, oldest first', () => {
		const recent = new RecentItems<number>(100);
		for (let i = 0; i < 1234; i++) recent.push(i);
		const list = recent.list();
		assert.equal(list.length, 100);
		assert.equal(recent.size, 100);
		assert.deepEqual(list.slice(0, 3), [1134, 1135, 1136]);
		assert.equal(list.at(-1), 1233);
	});

	it('keeps everything below the limit and hands out a copy', () => {
		const recent = new RecentItems<string>(5);
		recent.push('a');
		recent.push('b');
		const list = recent.list();
		list.push('changed by the caller');
		assert.deepEqual(recent.list(), ['a', 'b']);
		assert.equal(recent.size, 2);
	});

	it('never holds more than the limit plus a tenth, so memory stays bounded', () => {
		const recent = new RecentItems<number>(50);
		for (let i = 0; i < 10_000; i++) {
			recent.push(i);
			assert.ok((recent as unknown as { items: number[] }).items.length <= 55);
		}
	});
});
