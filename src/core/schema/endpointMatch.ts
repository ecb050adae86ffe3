/** Maps a concrete request (method + URL or path) back to its row in the endpoint table, with the ids it carries. */
import { allRoutes, type ApiVersionName, type EndpointRoute, type EndpointRow } from './endpoints';

export interface EndpointMatch {
	readonly row: EndpointRow;
	/** Values of the path's {callId}, {participantId}, ... placeholders, URL-decoded. */
	readonly params: Readonly<Record<string, string>>;
	readonly version: ApiVersionName;
	/** The path below the version, without the query. */
	readonly path: string;
	readonly query: string;
	/** Matched through beta's /app/calls alias. */
	readonly viaAppAlias: boolean;
}

interface CompiledRoute {
	readonly route: EndpointRoute;
	readonly pattern: RegExp;
	readonly names: readonly string[];
	readonly literalSegments: number;
}

/** Every route of the table (per version, beta's /app/calls aliases included), literal segments first. */
const COMPILED: readonly CompiledRoute[] = allRoutes().map((route) => {
	const names: string[] = [];
	let literalSegments = 0;
	const source = route.path
		.split('/')
		.map((seg) => {
			const p = /^\{(\w+)\}$/.exec(seg);
			if (p) {
				names.push(p[1]);
				return '([^/]+)';
			}
			if (seg) literalSegments++;
			return seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
		})
		.join('/');
	return { route, pattern: new RegExp(`^${source}/?$`, 'i'), names, literalSegments };
}).sort((a, b) => b.literalSegments - a.literalSegments);

/** Splits a URL or path into API version, path below the version and query. The default version applies to bare paths. */
function splitVersion(urlOrPath: string, defaultVersion: ApiVersionName): { version: ApiVersionName; path: string; query: string } {
	let rest = urlOrPath.trim();
	const abs = /^[a-z][a-z0-9+.-]*:\/\/[^/]*/i.exec(rest);
	if (abs) rest = rest.slice(abs[0].length) || '/';
	const q = rest.indexOf('?');
	const query = q >= 0 ? rest.slice(q) : '';
	if (q >= 0) rest = rest.slice(0, q);
	let version = defaultVersion;
	const v = /^\/(v1\.0|beta)(?=\/|$)/i.exec(rest);
	if (v) {
		version = v[1].toLowerCase() === 'beta' ? 'beta' : 'v1.0';
		rest = rest.slice(v[0].length) || '/';
	}
	return { version, path: rest, query };
}

/** Beta's deprecated /app/calls alias names the same resources as /communications/calls. */
function withoutAppAlias(path: string): string {
	return path.replace(/^\/app\/calls(?=\/|$)/i, '/communications/calls');
}

/** Version, path below the version (the /app/calls alias mapped to /communications/calls) and query. */
export function splitGraphPath(urlOrPath: string, defaultVersion: ApiVersionName = 'v1.0'): { version: ApiVersionName; path: string; query: string } {
	const split = splitVersion(urlOrPath, defaultVersion);
	return { ...split, path: withoutAppAlias(split.path) };
}

/**
 * Finds the row for a request. `urlOrPath` may be a full URL, a path with `/v1.0` or `/beta`, or a path below the
 * version root (then `defaultVersion` applies). Only routes the version has match (muteAll is beta only, so is
 * /app/calls); the query string and a trailing slash are ignored; literal segments win over placeholders
 * (`participants/invite` is invite, not get participant).
 */
export function matchEndpoint(method: string, urlOrPath: string, defaultVersion: ApiVersionName = 'v1.0'): EndpointMatch | undefined {
	const split = splitVersion(urlOrPath, defaultVersion);
	const { version, query } = split;
	const raw = split.path.replace(/#.*$/, '');
	const upper = method.toUpperCase();
	for (const c of COMPILED) {
		if (c.route.version !== version || c.route.method !== upper) continue;
		const m = c.pattern.exec(raw);
		if (!m) continue;
		const params: Record<string, string> = {};
		c.names.forEach((n, i) => {
			params[n] = safeDecode(m[i + 1]);
		});
		return { row: c.route.row, params, version, path: withoutAppAlias(raw), query, viaAppAlias: c.route.viaAppAlias };
	}
	return undefined;
}

function safeDecode(s: string): string {
	try {
		return decodeURIComponent(s);
	} catch {
		return s;
	}
}
