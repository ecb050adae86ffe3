/** Maps a concrete request (method + URL or path) back to its row in the endpoint table, with the ids it carries. */
import { ENDPOINTS, type ApiVersionName, type EndpointRow } from './endpoints';

export interface EndpointMatch {
	readonly row: EndpointRow;
	/** Values of the path's {callId}, {participantId}, ... placeholders, URL-decoded. */
	readonly params: Readonly<Record<string, string>>;
	readonly version: ApiVersionName;
	/** The path below the version, without the query. */
	readonly path: string;
	readonly query: string;
}

interface CompiledRow {
	readonly row: EndpointRow;
	readonly pattern: RegExp;
	readonly names: readonly string[];
	readonly literalSegments: number;
}

const COMPILED: readonly CompiledRow[] = ENDPOINTS.map((row) => {
	const names: string[] = [];
	let literalSegments = 0;
	const source = row.path
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
	return { row, pattern: new RegExp(`^${source}/?$`, 'i'), names, literalSegments };
}).sort((a, b) => b.literalSegments - a.literalSegments);

/** Splits a URL or path into API version, path below the version and query. The default version applies to bare paths. */
export function splitGraphPath(urlOrPath: string, defaultVersion: ApiVersionName = 'v1.0'): { version: ApiVersionName; path: string; query: string } {
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
	// Beta's deprecated /app/calls alias maps to the same rows.
	rest = rest.replace(/^\/app\/calls(?=\/|$)/i, '/communications/calls');
	return { version, path: rest, query };
}

export function matchEndpoint(method: string, urlOrPath: string, defaultVersion: ApiVersionName = 'v1.0'): EndpointMatch | undefined {
	const { version, path, query } = splitGraphPath(urlOrPath, defaultVersion);
	const upper = method.toUpperCase();
	for (const c of COMPILED) {
		if (c.row.method !== upper) continue;
		const m = c.pattern.exec(path);
		if (!m) continue;
		const params: Record<string, string> = {};
		c.names.forEach((n, i) => {
			params[n] = safeDecode(m[i + 1]);
		});
		return { row: c.row, params, version, path, query };
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
