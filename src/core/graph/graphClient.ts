import { randomUUID } from 'node:crypto';
import type { Agent } from 'undici';
import { undici } from '../lazyUndici';
import type { TokenProvider } from '../auth/tokenProvider';
import { Emitter, type Event } from '../event';
import { Disposable, toDisposable } from '../lifecycle';
import type { CallAction } from './endpoints';
import { GraphError, RequestCancelledError } from './graphError';
import { isGraphHostUrl } from './graphUrl';
import { Redactor } from './redaction';
import { DEFAULT_RETRY, decideRetry, parseRetryAfter, RETRY_AFTER_MARGIN_MS, sleep, type AttemptFailure, type RetryOptions } from './retryPolicy';

export { isProfileGraphUrl } from './graphUrl';

export interface GraphClientOptions {
	/** Shown in events and logs. */
	readonly profileName: string;
	/** Graph root including the version, from graphBaseUrlOf(profile). */
	readonly baseUrl: string;
	/** Graph root without the version, from graphHostOf(profile): the only origin that gets the bearer token. */
	readonly graphHost: string;
	readonly tokenProvider: TokenProvider;
	/** Extra CA (the emulator's): when set, it is the only CA trusted by this profile's connections. */
	readonly caCertPem?: string;
	/** Per-attempt timeout; default 30 s. */
	readonly timeoutMs?: number;
	readonly retry?: Partial<RetryOptions>;
	readonly userAgent?: string;
}

export interface GraphRequest {
	readonly method: string;
	/** Path below baseUrl, for example /communications/calls/{id}. Either path or url. */
	readonly path?: string;
	/** Absolute URL (for example a Location header or an @odata.nextLink). */
	readonly url?: string;
	/** Objects are sent as JSON; strings are sent as they are. */
	readonly body?: unknown;
	readonly headers?: Readonly<Record<string, string>>;
	readonly signal?: AbortSignal;
	readonly timeoutMs?: number;
	/** Names the endpoint, so a 403 can name the missing permission. */
	readonly action?: CallAction;
	/** Return 4xx/5xx answers instead of throwing GraphError (request documents show them as they are). */
	readonly acceptAnyStatus?: boolean;
}

export interface GraphResponse<T = unknown> {
	readonly status: number;
	readonly headers: Readonly<Record<string, string>>;
	/** Parsed JSON, text, or undefined for an empty body. Not redacted: it is the caller's data. */
	readonly body: T;
	/** From the start of the first attempt to the end of the last one, waits included. */
	readonly durationMs: number;
	readonly requestId?: string;
	readonly clientRequestId: string;
	readonly attempts: number;
	readonly url: string;
}

/** One HTTP exchange (each attempt and each redirect hop), already redacted: safe to log and export. */
export interface GraphRequestEvent {
	readonly sequence: number;
	readonly profileName: string;
	readonly startedDateTime: string;
	readonly method: string;
	readonly url: string;
	/** URL path below the version root when inside it (for the one-line log), else the full URL. */
	readonly path: string;
	readonly action?: CallAction;
	readonly attempt: number;
	readonly clientRequestId: string;
	readonly requestId?: string;
	readonly requestHeaders: Readonly<Record<string, string>>;
	readonly requestBody?: unknown;
	readonly status?: number;
	readonly responseHeaders?: Readonly<Record<string, string>>;
	readonly responseBody?: unknown;
	readonly durationMs: number;
	/** Network failure or timeout, when there was no HTTP answer. */
	readonly error?: string;
	/** What the client does next: retry after a delay, refresh the token, follow a redirect. */
	readonly next?: string;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const MAX_REDIRECTS = 5;
/** Connection failures that happen before a byte of the request is written: safe to retry for any method. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);
/** TLS trust failures: a configuration problem, never worth a retry. */
const TLS_CODES = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS|ERR_SSL/;

function errorCode(err: unknown): string | undefined {
	const e = err as { code?: unknown; cause?: { code?: unknown } } | undefined;
	const code = e?.code ?? e?.cause?.code;
	return typeof code === 'string' ? code : undefined;
}

function flattenHeaders(h: Record<string, string | string[] | undefined>): Record<string, string> {
	const out: Record<string, string> = {};
	for (const [k, v] of Object.entries(h)) if (v !== undefined) out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
	return out;
}

function parseBody(text: string, contentType: string | undefined): unknown {
	if (text === '') return undefined;
	if (contentType === undefined || /json/i.test(contentType)) {
		try {
			return JSON.parse(text);
		} catch {
			// A JSON content type with a broken body: keep the text so the user can see it.
		}
	}
	return text;
}

/**
 * Adds the redacted response headers and body to an event as enumerable getters, computed once on first read.
 * The log line at the default level reads neither, and redacting every body was the largest part of the client's
 * own cost per request (see the benchmarks in the README). The body is parsed again from the text received, so
 * what a caller does to its copy cannot reach the event.
 */
/** Request headers and body of an event, redacted on first read: the default log line reads neither. */
function withRedactedRequest<T extends object>(ev: T, redactor: Redactor, sent: Record<string, string>, body: string | undefined): T & { requestHeaders: Record<string, string>; requestBody: unknown } {
	const headers = { ...sent };
	let redactedHeaders: Record<string, string> | undefined;
	let redactedBody: { value: unknown } | undefined;
	return Object.defineProperties(ev, {
		requestHeaders: { enumerable: true, configurable: true, get: () => (redactedHeaders ??= redactor.headers(headers)) },
		requestBody: { enumerable: true, configurable: true, get: () => (redactedBody ??= { value: body === undefined ? undefined : redactor.body(body) }).value },
	}) as T & { requestHeaders: Record<string, string>; requestBody: unknown };
}

function withRedactedResponse<T extends object>(ev: T, redactor: Redactor, received: Record<string, string>, text: string): T & { responseHeaders: Record<string, string>; responseBody: unknown } {
	const headers = { ...received };
	let redactedHeaders: Record<string, string> | undefined;
	let body: { value: unknown } | undefined;
	return Object.defineProperties(ev, {
		responseHeaders: { enumerable: true, configurable: true, get: () => (redactedHeaders ??= redactor.headers(headers)) },
		responseBody: { enumerable: true, configurable: true, get: () => (body ??= { value: redactor.body(parseBody(text, headers['content-type'])) }).value },
	}) as T & { responseHeaders: Record<string, string>; responseBody: unknown };
}

function isCreateCall(method: string, url: URL): boolean {
	return method === 'POST' && /\/(communications|app)\/calls\/?$/.test(url.pathname);
}

/**
 * The Graph client for one profile: one undici Agent (keep-alive, trusting only the profile's CA when it has one),
 * a fresh client-request-id per request, JSON in and out, timeouts and cancellation, retries that honour
 * Retry-After, one token refresh after a 401, and a redacted event for every HTTP exchange.
 */
export class GraphClient extends Disposable {
	readonly profileName: string;
	readonly baseUrl: string;
	readonly graphHost: string;
	private agentInstance: Agent | undefined;
	private readonly retry: RetryOptions;
	private readonly timeoutMs: number;
	private readonly redactor = new Redactor();
	private sequence = 0;
	/** After a 429, other requests for the same endpoint wait out its Retry-After too (Graph throttles per app). */
	private readonly throttledUntil = new Map<string, number>();
	private readonly _onDidRequest = this._register(new Emitter<GraphRequestEvent>());
	/** Fires after every HTTP exchange, redacted. */
	readonly onDidRequest: Event<GraphRequestEvent> = this._onDidRequest.event;

	constructor(private readonly options: GraphClientOptions) {
		super();
		this.profileName = options.profileName;
		this.baseUrl = options.baseUrl.replace(/\/+$/, '');
		this.graphHost = options.graphHost.replace(/\/+$/, '');
		this.retry = { ...DEFAULT_RETRY, ...options.retry };
		this.timeoutMs = options.timeoutMs ?? 30_000;
		// close(), not destroy(): requests already under way finish; new ones are refused.
		this._register(toDisposable(() => void this.agentInstance?.close().catch(() => undefined)));
	}

	/** Created on the first request, so that building clients at activation does not load undici. */
	private get agent(): Agent {
		this.agentInstance ??= new (undici().Agent)({
			keepAliveTimeout: 30_000,
			connections: 16,
			connect: this.options.caCertPem ? { ca: this.options.caCertPem } : undefined,
		});
		return this.agentInstance;
	}

	/** The redactor this client uses (it knows the tokens it has sent): formatters reuse it. */
	get redaction(): Redactor {
		return this.redactor;
	}

	/** Path below the version root for display, or the full URL for anything outside it. */
	displayPath(url: string): string {
		return url.startsWith(`${this.baseUrl}/`) ? url.slice(this.baseUrl.length) : url;
	}

	async request<T = unknown>(req: GraphRequest): Promise<GraphResponse<T>> {
		if (this.isDisposed) throw new Error(`The Graph client for profile "${this.profileName}" was closed; run the command again.`);
		let method = req.method.toUpperCase();
		const firstUrl = new URL(req.url ?? `${this.baseUrl}${req.path?.startsWith('/') ? '' : '/'}${req.path ?? ''}`);
		let url = firstUrl;
		const createCall = isCreateCall(method, firstUrl);
		const clientRequestId = randomUUID();
		const started = Date.now();
		let body: string | undefined = req.body === undefined ? undefined : typeof req.body === 'string' ? req.body : JSON.stringify(req.body);
		let attempt = 1;
		let redirects = 0;
		let refreshed = false;
		let forceRefresh = false;
		const timeoutMs = req.timeoutMs ?? this.timeoutMs;
		const cancelled = () => new RequestCancelledError(method, this.redactor.url(this.displayPath(firstUrl.toString())));

		for (;;) {
			if (req.signal?.aborted) throw cancelled();
			const hopStart = Date.now();
			const path = this.redactor.url(this.displayPath(url.toString()));
			const headers: Record<string, string> = {
				accept: 'application/json',
				'client-request-id': clientRequestId,
				'return-client-request-id': 'true',
				'user-agent': this.options.userAgent ?? 'GraphCallsWorkbench',
			};
			if (body !== undefined) headers['content-type'] = 'application/json';
			for (const [k, v] of Object.entries(req.headers ?? {})) headers[k.toLowerCase()] = v;
			// The profile's token goes only to its Graph origin: never to a redirect target or a foreign URL. A caller's
			// own Authorization (a recordingAccessToken, say) is kept for its URL's origin and dropped on a redirect away.
			const callerAuth = Object.entries(req.headers ?? {}).find(([k]) => k.toLowerCase() === 'authorization')?.[1];
			if (callerAuth !== undefined) {
				this.redactor.addSecret(callerAuth.replace(/^Bearer\s+/i, ''));
				if (url.origin !== firstUrl.origin) delete headers['authorization'];
			} else if (isGraphHostUrl(url, this.graphHost)) {
				let token: string;
				try {
					token = (await this.options.tokenProvider.getToken({ forceRefresh, signal: req.signal })).token;
				} catch (err) {
					if (req.signal?.aborted) throw cancelled();
					throw err;
				}
				forceRefresh = false;
				this.redactor.addSecret(token);
				headers['authorization'] = `Bearer ${token}`;
			} else {
				delete headers['authorization'];
			}

			const throttleKey = req.action ?? `${method} ${url.origin}${url.pathname}`;
			const throttledMs = (this.throttledUntil.get(throttleKey) ?? 0) - Date.now();
			if (throttledMs > 0) await this.wait(throttledMs, req.signal, cancelled);
			else this.throttledUntil.delete(throttleKey);
			// A timer cleared once the answer is in: AbortSignal.timeout() would keep a timer and a signal alive for the
			// whole timeout after every request (30 s each at hundreds of requests per second; see the benchmarks).
			const timeoutController = new AbortController();
			const timer = setTimeout(() => timeoutController.abort(new DOMException(`no answer within ${timeoutMs} ms`, 'TimeoutError')), timeoutMs);
			timer.unref();
			const timeout = timeoutController.signal;
			const signal = req.signal ? AbortSignal.any([req.signal, timeout]) : timeout;
			const base = {
				sequence: ++this.sequence,
				profileName: this.profileName,
				startedDateTime: new Date(hopStart).toISOString(),
				method,
				url: this.redactor.url(url.toString()),
				path,
				action: req.action,
				attempt,
				clientRequestId,
			};
			const sentBody = body;
			const event = <E extends object>(extra: E) => withRedactedRequest({ ...base, ...extra }, this.redactor, headers, sentBody);

			let status: number;
			let resHeaders: Record<string, string>;
			let text: string;
			try {
				const res = await undici().request(url, { dispatcher: this.agent, method: method as 'GET', headers, body, signal });
				status = res.statusCode;
				resHeaders = flattenHeaders(res.headers);
				text = await res.body.text();
				clearTimeout(timer);
			} catch (err) {
				clearTimeout(timer);
				const durationMs = Date.now() - hopStart;
				if (req.signal?.aborted) {
					this._onDidRequest.fire(event({ durationMs, error: 'cancelled by the user' }));
					throw cancelled();
				}
				const code = errorCode(err);
				const timedOut = timeout.aborted;
				const description = timedOut ? `no answer within ${Math.round(timeoutMs / 1000)} s` : `${code ?? 'network error'}: ${this.redactor.text((err as Error)?.message ?? String(err))}`;
				if (!timedOut && code && TLS_CODES.test(code)) {
					this._onDidRequest.fire(event({ durationMs, error: description }));
					throw new GraphError({
						kind: 'network', method, path, clientRequestId, action: req.action, graphMessage: description,
						explanation: `The TLS certificate of ${url.host} is not trusted by this profile.`,
						nextStep: 'For the emulator, restart it and re-select the Emulator profile so its CA is picked up; for a tenant, check proxies that replace certificates.',
					});
				}
				const failure: AttemptFailure = !timedOut && code && NOT_SENT_CODES.has(code) ? { kind: 'notSent' } : { kind: 'maybeSent' };
				const decision = decideRetry({ method, isCreateCall: createCall, attempt, elapsedMs: Date.now() - started, failure }, this.retry);
				this._onDidRequest.fire(event({ durationMs, error: description, next: decision.retry ? `retrying in ${decision.delayMs} ms` : undefined }));
				if (!decision.retry) {
					throw new GraphError({
						kind: timedOut ? 'timeout' : 'network', method, path, clientRequestId, action: req.action, graphMessage: description, retryNote: attempt > 1 || failure.kind === 'maybeSent' ? decision.reason : undefined,
						explanation: createCall && failure.kind === 'maybeSent'
							? 'The create request may have reached Graph, so it was not sent again: that could place a second call.'
							: timedOut ? `Graph did not answer within ${Math.round(timeoutMs / 1000)} s.` : `Could not reach ${url.host}.`,
						nextStep: createCall && failure.kind === 'maybeSent'
							? 'Check the Calls view and the callback notifications for a new call before creating another one.'
							: 'Check the network (and that the emulator is running, for the Emulator profile), then run the command again; raise graphCalls.requestTimeoutSeconds for slow answers.',
					});
				}
				await this.wait(decision.delayMs, req.signal, cancelled);
				attempt++;
				continue;
			}

			const durationMs = Date.now() - hopStart;
			const responseBody = parseBody(text, resHeaders['content-type']);
			const ev = withRedactedResponse(event({ status, requestId: resHeaders['request-id'], durationMs }), this.redactor, resHeaders, text);

			const location = resHeaders['location'];
			if (REDIRECTS.has(status) && location && redirects < MAX_REDIRECTS) {
				const next = new URL(location, url);
				this._onDidRequest.fire({ ...ev, next: `following redirect to ${this.redactor.url(next.origin)}` });
				url = next;
				redirects++;
				if (status === 303) {
					method = 'GET';
					body = undefined;
				}
				continue;
			}
			if (status < 400 || (req.acceptAnyStatus && status !== 401 && !isTransient(status))) {
				this._onDidRequest.fire(ev);
				return { status, headers: resHeaders, body: responseBody as T, durationMs: Date.now() - started, requestId: resHeaders['request-id'], clientRequestId, attempts: attempt, url: url.toString() };
			}
			// A 401 usually means the cached token expired or was revoked: refresh it once, then believe the server.
			if (status === 401 && !refreshed && callerAuth === undefined && headers['authorization']) {
				refreshed = true;
				forceRefresh = true;
				this._onDidRequest.fire({ ...ev, next: 'refreshing the token and retrying once' });
				continue;
			}
			const retryAfterMs = parseRetryAfter(resHeaders['retry-after'], Date.now(), resHeaders['date']);
			if (status === 429 && retryAfterMs !== undefined) {
				this.throttledUntil.set(throttleKey, Math.max(this.throttledUntil.get(throttleKey) ?? 0, Date.now() + retryAfterMs + RETRY_AFTER_MARGIN_MS));
			}
			const decision = decideRetry({ method, isCreateCall: createCall, attempt, elapsedMs: Date.now() - started, failure: { kind: 'status', status, retryAfterMs } }, this.retry);
			this._onDidRequest.fire({ ...ev, next: decision.retry ? `retrying in ${decision.delayMs} ms` : undefined });
			if (!decision.retry) {
				if (req.acceptAnyStatus) {
					return { status, headers: resHeaders, body: responseBody as T, durationMs: Date.now() - started, requestId: resHeaders['request-id'], clientRequestId, attempts: attempt, url: url.toString() };
				}
				throw GraphError.fromResponse({
					method, path, status, body: this.redactor.body(responseBody), headers: resHeaders, clientRequestId, action: req.action, retryAfterMs,
					retryNote: attempt > 1 || isTransient(status) ? decision.reason : undefined,
				});
			}
			await this.wait(decision.delayMs, req.signal, cancelled);
			attempt++;
		}
	}

	private async wait(ms: number, signal: AbortSignal | undefined, cancelled: () => Error): Promise<void> {
		try {
			await sleep(ms, signal);
		} catch {
			throw cancelled();
		}
	}
}

function isTransient(status: number): boolean {
	return status === 429 || status === 503 || status === 504;
}
