import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { cpus } from 'node:os';
import * as path from 'node:path';
import { botFromRaw, loadScenarioFile, parseYaml } from './scenarioFile';
import { ScenarioFileError, type BotConfig, type Scenario, type ScenarioProblem } from './scenarioModel';
import type { ScenarioResult, ScenarioRunEvent } from './scenarioResult';
import { SchemaChecker } from './scenarioSchema';
import { runScenario } from './scenarioRunner';

/** The config file a directory of scenarios can share: `{ "bot": { "command": "node bot.js" } }`. */
export const CONFIG_FILE = 'graph-calls.json';

const SKIP_DIRS = new Set(['node_modules', '.git', 'dist', 'out', '.cache', '.venv', '__pycache__']);
/** In a directory, a YAML file is a scenario when it has a top-level `steps:` key; other YAML is left alone. */
const LOOKS_LIKE_SCENARIO = /^steps\s*:/m;

/** True when a YAML text is a scenario (a top-level `steps:`), the test the command line and the editor share. */
export function looksLikeScenario(text: string): boolean {
	return LOOKS_LIKE_SCENARIO.test(text);
}

/**
 * The scenario files named on a command line: files as given, directories searched recursively for YAML files
 * with a top-level `steps:`. A path that does not exist is a problem, not an empty list.
 */
export function findScenarioFiles(inputs: readonly string[]): { files: string[]; problems: ScenarioProblem[] } {
	const files: string[] = [];
	const problems: ScenarioProblem[] = [];
	const walk = (dir: string) => {
		for (const name of readdirSync(dir).sort()) {
			const full = path.join(dir, name);
			const st = statSync(full);
			if (st.isDirectory()) {
				if (!SKIP_DIRS.has(name) && !name.startsWith('.')) walk(full);
			} else if (/\.ya?ml$/i.test(name) && looksLikeScenario(readFileSync(full, 'utf8'))) {
				files.push(full);
			}
		}
	};
	for (const input of inputs) {
		if (!existsSync(input)) {
			problems.push({ file: input, line: 1, column: 1, message: 'no such file or directory' });
			continue;
		}
		if (statSync(input).isDirectory()) walk(input);
		else files.push(input);
	}
	return { files: [...new Set(files.map((f) => path.resolve(f)))], problems };
}

/** The nearest graph-calls.json with a bot, from the scenario's directory up. */
export function botFromConfigFile(scenarioFile: string): BotConfig | undefined {
	let dir = path.dirname(path.resolve(scenarioFile));
	for (;;) {
		const candidate = path.join(dir, CONFIG_FILE);
		if (existsSync(candidate)) return loadBotConfig(candidate);
		const parent = path.dirname(dir);
		if (parent === dir) return undefined;
		dir = parent;
	}
}

/** Reads a graph-calls.json; its `bot` has the same keys as a scenario's. */
export function loadBotConfig(file: string): BotConfig | undefined {
	const { doc, lines, problems } = parseYaml(readFileSync(file, 'utf8'), file);
	if (problems.length) throw new ScenarioFileError(problems);
	const value = doc.toJS() as { bot?: unknown } | null;
	const checker = new SchemaChecker(file, doc, lines);
	if (!value || typeof value !== 'object' || Array.isArray(value)) {
		checker.report([], `${CONFIG_FILE} must be a JSON object such as {"bot": {"command": "node bot.js"}}`);
		throw new ScenarioFileError(checker.problems);
	}
	for (const key of Object.keys(value)) if (key !== 'bot') checker.report([], `unknown key "${key}": ${CONFIG_FILE} has only "bot"`, key);
	if (value.bot !== undefined && !checker.checkBotConfigAt(value.bot, ['bot'])) throw new ScenarioFileError(checker.problems);
	if (checker.problems.length) throw new ScenarioFileError(checker.problems);
	return value.bot ? botFromRaw(value.bot as never, file) : undefined;
}

export interface SuiteOptions {
	/** Replaces every scenario's bot (the command line's --bot-command or --bot-url). */
	readonly bot?: BotConfig;
	readonly stateDir?: string;
	readonly emulatorPort?: number;
	/** Scenarios run at once; default: the number of CPUs (one for bots given by URL, which share one address). */
	readonly concurrency?: number;
	readonly onEvent?: (e: ScenarioRunEvent) => void;
}

export interface LoadedSuite {
	readonly scenarios: Scenario[];
	/** Files that could not be used: bad YAML, schema errors, no bot. The run's exit code is 2 when any. */
	readonly problems: ScenarioProblem[];
}

/** Loads and checks every file, each with the bot it will run against. */
export function loadSuite(files: readonly string[], bot?: BotConfig): LoadedSuite {
	const scenarios: Scenario[] = [];
	const problems: ScenarioProblem[] = [];
	for (const file of files) {
		try {
			const s = loadScenarioFile(file);
			const b = bot ?? s.bot ?? botFromConfigFile(file);
			if (!b) {
				problems.push({ file, line: 1, column: 1, message: `no bot to test: add "bot: { command: ... }" to the scenario, put a ${CONFIG_FILE} with a "bot" beside it, or pass --bot-command or --bot-url` });
				continue;
			}
			scenarios.push({ ...s, bot: b });
		} catch (err) {
			if (err instanceof ScenarioFileError) problems.push(...err.problems);
			else problems.push({ file, line: 1, column: 1, message: (err as Error).message });
		}
	}
	return { scenarios, problems };
}

/** Runs scenarios, several at once where that is safe (each has its own emulator and bot process). */
export async function runSuite(scenarios: readonly Scenario[], options: SuiteOptions = {}): Promise<ScenarioResult[]> {
	const byUrl = scenarios.some((s) => (options.bot ?? s.bot)?.url);
	const limit = Math.max(1, byUrl ? 1 : options.concurrency ?? cpus().length);
	const results: ScenarioResult[] = new Array(scenarios.length);
	let next = 0;
	const worker = async () => {
		while (next < scenarios.length) {
			const i = next++;
			results[i] = await runScenario(scenarios[i], { bot: options.bot, stateDir: options.stateDir, emulatorPort: options.emulatorPort, onEvent: options.onEvent });
		}
	};
	await Promise.all(Array.from({ length: Math.min(limit, scenarios.length) }, worker));
	return results;
}
