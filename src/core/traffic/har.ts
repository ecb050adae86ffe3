import type { GraphRequestEvent } from '../graph/graphClient';
import { defaultRedactor } from '../graph/redaction';

/**
 * HAR 1.2 (http://www.softwareishard.com/blog/har-12-spec/), readable by browsers' network panels and Dev Proxy.
 * The one HAR writer: the request log's export and the traffic record (src/core/traffic) both build their entries
 * here, so every entry is redacted the same way. Fields starting with `_` are HAR custom fields: `_direction` says
 * who sent the request (`out`: the bot to Graph; `in`: Graph to the bot's callback URL).
 */

export interface HarHeader {
	name: string;
	value: string;
}

export type HarDirection = 'out' | 'in';

export interface HarLog {
	log: {
		version: '1.2';
		creator: { name: string; version: string };
		entries: HarEntry[];
		comment?: string;
	};
}

export interface HarEntry {
	startedDateTime: string;
	time: number;
	request: {
		method: string;
		url: string;
		httpVersion: string;
		headers: HarHeader[];
		queryString: HarHeader[];
		cookies: [];
		headersSize: -1;
		bodySize: number;
		postData?: { mimeType: string; text: string };
	};
	response: {
		status: number;
		statusText: string;
		httpVersion: string;
		headers: HarHeader[];
		cookies: [];
		content: { size: number; mimeType: string; text?: string };
		redirectURL: string;
		headersSize: -1;
		bodySize: number;
		_error?: string;
	};
	cache: Record<string, never>;
	timings: { send: number; wait: number; receive: number };
	comment?: string;
	_direction?: HarDirection;
	/** The call the exchange is about, when the recorder knows it (the emulator's event feed does). */
	_callId?: string;
	/** The app that made the request or whose call the notification is about (the emulator's event feed). */
	_appId?: string;
}

/** One HTTP exchange as seen by whoever recorded it; nothing here has been redacted yet. */
export interface HttpExchange {
	direction: HarDirection;
	/** ISO time the request started. */
	startedDateTime: string;
	durationMs: number;
	method: string;
	url: string;
	requestHeaders: Readonly<Record<string, string>>;
	requestBody?: unknown;
	/** Undefined when no answer came (HAR status 0). */
	status?: number;
	responseHeaders?: Readonly<Record<string, string>>;
	responseBody?: unknown;
	error?: string;
	comment?: string;
}

function text(body: unknown): string | undefined {
	if (body === undefined) return undefined;
	return defaultRedactor.text(typeof body === 'string' ? body : JSON.stringify(body));
}

function headers(h: Readonly<Record<string, string>> | undefined): HarHeader[] {
	return Object.entries(defaultRedactor.headers({ ...h })).map(([name, value]) => ({ name, value }));
}

function header(h: Readonly<Record<string, string>> | undefined, name: string): string | undefined {
	if (!h) return undefined;
	if (h[name] !== undefined) return h[name];
	const key = Object.keys(h).find((k) => k.toLowerCase() === name);
	return key === undefined ? undefined : h[key];
}

/** A redacted HAR entry for any HTTP exchange, either direction. */
export function harEntry(x: HttpExchange): HarEntry {
	const url = defaultRedactor.url(x.url);
	const reqText = text(x.requestBody);
	const resText = text(x.responseBody);
	let query: HarHeader[] = [];
	try {
		query = [...new URL(url).searchParams.entries()].map(([name, value]) => ({ name, value }));
	} catch {
		// A relative or malformed URL has no query string HAR can show.
	}
	return {
		startedDateTime: x.startedDateTime,
		time: x.durationMs,
		request: {
			method: x.method,
			url,
			httpVersion: 'HTTP/1.1',
			headers: headers(x.requestHeaders),
			queryString: query,
			cookies: [],
			headersSize: -1,
			bodySize: reqText !== undefined ? Buffer.byteLength(reqText) : 0,
			...(reqText !== undefined ? { postData: { mimeType: header(x.requestHeaders, 'content-type') ?? 'application/json', text: reqText } } : {}),
		},
		response: {
			// HAR uses status 0 for requests that got no answer.
			status: x.status ?? 0,
			statusText: '',
			httpVersion: 'HTTP/1.1',
			headers: headers(x.responseHeaders),
			cookies: [],
			content: {
				size: resText !== undefined ? Buffer.byteLength(resText) : 0,
				mimeType: header(x.responseHeaders, 'content-type') ?? 'application/json',
				...(resText !== undefined ? { text: resText } : {}),
			},
			redirectURL: defaultRedactor.url(header(x.responseHeaders, 'location') ?? ''),
			headersSize: -1,
			bodySize: resText !== undefined ? Buffer.byteLength(resText) : 0,
			...(x.error ? { _error: x.error } : {}),
		},
		cache: {},
		timings: { send: 0, wait: x.durationMs, receive: 0 },
		...(x.comment ? { comment: x.comment } : {}),
		_direction: x.direction,
	};
}

/** A request the GraphClient made: always the bot (or the extension) talking to Graph. */
export function toHarEntry(e: GraphRequestEvent): HarEntry {
	return harEntry({
		direction: 'out',
		startedDateTime: e.startedDateTime,
		durationMs: e.durationMs,
		method: e.method,
		url: e.url,
		requestHeaders: e.requestHeaders,
		requestBody: e.requestBody,
		status: e.status,
		responseHeaders: e.responseHeaders,
		responseBody: e.responseBody,
		error: e.error,
		comment: `profile ${e.profileName}, attempt ${e.attempt}, client-request-id ${e.clientRequestId}${e.next ? `, ${e.next}` : ''}`,
	});
}

export function toHar(events: readonly GraphRequestEvent[], creatorVersion: string): HarLog {
	return { log: { version: '1.2', creator: { name: 'Graph Calls Workbench', version: creatorVersion }, entries: events.map(toHarEntry) } };
}
