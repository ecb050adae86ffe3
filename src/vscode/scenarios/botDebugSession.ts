import * as vscode from 'vscode';
import type { BotConfig, NodeDebugTarget, Scenario } from '../../core/scenarios';
import { scenarioEngine } from './scenarioEngine';

/** Extra time the debugger may take to start node before the bot listens (attaching, breakpoints at start). */
const DEBUGGER_START_MS = 20_000;

/** A bot started under VS Code's JavaScript debugger, reached by the runner as a bot that already runs. */
export interface DebuggedBot {
	/** The bot as the runner sees it: its callback URL (bot URL mode). */
	readonly bot: BotConfig;
	/** Port of the emulator the bot was configured for: the runner starts its own there. */
	readonly emulatorPort: number;
	stop(): Promise<void>;
}

/**
 * Starts the bot's Node program under the debugger with the bot contract's environment, the same variables the
 * runner gives a bot it starts itself. The runner starts the emulator only after the bot listens, so the address is
 * fixed first: a short-lived emulator on a free port with the runner's state directory (the same CA, keys and
 * credentials) tells what the variables are; the runner then starts its own on that port (as for `--bot-url`).
 */
export async function startBotUnderDebugger(scenario: Scenario, bot: BotConfig, target: NodeDebugTarget, options: { stateDir: string; run: vscode.TestRun; folder?: vscode.WorkspaceFolder }): Promise<DebuggedBot> {
	const engine = scenarioEngine();
	const emulatorPort = await engine.freePort();
	const botPort = await engine.freePort();
	const callbackUrl = `http://127.0.0.1:${botPort}${bot.callbackPath}`;
	const probe = await engine.startEmulator({ stateDir: options.stateDir, port: emulatorPort });
	const contract = engine.botEnvironment(probe, scenario.clockRate, botPort, callbackUrl);
	await probe.stop();

	const marker = `graphCalls-scenario-${botPort}-${Date.now()}`;
	const config: vscode.DebugConfiguration = {
		type: 'node',
		request: 'launch',
		name: `Bot under test: ${scenario.name}`,
		runtimeExecutable: target.runtimeExecutable,
		runtimeArgs: [...target.runtimeArgs],
		program: target.program,
		args: [...target.args],
		cwd: bot.cwd,
		env: { ...bot.env, ...contract },
		console: 'internalConsole',
		outputCapture: 'std',
		skipFiles: ['<node_internals>/**'],
		graphCallsScenarioRun: marker,
	};
	let session: vscode.DebugSession | undefined;
	let ended = false;
	const started = vscode.debug.onDidStartDebugSession((s) => {
		if (s.configuration.graphCallsScenarioRun === marker) session ??= s;
	});
	const terminated = vscode.debug.onDidTerminateDebugSession((s) => {
		if (s.configuration.graphCallsScenarioRun === marker) ended = true;
	});
	const stop = async () => {
		started.dispose();
		if (session && !ended) await vscode.debug.stopDebugging(session);
		terminated.dispose();
	};
	try {
		const ok = await vscode.debug.startDebugging(options.folder, config, { testRun: options.run, suppressSaveBeforeStart: true });
		if (!ok) throw new Error('VS Code could not start the JavaScript debugger for the bot (is the built-in JavaScript debugger disabled?)');
		const deadline = Date.now() + bot.startTimeoutMs + DEBUGGER_START_MS;
		while (!(await engine.canConnect('127.0.0.1', botPort, 250))) {
			if (ended) throw new Error(`the bot ended under the debugger before it listened on BOT_PORT ${botPort} (see the Debug Console)`);
			if (Date.now() > deadline) throw new Error(`the bot did not listen on 127.0.0.1:${botPort} (BOT_PORT) under the debugger within ${Math.round((bot.startTimeoutMs + DEBUGGER_START_MS) / 1000)} s`);
			await new Promise((r) => setTimeout(r, 100));
		}
	} catch (err) {
		await stop();
		throw err;
	}
	return {
		bot: { ...bot, command: undefined, url: callbackUrl, source: `${bot.source} (under the debugger)` },
		emulatorPort,
		stop,
	};
}
