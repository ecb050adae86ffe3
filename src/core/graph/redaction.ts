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

/** Body keys whose values are always secrets, compared case-insensitively with `_` and `-` ignored. */
const SECRET_KEYS = new Set(
	[
		'client_secret',
		'client_assertion',
		'access_token',
		'refresh_token',
		'id_token',
		'recordingAccessToken',
		'password',
		'assertion',
		'authorization',
		'token',
		'secret',
		'privateKey',
		'code_verifier',
	].map(normaliseKey),
);

function normaliseKey(key: string): string {
	return key.replace(/[_-]/g, '').toLowerCase();
}

/** Answers per key name: response bodies repeat the same few dozen names on every request. */
const secretKeyCache = new Map<string, boolean>();

export function isSecretKey(key: string): boolean {
	let secret = secretKeyCache.get(key);
	if (secret === undefined) {
		secret = SECRET_KEYS.has(normaliseKey(key));
		// Bounded: keys are names, but a body may use ids as keys.
		if (secretKeyCache.size >= 2000) secretKeyCache.clear();
		secretKeyCache.set(key, secret);
	}
	return secret;
}

/** Three base64url segments where the first decodes to a JSON header: the shape of a JWS/JWT. */
const JWT_PATTERN = /eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]*/g;
/** `key=value` pairs in form bodies, query strings and free text ("... client_secret=abc ..."). */
const FORM_PAIR = /([?&\s,;(]|^)([A-Za-z_-]+)=([^&#\s,;)]*)/g;
/** `"key": "value"` pairs in JSON text that could not be parsed (truncated bodies). */
const JSON_PAIR = /"([A-Za-z_-]+)"(\s*:\s*)"((?:[^"\\]|\\.)*)"/g;
/** `Bearer <anything>` inside free text, for example a server echoing the Authorization header in a message. */
const BEARER = /\b(Bearer)\s+[^\s"',;]+/gi;
/** Something each pattern above needs: a JWT's `eyJ`, the word Bearer, a quote (JSON pair) or `=` (form pair). */
const MAYBE_MATCH = /eyJ|bearer|["=]/i;

export class Redactor {
	private readonly known = new Set<string>();

	/** Exact values to scrub wherever they appear (the access token in use, a client secret). */
	addSecret(value: string | undefined): void {
		// Short values would scrub ordinary words; real secrets and tokens are long.
		if (value && value.length >= 8) this.known.add(value);
	}

	text(input: string): string {
		// Most strings (ids, states, names, header values) can match no rule: skip the five passes over them.
		// Every request event is redacted, so this is on the request path (see the benchmarks in the README).
		if (!MAYBE_MATCH.test(input) && !this.holdsKnownSecret(input)) return input;
		let out = input;
		for (const secret of this.known) out = out.split(secret).join(REDACTED);
		out = out.replace(JWT_PATTERN, REDACTED);
		out = out.replace(BEARER, `$1 ${REDACTED}`);
		out = out.replace(JSON_PAIR, (m, key: string, sep: string) => (isSecretKey(key) ? `"${key}"${sep}"${REDACTED}"` : m));
		out = out.replace(FORM_PAIR, (m, lead: string, key: string) => (isSecretKey(key) ? `${lead}${key}=${REDACTED}` : m));
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
				out[key] = isSecretKey(k) && v != null && v !== '' ? REDACTED : this.value(v);
			}
			return out;
		}
		return input;
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
			out[lower] = SAFE_HEADERS.has(lower) ? this.text(value) : REDACTED;
		}
		return out;
	}

	url(input: string): string {
		return this.text(input);
	}
}

/** A redactor that knows no extra secrets: key names, JWT shapes and the header allow-list only. */
export const defaultRedactor = new Redactor();
