import { randomUUID } from 'node:crypto';
import type { CallRecord, EmulatedContentSharingSession } from './callModel';
import { GraphHttpError } from './http';

/** A call's contentSharingSessions: someone on the other side shares (control API); the bot reads them. */
export class ContentSharing {
	add(call: CallRecord): EmulatedContentSharingSession {
		const s: EmulatedContentSharingSession = { '@odata.type': '#microsoft.graph.contentSharingSession', id: randomUUID() };
		call.contentSharingSessions.set(s.id, s);
		return s;
	}

	get(call: CallRecord, sessionId: string): EmulatedContentSharingSession {
		const s = call.contentSharingSessions.get(sessionId);
		if (!s) throw new GraphHttpError(404, 'itemNotFound', `Content sharing session ${sessionId} is not known in call ${call.id}.`);
		return s;
	}
}
