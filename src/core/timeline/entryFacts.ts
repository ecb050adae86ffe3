/**
 * What the timeline reads out of one traffic-record entry: the calls it is about, a short label for its arrow,
 * the notifications it carries and the people it names. Read once per entry, without trusting the bodies' shape
 * (a HAR file opened later may come from anywhere).
 */
import { summarizeNotification, type NotificationSummary } from '../callbacks/notificationParser';
import { matchEndpoint } from '../schema/endpointMatch';
import type { CommsNotification } from '../schema/types';
import type { HarEntry } from '../traffic/har';

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
	return !!v && typeof v === 'object' && !Array.isArray(v);
}

/** Call ids arrive upper-case without dashes in notifications and lower-case with dashes elsewhere. */
export function normalCallId(id: string): string {
	return id.replace(/-/g, '').toLowerCase();
}

export function parseJsonObject(text: string | undefined): Json | undefined {
	if (!text) return undefined;
	const t = text.trimStart();
	if (t[0] !== '{') return undefined;
	try {
		const v = JSON.parse(t) as unknown;
		return isObject(v) ? v : undefined;
	} catch {
		return undefined;
	}
}

/** A person seen in a body: a participant, a target, a caller. `key` is stable across notifications. */
export interface PersonRef {
	readonly key: string;
	readonly name: string;
}

/** What happened to a participant, as a participants notification tells it. */
export interface ParticipantChange {
	readonly person: PersonRef;
	readonly change: 'joined' | 'left' | 'muted' | 'unmuted';
}

export interface EntryFacts {
	readonly direction: 'out' | 'in';
	/** Normalised call ids the entry is about. */
	readonly callIds: readonly string[];
	/** `POST /communications/calls/{id}/playPrompt` shortened to `playPrompt`, or a notification summary. */
	readonly label: string;
	/** Notifications carried (incoming entries). */
	readonly notifications: readonly NotificationSummary[];
	/** People named in the body (targets, source, participants). */
	readonly people: readonly PersonRef[];
	/** Participants' state as a roster notification reports it: id → muted, plus removals. */
	readonly roster: readonly { readonly participantId: string; readonly person: PersonRef; readonly muted?: boolean; readonly removed: boolean }[];
}

const CALL_URL = /\/(?:communications|app)\/calls\/([^/?#]+)/i;

/** Display name of an identitySet (user, phone, application, guest ...): the first identity with a name or id. */
export function identityName(set: unknown): PersonRef | undefined {
	if (!isObject(set)) return undefined;
	for (const kind of ['user', 'phone', 'guest', 'encrypted', 'onPremises', 'acsUser', 'spoolUser', 'teamsAppUser', 'application', 'device']) {
		const id = set[kind];
		if (!isObject(id)) continue;
		const name = typeof id.displayName === 'string' && id.displayName ? id.displayName : undefined;
		const key = typeof id.id === 'string' && id.id ? `${kind}:${id.id}` : name ? `${kind}:${name}` : undefined;
		if (!key) continue;
		// Applications are bots (the bot itself, or another one): they are not people in the call.
		if (kind === 'application') return undefined;
		return { key, name: name ?? (kind === 'phone' ? String(id.id) : `${kind} ${String(id.id).slice(0, 8)}`) };
	}
	return undefined;
}

function participantPerson(p: Json): PersonRef | undefined {
	return identityName(isObject(p.info) ? p.info.identity : undefined);
}

function peopleOfCreate(body: Json | undefined): PersonRef[] {
	const out: PersonRef[] = [];
	const targets = body?.targets;
	if (Array.isArray(targets)) {
		for (const t of targets) {
			const p = isObject(t) ? identityName(t.identity) : undefined;
			if (p) out.push(p);
		}
	}
	const source = isObject(body?.source) ? identityName(body.source.identity) : undefined;
	if (source) out.push(source);
	return out;
}

/** Short arrow label for a request to Graph: the endpoint table's action, else the method and path. */
function requestLabel(entry: HarEntry): { label: string; callId?: string } {
	const { method, url } = entry.request;
	const hit = /\/calls(\/|\?|$)/i.test(url) ? matchEndpoint(method, url) : undefined;
	if (hit) {
		const action = hit.row.action.replace(/^call\./, '').replace(/^participant\./, 'participant ').replace(/^participants\./, 'participants ');
		return { label: `${method} ${action}`, callId: hit.params.callId };
	}
	let path = url;
	try {
		path = new URL(url).pathname;
	} catch {
		// A relative URL: show it as it is.
	}
	return { label: `${method} ${path}` };
}

function notificationLabel(s: NotificationSummary): string {
	if (s.kind === 'call') return `call ${s.state ?? s.changeType}${s.resultInfo?.code !== undefined ? ` (${s.resultInfo.code}/${s.resultInfo.subcode ?? 0})` : ''}`;
	if (s.kind === 'participants') return `participants ${s.changeType}${s.participantCount !== undefined ? ` (${s.participantCount})` : ''}`;
	if (s.kind === 'operation') {
		const type = s.dataType?.replace(/^#?microsoft\.graph\./, '').replace(/Operation$/, '') ?? 'operation';
		return `${type} ${s.operationStatus ?? s.changeType}`;
	}
	return `${s.changeType} ${s.resourceUrl}`;
}

function notificationsOf(body: Json | undefined): { summaries: NotificationSummary[]; raw: Json[] } {
	const value = body?.value;
	if (!Array.isArray(value)) return { summaries: [], raw: [] };
	const summaries: NotificationSummary[] = [];
	const raw: Json[] = [];
	for (const v of value) {
		if (!isObject(v)) continue;
		const resourceUrl = typeof v.resourceUrl === 'string' ? v.resourceUrl : typeof v.resource === 'string' ? v.resource : '';
		summaries.push(summarizeNotification({ ...v, changeType: typeof v.changeType === 'string' ? v.changeType : 'updated', resourceUrl } as unknown as CommsNotification));
		raw.push(v);
	}
	return { summaries, raw };
}

export function entryFacts(entry: HarEntry): EntryFacts {
	const direction = entry._direction ?? 'out';
	const body = parseJsonObject(entry.request.postData?.text);
	if (direction === 'out') {
		const { label, callId } = requestLabel(entry);
		const ids: string[] = [];
		if (callId) ids.push(normalCallId(callId));
		else if (entry.request.method.toUpperCase() === 'POST' && /\/communications\/calls\/?(\?|$)/i.test(entry.request.url)) {
			// A create: the new call's id is in the answer (body or Location).
			const res = parseJsonObject(entry.response.content?.text);
			const loc = entry.response.redirectURL || entry.response.headers.find((h) => h.name.toLowerCase() === 'location')?.value || '';
			const id = typeof res?.id === 'string' && res.id ? res.id : CALL_URL.exec(loc)?.[1];
			if (id) ids.push(normalCallId(decodeURIComponent(id)));
		}
		return { direction, callIds: ids, label, notifications: [], people: peopleOfCreate(body), roster: [] };
	}
	const { summaries, raw } = notificationsOf(body);
	const callIds = [...new Set(summaries.map((s) => s.callId).filter((id): id is string => !!id).map((id) => normalCallId(decodeURIComponent(id))))];
	const people: PersonRef[] = [];
	const roster: EntryFacts['roster'][number][] = [];
	raw.forEach((n, i) => {
		const s = summaries[i];
		const data = n.resourceData;
		if (s.kind === 'call' && isObject(data)) {
			const src = isObject(data.source) ? identityName(data.source.identity) : undefined;
			if (src) people.push(src);
			if (Array.isArray(data.targets)) for (const t of data.targets) if (isObject(t)) { const p = identityName(t.identity); if (p) people.push(p); }
		}
		if (s.kind !== 'participants') return;
		const list = Array.isArray(data) ? data : isObject(data) ? [data] : [];
		for (const p of list) {
			if (!isObject(p)) continue;
			const person = participantPerson(p);
			if (!person) continue;
			people.push(person);
			const participantId = typeof p.id === 'string' ? p.id : person.key;
			roster.push({ participantId, person, muted: typeof p.isMuted === 'boolean' ? p.isMuted : undefined, removed: s.changeType === 'deleted' });
		}
	});
	return { direction, callIds, label: summaries.length ? summaries.map(notificationLabel).join(', ') : `POST ${entry.request.url}`, notifications: summaries, people, roster };
}
