import type { IncomingMessage, ServerResponse } from 'node:http';

/** What a route handler sees of one request. */
export interface RequestContext {
	readonly req: IncomingMessage;
	readonly method: string;
	readonly path: string;
	readonly query: URLSearchParams;
	readonly requestId: string;
	readonly clientRequestId: string | undefined;
	readonly rawBody: Buffer;
	params: Record<string, string>;
	/** Headers added to the response whatever it turns out to be (warnings, for example). */
	readonly extraHeaders: Record<string, string>;
	/** The app whose access token the request carried, once Entra ID checked it. */
	callerAppId?: string;
}

export interface Reply {
	status: number;
	body?: unknown;
	headers?: Record<string, string>;
	/** Raw bytes with their own content type (recordings). */
	raw?: { contentType: string; data: Buffer };
	/** A response that stays open (Server-Sent Events): called after the head is written, it writes the rest. */
	stream?: (res: ServerResponse) => void;
}

export type Handler = (ctx: RequestContext) => Reply | Promise<Reply>;

/** A Graph-shaped error: `{"error":{"code","message","innerError":{...}}}` with the HTTP status. */
export class GraphHttpError extends Error {
	constructor(readonly status: number, readonly code: string, message: string, readonly headers: Record<string, string> = {}) {
		super(message);
	}
}

export function badRequest(message: string, code = 'BadRequest'): GraphHttpError {
	return new GraphHttpError(400, code, message);
}

export function graphErrorBody(ctx: Pick<RequestContext, 'requestId' | 'clientRequestId'>, code: string, message: string): unknown {
	return {
		error: {
			code,
			message,
			innerError: { date: new Date().toISOString().replace(/\.\d+Z$/, ''), 'request-id': ctx.requestId, 'client-request-id': ctx.clientRequestId ?? ctx.requestId },
		},
	};
}

/** Parses the JSON body; an empty body is `{}`. */
export function jsonBody(ctx: RequestContext): Record<string, unknown> {
	if (ctx.rawBody.length === 0) return {};
	let parsed: unknown;
	try {
		parsed = JSON.parse(ctx.rawBody.toString('utf8'));
	} catch (err) {
		throw badRequest(`The request body is not valid JSON (${(err as Error).message}): send a JSON object with Content-Type application/json.`);
	}
	if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw badRequest('The request body must be a JSON object.');
	return parsed as Record<string, unknown>;
}

interface Route<T> {
	method: string;
	segments: string[];
	literals: number;
	value: T;
}

/** A small method + path router: `{name}` segments capture, literal segments win over captures. */
export class Router<T> {
	private readonly routes: Route<T>[] = [];

	add(method: string, pattern: string, value: T): void {
		const segments = pattern.split('/').filter(Boolean);
		this.routes.push({ method, segments, literals: segments.filter((s) => !s.startsWith('{')).length, value });
		this.routes.sort((a, b) => b.literals - a.literals);
	}

	/** Returns the match, or `methodNotAllowed` when the path exists for another method. */
	match(method: string, path: string): { value: T; params: Record<string, string> } | { methodNotAllowed: true } | undefined {
		const parts = path.split('/').filter(Boolean);
		let pathMatched = false;
		for (const r of this.routes) {
			if (r.segments.length !== parts.length) continue;
			const params: Record<string, string> = {};
			let ok = true;
			for (let i = 0; i < parts.length; i++) {
				const s = r.segments[i];
				if (s.startsWith('{')) {
					try {
						params[s.slice(1, -1)] = decodeURIComponent(parts[i]);
					} catch {
						ok = false;
						break;
					}
				} else if (s.toLowerCase() !== parts[i].toLowerCase()) {
					ok = false;
					break;
				}
			}
			if (!ok) continue;
			pathMatched = true;
			if (r.method === method) return { value: r.value, params };
		}
		return pathMatched ? { methodNotAllowed: true } : undefined;
	}
}
