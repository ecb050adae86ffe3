import { Emitter, type Event } from '../event';
import type { EmulatorControl } from '../scenarios/emulatorControl';
import { phoneViewFromPeople, type PhoneCall, type PhonePerson, type PhoneRing, type PhoneView } from './phoneView';

/** One thing the person did. */
export type PersonAction =
	| { readonly kind: 'callBot'; readonly appId?: string; readonly callId: string }
	| { readonly kind: 'press'; readonly callId: string; readonly keys: string }
	| { readonly kind: 'hangUp' | 'hold' | 'resume' | 'mute' | 'unmute'; readonly callId: string }
	| { readonly kind: 'answer' | 'decline'; readonly callId: string; readonly reason: string }
	| { readonly kind: 'joinMeeting'; readonly joinUrl: string; readonly callId?: string };

const DTMF = /^[0-9*#A-Da-d]{1,32}$/;

/**
 * One emulated person (or phone number) acting through the emulator's people API, the same API the scenario
 * runner drives people with. Each method is one thing a person does on a phone.
 */
export class PersonControl {
	private readonly acted = new Emitter<PersonAction>();
	/** Fires after each action the emulator accepted. */
	readonly onDidAct: Event<PersonAction> = this.acted.event;

	constructor(readonly person: PhonePerson, private readonly control: EmulatorControl) {}

	private get base(): string {
		return `/people/${encodeURIComponent(this.person.id)}`;
	}

	async view(): Promise<PhoneView> {
		const [person, apps] = await Promise.all([this.control.send('GET', this.base), this.control.send('GET', '/apps')]);
		return phoneViewFromPeople(person, apps, this.person);
	}

	/** How the person reacts when called; "manual" makes their phone ring until they answer or decline. */
	async setBehaviour(behaviour: string): Promise<void> {
		await this.control.send('PATCH', this.base, { behaviour });
	}

	/**
	 * The person rings the bot, or another app the emulator knows. Without `callbackUri` the call goes to the app's
	 * calling webhook, as Graph sends incoming calls to the bot's registered webhook.
	 */
	async callBot(appId?: string, callbackUri?: string): Promise<string> {
		const answer = (await this.control.send('POST', `${this.base}/call`, { ...(appId ? { appId } : {}), ...(callbackUri ? { callbackUri } : {}) })) as { callId?: unknown };
		const callId = typeof answer?.callId === 'string' ? answer.callId : '';
		this.acted.fire({ kind: 'callBot', appId, callId });
		return callId;
	}

	async answer(ring: PhoneRing): Promise<void> {
		await this.control.send('POST', `${this.base}/answer`, { ringId: ring.ringId });
		this.acted.fire({ kind: 'answer', callId: ring.callId, reason: ring.reason });
	}

	async decline(ring: PhoneRing): Promise<void> {
		await this.control.send('POST', `${this.base}/decline`, { ringId: ring.ringId });
		this.acted.fire({ kind: 'decline', callId: ring.callId, reason: ring.reason });
	}

	async press(call: PhoneCall, keys: string): Promise<void> {
		if (!DTMF.test(keys)) throw new Error(`"${keys}" is not a DTMF key: use 0-9, *, # or A-D.`);
		await this.control.send('POST', `/calls/${encodeURIComponent(call.callId)}/keys`, { keys });
		this.acted.fire({ kind: 'press', callId: call.callId, keys });
	}

	async setMuted(call: PhoneCall, muted: boolean): Promise<void> {
		await this.control.send('POST', `${this.base}/${muted ? 'mute' : 'unmute'}`, { callId: call.callId });
		this.acted.fire({ kind: muted ? 'mute' : 'unmute', callId: call.callId });
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
		await this.control.send('POST', `${this.base}/hangUp`, { callId: call.callId });
		this.acted.fire({ kind: 'hangUp', callId: call.callId });
	}

	/** Joins a meeting the bot is in by its Teams join URL; the meeting's lobby settings may hold the person. */
	async joinMeeting(joinUrl: string): Promise<void> {
		const url = joinUrl.trim();
		if (!/^https:\/\/\S+$/.test(url)) throw new Error('Paste the meeting\'s join URL (https://teams.microsoft.com/l/meetup-join/...); GET /_emulator/meetings lists the emulator\'s.');
		const answer = (await this.control.send('POST', `${this.base}/joinMeeting`, { joinUrl: url })) as { callId?: unknown };
		this.acted.fire({ kind: 'joinMeeting', joinUrl: url, callId: typeof answer?.callId === 'string' ? answer.callId : undefined });
	}

	dispose(): void {
		this.acted.dispose();
	}
}
