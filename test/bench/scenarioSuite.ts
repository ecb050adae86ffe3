import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadScenarioFile, runScenario, runSuite, type ScenarioResult } from '../../src/core/scenarios';

/** The runner's tests' bot (plain Node, the bot contract): the bench runs from the repository root. */
const BOT = path.resolve('test/integration/support/scenarioBot.js');

/** Answer, prompt, tone subscription, a key press, a transfer and its end: the whole IVR path at clock 20. */
const IVR = `clock: 20
bot:
  command: ${JSON.stringify(`"${process.execPath}" "${BOT}"`)}
call:
  from: adele
steps:
  - expect: answer
    within: 15s
  - expect: playPrompt
  - expect: subscribeToTone
  - expect: state
    state: established
  - press: "1"
  - expect: transfer
    to: lidia
  - expect: state
    state: terminated
    result: 200/7015
`;

function median(values: number[]): number {
	const s = [...values].sort((a, b) => a - b);
	return s[Math.floor((s.length - 1) / 2)];
}

function check(results: ScenarioResult[]): void {
	const failed = results.find((r) => r.status !== 'passed');
	if (failed) throw new Error(`A bench scenario failed, so its times mean nothing: ${failed.message}`);
}

/**
 * Runner overhead per scenario (wall time minus the time spent waiting on the bot: its start, its requests, emulated
 * time passing), measured one scenario at a time; then a suite of 100 scenarios at the default concurrency.
 */
export async function benchScenarios(quick: boolean): Promise<Record<string, number>> {
	const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-scenarios-'));
	mkdirSync(dir, { recursive: true });
	const file = path.join(dir, 'ivr.yaml');
	writeFileSync(file, IVR);
	const scenario = loadScenarioFile(file);
	const stateDir = path.join(os.tmpdir(), 'graph-calls-bench-emulator');
	const progress = (s: string) => process.stderr.write(`  ${s}\n`);
	progress('scenario runner: one at a time');
	const single: ScenarioResult[] = [];
	for (let i = 0; i < (quick ? 5 : 15); i++) single.push(await runScenario(scenario, { stateDir }));
	check(single);
	const suiteSize = quick ? 30 : 100;
	progress(`scenario runner: a suite of ${suiteSize} at ${os.cpus().length} at once`);
	const started = Date.now();
	const suite = await runSuite(Array.from({ length: suiteSize }, () => scenario), { stateDir });
	const suiteMs = Date.now() - started;
	check(suite);
	return {
		scenarioRunnerOverheadMs: Math.round(median(single.map((r) => r.durationMs - r.waitedMs))),
		scenarioWallMs: Math.round(median(single.map((r) => r.durationMs))),
		scenarioSuiteSize: suiteSize,
		scenarioSuiteSeconds: Math.round(suiteMs / 100) / 10,
	};
}
