import { randomUUID } from 'node:crypto';
import type { Agent } from 'undici';
import { undici } from '../lazyUndici';
import type { TokenProvider } from '../auth/tokenProvider';
import { Emitter, type Event } from '../event';
import { Disposable, toDisposable } from '../lifecycle';
import type { CallAction } from '../schema/endpoints';
import { GraphError, RequestCancelledError } from './graphError';
import { originOf } from './graphUrl';
import { Redactor } from './redaction';
import { parseBody, RecordedRequest, type GraphRequestEvent, type ReceivedResponse, type SentRequest } from './requestEvent';
import { DEFAULT_RETRY, decideRetry, parseRetryAfter, RETRY_AFTER_MARGIN_MS, sleep, type AttemptFailure, type RetryOptions } from './retryPolicy';

export { isProfileGraphUrl } from './graphUrl';
export type { GraphRequestEvent } from './requestEvent';

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

/**
 * undici names response headers in lower case and gives repeated ones as arrays: join those in place. The object is
 * this request's own, so it is frozen and shared by the response and its event instead of copied (one object less
 * per request kept in the request log).
 */
function flattenHeaders(h: Record<string, string | string[] | undefined>): Readonly<Record<string, string>> {
	for (const k in h) {
		const v = h[k];
		if (v === undefined) delete h[k];
		else if (typeof v !== 'string') h[k] = v.join(', ');
	}
	return Object.freeze(h as Record<string, string>);
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
	/** Origin of graphHost, parsed once; undefined when it does not parse, and then no URL gets the token. */
	private readonly graphOrigin: string | undefined;
	private agentInstance: Agent | undefined;
	private readonly retry: RetryOptions;
	private readonly timeoutMs: number;
	private readonly redactor = new Redactor();
	private sequence = 0;
	private lastBearer: { readonly token: string; readonly header: string } | undefined;
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
		this.graphOrigin = originOf(this.graphHost);
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
		const signal = req.signal;
		const cancelled = () => new RequestCancelledError(method, this.redactor.url(this.displayPath(firstUrl.href)));
		// A caller's own Authorization (a recordingAccessToken, say) is kept for its URL's origin only.
		let callerHeaders: [string, string][] | undefined;
		let callerAuth: string | undefined;
		for (const name in req.headers) {
			const lower = name.toLowerCase();
			(callerHeaders ??= []).push([lower, req.headers[name]]);
			if (lower === 'authorization') callerAuth = req.headers[name];
		}
		if (callerAuth !== undefined) this.redactor.addSecret(callerAuth.replace(/^Bearer\s+/i, ''));

		for (;;) {
			if (signal?.aborted) throw cancelled();
			const hopStart = Date.now();
			const href = url.href;
			const redactedUrl = this.redactor.url(href);
			const path = this.displayPath(redactedUrl);
			const headers: Record<string, string> = {
				accept: 'application/json',
				'client-request-id': clientRequestId,
				'return-client-request-id': 'true',
				'user-agent': this.options.userAgent ?? 'GraphCallsWorkbench',
			};
			if (body !== undefined) headers['content-type'] = 'application/json';
			if (callerHeaders) for (const [k, v] of callerHeaders) headers[k] = v;
			// The profile's token goes only to its Graph origin: never to a redirect target or a foreign URL. A caller's
			// own Authorization is dropped on a redirect away from the URL it was given for.
			if (callerAuth !== undefined) {
				if (url.origin !== firstUrl.origin) delete headers['authorization'];
			} else if (this.graphOrigin !== undefined && url.origin === this.graphOrigin) {
				let token: string;
				try {
					token = (await this.options.tokenProvider.getToken({ forceRefresh, signal })).token;
				} catch (err) {
					if (signal?.aborted) throw cancelled();
					throw err;
				}
				forceRefresh = false;
				headers['authorization'] = this.bearer(token);
			} else {
				delete headers['authorization'];
			}

			const throttleKey = req.action ?? `${method} ${url.origin}${url.pathname}`;
			if (this.throttledUntil.size > 0) {
				const throttledMs = (this.throttledUntil.get(throttleKey) ?? 0) - Date.now();
				if (throttledMs > 0) await this.wait(throttledMs, signal, cancelled);
				else this.throttledUntil.delete(throttleKey);
			}
			const sent: SentRequest = {
				sequence: ++this.sequence, profileName: this.profileName, startedAt: hopStart, method, url: redactedUrl, path,
				action: req.action, attempt, clientRequestId, headers, body,
			};

			let received: ReceivedResponse;
			try {
				// The timeout is undici's own: no answer (headers) within timeoutMs, or a body that stalls that long. No
				// timer or AbortController of ours per request: they were the largest item of the client's own cost.
				const res = await undici().request(url, { dispatcher: this.agent, method: method as 'GET', headers, body, signal, headersTimeout: timeoutMs, bodyTimeout: timeoutMs });
				received = { status: res.statusCode, headers: flattenHeaders(res.headers), text: await res.body.text() };
			} catch (err) {
				const durationMs = Date.now() - hopStart;
				const failed = (error: string, next?: string) => this.fire(new RecordedRequest(this.redactor, sent, { durationMs, error }), next);
				if (signal?.aborted) {
					failed('cancelled by the user');
					throw cancelled();
				}
				const code = errorCode(err);
				const timedOut = code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT';
				const description = timedOut ? `no answer within ${formatSeconds(timeoutMs)}` : `${code ?? 'network error'}: ${this.redactor.text((err as Error)?.message ?? String(err))}`;
				if (!timedOut && code && TLS_CODES.test(code)) {
					failed(description);
					throw new GraphError({
						kind: 'network', method, path, clientRequestId, action: req.action, graphMessage: description,
						explanation: `The TLS certificate of ${url.host} is not trusted by this profile.`,
						nextStep: 'For the emulator, restart it and re-select the Emulator profile so its CA is picked up; for a tenant, check proxies that replace certificates.',
					});
				}
				const failure: AttemptFailure = !timedOut && code && NOT_SENT_CODES.has(code) ? { kind: 'notSent' } : { kind: 'maybeSent' };
				const decision = decideRetry({ method, isCreateCall: createCall, attempt, elapsedMs: Date.now() - started, failure }, this.retry);
				failed(description, decision.retry ? `retrying in ${decision.delayMs} ms` : undefined);
				if (!decision.retry) {
					throw new GraphError({
						kind: timedOut ? 'timeout' : 'network', method, path, clientRequestId, action: req.action, graphMessage: description, retryNote: attempt > 1 || failure.kind === 'maybeSent' ? decision.reason : undefined,
						explanation: createCall && failure.kind === 'maybeSent'
							? 'The create request may have reached Graph, so it was not sent again: that could place a second call.'
							: timedOut ? `Graph did not answer within ${formatSeconds(timeoutMs)}.` : `Could not reach ${url.host}.`,
						nextStep: createCall && failure.kind === 'maybeSent'
							? 'Check the Calls view and the callback notifications for a new call before creating another one.'
							: 'Check the network (and that the emulator is running, for the Emulator profile), then run the command again; raise graphCalls.requestTimeoutSeconds for slow answers.',
					});
				}
				await this.wait(decision.delayMs, signal, cancelled);
				attempt++;
				continue;
			}

			const { status, headers: resHeaders, text } = received;
			const ev = new RecordedRequest(this.redactor, sent, { durationMs: Date.now() - hopStart, received });
			const location = resHeaders['location'];
			if (REDIRECTS.has(status) && location && redirects < MAX_REDIRECTS) {
				const next = new URL(location, url);
				this.fire(ev, `following redirect to ${this.redactor.url(next.origin)}`);
				url = next;
				redirects++;
				if (status === 303) {
					method = 'GET';
					body = undefined;
				}
				continue;
			}
			const response = (): GraphResponse<T> => ({
				status, headers: resHeaders, body: parseBody(text, resHeaders['content-type']) as T, durationMs: Date.now() - started,
				requestId: resHeaders['request-id'], clientRequestId, attempts: attempt, url: url.href,
			});
			if (status < 400 || (req.acceptAnyStatus && status !== 401 && !isTransient(status))) {
				this.fire(ev);
				return response();
			}
			// A 401 usually means the cached token expired or was revoked: refresh it once, then believe the server.
			if (status === 401 && !refreshed && callerAuth === undefined && headers['authorization']) {
				refreshed = true;
				forceRefresh = true;
				this.fire(ev, 'refreshing the token and retrying once');
				continue;
			}
			const retryAfterMs = parseRetryAfter(resHeaders['retry-after'], Date.now(), resHeaders['date']);
			if (status === 429 && retryAfterMs !== undefined) {
				this.throttledUntil.set(throttleKey, Math.max(this.throttledUntil.get(throttleKey) ?? 0, Date.now() + retryAfterMs + RETRY_AFTER_MARGIN_MS));
			}
			const decision = decideRetry({ method, isCreateCall: createCall, attempt, elapsedMs: Date.now() - started, failure: { kind: 'status', status, retryAfterMs } }, this.retry);
			this.fire(ev, decision.retry ? `retrying in ${decision.delayMs} ms` : undefined);
			if (!decision.retry) {
				if (req.acceptAnyStatus) return response();
				throw GraphError.fromResponse({
					method, path, status, body: this.redactor.body(parseBody(text, resHeaders['content-type'])), headers: resHeaders, clientRequestId, action: req.action, retryAfterMs,
					retryNote: attempt > 1 || isTransient(status) ? decision.reason : undefined,
				});
			}
			await this.wait(decision.delayMs, signal, cancelled);
			attempt++;
		}
	}

	/**
	 * `Bearer <token>`, built once per token: one shared string instead of a fresh copy of the token (over 1 KB) per
	 * request, which undici flattens to check it and the request log then keeps alive for the HAR export.
	 */
	private bearer(token: string): string {
		if (this.lastBearer?.token !== token) {
			this.redactor.addSecret(token);
			this.lastBearer = { token, header: `Bearer ${token}` };
		}
		return this.lastBearer.header;
	}

	private fire(ev: RecordedRequest, next?: string): void {
		ev.next = next;
		this._onDidRequest.fire(ev);
	}

	private async wait(ms: number, signal: AbortSignal | undefined, cancelled: () => Error): Promise<void> {
		try {
			await sleep(ms, signal);
		} catch {
			throw cancelled();
		}
	}
}

/** 30 s, 1.5 s, 200 ms: the timeout as a person would say it. */
function formatSeconds(ms: number): string {
	return ms >= 1000 ? `${Math.round(ms / 100) / 10} s` : `${ms} ms`;
}

function isTransient(status: number): boolean {
	return status === 429 || status === 503 || status === 504;
}
