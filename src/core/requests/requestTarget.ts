/**
 * Where a document's request goes, and whether the profile's bearer token may go with it. A workspace file must
 * never be able to send a token anywhere but the profile's own Graph host (or the emulator's).
 */

export interface RequestTarget {
	/** Absolute URL the request goes to. */
	readonly url: URL;
	/** True only when scheme, host and port equal the profile's Graph host. */
	readonly mayAttachToken: boolean;
	/** Why the token stays home, for the warning. */
	readonly reason?: string;
}

export class RequestTargetError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'RequestTargetError';
	}
}

/**
 * Resolves `url` against the profile: a path (`/communications/calls`) joins the versioned base URL, a path that
 * already names a version (`/beta/...`) joins the host. Throws RequestTargetError for anything that is not http(s).
 */
export function resolveRequestTarget(url: string, graphHost: string, apiVersion: string): RequestTarget {
	const host = new URL(graphHost);
	let target: URL;
	const trimmed = url.trim();
	if (trimmed.startsWith('//')) {
		// Scheme-relative: it names another host, never a path on ours.
		target = parse(`${host.protocol}${trimmed}`);
	} else if (trimmed.startsWith('/')) {
		const versioned = /^\/(v1\.0|beta)(\/|$|\?)/.test(trimmed);
		target = parse(`${host.origin}${versioned ? '' : `/${apiVersion}`}${trimmed}`);
	} else {
		target = parse(trimmed);
	}
	if (target.protocol !== 'https:' && target.protocol !== 'http:') {
		throw new RequestTargetError(`${target.protocol} URLs cannot be sent: use an https URL or a path such as /communications/calls.`);
	}
	if (target.username || target.password) {
		throw new RequestTargetError(`The URL ${target.host}${target.pathname} carries a user name or password: remove it; requests are authenticated with the profile's token.`);
	}
	const same = target.origin.toLowerCase() === host.origin.toLowerCase();
	return same
		? { url: target, mayAttachToken: true }
		: { url: target, mayAttachToken: false, reason: `${target.origin} is not the profile's Graph host ${host.origin}` };
}

function parse(s: string): URL {
	try {
		return new URL(s);
	} catch {
		throw new RequestTargetError(`"${s}" is not a valid URL: write an absolute https URL or a path such as /communications/calls/{{callId}}.`);
	}
}

/** Headers a document may not set itself: the token is ours to attach, and hop-by-hop headers belong to the client. */
export const FORBIDDEN_DOCUMENT_HEADERS = ['authorization', 'host', 'content-length', 'connection', 'transfer-encoding', 'cookie', 'proxy-authorization'];

export function isForbiddenDocumentHeader(name: string): boolean {
	return FORBIDDEN_DOCUMENT_HEADERS.includes(name.toLowerCase());
}
