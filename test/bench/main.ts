/**
 * Benchmark sections that run inside one Node process. `run.js` bundles this file and starts it once per section:
 * `store` (in-memory figures, with --expose-gc, nothing else in the heap), `lint` (lint over a 10,000-entry HAR
 * against JSON.parse of it), `timeline` (opening a 1,000-event call's timeline against JSON.parse of its HAR), `request rawUndici|graphSdk|fetch` (our client against one baseline), `net` (token
 * path, emulator, receiver) and `scenarios` (the scenario runner with a real bot process). Prints one JSON object on the last line
 * of stdout.
 */
import * as os from 'node:os';
import * as path from 'node:path';
import { startEmulator } from '../../src/core/emulator';
import { benchEmulator, benchReceiver } from './callbackPath';
import { benchLint } from './lintTraffic';
import { benchTimeline } from './timelineOpen';
import { startEmulatorChild } from './emulatorChild';
import { benchRequestPath, benchTokenPath } from './requestPath';
import { benchScenarios } from './scenarioSuite';
import { benchStoreAndTree } from './storeAndTree';

async function net(quick: boolean): Promise<Record<string, number | string>> {
	const emu = await startEmulator({
		stateDir: path.join(os.tmpdir(), 'graph-calls-bench-emulator'),
		// Short timings: calls establish and prompts finish quickly, so the bench measures the HTTP paths, not waits.
		timings: { establishMs: 5, defaultAnswerAfterMs: 5, operationMs: 20, transferMs: 5, terminateMs: 5 },
	});
	const progress = (s: string) => process.stderr.write(`  ${s}\n`);
	try {
		progress('token path: msal cache vs a ready token');
		// The token path measures the client: the emulator answers from its own process, as it does for the extension.
		// It is stopped before the next sections, which time this process's own event loop.
		const child = await startEmulatorChild(['--clock-speed', '50']);
		const tokenPath = await benchTokenPath(child, quick ? { requests: 1200, rounds: 6, warmupRounds: 4, concurrency: 4 } : { requests: 5000, rounds: 10, warmupRounds: 4, concurrency: 4 }).finally(() => child.stop());
		progress('emulator at concurrency 32 with webhooks to the receiver');
		const emulator = await benchEmulator(emu, quick ? { calls: 200, concurrency: 32 } : { calls: 1000, concurrency: 32 });
		progress('receiver with JWT validation');
		const receiver = await benchReceiver(emu, quick ? { posts: 2000, concurrency: 32 } : { posts: 10_000, concurrency: 32 });
		return { ...tokenPath, ...emulator, ...receiver };
	} finally {
		await emu.stop();
	}
}

/**
 * One comparison of the request path: our client against one baseline, in a process of its own with an emulator
 * of its own. Sharing a process let each variant pay for the others' garbage: the collector's work lands on
 * whoever allocates next, and with the Graph SDK and fetch in the same heap our client's ratio to raw undici moved
 * from about 1.05 (the two alone) to 1.25.
 */
async function requestComparison(baseline: string, quick: boolean): Promise<Record<string, number | string>> {
	if (baseline !== 'rawUndici' && baseline !== 'graphSdk' && baseline !== 'fetch') throw new Error(`Unknown baseline "${baseline}": use rawUndici, graphSdk or fetch.`);
	const child = await startEmulatorChild(['--clock-speed', '50']);
	try {
		return await benchRequestPath(child, quick ? { gets: 1600, playPrompts: 400, rounds: 8, warmupRounds: 4, concurrency: 4 } : { gets: 8000, playPrompts: 2000, rounds: 20, warmupRounds: 4, concurrency: 4 }, baseline);
	} finally {
		await child.stop();
	}
}

async function main(): Promise<void> {
	const quick = process.argv.includes('--quick');
	const section = process.argv[2];
	const result = section === 'store' ? benchStoreAndTree(quick)
		: section === 'lint' ? benchLint(quick)
		: section === 'timeline' ? benchTimeline(quick)
		: section === 'net' ? await net(quick)
			: section === 'request' ? await requestComparison(process.argv[3], quick)
				: section === 'scenarios' ? await benchScenarios(quick)
					: undefined;
	if (!result) throw new Error(`Unknown section "${section}": use "store", "lint", "timeline", "net", "request <baseline>" or "scenarios".`);
	console.log(JSON.stringify(result));
}

main().then(
	() => process.exit(0),
	(err) => {
		console.error(err instanceof Error ? err.stack ?? err.message : err);
		process.exit(1);
	},
);
