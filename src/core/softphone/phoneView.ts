/**
 * What a softphone shows for one emulated person or phone number, computed from the emulator's state
 * (GET /_emulator/state). Pure: the panel polls the state and renders whatever this returns.
 */

/** Whom the softphone belongs to, as the emulator's directory names them. */
export interface PhonePerson {
	readonly kind: 'user' | 'phone';
	/** The user's object id, or the E.164 number. */
	readonly id: string;
	readonly displayName: string;
}

/** How this person is in the call. */
export type PhoneCallRole = 'callingBot' | 'calledByBot' | 'inMeeting' | 'inGroup';

export interface PhoneCall {
	readonly callId: string;
	readonly state: string;
	readonly role: PhoneCallRole;
	/** The app that made or answered the call. */
	readonly appId: string;
	readonly appName: string;
	/** The other side: the bot's name, or the meeting's subject. */
	readonly title: string;
	/** This person's participant id once they are in the call's roster. */
	readonly participantId?: string;
	/** The bot calls and this person has not picked up yet. */
	readonly ringing: boolean;
	readonly muted: boolean;
	readonly onHold: boolean;
	readonly inLobby: boolean;
	/** The media operations the bot has running on the call, oldest first (what this person hears). */
	readonly media: readonly PhoneMedia[];
	readonly tonesSubscribed: boolean;
	readonly transferring: boolean;
	/** Emulated time at which the call was established, when the emulator reports it. */
	readonly establishedAt?: string;
}

export interface PhoneMedia {
	readonly kind: 'prompt' | 'recording' | 'holdMusic';
	readonly operationId: string;
	readonly status: string;
	/** The prompt's audio URIs, when the emulator reports them. */
	readonly uris: readonly string[];
}

export interface PhoneView {
	readonly person: PhonePerson;
	readonly calls: readonly PhoneCall[];
	/** Apps a person can call (the bot, and any app the developer registered with a calling webhook). */
	readonly apps: readonly { readonly id: string; readonly name: string; readonly canBeCalled: boolean }[];
	/** Emulated time of the state, for durations. */
	readonly now?: string;
}

/** The part of GET /_emulator/state the softphone reads; everything is checked, since it crosses a process boundary. */
interface StateLike {
	clock?: { now?: unknown };
	calls?: unknown;
	apps?: unknown;
}

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const path = (v: unknown, ...keys: string[]): unknown => keys.reduce<unknown>((o, k) => (isObject(o) ? o[k] : undefined), v);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

function sameParty(identity: unknown, person: PhonePerson): boolean {
	const id = person.kind === 'user' ? str(path(identity, 'user', 'id')) : str(path(identity, 'phone', 'id'));
	return !!id && id.toLowerCase() === person.id.toLowerCase();
}

const MEDIA_KINDS: Record<string, PhoneMedia['kind']> = {
	'#microsoft.graph.playPromptOperation': 'prompt',
	'#microsoft.graph.recordOperation': 'recording',
	'#microsoft.graph.startHoldMusicOperation': 'holdMusic',
};

function mediaOf(operations: unknown): PhoneMedia[] {
	const out: PhoneMedia[] = [];
	for (const op of list(operations)) {
		const kind = MEDIA_KINDS[str(path(op, '@odata.type')) ?? ''];
		const status = str(path(op, 'status')) ?? '';
		if (!kind || (status !== 'running' && status !== 'notStarted')) continue;
		const uris = list(path(op, 'prompts')).map((p) => str(path(p, 'mediaInfo', 'uri'))).filter((u): u is string => !!u);
		out.push({ kind, operationId: str(path(op, 'id')) ?? '', status, uris });
	}
	return out;
}

/** This person's calls in the emulator, newest last, with what the bot is doing in each. */
export function phoneViewFromState(state: unknown, person: PhonePerson): PhoneView {
	const s: StateLike = isObject(state) ? state : {};
	const apps = list(s.apps).filter(isObject).map((a) => ({
		id: str(a.clientId) ?? '',
		name: str(a.displayName) ?? str(a.clientId) ?? 'app',
		canBeCalled: typeof a.callingWebhook === 'string' && a.callingWebhook.length > 0,
	}));
	const appName = (id: string) => apps.find((a) => a.id === id)?.name ?? id;
	const calls: PhoneCall[] = [];
	for (const entry of list(s.calls)) {
		const call = path(entry, 'call');
		const callId = str(path(call, 'id'));
		if (!callId) continue;
		const state = str(path(call, 'state')) ?? 'unknown';
		const kind = str(path(entry, 'kind')) ?? '';
		const appId = str(path(entry, 'appId')) ?? '';
		const participants = list(path(entry, 'participants')).filter(isObject);
		const mine = participants.find((p) => sameParty(path(p, 'info', 'identity'), person));
		const fromMe = sameParty(path(call, 'source', 'identity'), person);
		const toMe = list(path(call, 'targets')).some((t) => sameParty(path(t, 'identity'), person));
		let role: PhoneCallRole | undefined;
		if (fromMe && str(path(call, 'direction')) === 'incoming') role = 'callingBot';
		else if (toMe) role = 'calledByBot';
		else if (mine) role = kind === 'meeting' ? 'inMeeting' : 'inGroup';
		if (!role) continue;
		const subject = str(path(call, 'meetingInfo', 'subject')) ?? str(path(entry, 'meeting', 'subject'));
		calls.push({
			callId,
			state,
			role,
			appId,
			appName: appName(appId),
			title: role === 'inMeeting' && subject ? subject : appName(appId),
			participantId: str(path(mine, 'id')),
			ringing: role === 'calledByBot' && !mine && (state === 'establishing' || state === 'ringing'),
			muted: path(mine, 'isMuted') === true,
			onHold: path(mine, 'isOnHold') === true || state === 'hold',
			inLobby: path(mine, 'isInLobby') === true,
			media: mediaOf(path(entry, 'operations')),
			tonesSubscribed: path(entry, 'subscribedToTone') === true,
			transferring: state === 'transferring' || state === 'transferAccepted',
			establishedAt: str(path(entry, 'establishedAt')),
		});
	}
	return { person, calls, apps, now: str(path(s.clock, 'now')) };
}
