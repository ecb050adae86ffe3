import { allRoutes, type CallAction } from '../schema/endpoints';
import type { CallEngine, CallRecord } from './callEngine';
import type { Caller } from './entra';
import { GraphHttpError, jsonBody, Router, type Reply, type RequestContext } from './http';
import { inviteOperationBody, participantBody, withDocumentedNulls } from './responseShapes';

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

/**
 * An operation in the body and its URL in Location: call-playprompt.md, call-record.md, call-subscribetotone.md,
 * call-cancelmediaprocessing.md, call-senddtmftones.md, call-mute.md, call-unmute.md, call-updaterecordingstatus.md,
 * participant-mute.md and participant-start/stopholdmusic.md show both on the response.
 */
function operationReply(c: GraphCallContext, op: { id: string }, status = 200): Reply {
	return { status, body: op, headers: { Location: `${c.versionBase}/communications/calls/${c.ctx.params.callId}/operations/${op.id}` } };
}

/** A call as a response body, with the @odata.context call-get.md shows (create's example names it too). */
function callEntity(c: GraphCallContext, resource: object): object {
	return { '@odata.context': `${c.versionBase}/$metadata#communications/calls/$entity`, ...withDocumentedNulls(resource) };
}

/** A mute or unmute operation with the @odata.context call-mute.md, call-unmute.md and participant-mute.md show. */
function operationEntity<T extends { id: string; '@odata.type': string }>(c: GraphCallContext, op: T): T {
	const { '@odata.type': type, ...rest } = op;
	return { '@odata.type': type, '@odata.context': `${c.versionBase}/$metadata#${type.replace('#microsoft.graph.', '')}`, ...rest } as unknown as T;
}

function collection(c: GraphCallContext, what: string, value: unknown[]): Reply {
	return ok({ '@odata.context': `${c.versionBase}/$metadata#communications/calls('${c.ctx.params.callId}')/${what}`, value });
}

/** One handler per action of the endpoint table. */
export function graphHandlers(engine: CallEngine): Record<CallAction, GraphHandler> {
	const call = (c: GraphCallContext): CallRecord => engine.get(c.ctx.params.callId, c.caller.appId);
	const body = (c: GraphCallContext) => jsonBody(c.ctx);
	return {
		'call.create': (c) => {
			const created = engine.lifecycle.create(c.caller.appId, c.caller.tenantId, body(c));
			return { status: 201, body: callEntity(c, created.resource), headers: { Location: `${c.versionBase}/communications/calls/${created.id}` } };
		},
		'call.get': (c) => ok(callEntity(c, call(c).resource)),
		'call.delete': (c) => {
			engine.lifecycle.delete(call(c));
			return noContent;
		},
		'call.answer': (c) => {
			engine.lifecycle.answer(call(c), body(c));
			return accepted;
		},
		'call.reject': (c) => {
			engine.lifecycle.reject(call(c), body(c));
			return accepted;
		},
		'call.redirect': (c) => {
			engine.lifecycle.redirect(call(c), body(c));
			return accepted;
		},
		'call.transfer': (c) => {
			engine.lifecycle.transfer(call(c), body(c));
			return accepted;
		},
		'call.playPrompt': (c) => operationReply(c, engine.media.playPrompt(call(c), body(c))),
		'call.recordResponse': (c) => operationReply(c, engine.media.recordResponse(call(c), body(c))),
		'call.cancelMediaProcessing': (c) => operationReply(c, engine.media.cancelMediaProcessing(call(c), body(c))),
		'call.subscribeToTone': (c) => operationReply(c, engine.media.subscribeToTone(call(c), body(c))),
		'call.sendDtmfTones': (c) => operationReply(c, engine.media.sendDtmfTones(call(c), body(c))),
		'call.mute': (c) => operationReply(c, operationEntity(c, engine.media.muteSelf(call(c), body(c), true))),
		'call.unmute': (c) => operationReply(c, operationEntity(c, engine.media.muteSelf(call(c), body(c), false))),
		'call.keepAlive': (c) => {
			engine.lifecycle.keepAlive(call(c));
			return { status: 200 };
		},
		'call.updateRecordingStatus': (c) => operationReply(c, engine.media.updateRecordingStatus(call(c), body(c))),
		'call.changeScreenSharingRole': (c) => {
			engine.media.changeScreenSharingRole(call(c), body(c));
			return accepted;
		},
		'call.addLargeGalleryView': (c) => ok(engine.media.addLargeGalleryView(call(c), body(c))),
		'participant.list': (c) => collection(c, 'participants', [...call(c).participants.values()].map(participantBody)),
		'participant.get': (c) => ok({ '@odata.context': `${c.versionBase}/$metadata#communications/calls('${c.ctx.params.callId}')/participants/$entity`, ...participantBody(engine.participants.get(call(c), c.ctx.params.participantId)) }),
		'participant.invite': (c) => operationReply(c, inviteOperationBody(engine.participants.invite(call(c), body(c))) as { id: string }),
		'participant.mute': (c) => operationReply(c, operationEntity(c, engine.participants.mute(call(c), c.ctx.params.participantId, body(c)))),
		'participant.muteAll': (c) => ok(engine.participants.muteAll(call(c), body(c))),
		'participant.delete': (c) => {
			engine.participants.remove(call(c), c.ctx.params.participantId);
			return noContent;
		},
		'participant.startHoldMusic': (c) => operationReply(c, engine.participants.holdMusic(call(c), c.ctx.params.participantId, body(c), true), 202),
		'participant.stopHoldMusic': (c) => operationReply(c, engine.participants.holdMusic(call(c), c.ctx.params.participantId, body(c), false), 202),
		'operation.get': (c) => ok(engine.operations.get(call(c), c.ctx.params.operationId)),
		'contentSharingSession.list': (c) => collection(c, 'contentSharingSessions', [...call(c).contentSharingSessions.values()]),
		'contentSharingSession.get': (c) => ok(engine.contentSharing.get(call(c), c.ctx.params.sessionId)),
		'audioRoutingGroup.list': (c) => collection(c, 'audioRoutingGroups', [...call(c).audioRoutingGroups.values()]),
		'audioRoutingGroup.create': (c) => {
			const group = engine.audioRoutingGroups.create(call(c), body(c));
			return { status: 201, body: group, headers: { Location: `${c.versionBase}/communications/calls/${c.ctx.params.callId}/audioRoutingGroups/${group.id}` } };
		},
		'audioRoutingGroup.get': (c) => ok(engine.audioRoutingGroups.get(call(c), c.ctx.params.groupId)),
		'audioRoutingGroup.update': (c) => ok(engine.audioRoutingGroups.update(call(c), c.ctx.params.groupId, body(c))),
		'audioRoutingGroup.delete': (c) => {
			engine.audioRoutingGroups.delete(call(c), c.ctx.params.groupId);
			return noContent;
		},
	};
}

/** 403 naming what is missing, the way a developer can act on it. */
export function forbidden(action: string, needed: readonly string[], appId: string): GraphHttpError {
	return new GraphHttpError(403, 'Forbidden', `Insufficient permissions for ${action}: the app's token has none of the application permissions ${needed.join(', ')}. Add ${needed[0]} to the app registration and grant admin consent, then get a new token (emulator: PUT /_emulator/apps/${appId}/roles).`);
}
