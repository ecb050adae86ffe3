import { randomUUID } from 'node:crypto';
import type { CallRecord, EmulatedContentSharingSession, EmulatedMediaStream, EmulatedParticipant } from './callModel';
import type { CallTable } from './callTable';
import { GraphHttpError } from './http';

/** call-changescreensharingrole.md (v1.0) shows a participant sharing its screen with this stream label. */
const SCREEN_SHARING_LABEL = 'applicationsharing-video';

/**
 * A call's contentSharingSessions: someone on the other side shares (control API); the bot reads them. While a
 * session lasts, the sharer's participant has a videoBasedScreenSharing stream it sends (sendOnly), as the roster
 * notification of call-changescreensharingrole.md shows. The session itself is notified (created, then deleted on
 * /communications/calls/{id}/contentsharingsessions, application-post-calls.md) only when the bot asked for it with
 * callOptions.isContentSharingNotificationEnabled (outgoingcalloptions.md) on create or answer.
 */
export class ContentSharing {
	/** Which participant shares in each session, so ending it takes the right stream away. */
	private readonly sharers = new WeakMap<EmulatedContentSharingSession, string>();

	constructor(private readonly table: CallTable) {}

	add(call: CallRecord, sharerId?: string): EmulatedContentSharingSession {
		this.table.actions++;
		if (!this.table.isLive(call)) throw new GraphHttpError(400, 'BadRequest', `Call ${call.id} is ${call.resource.state}: nobody can share content in it.`);
		const sharer = sharerId === undefined ? this.someone(call) : call.participants.get(sharerId);
		if (sharerId !== undefined && !sharer) throw new GraphHttpError(404, 'itemNotFound', `Participant ${sharerId} is not in call ${call.id}.`);
		const s: EmulatedContentSharingSession = { '@odata.type': '#microsoft.graph.contentSharingSession', id: randomUUID() };
		call.contentSharingSessions.set(s.id, s);
		if (sharer) {
			this.sharers.set(s, sharer.id);
			sharer.mediaStreams.push(screenSharingStream('sendOnly'));
			this.table.notify.roster(call);
		}
		if (call.contentSharingNotifications) this.table.notify.contentSharing(call, 'created', [s]);
		return s;
	}

	/** The sharer stops: the session and the sharer's screen-sharing stream go. */
	end(call: CallRecord, sessionId: string): void {
		this.table.actions++;
		const s = this.get(call, sessionId);
		call.contentSharingSessions.delete(s.id);
		const sharer = call.participants.get(this.sharers.get(s) ?? '');
		if (sharer) {
			const i = sharer.mediaStreams.findIndex((m) => m.mediaType === 'videoBasedScreenSharing' && m.direction === 'sendOnly');
			if (i >= 0) sharer.mediaStreams.splice(i, 1);
			this.table.notify.roster(call);
		}
		if (call.contentSharingNotifications && this.table.isLive(call)) this.table.notify.contentSharing(call, 'deleted', [s]);
	}

	get(call: CallRecord, sessionId: string): EmulatedContentSharingSession {
		const s = call.contentSharingSessions.get(sessionId);
		if (!s) throw new GraphHttpError(404, 'itemNotFound', `Content sharing session ${sessionId} is not known in call ${call.id}.`);
		return s;
	}

	/** The first person in the roster (not the bot): who shares when the control API names nobody. */
	private someone(call: CallRecord): EmulatedParticipant | undefined {
		return [...call.participants.values()].find((p) => p.id !== call.botParticipantId && !p.info.identity.application);
	}
}

/** A screen-sharing video stream in the given direction (mediastream.md). */
export function screenSharingStream(direction: 'sendOnly' | 'receiveOnly'): EmulatedMediaStream {
	return { '@odata.type': '#microsoft.graph.mediaStream', mediaType: 'videoBasedScreenSharing', label: SCREEN_SHARING_LABEL, sourceId: String(1 + Math.floor(Math.random() * 1e6)), direction, serverMuted: false };
}
