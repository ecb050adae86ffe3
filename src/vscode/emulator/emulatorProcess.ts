// The local emulator as a child process running the bundled CLI (dist/emulator.js), so its load or a crash never
// stalls the extension host. Deliberately free of 'vscode' so plain mocha can test it against the real CLI.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, promises as fs } from 'node:fs';
import * as readline from 'node:readline';
import { Disposable, toDisposable } from '../../core/lifecycle';
import { Emitter, type Event } from '../../core/event';

/** The one JSON line the CLI prints on stdout when it is ready. */
export interface EmulatorReadyLine {
	readonly event: 'ready';
	readonly graphBaseUrl: string;
	readonly betaBaseUrl: string;
	readonly authority: string;
	readonly tenantId: string;
	readonly clientId: string;
	readonly clientSecret: string;
	readonly caCertFile: string;
	readonly controlUrl: string;
}

export interface EmulatorReady extends EmulatorReadyLine {
	/** The CA certificate read from caCertFile. */
	readonly caCertPem: string;
}

export class EmulatorStartError extends Error {
	constructor(message: string, readonly explanation: string) {
		super(message);
		this.name = 'EmulatorStartError';
	}
}

const READY_FIELDS = ['graphBaseUrl', 'betaBaseUrl', 'authority', 'tenantId', 'clientId', 'clientSecret', 'caCertFile', 'controlUrl'] as const;

/** Parses the ready line; the error names what is missing (never the secret). */
export function parseReadyLine(line: string): EmulatorReadyLine {
	let v: Record<string, unknown>;
	try {
		v = JSON.parse(line) as Record<string, unknown>;
	} catch {
		throw new Error('the emulator\'s first stdout line is not JSON');
	}
	if (v.event !== 'ready') throw new Error(`the emulator's first JSON line has event "${String(v.event)}", expected "ready"`);
	const missing = READY_FIELDS.filter((f) => typeof v[f] !== 'string' || !v[f]);
	if (missing.length) throw new Error(`the emulator's ready line lacks ${missing.join(', ')}`);
	for (const f of ['graphBaseUrl', 'betaBaseUrl', 'authority', 'controlUrl'] as const) {
		const u = new URL(String(v[f]));
		if (u.protocol !== 'https:') throw new Error(`the emulator's ${f} is not https (${u.protocol})`);
	}
	return v as unknown as EmulatorReadyLine;
}

export interface EmulatorProcessOptions {
	/** Absolute path of dist/emulator.js. */
	readonly scriptPath: string;
	readonly stateDir: string;
	/** Defaults to process.execPath: Node itself, or Electron/VS Code's binary, which ELECTRON_RUN_AS_NODE turns into Node. */
	readonly nodePath?: string;
	readonly extraArgs?: readonly string[];
	/** Each stderr line (and any stdout line after the ready line). */
	readonly onOutput?: (line: string) => void;
	readonly readyTimeoutMs?: number;
}

/** One emulator child process. start() resolves with its ready line; stop() ends it (SIGTERM, then SIGKILL). */
export class EmulatorProcess extends Disposable {
	private child: ChildProcess | undefined;
	private exited: Promise<void> | undefined;
	private _ready: EmulatorReady | undefined;
	private readonly _onDidExit = this._register(new Emitter<{ code: number | null; signal: NodeJS.Signals | null; expected: boolean }>());
	/** Fires when the process ends; `expected` is false for a crash. */
	readonly onDidExit: Event<{ code: number | null; signal: NodeJS.Signals | null; expected: boolean }> = this._onDidExit.event;
	private stopping = false;

	constructor(private readonly options: EmulatorProcessOptions) {
		super();
		this._register(toDisposable(() => {
			this.stopping = true;
			this.child?.kill('SIGTERM');
		}));
	}

	get ready(): EmulatorReady | undefined {
		return this._ready;
	}

	get running(): boolean {
		return !!this.child && this.child.exitCode === null && this.child.signalCode === null;
	}

	get pid(): number | undefined {
		return this.child?.pid;
	}

	async start(signal?: AbortSignal): Promise<EmulatorReady> {
		if (this.child) throw new Error('This emulator process was already started: stop it and create a new one.');
		const { scriptPath, stateDir } = this.options;
		if (!existsSync(scriptPath)) {
			throw new EmulatorStartError(`The emulator program ${scriptPath} is missing.`, 'Build it with "npm run build" (or reinstall the extension), then run "Graph Calls: Use Local Emulator" again.');
		}
		await fs.mkdir(stateDir, { recursive: true });
		const out = this.options.onOutput ?? (() => undefined);
		const child = spawn(this.options.nodePath ?? process.execPath, [scriptPath, '--port', '0', '--state-dir', stateDir, '--parent-pid', String(process.pid), ...(this.options.extraArgs ?? [])], {
			env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
			stdio: ['ignore', 'pipe', 'pipe'],
			windowsHide: true,
		});
		this.child = child;
		const stderrTail: string[] = [];
		readline.createInterface({ input: child.stderr! }).on('line', (line) => {
			stderrTail.push(line);
			if (stderrTail.length > 20) stderrTail.shift();
			out(line);
		});
		this.exited = new Promise<void>((resolve) => {
			child.once('exit', (code, sig) => {
				this._onDidExit.fire({ code, signal: sig, expected: this.stopping });
				resolve();
			});
		});

		const lineReader = readline.createInterface({ input: child.stdout! });
		const readyLine = new Promise<EmulatorReadyLine>((resolve, reject) => {
			let gotReady = false;
			lineReader.on('line', (line) => {
				if (gotReady) return out(line);
				if (!line.trim().startsWith('{')) return out(line);
				gotReady = true;
				try {
					resolve(parseReadyLine(line));
				} catch (err) {
					reject(new EmulatorStartError(`The emulator started but ${(err as Error).message}.`, 'The extension and its emulator program do not match: rebuild with "npm run build" or reinstall the extension.'));
				}
			});
			child.once('error', (err) => reject(new EmulatorStartError(`The emulator could not be started: ${err.message}.`, 'Check that Node.js can run from VS Code, then see "Graph Calls: Show Emulator Log".')));
			child.once('exit', (code, sig) => {
				const tail = stderrTail.slice(-3).join(' / ');
				reject(new EmulatorStartError(`The emulator exited (${sig ?? `code ${code}`}) before it was ready${tail ? `: ${tail}` : ''}.`, 'See "Graph Calls: Show Emulator Log" for its output; if its state folder is damaged, delete it and try again.'));
			});
		});
		const timeoutMs = this.options.readyTimeoutMs ?? 30_000;
		let timer: NodeJS.Timeout | undefined;
		const timeout = new Promise<never>((_, reject) => {
			timer = setTimeout(() => reject(new EmulatorStartError(`The emulator did not report ready within ${Math.round(timeoutMs / 1000)} s.`, 'See "Graph Calls: Show Emulator Log"; the machine may be busy: try "Graph Calls: Restart Emulator".')), timeoutMs);
		});
		const aborted = new Promise<never>((_, reject) => {
			signal?.addEventListener('abort', () => reject(Object.assign(new Error('Starting the emulator was cancelled.'), { name: 'AbortError' })), { once: true });
		});
		try {
			const line = await Promise.race([readyLine, timeout, aborted]);
			let caCertPem: string;
			try {
				caCertPem = await fs.readFile(line.caCertFile, 'utf8');
			} catch (err) {
				throw new EmulatorStartError(`The emulator's CA certificate ${line.caCertFile} cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}).`, 'Delete the emulator state folder and run "Graph Calls: Use Local Emulator" again.');
			}
			this._ready = { ...line, caCertPem };
			return this._ready;
		} catch (err) {
			await this.stop();
			throw err;
		} finally {
			clearTimeout(timer);
		}
	}

	/** Ends the process: SIGTERM, then SIGKILL if it is still alive after `graceMs`. */
	async stop(graceMs = 3000): Promise<void> {
		const child = this.child;
		if (!child || !this.running) return;
		this.stopping = true;
		child.kill('SIGTERM');
		let timer: NodeJS.Timeout | undefined;
		await Promise.race([this.exited, new Promise<void>((r) => (timer = setTimeout(r, graceMs)))]);
		clearTimeout(timer);
		if (this.running) {
			child.kill('SIGKILL');
			await this.exited;
		}
	}
}
