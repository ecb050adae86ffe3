import { spawn, type ChildProcess } from 'node:child_process';
import * as http from 'node:http';
import { Emitter, type Event } from '../event';
import { Disposable, toDisposable } from '../lifecycle';
import { isLoopbackAddress } from '../localServerGuard';
import { publicTunnelOrigin, scrubTunnelOutput, tunnelLineParser, type TunnelFailureReason } from './tunnelOutput';
import { findOnPath, TunnelNotInstalledError, type TunnelProvider } from './tunnelProviders';

export type TunnelState = 'starting' | 'running' | 'reconnecting' | 'stopped' | 'failed';

export interface TunnelStatus {
	readonly state: TunnelState;
	readonly provider: TunnelProvider;
	/** The public origin while running, e.g. https://abc-3978.usw2.devtunnels.ms. */
	readonly url?: string;
	/** Why it stopped or failed, in a sentence the user can act on. */
	readonly message?: string;
	/** True when the program ended without being asked to. */
	readonly unexpected?: boolean;
}

export type TunnelStartFailure = 'notInstalled' | TunnelFailureReason | 'exited' | 'timeout' | 'foreignUrl' | 'stopped';

/** Why the tunnel did not start; `output` holds its last lines, secrets scrubbed. */
export class TunnelStartError extends Error {
	constructor(message: string, readonly reason: TunnelStartFailure, readonly output: readonly string[] = []) {
		super(message);
		this.name = 'TunnelStartError';
	}
}

export interface PublicTunnelOptions {
	readonly provider: TunnelProvider;
	/** The local port to expose (the callback receiver's). */
	readonly port: number;
	/** Environment for the program; default process.env. Its PATH is where the program is looked for. */
	readonly env?: NodeJS.ProcessEnv;
	/** Added to the environment, e.g. NGROK_AUTHTOKEN: never put on the command line, which other local users can read. */
	readonly extraEnv?: Readonly<Record<string, string>>;
	/** Values scrubbed from every output line before it is parsed, kept or logged. */
	readonly secrets?: readonly string[];
	/** How long to wait for the public URL. Default 30 s. */
	readonly startTimeoutMs?: number;
	/** How long `stop` waits after SIGTERM before SIGKILL. Default 3 s. */
	readonly killTimeoutMs?: number;
}

const KEPT_LINES = 40;

/** One run of `devtunnel host` or `ngrok http` that exposes a local port on a public https URL. */
export class PublicTunnel extends Disposable {
	private child: ChildProcess | undefined;
	private _status: TunnelStatus;
	private readonly lines: string[] = [];
	private stopping = false;
	private readonly _onDidChangeState = this._register(new Emitter<TunnelStatus>());
	readonly onDidChangeState: Event<TunnelStatus> = this._onDidChangeState.event;
	private readonly _onDidOutput = this._register(new Emitter<string>());
	/** Every output line, secrets scrubbed. */
	readonly onDidOutput: Event<string> = this._onDidOutput.event;
	private exited: Promise<void> = Promise.resolve();

	constructor(private readonly options: PublicTunnelOptions) {
		super();
		this._status = { state: 'stopped', provider: options.provider };
		this._register(toDisposable(() => void this.stop()));
	}

	get status(): TunnelStatus {
		return this._status;
	}

	get url(): string | undefined {
		return this._status.state === 'running' || this._status.state === 'reconnecting' ? this._status.url : undefined;
	}

	/** The last lines the program printed, secrets scrubbed. */
	get output(): readonly string[] {
		return this.lines;
	}

	/** Starts the program and resolves with the public origin once it prints one; rejects with TunnelStartError. */
	async start(): Promise<string> {
		if (this.child) throw new Error('This tunnel is already started.');
		const { provider, port } = this.options;
		const env = { ...(this.options.env ?? process.env), ...this.options.extraEnv };
		const executable = await findOnPath(provider.command, env);
		if (!executable) {
			const err = new TunnelNotInstalledError([provider]);
			this.setStatus({ state: 'failed', provider, message: err.message });
			throw new TunnelStartError(err.message, 'notInstalled');
		}
		this.setStatus({ state: 'starting', provider });
		const child = spawn(executable, provider.args(port), { env, stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true, shell: false });
		this.child = child;
		const parse = tunnelLineParser(provider);
		return new Promise<string>((resolve, reject) => {
			let settled = false;
			let failure: { reason: TunnelStartFailure; message: string } | undefined;
			let apiPoll: NodeJS.Timeout | undefined;
			const timer = setTimeout(() => fail(failure?.reason ?? 'timeout', failure?.message ?? `${provider.command} printed no public URL within ${Math.round((this.options.startTimeoutMs ?? 30_000) / 1000)} s.`), this.options.startTimeoutMs ?? 30_000);
			const succeed = (url: string) => {
				if (settled) return;
				settled = true;
				clearTimeout(timer);
				clearInterval(apiPoll);
				this.setStatus({ state: 'running', provider, url });
				resolve(url);
			};
			const fail = (reason: TunnelStartFailure, message: string) => {
				if (settled) return;
				settled = true;
				clearTimeout(timer);
				clearInterval(apiPoll);
				this.setStatus({ state: 'failed', provider, message });
				void this.stop();
				reject(new TunnelStartError(message, reason, [...this.lines]));
			};
			const onLine = (raw: string) => {
				const line = scrubTunnelOutput(raw, this.options.secrets);
				if (!line.trim()) return;
				this.lines.push(line.slice(0, 1000));
				if (this.lines.length > KEPT_LINES) this.lines.shift();
				this._onDidOutput.fire(line);
				const event = parse(line);
				if (!event) return;
				switch (event.kind) {
					case 'url':
						if (!settled) succeed(event.url);
						break;
					case 'foreignUrl':
						// Never used: remembered so that, if no good URL follows, the error says what was refused.
						failure ??= { reason: 'foreignUrl', message: `${provider.command} printed "${event.text}" as its public URL, which is not under ${provider.domains.join(' or ')}; it was not used.` };
						break;
					case 'webAddr':
						if (!settled && !apiPoll) apiPoll = this.pollAgentApi(event.addr, port, succeed);
						break;
					case 'failure':
						// A known cause ends the start at once; a generic error line waits for the exit, since the
						// program may still print the line that names the cause (ngrok writes stderr and its log apart).
						if (event.reason !== 'service') {
							failure = { reason: event.reason, message: event.message };
							if (!settled) fail(event.reason, event.message);
						} else if (!failure || failure.reason === 'foreignUrl') {
							failure = { reason: event.reason, message: event.message };
						}
						break;
					case 'disconnected':
						if (this._status.state === 'running') this.setStatus({ ...this._status, state: 'reconnecting', message: `${provider.displayName} lost its connection and is reconnecting.` });
						break;
					case 'reconnected':
						if (this._status.state === 'reconnecting') this.setStatus({ ...this._status, state: 'running', message: undefined });
						break;
					default:
						break;
				}
			};
			readLines(child.stdout!, onLine);
			readLines(child.stderr!, onLine);
			child.on('error', (err: NodeJS.ErrnoException) => fail(err.code === 'ENOENT' ? 'notInstalled' : 'exited', `${provider.command} could not be started (${err.code ?? err.message}).`));
			this.exited = new Promise<void>((done) => child.once('close', (code, signal) => {
				this.child = undefined;
				const how = signal ? `was ended by ${signal}` : `exited with code ${code}`;
				if (!settled) {
					fail(failure?.reason ?? 'exited', failure?.message ?? `${provider.command} ${how} before printing a public URL.${this.lines.length ? ` Its last output: ${this.lines.slice(-3).join(' | ')}` : ''}`);
				} else if (this.stopping) {
					if (this._status.state !== 'failed') this.setStatus({ state: 'stopped', provider, message: `${provider.displayName} stopped.` });
				} else {
					const last = failure?.message ?? (this.lines.length ? `Its last output: ${this.lines.slice(-3).join(' | ')}` : '');
					this.setStatus({ state: 'stopped', provider, unexpected: true, message: `${provider.displayName} ${how}, so the public callback URL no longer reaches the receiver. ${last}`.trim() });
				}
				done();
			}));
		});
	}

	/** Ends the program (SIGTERM, then SIGKILL) and resolves once it has exited. */
	async stop(): Promise<void> {
		const child = this.child;
		if (!child) return this.exited;
		this.stopping = true;
		child.kill('SIGTERM');
		const killer = setTimeout(() => child.kill('SIGKILL'), this.options.killTimeoutMs ?? 3000);
		killer.unref();
		await this.exited;
		clearTimeout(killer);
	}

	/** ngrok's agent API lists the tunnel with its public URL; asked until it answers or the start settles. */
	private pollAgentApi(addr: string, port: number, found: (url: string) => void): NodeJS.Timeout | undefined {
		const host = addr.replace(/:\d+$/, '');
		// The address comes from the program's output: only ever ask this machine.
		if (!isLoopbackAddress(host)) return undefined;
		const ask = () => {
			const req = http.get({ host: host.replace(/^\[|\]$/g, ''), port: Number(/:(\d+)$/.exec(addr)![1]), path: '/api/tunnels', timeout: 2000 }, (res) => {
				const chunks: Buffer[] = [];
				let size = 0;
				res.on('data', (c: Buffer) => {
					size += c.length;
					if (size < 1024 * 1024) chunks.push(c);
				});
				res.on('end', () => {
					const url = tunnelUrlFromAgentApi(Buffer.concat(chunks).toString('utf8'), port, this.options.provider);
					if (url) found(url);
				});
			});
			req.on('error', () => undefined);
			req.on('timeout', () => req.destroy());
		};
		ask();
		return setInterval(ask, 250);
	}

	private setStatus(status: TunnelStatus): void {
		this._status = status;
		this._onDidChangeState.fire(status);
	}
}

/** The https public URL of the tunnel to `port` in a GET /api/tunnels answer of the ngrok agent API. */
export function tunnelUrlFromAgentApi(body: string, port: number, provider: Pick<TunnelProvider, 'domains'>): string | undefined {
	let parsed: unknown;
	try {
		parsed = JSON.parse(body);
	} catch {
		return undefined;
	}
	const tunnels = (parsed as { tunnels?: unknown })?.tunnels;
	if (!Array.isArray(tunnels)) return undefined;
	for (const t of tunnels as { public_url?: unknown; config?: { addr?: unknown } }[]) {
		const addr = typeof t?.config?.addr === 'string' ? t.config.addr : '';
		if (!new RegExp(`(^|[/:])${port}$`).test(addr) || typeof t.public_url !== 'string') continue;
		const origin = publicTunnelOrigin(t.public_url, provider);
		if (origin) return origin;
	}
	return undefined;
}

function readLines(stream: NodeJS.ReadableStream, onLine: (line: string) => void): void {
	let pending = '';
	stream.setEncoding('utf8');
	stream.on('data', (chunk: string) => {
		pending += chunk;
		let i: number;
		while ((i = pending.search(/\r?\n/)) >= 0) {
			onLine(pending.slice(0, i));
			pending = pending.slice(pending[i] === '\r' ? i + 2 : i + 1);
		}
		// A program that never ends a line must not grow this without bound.
		if (pending.length > 64 * 1024) pending = pending.slice(-1024);
	});
	stream.on('end', () => {
		if (pending) onLine(pending);
	});
}
