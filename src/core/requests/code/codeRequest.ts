/**
 * The generic request every code generator starts from, normalised and stripped of secrets: generated code
 * is pasted into chats, issues and bots, so no token, secret or cookie may survive into it.
 */
import { isSecretKey, isSecretParameter, Redactor } from '../../graph/redaction';
import type { ApiVersionName } from '../../schema/endpoints';
import { matchEndpoint, splitGraphPath, type EndpointMatch } from '../../schema/endpointMatch';

export interface GenericRequest {
	readonly method: string;
	/** Absolute URL or a path below the version root (`/communications/calls`) or below the host (`/beta/...`). */
	readonly url: string;
	readonly headers?: Readonly<Record<string, string>> | readonly { name: string; value: string }[];
	/** JSON text, a parsed JSON value, or undefined. */
	readonly body?: unknown;
}

export interface CodeRequest {
	readonly method: string;
	/** Absolute URL (path inputs are placed on https://graph.microsoft.com). */
	readonly url: string;
	readonly version: ApiVersionName;
	/** Path below the version, with the query. */
	readonly relativeUrl: string;
	readonly headers: readonly { name: string; value: string }[];
	/** Parsed JSON body, undefined without a body. */
	readonly body?: unknown;
	/** Set when the body is present but is not JSON. */
	readonly rawBody?: string;
	readonly match?: EndpointMatch;
}

export const DEFAULT_GRAPH_HOST = 'https://graph.microsoft.com';
export const REDACTED = '<redacted>';

/** The log's rules (secret names by pattern, JWT and credential shapes), with the marker code has always shown. */
const redactor = new Redactor(REDACTED);
const isSecretHeader = (name: string): boolean => /^(proxy-authorization|cookie|set-cookie)$/i.test(name) || isSecretKey(name);
/** Headers the SDKs and the tools set themselves. */
const IMPLIED_HEADER = /^(host|content-length|connection|accept-encoding|user-agent|client-request-id|sdkversion)$/i;

export function toCodeRequest(req: GenericRequest, defaultVersion: ApiVersionName = 'v1.0'): CodeRequest {
	const method = req.method.toUpperCase();
	const { version, path, query } = splitGraphPath(req.url, defaultVersion);
	const isAbsolute = /^[a-z][a-z0-9+.-]*:\/\//i.test(req.url.trim());
	const url = redactUrl(isAbsolute ? req.url.trim() : `${DEFAULT_GRAPH_HOST}/${version}${path}${query}`);
	const list = Array.isArray(req.headers) ? req.headers : Object.entries(req.headers ?? {}).map(([name, value]) => ({ name, value }));
	const headers = list.filter((h) => !isSecretHeader(h.name) && !IMPLIED_HEADER.test(h.name)).map((h) => ({ name: h.name, value: redactor.text(h.value) }));
	let body: unknown;
	let rawBody: string | undefined;
	if (typeof req.body === 'string') {
		if (req.body.trim() !== '') {
			try {
				body = JSON.parse(req.body);
			} catch {
				rawBody = redactor.text(req.body);
			}
		}
	} else if (req.body !== undefined && req.body !== null) {
		body = req.body;
	}
	if (body !== undefined) body = redactValue(body);
	const safeQuery = query ? searchOf(url) : '';
	return { method, url, version, relativeUrl: `${path}${readablePercent(safeQuery)}`, headers, body, rawBody, match: matchEndpoint(method, req.url, defaultVersion) };
}

function searchOf(url: string): string {
	try {
		return new URL(url).search;
	} catch {
		return '';
	}
}

/**
 * Percent-escapes decoded where that only makes the URL easier to read: letters, digits and marks of any script,
 * `-._~` and the `{}` of placeholders. Everything else stays encoded, so decoding never changes what the URL means
 * (`%26` stays a literal `&`) and never puts a space, a control character or a line break into the code.
 */
function readablePercent(s: string): string {
	return s.replace(/(?:%[0-9A-Fa-f]{2})+/g, (run) => {
		let decoded: string;
		try {
			decoded = decodeURIComponent(run);
		} catch {
			return run;
		}
		let out = '';
		for (const ch of decoded) {
			out += /^[A-Za-z0-9\-._~{}]$/.test(ch) || /^[\p{L}\p{N}\p{M}]$/u.test(ch) ? ch : [...Buffer.from(ch, 'utf8')].map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join('');
		}
		return out;
	});
}

function redactUrl(url: string): string {
	try {
		const u = new URL(url);
		u.username = '';
		u.password = '';
		for (const key of [...u.searchParams.keys()]) if (isSecretParameter(key)) u.searchParams.set(key, REDACTED);
		// A fragment is not sent, but `#access_token=...` from an implicit-flow redirect is still a secret.
		if (u.hash) u.hash = redactor.text(u.hash);
		u.search = redactor.text(u.search);
		// Keep {{variables}}, {placeholders} and non-ASCII names readable rather than percent-encoded.
		return readablePercent(u.toString()).replace(/%3Credacted%3E/g, REDACTED);
	} catch {
		return redactor.text(url);
	}
}

export function redactValue(value: unknown): unknown {
	return redactor.value(value);
}

/** The request's content headers worth keeping in generated code (everything the SDKs do not set themselves). */
export function extraHeaders(req: CodeRequest): { name: string; value: string }[] {
	return req.headers.filter((h) => !/^(content-type|accept)$/i.test(h.name));
}
