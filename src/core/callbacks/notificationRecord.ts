import { isSecretKey, Redactor } from '../graph/redaction';
import type { CommsNotification } from '../schema/types';
import type { TokenClaimsSummary } from './callbackTokenValidator';
import type { NotificationSummary } from './notificationParser';

/** What happened when a notification was forwarded to the developer's bot (relay or replay). */
export interface DeliveryOutcome {
	readonly kind: 'relay' | 'replay';
	readonly target: string;
	readonly at: string;
	/** The bot's HTTP status; undefined when the request failed. */
	readonly status?: number;
	readonly durationMs: number;
	readonly error?: string;
}

/** One POST the receiver got: what was sent, what we answered, and whether it was valid. */
export interface NotificationRecord {
	readonly id: string;
	readonly seq: number;
	/** ISO time of arrival. */
	readonly receivedAt: string;
	readonly method: string;
	readonly path: string;
	/** Headers as received, with Authorization and cookies redacted. */
	readonly headers: Readonly<Record<string, string>>;
	/** The body as received (text), possibly truncated when it was too large. */
	readonly body: string;
	readonly notifications: readonly CommsNotification[];
	readonly summaries: readonly NotificationSummary[];
	readonly warnings: readonly string[];
	/** The status code the receiver answered with. */
	readonly responseStatus: number;
	/** Accepted (202): handed to the CallStore and the relay. */
	readonly accepted: boolean;
	/** The token checked out. An accepted record can be invalid when validation is relaxed. */
	readonly valid: boolean;
	/** Why it is invalid or was rejected. */
	readonly reason?: string;
	/** Accepted despite an invalid token because validation is relaxed for the profile. */
	readonly relaxed?: boolean;
	readonly profileName?: string;
	readonly tokenClaims?: TokenClaimsSummary;
	relay?: DeliveryOutcome;
	readonly replays: DeliveryOutcome[];
}

const REDACTED_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie', 'set-cookie']);

/** The same rules as the request log (secret names by pattern, JWT and credential shapes), with this record's marker. */
const notificationRedactor = new Redactor('<redacted>');

// The original headers (with the token) stay out of the record so no export or log can leak them; relay reads them here.
const forwardHeaders = new WeakMap<NotificationRecord, Record<string, string>>();

export function redactHeaders(headers: Record<string, string>): Record<string, string> {
	const out: Record<string, string> = {};
	for (const [k, v] of Object.entries(headers)) {
		if (REDACTED_HEADERS.has(k.toLowerCase())) out[k] = /^bearer\s/i.test(v) ? 'Bearer <redacted>' : '<redacted>';
		else out[k] = isSecretKey(k) ? '<redacted>' : notificationRedactor.text(v);
	}
	return out;
}

/** A request path as shown and logged: secret query parameters and fragments (`?code=`, `#access_token=`) go. */
export function redactPath(path: string): string {
	return notificationRedactor.text(path);
}

export function attachForwardHeaders(record: NotificationRecord, headers: Record<string, string>): void {
	forwardHeaders.set(record, headers);
}

/** The headers to forward to the bot: the original ones, token included (the bot validates it too). */
export function forwardHeadersOf(record: NotificationRecord): Record<string, string> {
	return forwardHeaders.get(record) ?? { ...record.headers };
}

/** The call ids a record is about (for filtering by call). */
export function callIdsOf(record: NotificationRecord): string[] {
	return [...new Set(record.summaries.map((s) => s.callId).filter((id): id is string => !!id))];
}

/**
 * A deep copy with secrets replaced: names by pattern (recordingAccessToken, any *Token, *Secret, *Key ...),
 * and JWT- or credential-shaped values anywhere.
 */
export function redactSecrets(value: unknown): unknown {
	return notificationRedactor.value(value);
}

/**
 * A JSON-safe copy for "Open as JSON" and export: the Authorization header and any *Token field in the body are
 * redacted (replay still sends the body exactly as received).
 */
export function recordToJson(record: NotificationRecord): unknown {
	let body: unknown;
	try {
		body = redactSecrets(JSON.parse(record.body));
	} catch {
		// Malformed and non-JSON bodies (a rejected probe, a form post) are worth seeing as they came, minus secrets.
		body = notificationRedactor.text(record.body);
	}
	// `notifications` repeats the body: leave it out rather than keep a second, unredacted copy.
	// The headers were redacted when the record was made, keeping the scheme ("Bearer <redacted>") readable.
	const { body: _raw, summaries: _s, notifications: _n, headers, ...rest } = record;
	return { ...(notificationRedactor.value(rest) as object), headers: redactHeaders(headers), body };
}

/**
 * The record as anyone outside the receiver may see it (the public API): body and notifications with secrets
 * redacted. A body with nothing to redact is kept byte for byte, so it still matches what was relayed.
 */
export function redactedRecord(record: NotificationRecord): NotificationRecord {
	let body = record.body;
	try {
		const parsed: unknown = JSON.parse(record.body);
		const redacted = redactSecrets(parsed);
		if (JSON.stringify(redacted) !== JSON.stringify(parsed)) body = JSON.stringify(redacted);
	} catch {
		body = notificationRedactor.text(record.body);
	}
	return { ...record, body, notifications: record.notifications.map((n) => redactSecrets(n) as CommsNotification) };
}
