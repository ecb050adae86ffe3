/**
 * Scenario tests: scenario files (YAML checked against scenario.schema.json), the runner that plays them against
 * a bot on a fresh emulator, and the reports (JUnit, HAR). No VS Code here: the CLI and the extension share it.
 */
export { formatDuration, formatProblem, parseDuration, ScenarioFileError, type BotConfig, type Expectation, type Party, type Scenario, type ScenarioProblem, type ScenarioStep, type WorldAction } from './scenarioModel';
export { loadScenarioFile, parseScenario, SCENARIO_DEFAULTS } from './scenarioFile';
export { SCENARIO_SCHEMA } from './scenarioSchema';
export { botEnvironment, DEFAULT_EXPECT_WAIT_MS, DEFAULT_URL_BOT_EMULATOR_PORT, runScenario, ScenarioRun, type RunOptions } from './scenarioRunner';
export type { ScenarioResult, ScenarioRunEvent, StepResult, StepStatus } from './scenarioResult';
export type { InboundEntry, OutboundEntry, TrafficEntry } from './trafficRecord';
export { botFromConfigFile, CONFIG_FILE, findScenarioFiles, loadBotConfig, loadSuite, runSuite, type LoadedSuite, type SuiteOptions } from './scenarioSuite';
export { harFileName, junitReport, scenarioHar } from './scenarioReports';
export { looksLikeScenario } from './scenarioSuite';
export { scenarioFromCall, type CallHistory, type CallHistoryRequest, type CallScenario } from './callScenario';
export { problemSpan, type TextSpan } from './problemRange';
export { nodeDebugTarget, type NodeDebugTarget } from './botDebugTarget';
export { canConnect, freePort } from './botProcess';
export { startEmulator } from '../emulator';
