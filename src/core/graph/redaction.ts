/**
 * Redaction happens here, in core, before a request or response event leaves the GraphClient: nothing that reaches
 * a log, a HAR file or an error message has seen a secret. Headers are an allow-list; bodies are scrubbed by key
 * name, by JWT shape, and by the exact values of secrets the caller knows about (the bearer token in use).
 */

export const REDACTED = '[redacted]';

/** Headers whose values are safe to show. Everything else keeps its name and loses its value. */
const SAFE_HEADERS = new Set([
	'accept',
	'accept-encoding',
	'cache-control',
	'client-request-id',
	'connection',
	'content-encoding',
	'content-length',
	'content-type',
	'date',
	'keep-alive',
	'location',
	'odata-version',
	'prefer',
	'preference-applied',
	'request-id',
	'retry-after',
	'strict-transport-security',
	'transfer-encoding',
	'user-agent',
	'vary',
	'x-ms-ags-diagnostic',
	'x-ms-client-request-id',
	'x-ms-request-id',
	'x-ms-resource-unit',
	'x-ms-throttle-information',
	'x-ms-throttle-limit-percentage',
	'x-ms-throttle-scope',
]);

/**
 * Secret names are recognised by their parts, not from a list: `recordingAccessToken`, `client_secret`,
 * `privateKeyPem`, `x-api-key`, `sharedAccessSignature`, `credential`, `x-sig`. The name is split into word
 * parts (camelCase, `_`, `-`, `.`); it is secret when a part contains token, secret, passw(or)d, credential,
 * signature, assertion, authorization or verifier, or a part is key, apikey, pwd or sig (as a whole part:
 * `design` and `monkey` stay readable). Parts naming something about a secret rather than the secret itself
 * (`tokenType`, `keyId`, `tokenClaims`, `tokenExpiresOn`) end the name in a descriptor and are kept.
 */
const SECRET_PART = /token|secret|passw(or)?d|credential|signature|assertion|authorization|verifier/;
const SECRET_WHOLE_PART = new Set(['key', 'apikey', 'pwd', 'sig', 'code']);
const DESCRIPTOR_PART = new Set(['type', 'types', 'claims', 'id', 'ids', 'kind', 'name', 'names', 'expiry', 'expires', 'expiration', 'on', 'at', 'in', 'count', 'length', 'lifetime', 'policy', 'url', 'uri', 'endpoint', 'version', 'algorithm', 'alg', 'status', 'source', 'location', 'required', 'enabled', 'hint']);

function nameParts(key: string): string[] {
	return key
		.replace(/([a-z0-9])([A-Z])/g, '$1 $2')
		.replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
		.toLowerCase()
		.split(/[^a-z0-9]+/)
		.filter(Boolean);
}

function classify(key: string): { secret: boolean; secretAsParameter: boolean } {
	const parts = nameParts(key);
	if (parts.length === 0) return { secret: false, secretAsParameter: false };
	if (parts.length > 1 && DESCRIPTOR_PART.has(parts[parts.length - 1])) return { secret: false, secretAsParameter: false };
	const byPart = parts.some((p) => SECRET_PART.test(p) || (p !== 'code' && SECRET_WHOLE_PART.has(p)));
	// `code` is an OAuth authorization code in a query string or fragment, but an error code in a JSON body.
	return { secret: byPart, secretAsParameter: byPart || parts.includes('code') };
}

/** Answers per key name: response bodies repeat the same few dozen names on every request. */
const secretKeyCache = new Map<string, { secret: boolean; secretAsParameter: boolean }>();

function classifyCached(key: string): { secret: boolean; secretAsParameter: boolean } {
	let c = secretKeyCache.get(key);
	if (c === undefined) {
		c = classify(key);
		// Bounded: keys are names, but a body may use ids as keys.
		if (secretKeyCache.size >= 2000) secretKeyCache.clear();
		secretKeyCache.set(key, c);
	}
	return c;
}

/** A JSON property, header or form field name whose value is a secret. */
export function isSecretKey(key: string): boolean {
	return classifyCached(key).secret;
}

/** A URL query or fragment parameter whose value is a secret (also `code`, `sig` and the like). */
export function isSecretParameter(key: string): boolean {
	return classifyCached(key).secretAsParameter;
}

/**
 * JWS/JWT shape: three base64url parts separated by dots, whatever the header starts with. Parts of 10 or more
 * characters and mixed case in the first two keep dotted names (`microsoft.graph.call`, host names) readable.
 */
const JWT_PATTERN = /(?<![\w-])[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]*/g;
/** A JWS/JWT whose header is base64url JSON (`eyJ` is `{"`): short parts too. */
const EYJ_JWT_PATTERN = /eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]*/g;
/**
 * Credential-shaped runs: 32 or more characters of the base64, base64url and client-secret alphabets holding
 * upper case, lower case and a digit. Graph ids stay readable: GUIDs are one-case hex in parts of at most 12,
 * paths and URLs start with `/` (or `//` after a scheme) and break at `:`, and a Teams thread id's base64
 * (`19:meeting_...@thread.v2`) is an id, so it is skipped.
 */
const CREDENTIAL_RUN = /(?<![A-Za-z0-9+/~._=-])[A-Za-z0-9+/~._-]{32,}={0,2}(?![A-Za-z0-9+/~._=-])/g;
/** `key=value` pairs in form bodies, query strings, fragments and free text ("... client_secret=abc ..."). */
const FORM_PAIR = /(^|[^\w.-])([\w.-]+)=([^&#\s,;)<>"']*)/g;
/** `"key": "value"` pairs in JSON text that could not be parsed (truncated bodies). */
const JSON_PAIR = /"([\w.@-]+)"(\s*:\s*)"((?:[^"\\]|\\.)*)"/g;
/** `Bearer <anything>` inside free text, for example a server echoing the Authorization header in a message. */
const BEARER = /\b(Bearer|Basic|SharedAccessSignature)\s+[^\s"',;]+/gi;
/** Something the name, bearer and JWT-with-JSON-header patterns need. */
const MAYBE_MATCH = /eyJ|bearer|basic|sharedaccess|["=]/i;

/**
 * Most strings (GUIDs, states, names, URLs) can match no rule: skip the passes over them. A shaped JWT or
 * credential is long and mixes upper case, lower case and digits; lower-case GUIDs and host names do not.
 * Every request event is redacted, so this is on the request path (see the benchmarks in the README).
 */
function maybeSecret(input: string): boolean {
	return MAYBE_MATCH.test(input) || (input.length >= 22 && /[A-Z]/.test(input) && /[a-z]/.test(input) && /[0-9]/.test(input));
}

function isJwtShaped(m: string): boolean {
	const [h, p] = m.split('.');
	return /[A-Z]/.test(h + p) && /[a-z]/.test(h + p);
}

/**
 * A run with `/` is a URL path after its host (`40123/v1.0/communications/calls/...`) when a segment is a GUID,
 * `v1.0` or `beta`, or two segments are words (`communications`, `playPrompt`). Random base64 meets neither
 * (a lone lower-case word between its slashes is not rare enough to count).
 */
const PATH_MARK = /^(?:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|v1\.0|beta)$/;
const PATH_WORD = /^[a-z]{4,}(?:[A-Z][a-z]+)*$/;

function isPath(run: string): boolean {
	const segments = run.split('/');
	return segments.some((seg) => PATH_MARK.test(seg)) || segments.filter((seg) => seg.length >= 5 && PATH_WORD.test(seg)).length >= 2;
}

function isCredentialShaped(run: string, input: string, offset: number): boolean {
	if (!/[A-Z]/.test(run) || !/[a-z]/.test(run) || !/[0-9]/.test(run)) return false;
	if (run.startsWith('/') || (run.includes('/') && isPath(run)) || /^(?:3a)?meeting_/i.test(run) || /19(?::|%3a)$/i.test(input.slice(Math.max(0, offset - 4), offset))) return false;
	return true;
}

export class Redactor {
	private readonly known = new Set<string>();

	/** `marker` replaces each secret; the notifications record has always shown `<redacted>`. */
	constructor(private readonly marker: string = REDACTED) {}

	/** Exact values to scrub wherever they appear (the access token in use, a client secret). */
	addSecret(value: string | undefined): void {
		// Short values would scrub ordinary words; real secrets and tokens are long.
		if (value && value.length >= 8) this.known.add(value);
	}

	text(input: string): string {
		if (!maybeSecret(input) && !this.holdsKnownSecret(input)) return input;
		let out = input;
		for (const secret of this.known) out = out.split(secret).join(this.marker);
		out = out.replace(EYJ_JWT_PATTERN, this.marker);
		out = out.replace(JWT_PATTERN, (m) => (isJwtShaped(m) ? this.marker : m));
		out = out.replace(BEARER, `$1 ${this.marker}`);
		out = out.replace(JSON_PAIR, (m, key: string, sep: string) => (isSecretKey(key) ? `"${key}"${sep}"${this.marker}"` : m));
		out = out.replace(FORM_PAIR, (m, lead: string, key: string) => ((lead === '?' || lead === '&' || lead === '#' ? isSecretParameter(key) : isSecretKey(key)) ? `${lead}${key}=${this.marker}` : m));
		out = out.replace(CREDENTIAL_RUN, (m, offset: number, whole: string) => (isCredentialShaped(m, whole, offset) ? this.marker : m));
		return out;
	}

	private holdsKnownSecret(input: string): boolean {
		for (const secret of this.known) if (input.includes(secret)) return true;
		return false;
	}

	/** Deep copy of a JSON value with secret keys and secret-looking strings replaced. */
	value(input: unknown): unknown {
		if (typeof input === 'string') return this.text(input);
		if (Array.isArray(input)) return input.map((v) => this.value(v));
		if (input && typeof input === 'object') {
			const out: Record<string, unknown> = {};
			for (const [k, v] of Object.entries(input)) {
				const key = this.text(k);
				out[key] = isSecretKey(k) && v != null && v !== '' ? this.secret(v) : this.value(v);
			}
			return out;
		}
		return input;
	}

	/** Everything under a secret name: strings and numbers go, the shape of objects and lists stays. */
	private secret(v: unknown): unknown {
		if (Array.isArray(v)) return v.map((x) => this.secret(x));
		if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [this.text(k), this.secret(x)]));
		return typeof v === 'string' || typeof v === 'number' ? this.marker : v;
	}

	/** Body as sent or received: JSON values are walked, text is scrubbed. */
	body(input: unknown): unknown {
		if (input === undefined || input === null) return input;
		if (typeof input === 'string') {
			const trimmed = input.trim();
			if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
				try {
					return JSON.stringify(this.value(JSON.parse(trimmed)));
				} catch {
					// Not JSON after all (or truncated): fall through to text scrubbing.
				}
			}
			return this.text(input);
		}
		return this.value(input);
	}

	headers(input: Record<string, string | string[] | undefined>): Record<string, string> {
		const out: Record<string, string> = {};
		for (const [name, raw] of Object.entries(input)) {
			if (raw === undefined) continue;
			const value = Array.isArray(raw) ? raw.join(', ') : String(raw);
			const lower = name.toLowerCase();
			// Allowed headers are still scrubbed: a Location may carry a token in its query string.
			out[lower] = SAFE_HEADERS.has(lower) ? this.text(value) : this.marker;
		}
		return out;
	}

	url(input: string): string {
		return this.text(input);
	}
}

/** A redactor that knows no extra secrets: key names, JWT and credential shapes and the header allow-list. */
export const defaultRedactor = new Redactor();

/**
 * What every view and export that shows data from Graph or a notification calls before showing it (Open as
 * JSON, tooltips, exported files): a deep copy of a JSON value, or a string, with secrets replaced by the rules
 * above.
 */
export function redactForDisplay<T>(value: T): T {
	return (typeof value === 'string' ? defaultRedactor.text(value) : defaultRedactor.value(value)) as T;
}
