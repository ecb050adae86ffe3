import type { GraphRequestEvent } from './graphClient';
import { defaultRedactor } from './redaction';

/**
 * HAR 1.2 (http://www.softwareishard.com/blog/har-12-spec/) of the session's Graph requests, readable by browsers'
 * network panels and Dev Proxy. Built from the redacted events only.
 */

interface HarHeader {
	name: string;
	value: string;
}

export interface HarLog {
	log: {
		version: '1.2';
		creator: { name: string; version: string };
		entries: HarEntry[];
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
}

function text(body: unknown): string | undefined {
	if (body === undefined) return undefined;
	return defaultRedactor.text(typeof body === 'string' ? body : JSON.stringify(body));
}

function headers(h: Readonly<Record<string, string>> | undefined): HarHeader[] {
	return Object.entries(defaultRedactor.headers({ ...h })).map(([name, value]) => ({ name, value }));
}

export function toHarEntry(e: GraphRequestEvent): HarEntry {
	const url = defaultRedactor.url(e.url);
	const reqText = text(e.requestBody);
	const resText = text(e.responseBody);
	const query = [...new URL(url).searchParams.entries()].map(([name, value]) => ({ name, value }));
	return {
		startedDateTime: e.startedDateTime,
		time: e.durationMs,
		request: {
			method: e.method,
			url,
			httpVersion: 'HTTP/1.1',
			headers: headers(e.requestHeaders),
			queryString: query,
			cookies: [],
			headersSize: -1,
			bodySize: reqText !== undefined ? Buffer.byteLength(reqText) : 0,
			...(reqText !== undefined ? { postData: { mimeType: e.requestHeaders['content-type'] ?? 'application/json', text: reqText } } : {}),
		},
		response: {
			// HAR uses status 0 for requests that got no answer.
			status: e.status ?? 0,
			statusText: '',
			httpVersion: 'HTTP/1.1',
			headers: headers(e.responseHeaders),
			cookies: [],
			content: {
				size: resText !== undefined ? Buffer.byteLength(resText) : 0,
				mimeType: e.responseHeaders?.['content-type'] ?? 'application/json',
				...(resText !== undefined ? { text: resText } : {}),
			},
			redirectURL: e.responseHeaders?.['location'] ?? '',
			headersSize: -1,
			bodySize: resText !== undefined ? Buffer.byteLength(resText) : 0,
			...(e.error ? { _error: e.error } : {}),
		},
		cache: {},
		timings: { send: 0, wait: e.durationMs, receive: 0 },
		comment: `profile ${e.profileName}, attempt ${e.attempt}, client-request-id ${e.clientRequestId}${e.next ? `, ${e.next}` : ''}`,
	};
}

export function toHar(events: readonly GraphRequestEvent[], creatorVersion: string): HarLog {
	return { log: { version: '1.2', creator: { name: 'Graph Calls Workbench', version: creatorVersion }, entries: events.map(toHarEntry) } };
}
