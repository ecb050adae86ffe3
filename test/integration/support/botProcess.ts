/**
 * Runs a sample bot (examples/) as its own process with the bot contract's environment, pointed at a running
 * emulator, and collects its stdout lines (one per event).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import type { EmulatorHandle } from '../../../src/core/emulator';
import { botEnvironment } from '../../../src/core/scenarios/scenarioRunner';

/** The repository root, from out/test/integration/support. */
export const repoRoot = path.resolve(__dirname, '../../../..');

export interface BotProcess {
	/** http://127.0.0.1:PORT/api/calling, from the bot's "listening on" line. */
	readonly url: string;
	/** Every stdout line so far. */
	readonly lines: string[];
	/** Resolves with the first line matching, or rejects after timeoutMs with what the bot printed. */
	waitForLine(pattern: RegExp, timeoutMs?: number, what?: string): Promise<string>;
	/** SIGTERM, then the exit code (SIGKILL after 5 s, and the promise rejects). */
	stop(): Promise<number | null>;
}

/**
 * The environment the runner gives a bot under test (the bot contract, from the runner itself), with a free port
 * picked by the bot and no callback URL, so the bot answers with its own /api/calling.
 */
export function botContractEnv(emu: EmulatorHandle, clockRate: number): Record<string, string> {
	const { GRAPH_CALLBACK_URL: _own, ...env } = botEnvironment(emu, clockRate, 0, '');
	return env;
}

/** Fails with a clear message when python3 is missing: the Python sample is tested, never skipped. */
export function requirePython3(): string {
	const r = spawnSync('python3', ['--version'], { encoding: 'utf8' });
	if (r.error || r.status !== 0) {
		throw new Error(`python3 is needed to test examples/python-bot (the sample bots run in every test run): ${r.error?.message ?? r.stderr}. Install Python 3.8 or later (apt-get install python3).`);
	}
	return (r.stdout || r.stderr).trim();
}

export async function startBot(command: string, args: string[], env: Record<string, string>, startTimeoutMs = 15000): Promise<BotProcess> {
	const child: ChildProcess = spawn(command, args, { cwd: repoRoot, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
	const lines: string[] = [];
	let stderr = '';
	const listeners = new Set<() => void>();
	let pending = '';
	child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
		pending += chunk;
		const parts = pending.split('\n');
		pending = parts.pop()!;
		lines.push(...parts);
		for (const l of listeners) l();
	});
	child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
		stderr += chunk;
	});
	const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => {
		for (const l of listeners) l();
		resolve(code);
	}));

	const waitForLine = (pattern: RegExp, timeoutMs = 10000, what = String(pattern)): Promise<string> => new Promise((resolve, reject) => {
		const check = () => {
			const hit = lines.find((l) => pattern.test(l));
			if (hit !== undefined) {
				done();
				resolve(hit);
			} else if (child.exitCode !== null) {
				done();
				reject(new Error(`The bot exited (code ${child.exitCode}) before printing ${what}.\nstdout:\n${lines.join('\n')}\nstderr:\n${stderr}`));
			}
		};
		const timer = setTimeout(() => {
			done();
			reject(new Error(`The bot did not print ${what} within ${timeoutMs} ms.\nstdout:\n${lines.join('\n')}\nstderr:\n${stderr}`));
		}, timeoutMs);
		const done = () => {
			clearTimeout(timer);
			listeners.delete(check);
		};
		listeners.add(check);
		check();
	});

	let url: string;
	try {
		url = /listening on (\S+)/.exec(await waitForLine(/^listening on http:\/\/127\.0\.0\.1:\d+\/api\/calling$/, startTimeoutMs, 'its "listening on" line'))![1];
	} catch (err) {
		child.kill('SIGKILL');
		throw err;
	}
	return {
		url,
		lines,
		waitForLine,
		stop: async () => {
			if (child.exitCode !== null) return child.exitCode;
			child.kill('SIGTERM');
			const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
			const code = await exited;
			clearTimeout(timer);
			if (code === null) throw new Error(`The bot did not exit within 5 s of SIGTERM.\nstderr:\n${stderr}`);
			return code;
		},
	};
}
