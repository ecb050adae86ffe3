import { randomUUID } from 'node:crypto';
import type { RecordingStatus, ScreenSharingRole, Tone } from '@microsoft/microsoft-graph-types';
import { publicOperation, type CallRecord, type EmulatedOperation, type RequestBody } from './callModel';
import type { CallOperations } from './callOperations';
import type { CallTable } from './callTable';
import { screenSharingStream } from './contentSharing';
import { badRequest } from './http';
import { at, isOneOf } from './requestChecks';
import { RESULT } from './resultCodes';

const TONES: readonly Tone[] = ['tone0', 'tone1', 'tone2', 'tone3', 'tone4', 'tone5', 'tone6', 'tone7', 'tone8', 'tone9', 'star', 'pound', 'a', 'b', 'c', 'd', 'flash'];
const KEY_TO_TONE: Record<string, Tone> = { '*': 'star', '#': 'pound', A: 'a', B: 'b', C: 'c', D: 'd' };
const RECORDING_STATUSES: readonly RecordingStatus[] = ['notRecording', 'recording', 'failed'];
const SCREEN_SHARING_ROLES: readonly ScreenSharingRole[] = ['viewer', 'sharer'];

/** Most recordings kept for download; the oldest go first. */
const MAX_RECORDINGS = 1000;

/**
 * What the bot does with a call's media (prompts, recordings, tones, its own mute and recording status, screen
 * sharing role, gallery view), and the keys a participant presses, which reach the bot through the same tones.
 */
export class MediaOperations {
	/** recordOperation id -> recordingAccessToken, so the recording download can check it. */
	readonly recordings = new Map<string, string>();

	constructor(
		private readonly table: CallTable,
		private readonly operations: CallOperations,
		private readonly resourceBase: () => string,
	) {}

	reset(): void {
		this.recordings.clear();
	}

	playPrompt(call: CallRecord, body: RequestBody): EmulatedOperation {
		this.table.actions++;
		this.table.requireState(call, ['established'], 'playPrompt');
		const prompts = body.prompts;
		if (!Array.isArray(prompts) || prompts.length === 0 || prompts.length > 20) throw badRequest('prompts must hold 1 to 20 mediaPrompt entries.');
		for (const p of prompts) {
			const uri = at(p, 'mediaInfo', 'uri');
			if (!uri || typeof uri !== 'string') throw badRequest('Each prompt needs mediaInfo.uri (the URL of a WAV file), for example {"@odata.type":"#microsoft.graph.mediaPrompt","mediaInfo":{"uri":"https://contoso.example/prompt.wav"}}.');
		}
		const op = this.operations.start(call, 'playPromptOperation', body.clientContext);
		this.enqueue(call, op, this.table.timings.operationMs * prompts.length, () => this.operations.finish(call, op, 'completed', RESULT.success, { completionReason: 'completedSuccessfully' }), prompts.map((p) => String(at(p, 'mediaInfo', 'uri'))));
		return publicOperation(op);
	}

	recordResponse(call: CallRecord, body: RequestBody): Omit<EmulatedOperation, 'stopTones'> {
		this.table.actions++;
		this.table.requireState(call, ['established'], 'recordResponse');
		const max = body.maxRecordDurationInSeconds ?? 5;
		if (typeof max !== 'number' || max < 1 || max > 120) throw badRequest('maxRecordDurationInSeconds must be from 1 to 120.');
		const stopTones = body.stopTones;
		if (stopTones !== undefined && (!Array.isArray(stopTones) || stopTones.some((t: unknown) => !isOneOf(String(t), TONES) && !/^[0-9*#]$/.test(String(t))))) {
			throw badRequest('stopTones must be an array of keys such as "#", "*" or "1".');
		}
		const prompts = body.prompts;
		if (prompts !== undefined && (!Array.isArray(prompts) || prompts.length > 1)) throw badRequest('prompts holds at most 1 mediaPrompt for recordResponse (call-record.md).');
		// "If true, the recordResponse request will barge into other existing queued-up/currently-processing
		// record/playprompt requests" (call-record.md): they end as cancelMediaProcessing would end them.
		if (body.bargeInAllowed === true) this.cancelQueued(call);
		const op = this.operations.start(call, 'recordOperation', body.clientContext);
		op.recordingLocation = null;
		// Kept as sent: a key matches a stop tone only when it is the same string.
		op.stopTones = (stopTones as string[] | undefined) ?? [];
		const promptMs = Array.isArray(prompts) ? this.table.timings.operationMs * prompts.length : 0;
		this.enqueue(call, op, promptMs + Math.min(this.table.timings.operationMs, max * 1000), () => this.finishRecording(call, op, 'maxRecordDurationReached'));
		return publicOperation(op);
	}

	/**
	 * Queues a media operation: playPrompt and recordResponse share the call's media and run one after the other
	 * in the order they were sent (call-record.md speaks of "queued-up/currently-processing record/playprompt
	 * requests"). A queued operation answers "running", as the docs' examples show, while it waits.
	 */
	private enqueue(call: CallRecord, op: EmulatedOperation, ms: number, done: () => void, uris?: string[]): void {
		call.mediaQueue.push({ op, ms, done, uris });
		if (call.mediaQueue.length === 1) this.startHead(call);
	}

	private startHead(call: CallRecord): void {
		const head = call.mediaQueue[0];
		if (!head) return;
		this.table.after(call, head.ms, () => this.settle(call, head.op, head.done), `op:${head.op.id}`);
	}

	/** Ends a queued operation (by its timer, a stop tone or a cancel) and lets the next one start. */
	private settle(call: CallRecord, op: EmulatedOperation, end: () => void): void {
		const index = call.mediaQueue.findIndex((q) => q.op === op);
		if (index < 0) return;
		call.mediaQueue.splice(index, 1);
		this.table.cancelTimer(call, `op:${op.id}`);
		end();
		if (index === 0) this.startHead(call);
	}

	/** Fails the playing and every queued playPrompt/recordResponse with 400/8508 operationCanceled. */
	private cancelQueued(call: CallRecord): void {
		const queued = call.mediaQueue.splice(0);
		for (const { op } of queued) {
			this.table.cancelTimer(call, `op:${op.id}`);
			const extra: Partial<EmulatedOperation> = op['@odata.type'] === '#microsoft.graph.recordOperation' ? { completionReason: 'operationCanceled', recordingLocation: '', recordingAccessToken: '' } : { completionReason: 'operationCanceled' };
			this.operations.finish(call, op, 'failed', RESULT.canceled, extra);
		}
	}

	private finishRecording(call: CallRecord, op: EmulatedOperation, reason: 'maxRecordDurationReached' | 'stopToneDetected'): void {
		const token = randomUUID().replace(/-/g, '');
		this.recordings.set(op.id, token);
		if (this.recordings.size > MAX_RECORDINGS) this.recordings.delete(this.recordings.keys().next().value!);
		this.operations.finish(call, op, 'completed', reason === 'maxRecordDurationReached' ? RESULT.maxRecordDurationReached : RESULT.success, {
			completionReason: reason,
			recordingLocation: `${this.resourceBase()}/_emulator/recordings/${op.id}`,
			recordingAccessToken: token,
		});
	}

	cancelMediaProcessing(call: CallRecord, body: RequestBody): EmulatedOperation {
		this.table.actions++;
		this.table.requireState(call, ['established', 'hold'], 'cancelMediaProcessing');
		this.cancelQueued(call);
		return this.operations.completed(call, 'cancelMediaProcessingOperation', body.clientContext);
	}

	subscribeToTone(call: CallRecord, body: RequestBody): EmulatedOperation {
		this.table.actions++;
		this.table.requireState(call, ['established', 'hold'], 'subscribeToTone');
		call.subscribedToTone = true;
		return this.operations.completed(call, 'subscribeToToneOperation', body.clientContext, false);
	}

	sendDtmfTones(call: CallRecord, body: RequestBody): EmulatedOperation {
		this.table.actions++;
		this.table.requireState(call, ['established'], 'sendDtmfTones');
		const tones = body.tones;
		if (!Array.isArray(tones) || tones.length === 0 || tones.some((t: unknown) => !isOneOf(String(t), TONES))) throw badRequest('tones must be a non-empty array of tone0-tone9, star, pound, a-d or flash.');
		const gap = body.delayBetweenTonesMs ?? 300;
		if (typeof gap !== 'number' || gap < 0 || gap > 10000) throw badRequest('delayBetweenTonesMs must be a number from 0 to 10000.');
		const op = this.operations.start(call, 'sendDtmfTonesOperation', body.clientContext);
		this.table.after(call, gap * tones.length, () => this.operations.finish(call, op, 'completed', RESULT.success, { completionReason: 'completedSuccessfully' }), `op:${op.id}`);
		return op;
	}

	/** Someone presses keys; with subscribeToTone they arrive as toneInfo notifications, and they stop recordings. */
	pressKeys(call: CallRecord, keys: string): { delivered: number } {
		this.table.actions++;
		this.table.requireState(call, ['established', 'hold'], 'press keys');
		let delivered = 0;
		for (const key of keys.replace(/\s+/g, '')) {
			const tone: Tone | undefined = /^[0-9]$/.test(key) ? `tone${key}` as Tone : KEY_TO_TONE[key.toUpperCase()];
			if (!tone) throw badRequest(`"${key}" is not a DTMF key: use 0-9, *, # or A-D.`);
			for (const op of call.operations.values()) {
				// Only the recording that holds the media hears keys; queued ones have not started.
				if (op.status === 'running' && call.mediaQueue[0]?.op === op && op['@odata.type'] === '#microsoft.graph.recordOperation' && (op.stopTones ?? []).some((t) => t === key || t === tone)) {
					this.settle(call, op, () => this.finishRecording(call, op, 'stopToneDetected'));
				}
			}
			if (!call.subscribedToTone) continue;
			call.toneSequence++;
			call.resource.toneInfo = { '@odata.type': '#microsoft.graph.toneInfo', sequenceId: call.toneSequence, tone };
			this.table.notify.call(call, 'updated');
			delivered++;
		}
		return { delivered };
	}

	muteSelf(call: CallRecord, body: RequestBody, muted: boolean): EmulatedOperation {
		this.table.actions++;
		this.table.requireState(call, ['established', 'hold'], muted ? 'mute' : 'unmute');
		const me = call.participants.get(call.botParticipantId);
		if (me) {
			me.isMuted = muted;
			for (const s of me.mediaStreams ?? []) s.serverMuted = false;
			this.table.notify.roster(call);
		}
		return this.operations.completed(call, muted ? 'muteParticipantOperation' : 'unmuteParticipantOperation', body.clientContext);
	}

	updateRecordingStatus(call: CallRecord, body: RequestBody): EmulatedOperation {
		this.table.actions++;
		this.table.requireState(call, ['established', 'hold'], 'updateRecordingStatus');
		const status = body.status;
		if (!isOneOf(status, RECORDING_STATUSES)) throw badRequest('status must be notRecording, recording or failed.');
		const me = call.participants.get(call.botParticipantId);
		if (me) {
			me.recordingInfo = { '@odata.type': '#microsoft.graph.recordingInfo', recordingStatus: status };
			this.table.notify.roster(call);
		}
		return this.operations.completed(call, 'updateRecordingStatusOperation', body.clientContext);
	}

	changeScreenSharingRole(call: CallRecord, body: RequestBody): void {
		this.table.actions++;
		this.table.requireState(call, ['established'], 'changeScreenSharingRole');
		const role = body.role;
		if (!isOneOf(role, SCREEN_SHARING_ROLES)) throw badRequest('role must be viewer or sharer.');
		call.screenSharingRole = role;
		// call.md: changeScreenSharingRole "start[s] and stop[s] sharing screen in the call". A sharer's participant sends a
		// videoBasedScreenSharing stream (call-changescreensharingrole.md's roster notification); a viewer's has none.
		const bot = call.participants.get(call.botParticipantId);
		if (!bot) return;
		const i = bot.mediaStreams.findIndex((m) => m.mediaType === 'videoBasedScreenSharing' && m.direction === 'sendOnly');
		if (role === 'sharer' && i < 0) bot.mediaStreams.push(screenSharingStream('sendOnly'));
		else if (role === 'viewer' && i >= 0) bot.mediaStreams.splice(i, 1);
		else return;
		this.table.notify.roster(call);
	}

	addLargeGalleryView(call: CallRecord, body: RequestBody): EmulatedOperation {
		this.table.actions++;
		this.table.requireState(call, ['established'], 'addLargeGalleryView');
		return this.operations.completed(call, 'addLargeGalleryViewOperation', body.clientContext);
	}
}
