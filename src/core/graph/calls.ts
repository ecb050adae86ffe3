/**
 * One typed function per Graph calls endpoint (the list in endpoints.ts). Each validates its input before
 * sending, names its CallAction (so a 403 can name the missing permission) and returns the GraphResponse.
 */
import { randomUUID } from 'node:crypto';
import type {
	AudioRoutingGroup,
	ContentSharingSession,
	RecordingStatus,
	RejectReason,
	ScreenSharingRole,
} from '@microsoft/microsoft-graph-types';
import type { GraphRequest, GraphResponse } from './graphClient';
import type { CallAction } from '../schema/endpoints';
import { parseJoinUrl } from './meetingJoinUrl';
import type { CallResource, OperationResource, ParticipantResource } from '../schema/types';
import { checkCount, checkE164, checkGuid, checkHttpsUrl, checkIntegerInRange, ensure, LIMITS, ValidationError, type ToneName } from './validators';

/** The part of GraphClient these functions need: tests and other callers can pass anything that sends. */
export interface GraphSender {
	request<T = unknown>(req: GraphRequest): Promise<GraphResponse<T>>;
}

export interface ActionOptions {
	readonly signal?: AbortSignal;
	readonly timeoutMs?: number;
}

export interface Collection<T> {
	value: T[];
	'@odata.nextLink'?: string;
}

// ---------------------------------------------------------------------------------------------------------------
// Paths and bodies

function checkId(value: string, what: string): string | undefined {
	// Ids from notifications may be upper-case without dashes: only refuse what would break the URL.
	return value.trim() === '' || /[/?#\s]/.test(value) ? `${what} is empty or contains /, ?, # or spaces; pick it from the Calls view.` : undefined;
}

function callPath(callId: string, rest = ''): string {
	ensure(checkId(callId, 'The call id'));
	return `/communications/calls/${encodeURIComponent(callId.trim())}${rest}`;
}

function participantPath(callId: string, participantId: string, rest = ''): string {
	ensure(checkId(participantId, 'The participant id'));
	return callPath(callId, `/participants/${encodeURIComponent(participantId.trim())}${rest}`);
}

function send<T>(client: GraphSender, action: CallAction, method: string, path: string, body: unknown, o: ActionOptions | undefined): Promise<GraphResponse<T>> {
	return client.request<T>({ method, path, body, action, signal: o?.signal, timeoutMs: o?.timeoutMs });
}

/** Who a call goes to or who gets invited: a Teams user (by object id) or a phone number. */
export type TargetInput =
	| { readonly kind: 'user'; readonly id: string; readonly displayName?: string; readonly tenantId?: string }
	| { readonly kind: 'phone'; readonly number: string };

function checkTarget(t: TargetInput): string | undefined {
	return t.kind === 'user' ? checkGuid(t.id, 'The user id') : checkE164(t.number);
}

export function invitationParticipant(t: TargetInput, extra: { replacesCallId?: string } = {}): Record<string, unknown> {
	const identity = t.kind === 'user'
		? { '@odata.type': '#microsoft.graph.identitySet', user: { '@odata.type': '#microsoft.graph.identity', id: t.id.trim(), ...(t.displayName ? { displayName: t.displayName } : {}), ...(t.tenantId ? { tenantId: t.tenantId } : {}) } }
		: { '@odata.type': '#microsoft.graph.identitySet', phone: { '@odata.type': '#microsoft.graph.identity', id: t.number.trim() } };
	return { '@odata.type': '#microsoft.graph.invitationParticipantInfo', identity, ...(extra.replacesCallId ? { replacesCallId: extra.replacesCallId } : {}) };
}

const SERVICE_HOSTED_MEDIA = { '@odata.type': '#microsoft.graph.serviceHostedMediaConfig' };

export interface CreateCallCommon {
	/** HTTPS URL Graph posts notifications to (loopback http is accepted for the emulator). */
	readonly callbackUri: string;
	readonly tenantId: string;
	/** Defaults to service-hosted media. */
	readonly mediaConfig?: Record<string, unknown>;
	readonly requestedModalities?: readonly string[];
}

export type CreateCallInput = CreateCallCommon & (
	| { readonly kind: 'user'; readonly userId: string; readonly displayName?: string }
	| { readonly kind: 'phone'; readonly applicationInstanceId: string; readonly applicationInstanceName?: string; readonly phoneNumber: string }
	| { readonly kind: 'meetingJoinId'; readonly joinMeetingId: string; readonly passcode?: string }
	| { readonly kind: 'meetingJoinUrl'; readonly joinUrl: string }
	| { readonly kind: 'group'; readonly users: readonly { id: string; displayName?: string }[] }
);

/** The POST /communications/calls body for each kind of call (shapes from the Graph docs' examples). */
export function buildCreateCallBody(input: CreateCallInput): Record<string, unknown> {
	ensure(checkHttpsUrl(input.callbackUri, 'The callback URL', { allowLoopbackHttp: true }), input.tenantId.trim() === '' ? 'The tenant id is empty; set it on the profile.' : undefined);
	const common = {
		'@odata.type': '#microsoft.graph.call',
		callbackUri: input.callbackUri.trim(),
		requestedModalities: input.requestedModalities ?? ['audio'],
		mediaConfig: input.mediaConfig ?? SERVICE_HOSTED_MEDIA,
		tenantId: input.tenantId,
	};
	switch (input.kind) {
		case 'user':
			ensure(checkGuid(input.userId, 'The user id'));
			return { ...common, targets: [invitationParticipant({ kind: 'user', id: input.userId, displayName: input.displayName })] };
		case 'phone':
			ensure(checkGuid(input.applicationInstanceId, 'The application instance (resource account) id'), checkE164(input.phoneNumber));
			return {
				...common,
				source: {
					'@odata.type': '#microsoft.graph.participantInfo',
					identity: { '@odata.type': '#microsoft.graph.identitySet', applicationInstance: { '@odata.type': '#microsoft.graph.identity', id: input.applicationInstanceId.trim(), displayName: input.applicationInstanceName ?? 'Calling Bot' } },
				},
				targets: [invitationParticipant({ kind: 'phone', number: input.phoneNumber })],
			};
		case 'meetingJoinId':
			ensure(/^\d{6,20}$/.test(input.joinMeetingId.trim()) ? undefined : `The meeting id must be the digits shown under "Meeting ID" in the invite (6 to 20 digits); got "${input.joinMeetingId}".`);
			return { ...common, meetingInfo: { '@odata.type': '#microsoft.graph.joinMeetingIdMeetingInfo', joinMeetingId: input.joinMeetingId.trim(), passcode: input.passcode?.trim() || null } };
		case 'meetingJoinUrl': {
			const parsed = parseJoinUrl(input.joinUrl);
			if (!parsed.ok) throw new ValidationError(parsed.error);
			const m = parsed.value;
			if (m.kind === 'joinMeetingId') {
				return { ...common, meetingInfo: { '@odata.type': '#microsoft.graph.joinMeetingIdMeetingInfo', joinMeetingId: m.joinMeetingId, passcode: m.passcode ?? null } };
			}
			return {
				...common,
				chatInfo: { '@odata.type': '#microsoft.graph.chatInfo', threadId: m.threadId, messageId: m.messageId },
				meetingInfo: {
					'@odata.type': '#microsoft.graph.organizerMeetingInfo',
					organizer: { '@odata.type': '#microsoft.graph.identitySet', user: { '@odata.type': '#microsoft.graph.identity', id: m.organizerId, ...(m.tenantId ? { tenantId: m.tenantId } : {}) } },
					allowConversationWithoutHost: true,
				},
			};
		}
		case 'group':
			ensure(checkCount(input.users.length, 'group call targets', 2, LIMITS.groupCallTargets), ...input.users.map((u) => checkGuid(u.id, 'Each user id')));
			return { ...common, targets: input.users.map((u) => invitationParticipant({ kind: 'user', id: u.id, displayName: u.displayName })) };
	}
}

// ---------------------------------------------------------------------------------------------------------------
// Calls

export async function createCall(client: GraphSender, input: CreateCallInput, o?: ActionOptions): Promise<GraphResponse<CallResource>> {
	return send(client, 'call.create', 'POST', '/communications/calls', buildCreateCallBody(input), o);
}

export async function getCall(client: GraphSender, callId: string, o?: ActionOptions): Promise<GraphResponse<CallResource>> {
	return send(client, 'call.get', 'GET', callPath(callId), undefined, o);
}

/** Hang up: deletes the bot's leg of the call. */
export async function deleteCall(client: GraphSender, callId: string, o?: ActionOptions): Promise<GraphResponse<void>> {
	return send(client, 'call.delete', 'DELETE', callPath(callId), undefined, o);
}

export interface AnswerInput {
	readonly callbackUri: string;
	readonly acceptedModalities?: readonly string[];
	readonly mediaConfig?: Record<string, unknown>;
	readonly participantCapacity?: number;
}

export async function answerCall(client: GraphSender, callId: string, input: AnswerInput, o?: ActionOptions): Promise<GraphResponse<void>> {
	ensure(checkHttpsUrl(input.callbackUri, 'The callback URL', { allowLoopbackHttp: true }));
	return send(client, 'call.answer', 'POST', callPath(callId, '/answer'), {
		callbackUri: input.callbackUri.trim(),
		acceptedModalities: input.acceptedModalities ?? ['audio'],
		mediaConfig: input.mediaConfig ?? SERVICE_HOSTED_MEDIA,
		...(input.participantCapacity !== undefined ? { participantCapacity: input.participantCapacity } : {}),
	}, o);
}

export async function rejectCall(client: GraphSender, callId: string, input: { reason: RejectReason; callbackUri?: string }, o?: ActionOptions): Promise<GraphResponse<void>> {
	ensure(['none', 'busy', 'forbidden'].includes(input.reason) ? undefined : `The reject reason must be none, busy or forbidden; got "${input.reason}".`);
	return send(client, 'call.reject', 'POST', callPath(callId, '/reject'), { reason: input.reason, ...(input.callbackUri ? { callbackUri: input.callbackUri } : {}) }, o);
}

export async function redirectCall(client: GraphSender, callId: string, input: { targets: readonly TargetInput[]; timeoutSeconds?: number; callbackUri?: string }, o?: ActionOptions): Promise<GraphResponse<void>> {
	ensure(
		checkCount(input.targets.length, 'redirect targets', 1, LIMITS.redirectTargets),
		...input.targets.map(checkTarget),
		input.timeoutSeconds !== undefined ? checkIntegerInRange(input.timeoutSeconds, 'The redirect timeout (seconds)', LIMITS.redirectTimeoutMin, LIMITS.redirectTimeoutMax) : undefined,
	);
	return send(client, 'call.redirect', 'POST', callPath(callId, '/redirect'), {
		targets: input.targets.map((t) => invitationParticipant(t)),
		...(input.timeoutSeconds !== undefined ? { timeout: input.timeoutSeconds } : {}),
		...(input.callbackUri ? { callbackUri: input.callbackUri } : {}),
	}, o);
}

/** The participant being transferred out of a group call or meeting: its id in the call and its identitySet. */
export interface TransfereeInput {
	readonly participantId: string;
	/** The participant's identitySet as the participants list returns it (`info.identity`: user, guest, phone, ...). */
	readonly identity: Readonly<Record<string, unknown>>;
}

export interface TransferInput {
	readonly target: TargetInput;
	/** Consultative transfer: the id of the bot's call with the target that replaces this one. */
	readonly replacesCallId?: string;
	/** Group calls and meetings only: who is transferred (Graph needs it there and ignores it for 1:1 calls). */
	readonly transferee?: TransfereeInput;
}

function checkTransferee(t: TransfereeInput | undefined): string | undefined {
	if (!t) return undefined;
	const idError = checkId(t.participantId, 'The transferee\'s participant id');
	if (idError) return idError;
	const identity = t.identity as Record<string, unknown> | null | undefined;
	const hasIdentity = identity !== null && typeof identity === 'object' && Object.entries(identity).some(([k, v]) => !k.startsWith('@') && v !== null && typeof v === 'object');
	return hasIdentity ? undefined : `The transferee ${t.participantId} has no identity (user, guest, phone, ...): list the call's participants and pick the transferee from there.`;
}

/** The request body; a group-call transferee as in the Graph docs' "Call transfer from a group call" example. */
export function buildTransferBody(input: TransferInput): Record<string, unknown> {
	ensure(checkTarget(input.target), input.replacesCallId !== undefined ? checkId(input.replacesCallId, 'The consultation call id') : undefined, checkTransferee(input.transferee));
	const t = input.transferee;
	return {
		transferTarget: { endpointType: 'default', ...invitationParticipant(input.target, { replacesCallId: input.replacesCallId }) },
		...(t ? { transferee: { '@odata.type': '#microsoft.graph.participantInfo', identity: { '@odata.type': '#microsoft.graph.identitySet', ...t.identity }, participantId: t.participantId.trim() } } : {}),
	};
}

export async function transferCall(client: GraphSender, callId: string, input: TransferInput, o?: ActionOptions): Promise<GraphResponse<void>> {
	const body = buildTransferBody(input);
	return send(client, 'call.transfer', 'POST', callPath(callId, '/transfer'), body, o);
}

function mediaPrompt(uri: string): Record<string, unknown> {
	return { '@odata.type': '#microsoft.graph.mediaPrompt', mediaInfo: { '@odata.type': '#microsoft.graph.mediaInfo', uri: uri.trim(), resourceId: randomUUID() } };
}

export async function playPrompt(client: GraphSender, callId: string, input: { promptUris: readonly string[]; clientContext?: string; loop?: boolean }, o?: ActionOptions): Promise<GraphResponse<OperationResource>> {
	ensure(checkCount(input.promptUris.length, 'prompts', 1, LIMITS.prompts), ...input.promptUris.map((u) => checkHttpsUrl(u, 'Each prompt URL', { allowLoopbackHttp: true })));
	return send(client, 'call.playPrompt', 'POST', callPath(callId, '/playPrompt'), {
		clientContext: input.clientContext ?? randomUUID(),
		prompts: input.promptUris.map(mediaPrompt),
		...(input.loop !== undefined ? { loop: input.loop } : {}),
	}, o);
}

export interface RecordResponseInput {
	readonly maxRecordDurationInSeconds: number;
	readonly promptUris?: readonly string[];
	readonly bargeInAllowed?: boolean;
	readonly initialSilenceTimeoutInSeconds?: number;
	readonly maxSilenceTimeoutInSeconds?: number;
	readonly playBeep?: boolean;
	readonly stopTones?: readonly ToneName[];
	readonly clientContext?: string;
}

export async function recordResponse(client: GraphSender, callId: string, input: RecordResponseInput, o?: ActionOptions): Promise<GraphResponse<OperationResource>> {
	const prompts = input.promptUris ?? [];
	ensure(
		checkIntegerInRange(input.maxRecordDurationInSeconds, 'The recording length (seconds)', 1, LIMITS.recordSeconds),
		checkCount(prompts.length, 'prompts', 0, LIMITS.prompts),
		...prompts.map((u) => checkHttpsUrl(u, 'Each prompt URL', { allowLoopbackHttp: true })),
	);
	return send(client, 'call.recordResponse', 'POST', callPath(callId, '/recordResponse'), {
		clientContext: input.clientContext ?? randomUUID(),
		bargeInAllowed: input.bargeInAllowed ?? true,
		prompts: prompts.map(mediaPrompt),
		maxRecordDurationInSeconds: input.maxRecordDurationInSeconds,
		initialSilenceTimeoutInSeconds: input.initialSilenceTimeoutInSeconds ?? 5,
		maxSilenceTimeoutInSeconds: input.maxSilenceTimeoutInSeconds ?? 2,
		playBeep: input.playBeep ?? true,
		stopTones: input.stopTones ?? ['#'],
	}, o);
}

export async function cancelMediaProcessing(client: GraphSender, callId: string, input: { clientContext?: string } = {}, o?: ActionOptions): Promise<GraphResponse<OperationResource>> {
	return send(client, 'call.cancelMediaProcessing', 'POST', callPath(callId, '/cancelMediaProcessing'), { clientContext: input.clientContext ?? randomUUID() }, o);
}

export async function subscribeToTone(client: GraphSender, callId: string, input: { clientContext?: string } = {}, o?: ActionOptions): Promise<GraphResponse<OperationResource>> {
	return send(client, 'call.subscribeToTone', 'POST', callPath(callId, '/subscribeToTone'), { clientContext: input.clientContext ?? randomUUID() }, o);
}

export async function sendDtmfTones(client: GraphSender, callId: string, input: { tones: readonly ToneName[]; delayBetweenTonesMs?: number; clientContext?: string }, o?: ActionOptions): Promise<GraphResponse<OperationResource>> {
	ensure(checkCount(input.tones.length, 'tones', 1, LIMITS.dtmfTones), input.delayBetweenTonesMs !== undefined ? checkIntegerInRange(input.delayBetweenTonesMs, 'The delay between tones (ms)', 0, 5000) : undefined);
	return send(client, 'call.sendDtmfTones', 'POST', callPath(callId, '/sendDtmfTones'), {
		tones: input.tones,
		delayBetweenTonesMs: input.delayBetweenTonesMs ?? 300,
		clientContext: input.clientContext ?? randomUUID(),
	}, o);
}

export async function muteCall(client: GraphSender, callId: string, input: { clientContext?: string } = {}, o?: ActionOptions): Promise<GraphResponse<OperationResource>> {
	return send(client, 'call.mute', 'POST', callPath(callId, '/mute'), { clientContext: input.clientContext ?? randomUUID() }, o);
}

export async function unmuteCall(client: GraphSender, callId: string, input: { clientContext?: string } = {}, o?: ActionOptions): Promise<GraphResponse<OperationResource>> {
	return send(client, 'call.unmute', 'POST', callPath(callId, '/unmute'), { clientContext: input.clientContext ?? randomUUID() }, o);
}

/** No body; 200 while the call lives, 404 once it is gone. */
export async function keepAlive(client: GraphSender, callId: string, o?: ActionOptions): Promise<GraphResponse<void>> {
	return send(client, 'call.keepAlive', 'POST', callPath(callId, '/keepAlive'), undefined, o);
}

export async function updateRecordingStatus(client: GraphSender, callId: string, input: { status: RecordingStatus; clientContext?: string }, o?: ActionOptions): Promise<GraphResponse<OperationResource>> {
	ensure(['notRecording', 'recording', 'failed'].includes(input.status) ? undefined : `The recording status must be notRecording, recording or failed; got "${input.status}".`);
	return send(client, 'call.updateRecordingStatus', 'POST', callPath(callId, '/updateRecordingStatus'), { status: input.status, clientContext: input.clientContext ?? randomUUID() }, o);
}

export async function changeScreenSharingRole(client: GraphSender, callId: string, input: { role: ScreenSharingRole }, o?: ActionOptions): Promise<GraphResponse<void>> {
	ensure(input.role === 'viewer' || input.role === 'sharer' ? undefined : `The screen sharing role must be viewer or sharer; got "${input.role}".`);
	return send(client, 'call.changeScreenSharingRole', 'POST', callPath(callId, '/changeScreenSharingRole'), { role: input.role }, o);
}

export async function addLargeGalleryView(client: GraphSender, callId: string, input: { clientContext?: string } = {}, o?: ActionOptions): Promise<GraphResponse<OperationResource>> {
	return send(client, 'call.addLargeGalleryView', 'POST', callPath(callId, '/addLargeGalleryView'), { clientContext: input.clientContext ?? randomUUID() }, o);
}

// ---------------------------------------------------------------------------------------------------------------
// Participants, operations and other children

export async function listParticipants(client: GraphSender, callId: string, o?: ActionOptions): Promise<GraphResponse<Collection<ParticipantResource>>> {
	return send(client, 'participant.list', 'GET', callPath(callId, '/participants'), undefined, o);
}

export async function getParticipant(client: GraphSender, callId: string, participantId: string, o?: ActionOptions): Promise<GraphResponse<ParticipantResource>> {
	return send(client, 'participant.get', 'GET', participantPath(callId, participantId), undefined, o);
}

export async function inviteParticipants(client: GraphSender, callId: string, input: { participants: readonly TargetInput[]; replacesCallId?: string; clientContext?: string }, o?: ActionOptions): Promise<GraphResponse<OperationResource>> {
	ensure(checkCount(input.participants.length, 'invitees', 1, LIMITS.invitees), ...input.participants.map(checkTarget));
	return send(client, 'participant.invite', 'POST', callPath(callId, '/participants/invite'), {
		participants: input.participants.map((p) => invitationParticipant(p, { replacesCallId: input.replacesCallId })),
		clientContext: input.clientContext ?? randomUUID(),
	}, o);
}

export async function muteParticipant(client: GraphSender, callId: string, participantId: string, input: { clientContext?: string } = {}, o?: ActionOptions): Promise<GraphResponse<OperationResource>> {
	return send(client, 'participant.mute', 'POST', participantPath(callId, participantId, '/mute'), { clientContext: input.clientContext ?? randomUUID() }, o);
}

/** Beta only. */
export async function muteAllParticipants(client: GraphSender, callId: string, input: { clientContext?: string } = {}, o?: ActionOptions): Promise<GraphResponse<OperationResource>> {
	return send(client, 'participant.muteAll', 'POST', callPath(callId, '/participants/muteAll'), { clientContext: input.clientContext ?? randomUUID() }, o);
}

export async function deleteParticipant(client: GraphSender, callId: string, participantId: string, o?: ActionOptions): Promise<GraphResponse<void>> {
	return send(client, 'participant.delete', 'DELETE', participantPath(callId, participantId), undefined, o);
}

export async function startHoldMusic(client: GraphSender, callId: string, participantId: string, input: { customPromptUri?: string; clientContext?: string } = {}, o?: ActionOptions): Promise<GraphResponse<OperationResource>> {
	ensure(input.customPromptUri !== undefined ? checkHttpsUrl(input.customPromptUri, 'The hold music URL', { allowLoopbackHttp: true }) : undefined);
	return send(client, 'participant.startHoldMusic', 'POST', participantPath(callId, participantId, '/startHoldMusic'), {
		...(input.customPromptUri ? { customPrompt: mediaPrompt(input.customPromptUri) } : {}),
		clientContext: input.clientContext ?? randomUUID(),
	}, o);
}

export async function stopHoldMusic(client: GraphSender, callId: string, participantId: string, input: { clientContext?: string } = {}, o?: ActionOptions): Promise<GraphResponse<OperationResource>> {
	return send(client, 'participant.stopHoldMusic', 'POST', participantPath(callId, participantId, '/stopHoldMusic'), { clientContext: input.clientContext ?? randomUUID() }, o);
}

export async function getOperation(client: GraphSender, callId: string, operationId: string, o?: ActionOptions): Promise<GraphResponse<OperationResource>> {
	ensure(checkId(operationId, 'The operation id'));
	return send(client, 'operation.get', 'GET', callPath(callId, `/operations/${encodeURIComponent(operationId.trim())}`), undefined, o);
}

export async function listContentSharingSessions(client: GraphSender, callId: string, o?: ActionOptions): Promise<GraphResponse<Collection<ContentSharingSession>>> {
	return send(client, 'contentSharingSession.list', 'GET', callPath(callId, '/contentSharingSessions'), undefined, o);
}

export async function getContentSharingSession(client: GraphSender, callId: string, sessionId: string, o?: ActionOptions): Promise<GraphResponse<ContentSharingSession>> {
	ensure(checkId(sessionId, 'The session id'));
	return send(client, 'contentSharingSession.get', 'GET', callPath(callId, `/contentSharingSessions/${encodeURIComponent(sessionId)}`), undefined, o);
}

export async function listAudioRoutingGroups(client: GraphSender, callId: string, o?: ActionOptions): Promise<GraphResponse<Collection<AudioRoutingGroup>>> {
	return send(client, 'audioRoutingGroup.list', 'GET', callPath(callId, '/audioRoutingGroups'), undefined, o);
}

export interface AudioRoutingGroupInput {
	readonly routingMode: 'oneToOne' | 'multicast';
	readonly sources: readonly string[];
	readonly receivers: readonly string[];
}

export async function createAudioRoutingGroup(client: GraphSender, callId: string, input: AudioRoutingGroupInput, o?: ActionOptions): Promise<GraphResponse<AudioRoutingGroup>> {
	ensure(checkCount(input.sources.length, 'sources', 1, 50), checkCount(input.receivers.length, 'receivers', 1, 50));
	return send(client, 'audioRoutingGroup.create', 'POST', callPath(callId, '/audioRoutingGroups'), { routingMode: input.routingMode, sources: input.sources, receivers: input.receivers }, o);
}

export async function getAudioRoutingGroup(client: GraphSender, callId: string, groupId: string, o?: ActionOptions): Promise<GraphResponse<AudioRoutingGroup>> {
	ensure(checkId(groupId, 'The audio routing group id'));
	return send(client, 'audioRoutingGroup.get', 'GET', callPath(callId, `/audioRoutingGroups/${encodeURIComponent(groupId)}`), undefined, o);
}

export async function updateAudioRoutingGroup(client: GraphSender, callId: string, groupId: string, input: Partial<AudioRoutingGroupInput>, o?: ActionOptions): Promise<GraphResponse<AudioRoutingGroup>> {
	ensure(checkId(groupId, 'The audio routing group id'));
	return send(client, 'audioRoutingGroup.update', 'PATCH', callPath(callId, `/audioRoutingGroups/${encodeURIComponent(groupId)}`), input, o);
}

export async function deleteAudioRoutingGroup(client: GraphSender, callId: string, groupId: string, o?: ActionOptions): Promise<GraphResponse<void>> {
	ensure(checkId(groupId, 'The audio routing group id'));
	return send(client, 'audioRoutingGroup.delete', 'DELETE', callPath(callId, `/audioRoutingGroups/${encodeURIComponent(groupId)}`), undefined, o);
}

/** The call id of a create response: the body's id, else the last segment of the Location header. */
export function callIdOf(response: GraphResponse<CallResource | undefined>): string | undefined {
	if (response.body && typeof response.body === 'object' && typeof response.body.id === 'string') return response.body.id;
	const loc = response.headers['location'];
	return loc ? decodeURIComponent(loc.replace(/\/+$/, '').split('/').pop() ?? '') || undefined : undefined;
}
