/**
 * `graph-calls test`: runs scenario files against a bot, each on a fresh emulator, and says what passed. Exit 0
 * when every scenario passed, 1 when any failed, 2 on bad input (a file that cannot be used, a bad option).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { defaultStateDir } from '../core/emulator';
import { ALL_PERMISSIONS } from '../core/schema/endpoints';
import {
	findScenarioFiles, formatProblem, harFileName, junitReport, loadSuite, runSuite, scenarioHar, SCENARIO_DEFAULTS,
	type BotConfig, type ScenarioResult, type ScenarioRunEvent,
} from '../core/scenarios';

export const TEST_HELP = `Usage: graph-calls test [FILES or DIRS] [options]

Runs scenario files (YAML, see docs/scenario-tests.md) against your bot. Each scenario gets a fresh emulator;
scenarios run in parallel (one at a time for a bot given by URL). Directories are searched for .yaml/.yml files
with a top-level "steps:". Default: the current directory.

Options:
  --bot-command CMD   start the bot with this shell command (it gets GRAPH_* and BOT_PORT, see the bot contract)
  --bot-url URL       test a bot that already runs at this callback URL (it must use the emulator on --emulator-port)
  --emulator-port N   the emulator's port for --bot-url bots (default 8443)
  --junit FILE        write a JUnit XML report
  --timeline DIR      write each scenario's traffic as a HAR 1.2 file (redacted)
  --format json       print the results as JSON on stdout instead of text
  --bot-output        print what the bot prints (redacted), as it prints it, on stderr
  --concurrency N     scenarios at once (default: the number of CPUs)
  --state-dir DIR     the emulator's CA and keys (default ~/.graph-calls-emulator)
  --help              this text

Without --bot-*, each scenario's bot comes from its "bot:" key or the nearest graph-calls.json.
Exit code: 0 all passed, 1 a scenario failed, 2 bad input.`;

interface TestArgs {
	inputs: string[];
	botCommand?: string;
	botUrl?: string;
	emulatorPort?: number;
	junit?: string;
	timeline?: string;
	format: 'text' | 'json';
	concurrency?: number;
	stateDir?: string;
	botOutput: boolean;
	help: boolean;
}

export class UsageError extends Error {}

export function parseTestArgs(argv: readonly string[]): TestArgs {
	const args: TestArgs = { inputs: [], format: 'text', botOutput: false, help: false };
	for (let i = 0; i < argv.length; i++) {
		const a = argv[i];
		const eq = a.startsWith('--') ? a.indexOf('=') : -1;
		const [flag, inline] = eq > 0 ? [a.slice(0, eq), a.slice(eq + 1)] : [a, undefined];
		const value = (): string => {
			const v = inline ?? argv[++i];
			if (v === undefined || v === '') throw new UsageError(`${flag} needs a value: see graph-calls test --help.`);
			return v;
		};
		const count = (name: string, min: number, max: number): number => {
			const n = Number(value());
			if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`${name} must be a whole number from ${min} to ${max}.`);
			return n;
		};
		switch (flag) {
			case '--bot-command': args.botCommand = value(); break;
			case '--bot-url': {
				const u = value();
				if (!/^https?:\/\/[^/]+/.test(u)) throw new UsageError(`--bot-url must be an http(s) URL such as http://127.0.0.1:3978/api/calling, not "${u}".`);
				args.botUrl = u;
				break;
			}
			case '--emulator-port': args.emulatorPort = count('--emulator-port', 1, 65535); break;
			case '--junit': args.junit = value(); break;
			case '--timeline': args.timeline = value(); break;
			case '--format': {
				const f = value();
				if (f !== 'json' && f !== 'text') throw new UsageError(`--format must be json or text, not "${f}".`);
				args.format = f;
				break;
			}
			case '--concurrency': case '-j': args.concurrency = count('--concurrency', 1, 64); break;
			case '--state-dir': args.stateDir = path.resolve(value()); break;
			case '--bot-output': args.botOutput = true; break;
			case '--help': case '-h': args.help = true; break;
			default:
				if (a.startsWith('-')) throw new UsageError(`Unknown option ${a}: see graph-calls test --help.`);
				args.inputs.push(a);
		}
	}
	if (args.botCommand && args.botUrl) throw new UsageError('Give --bot-command or --bot-url, not both.');
	return args;
}

function commandLineBot(args: TestArgs): BotConfig | undefined {
	if (!args.botCommand && !args.botUrl) return undefined;
	return { command: args.botCommand, url: args.botUrl, cwd: process.cwd(), env: {}, callbackPath: SCENARIO_DEFAULTS.callbackPath, startTimeoutMs: SCENARIO_DEFAULTS.botStartTimeoutMs, source: 'command line' };
}

function textReport(r: ScenarioResult, cwd: string): string {
	const rel = path.relative(cwd, r.file);
	const time = `${(r.durationMs / 1000).toFixed(1)} s`;
	if (r.status === 'passed') return `✔ ${r.name} (${rel}, ${time})`;
	const lines = [`✘ ${r.name} (${rel}, ${time})`, `    ${r.line ? `${rel}:${r.line}: ` : ''}${r.message}`];
	const failed = r.steps.find((s) => s.status === 'failed');
	if (failed?.expected) lines.push(`    expected: ${failed.expected}`, `    actual:   ${failed.actual ?? '-'}`);
	if (r.botOutput) lines.push('    bot output (last lines):', ...r.botOutput.split('\n').slice(-8).map((l) => `      ${l}`));
	return lines.join('\n');
}

/** Runs the command; returns the exit code instead of exiting, so tests and the bin share it. */
export async function runTestCommand(argv: readonly string[], out: (s: string) => void = (s) => process.stdout.write(s), err: (s: string) => void = (s) => process.stderr.write(s)): Promise<number> {
	let args: TestArgs;
	try {
		args = parseTestArgs(argv);
	} catch (e) {
		err(`${(e as Error).message}\n`);
		return 2;
	}
	if (args.help) {
		out(`${TEST_HELP}\n`);
		return 0;
	}
	const cwd = process.cwd();
	const inputs = args.inputs.length ? args.inputs : ['.'];
	const found = findScenarioFiles(inputs);
	const suite = loadSuite(found.files, commandLineBot(args));
	const problems = [...found.problems, ...suite.problems];
	for (const p of problems) err(`${formatProblem({ ...p, file: path.relative(cwd, p.file) || p.file })}\n`);
	if (!found.files.length && !found.problems.length) {
		err(`No scenario files in ${inputs.join(', ')}: a scenario is a .yaml or .yml file with a top-level "steps:".\n`);
		return 2;
	}
	const onEvent = (e: ScenarioRunEvent) => {
		if (e.type === 'scenarioFinished' && args.format === 'text') out(`${textReport(e.result, cwd)}\n`);
		else if (e.type === 'botOutput' && args.botOutput) {
			const from = path.relative(cwd, e.file) || e.file;
			err(`${e.text.split('\n').map((l) => `[bot ${from}] ${l}`).join('\n')}\n`);
		}
	};
	const started = Date.now();
	const results = await runSuite(suite.scenarios, { bot: commandLineBot(args), stateDir: args.stateDir ?? defaultStateDir(), emulatorPort: args.emulatorPort, concurrency: args.concurrency, onEvent });
	const passed = results.filter((r) => r.status === 'passed').length;
	const failed = results.length - passed;
	try {
		if (args.junit) {
			mkdirSync(path.dirname(path.resolve(args.junit)), { recursive: true });
			writeFileSync(args.junit, junitReport(results, problems, cwd));
		}
		if (args.timeline) {
			mkdirSync(args.timeline, { recursive: true });
			results.forEach((r, i) => {
				const roles = suite.scenarios[i].permissions ?? ALL_PERMISSIONS;
				writeFileSync(path.join(args.timeline!, harFileName(r.file, cwd)), `${JSON.stringify(scenarioHar(r, { roles }), null, 1)}\n`);
			});
		}
	} catch (e) {
		err(`Could not write a report: ${(e as Error).message}\n`);
		return 2;
	}
	const summary = { passed, failed, invalid: problems.length, durationMs: Date.now() - started };
	if (args.format === 'json') {
		out(`${JSON.stringify({ summary, results, problems: problems.map((p) => ({ ...p, text: formatProblem(p) })) }, null, 1)}\n`);
	} else {
		out(`${passed} passed, ${failed} failed${problems.length ? `, ${problems.length} problem(s) in scenario files` : ''} (${(summary.durationMs / 1000).toFixed(1)} s)\n`);
	}
	return problems.length ? 2 : failed ? 1 : 0;
}
