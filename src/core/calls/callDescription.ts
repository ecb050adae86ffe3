/**
 * Short human descriptions of calls and participants: who is on the other end, whether the bot is muted or
 * recording, how long the call lasted. Pure functions over Graph resources, shared by the tree and status bar.
 */
import type { CallResource, ParticipantResource } from '../schema/types';
import type { CallEntry } from './callStore';
import { idKey } from './mergeRules';

type IdentityLike = { id?: string | null; displayName?: string | null } | null | undefined;
type IdentitySetLike = Record<string, IdentityLike> | null | undefined;

const IDENTITY_KINDS: readonly [string, string][] = [
	['user', 'user'],
	['phone', 'phone'],
	['guest', 'guest'],
	['applicationInstance', 'app instance'],
	['application', 'app'],
	['acsUser', 'ACS user'],
	['azureCommunicationServicesUser', 'ACS user'],
	['encrypted', 'encrypted'],
	['onPremises', 'on-premises user'],
	['device', 'device'],
];

/** "Adele Vance", "+14255550100", "Echo Bot (app)"; the first identity of the set that has a name or id. */
export function identityName(set: IdentitySetLike): { name: string; kind: string } | undefined {
	if (!set) return undefined;
	for (const [prop, kind] of IDENTITY_KINDS) {
		const i = set[prop];
		const name = i?.displayName || i?.id;
		if (name) return { name, kind };
	}
	return undefined;
}

export function participantName(p: ParticipantResource): string {
	const info = identityName(p.info?.identity as IdentitySetLike);
	return info ? (info.kind === 'user' || info.kind === 'phone' ? info.name : `${info.name} (${info.kind})`) : p.id;
}

/** The meeting a call joined, if any: its join id, or its chat thread. */
export function meetingName(call: CallResource): string | undefined {
	const info = call.meetingInfo as { joinMeetingId?: string; organizer?: IdentitySetLike } | null | undefined;
	if (info?.joinMeetingId) return `meeting ${info.joinMeetingId}`;
	const organizer = identityName(info?.organizer);
	if (organizer) return `meeting by ${organizer.name}`;
	if (call.chatInfo?.threadId) return `meeting ${shorten(call.chatInfo.threadId, 28)}`;
	return undefined;
}

/** Who the bot is talking to: the meeting, the targets (outgoing) or the caller (incoming). */
export function otherParty(call: CallResource): string | undefined {
	const meeting = meetingName(call);
	if (meeting) return meeting;
	if (call.direction !== 'incoming' && call.targets?.length) {
		const names = call.targets.map((t) => identityName(t.identity as IdentitySetLike)?.name).filter((n): n is string => !!n);
		if (names.length) return names.length > 2 ? `${names.slice(0, 2).join(', ')} +${names.length - 2}` : names.join(', ');
	}
	const source = identityName(call.source?.identity as IdentitySetLike);
	return source?.name;
}

/** The bot's own participant: `myParticipantId`, else the one whose identity is an application. */
export function selfParticipant(entry: Pick<CallEntry, 'call' | 'participants'>): ParticipantResource | undefined {
	const mine = entry.call.myParticipantId;
	if (mine) {
		const p = entry.participants.get(idKey(mine));
		if (p) return p;
	}
	for (const p of entry.participants.values()) {
		const set = p.info?.identity as IdentitySetLike;
		if (set?.application && !set.user) return p;
	}
	return undefined;
}

export function isBotMuted(entry: Pick<CallEntry, 'call' | 'participants'>): boolean {
	return selfParticipant(entry)?.isMuted === true;
}

export function isRecording(entry: Pick<CallEntry, 'participants'>): boolean {
	for (const p of entry.participants.values()) {
		if (p.recordingInfo?.recordingStatus === 'recording') return true;
	}
	return false;
}

/** Participants on hold: Graph's beta flag, or every media stream inactive (hold music playing to them). */
export function isOnHold(p: ParticipantResource): boolean {
	const flagged = (p as { isOnHold?: boolean }).isOnHold;
	if (flagged !== undefined) return flagged;
	const streams = p.mediaStreams ?? [];
	return streams.length > 0 && streams.every((s) => s.direction === 'inactive');
}

/** "audio sendReceive, video receiveOnly". */
export function mediaStreamsText(p: ParticipantResource): string | undefined {
	const streams = p.mediaStreams ?? [];
	if (!streams.length) return undefined;
	return streams.map((s) => `${s.mediaType ?? 'media'} ${s.direction ?? ''}${s.serverMuted ? ' (server muted)' : ''}`.trim()).join(', ');
}

/** Meeting role when Graph sends one (beta participantInfo.role, or meetingParticipantInfo.role). */
export function participantRole(p: ParticipantResource, call?: CallResource): string | undefined {
	const role = (p.info as { role?: string } | undefined)?.role;
	if (role) return role;
	if (call?.myParticipantId && idKey(call.myParticipantId) === idKey(p.id)) return 'bot';
	return undefined;
}

/** "0:42", "12:05", "1:02:03". */
export function formatDuration(ms: number): string {
	const total = Math.max(0, Math.floor(ms / 1000));
	const h = Math.floor(total / 3600);
	const m = Math.floor((total % 3600) / 60);
	const s = total % 60;
	const pad = (n: number) => String(n).padStart(2, '0');
	return h > 0 ? `${h}:${pad(m)}:${pad(s)}` : `${m}:${pad(s)}`;
}

/** How long the call has been (or was) connected; undefined before it was established. */
export function callDuration(entry: Pick<CallEntry, 'establishedAt' | 'endedAt'>, now: number): number | undefined {
	if (entry.establishedAt === undefined) return undefined;
	return (entry.endedAt ?? now) - entry.establishedAt;
}

/** "in 12 min", "in 40 s", "now": for due times in descriptions. */
export function formatRelative(at: number, now: number): string {
	const ms = at - now;
	if (ms <= 0) return 'now';
	if (ms < 60_000) return `in ${Math.ceil(ms / 1000)} s`;
	return `in ${Math.round(ms / 60_000)} min`;
}

function shorten(text: string, max: number): string {
	return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
