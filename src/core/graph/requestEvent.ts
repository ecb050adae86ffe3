import type { CallAction } from '../schema/endpoints';
import type { Redactor } from './redaction';

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

/** What one hop sent; `url` and `path` are already redacted, the headers and body are not. */
export type SentRequest = Pick<GraphRequestEvent, 'sequence' | 'profileName' | 'method' | 'url' | 'path' | 'action' | 'attempt' | 'clientRequestId'> & {
	/** Epoch ms when the hop started. */
	readonly startedAt: number;
	/** As sent, token included: redacted only when read through the event. */
	readonly headers: Readonly<Record<string, string>>;
	readonly body?: string;
};

/** What came back, as received. */
export interface ReceivedResponse {
	readonly status: number;
	readonly headers: Readonly<Record<string, string>>;
	readonly text: string;
}

export function parseBody(text: string, contentType: string | undefined): unknown {
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
 * A GraphRequestEvent whose headers, bodies and start time are worked out on first read and then kept. The log
 * line at the default level reads none of them, and redacting every exchange up front was the largest part of the
 * client's own cost per request (see docs/performance.md). The response body is parsed again from the
 * text received, so what a caller does to its copy cannot reach the event. `toJSON` lists every field, so exports
 * and `JSON.stringify` see the redacted parts exactly as a reader does.
 */
export class RecordedRequest implements GraphRequestEvent {
	readonly sequence: number;
	readonly profileName: string;
	readonly method: string;
	readonly url: string;
	readonly path: string;
	readonly action?: CallAction;
	readonly attempt: number;
	readonly clientRequestId: string;
	readonly status?: number;
	readonly requestId?: string;
	readonly durationMs: number;
	readonly error?: string;
	/** Set by the client before it fires the event, once it knows what it does next. */
	next?: string;
	// What was sent and received, kept as fields rather than as the objects passed in: the request log holds 2,000
	// events, and every object fewer per event is less for the garbage collector to copy.
	readonly #redactor: Redactor;
	readonly #startedAt: number;
	readonly #sentHeaders: Readonly<Record<string, string>>;
	readonly #sentBody: string | undefined;
	readonly #receivedHeaders: Readonly<Record<string, string>> | undefined;
	readonly #receivedText: string | undefined;
	#startedDateTime?: string;
	#requestHeaders?: Record<string, string>;
	#requestBody?: { value: unknown };
	#responseHeaders?: Record<string, string>;
	#responseBody?: { value: unknown };

	constructor(redactor: Redactor, sent: SentRequest, outcome: { durationMs: number; received?: ReceivedResponse; error?: string }) {
		this.sequence = sent.sequence;
		this.profileName = sent.profileName;
		this.method = sent.method;
		this.url = sent.url;
		this.path = sent.path;
		this.action = sent.action;
		this.attempt = sent.attempt;
		this.clientRequestId = sent.clientRequestId;
		this.durationMs = outcome.durationMs;
		this.error = outcome.error;
		this.#redactor = redactor;
		this.#startedAt = sent.startedAt;
		this.#sentHeaders = sent.headers;
		this.#sentBody = sent.body;
		const received = outcome.received;
		this.status = received?.status;
		this.requestId = received?.headers['request-id'];
		this.#receivedHeaders = received?.headers;
		this.#receivedText = received?.text;
	}

	get startedDateTime(): string {
		return (this.#startedDateTime ??= new Date(this.#startedAt).toISOString());
	}

	get requestHeaders(): Readonly<Record<string, string>> {
		return (this.#requestHeaders ??= this.#redactor.headers(this.#sentHeaders));
	}

	get requestBody(): unknown {
		const body = this.#sentBody;
		return (this.#requestBody ??= { value: body === undefined ? undefined : this.#redactor.body(body) }).value;
	}

	get responseHeaders(): Readonly<Record<string, string>> | undefined {
		const headers = this.#receivedHeaders;
		return headers && (this.#responseHeaders ??= this.#redactor.headers(headers));
	}

	get responseBody(): unknown {
		const headers = this.#receivedHeaders;
		const text = this.#receivedText;
		if (headers === undefined || text === undefined) return undefined;
		return (this.#responseBody ??= { value: this.#redactor.body(parseBody(text, headers['content-type'])) }).value;
	}

	toJSON(): GraphRequestEvent {
		return {
			sequence: this.sequence,
			profileName: this.profileName,
			startedDateTime: this.startedDateTime,
			method: this.method,
			url: this.url,
			path: this.path,
			action: this.action,
			attempt: this.attempt,
			clientRequestId: this.clientRequestId,
			requestId: this.requestId,
			requestHeaders: this.requestHeaders,
			requestBody: this.requestBody,
			status: this.status,
			responseHeaders: this.responseHeaders,
			responseBody: this.responseBody,
			durationMs: this.durationMs,
			error: this.error,
			next: this.next,
		};
	}
}
