import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Emitter, type Event } from '../event';
import { Disposable, toDisposable } from '../lifecycle';
import { HostGuard, isLoopbackAddress, RemoteBindRefusedError } from '../localServerGuard';
import { PROBE_HEADER, type ProbeArrival, type ProbeTarget } from '../tunnel/reachabilityProbe';
import type { TokenClaimsSummary } from './callbackTokenValidator';
import { parseCommsNotifications, summarizeNotification } from './notificationParser';
import { attachForwardHeaders, redactHeaders, redactPath, type NotificationRecord } from './notificationRecord';

/** The receiver's verdict on a POST's Authorization header. */
export interface AuthDecision {
	/** Accept (202) even when invalid: validation relaxed for the profile. */
	readonly accept: boolean;
	readonly valid: boolean;
	/** Status to answer when not accepted: 401 no/garbled token, 403 invalid token, 503 keys unavailable. */
	readonly status?: number;
	readonly reason?: string;
	readonly relaxed?: boolean;
	readonly profileName?: string;
	readonly claims?: TokenClaimsSummary;
}

export interface CallbackReceiverOptions {
	/** Default 127.0.0.1: the receiver is reachable from this machine only, a tunnel makes it public. */
	readonly host?: string;
	/** Listen on a non-loopback `host`; refused otherwise. */
	readonly allowRemote?: boolean;
	/**
	 * Host names the receiver is reachable as through a tunnel that keeps the public Host header (ngrok does by
	 * default); read for each request. Loopback names and the bound address are always accepted.
	 */
	readonly publicHosts?: () => readonly string[];
	/** 0 = any free port. */
	readonly port?: number;
	/** The path advertised in `url` (any POST path is accepted, since tunnels may rewrite it). Default /api/calling. */
	readonly path?: string;
	/** Bodies above this get 413. Default 1 MiB. */
	readonly maxBodyBytes?: number;
	/** A body that takes longer than this to arrive gets 408 and the connection is closed. Default 5 s. */
	readonly bodyTimeoutMs?: number;
	/** Headers that take longer than this to arrive (a slow client holding the connection): 408 and closed. Default 5 s. */
	readonly headersTimeoutMs?: number;
	/** Open connections beyond this are answered 503 and closed at once. Default 256. */
	readonly maxConnections?: number;
	/** Accepted-but-unprocessed plus in-flight requests above this get 503 + Retry-After. Default 1000. */
	readonly queueLimit?: number;
	/** Checks the Authorization header; called for every well-formed POST before it is answered. */
	authenticate(authorization: string | undefined): Promise<AuthDecision>;
	/** The work done after the 202: awaited one record at a time, in arrival order. */
	process?(record: NotificationRecord): void | Promise<void>;
}

/** Counts that add up: received = accepted + sum(rejected) + overloaded + aborted + probes + other methods. */
export interface ReceiverStats {
	received: number;
	/** Reachability probes answered (each carried a nonce this receiver was told to expect). */
	probes: number;
	accepted: number;
	processed: number;
	/** Rejected requests by status code (400, 401, 403, 405, 408, 413, 415, 503 from missing keys). */
	rejected: Record<number, number>;
	/** 503 because the queue was full. */
	overloaded: number;
	/** The client went away before the body arrived. */
	aborted: number;
	/** Errors thrown by `process`; the record still counts as processed. */
	processErrors: number;
	maxQueued: number;
	/** Connections refused because `maxConnections` were open (not requests: they never sent one). */
	connectionsRefused: number;
}

const HEADERS_TIMEOUT_MS = 5000;
const BODY_TIMEOUT_MS = 5000;
const MAX_CONNECTIONS = 256;

const JSON_TYPE = /^(application\/([\w.+-]+\+)?json|text\/json)\s*(;|$)/i;

/**
 * HTTP server that receives Graph's commsNotifications POSTs. It answers within milliseconds (validation
 * with cached keys is sub-millisecond) and processes accepted notifications afterwards from a bounded queue;
 * when the queue is full it says so with 503 instead of dropping anything it has accepted.
 */
export class CallbackReceiver extends Disposable implements ProbeTarget {
	private server: http.Server | undefined;
	private address: AddressInfo | undefined;
	private hostGuard: HostGuard | undefined;
	/** Connections answered 503 at once: whatever they send afterwards is not a request. */
	private readonly refusedSockets = new WeakSet<object>();
	private readonly queue: NotificationRecord[] = [];
	private inFlight = 0;
	private draining = false;
	/** 1 while `process` runs for a record already taken off the queue: it still occupies a slot. */
	private processing = 0;
	private idleWaiters: (() => void)[] = [];
	private seq = 0;
	/** Nonces of reachability probes under way, with what to call when one arrives. */
	private readonly probes = new Map<string, (arrival: ProbeArrival) => void>();
	readonly stats: ReceiverStats = { received: 0, probes: 0, accepted: 0, processed: 0, rejected: {}, overloaded: 0, aborted: 0, processErrors: 0, maxQueued: 0, connectionsRefused: 0 };

	private readonly _onDidRecord = this._register(new Emitter<NotificationRecord>());
	/** Every recorded POST, accepted or rejected, as soon as it is answered. */
	readonly onDidRecord: Event<NotificationRecord> = this._onDidRecord.event;
	private readonly _onDidProcess = this._register(new Emitter<NotificationRecord>());
	/** Accepted records after `process` ran. */
	readonly onDidProcess: Event<NotificationRecord> = this._onDidProcess.event;
	private readonly _onProcessError = this._register(new Emitter<{ record: NotificationRecord; error: unknown }>());
	readonly onProcessError: Event<{ record: NotificationRecord; error: unknown }> = this._onProcessError.event;

	constructor(private readonly options: CallbackReceiverOptions) {
		super();
		this._register(toDisposable(() => void this.stop()));
	}

	get isRunning(): boolean {
		return !!this.server && !!this.address;
	}

	get port(): number | undefined {
		return this.address?.port;
	}

	/** The local URL to post notifications to, e.g. http://127.0.0.1:PORT/api/calling; undefined while stopped. */
	get url(): string | undefined {
		if (!this.address) return undefined;
		const host = this.address.family === 'IPv6' ? `[${this.address.address}]` : this.address.address;
		return `http://${host}:${this.address.port}${this.options.path ?? '/api/calling'}`;
	}

	/** The path advertised in `url`. */
	get callbackPath(): string {
		return this.options.path ?? '/api/calling';
	}

	/**
	 * Expects one reachability probe carrying `nonce` (the PROBE_HEADER). It is answered 200 with the nonce echoed,
	 * never recorded or processed as a notification. Any other probe header is an ordinary request: a stranger who
	 * sends one learns nothing a plain POST would not tell.
	 */
	expectProbe(nonce: string): { readonly arrived: Promise<ProbeArrival>; dispose(): void } {
		let arrived!: (a: ProbeArrival) => void;
		const promise = new Promise<ProbeArrival>((resolve) => (arrived = resolve));
		this.probes.set(nonce, arrived);
		return { arrived: promise, dispose: () => this.probes.delete(nonce) };
	}

	get queued(): number {
		return this.queue.length;
	}

	async start(): Promise<string> {
		if (this.server) return this.url!;
		const host = this.options.host ?? '127.0.0.1';
		if (!isLoopbackAddress(host) && !this.options.allowRemote) throw new RemoteBindRefusedError(host, 'set allowRemote');
		const headersTimeout = this.options.headersTimeoutMs ?? HEADERS_TIMEOUT_MS;
		// The body timer below answers 408 itself (and records it); Node's requestTimeout is the backstop after it.
		const requestTimeout = headersTimeout + (this.options.bodyTimeoutMs ?? BODY_TIMEOUT_MS) + 1000;
		// Node checks these timeouts every connectionsCheckingInterval (30 s by default), which let slow clients stay.
		const server = http.createServer({ headersTimeout, requestTimeout, connectionsCheckingInterval: Math.min(500, headersTimeout / 2) }, (req, res) => this.onRequest(req, res));
		server.on('clientError', (err: NodeJS.ErrnoException, socket) => {
			const status = err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? '408 Request Timeout' : '400 Bad Request';
			if (socket.writable) socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\n\r\n`);
			else socket.destroy();
		});
		const maxConnections = this.options.maxConnections ?? MAX_CONNECTIONS;
		let open = 0;
		server.on('connection', (socket) => {
			if (open >= maxConnections) {
				// An explicit answer instead of a silent drop, so a real sender knows to retry.
				this.stats.connectionsRefused++;
				const body = JSON.stringify({ error: { code: 'tooManyConnections', message: `The receiver has ${maxConnections} connections open; retry shortly.` } });
				this.refusedSockets.add(socket);
				socket.end(`HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nRetry-After: 1\r\nConnection: close\r\n\r\n${body}`, () => socket.destroy());
				return;
			}
			open++;
			socket.once('close', () => open--);
		});
		this.server = server;
		try {
			await new Promise<void>((resolve, reject) => {
				server.once('error', reject);
				server.listen(this.options.port ?? 0, host, () => {
					server.off('error', reject);
					resolve();
				});
			});
		} catch (err) {
			this.server = undefined;
			const e = err as NodeJS.ErrnoException;
			if (e.code === 'EADDRINUSE') {
				throw new Error(`Port ${this.options.port} is already in use, so the callback receiver cannot start. Set "graphCalls.receiver.port" to another port, or 0 for any free port.`);
			}
			throw new Error(`The callback receiver could not listen on ${host}:${this.options.port ?? 0} (${e.message}).`);
		}
		this.address = server.address() as AddressInfo;
		this.hostGuard = new HostGuard({ boundAddress: host, port: this.address.port, scheme: 'http', publicHosts: this.options.publicHosts });
		return this.url!;
	}

	/** Stops accepting, lets in-flight requests finish and processes everything already accepted. */
	async stop(): Promise<void> {
		const server = this.server;
		if (!server) return;
		this.server = undefined;
		this.address = undefined;
		const closed = new Promise<void>((resolve) => server.close(() => resolve()));
		server.closeIdleConnections();
		await Promise.race([this.whenIdle(), new Promise((r) => setTimeout(r, 2000).unref())]);
		server.closeAllConnections();
		await closed;
	}

	/** Resolves when no request is in flight and every accepted record has been processed. */
	whenIdle(): Promise<void> {
		if (this.inFlight === 0 && this.queue.length === 0 && !this.draining) return Promise.resolve();
		return new Promise((resolve) => this.idleWaiters.push(resolve));
	}

	private reject(res: http.ServerResponse, status: number, message: string, extraHeaders: Record<string, string> = {}, close = false): void {
		this.stats.rejected[status] = (this.stats.rejected[status] ?? 0) + 1;
		const body = JSON.stringify({ error: { code: String(status), message } });
		res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...(close ? { connection: 'close' } : {}), ...extraHeaders });
		res.end(body);
	}

	private onRequest(req: http.IncomingMessage, res: http.ServerResponse): void {
		if (this.refusedSockets.has(req.socket)) {
			req.resume();
			return;
		}
		this.stats.received++;
		res.on('error', () => undefined);
		const misdirected = this.hostGuard?.refuseHost(req.headers.host);
		if (misdirected) {
			req.resume();
			this.reject(res, 421, misdirected, {}, true);
			return;
		}
		const path = (req.url ?? '/').split('?')[0];
		const probe = req.headers[PROBE_HEADER];
		const arrived = typeof probe === 'string' ? this.probes.get(probe) : undefined;
		if (arrived && typeof probe === 'string') {
			// Checked after the Host guard: a probe through a name the receiver does not serve is refused like anything else.
			this.probes.delete(probe);
			this.stats.probes++;
			req.resume();
			res.writeHead(200, { [PROBE_HEADER]: probe, 'content-length': '0', 'cache-control': 'no-store' }).end();
			arrived({ path, host: req.headers.host ?? '' });
			return;
		}
		if (req.method === 'GET' && (path === '/' || path === '/health')) {
			req.resume();
			const body = JSON.stringify({ receiver: 'Graph Calls Workbench', accepted: this.stats.accepted, queued: this.queue.length });
			res.writeHead(200, { 'content-type': 'application/json' }).end(body);
			return;
		}
		if (req.method !== 'POST') {
			req.resume();
			this.reject(res, 405, `Graph notifications are POSTed; ${req.method} is not supported here.`, { allow: 'POST' });
			return;
		}
		const limit = this.options.queueLimit ?? 1000;
		if (this.inFlight + this.queue.length + this.processing >= limit) {
			// Explicit back-pressure: the sender knows this one was not taken and can retry.
			this.stats.overloaded++;
			this.stats.rejected[503] = (this.stats.rejected[503] ?? 0) + 1;
			req.resume();
			const body = JSON.stringify({ error: { code: 'receiverBusy', message: `The receiver has ${limit} notifications waiting; retry shortly.` } });
			res.writeHead(503, { 'content-type': 'application/json', 'retry-after': '1', 'content-length': Buffer.byteLength(body) });
			res.end(body);
			return;
		}
		this.inFlight++;
		let done = false;
		let timer: NodeJS.Timeout | undefined = undefined;
		const finish = () => {
			if (done) return;
			done = true;
			this.inFlight--;
			clearTimeout(timer);
			this.checkIdle();
		};
		const headers = flatHeaders(req.headers);
		const base = { method: req.method, path, headers };
		const maxBytes = this.options.maxBodyBytes ?? 1024 * 1024;
		const contentType = headers['content-type'] ?? '';

		const recordRejected = (status: number, reason: string, body = '', extra: Partial<NotificationRecord> = {}) => {
			const record = this.makeRecord(base, body, status, { accepted: false, valid: false, reason, ...extra });
			this._onDidRecord.fire(record);
			return record;
		};

		if (!JSON_TYPE.test(contentType)) {
			req.resume();
			recordRejected(415, `Content-Type is "${contentType || 'missing'}"; Graph sends application/json.`);
			this.reject(res, 415, 'Notifications must be application/json.');
			finish();
			return;
		}
		const declared = Number(headers['content-length']);
		if (Number.isFinite(declared) && declared > maxBytes) {
			recordRejected(413, `The body is ${declared} bytes, above the receiver's limit of ${maxBytes}.`);
			this.reject(res, 413, `Body larger than ${maxBytes} bytes.`, {}, true);
			req.destroy();
			finish();
			return;
		}
		timer = setTimeout(() => {
			if (done) return;
			recordRejected(408, `The body did not arrive within ${this.options.bodyTimeoutMs ?? BODY_TIMEOUT_MS} ms; the connection was closed.`);
			this.reject(res, 408, 'Body not received in time.', {}, true);
			req.destroy();
			finish();
		}, this.options.bodyTimeoutMs ?? BODY_TIMEOUT_MS);
		timer.unref();

		const chunks: Buffer[] = [];
		let size = 0;
		req.on('data', (chunk: Buffer) => {
			if (done) return;
			size += chunk.length;
			if (size > maxBytes) {
				recordRejected(413, `The body exceeded the receiver's limit of ${maxBytes} bytes.`, Buffer.concat(chunks).toString('utf8').slice(0, 2048));
				this.reject(res, 413, `Body larger than ${maxBytes} bytes.`, {}, true);
				req.destroy();
				finish();
				return;
			}
			chunks.push(chunk);
		});
		req.on('error', () => {
			if (done) return;
			this.stats.aborted++;
			finish();
		});
		req.on('close', () => {
			if (done || req.complete) return;
			this.stats.aborted++;
			finish();
		});
		req.on('end', () => {
			if (done) return;
			clearTimeout(timer);
			const body = Buffer.concat(chunks).toString('utf8');
			void this.judge(base, body, headers.authorization, res).finally(finish);
		});
	}

	private async judge(base: { method?: string; path: string; headers: Record<string, string> }, body: string, authorization: string | undefined, res: http.ServerResponse): Promise<void> {
		let auth: AuthDecision;
		try {
			auth = await this.options.authenticate(authorization);
		} catch (err) {
			auth = { accept: false, valid: false, status: 503, reason: `Validation failed unexpectedly (${(err as Error).message}).` };
		}
		const authFields = { valid: auth.valid, reason: auth.reason, relaxed: auth.relaxed, profileName: auth.profileName, tokenClaims: auth.claims };
		if (!auth.accept) {
			const status = auth.status ?? 403;
			const parsed = parseCommsNotifications(body);
			const record = this.makeRecord(base, body, status, { accepted: false, ...authFields }, parsed);
			this._onDidRecord.fire(record);
			this.reject(res, status, auth.reason ?? 'The notification token is not valid.');
			return;
		}
		const parsed = parseCommsNotifications(body);
		if (!parsed.ok) {
			const record = this.makeRecord(base, body, 400, { accepted: false, ...authFields, reason: parsed.error }, parsed);
			this._onDidRecord.fire(record);
			this.reject(res, 400, parsed.error);
			return;
		}
		const record = this.makeRecord(base, body, 202, { accepted: true, ...authFields }, parsed);
		this.stats.accepted++;
		this.queue.push(record);
		this.stats.maxQueued = Math.max(this.stats.maxQueued, this.queue.length);
		res.writeHead(202, { 'content-length': '0' }).end();
		this._onDidRecord.fire(record);
		this.scheduleDrain();
	}

	private makeRecord(
		base: { method?: string; path: string; headers: Record<string, string> },
		body: string,
		status: number,
		fields: Pick<NotificationRecord, 'accepted' | 'valid'> & Partial<NotificationRecord>,
		parsed?: ReturnType<typeof parseCommsNotifications>,
	): NotificationRecord {
		const seq = ++this.seq;
		const notifications = parsed?.ok ? parsed.notifications : [];
		const warnings = parsed ? (parsed.ok ? parsed.warnings : [parsed.error]) : [];
		const record: NotificationRecord = {
			id: `n${seq}`,
			seq,
			receivedAt: new Date().toISOString(),
			method: base.method ?? 'POST',
			path: redactPath(base.path),
			headers: redactHeaders(base.headers),
			body,
			notifications,
			summaries: notifications.map(summarizeNotification),
			warnings,
			responseStatus: status,
			replays: [],
			...fields,
		};
		attachForwardHeaders(record, base.headers);
		return record;
	}

	private scheduleDrain(): void {
		if (this.draining) return;
		this.draining = true;
		setImmediate(() => void this.drain());
	}

	private async drain(): Promise<void> {
		try {
			let record: NotificationRecord | undefined;
			while ((record = this.queue.shift())) {
				this.processing = 1;
				try {
					await this.options.process?.(record);
				} catch (error) {
					this.stats.processErrors++;
					this._onProcessError.fire({ record, error });
				} finally {
					this.processing = 0;
				}
				this.stats.processed++;
				this._onDidProcess.fire(record);
			}
		} finally {
			this.draining = false;
			this.checkIdle();
		}
	}

	private checkIdle(): void {
		if (this.inFlight === 0 && this.queue.length === 0 && !this.draining) {
			for (const w of this.idleWaiters.splice(0)) w();
		}
	}
}

function flatHeaders(h: http.IncomingHttpHeaders): Record<string, string> {
	const out: Record<string, string> = {};
	for (const [k, v] of Object.entries(h)) {
		if (v !== undefined) out[k] = Array.isArray(v) ? v.join(', ') : v;
	}
	return out;
}
