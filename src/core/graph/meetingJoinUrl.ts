/**
 * Teams meeting join links, turned into what POST /communications/calls needs:
 * - `https://teams.microsoft.com/l/meetup-join/19%3ameeting_...%40thread.v2/0?context={"Tid":"...","Oid":"..."}`
 *   gives chatInfo (thread id, message id) and organizerMeetingInfo (organizer id, tenant id);
 * - `https://teams.microsoft.com/meet/<join id>?p=<passcode>` gives joinMeetingIdMeetingInfo.
 */

export type ParsedJoinUrl =
	| { readonly kind: 'organizer'; readonly threadId: string; readonly messageId: string; readonly organizerId: string; readonly tenantId?: string }
	| { readonly kind: 'joinMeetingId'; readonly joinMeetingId: string; readonly passcode?: string };

export type JoinUrlResult = { readonly ok: true; readonly value: ParsedJoinUrl } | { readonly ok: false; readonly error: string };

const HINT = 'Paste the whole "Join the meeting" link from the invite, for example https://teams.microsoft.com/l/meetup-join/19%3ameeting_...%40thread.v2/0?context=...';

export function parseJoinUrl(input: string): JoinUrlResult {
	let url: URL;
	try {
		url = new URL(input.trim());
	} catch {
		return { ok: false, error: `That is not a URL. ${HINT}` };
	}
	if (url.protocol !== 'https:') return { ok: false, error: `A Teams join link starts with https://. ${HINT}` };
	const segments = url.pathname.split('/').filter(Boolean).map((s) => safeDecode(s));

	const meet = segments.indexOf('meet');
	if (meet >= 0 && segments[meet + 1]) {
		const joinMeetingId = segments[meet + 1];
		if (!/^\d{6,20}$/.test(joinMeetingId)) return { ok: false, error: `The meeting id in the link should be digits; got "${joinMeetingId}".` };
		const passcode = url.searchParams.get('p') ?? undefined;
		return { ok: true, value: { kind: 'joinMeetingId', joinMeetingId, passcode } };
	}

	const join = segments.indexOf('meetup-join');
	if (join < 0 || !segments[join + 1]) return { ok: false, error: `The link has no meetup-join part. ${HINT}` };
	const threadId = segments[join + 1];
	if (!/^19:.+@thread\.(v2|skype|tacv2)$/.test(threadId)) return { ok: false, error: `The thread id in the link should look like 19:meeting_...@thread.v2; got "${threadId}".` };
	const messageId = segments[join + 2] ?? '0';
	const rawContext = url.searchParams.get('context');
	if (!rawContext) return { ok: false, error: `The link has no context parameter with the organizer. ${HINT}` };
	let context: { Tid?: unknown; Oid?: unknown };
	try {
		context = JSON.parse(rawContext) as { Tid?: unknown; Oid?: unknown };
	} catch {
		return { ok: false, error: `The link's context parameter is not valid JSON. ${HINT}` };
	}
	if (typeof context.Oid !== 'string' || context.Oid === '') return { ok: false, error: `The link's context has no organizer id (Oid). ${HINT}` };
	return { ok: true, value: { kind: 'organizer', threadId, messageId, organizerId: context.Oid, tenantId: typeof context.Tid === 'string' ? context.Tid : undefined } };
}

function safeDecode(s: string): string {
	try {
		return decodeURIComponent(s);
	} catch {
		return s;
	}
}
