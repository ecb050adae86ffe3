import { Emitter, type Event } from '../event';
import type { EmulatorControl } from '../scenarios/emulatorControl';
import { phoneViewFromState, type PhoneCall, type PhonePerson, type PhoneView } from './phoneView';

/** One thing the person did. */
export type PersonAction =
	| { readonly kind: 'callBot'; readonly appId?: string; readonly callId: string }
	| { readonly kind: 'press'; readonly callId: string; readonly keys: string }
	| { readonly kind: 'hangUp' | 'hold' | 'resume' | 'answer' | 'decline' | 'mute' | 'unmute'; readonly callId: string }
	| { readonly kind: 'joinMeeting'; readonly joinUrl: string; readonly callId?: string };

const DTMF = /^[0-9*#A-Da-d]{1,32}$/;

/**
 * One emulated person (or phone number) acting through the emulator's control API, the same API the scenario
 * runner drives people with. Each method is one thing a person does on a phone.
 */
export class PersonControl {
	private readonly acted = new Emitter<PersonAction>();
	/** Fires after each action the emulator accepted. */
	readonly onDidAct: Event<PersonAction> = this.acted.event;

	constructor(readonly person: PhonePerson, private readonly control: EmulatorControl) {}

	async view(): Promise<PhoneView> {
		return phoneViewFromState(await this.control.send('GET', '/state'), this.person);
	}

	private get from(): { userId: string } | { phone: string } {
		return this.person.kind === 'user' ? { userId: this.person.id } : { phone: this.person.id };
	}

	/**
	 * The person rings the bot, or another app the emulator knows. Without `callbackUri` the call goes to the app's
	 * calling webhook, as Graph sends incoming calls to the bot's registered webhook.
	 */
	async callBot(appId?: string, callbackUri?: string): Promise<string> {
		const answer = (await this.control.send('POST', '/incomingCall', { from: this.from, ...(appId ? { appId } : {}), ...(callbackUri ? { callbackUri } : {}) })) as { callId?: unknown };
		const callId = typeof answer?.callId === 'string' ? answer.callId : '';
		this.acted.fire({ kind: 'callBot', appId, callId });
		return callId;
	}

	async press(call: PhoneCall, keys: string): Promise<void> {
		if (!DTMF.test(keys)) throw new Error(`"${keys}" is not a DTMF key: use 0-9, *, # or A-D.`);
		await this.control.send('POST', `/calls/${encodeURIComponent(call.callId)}/keys`, { keys });
		this.acted.fire({ kind: 'press', callId: call.callId, keys });
	}

	async hold(call: PhoneCall): Promise<void> {
		await this.control.send('POST', `/calls/${encodeURIComponent(call.callId)}/hold`);
		this.acted.fire({ kind: 'hold', callId: call.callId });
	}

	async resume(call: PhoneCall): Promise<void> {
		await this.control.send('POST', `/calls/${encodeURIComponent(call.callId)}/resume`);
		this.acted.fire({ kind: 'resume', callId: call.callId });
	}

	/** In a 1:1 call the person hangs up (ending it); in a group call or meeting they leave it. */
	async hangUp(call: PhoneCall): Promise<void> {
		if ((call.role === 'inGroup' || call.role === 'inMeeting') && call.participantId) {
			await this.control.send('DELETE', `/calls/${encodeURIComponent(call.callId)}/participants/${encodeURIComponent(call.participantId)}`);
		} else {
			await this.control.send('POST', `/calls/${encodeURIComponent(call.callId)}/hangUp`);
		}
		this.acted.fire({ kind: 'hangUp', callId: call.callId });
	}

	dispose(): void {
		this.acted.dispose();
	}
}
