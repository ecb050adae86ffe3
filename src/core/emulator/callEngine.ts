import { randomUUID } from 'node:crypto';
import type { CommsNotification, ResultInfo } from '../schema/types';
import type { IDisposable } from '../lifecycle';
import type { Clock } from './clock';
import type { Behaviour, Directory, DirectoryMeeting } from './directory';
import { EMULATOR_TENANT } from './directory';
import { badRequest, GraphHttpError } from './http';
import { RESULT } from './resultCodes';

export type CallState = 'incoming' | 'establishing' | 'ringing' | 'established' | 'hold' | 'transferring' | 'transferAccepted' | 'redirecting' | 'terminating' | 'terminated';
export type CallKind = 'peerToPeer' | 'phone' | 'group' | 'meeting' | 'incoming';

/** Emulated durations (ms). Tests shrink them; `Clock.speed` scales them all at once. */
export interface EmulatorTimings {
	/** establishing -> established once the other side is there (meeting join, answer). */
	establishMs: number;
	/** Ring time for callees without their own `answerAfterMs`. */
	defaultAnswerAfterMs: number;
	/** How long a `neverAnswers` callee rings before the call fails. */
	ringTimeoutMs: number;
	/** How long the bot has to answer, reject or redirect an incoming call (the service allows 15 s). */
	answerWindowMs: number;
	/** A call without keepAlive for this long ends with 408/8537 (the service allows 45 min). */
	keepAliveTimeoutMs: number;
	/** How long a playPrompt prompt, a recordResponse or hold music takes. */
	operationMs: number;
	/** transferring -> transferAccepted -> terminated. */
	transferMs: number;
	/** terminating -> terminated. */
	terminateMs: number;
}

export const DEFAULT_TIMINGS: EmulatorTimings = {
	establishMs: 200,
	defaultAnswerAfterMs: 1000,
	ringTimeoutMs: 30_000,
	answerWindowMs: 15_000,
	keepAliveTimeoutMs: 45 * 60_000,
	operationMs: 1000,
	transferMs: 500,
	terminateMs: 100,
};

type Json = Record<string, any>;

export interface CallRecord {
	id: string;
	appId: string;
	tenantId: string;
	kind: CallKind;
	resource: Json;
	participants: Map<string, Json>;
	operations: Map<string, Json>;
	audioRoutingGroups: Map<string, Json>;
	contentSharingSessions: Map<string, Json>;
	timers: Set<IDisposable>;
	keepAlive?: IDisposable;
	subscribedToTone: boolean;
	toneSequence: number;
	botParticipantId: string;
	meeting?: DirectoryMeeting;
	/** The remote party of a 1:1 call (its participant id). */
	peerParticipantId?: string;
}

export interface EndedCall {
	id: string;
	appId: string;
	endedAt: string;
	resultInfo: ResultInfo;
}

/** Sends notifications on behalf of the engine (the webhook dispatcher, in practice). */
export type NotificationSink = (call: CallRecord, notifications: CommsNotification[]) => void;

const MODALITIES = ['audio', 'video', 'videoBasedScreenSharing', 'data'];
const TONES = ['tone0', 'tone1', 'tone2', 'tone3', 'tone4', 'tone5', 'tone6', 'tone7', 'tone8', 'tone9', 'star', 'pound', 'a', 'b', 'c', 'd', 'flash'];
const KEY_TO_TONE: Record<string, string> = { '*': 'star', '#': 'pound', A: 'a', B: 'b', C: 'c', D: 'd' };

/** Why a call-level action needs a permission beyond the endpoint table (create depends on the kind of call). */
export interface CreatePermissionNeed {
	kind: CallKind;
	anyOf: string[];
}

/**
 * The stateful heart of the emulator: calls, their participants and operations, and the simulated people on the
 * other side. It knows nothing about HTTP beyond throwing GraphHttpError; notifications go to the sink.
 */
export class CallEngine {
	private readonly calls = new Map<string, CallRecord>();
	private readonly ended = new Map<string, EndedCall>();
	/** Counts of every action the engine performed (for the state dump and benchmarks). */
	actions = 0;
	/** recordOperation id -> recordingAccessToken, so the recording download can check it. */
	readonly recordings = new Map<string, string>();

	constructor(
		private readonly clock: Clock,
		public timings: EmulatorTimings,
		public directory: Directory,
		private readonly notify: NotificationSink,
		private readonly resourceBase: () => string,
	) {}

	// ---- lookup -------------------------------------------------------------------------------------------

	list(): CallRecord[] {
		return [...this.calls.values()];
	}

	endedCalls(): EndedCall[] {
		return [...this.ended.values()];
	}

	/** The call, if the app owns it; 404 in Graph's words otherwise (also for calls that ended). */
	get(callId: string, appId?: string): CallRecord {
		const call = this.calls.get(callId.toLowerCase());
		if (call && (!appId || call.appId === appId)) return call;
		const ended = this.ended.get(callId.toLowerCase());
		if (ended && (!appId || ended.appId === appId)) {
			throw new GraphHttpError(404, 'itemNotFound', `Call ${callId} ended at ${ended.endedAt} (${ended.resultInfo.code}/${ended.resultInfo.subcode}: ${ended.resultInfo.message}). Create a new call.`);
		}
		throw new GraphHttpError(404, 'itemNotFound', `Call ${callId} was not found. Graph has no "list calls": use the id from the create response or from a notification.`);
	}

	reset(): void {
		for (const call of this.calls.values()) this.clearTimers(call);
		this.calls.clear();
		this.ended.clear();
		this.recordings.clear();
		this.actions = 0;
	}

	dispose(): void {
		this.reset();
	}

	// ---- create ------------------------------------------------------------------------------------------

	/** Works out what kind of call a create body asks for and which permissions it needs (before creating it). */
	classify(body: Json): CreatePermissionNeed {
		if (body.meetingInfo || body.chatInfo) return { kind: 'meeting', anyOf: ['Calls.JoinGroupCall.All', 'Calls.JoinGroupCallAsGuest.All'] };
		const targets = Array.isArray(body.targets) ? body.targets : [];
		if (targets.length > 1) return { kind: 'group', anyOf: ['Calls.InitiateGroupCall.All'] };
		if (targets[0]?.identity?.phone) return { kind: 'phone', anyOf: ['Calls.Initiate.All'] };
		return { kind: 'peerToPeer', anyOf: ['Calls.Initiate.All'] };
	}

	create(appId: string, tenantId: string, body: Json): CallRecord {
		this.actions++;
		const callbackUri = requireCallbackUri(body.callbackUri);
		const modalities = body.requestedModalities;
		if (!Array.isArray(modalities) || modalities.length === 0 || modalities.some((m) => !MODALITIES.includes(m))) {
			throw badRequest(`requestedModalities must be a non-empty array of ${MODALITIES.join(', ')}, for example ["audio"].`);
		}
		requireMediaConfig(body.mediaConfig);
		if (body.tenantId && String(body.tenantId).toLowerCase() !== tenantId) {
			throw new GraphHttpError(403, '7505', `Request authorization tenant mismatch: the body's tenantId ${body.tenantId} is not the token's tenant ${tenantId}.`);
		}
		const { kind } = this.classify(body);
		const id = randomUUID();
		const botParticipantId = randomUUID();
		const resource: Json = {
			'@odata.type': '#microsoft.graph.call',
			id,
			state: 'establishing',
			direction: 'outgoing',
			callbackUri,
			callChainId: randomUUID(),
			requestedModalities: modalities,
			mediaConfig: body.mediaConfig,
			mediaState: { audio: 'active' },
			myParticipantId: botParticipantId,
			tenantId,
			source: body.source ?? { '@odata.type': '#microsoft.graph.participantInfo', identity: { application: { id: appId, displayName: EMULATOR_TENANT.botDisplayName } } },
			targets: body.targets ?? [],
			callOptions: body.callOptions,
			subject: body.subject,
		};
		const call = this.newRecord(id, appId, tenantId, kind, resource, botParticipantId);
		let meeting: DirectoryMeeting | undefined;
		const targets: Json[] = Array.isArray(body.targets) ? body.targets : [];
		if (kind === 'meeting') {
			meeting = this.findMeeting(body);
			call.meeting = meeting;
			resource.meetingInfo = body.meetingInfo;
			resource.chatInfo = body.chatInfo ?? { '@odata.type': '#microsoft.graph.chatInfo', threadId: meeting.threadId, messageId: '0' };
			resource.subject ??= meeting.subject;
		} else {
			if (targets.length === 0) throw badRequest('targets is required: give at least one invitationParticipantInfo (a user or a phone), or meetingInfo to join a meeting.');
			if (kind === 'group' && targets.length > 5) throw badRequest(`A group call can have at most 5 targets; this request has ${targets.length}. Invite more people later with participants/invite.`);
			for (const t of targets) this.resolveTarget(t, true);
			if (kind === 'phone' && !body.source?.identity?.applicationInstance?.id) {
				throw badRequest(`Calls to a phone number need source.identity.applicationInstance.id (the bot's resource account with a phone number), for example ${EMULATOR_TENANT.applicationInstanceId}.`);
			}
		}
		this.calls.set(id, call);
		this.startKeepAlive(call);
		this.addParticipant(call, this.botParticipant(call), false);
		this.notifyCall(call, 'updated');
		if (kind === 'meeting') {
			this.after(call, this.timings.establishMs, () => {
				for (const userId of meeting!.participants) this.addParticipant(call, this.userParticipant(userId), false);
				this.setState(call, 'established');
				this.notifyRoster(call);
			});
		} else if (kind === 'group') {
			this.after(call, this.timings.establishMs, () => {
				this.setState(call, 'established');
				this.notifyRoster(call);
				for (const t of targets) this.ring(call, t, (joined) => joined && this.notifyRoster(call));
			});
		} else {
			// The callee's devices ring (ringing) unless the call fails at once (busy, offline).
			const callee = this.resolveTarget(targets[0], true);
			const rings = callee.behaviour === 'answers' || callee.behaviour === 'neverAnswers' || callee.behaviour === 'declines';
			const ringFor = callee.behaviour === 'answers' ? callee.answerAfterMs ?? this.timings.defaultAnswerAfterMs : callee.behaviour === 'neverAnswers' ? this.timings.ringTimeoutMs : this.timings.establishMs * 2;
			if (rings && ringFor > this.timings.establishMs) this.after(call, this.timings.establishMs, () => this.setState(call, 'ringing'));
			this.ring(call, targets[0], (joined, result) => {
				if (joined) {
					call.peerParticipantId = joined;
					this.setState(call, 'established');
					this.notifyRoster(call);
				} else {
					this.terminate(call, result!);
				}
			});
		}
		return call;
	}

	// ---- incoming ----------------------------------------------------------------------------------------

	/** Someone from the directory calls the bot. The bot must answer, reject or redirect within the window. */
	incoming(appId: string, tenantId: string, callbackUri: string, from: { userId?: string; phone?: string }): CallRecord {
		this.actions++;
		requireCallbackUri(callbackUri);
		const identity = this.identityOf(from);
		const id = randomUUID();
		const botParticipantId = randomUUID();
		const resource: Json = {
			'@odata.type': '#microsoft.graph.call',
			id,
			state: 'incoming',
			direction: 'incoming',
			callbackUri,
			callChainId: randomUUID(),
			requestedModalities: ['audio'],
			mediaState: { audio: 'inactive' },
			myParticipantId: botParticipantId,
			tenantId,
			source: { '@odata.type': '#microsoft.graph.participantInfo', identity, endpointType: 'default' },
			targets: [{ '@odata.type': '#microsoft.graph.invitationParticipantInfo', identity: { application: { id: appId, displayName: EMULATOR_TENANT.botDisplayName } } }],
			incomingContext: { '@odata.type': '#microsoft.graph.incomingContext', sourceParticipantId: randomUUID() },
		};
		const call = this.newRecord(id, appId, tenantId, 'incoming', resource, botParticipantId);
		this.calls.set(id, call);
		this.notifyCall(call, 'created');
		this.after(call, this.timings.answerWindowMs, () => {
			if (call.resource.state === 'incoming') {
				this.terminate(call, { ...RESULT.notAnswered, message: `The bot did not answer, reject or redirect the incoming call within ${this.timings.answerWindowMs / 1000} s.` }, true);
			}
		}, 'answerWindow');
		return call;
	}

	answer(call: CallRecord, body: Json): void {
		this.actions++;
		this.requireState(call, ['incoming'], 'answer');
		const callbackUri = requireCallbackUri(body.callbackUri);
		requireMediaConfig(body.mediaConfig);
		const accepted = body.acceptedModalities;
		if (accepted !== undefined && (!Array.isArray(accepted) || accepted.some((m: unknown) => !MODALITIES.includes(String(m))))) {
			throw badRequest(`acceptedModalities must be an array of ${MODALITIES.join(', ')}.`);
		}
		this.cancelTimer(call, 'answerWindow');
		Object.assign(call.resource, { callbackUri, mediaConfig: body.mediaConfig, requestedModalities: accepted ?? ['audio'], mediaState: { audio: 'active' } });
		this.startKeepAlive(call);
		this.setState(call, 'establishing');
		this.after(call, this.timings.establishMs, () => {
			const caller = this.participantFromIdentity(call.resource.source.identity);
			this.addParticipant(call, caller, false);
			call.peerParticipantId = caller.id;
			this.addParticipant(call, this.botParticipant(call), false);
			this.setState(call, 'established');
			this.notifyRoster(call);
		});
	}

	reject(call: CallRecord, body: Json): void {
		this.actions++;
		this.requireState(call, ['incoming'], 'reject');
		const reason = body.reason ?? 'none';
		if (!['none', 'busy', 'forbidden'].includes(reason)) throw badRequest(`reason must be none, busy or forbidden, not "${reason}".`);
		if (body.callbackUri !== undefined) requireCallbackUri(body.callbackUri);
		this.cancelTimer(call, 'answerWindow');
		const result = reason === 'busy' ? { ...RESULT.busy, message: 'The bot rejected the call as busy.' } : reason === 'forbidden' ? { code: 403, subcode: 0, message: 'The bot rejected the call as forbidden.' } : RESULT.rejectedByBot;
		this.terminate(call, result, true);
	}

	redirect(call: CallRecord, body: Json): void {
		this.actions++;
		this.requireState(call, ['incoming'], 'redirect');
		const targets = body.targets;
		if (!Array.isArray(targets) || targets.length === 0 || targets.length > 25) throw badRequest('targets must hold 1 to 25 invitationParticipantInfo entries.');
		for (const t of targets) this.resolveTarget(t, true);
		if (body.timeout !== undefined && (typeof body.timeout !== 'number' || body.timeout < 15 || body.timeout > 90)) throw badRequest('timeout must be a number of seconds from 15 to 90.');
		if (body.callbackUri !== undefined) requireCallbackUri(body.callbackUri);
		this.cancelTimer(call, 'answerWindow');
		this.setState(call, 'redirecting');
		this.after(call, this.timings.establishMs, () => this.terminate(call, RESULT.redirected, true));
	}

	// ---- call actions ------------------------------------------------------------------------------------

	delete(call: CallRecord): void {
		this.actions++;
		if (call.resource.state === 'terminating') return;
		this.terminate(call, RESULT.endedByBot);
	}

	keepAlive(call: CallRecord): void {
		this.actions++;
		if (call.resource.state === 'terminating' || call.resource.state === 'terminated') throw gone(call);
		this.startKeepAlive(call);
	}

	transfer(call: CallRecord, body: Json): void {
		this.actions++;
		this.requireState(call, ['established'], 'transfer');
		const target = body.transferTarget;
		if (!target || typeof target !== 'object') throw badRequest('transferTarget is required: an invitationParticipantInfo with the identity to transfer to.');
		if (call.kind === 'group' || call.kind === 'meeting') {
			const transferee = body.transferee;
			if (!transferee || typeof transferee !== 'object' || typeof transferee.participantId !== 'string' || !transferee.participantId) {
				throw badRequest('Transfers in group calls need transferee: the participantInfo of the participant to transfer, with its participantId and identity from the participants list.');
			}
			const pid = String(transferee.participantId).toLowerCase();
			if (pid === call.botParticipantId.toLowerCase()) throw badRequest(`transferee.participantId ${transferee.participantId} is the bot itself: pass the participant to transfer (GET /communications/calls/${call.id}/participants lists them).`);
			if (!call.participants.has(pid) && !call.participants.has(transferee.participantId)) {
				throw badRequest(`transferee.participantId ${transferee.participantId} is not a participant of call ${call.id}: pass the id of one listed by GET /communications/calls/${call.id}/participants.`);
			}
		}
		const entry = this.resolveTarget(target, false);
		let replaced: CallRecord | undefined;
		if (target.replacesCallId) {
			replaced = this.calls.get(String(target.replacesCallId).toLowerCase());
			if (!replaced || replaced.appId !== call.appId) throw badRequest(`replacesCallId ${target.replacesCallId} is not a call of this bot: consultative transfer needs the id of the bot's established call with the transfer target.`);
			if (replaced.resource.state !== 'established') throw badRequest(`The consultation call ${replaced.id} is ${replaced.resource.state}, not established.`);
		}
		this.setState(call, 'transferring');
		const outcome = replaced ? 'answers' : entry.behaviour;
		const delay = replaced ? this.timings.transferMs : outcome === 'answers' ? entry.answerAfterMs ?? this.timings.transferMs : outcome === 'neverAnswers' ? this.timings.ringTimeoutMs : this.timings.transferMs;
		this.after(call, delay, () => {
			if (outcome === 'answers') {
				this.setState(call, 'transferAccepted');
				this.after(call, this.timings.transferMs, () => {
					this.terminate(call, RESULT.transferCompleted, true);
					if (replaced && this.calls.has(replaced.id)) this.terminate(replaced, RESULT.transferCompleted, true);
				});
			} else {
				call.resource.resultInfo = resultFor(outcome);
				this.setState(call, 'established');
				delete call.resource.resultInfo;
			}
		});
	}

	playPrompt(call: CallRecord, body: Json): Json {
		this.actions++;
		this.requireState(call, ['established'], 'playPrompt');
		const prompts = body.prompts;
		if (!Array.isArray(prompts) || prompts.length === 0 || prompts.length > 20) throw badRequest('prompts must hold 1 to 20 mediaPrompt entries.');
		for (const p of prompts) {
			if (!p?.mediaInfo?.uri || typeof p.mediaInfo.uri !== 'string') throw badRequest('Each prompt needs mediaInfo.uri (the URL of a WAV file), for example {"@odata.type":"#microsoft.graph.mediaPrompt","mediaInfo":{"uri":"https://contoso.example/prompt.wav"}}.');
		}
		const op = this.startOperation(call, 'playPromptOperation', body.clientContext);
		this.after(call, this.timings.operationMs * prompts.length, () => this.finishOperation(call, op, 'completed', RESULT.success, { completionReason: 'completedSuccessfully' }), `op:${op.id}`);
		return op;
	}

	recordResponse(call: CallRecord, body: Json): Json {
		this.actions++;
		this.requireState(call, ['established'], 'recordResponse');
		const max = body.maxRecordDurationInSeconds ?? 5;
		if (typeof max !== 'number' || max < 1 || max > 120) throw badRequest('maxRecordDurationInSeconds must be from 1 to 120.');
		if (body.stopTones !== undefined && (!Array.isArray(body.stopTones) || body.stopTones.some((t: unknown) => !TONES.includes(String(t)) && !/^[0-9*#]$/.test(String(t))))) {
			throw badRequest('stopTones must be an array of keys such as "#", "*" or "1".');
		}
		const op = this.startOperation(call, 'recordOperation', body.clientContext);
		op.stopTones = body.stopTones ?? [];
		this.after(call, Math.min(this.timings.operationMs, max * 1000), () => this.finishRecording(call, op, 'maxRecordDurationReached'), `op:${op.id}`);
		return publicOp(op);
	}

	private finishRecording(call: CallRecord, op: Json, reason: string): void {
		const token = randomUUID().replace(/-/g, '');
		this.recordings.set(op.id, token);
		if (this.recordings.size > 1000) this.recordings.delete(this.recordings.keys().next().value!);
		this.finishOperation(call, op, 'completed', RESULT.success, {
			completionReason: reason,
			recordingLocation: `${this.resourceBase()}/_emulator/recordings/${op.id}`,
			recordingAccessToken: token,
		});
	}

	cancelMediaProcessing(call: CallRecord, body: Json): Json {
		this.actions++;
		this.requireState(call, ['established', 'hold'], 'cancelMediaProcessing');
		for (const op of call.operations.values()) {
			if (op.status === 'running' && (op['@odata.type'] === '#microsoft.graph.playPromptOperation' || op['@odata.type'] === '#microsoft.graph.recordOperation')) {
				this.cancelTimer(call, `op:${op.id}`);
				this.finishOperation(call, op, 'failed', RESULT.canceled, { completionReason: 'operationCanceled' });
			}
		}
		return this.completedOperation(call, 'cancelMediaProcessingOperation', body.clientContext);
	}

	subscribeToTone(call: CallRecord, body: Json): Json {
		this.actions++;
		this.requireState(call, ['established', 'hold'], 'subscribeToTone');
		call.subscribedToTone = true;
		return this.completedOperation(call, 'subscribeToToneOperation', body.clientContext);
	}

	sendDtmfTones(call: CallRecord, body: Json): Json {
		this.actions++;
		this.requireState(call, ['established'], 'sendDtmfTones');
		const tones = body.tones;
		if (!Array.isArray(tones) || tones.length === 0 || tones.some((t: unknown) => !TONES.includes(String(t)))) throw badRequest('tones must be a non-empty array of tone0-tone9, star, pound, a-d or flash.');
		const gap = body.delayBetweenTonesMs ?? 300;
		if (typeof gap !== 'number' || gap < 0 || gap > 10000) throw badRequest('delayBetweenTonesMs must be a number from 0 to 10000.');
		const op = this.startOperation(call, 'sendDtmfTonesOperation', body.clientContext);
		this.after(call, gap * tones.length, () => this.finishOperation(call, op, 'completed', RESULT.success, { completionReason: 'completedSuccessfully' }), `op:${op.id}`);
		return op;
	}

	muteSelf(call: CallRecord, body: Json, muted: boolean): Json {
		this.actions++;
		this.requireState(call, ['established', 'hold'], muted ? 'mute' : 'unmute');
		const me = call.participants.get(call.botParticipantId);
		if (me) {
			me.isMuted = muted;
			for (const s of me.mediaStreams ?? []) s.serverMuted = false;
			this.notifyRoster(call);
		}
		return this.completedOperation(call, muted ? 'muteParticipantOperation' : 'unmuteParticipantOperation', body.clientContext);
	}

	updateRecordingStatus(call: CallRecord, body: Json): Json {
		this.actions++;
		this.requireState(call, ['established', 'hold'], 'updateRecordingStatus');
		if (!['notRecording', 'recording', 'failed'].includes(body.status)) throw badRequest('status must be notRecording, recording or failed.');
		const me = call.participants.get(call.botParticipantId);
		if (me) {
			me.recordingInfo = { '@odata.type': '#microsoft.graph.recordingInfo', recordingStatus: body.status };
			this.notifyRoster(call);
		}
		return this.completedOperation(call, 'updateRecordingStatusOperation', body.clientContext);
	}

	changeScreenSharingRole(call: CallRecord, body: Json): void {
		this.actions++;
		this.requireState(call, ['established'], 'changeScreenSharingRole');
		if (!['viewer', 'sharer'].includes(body.role)) throw badRequest('role must be viewer or sharer.');
		call.resource.screenSharingRole = body.role;
	}

	addLargeGalleryView(call: CallRecord, body: Json): Json {
		this.actions++;
		this.requireState(call, ['established'], 'addLargeGalleryView');
		return this.completedOperation(call, 'addLargeGalleryViewOperation', body.clientContext);
	}

	// ---- participants ------------------------------------------------------------------------------------

	participant(call: CallRecord, participantId: string): Json {
		const p = call.participants.get(participantId.toLowerCase()) ?? call.participants.get(participantId);
		if (!p) throw new GraphHttpError(404, 'itemNotFound', `Participant ${participantId} is not in call ${call.id}: list the participants to see who is there.`);
		return p;
	}

	invite(call: CallRecord, body: Json): Json {
		this.actions++;
		this.requireState(call, ['established'], 'invite');
		const list = body.participants;
		if (!Array.isArray(list) || list.length === 0 || list.length > 5) throw badRequest('participants must hold 1 to 5 invitationParticipantInfo entries.');
		for (const t of list) this.resolveTarget(t, true);
		const op = this.startOperation(call, 'inviteParticipantsOperation', body.clientContext);
		op.participants = list;
		let pending = list.length;
		let joinedAny = false;
		if (call.kind === 'peerToPeer' || call.kind === 'incoming' || call.kind === 'phone') call.kind = 'group';
		for (const t of list) {
			this.ring(call, t, (joined, result) => {
				if (joined) {
					joinedAny = true;
					this.notifyRoster(call);
				}
				if (--pending === 0) {
					this.finishOperation(call, op, joinedAny ? 'completed' : 'failed', joinedAny ? RESULT.success : result ?? RESULT.noAnswer);
				}
			});
		}
		return publicOp(op);
	}

	muteParticipant(call: CallRecord, participantId: string, body: Json): Json {
		this.actions++;
		this.requireState(call, ['established'], 'mute participant');
		const p = this.participant(call, participantId);
		p.isMuted = true;
		for (const s of p.mediaStreams ?? []) s.serverMuted = true;
		this.notifyRoster(call);
		return this.completedOperation(call, 'muteParticipantOperation', body.clientContext);
	}

	muteAll(call: CallRecord, body: Json): Json {
		this.actions++;
		this.requireState(call, ['established'], 'muteAll');
		for (const p of call.participants.values()) {
			if (p.id === call.botParticipantId) continue;
			p.isMuted = true;
			for (const s of p.mediaStreams ?? []) s.serverMuted = true;
		}
		this.notifyRoster(call);
		return this.completedOperation(call, 'muteParticipantsOperation', body.clientContext);
	}

	removeParticipant(call: CallRecord, participantId: string): void {
		this.actions++;
		const p = this.participant(call, participantId);
		if (p.id === call.botParticipantId) throw badRequest('To leave the call, DELETE the call itself rather than the bot\'s participant.');
		this.dropParticipant(call, p.id);
	}

	holdMusic(call: CallRecord, participantId: string, body: Json, start: boolean): Json {
		this.actions++;
		this.requireState(call, ['established'], start ? 'startHoldMusic' : 'stopHoldMusic');
		const p = this.participant(call, participantId);
		if (body.customPrompt !== undefined && !body.customPrompt?.mediaInfo?.uri) throw badRequest('customPrompt needs mediaInfo.uri.');
		const op = this.startOperation(call, start ? 'startHoldMusicOperation' : 'stopHoldMusicOperation', body.clientContext);
		this.after(call, Math.min(this.timings.operationMs, this.timings.establishMs), () => {
			for (const s of p.mediaStreams ?? []) s.direction = start ? 'inactive' : 'sendReceive';
			p.isOnHold = start;
			this.notifyRoster(call);
			this.finishOperation(call, op, 'completed', RESULT.success);
		}, `op:${op.id}`);
		return op;
	}

	operation(call: CallRecord, operationId: string): Json {
		const op = call.operations.get(operationId.toLowerCase()) ?? call.operations.get(operationId);
		if (!op) throw new GraphHttpError(404, 'itemNotFound', `Operation ${operationId} is not known in call ${call.id}.`);
		return publicOp(op);
	}

	// ---- audio routing groups and content sharing --------------------------------------------------------

	createAudioRoutingGroup(call: CallRecord, body: Json): Json {
		this.actions++;
		this.requireState(call, ['established', 'hold'], 'create an audioRoutingGroup');
		if (!['oneToOne', 'multicast'].includes(body.routingMode)) throw badRequest('routingMode must be oneToOne or multicast.');
		if (!Array.isArray(body.sources) || body.sources.length !== 1) throw badRequest('sources must hold exactly one participant id.');
		if (!Array.isArray(body.receivers) || body.receivers.length === 0) throw badRequest('receivers must hold at least one participant id.');
		if (body.routingMode === 'oneToOne' && body.receivers.length !== 1) throw badRequest('oneToOne routing needs exactly one receiver.');
		const group = { '@odata.type': '#microsoft.graph.audioRoutingGroup', id: body.id ?? randomUUID(), routingMode: body.routingMode, sources: body.sources, receivers: body.receivers };
		call.audioRoutingGroups.set(String(group.id), group);
		return group;
	}

	audioRoutingGroup(call: CallRecord, groupId: string): Json {
		const g = call.audioRoutingGroups.get(groupId);
		if (!g) throw new GraphHttpError(404, 'itemNotFound', `Audio routing group ${groupId} is not known in call ${call.id}.`);
		return g;
	}

	updateAudioRoutingGroup(call: CallRecord, groupId: string, body: Json): Json {
		this.actions++;
		const g = this.audioRoutingGroup(call, groupId);
		if (body.routingMode !== undefined && !['oneToOne', 'multicast'].includes(body.routingMode)) throw badRequest('routingMode must be oneToOne or multicast.');
		if (body.receivers !== undefined && (!Array.isArray(body.receivers) || body.receivers.length === 0)) throw badRequest('receivers must hold at least one participant id.');
		for (const k of ['routingMode', 'sources', 'receivers']) if (body[k] !== undefined) g[k] = body[k];
		return g;
	}

	deleteAudioRoutingGroup(call: CallRecord, groupId: string): void {
		this.actions++;
		this.audioRoutingGroup(call, groupId);
		call.audioRoutingGroups.delete(groupId);
	}

	contentSharingSession(call: CallRecord, sessionId: string): Json {
		const s = call.contentSharingSessions.get(sessionId);
		if (!s) throw new GraphHttpError(404, 'itemNotFound', `Content sharing session ${sessionId} is not known in call ${call.id}.`);
		return s;
	}

	// ---- what the other side does (control API) ----------------------------------------------------------

	/** A directory user (or an anonymous guest) joins a group call or meeting. */
	join(call: CallRecord, who: { userId?: string; displayName?: string }): Json {
		this.actions++;
		this.requireState(call, ['established', 'hold'], 'join');
		const p = who.userId ? this.userParticipant(who.userId) : this.guestParticipant(who.displayName ?? 'Guest');
		this.addParticipant(call, p, true);
		return p;
	}

	leave(call: CallRecord, participantId: string): void {
		this.actions++;
		const p = this.participant(call, participantId);
		this.dropParticipant(call, p.id);
	}

	/** Someone presses keys; with subscribeToTone they arrive as toneInfo notifications, and they stop recordings. */
	pressKeys(call: CallRecord, keys: string): { delivered: number } {
		this.actions++;
		this.requireState(call, ['established', 'hold'], 'press keys');
		let delivered = 0;
		for (const key of keys.replace(/\s+/g, '')) {
			const tone = /^[0-9]$/.test(key) ? `tone${key}` : KEY_TO_TONE[key.toUpperCase()];
			if (!tone) throw badRequest(`"${key}" is not a DTMF key: use 0-9, *, # or A-D.`);
			for (const op of call.operations.values()) {
				if (op.status === 'running' && op['@odata.type'] === '#microsoft.graph.recordOperation' && (op.stopTones as string[]).some((t) => t === key || t === tone)) {
					this.cancelTimer(call, `op:${op.id}`);
					this.finishRecording(call, op, 'stopToneDetected');
				}
			}
			if (!call.subscribedToTone) continue;
			call.toneSequence++;
			call.resource.toneInfo = { '@odata.type': '#microsoft.graph.toneInfo', sequenceId: call.toneSequence, tone };
			this.notifyCall(call, 'updated');
			delivered++;
		}
		return { delivered };
	}

	/** The remote side hangs up (1:1) or the meeting ends. */
	hangUp(call: CallRecord): void {
		this.actions++;
		this.terminate(call, RESULT.ended, true);
	}

	/** The remote side puts the bot on hold, or resumes. */
	hold(call: CallRecord, on: boolean): void {
		this.actions++;
		this.requireState(call, on ? ['established'] : ['hold'], on ? 'hold' : 'resume');
		this.setState(call, on ? 'hold' : 'established');
	}

	addContentSharingSession(call: CallRecord): Json {
		const s = { '@odata.type': '#microsoft.graph.contentSharingSession', id: randomUUID() };
		call.contentSharingSessions.set(s.id, s);
		return s;
	}

	// ---- internals ---------------------------------------------------------------------------------------

	private newRecord(id: string, appId: string, tenantId: string, kind: CallKind, resource: Json, botParticipantId: string): CallRecord {
		return {
			id, appId, tenantId, kind, resource,
			participants: new Map(), operations: new Map(), audioRoutingGroups: new Map(), contentSharingSessions: new Map(),
			timers: new Set(), subscribedToTone: false, toneSequence: 0, botParticipantId,
		};
	}

	private readonly named = new WeakMap<IDisposable, string>();

	private after(call: CallRecord, ms: number, fn: () => void, name?: string): void {
		const t = this.clock.setTimeout(() => {
			call.timers.delete(t);
			if (this.calls.get(call.id) !== call) return;
			fn();
		}, ms);
		if (name) this.named.set(t, name);
		call.timers.add(t);
	}

	private cancelTimer(call: CallRecord, name: string): void {
		for (const t of call.timers) {
			if (this.named.get(t) === name) {
				t.dispose();
				call.timers.delete(t);
			}
		}
	}

	private clearTimers(call: CallRecord): void {
		for (const t of call.timers) t.dispose();
		call.timers.clear();
		call.keepAlive?.dispose();
		call.keepAlive = undefined;
	}

	private startKeepAlive(call: CallRecord): void {
		call.keepAlive?.dispose();
		call.keepAlive = this.clock.setTimeout(() => {
			if (this.calls.get(call.id) === call) this.terminate(call, RESULT.keepAliveTimeout, true);
		}, this.timings.keepAliveTimeoutMs);
	}

	private requireState(call: CallRecord, states: CallState[], action: string): void {
		const state = call.resource.state as CallState;
		if (states.includes(state)) return;
		if (state === 'terminating' || state === 'terminated') throw gone(call);
		throw new GraphHttpError(400, 'BadRequest', `Cannot ${action} a call that is ${state}: it must be ${states.join(' or ')}.${state === 'establishing' ? ' Wait for the "established" notification.' : ''}`);
	}

	private setState(call: CallRecord, state: CallState): void {
		call.resource.state = state;
		this.notifyCall(call, 'updated');
	}

	/** Ends a call: terminating, then terminated with resultInfo, then it is gone (404). */
	private terminate(call: CallRecord, resultInfo: ResultInfo, immediate = false): void {
		if (this.calls.get(call.id) !== call) return;
		this.clearTimers(call);
		for (const op of call.operations.values()) {
			if (op.status === 'running' || op.status === 'notStarted') {
				op.status = 'failed';
				op.resultInfo = { '@odata.type': '#microsoft.graph.resultInfo', ...RESULT.callEnded };
			}
		}
		const finish = () => {
			if (this.calls.get(call.id) !== call) return;
			call.resource.state = 'terminated';
			call.resource.resultInfo = { '@odata.type': '#microsoft.graph.resultInfo', ...resultInfo };
			this.calls.delete(call.id);
			this.ended.set(call.id, { id: call.id, appId: call.appId, endedAt: new Date().toISOString(), resultInfo });
			if (this.ended.size > 10_000) this.ended.delete(this.ended.keys().next().value!);
			this.notifyCall(call, 'deleted');
		};
		if (immediate || this.timings.terminateMs <= 0) {
			finish();
		} else {
			this.setState(call, 'terminating');
			const t = this.clock.setTimeout(finish, this.timings.terminateMs);
			call.timers.add(t);
		}
	}

	private startOperation(call: CallRecord, type: string, clientContext: unknown): Json {
		const op: Json = { '@odata.type': `#microsoft.graph.${type}`, id: randomUUID(), status: 'running', clientContext: clientContext ?? null, resultInfo: null };
		call.operations.set(op.id, op);
		this.trimOperations(call);
		return op;
	}

	/** Operations that finish in the POST itself: no notification follows (as the docs say). */
	private completedOperation(call: CallRecord, type: string, clientContext: unknown): Json {
		const op: Json = { '@odata.type': `#microsoft.graph.${type}`, id: randomUUID(), status: 'completed', clientContext: clientContext ?? null, resultInfo: { '@odata.type': '#microsoft.graph.resultInfo', ...RESULT.success } };
		call.operations.set(op.id, op);
		this.trimOperations(call);
		return op;
	}

	private trimOperations(call: CallRecord): void {
		if (call.operations.size <= 500) return;
		for (const [id, op] of call.operations) {
			if (op.status !== 'running') call.operations.delete(id);
			if (call.operations.size <= 400) break;
		}
	}

	private finishOperation(call: CallRecord, op: Json, status: 'completed' | 'failed', resultInfo: ResultInfo, extra: Json = {}): void {
		Object.assign(op, extra, { status, resultInfo: { '@odata.type': '#microsoft.graph.resultInfo', ...resultInfo } });
		this.send(call, [{ '@odata.type': '#microsoft.graph.commsNotification', changeType: 'deleted', resourceUrl: `/communications/calls/${call.id}/operations/${op.id}`, resourceData: publicOp(op) }]);
	}

	/** Rings a target with its behaviour; `done(participantId)` when they join, `done(undefined, result)` when not. */
	private ring(call: CallRecord, target: Json, done: (joined: string | undefined, result?: ResultInfo) => void): void {
		const entry = this.resolveTarget(target, true);
		const outcome = entry.behaviour;
		const delay = outcome === 'answers' ? entry.answerAfterMs ?? this.timings.defaultAnswerAfterMs : outcome === 'neverAnswers' ? this.timings.ringTimeoutMs : outcome === 'declines' ? this.timings.establishMs * 2 : this.timings.establishMs;
		this.after(call, delay, () => {
			if (outcome === 'answers') {
				const p = this.participantFromIdentity(target.identity);
				this.addParticipant(call, p, false);
				done(p.id);
			} else {
				done(undefined, resultFor(outcome));
			}
		});
	}

	/** Finds who a target is in the directory; unknown people are `offline` (no endpoints), like the service. */
	private resolveTarget(target: Json, allowPhone: boolean): { behaviour: Behaviour; answerAfterMs?: number } {
		const identity = target?.identity;
		if (!identity || typeof identity !== 'object') throw badRequest('Each target needs identity: { user: { id } } or { phone: { id } } (an invitationParticipantInfo).');
		if (identity.user) {
			const id = identity.user.id;
			if (typeof id !== 'string' || !id) throw badRequest('identity.user.id is required (the Entra object id of the user).');
			return this.directory.users.find((u) => u.id.toLowerCase() === id.toLowerCase()) ?? { behaviour: 'offline' };
		}
		if (identity.phone) {
			if (!allowPhone) throw badRequest('This action cannot target a phone number.');
			const id = identity.phone.id;
			if (typeof id !== 'string' || !/^\+[1-9]\d{6,14}$/.test(id)) throw badRequest(`identity.phone.id must be an E.164 number such as +14255550101, not "${String(id)}".`);
			return this.directory.phones.find((p) => p.id === id) ?? { behaviour: 'offline' };
		}
		if (identity.application || identity.applicationInstance) return { behaviour: 'answers', answerAfterMs: this.timings.establishMs };
		throw badRequest('identity must contain user, phone, application or applicationInstance.');
	}

	private findMeeting(body: Json): DirectoryMeeting {
		const info = body.meetingInfo ?? {};
		const type = String(info['@odata.type'] ?? '');
		if (type.endsWith('joinMeetingIdMeetingInfo') || info.joinMeetingId) {
			const m = this.directory.meetings.find((x) => x.joinMeetingId === String(info.joinMeetingId));
			if (!m) throw new GraphHttpError(404, 'itemNotFound', `No meeting with joinMeetingId ${info.joinMeetingId}: GET /_emulator/directory lists the emulator's meetings.`);
			if (m.passcode && m.passcode !== info.passcode) throw new GraphHttpError(403, 'Forbidden', `The passcode for meeting ${m.joinMeetingId} is wrong or missing: pass meetingInfo.passcode.`);
			return m;
		}
		const threadId = body.chatInfo?.threadId;
		if (!threadId) throw badRequest('Joining a meeting needs meetingInfo (joinMeetingIdMeetingInfo with joinMeetingId, or organizerMeetingInfo) and, for organizerMeetingInfo, chatInfo.threadId.');
		const m = this.directory.meetings.find((x) => x.threadId === threadId);
		if (!m) throw new GraphHttpError(404, 'itemNotFound', `No meeting with chatInfo.threadId ${threadId}: GET /_emulator/directory lists the emulator's meetings.`);
		const organizer = info.organizer?.user?.id;
		if (organizer && organizer !== m.organizerId) throw new GraphHttpError(403, 'Forbidden', `${organizer} is not the organizer of meeting ${m.subject}.`);
		return m;
	}

	private identityOf(from: { userId?: string; phone?: string }): Json {
		if (from.userId) {
			const u = this.directory.users.find((x) => x.id.toLowerCase() === from.userId!.toLowerCase());
			if (!u) throw badRequest(`No user ${from.userId} in the directory: GET /_emulator/directory lists them.`);
			return { user: { id: u.id, displayName: u.displayName, tenantId: EMULATOR_TENANT.tenantId } };
		}
		if (from.phone) {
			const p = this.directory.phones.find((x) => x.id === from.phone);
			return { phone: { id: from.phone, displayName: p?.displayName } };
		}
		throw badRequest('Say who calls: { "from": { "userId": "..." } } or { "from": { "phone": "+1..." } }.');
	}

	private participantFromIdentity(identity: Json): Json {
		if (identity.user) return this.userParticipant(identity.user.id);
		return this.makeParticipant({ ...identity });
	}

	private userParticipant(userId: string): Json {
		const u = this.directory.users.find((x) => x.id.toLowerCase() === userId.toLowerCase());
		return this.makeParticipant({ user: { id: u?.id ?? userId, displayName: u?.displayName ?? null, tenantId: EMULATOR_TENANT.tenantId } });
	}

	private guestParticipant(displayName: string): Json {
		return this.makeParticipant({ guest: { id: randomUUID(), displayName } });
	}

	private botParticipant(call: CallRecord): Json {
		const p = this.makeParticipant({ application: { id: call.appId, displayName: EMULATOR_TENANT.botDisplayName } });
		p.id = call.botParticipantId;
		return p;
	}

	private makeParticipant(identity: Json): Json {
		return {
			'@odata.type': '#microsoft.graph.participant',
			id: randomUUID(),
			info: { '@odata.type': '#microsoft.graph.participantInfo', identity, endpointType: 'default', languageId: 'en-US' },
			isMuted: false,
			isInLobby: false,
			mediaStreams: [{ '@odata.type': '#microsoft.graph.mediaStream', mediaType: 'audio', sourceId: String(1 + Math.floor(Math.random() * 1e6)), direction: 'sendReceive', serverMuted: false }],
		};
	}

	private addParticipant(call: CallRecord, p: Json, notify: boolean): void {
		call.participants.set(p.id, p);
		if (notify) this.notifyRoster(call);
	}

	private dropParticipant(call: CallRecord, participantId: string): void {
		call.participants.delete(participantId);
		if (call.peerParticipantId === participantId && (call.kind === 'peerToPeer' || call.kind === 'phone' || call.kind === 'incoming')) {
			this.terminate(call, RESULT.ended, true);
			return;
		}
		this.notifyRoster(call);
	}

	private notifyCall(call: CallRecord, changeType: 'created' | 'updated' | 'deleted'): void {
		const resourceUrl = `/communications/calls/${call.id}`;
		this.send(call, [{ '@odata.type': '#microsoft.graph.commsNotification', changeType, resourceUrl, resource: resourceUrl, resourceData: snapshot(call.resource) }]);
	}

	private notifyRoster(call: CallRecord): void {
		const resourceUrl = `/communications/calls/${call.id}/participants`;
		this.send(call, [{ '@odata.type': '#microsoft.graph.commsNotification', changeType: 'updated', resourceUrl, resource: resourceUrl, resourceData: [...call.participants.values()].map(snapshot) }]);
	}

	private send(call: CallRecord, notifications: CommsNotification[]): void {
		this.notify(call, notifications);
	}
}

function gone(call: CallRecord): GraphHttpError {
	return new GraphHttpError(404, 'itemNotFound', `Call ${call.id} is ending (${call.resource.state}): it no longer accepts actions. Create a new call.`);
}

function resultFor(outcome: Behaviour): ResultInfo {
	switch (outcome) {
		case 'busy': return RESULT.busy;
		case 'declines': return RESULT.declined;
		case 'neverAnswers': return RESULT.noAnswer;
		default: return RESULT.noEndpoints;
	}
}

function snapshot<T>(value: T): T {
	return JSON.parse(JSON.stringify(value));
}

/** The operation as Graph shows it (without the emulator's bookkeeping). */
export function publicOp(op: Json): Json {
	const { stopTones: _stopTones, ...rest } = op;
	return snapshot(rest);
}

/** https anywhere; http only on loopback (real Graph requires https). Returns the URI. */
export function requireCallbackUri(value: unknown): string {
	if (typeof value !== 'string' || !value) throw badRequest('callbackUri is required: the https URL where Graph should POST notifications for this call.');
	let url: URL;
	try {
		url = new URL(value);
	} catch {
		throw badRequest(`callbackUri "${value}" is not a valid absolute URL.`);
	}
	if (url.protocol === 'https:') return value;
	if (url.protocol === 'http:' && isLoopback(url.hostname)) return value;
	throw badRequest(`callbackUri must use https (the service rejects http). The emulator also accepts http on loopback only (127.0.0.1, localhost, [::1]); "${value}" is neither.`);
}

export function isLoopback(hostname: string): boolean {
	return hostname === '127.0.0.1' || hostname === 'localhost' || hostname === '[::1]' || hostname === '::1' || /^127\./.test(hostname);
}

function requireMediaConfig(value: unknown): void {
	const type = (value as Json | undefined)?.['@odata.type'];
	if (type !== '#microsoft.graph.serviceHostedMediaConfig' && type !== '#microsoft.graph.appHostedMediaConfig') {
		throw badRequest('mediaConfig is required with "@odata.type": "#microsoft.graph.serviceHostedMediaConfig" (or appHostedMediaConfig with a blob for app-hosted media).');
	}
}
