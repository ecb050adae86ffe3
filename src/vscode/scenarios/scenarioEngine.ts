/**
 * The scenario parser and runner (src/core/scenarios) bring the emulator, ajv and yaml with them: more code than the
 * rest of the extension. They are loaded on first use (a scenario file opened, a test run, a call saved), from their
 * own bundle (dist/scenarios.js, see esbuild.js), so activation does not read or compile them.
 */
type ScenarioEngine = typeof import('../../core/scenarios');

let engine: ScenarioEngine | undefined;

export function scenarioEngine(): ScenarioEngine {
	// eslint-disable-next-line @typescript-eslint/no-require-imports -- a deferred load is the point of this module
	engine ??= require('../../core/scenarios') as ScenarioEngine;
	return engine;
}
