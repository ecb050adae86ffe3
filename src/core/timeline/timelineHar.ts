/**
 * The HAR export of one timeline: the source's entries that made its events (one call's subset of a bigger
 * record), in time order, with the people's actions and the token's roles, redacted once more on the way out
 * (a HAR file opened from elsewhere may hold a token). The result is a traffic record lint and the timeline read.
 */
import { defaultRedactor } from '../graph/redaction';
import type { HarEntry } from '../traffic/har';
import { buildTrafficLog, type PersonAction, type TrafficLog } from '../traffic/trafficRecord';
import type { Timeline } from './timelineModel';

/** A copy of the entry with headers, URL and bodies scrubbed by the product's redaction rules. */
export function redactEntry(entry: HarEntry): HarEntry {
	const headers = (list: readonly { name: string; value: string }[]) =>
		list.map(({ name, value }) => ({ name, value: defaultRedactor.headers({ [name]: value })[name.toLowerCase()] ?? '' }));
	const req = entry.request;
	const res = entry.response;
	return {
		...entry,
		request: {
			...req,
			url: defaultRedactor.url(req.url),
			headers: headers(req.headers),
			queryString: (req.queryString ?? []).map(({ name, value }) => ({ name, value: defaultRedactor.text(`${name}=${value}`).slice(name.length + 1) })),
			...(req.postData ? { postData: { ...req.postData, text: redactBody(req.postData.text) } } : {}),
		},
		response: {
			...res,
			headers: headers(res.headers),
			redirectURL: defaultRedactor.url(res.redirectURL ?? ''),
			content: { ...res.content, ...(res.content?.text !== undefined ? { text: redactBody(res.content.text) } : {}) },
		},
	};
}

function redactBody(text: string): string {
	const body = defaultRedactor.body(text);
	return typeof body === 'string' ? body : JSON.stringify(body);
}

export function timelineToHar(timeline: Timeline, source: { entries: readonly HarEntry[]; actions?: readonly PersonAction[]; roles?: readonly string[] }, creatorVersion: string): TrafficLog {
	const seen = new Set<number>();
	const entries: HarEntry[] = [];
	for (const e of timeline.events) {
		if (e.entry === undefined || seen.has(e.entry) || (e.kind !== 'request' && e.kind !== 'notification')) continue;
		const entry = source.entries[e.entry];
		if (!entry) continue;
		seen.add(e.entry);
		entries.push(redactEntry(entry));
	}
	const recorded = timeline.events.filter((e) => e.kind === 'action' && !e.inferred);
	const actions = (source.actions ?? []).filter((a) => recorded.some((e) => e.t === Date.parse(a.time) && e.label === a.action));
	return buildTrafficLog(entries, { creatorVersion, actions, roles: source.roles });
}
