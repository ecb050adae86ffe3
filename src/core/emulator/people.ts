import type { CallLifecycle } from './callLifecycle';
import { isPeerToPeer, type CallRecord, type EmulatedParticipant } from './callModel';
import type { CallTable } from './callTable';
import { BEHAVIOURS, EMULATOR_TENANT, type Behaviour, type DirectoryMeeting } from './directory';
import { badRequest, GraphHttpError } from './http';
import type { Lobby } from './lobby';
import type { ParticipantActions } from './participantActions';
import type { Roster } from './roster';

/** What one person sees of one call: the call, their place in it, and what the bot does to them. */
export interface PersonCallView {
	callId: string;
	kind: string;
	direction: string | undefined;
	state: string;
	/** caller: they called the bot (or invited it); participant: they are in the roster. */
	role: 'caller' | 'participant';
	participantId: string | null;
	/** Emulated time: when the call was announced and when it was established. */
	startedAt: string | null;
	establishedAt: string | null;
	/** Emulated milliseconds since the call was established (0 before). */
	durationMs: number;
	isMuted: boolean;
	isInLobby: boolean;
	onHold: boolean;
	media: {
		/** The prompt(s) of the playPrompt that holds the call's media. */
		prompt: { operationId: string; uri: string; uris: string[] } | null;
		queuedPrompts: number;
		/** A recordResponse that holds the media (the person is being recorded). */
		recordingResponse: { operationId: string } | null;
		/** The bot's own recording status (updateRecordingStatus). */
		botRecordingStatus: string | null;
		tonesSubscribed: boolean;
		botMuted: boolean;
	};
	transfer: { state: string; target: unknown } | null;
}

export interface PersonView {
	id: string;
	displayName: string;
	kind: 'user' | 'phone';
	behaviour: string;
	ringing: { ringId: string; callId: string; reason: string; since: string }[];
	calls: PersonCallView[];
}

const MAX_ID = 128;

/**
 * The people's side of the emulator, one model for every front end: a softphone panel and the scenario runner
 * both read a person's calls here and act as that person (answer, decline, mute, hang up, join a meeting).
 */
export class PeopleWorld {
	private readonly started = new WeakMap<CallRecord, number>();
	private readonly established = new WeakMap<CallRecord, number>();

	constructor(
		private readonly table: CallTable,
		private readonly roster: Roster,
		private readonly lobby: Lobby,
		private readonly lifecycle: CallLifecycle,
		private readonly participants: ParticipantActions,
	) {}

	/** Every notification passes here first: the call's first one starts it, the first "established" starts its duration. */
	observe(call: CallRecord, notifications: readonly { resourceData?: unknown }[]): void {
		if (!this.started.has(call)) this.started.set(call, this.table.now());
		if (!this.established.has(call) && notifications.some((n) => (n.resourceData as { state?: string } | undefined)?.state === 'established')) {
			this.established.set(call, this.table.now());
		}
	}

	/** The person a path names: a directory user id (any case) or an E.164 number; 404 otherwise. */
	person(id: unknown): { id: string; displayName: string; kind: 'user' | 'phone'; behaviour: string } {
		if (typeof id !== 'string' || !id || id.length > MAX_ID) throw badRequest(`A person is named by a directory user id or an E.164 number of at most ${MAX_ID} characters.`);
		const d = this.table.directory;
		const u = d.users.find((x) => x.id.toLowerCase() === id.toLowerCase());
		if (u) return { id: u.id.toLowerCase(), displayName: u.displayName, kind: 'user', behaviour: u.behaviour };
		const p = d.phones.find((x) => x.id === id);
		if (p) return { id: p.id, displayName: p.displayName, kind: 'phone', behaviour: p.behaviour };
		throw new GraphHttpError(404, 'itemNotFound', `Nobody with id ${id.slice(0, 64)} in the directory: GET /_emulator/directory lists users and phones.`);
	}

	/** How the person reacts when called: a softphone makes its person "manual", so their phone rings until answered. */
	setBehaviour(personId: string, behaviour: unknown): { behaviour: string } {
		this.person(personId);
		if (typeof behaviour !== 'string' || !BEHAVIOURS.includes(behaviour as Behaviour)) throw badRequest(`behaviour must be one of ${BEHAVIOURS.join(', ')}.`);
		const d = this.table.directory;
		const entry = d.users.find((x) => x.id.toLowerCase() === personId.toLowerCase()) ?? d.phones.find((x) => x.id === personId);
		entry!.behaviour = behaviour as Behaviour;
		return { behaviour };
	}

	list(): PersonView[] {
		const d = this.table.directory;
		return [...d.users.map((u) => u.id), ...d.phones.map((p) => p.id)].map((id) => this.view(id));
	}

	view(personId: string): PersonView {
		const who = this.person(personId);
		const live = (c: CallRecord) => this.table.isLive(c);
		return {
			...who,
			ringing: this.roster.ringing.forPerson(who.id, live).map((r) => ({ ringId: r.id, callId: r.call.id, reason: r.reason, since: new Date(r.since).toISOString() })),
			calls: this.table.list().flatMap((c) => {
				const v = this.callView(c, who.id);
				return v ? [v] : [];
			}),
		};
	}

	answer(personId: string, ringId?: string): { callId: string } {
		const who = this.person(personId);
		const ring = this.roster.ringing.take(who.id, ringId, (c) => this.table.isLive(c));
		this.table.actions++;
		ring.answer();
		return { callId: ring.call.id };
	}

	decline(personId: string, ringId?: string): { callId: string } {
		const who = this.person(personId);
		const ring = this.roster.ringing.take(who.id, ringId, (c) => this.table.isLive(c));
		this.table.actions++;
		ring.decline();
		return { callId: ring.call.id };
	}

	/**
	 * The person mutes or unmutes their own microphone: isMuted is "true if the participant is muted (client or
	 * server muted)" (resources/participant.md) while serverMuted, "if the media is muted by the server"
	 * (resources/mediastream.md), stays as it was. Group calls and meetings send a roster notification; a 1:1
	 * call sends none (application-post-calls.md: peer-to-peer calls notify call state changes only).
	 */
	setMuted(personId: string, muted: boolean, callId?: string): PersonCallView[] {
		const who = this.person(personId);
		const mine = this.participations(who.id, callId);
		for (const { call, participant } of mine) {
			this.table.requireState(call, ['established', 'hold'], muted ? 'mute yourself in' : 'unmute yourself in');
			this.table.actions++;
			participant.isMuted = muted;
			this.table.notify.roster(call);
		}
		return mine.map(({ call }) => this.callView(call, who.id)!);
	}

	/** The person hangs up or leaves: a 1:1 call (or a call they placed that is not answered yet) ends, a group call goes on. */
	hangUp(personId: string, callId?: string): { callId: string; ended: boolean } {
		const who = this.person(personId);
		const calling = this.table.list().find((c) => c.resource.state === 'incoming' && (!callId || c.id === callId.toLowerCase()) && this.isSource(c, who.id));
		if (calling) {
			this.lifecycle.hangUp(calling);
			return { callId: calling.id, ended: true };
		}
		const [first] = this.participations(who.id, callId);
		const { call, participant } = first;
		if (isPeerToPeer(call) && call.peerParticipantId === participant.id) {
			this.lifecycle.hangUp(call);
			return { callId: call.id, ended: true };
		}
		this.participants.leave(call, participant.id);
		return { callId: call.id, ended: false };
	}

	/**
	 * The person joins a meeting by its join URL (or joinMeetingId) while the bot is in it; the meeting's lobby
	 * may hold them (lobby.ts). Without the bot there, there is nobody to emulate the meeting for: 409.
	 */
	joinMeeting(personId: string, body: { joinUrl?: unknown; joinMeetingId?: unknown; passcode?: unknown }): { callId: string; participantId: string; isInLobby: boolean } {
		const who = this.person(personId);
		const meeting = this.findMeeting(body);
		if (meeting.passcode && body.joinMeetingId !== undefined && body.passcode !== meeting.passcode) throw new GraphHttpError(403, 'Forbidden', `The passcode for meeting ${meeting.joinMeetingId} is wrong or missing.`);
		const call = this.table.list().find((c) => c.meeting === meeting && (c.resource.state === 'established' || c.resource.state === 'hold'));
		if (!call) throw new GraphHttpError(409, 'BotNotInMeeting', `The bot is not in meeting "${meeting.subject}": the emulator plays a meeting only while the bot is in its call.`);
		if (this.participations(who.id, call.id, true).length) throw new GraphHttpError(409, 'AlreadyInMeeting', `${who.displayName} is already in meeting "${meeting.subject}".`);
		this.table.actions++;
		const p = who.kind === 'user' ? this.roster.userParticipant(who.id) : this.roster.participantFromIdentity({ phone: { id: who.id, displayName: who.displayName } });
		this.lobby.enter(call, meeting, p);
		return { callId: call.id, participantId: p.id, isInLobby: p.isInLobby };
	}

	/** The meeting's Teams join URL: what a person pastes to join (chatInfo.threadId in its path). */
	static joinUrl(meeting: DirectoryMeeting): string {
		const context = JSON.stringify({ Tid: EMULATOR_TENANT.tenantId, Oid: meeting.organizerId });
		return `https://teams.microsoft.com/l/meetup-join/${encodeURIComponent(meeting.threadId)}/0?context=${encodeURIComponent(context)}`;
	}

	private findMeeting(body: { joinUrl?: unknown; joinMeetingId?: unknown }): DirectoryMeeting {
		const meetings = this.table.directory.meetings;
		if (body.joinUrl !== undefined) {
			if (typeof body.joinUrl !== 'string' || body.joinUrl.length > 2048) throw badRequest('joinUrl must be a Teams join URL (https://teams.microsoft.com/l/meetup-join/...) of at most 2048 characters.');
			let threadId: string | undefined;
			try {
				const u = new URL(body.joinUrl);
				const m = /\/meetup-join\/([^/]+)/.exec(u.pathname);
				threadId = m ? decodeURIComponent(m[1]) : undefined;
			} catch {
				threadId = undefined;
			}
			if (!threadId) throw badRequest('joinUrl is not a Teams meeting join URL: it must look like https://teams.microsoft.com/l/meetup-join/19%3ameeting_...%40thread.v2/0 (GET /_emulator/meetings lists them).');
			const m = meetings.find((x) => x.threadId.toLowerCase() === threadId!.toLowerCase());
			if (!m) throw new GraphHttpError(404, 'itemNotFound', 'No meeting of the directory has that join URL: GET /_emulator/meetings lists them.');
			return m;
		}
		if (body.joinMeetingId !== undefined) {
			if (typeof body.joinMeetingId !== 'string' || !/^\d{1,32}$/.test(body.joinMeetingId)) throw badRequest('joinMeetingId must be a string of digits.');
			const m = meetings.find((x) => x.joinMeetingId === body.joinMeetingId);
			if (!m) throw new GraphHttpError(404, 'itemNotFound', `No meeting with joinMeetingId ${body.joinMeetingId}.`);
			return m;
		}
		throw badRequest('Say which meeting: {"joinUrl": "https://teams.microsoft.com/l/meetup-join/..."} or {"joinMeetingId": "1234567890"}.');
	}

	private isSource(call: CallRecord, personId: string): boolean {
		const id = call.resource.source?.identity;
		return String(id?.user?.id ?? '').toLowerCase() === personId || id?.phone?.id === personId;
	}

	/** The person's participants in live calls (or in one call); 409 when they are in none. */
	private participations(personId: string, callId?: string, quiet = false): { call: CallRecord; participant: EmulatedParticipant }[] {
		if (callId !== undefined && (typeof callId !== 'string' || callId.length > MAX_ID)) throw badRequest('callId must be a call id string.');
		const found = this.table.list()
			.filter((c) => callId === undefined || c.id === callId.toLowerCase())
			.flatMap((call) => [...call.participants.values()].filter((p) => matches(p, personId)).map((participant) => ({ call, participant })));
		if (!found.length && !quiet) throw new GraphHttpError(409, 'NotInCall', `${personId} is in no live call${callId ? ` ${callId.slice(0, 64)}` : ''}: GET /_emulator/people/${encodeURIComponent(personId)} shows their calls.`);
		return found;
	}

	private callView(call: CallRecord, personId: string): PersonCallView | undefined {
		const participant = [...call.participants.values()].find((p) => matches(p, personId));
		const caller = !participant && call.resource.direction === 'incoming' && this.isSource(call, personId);
		if (!participant && !caller) return undefined;
		const head = call.mediaQueue[0];
		const bot = call.participants.get(call.botParticipantId);
		const started = this.started.get(call);
		const established = this.established.get(call);
		const transferring = call.resource.state === 'transferring' || call.resource.state === 'transferAccepted';
		return {
			callId: call.id,
			kind: call.kind,
			direction: call.resource.direction ?? undefined,
			state: call.resource.state,
			role: participant ? 'participant' : 'caller',
			participantId: participant?.id ?? null,
			startedAt: started ? new Date(started).toISOString() : null,
			establishedAt: established ? new Date(established).toISOString() : null,
			durationMs: established ? Math.max(0, this.table.now() - established) : 0,
			isMuted: participant?.isMuted ?? false,
			isInLobby: participant?.isInLobby ?? false,
			onHold: participant?.isOnHold === true || call.resource.state === 'hold',
			media: {
				prompt: head?.op['@odata.type'] === '#microsoft.graph.playPromptOperation' && head.uris?.length ? { operationId: head.op.id, uri: head.uris[0], uris: [...head.uris] } : null,
				queuedPrompts: call.mediaQueue.slice(1).filter((q) => q.op['@odata.type'] === '#microsoft.graph.playPromptOperation').length,
				recordingResponse: head?.op['@odata.type'] === '#microsoft.graph.recordOperation' ? { operationId: head.op.id } : null,
				botRecordingStatus: (bot?.recordingInfo as { recordingStatus?: string } | undefined)?.recordingStatus ?? null,
				tonesSubscribed: call.subscribedToTone,
				botMuted: bot?.isMuted ?? false,
			},
			transfer: transferring ? { state: call.resource.state, target: call.transferTarget ?? null } : null,
		};
	}
}

function matches(p: EmulatedParticipant, personId: string): boolean {
	const id = p.info.identity;
	return String(id.user?.id ?? '').toLowerCase() === personId || id.phone?.id === personId;
}
