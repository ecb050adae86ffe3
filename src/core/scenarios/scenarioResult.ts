import type { TrafficEntry } from './trafficRecord';

export type StepStatus = 'passed' | 'failed' | 'skipped';

/** What became of one step, with the request or notification that met (or failed) it. */
export interface StepResult {
	readonly index: number;
	readonly line: number;
	readonly title: string;
	/** A world step (someone does something) or an expectation on the bot. */
	readonly kind: 'world' | 'expect';
	/** Who acts in a world step (a wait has nobody). */
	readonly actor?: string;
	status: StepStatus;
	/** Why it passed or failed, in words. */
	message?: string;
	/** What the step asked for, and what the bot did instead (for "expected vs actual" views). */
	expected?: string;
	actual?: string;
	/** The traffic entry that met the expectation, or the closest one when it failed. */
	evidence?: TrafficEntry;
	/** Wall-clock ms since the epoch, and real ms the step took. */
	startedAt?: number;
	durationMs?: number;
}

export interface ScenarioResult {
	readonly file: string;
	readonly name: string;
	readonly status: 'passed' | 'failed';
	/** The first failure's reason (a step's, or the bot's or the runner's). */
	readonly message?: string;
	/** Line of the failed step in the scenario file. */
	readonly line?: number;
	readonly steps: readonly StepResult[];
	/** Everything the bot asked Graph and Entra ID, and every notification posted to it, redacted, in order. */
	readonly traffic: readonly TrafficEntry[];
	/** The scenario's call (incoming, or the first call the bot created). */
	readonly callId?: string;
	/** The last lines the bot printed (redacted), when it was started by the runner. */
	readonly botOutput?: string;
	readonly clockRate: number;
	readonly startedAt: number;
	/** Real ms, from emulator start to everything stopped. */
	readonly durationMs: number;
	/** Real ms spent waiting on the bot (its start, its requests) or on emulated time passing. */
	readonly waitedMs: number;
}

/** Progress of a run, for live views: the VS Code test run and the command line's progress output. */
export type ScenarioRunEvent =
	| { readonly type: 'scenarioStarted'; readonly file: string; readonly name: string; readonly steps: readonly { index: number; line: number; title: string }[] }
	| { readonly type: 'stepStarted'; readonly file: string; readonly index: number; readonly title: string }
	| { readonly type: 'stepFinished'; readonly file: string; readonly step: StepResult }
	| { readonly type: 'traffic'; readonly file: string; readonly entry: TrafficEntry }
	/** Lines the bot printed (stdout or stderr), redacted, as it printed them. */
	| { readonly type: 'botOutput'; readonly file: string; readonly text: string }
	| { readonly type: 'scenarioFinished'; readonly file: string; readonly result: ScenarioResult };
