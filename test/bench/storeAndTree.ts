/**
 * (5) CallStore and calls tree, in-process with no I/O: a 1,000-participant roster merge, expanding a call with
 * 10,000 participants, and memory after 10,000 calls were created, ended and cleared (twice, to show no growth).
 * Run with --expose-gc so the RSS figures are after a full collection.
 */
import { CallStore } from '../../src/core/calls/callStore';
import type { CallResource, ParticipantResource } from '../../src/core/schema/types';
import { CallsTreeModel, type CallsTreeNode } from '../../src/vscode/calls/callsTreeModel';
import { gc, median, round } from './stats';

function roster(n: number, version: number): ParticipantResource[] {
	return Array.from({ length: n }, (_, i) => ({
		'@odata.type': '#microsoft.graph.participant',
		id: `p-${i.toString(16).padStart(8, '0')}-0000-4000-8000-000000000000`,
		isMuted: (i + version) % 3 === 0,
		isInLobby: false,
		info: { identity: { user: { id: `u-${i}`, displayName: `Person ${i}`, tenantId: 'bench' } } },
		mediaStreams: [{ mediaType: 'audio', direction: 'sendReceive', sourceId: String(i), serverMuted: false }],
	}) as unknown as ParticipantResource);
}

const call = (id: string, state: string): CallResource => ({ id, state, direction: 'outgoing', callbackUri: 'https://example.com/cb', tenantId: 'bench' }) as unknown as CallResource;

function timeMedian(runs: number, fn: () => void): number {
	const samples: number[] = [];
	for (let r = 0; r < runs; r++) {
		const t = performance.now();
		fn();
		samples.push(performance.now() - t);
	}
	return median(samples);
}

function expandAll(model: CallsTreeModel, node: CallsTreeNode): number {
	let count = 0;
	for (const child of model.getChildren(node)) {
		model.view(child);
		count += 1 + expandAll(model, child);
	}
	return count;
}

export function benchStoreAndTree(quick: boolean): Record<string, number> {
	const runs = quick ? 5 : 20;
	const store = new CallStore();
	const model = new CallsTreeModel({ store, profileName: () => 'Bench' });
	let redraws = 0;
	model.onDidChange(() => redraws++);

	// A 1,000-participant roster update on a call the tree shows: merge plus the model's change handling.
	store.applyCall(call('roster-call', 'established'));
	store.applyParticipants('roster-call', roster(1000, 0));
	let version = 1;
	const rosterMerge1kMs = timeMedian(runs, () => void store.applyParticipants('roster-call', roster(1000, version++)));
	if (redraws === 0) throw new Error('The tree model never heard of the roster changes.');

	// Expanding a call with 10,000 participants: the group, its pages, every participant row (fresh model: cold nodes).
	store.applyCall(call('big-call', 'established'));
	store.applyParticipants('big-call', roster(10_000, 0));
	let rows = 0;
	const treeChildren10kMs = timeMedian(runs, () => {
		const fresh = new CallsTreeModel({ store, profileName: () => 'Bench' });
		rows = expandAll(fresh, fresh.callNode('big-call')!);
		fresh.dispose();
	});
	if (rows < 10_000) throw new Error(`Expanding the 10,000-participant call showed only ${rows} rows.`);
	store.forget('roster-call');
	store.forget('big-call');

	// 10,000 calls created (with a small roster), ended and cleared; twice, to see whether anything is retained.
	const cycle = (prefix: string) => {
		for (let i = 0; i < 10_000; i++) {
			const id = `${prefix}-${i}`;
			store.applyCall(call(id, 'establishing'));
			store.applyCall(call(id, 'established'));
			store.applyParticipants(id, roster(2, i));
		}
		for (let i = 0; i < 10_000; i++) store.applyEnded(`${prefix}-${i}`);
		const cleared = store.clearEnded();
		if (cleared !== 10_000 || store.list().length !== 0) throw new Error(`clearEnded removed ${cleared} of 10,000 ended calls; ${store.list().length} remain.`);
	};
	const settle = () => {
		for (let i = 0; i < 3; i++) gc();
		return process.memoryUsage();
	};
	const before = settle();
	cycle('a');
	const afterFirst = settle();
	cycle('b');
	cycle('c');
	const afterThird = settle();
	model.dispose();
	store.dispose();
	const mb = (n: number) => round(n / 1024 / 1024, 1);
	return {
		rosterMerge1kMs: round(rosterMerge1kMs, 2),
		treeChildren10kMs: round(treeChildren10kMs, 2),
		storeRssMBAfter10kCalls: mb(afterFirst.rss),
		storeRssMBBefore: mb(before.rss),
		storeHeapGrowthMBAfter3Rounds: mb(afterThird.heapUsed - afterFirst.heapUsed),
	};
}
