import type { GraphRequestEvent } from './graphClient';
import { defaultRedactor, type Redactor } from './redaction';

/**
 * Text for the "Graph Calls" log. Events arrive redacted; the formatter scrubs once more with the same rules so
 * a formatter fed something unredacted (a future caller, a test) still cannot print a token.
 */

/** `POST /communications/calls/{id}/playPrompt -> 200 in 84 ms [client-request-id ...]` */
export function formatRequestLine(e: GraphRequestEvent, redactor: Redactor = defaultRedactor): string {
	const outcome = e.status !== undefined ? `${e.status}` : `failed (${e.error ?? 'no answer'})`;
	const attempt = e.attempt > 1 ? ` (attempt ${e.attempt})` : '';
	const next = e.next ? `, ${e.next}` : '';
	const ids = `client-request-id ${e.clientRequestId}${e.requestId ? `, request-id ${e.requestId}` : ''}`;
	return redactor.text(`${e.method} ${e.path} -> ${outcome} in ${e.durationMs} ms${attempt}${next} [${ids}]`);
}

function pretty(body: unknown, redactor: Redactor): string {
	if (body === undefined) return '(no body)';
	const value = redactor.body(body);
	if (typeof value === 'string') {
		try {
			return JSON.stringify(JSON.parse(value), null, 2);
		} catch {
			return value;
		}
	}
	return JSON.stringify(value, null, 2);
}

function headerLines(h: Readonly<Record<string, string>> | undefined, redactor: Redactor): string {
	return Object.entries(redactor.headers({ ...h })).map(([k, v]) => `  ${k}: ${v}`).join('\n');
}

/** Headers and pretty bodies, for the debug and trace levels. */
export function formatRequestDetails(e: GraphRequestEvent, redactor: Redactor = defaultRedactor): string {
	const parts = [
		`> ${e.method} ${redactor.url(e.url)}`,
		headerLines(e.requestHeaders, redactor),
		pretty(e.requestBody, redactor),
	];
	if (e.status !== undefined) {
		parts.push(`< ${e.status}`, headerLines(e.responseHeaders, redactor), pretty(e.responseBody, redactor));
	}
	return parts.filter((p) => p !== '').join('\n');
}
