import { promises as fs } from 'node:fs';
import { cpus } from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ScenarioResult, ScenarioRunEvent, Scenario } from '../../core/scenarios';
import { Disposable } from '../../core/lifecycle';
import { Emitter, type Event } from '../../core/event';
import { startBotUnderDebugger, type DebuggedBot } from './botDebugSession';
import { scenarioEngine } from './scenarioEngine';
import { failureMessages, terminalText, type FailureText } from './scenarioMessages';
import type { ScenarioTestItems } from './scenarioTestItems';

/** How one scenario of a Test Explorer run ended (public API: src/api.ts). */
export interface ScenarioTestReport {
	readonly file: string;
	readonly name: string;
	/** `errored`: the file could not be run (schema errors, no bot). */
	readonly status: 'passed' | 'failed' | 'errored';
	readonly mode: 'run' | 'debug';
	/** Why the Debug profile ran the bot normally, when it did. */
	readonly debugUnavailable?: string;
	readonly steps: readonly { readonly line: number; readonly title: string; readonly status: 'passed' | 'failed' | 'skipped'; readonly message?: string }[];
	/** The messages the Test Explorer showed for the failure, in the same words. */
	readonly messages: readonly FailureText[];
	/** The call's traffic as a HAR file (redacted), in the extension's private storage. */
	readonly trafficFile?: string;
	readonly durationMs: number;
}

export interface ScenarioTestRunOptions {
	/** Emulator state (CA, keys) for the runs' emulators, created once. */
	readonly stateDir: string;
	/** Where each run's HAR goes: the extension's own storage, readable by this user only. */
	readonly trafficDir: string;
	readonly version: string;
	readonly log: vscode.LogOutputChannel;
}

/**
 * The Run and Debug profiles: each scenario through the core runner, against the bot its file (or the config beside
 * it) names, as `graph-calls test` would; steps reported on their items as they finish; failures as messages with
 * expected vs actual, evidence and the traffic; the bot's output (redacted) in the run's output as it is printed.
 */
export class ScenarioTestRunner extends Disposable {
	private readonly _onDidReport = this._register(new Emitter<ScenarioTestReport>());
	readonly onDidReport: Event<ScenarioTestReport> = this._onDidReport.event;

	constructor(private readonly items: ScenarioTestItems, private readonly options: ScenarioTestRunOptions) {
		super();
		const { controller } = items;
		this._register(controller.createRunProfile('Run Scenarios', vscode.TestRunProfileKind.Run, (request, token) => this.run(request, token, 'run'), true));
		this._register(controller.createRunProfile('Debug Bot in Scenarios', vscode.TestRunProfileKind.Debug, (request, token) => this.run(request, token, 'debug'), true));
	}

	async run(request: vscode.TestRunRequest, token: vscode.CancellationToken, mode: 'run' | 'debug'): Promise<void> {
		const targets = await this.items.itemsFor(request);
		const run = this.items.controller.createTestRun(request);
		try {
			for (const item of targets) {
				run.enqueued(item);
				item.children.forEach((c) => run.enqueued(c));
			}
			// Each scenario has its own emulator and bot; a bot under the debugger is one at a time (one Debug view).
			const limit = mode === 'debug' ? 1 : Math.max(1, cpus().length);
			let next = 0;
			const worker = async () => {
				while (next < targets.length && !token.isCancellationRequested) await this.runOne(targets[next++], run, mode);
			};
			await Promise.all(Array.from({ length: Math.min(limit, targets.length) }, worker));
			for (const item of targets.slice(next)) run.skipped(item);
		} finally {
			run.end();
		}
	}

	private async runOne(item: vscode.TestItem, run: vscode.TestRun, mode: 'run' | 'debug'): Promise<void> {
		const uri = item.uri!;
		const engine = scenarioEngine();
		const started = Date.now();
		run.started(item);
		const { scenarios, problems } = engine.loadSuite([uri.fsPath]);
		const scenario = scenarios[0];
		if (!scenario) {
			const texts = problems.map((p) => ({ text: p.message, line: p.line }));
			run.errored(item, texts.map((t) => {
				const m = new vscode.TestMessage(t.text);
				m.location = new vscode.Location(uri, new vscode.Position(Math.max(0, t.line - 1), 0));
				return m;
			}), 0);
			this.report({ file: uri.fsPath, name: item.label, status: 'errored', mode, steps: [], messages: texts, durationMs: 0 });
			return;
		}

		let debugged: DebuggedBot | undefined;
		let debugUnavailable: string | undefined;
		if (mode === 'debug') {
			const target = engine.nodeDebugTarget(scenario.bot?.command, scenario.bot!.cwd);
			if ('reason' in target) {
				debugUnavailable = `Debug is not available for the bot of "${scenario.name}": ${target.reason}. It runs without the debugger.`;
				run.appendOutput(terminalText(debugUnavailable), undefined, item);
				void vscode.window.showInformationMessage(debugUnavailable);
			} else {
				try {
					debugged = await startBotUnderDebugger(scenario, scenario.bot!, target, { stateDir: this.options.stateDir, run, folder: vscode.workspace.getWorkspaceFolder(uri) });
				} catch (err) {
					const text = `The bot could not be started under the debugger: ${(err as Error).message}`;
					run.errored(item, new vscode.TestMessage(text), Date.now() - started);
					this.report({ file: uri.fsPath, name: scenario.name, status: 'errored', mode, steps: [], messages: [{ text }], durationMs: Date.now() - started });
					return;
				}
			}
		}

		const stepItem = (index: number) => item.children.get(`${item.id}#${index}`);
		const onEvent = (e: ScenarioRunEvent) => {
			if (e.type === 'stepStarted') {
				const child = stepItem(e.index);
				if (child) run.started(child);
			} else if (e.type === 'botOutput') {
				// As the bot prints it, so a hanging step can be understood while it hangs.
				run.appendOutput(terminalText(e.text.split('\n').map((l) => `[bot] ${l}`).join('\n')), undefined, item);
			}
		};
		let result: ScenarioResult;
		try {
			result = await engine.runScenario(scenario, { stateDir: this.options.stateDir, onEvent, ...(debugged ? { bot: debugged.bot, emulatorPort: debugged.emulatorPort } : {}) });
		} finally {
			await debugged?.stop();
		}
		const trafficFile = await this.writeTraffic(scenario, result).catch((err: unknown) => {
			this.options.log.warn(`Could not write the traffic of scenario ${scenario.name}: ${(err as Error).message}`);
			return undefined;
		});
		if (trafficFile) run.appendOutput(terminalText(`--- ${scenario.name}: the call's traffic is in ${trafficFile}`), undefined, item);

		const failures = failureMessages(result, uri, trafficFile);
		for (const step of result.steps) {
			const child = stepItem(step.index);
			if (!child) continue;
			if (step.status === 'passed') run.passed(child, step.durationMs);
			else if (step.status === 'skipped') run.skipped(child);
			else run.failed(child, failures.filter((f) => f.step === step).map((f) => f.message), step.durationMs);
		}
		if (result.status === 'passed') run.passed(item, result.durationMs);
		else run.failed(item, failures.map((f) => f.message), result.durationMs);
		this.report({
			file: uri.fsPath, name: scenario.name, status: result.status, mode, debugUnavailable, trafficFile, durationMs: result.durationMs,
			steps: result.steps.map((s) => ({ line: s.line, title: s.title, status: s.status, message: s.message })),
			messages: failures.map((f) => f.text),
		});
	}

	private report(r: ScenarioTestReport): void {
		this.options.log.info(`Scenario ${r.name}: ${r.status}${r.messages[0] ? ` (${r.messages[0].text})` : ''}`);
		this._onDidReport.fire(r);
	}

	/** The call's traffic as HAR, in a directory only this user can read (it holds redacted requests, still private). */
	private async writeTraffic(scenario: Scenario, result: ScenarioResult): Promise<string> {
		const engine = scenarioEngine();
		await fs.mkdir(this.options.trafficDir, { recursive: true, mode: 0o700 });
		const folder = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(scenario.file));
		const file = path.join(this.options.trafficDir, engine.harFileName(scenario.file, folder?.uri.fsPath ?? path.dirname(scenario.file)));
		const har = engine.scenarioHar(result, { version: this.options.version, roles: scenario.permissions });
		await fs.writeFile(file, `${JSON.stringify(har, null, 1)}\n`, { mode: 0o600 });
		return file;
	}
}
