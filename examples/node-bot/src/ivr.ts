/**
 * The IVR: answers every incoming call, plays a menu, listens for DTMF and acts on it.
 *   1  transfer the caller to a PSTN number
 *   2  play the opening hours, then hang up
 *   0  hang up
 *   anything else: play the menu again
 * It keeps established calls alive and forgets calls when Graph says they ended.
 * Request shapes follow the Graph v1.0 docs (microsoftgraph/microsoft-graph-docs-contrib, api-reference/v1.0/api/),
 * named at each request.
 */
import type { BotConfig } from './config';
import { GraphError, type GraphClient } from './graphClient';
import { logEvent } from './log';

interface Notification {
	changeType?: string;
	resourceUrl?: string;
	resource?: string;
	resourceData?: any;
}

interface CallContext {
	readonly id: string;
	established: boolean;
	transferring: boolean;
	lastToneSequence: number;
	keepAlive?: NodeJS.Timeout;
	ended: boolean;
}

const HOURS_THEN_HANG_UP = 'hours-then-hang-up';

export class Ivr {
	private readonly calls = new Map<string, CallContext>();
	/** Calls that ended, so a second end notification (terminated, then deleted) is logged once. */
	private readonly ended = new Set<string>();
	/** Notifications of one call are handled in order, one at a time; calls do not wait for each other. */
	private readonly queues = new Map<string, Promise<void>>();

	constructor(private readonly config: BotConfig, private readonly graph: GraphClient, private readonly callbackUrl: () => string) {}

	/** Takes a validated commsNotifications body; returns at once (Graph wants its answer within 5 s). */
	accept(body: { value?: Notification[] }): void {
		for (const n of body.value ?? []) {
			const url = n.resourceUrl ?? n.resource ?? '';
			// Ids may come upper-case without dashes: take them as they are, never as a strict GUID.
			const m = /\/communications\/calls\/([^/]+)(?:\/(operations|participants)(?:\/([^/]+))?)?$/i.exec(url);
			if (!m) {
				logEvent('notification.ignored', { changeType: n.changeType, resourceUrl: url });
				continue;
			}
			const [, callId, child, childId] = m;
			const key = callId.toLowerCase();
			const next = (this.queues.get(key) ?? Promise.resolve())
				.then(() => this.handle(callId, child?.toLowerCase(), childId, n))
				.catch((err) => logEvent('error', { call: callId, message: (err as Error).message }));
			this.queues.set(key, next);
			void next.then(() => {
				if (this.queues.get(key) === next) this.queues.delete(key);
			});
		}
	}

	private async handle(callId: string, child: string | undefined, childId: string | undefined, n: Notification): Promise<void> {
		const data = n.resourceData ?? {};
		if (child === 'operations') return this.onOperation(callId, childId, n.changeType, data);
		if (child === 'participants') {
			logEvent('participants', { call: callId, count: Array.isArray(data) ? data.length : undefined });
			return;
		}
		const state: string | undefined = data.state;
		if (n.changeType === 'created' && state === 'incoming') return this.answer(callId, data);
		const call = this.calls.get(callId.toLowerCase());
		if (n.changeType === 'deleted' || state === 'terminated') {
			if (this.ended.has(callId.toLowerCase())) return;
			logEvent('call.terminated', { call: callId, changeType: n.changeType, code: data.resultInfo?.code, subcode: data.resultInfo?.subcode, message: data.resultInfo?.message });
			this.forget(callId);
			return;
		}
		if (!call) {
			logEvent('notification.unknownCall', { call: callId, changeType: n.changeType, state });
			return;
		}
		if (state && state !== 'established') logEvent(`call.${state}`, { call: callId });
		if (state === 'established') {
			if (call.transferring && data.resultInfo) {
				// A failed transfer puts the call back to established with the reason (call-transfer.md, "transfer failed");
				// an update without resultInfo (a key pressed before "transferring" arrived) is not one.
				call.transferring = false;
				logEvent('transfer.failed', { call: callId, code: data.resultInfo?.code, subcode: data.resultInfo?.subcode ?? data.resultInfo?.subCode, message: data.resultInfo?.message });
				await this.playPrompt(call, 'menu.wav', 'menu');
			} else if (!call.established) {
				call.established = true;
				logEvent('call.established', { call: callId });
				this.scheduleKeepAlive(call);
				await this.subscribeToTone(call);
				await this.playPrompt(call, 'menu.wav', 'menu');
			}
		}
		const tone = data.toneInfo;
		if (tone && typeof tone.sequenceId === 'number' && tone.sequenceId > call.lastToneSequence) {
			call.lastToneSequence = tone.sequenceId;
			await this.onTone(call, String(tone.tone));
		}
	}

	// docs: api-reference/v1.0/api/call-answer.md (service-hosted media example)
	private async answer(callId: string, data: any): Promise<void> {
		const from = data.source?.identity?.user?.displayName ?? data.source?.identity?.phone?.id ?? 'unknown';
		logEvent('call.incoming', { call: callId, from });
		this.calls.set(callId.toLowerCase(), { id: callId, established: false, transferring: false, lastToneSequence: 0, ended: false });
		try {
			await this.graph.send('POST', `/communications/calls/${callId}/answer`, {
				callbackUri: this.callbackUrl(),
				acceptedModalities: ['audio'],
				mediaConfig: { '@odata.type': '#microsoft.graph.serviceHostedMediaConfig' },
			});
		} catch (err) {
			// Not ours any more; the notification that the call ended (408/1106 when too late) is still logged.
			this.calls.delete(callId.toLowerCase());
			throw err;
		}
		logEvent('call.answered', { call: callId });
	}

	// docs: api-reference/v1.0/api/call-subscribetotone.md
	private async subscribeToTone(call: CallContext): Promise<void> {
		const r = await this.graph.send('POST', `/communications/calls/${call.id}/subscribeToTone`, { clientContext: 'ivr' });
		logEvent('tones.subscribed', { call: call.id, status: r.body?.status });
	}

	// docs: api-reference/v1.0/api/call-playprompt.md
	private async playPrompt(call: CallContext, file: string, clientContext: string): Promise<void> {
		const r = await this.graph.send('POST', `/communications/calls/${call.id}/playPrompt`, {
			clientContext,
			prompts: [{ '@odata.type': '#microsoft.graph.mediaPrompt', mediaInfo: { '@odata.type': '#microsoft.graph.mediaInfo', uri: `${this.config.promptBaseUrl}/${file}` } }],
		});
		logEvent('prompt.started', { call: call.id, prompt: file, operation: r.body?.id });
	}

	private async onTone(call: CallContext, tone: string): Promise<void> {
		logEvent('dtmf', { call: call.id, tone });
		if (tone === 'tone1') return this.transfer(call);
		if (tone === 'tone2') return this.playPrompt(call, 'hours.wav', HOURS_THEN_HANG_UP);
		if (tone === 'tone0') return this.hangUp(call);
		await this.playPrompt(call, 'menu.wav', 'menu');
	}

	// docs: api-reference/v1.0/api/call-transfer.md, "Example 3: Call transfer from a peer-to-peer call to PSTN number"
	private async transfer(call: CallContext): Promise<void> {
		call.transferring = true;
		try {
			await this.graph.send('POST', `/communications/calls/${call.id}/transfer`, {
				transferTarget: {
					endpointType: 'default',
					identity: { phone: { '@odata.type': '#microsoft.graph.identity', id: this.config.transferTarget } },
				},
			});
			logEvent('transfer.requested', { call: call.id, target: this.config.transferTarget });
		} catch (err) {
			call.transferring = false;
			logEvent('transfer.refused', { call: call.id, target: this.config.transferTarget, message: (err as Error).message });
			if (err instanceof GraphError && err.status < 500) await this.playPrompt(call, 'menu.wav', 'menu');
		}
	}

	// docs: api-reference/v1.0/api/call-delete.md
	private async hangUp(call: CallContext): Promise<void> {
		await this.graph.send('DELETE', `/communications/calls/${call.id}`);
		logEvent('call.hungUp', { call: call.id });
	}

	/** A finished operation arrives as a `deleted` notification carrying the operation. */
	private async onOperation(callId: string, opId: string | undefined, changeType: string | undefined, op: any): Promise<void> {
		logEvent('operation', { call: callId, operation: opId, changeType, type: String(op['@odata.type'] ?? '').replace('#microsoft.graph.', ''), status: op.status, clientContext: op.clientContext, code: op.resultInfo?.code, subcode: op.resultInfo?.subcode });
		const call = this.calls.get(callId.toLowerCase());
		if (call && !call.ended && op.clientContext === HOURS_THEN_HANG_UP && (op.status === 'completed' || op.status === 'failed')) await this.hangUp(call);
	}

	// docs: api-reference/v1.0/api/call-keepalive.md ("at least every 45 minutes"; the bot sends one every 15 by default)
	private scheduleKeepAlive(call: CallContext): void {
		const everyMs = (this.config.keepAliveMinutes * 60_000) / this.config.clockRate;
		call.keepAlive = setInterval(() => {
			this.graph.send('POST', `/communications/calls/${call.id}/keepAlive`).then(
				() => logEvent('keepAlive', { call: call.id }),
				(err) => {
					logEvent('keepAlive.failed', { call: call.id, message: (err as Error).message });
					// 404: the call is gone, as call-keepalive.md says; nothing left to keep alive.
					if (err instanceof GraphError && err.status === 404) this.forget(call.id);
				},
			);
		}, everyMs);
	}

	private forget(callId: string): void {
		const call = this.calls.get(callId.toLowerCase());
		this.ended.add(callId.toLowerCase());
		if (this.ended.size > 1000) this.ended.delete(this.ended.values().next().value!);
		if (!call) return;
		call.ended = true;
		clearInterval(call.keepAlive);
		this.calls.delete(callId.toLowerCase());
	}

	get activeCalls(): number {
		return this.calls.size;
	}

	/** Stops the timers (on shutdown); the calls themselves end when Graph's keepAlive deadline passes. */
	dispose(): void {
		for (const id of [...this.calls.keys()]) this.forget(id);
	}
}
