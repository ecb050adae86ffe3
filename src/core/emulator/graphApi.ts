import { allRoutes, type CallAction } from '../schema/endpoints';
import type { CallEngine, CallRecord } from './callEngine';
import type { Caller } from './entra';
import { GraphHttpError, jsonBody, Router, type Reply, type RequestContext } from './http';

export interface GraphCallContext {
	ctx: RequestContext;
	caller: Caller;
	/** 'v1.0' or 'beta': the root the request came in on. */
	version: string;
	/** The origin + version, for Location headers. */
	versionBase: string;
}

type GraphHandler = (c: GraphCallContext) => Reply;

/** Router over every route of the endpoint table (v1.0 and beta, plus beta's `/app/calls` aliases). */
export function graphRouter(): Router<CallAction> {
	const router = new Router<CallAction>();
	for (const route of allRoutes()) router.add(route.method, `/${route.version}${route.path}`, route.row.action);
	return router;
}

const ok = (body: unknown): Reply => ({ status: 200, body });
const noContent: Reply = { status: 204 };
const accepted: Reply = { status: 202 };

function collection(c: GraphCallContext, what: string, value: unknown[]): Reply {
	return ok({ '@odata.context': `${c.versionBase}/$metadata#communications/calls('${c.ctx.params.callId}')/${what}`, value });
}

/** One handler per action of the endpoint table. */
export function graphHandlers(engine: CallEngine): Record<CallAction, GraphHandler> {
	const call = (c: GraphCallContext): CallRecord => engine.get(c.ctx.params.callId, c.caller.appId);
	const body = (c: GraphCallContext) => jsonBody(c.ctx);
	return {
		'call.create': (c) => {
			const created = engine.create(c.caller.appId, c.caller.tenantId, body(c));
			return { status: 201, body: created.resource, headers: { Location: `${c.versionBase}/communications/calls/${created.id}` } };
		},
		'call.get': (c) => ok(call(c).resource),
		'call.delete': (c) => {
			engine.delete(call(c));
			return noContent;
		},
		'call.answer': (c) => {
			engine.answer(call(c), body(c));
			return accepted;
		},
		'call.reject': (c) => {
			engine.reject(call(c), body(c));
			return accepted;
		},
		'call.redirect': (c) => {
			engine.redirect(call(c), body(c));
			return accepted;
		},
		'call.transfer': (c) => {
			engine.transfer(call(c), body(c));
			return accepted;
		},
		'call.playPrompt': (c) => ok(engine.playPrompt(call(c), body(c))),
		'call.recordResponse': (c) => ok(engine.recordResponse(call(c), body(c))),
		'call.cancelMediaProcessing': (c) => ok(engine.cancelMediaProcessing(call(c), body(c))),
		'call.subscribeToTone': (c) => ok(engine.subscribeToTone(call(c), body(c))),
		'call.sendDtmfTones': (c) => ok(engine.sendDtmfTones(call(c), body(c))),
		'call.mute': (c) => ok(engine.muteSelf(call(c), body(c), true)),
		'call.unmute': (c) => ok(engine.muteSelf(call(c), body(c), false)),
		'call.keepAlive': (c) => {
			engine.keepAlive(call(c));
			return { status: 200 };
		},
		'call.updateRecordingStatus': (c) => ok(engine.updateRecordingStatus(call(c), body(c))),
		'call.changeScreenSharingRole': (c) => {
			engine.changeScreenSharingRole(call(c), body(c));
			return accepted;
		},
		'call.addLargeGalleryView': (c) => ok(engine.addLargeGalleryView(call(c), body(c))),
		'participant.list': (c) => collection(c, 'participants', [...call(c).participants.values()]),
		'participant.get': (c) => ok(engine.participant(call(c), c.ctx.params.participantId)),
		'participant.invite': (c) => ok(engine.invite(call(c), body(c))),
		'participant.mute': (c) => ok(engine.muteParticipant(call(c), c.ctx.params.participantId, body(c))),
		'participant.muteAll': (c) => ok(engine.muteAll(call(c), body(c))),
		'participant.delete': (c) => {
			engine.removeParticipant(call(c), c.ctx.params.participantId);
			return noContent;
		},
		'participant.startHoldMusic': (c) => ok(engine.holdMusic(call(c), c.ctx.params.participantId, body(c), true)),
		'participant.stopHoldMusic': (c) => ok(engine.holdMusic(call(c), c.ctx.params.participantId, body(c), false)),
		'operation.get': (c) => ok(engine.operation(call(c), c.ctx.params.operationId)),
		'contentSharingSession.list': (c) => collection(c, 'contentSharingSessions', [...call(c).contentSharingSessions.values()]),
		'contentSharingSession.get': (c) => ok(engine.contentSharingSession(call(c), c.ctx.params.sessionId)),
		'audioRoutingGroup.list': (c) => collection(c, 'audioRoutingGroups', [...call(c).audioRoutingGroups.values()]),
		'audioRoutingGroup.create': (c) => {
			const group = engine.createAudioRoutingGroup(call(c), body(c));
			return { status: 201, body: group, headers: { Location: `${c.versionBase}/communications/calls/${c.ctx.params.callId}/audioRoutingGroups/${group.id}` } };
		},
		'audioRoutingGroup.get': (c) => ok(engine.audioRoutingGroup(call(c), c.ctx.params.groupId)),
		'audioRoutingGroup.update': (c) => ok(engine.updateAudioRoutingGroup(call(c), c.ctx.params.groupId, body(c))),
		'audioRoutingGroup.delete': (c) => {
			engine.deleteAudioRoutingGroup(call(c), c.ctx.params.groupId);
			return noContent;
		},
	};
}

/** 403 naming what is missing, the way a developer can act on it. */
export function forbidden(action: string, needed: readonly string[], appId: string): GraphHttpError {
	return new GraphHttpError(403, 'Forbidden', `Insufficient permissions for ${action}: the app's token has none of the application permissions ${needed.join(', ')}. Add ${needed[0]} to the app registration and grant admin consent, then get a new token (emulator: PUT /_emulator/apps/${appId}/roles).`);
}
