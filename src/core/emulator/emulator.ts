import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isAllowed, permissionsFor, type Permission } from '../schema/endpoints';
import { Emitter } from '../event';
import { Disposable, toDisposable } from '../lifecycle';
import { HostGuard, isLoopbackAddress, RemoteBindRefusedError } from '../localServerGuard';
import { CallEngine, DEFAULT_TIMINGS, type CallRecord, type EmulatorTimings } from './callEngine';
import { Clock } from './clock';
import { controlRouter, type ControlHandler, type ControlledEmulator } from './controlApi';
import { defaultApp, defaultDirectory, EMULATOR_TENANT, publicApp, validateDirectory, type AppRegistration, type Directory } from './directory';
import { EntraService } from './entra';
import { EventFeed } from './eventFeed';
import { emptyFaults, FaultInjector, validateFaults, type FaultConfig } from './faults';
import { forbidden, graphHandlers, graphRouter } from './graphApi';
import { GraphHttpError, graphErrorBody, jsonBody, Router, type Reply, type RequestContext } from './http';
import type { Scenario, ScenarioEvent } from './scenario';
import { callingServiceRefusal } from './appSetup';
import { ResourceManagerStandIn } from './resourceManager';
import { SigningKey } from './signingKeys';
import { defaultStateDir } from './stateDir';
import { loadOrCreateTls, type TlsMaterial } from './tls';
import { WEBHOOK_ISSUER, WebhookDispatcher, type WebhookOptions } from './webhooks';

export interface EmulatorOptions {
	/** Default 127.0.0.1. Addresses beyond loopback are refused unless `allowRemote` is set. */
	host?: string;
	/** Listen on a non-loopback `host` (other machines can then reach an unauthenticated server). */
	allowRemote?: boolean;
	/** Default 0: any free port. */
	port?: number;
	/** Where the CA, certificates and keys live (created once). Default ~/.graph-calls-emulator. */
	stateDir?: string;
	timings?: Partial<EmulatorTimings>;
	/** Emulated time runs this many times faster than real time. */
	clockSpeed?: number;
	directory?: Directory;
	/** Roles of the default app (default: all five calls permissions). */
	roles?: Permission[];
	/** Extra apps registered in the tenant. */
	apps?: AppRegistration[];
	/** Where incoming-call notifications for the default app go. */
	callingWebhook?: string;
	faults?: FaultConfig;
	webhooks?: Partial<WebhookOptions>;
	/** Lifetime of issued access tokens in seconds (default 3599). */
	tokenLifetimeSeconds?: number;
	scenario?: Scenario;
	/** Human-readable log lines (never secrets or tokens). */
	log?: (line: string) => void;
}

/** One request the emulator served, for logs and tests. */
export interface ServedRequest {
	method: string;
	path: string;
	status: number;
	action?: string;
	/** The app whose token the request carried (Graph requests that got past authentication). */
	appId?: string;
	requestId: string;
	durationMs: number;
	/**
	 * Wall-clock start (ms since the epoch), path with query, headers (Authorization redacted) and bodies as sent:
	 * what a traffic record needs. Bodies are not redacted (a token request carries the client secret).
	 */
	startedAt: number;
	url: string;
	requestHeaders: Readonly<Record<string, string | string[] | undefined>>;
	requestBody: string;
	responseHeaders: Readonly<Record<string, string>>;
	responseBody?: unknown;
}

const MAX_BODY = 1024 * 1024;

/** The running emulator: an HTTPS server on loopback with the Entra, Graph, webhook and control sides. */
export class Emulator extends Disposable implements ControlledEmulator {
	readonly clock: Clock;
	readonly faults: FaultInjector;
	readonly engine: CallEngine;
	readonly webhooks: WebhookDispatcher;
	readonly entra: EntraService;
	readonly apps = new Map<string, AppRegistration>();
	private readonly server: Server;
	private readonly graphRoutes = graphRouter();
	private readonly handlers: ReturnType<typeof graphHandlers>;
	private readonly control: Router<ControlHandler>;
	private readonly resourceManager: ResourceManagerStandIn;
	private readonly sockets = new Set<import('node:stream').Duplex>();
	private readonly _onDidServe = this._register(new Emitter<ServedRequest>());
	readonly onDidServe = this._onDidServe.event;
	/** Served requests, deliveries and call changes as they happen: GET /_emulator/events and /_emulator/traffic. */
	readonly feed: EventFeed;
	private readonly initial: { directory: Directory; faults: FaultConfig; roles: Permission[]; timings: EmulatorTimings; speed: number };
	private scenarioEvents: ScenarioEvent[] = [];
	private port = 0;
	readonly log: (line: string) => void;

	private constructor(readonly options: EmulatorOptions, readonly tls: TlsMaterial, tokenKey: SigningKey, readonly webhookKey: SigningKey) {
		super();
		this.log = options.log ?? (() => undefined);
		const scenario = options.scenario;
		const timings = { ...DEFAULT_TIMINGS, ...scenario?.timings, ...options.timings };
		const speed = options.clockSpeed ?? scenario?.clockSpeed ?? 1;
		let directory = options.directory ? validateDirectory(options.directory) : defaultDirectory();
		if (scenario?.directory) {
			directory = scenario.extendDirectory
				? { users: [...directory.users, ...scenario.directory.users], phones: [...directory.phones, ...scenario.directory.phones], meetings: [...directory.meetings, ...scenario.directory.meetings] }
				: scenario.directory;
		}
		const faults = options.faults ? validateFaults(options.faults) : scenario?.faults ?? emptyFaults();
		const app = defaultApp(tls.clientCertPem);
		app.roles = [...(options.roles ?? scenario?.roles ?? app.roles)];
		app.callingWebhook = options.callingWebhook ?? scenario?.callingWebhook;
		this.initial = { directory: structuredClone(directory), faults: structuredClone(faults), roles: [...app.roles], timings, speed };
		this.apps.set(app.clientId.toLowerCase(), app);
		for (const extra of options.apps ?? []) this.apps.set(extra.clientId.toLowerCase(), { ...extra });

		this.clock = this._register(new Clock(speed));
		this.faults = new FaultInjector(faults);
		this.entra = new EntraService(() => this.origin, { tenantId: EMULATOR_TENANT.tenantId, domain: EMULATOR_TENANT.domain }, this.apps, tokenKey, { tokenLifetimeSeconds: options.tokenLifetimeSeconds ?? 3599 });
		this.entra.tokenEndpointDown = faults.tokenEndpointDown;
		this.webhooks = this._register(new WebhookDispatcher(webhookKey, this.clock, this.faults, {
			attempts: 4, retryBaseMs: 500, ackTimeoutMs: 5000, reorderHoldMs: 150, ...options.webhooks,
		}));
		this.feed = this._register(new EventFeed({ origin: () => this.origin, clock: this.clock, apps: this.apps, onDidServe: this.onDidServe, onDidDeliver: this.webhooks.onDidDeliver }));
		this.engine = new CallEngine(this.clock, timings, structuredClone(directory), (call, notifications) => {
			this.feed.callChanged(call);
			this.webhooks.send(call.resource.callbackUri, call.appId, call.tenantId, notifications);
			this.onNotified(call, notifications);
		}, () => this.origin);
		this._register(toDisposable(() => this.engine.dispose()));
		this.handlers = graphHandlers(this.engine);
		this.control = controlRouter(this);
		this.resourceManager = new ResourceManagerStandIn(this.apps, (token) => this.entra.verifyManagementToken(token));
		this.scenarioEvents = scenario?.events ?? [];

		this.server = createServer({ key: tls.serverKeyPem, cert: tls.serverCertPem, keepAlive: true }, (req, res) => this.onRequest(req, res));
		this.server.keepAliveTimeout = 5000;
		this.server.on('connection', (s) => {
			this.sockets.add(s);
			s.on('close', () => this.sockets.delete(s));
		});
	}

	static async start(options: EmulatorOptions = {}): Promise<Emulator> {
		const host = options.host ?? '127.0.0.1';
		if (!isLoopbackAddress(host) && !options.allowRemote) throw new RemoteBindRefusedError(host, 'set allowRemote (the CLI\'s --allow-remote)');
		const stateDir = options.stateDir ?? defaultStateDir();
		const [tls, tokenKey, webhookKey] = await Promise.all([
			loadOrCreateTls(stateDir),
			SigningKey.loadOrCreate(stateDir, 'token-key'),
			SigningKey.loadOrCreate(stateDir, 'webhook-key'),
		]);
		const emulator = new Emulator(options, tls, tokenKey, webhookKey);
		await emulator.listen(host, options.port ?? 0);
		emulator.runStartEvents();
		return emulator;
	}

	private listen(host: string, port: number): Promise<void> {
		return new Promise((resolve, reject) => {
			const onError = (err: NodeJS.ErrnoException) => {
				reject(new Error(err.code === 'EADDRINUSE'
					? `Port ${port} on ${host} is already in use: stop the other emulator or pass --port 0 for a free port.`
					: `The emulator could not listen on ${host}:${port} (${err.message}).`));
			};
			this.server.once('error', onError);
			this.server.listen(port, host, () => {
				this.server.off('error', onError);
				this.port = (this.server.address() as AddressInfo).port;
				this.host = host;
				this.hostGuard = new HostGuard({ boundAddress: host, port: this.port, scheme: 'https' });
				resolve();
			});
		});
	}

	private host = '127.0.0.1';
	private hostGuard: HostGuard | undefined;

	/** Where the server really listens (0.0.0.0 when allowed everywhere), unlike `origin`, the URL clients here use. */
	get listenUrl(): string {
		return `https://${this.host.includes(':') ? `[${this.host}]` : this.host}:${this.port}`;
	}

	get origin(): string {
		const h = this.host.includes(':') ? `[${this.host}]` : this.host === '0.0.0.0' ? '127.0.0.1' : this.host;
		return `https://${h}:${this.port}`;
	}

	// ---- mutable configuration (control API and programmatic) ----------------------------------------------

	get defaultApp(): AppRegistration {
		return this.apps.get(EMULATOR_TENANT.clientId.toLowerCase())!;
	}

	app(clientId: string): AppRegistration {
		const app = this.apps.get(clientId.toLowerCase());
		if (!app) throw new GraphHttpError(404, 'itemNotFound', `No app ${clientId} in the emulator: GET /_emulator/apps lists them.`);
		return app;
	}

	setFaults(config: FaultConfig): void {
		const valid = validateFaults(config);
		this.faults.set(valid);
		this.entra.tokenEndpointDown = valid.tokenEndpointDown;
	}

	setDirectory(directory: Directory): void {
		this.engine.directory = validateDirectory(directory);
	}

	/** Ends every call silently, clears counters and restores the start configuration. */
	async reset(): Promise<void> {
		this.engine.reset();
		this.setFaults(structuredClone(this.initial.faults));
		this.faults.resetCounters();
		this.engine.directory = structuredClone(this.initial.directory);
		this.engine.timings = { ...this.initial.timings };
		this.defaultApp.roles = [...this.initial.roles];
		for (const app of this.apps.values()) delete app.setup;
		this.clock.setSpeed(this.initial.speed);
		this.webhooks.history.length = 0;
	}

	incomingCall(input: { from: { userId?: string; phone?: string }; callbackUri?: string; appId?: string }): CallRecord {
		const app = this.app(input.appId ?? EMULATOR_TENANT.clientId);
		const callbackUri = input.callbackUri ?? app.callingWebhook;
		if (!callbackUri) throw new GraphHttpError(400, 'BadRequest', `Nowhere to send the incoming call: pass "callbackUri" or set the app's calling webhook (PUT /_emulator/apps/${app.clientId} {"callingWebhook": "https://..."}).`);
		return this.engine.lifecycle.incoming(app.clientId, EMULATOR_TENANT.tenantId, callbackUri, input.from);
	}

	state(): unknown {
		return {
			origin: this.origin,
			clock: { speed: this.clock.speed, now: new Date(this.clock.now()).toISOString() },
			timings: this.engine.timings,
			calls: this.engine.list().map((c) => ({
				call: c.resource,
				kind: c.kind,
				appId: c.appId,
				subscribedToTone: c.subscribedToTone,
				participants: [...c.participants.values()],
				operations: [...c.operations.values()],
				audioRoutingGroups: [...c.audioRoutingGroups.values()],
			})),
			endedCalls: this.engine.endedCalls().slice(-100),
			apps: [...this.apps.values()].map(publicApp),
			faults: this.faults.current,
			counters: this.faults.counters,
			actions: this.engine.actions,
			notifications: { delivered: this.webhooks.history.filter((h) => h.delivered).length, failed: this.webhooks.history.filter((h) => !h.delivered).length },
		};
	}

	// ---- scenario events ---------------------------------------------------------------------------------

	private runStartEvents(): void {
		for (const e of this.scenarioEvents.filter((x) => x.on === 'start')) {
			this.clock.setTimeout(() => this.runEvent(e, undefined), e.afterMs);
		}
	}

	private readonly establishedOnce = new WeakSet<CallRecord>();

	private onNotified(call: CallRecord, notifications: { changeType: string; resourceData?: unknown }[]): void {
		if (!this.scenarioEvents.length || this.establishedOnce.has(call)) return;
		const established = notifications.some((n) => (n.resourceData as { state?: string } | undefined)?.state === 'established');
		if (!established) return;
		this.establishedOnce.add(call);
		for (const e of this.scenarioEvents.filter((x) => x.on === 'callEstablished')) {
			this.clock.setTimeout(() => this.runEvent(e, call), e.afterMs);
		}
	}

	private runEvent(e: ScenarioEvent, call: CallRecord | undefined): void {
		try {
			const live = call && this.engine.list().includes(call) ? call : undefined;
			switch (e.do) {
				case 'incomingCall': this.incomingCall({ from: e.from ?? {}, callbackUri: e.callbackUri }); break;
				case 'setFaults': this.setFaults(e.faults ?? emptyFaults()); break;
				case 'pressKeys': if (live) this.engine.media.pressKeys(live, e.keys ?? ''); break;
				case 'join': if (live) this.engine.participants.join(live, { userId: e.userId, displayName: e.displayName }); break;
				case 'leave': {
					const other = live && [...live.participants.values()].find((p) => p.id !== live.botParticipantId);
					if (live && other) this.engine.participants.leave(live, other.id);
					break;
				}
				case 'hangUp': if (live) this.engine.lifecycle.hangUp(live); break;
				case 'hold': if (live) this.engine.lifecycle.hold(live, true); break;
				case 'resume': if (live) this.engine.lifecycle.hold(live, false); break;
			}
			this.log(`scenario: ${e.do}${live ? ` on call ${live.id}` : ''}`);
		} catch (err) {
			this.log(`scenario: ${e.do} failed: ${(err as Error).message}`);
		}
	}

	// ---- HTTP ---------------------------------------------------------------------------------------------

	private onRequest(req: IncomingMessage, res: ServerResponse): void {
		const started = performance.now();
		const startedAt = Date.now();
		const chunks: Buffer[] = [];
		let size = 0;
		req.on('data', (c: Buffer) => {
			size += c.length;
			if (size <= MAX_BODY) chunks.push(c);
		});
		req.on('end', () => {
			const url = new URL(req.url ?? '/', 'https://emulator.local');
			const clientRequestId = header(req, 'client-request-id');
			const ctx: RequestContext = {
				req,
				method: req.method ?? 'GET',
				path: url.pathname.replace(/\/+$/, '') || '/',
				query: url.searchParams,
				requestId: randomUUID(),
				clientRequestId,
				rawBody: Buffer.concat(chunks),
				params: {},
				extraHeaders: {},
			};
			let action: string | undefined;
			const finish = (reply: Reply) => {
				const responseHeaders = this.write(res, ctx, reply);
				const served: ServedRequest = {
					method: ctx.method, path: ctx.path, status: reply.status, action, appId: ctx.callerAppId, requestId: ctx.requestId, durationMs: performance.now() - started,
					// The bearer token stays here: listeners log and show these records.
					startedAt, url: req.url ?? ctx.path, requestHeaders: { ...req.headers, ...(req.headers.authorization ? { authorization: '[redacted]' } : {}) },
					requestBody: ctx.rawBody.toString('utf8'), responseHeaders, responseBody: reply.raw ? undefined : reply.body,
				};
				this._onDidServe.fire(served);
				if (reply.status >= 400) this.log(`${ctx.method} ${ctx.path} -> ${reply.status}${action ? ` (${action})` : ''}`);
			};
			const misdirected = this.hostGuard?.refuseHost(req.headers.host);
			if (misdirected) {
				finish(this.errorReply(ctx, new GraphHttpError(421, 'MisdirectedRequest', misdirected)));
				return;
			}
			if (size > MAX_BODY) {
				finish(this.errorReply(ctx, new GraphHttpError(413, 'RequestEntityTooLarge', `The request body is larger than ${MAX_BODY} bytes.`)));
				return;
			}
			this.route(ctx, (a) => (action = a)).then(finish, (err) => finish(this.errorReply(ctx, err)));
		});
	}

	private async route(ctx: RequestContext, setAction: (a: string) => void): Promise<Reply> {
		// Graph takes a bound action by its name or namespace-qualified (call-senddtmftones.md posts to .../microsoft.graph.sendDtmfTones).
		const p = ctx.path.replace(/\/microsoft\.graph\.(\w+)$/, '/$1');
		if (p.startsWith('/v1.0/') || p.startsWith('/beta/') || p === '/v1.0' || p === '/beta') {
			const m = this.graphRoutes.match(ctx.method, p);
			if (!m) throw new GraphHttpError(400, 'BadRequest', `Resource not found for the segment '${p.split('/').pop()}': the emulator serves the calls API under /communications/calls (see docs/emulator.md).`);
			if ('methodNotAllowed' in m) throw new GraphHttpError(405, 'Request_BadRequest', `${ctx.method} is not supported on ${p}.`);
			setAction(m.value);
			ctx.params = m.params;
			const caller = this.entra.authenticate(ctx);
			const refusal = callingServiceRefusal(this.apps.get(caller.appId.toLowerCase())?.setup, caller.tenantId, this.entra.tenant.tenantId);
			if (refusal) throw refusal;
			ctx.callerAppId = caller.appId;
			await this.applyFaults(m.value, caller.appId, ctx.clientRequestId);
			const roles = this.entra.effectiveRoles(caller);
			if (!isAllowed(m.value, roles)) throw forbidden(m.value, permissionsFor(m.value), caller.appId);
			const version = p.startsWith('/beta') ? 'beta' : 'v1.0';
			let body: Record<string, unknown> | undefined;
			if (m.value === 'call.create') {
				body = jsonBody(ctx);
				const need = this.engine.lifecycle.classify(body);
				if (!need.anyOf.some((r) => roles.includes(r as Permission))) throw forbidden(`${m.value} (${need.kind})`, need.anyOf, caller.appId);
				const media = (body.mediaConfig as { '@odata.type'?: string } | undefined)?.['@odata.type'];
				if (media === '#microsoft.graph.appHostedMediaConfig' && !roles.includes('Calls.AccessMedia.All')) throw forbidden(`${m.value} with app-hosted media`, ['Calls.AccessMedia.All'], caller.appId);
			}
			const callbackUri = (body ?? safeJson(ctx))?.callbackUri;
			if (typeof callbackUri === 'string' && callbackUri.startsWith('http:')) {
				ctx.extraHeaders['x-emulator-warning'] = 'callbackUri uses http, accepted on loopback only: the real service requires https.';
			}
			return this.handlers[m.value]({ ctx, caller, version, versionBase: `${this.origin}/${version}` });
		}
		if (p === '/_emulator' || p.startsWith('/_emulator/')) {
			const m = this.control.match(ctx.method, p);
			if (!m) throw new GraphHttpError(404, 'itemNotFound', `No control endpoint ${ctx.method} ${p}: GET /_emulator lists them.`);
			if ('methodNotAllowed' in m) throw new GraphHttpError(405, 'MethodNotAllowed', `${ctx.method} is not supported on ${p}.`);
			this.checkControlRequest(ctx);
			ctx.params = m.params;
			return m.value(ctx);
		}
		if (p === '/v1/.well-known/OpenIdConfiguration' || p === '/v1/.well-known/openidconfiguration') {
			return { status: 200, body: { issuer: WEBHOOK_ISSUER, jwks_uri: `${this.origin}/v1/keys`, id_token_signing_alg_values_supported: ['RS256'], token_endpoint_auth_methods_supported: ['private_key_jwt'] } };
		}
		if (p === '/v1/keys') return { status: 200, body: { keys: [this.webhookKey.publicJwk] } };
		if (p === '/') return { status: 200, body: { name: 'Graph calls emulator', graphBaseUrl: `${this.origin}/v1.0`, authority: this.entra.authority(), controlUrl: `${this.origin}/_emulator` } };
		if (/\/oauth2\/(v2\.0\/)?token$/.test(p)) {
			setAction('token');
			const client = ctx.req.socket.remoteAddress ?? 'client';
			if (this.entra.tokenEndpointDown) {
				this.faults.counters.tokenEndpointRefusals++;
			} else {
				try {
					await this.applyFaults('token', client);
				} catch (err) {
					// Injected token-endpoint faults speak Entra's error shape, which is what msal-node parses.
					if (!(err instanceof GraphHttpError)) throw err;
					const code = err.status === 429 ? 'AADSTS90055' : 'AADSTS90033';
					return this.entra.entraError(ctx, err.status, err.status === 429 ? 'temporarily_unavailable' : 'server_error', Number(code.slice(6)), `${err.message}`, err.headers);
				}
			}
		}
		const entra = this.entra.handle(ctx) ?? this.resourceManager.handle(ctx);
		if (entra) return entra;
		throw new GraphHttpError(404, 'itemNotFound', `Nothing is served at ${p}. Graph is under /v1.0 and /beta, Entra ID under /${EMULATOR_TENANT.tenantId}, the control API under /_emulator.`);
	}

	/**
	 * The control API has no authentication, so it takes requests only from tools on this machine: a web page's
	 * cross-site request carries its Origin, and a "simple" cross-site POST cannot be application/json.
	 */
	private checkControlRequest(ctx: RequestContext): void {
		const foreignOrigin = this.hostGuard?.refuseOrigin(header(ctx.req, 'origin'));
		if (foreignOrigin) throw new GraphHttpError(403, 'ForbiddenOrigin', foreignOrigin);
		if (ctx.method === 'POST' && !/^application\/json\s*(;|$)/i.test(header(ctx.req, 'content-type') ?? '')) {
			throw new GraphHttpError(415, 'UnsupportedMediaType', `Control API POSTs must be sent with Content-Type: application/json (this one is "${(header(ctx.req, 'content-type') ?? 'missing').slice(0, 100)}"), even with an empty body: that is what keeps web pages from posting here.`);
		}
	}

	private async applyFaults(route: string, client: string, clientRequestId?: string): Promise<void> {
		const decision = this.faults.beforeRequest(route, client, clientRequestId);
		if (decision.delayMs > 0) await new Promise((r) => setTimeout(r, decision.delayMs));
		if (decision.error) throw decision.error;
	}

	private errorReply(ctx: RequestContext, err: unknown): Reply {
		if (err instanceof GraphHttpError) {
			return { status: err.status, headers: err.headers, body: graphErrorBody(ctx, err.code, err.message) };
		}
		this.log(`internal error on ${ctx.method} ${ctx.path}: ${(err as Error)?.stack ?? String(err)}`);
		return { status: 500, body: graphErrorBody(ctx, 'InternalServerError', `The emulator failed: ${(err as Error)?.message ?? String(err)}. This is an emulator bug: please report it with the log.`) };
	}

	private write(res: ServerResponse, ctx: RequestContext, reply: Reply): Record<string, string> {
		const headers: Record<string, string> = {
			'request-id': ctx.requestId,
			'client-request-id': ctx.clientRequestId ?? ctx.requestId,
			'x-ms-ags-diagnostic': '{"ServerInfo":{"DataCenter":"Emulator","Slice":"E","Ring":"0","ScaleUnit":"000","RoleInstance":"local"}}',
			'Cache-Control': 'no-store',
			...ctx.extraHeaders,
			...reply.headers,
		};
		let payload: Buffer | undefined;
		if (reply.stream) {
			res.writeHead(reply.status, headers);
			reply.stream(res);
			return headers;
		}
		if (reply.raw) {
			headers['Content-Type'] = reply.raw.contentType;
			payload = reply.raw.data;
		} else if (reply.body !== undefined && reply.status !== 204) {
			headers['Content-Type'] = 'application/json; charset=utf-8';
			payload = Buffer.from(JSON.stringify(reply.body));
		}
		headers['Content-Length'] = String(payload?.length ?? 0);
		res.writeHead(reply.status, headers);
		res.end(payload);
		return headers;
	}

	/** Stops listening, ends connections and timers. Webhooks still queued are dropped. */
	async stop(): Promise<void> {
		if (this.isDisposed) return;
		const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
		this.server.closeIdleConnections?.();
		for (const s of this.sockets) s.destroy();
		this.dispose();
		await closed;
	}

	get listeningPort(): number {
		return this.port;
	}
}

function header(req: IncomingMessage, name: string): string | undefined {
	const v = req.headers[name];
	return Array.isArray(v) ? v[0] : v;
}

function safeJson(ctx: RequestContext): Record<string, unknown> | undefined {
	if (!ctx.rawBody.length || ctx.rawBody[0] !== 0x7b || !ctx.rawBody.includes('"callbackUri"')) return undefined;
	try {
		return JSON.parse(ctx.rawBody.toString('utf8'));
	} catch {
		return undefined;
	}
}
