/**
 * What a click on an arrow shows: the redacted request, response or notification behind the event, as plain text
 * sections (the view renders them with textContent). Redacted here again because a HAR file opened later may not
 * have been written by this product.
 */
import type { HarEntry } from '../traffic/har';
import { redactEntry } from './timelineHar';
import { formatMs, formatOffset, type TimelineEvent } from './timelineModel';

export interface DetailSection {
	readonly heading: string;
	readonly text: string;
}

export interface EventDetails {
	readonly id: number;
	readonly title: string;
	readonly sections: readonly DetailSection[];
}

function pretty(text: string | undefined): string {
	if (text === undefined || text === '') return '(no body)';
	try {
		return JSON.stringify(JSON.parse(text), null, 2);
	} catch {
		return text;
	}
}

function headerLines(list: readonly { name: string; value: string }[]): string {
	return list.length ? list.map((h) => `${h.name}: ${h.value}`).join('\n') : '(no headers)';
}

const MAX_BODY = 200_000;

function body(text: string | undefined): string {
	const p = pretty(text);
	return p.length > MAX_BODY ? `${p.slice(0, MAX_BODY)}\n… (${p.length - MAX_BODY} more characters; export the HAR to see all)` : p;
}

export function eventDetails(event: TimelineEvent, entries: readonly HarEntry[], start: number): EventDetails {
	const when = `${formatOffset(event.t - start)} (${new Date(event.t).toISOString()})`;
	const findings: DetailSection[] = event.findings.length
		? [{ heading: 'Lint findings', text: event.findings.map((f) => `${f.severity} ${f.rule}: ${f.message}\n  ${f.docs}`).join('\n') }]
		: [];
	const raw = event.entry !== undefined ? entries[event.entry] : undefined;
	if (!raw) {
		return { id: event.id, title: `${event.label}`, sections: [{ heading: event.inferred ? 'Read off a participants notification' : 'Person action', text: `${event.label} at ${when}` }, ...findings] };
	}
	const e = redactEntry(raw);
	const request: DetailSection[] = [
		{ heading: event.kind === 'notification' || event.kind === 'ack' ? 'Notification (POST to the callback)' : 'Request', text: `${e.request.method} ${e.request.url}\n${headerLines(e.request.headers)}` },
		{ heading: 'Request body', text: body(e.request.postData?.text) },
	];
	const response: DetailSection[] = [
		{ heading: event.kind === 'notification' || event.kind === 'ack' ? "The bot's answer" : 'Response', text: `${e.response.status || 'no answer'}${e.response._error ? ` (${e.response._error})` : ''} after ${formatMs(e.time)}\n${headerLines(e.response.headers)}` },
		{ heading: 'Response body', text: body(e.response.content?.text) },
	];
	const first = event.kind === 'response' || event.kind === 'ack' ? [...response, ...request] : [...request, ...response];
	return { id: event.id, title: `${event.label} at ${when}`, sections: [...first, ...findings, ...(e.comment ? [{ heading: 'Comment', text: e.comment }] : [])] };
}
