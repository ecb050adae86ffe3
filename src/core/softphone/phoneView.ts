/**
 * What a softphone shows for one emulated person or phone number, computed from the emulator's people API
 * (GET /_emulator/people/{id}) and its apps (GET /_emulator/apps). Pure: the panel polls and renders the result.
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

export interface PhoneMedia {
	readonly kind: 'prompt' | 'recording';
	readonly operationId: string;
	/** The prompt's audio URIs. */
	readonly uris: readonly string[];
}

export interface PhoneCall {
	readonly callId: string;
	readonly state: string;
	readonly role: PhoneCallRole;
	/** The other side: "the bot", or the meeting or group call. */
	readonly title: string;
	/** This person's participant id once they are in the call's roster. */
	readonly participantId?: string;
	readonly muted: boolean;
	readonly onHold: boolean;
	readonly inLobby: boolean;
	/** What the bot is doing with the call's media that this person hears (or is recorded by). */
	readonly media: readonly PhoneMedia[];
	readonly queuedPrompts: number;
	readonly botRecording: boolean;
	readonly tonesSubscribed: boolean;
	readonly transferring: boolean;
	/** Emulated milliseconds since the call was established (0 before). */
	readonly durationMs: number;
}

/** The bot (or an invitation, or a transfer) rings this person's phone. */
export interface PhoneRing {
	readonly ringId: string;
	readonly callId: string;
	readonly reason: string;
}

export interface PhoneView {
	readonly person: PhonePerson;
	readonly behaviour: string;
	readonly rings: readonly PhoneRing[];
	readonly calls: readonly PhoneCall[];
	/** Apps a person can call (the emulator's bot, and any app the developer registered with a calling webhook). */
	readonly apps: readonly { readonly id: string; readonly name: string; readonly canBeCalled: boolean }[];
}

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const at = (v: unknown, ...keys: string[]): unknown => keys.reduce<unknown>((o, k) => (isObject(o) ? o[k] : undefined), v);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

const TITLES: Record<PhoneCallRole, string> = { callingBot: 'The bot', calledByBot: 'The bot', inMeeting: 'Meeting', inGroup: 'Group call' };

function roleOf(call: unknown): PhoneCallRole {
	const kind = str(at(call, 'kind'));
	if (kind === 'meeting') return 'inMeeting';
	if (kind === 'group') return 'inGroup';
	// Graph's direction is the bot's: "incoming" is a call this person made to the bot.
	return str(at(call, 'direction')) === 'incoming' ? 'callingBot' : 'calledByBot';
}

function callOf(c: unknown): PhoneCall | undefined {
	const callId = str(at(c, 'callId'));
	if (!callId) return undefined;
	const role = roleOf(c);
	const prompt = at(c, 'media', 'prompt');
	const recording = at(c, 'media', 'recordingResponse');
	const media: PhoneMedia[] = [];
	if (isObject(prompt)) media.push({ kind: 'prompt', operationId: str(prompt.operationId) ?? '', uris: list(prompt.uris).filter((u): u is string => typeof u === 'string') });
	if (isObject(recording)) media.push({ kind: 'recording', operationId: str(recording.operationId) ?? '', uris: [] });
	const state = str(at(c, 'state')) ?? 'unknown';
	return {
		callId,
		state,
		role,
		title: TITLES[role],
		participantId: str(at(c, 'participantId')),
		muted: at(c, 'isMuted') === true,
		onHold: at(c, 'onHold') === true || state === 'hold',
		inLobby: at(c, 'isInLobby') === true,
		media,
		queuedPrompts: typeof at(c, 'media', 'queuedPrompts') === 'number' ? (at(c, 'media', 'queuedPrompts') as number) : 0,
		botRecording: at(c, 'media', 'botRecordingStatus') === 'recording',
		tonesSubscribed: at(c, 'media', 'tonesSubscribed') === true,
		transferring: at(c, 'transfer') !== null && at(c, 'transfer') !== undefined,
		durationMs: typeof at(c, 'durationMs') === 'number' ? (at(c, 'durationMs') as number) : 0,
	};
}

/** The person's rings and calls, newest last, with what the bot is doing in each. Nothing from the wire is trusted. */
export function phoneViewFromPeople(personJson: unknown, appsJson: unknown, fallback: PhonePerson): PhoneView {
	const kind = str(at(personJson, 'kind'));
	const person: PhonePerson = {
		kind: kind === 'phone' || kind === 'user' ? kind : fallback.kind,
		id: str(at(personJson, 'id')) ?? fallback.id,
		displayName: str(at(personJson, 'displayName')) ?? fallback.displayName,
	};
	const apps = list(at(appsJson, 'value')).filter(isObject).map((a) => ({
		id: str(a.clientId) ?? '',
		name: str(a.displayName) ?? str(a.clientId) ?? 'app',
		canBeCalled: typeof a.callingWebhook === 'string' && a.callingWebhook.length > 0,
	}));
	const rings = list(at(personJson, 'ringing')).flatMap((r) => {
		const ringId = str(at(r, 'ringId'));
		const callId = str(at(r, 'callId'));
		return ringId && callId ? [{ ringId, callId, reason: str(at(r, 'reason')) ?? 'call' }] : [];
	});
	const calls = list(at(personJson, 'calls')).flatMap((c) => {
		const v = callOf(c);
		return v ? [v] : [];
	});
	return { person, behaviour: str(at(personJson, 'behaviour')) ?? '', rings, calls, apps };
}
