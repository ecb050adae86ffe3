import { spawn, type ChildProcess } from 'node:child_process';
import { connect, createServer } from 'node:net';
import type { Redactor } from '../graph/redaction';

/** How the bot's process ended. */
export interface BotExit {
	readonly code: number | null;
	readonly signal: NodeJS.Signals | null;
	/** Set when it could not be started at all (command not found is exit 127 from the shell instead). */
	readonly error?: string;
}

const OUTPUT_TAIL_BYTES = 4000;

/** A free TCP port on loopback for the bot (released before the bot binds it). */
export function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const s = createServer();
		s.once('error', reject);
		s.listen(0, '127.0.0.1', () => {
			const port = (s.address() as { port: number }).port;
			s.close(() => resolve(port));
		});
	});
}

/** Resolves true once something accepts TCP connections on host:port. */
export function canConnect(host: string, port: number, timeoutMs = 1000): Promise<boolean> {
	return new Promise((resolve) => {
		const socket = connect({ host, port });
		const done = (ok: boolean) => {
			socket.destroy();
			resolve(ok);
		};
		socket.setTimeout(timeoutMs, () => done(false));
		socket.once('connect', () => done(true));
		socket.once('error', () => done(false));
	});
}

export function describeExit(exit: BotExit): string {
	if (exit.error) return `could not be started (${exit.error})`;
	if (exit.signal) return `was killed by ${exit.signal}`;
	if (exit.code === 127) return 'exited with code 127 (the shell did not find the command)';
	return `exited with code ${exit.code}`;
}

/**
 * The bot under test as a child process in its own process group, so stopping it also stops whatever its
 * command started (npm, a shell, a watcher). Its output is kept (redacted, last few KB) for failure messages.
 */
export class BotProcess {
	private readonly child: ChildProcess;
	private output = '';
	private exitInfo?: BotExit;
	/** Resolves when the process has ended, however it ended. */
	readonly exited: Promise<BotExit>;
	/** Resolves when its output streams have closed too. */
	private readonly closed: Promise<void>;

	/**
	 * `onLines` gets what the bot prints as it prints it, whole lines only (redacted line by line, so a secret is
	 * never cut in two), stdout and stderr each on their own; a last unfinished line comes when the stream ends.
	 */
	constructor(command: string, options: { cwd: string; env: NodeJS.ProcessEnv; onLines?: (text: string) => void }, private readonly redactor: Redactor) {
		this.child = spawn(command, { cwd: options.cwd, env: options.env, shell: true, detached: process.platform !== 'win32', stdio: ['ignore', 'pipe', 'pipe'] });
		for (const stream of [this.child.stdout, this.child.stderr]) {
			let partial = '';
			const lines = (text: string) => {
				if (text) options.onLines?.(text.split('\n').map((l) => this.redactor.text(l.replace(/\r$/, ''))).join('\n'));
			};
			stream?.setEncoding('utf8');
			stream?.on('data', (chunk: string) => {
				this.output = (this.output + chunk).slice(-OUTPUT_TAIL_BYTES * 2);
				const text = partial + chunk;
				const end = text.lastIndexOf('\n');
				// A line longer than the tail is passed on in pieces rather than held without bound.
				const cut = end >= 0 ? end : text.length > OUTPUT_TAIL_BYTES ? text.length : -1;
				partial = text.slice(cut + 1);
				lines(text.slice(0, Math.max(0, cut)));
			});
			stream?.on('end', () => lines(partial));
		}
		this.closed = new Promise((resolve) => this.child.once('close', () => resolve()));
		this.exited = new Promise((resolve) => {
			this.child.once('error', (err) => {
				this.exitInfo ??= { code: null, signal: null, error: err.message };
				resolve(this.exitInfo);
			});
			this.child.once('exit', (code, signal) => {
				this.exitInfo ??= { code, signal };
				resolve(this.exitInfo);
			});
		});
	}

	get pid(): number | undefined {
		return this.child.pid;
	}

	/** Set once the process has ended. */
	get exit(): BotExit | undefined {
		return this.exitInfo;
	}

	/** The last lines the bot printed, redacted. */
	outputTail(): string {
		return this.redactor.text(this.output.slice(-OUTPUT_TAIL_BYTES)).trimEnd();
	}

	/**
	 * Waits until the bot accepts connections on its port. Ends early when it exits; never waits past the
	 * deadline.
	 */
	async waitForListening(port: number, timeoutMs: number): Promise<{ ok: true } | { ok: false; reason: string }> {
		const deadline = Date.now() + timeoutMs;
		while (Date.now() < deadline) {
			if (this.exitInfo) return { ok: false, reason: `the bot ${describeExit(this.exitInfo)} before it listened on BOT_PORT ${port}` };
			if (await canConnect('127.0.0.1', port, 250)) return { ok: true };
			await Promise.race([new Promise((r) => setTimeout(r, 25)), this.exited]);
		}
		return { ok: false, reason: `the bot did not listen on 127.0.0.1:${port} within ${Math.round(timeoutMs / 1000)} s: it must listen on the port given in BOT_PORT (is it using a fixed port?)` };
	}

	/** SIGTERM to the whole group, SIGKILL after a grace period; resolves when it has exited and its last output is read. */
	async stop(graceMs = 2000): Promise<void> {
		await this.end(graceMs);
		// Its last words arrive after the exit; a grandchild holding the pipes open is not waited for long.
		await Promise.race([this.closed, new Promise((r) => setTimeout(r, 500).unref())]);
	}

	private async end(graceMs: number): Promise<void> {
		if (this.exitInfo || this.child.pid === undefined) return;
		const signal = (s: NodeJS.Signals) => {
			try {
				if (process.platform === 'win32') this.child.kill(s);
				else process.kill(-this.child.pid!, s);
			} catch {
				// Already gone.
			}
		};
		signal('SIGTERM');
		const deadline = Date.now() + graceMs;
		const timer = setTimeout(() => signal('SIGKILL'), graceMs);
		await this.exited;
		clearTimeout(timer);
		// The shell goes at once; what it started gets the rest of the grace period to finish (a bot flushing its
		// last log lines: its output closes when it has), then whatever ignored SIGTERM goes.
		const rest = deadline - Date.now();
		if (rest > 0) await Promise.race([this.closed, new Promise((r) => setTimeout(r, rest).unref())]);
		signal('SIGKILL');
	}
}
