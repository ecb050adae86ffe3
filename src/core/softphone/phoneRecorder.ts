import { stringify } from 'yaml';
import type { PersonAction } from './personControl';
import type { PhoneCall, PhonePerson, PhoneView } from './phoneView';

/** Something the bot did that the person noticed, in the terms of a scenario expectation. */
export type BotObservation =
	| { readonly kind: 'botAnswered' | 'botSubscribedToTones' | 'botTransferred' | 'botHungUp'; readonly callId: string }
	| { readonly kind: 'botPlayedPrompt'; readonly callId: string; readonly uri: string };

interface Stamped<T> {
	readonly at: number;
	readonly item: T;
}

/**
 * Keeps what a person did and what they saw the bot do, in order, so a session with the softphone can be saved
 * as a scenario file that replays the person's side and expects the bot's.
 */
export class PhoneRecorder {
	private readonly log: Stamped<PersonAction | BotObservation>[] = [];
	private readonly seen = new Map<string, { established: boolean; prompts: Set<string>; tones: boolean; transferring: boolean }>();
	private readonly hungUpByPerson = new Set<string>();

	constructor(readonly person: PhonePerson, private readonly now: () => number = Date.now) {}

	/** Notes what the person just did. */
	action(a: PersonAction): void {
		if (a.kind === 'hangUp') this.hungUpByPerson.add(a.callId);
		this.log.push({ at: this.now(), item: a });
	}

	/** Compares a fresh view with the last one and notes what the bot did in between. */
	observe(view: PhoneView): void {
		const live = new Set<string>();
		for (const call of view.calls) {
			live.add(call.callId);
			this.observeCall(call);
		}
		for (const [callId] of this.seen) {
			if (live.has(callId)) continue;
			this.seen.delete(callId);
			if (!this.hungUpByPerson.has(callId)) this.note({ kind: 'botHungUp', callId });
		}
	}

	private observeCall(call: PhoneCall): void {
		let s = this.seen.get(call.callId);
		if (!s) {
			s = { established: false, prompts: new Set(), tones: false, transferring: false };
			this.seen.set(call.callId, s);
		}
		if (!s.established && call.state === 'established') {
			s.established = true;
			if (call.role === 'callingBot') this.note({ kind: 'botAnswered', callId: call.callId });
		}
		for (const m of call.media) {
			for (const uri of m.kind === 'prompt' ? m.uris : []) {
				if (s.prompts.has(`${m.operationId} ${uri}`)) continue;
				s.prompts.add(`${m.operationId} ${uri}`);
				this.note({ kind: 'botPlayedPrompt', callId: call.callId, uri });
			}
		}
		if (!s.tones && call.tonesSubscribed) this.note({ kind: 'botSubscribedToTones', callId: call.callId });
		s.tones = call.tonesSubscribed;
		if (!s.transferring && call.transferring) {
			this.note({ kind: 'botTransferred', callId: call.callId });
			// A transferred call ends for the bot: that is the transfer finishing, not the bot hanging up.
			this.hungUpByPerson.add(call.callId);
		}
		s.transferring = call.transferring;
	}

	/** How a scenario names the person: a phone by its number, a user by display name. */
	private get who(): string {
		return this.person.kind === 'phone' ? this.person.id : this.person.displayName;
	}

	private note(o: BotObservation): void {
		this.log.push({ at: this.now(), item: o });
	}

	/** The first call the person made to the bot, or answered when the bot called them. */
	private firstCall(): Stamped<PersonAction | BotObservation> | undefined {
		return this.log.find((e) => e.item.kind === 'callBot' || (e.item.kind === 'answer' && e.item.reason === 'call'));
	}

	/** True once there is something worth saving: a call the person made to the bot or answered. */
	get hasCall(): boolean {
		return this.firstCall() !== undefined;
	}

	/** The first call, as a scenario document (YAML text). */
	toScenarioYaml(title?: string): string {
		const first = this.firstCall();
		if (!first) throw new Error('Nothing to save yet: call the bot (or answer its call) from the softphone first; the scenario replays that call.');
		const callId = (first.item as { callId: string }).callId;
		const botCalled = first.item.kind === 'answer';
		const steps: Record<string, unknown>[] = [];
		let since = first.at;
		for (const { at, item } of this.log) {
			if (at < first.at || ('callId' in item && item.callId !== callId)) continue;
			const step = stepFor(item, at - since, this.who);
			if (!step) continue;
			steps.push(step);
			if (!('expect' in step)) since = at;
		}
		steps.push({ expect: 'state', state: 'terminated' });
		const who = this.who;
		const recorded = `Recorded from a softphone session on ${new Date(first.at).toISOString()}. Each "within" is the time the bot took then, rounded up, with room to spare.`;
		const doc = botCalled
			? {
				name: title ?? `The bot calls ${this.person.displayName} (recorded with the softphone)`,
				description: recorded,
				// The person's phone rings until the scenario's answer step, as the softphone's did.
				people: { [who]: 'manual' },
				steps: [{ expect: 'create', to: who, within: '30s' }, ...steps],
			}
			: { name: title ?? `${this.person.displayName} calls the bot (recorded with the softphone)`, description: recorded, call: { from: who }, steps };
		return stringify(doc, { lineWidth: 0 });
	}
}

/** Generous bounds: a recording says what happened once, a test should not fail on a slower machine. */
function within(ms: number): string {
	const s = Math.max(5, Math.ceil((ms * 3) / 1000));
	return `${s}s`;
}

function stepFor(item: PersonAction | BotObservation, elapsedMs: number, who: string): Record<string, unknown> | undefined {
	switch (item.kind) {
		case 'botAnswered':
			return { expect: 'answer', within: within(elapsedMs) };
		case 'botPlayedPrompt':
			return { expect: 'playPrompt', uri: item.uri, within: within(elapsedMs) };
		case 'botSubscribedToTones':
			return { expect: 'subscribeToTone', within: within(elapsedMs) };
		case 'botTransferred':
			return { expect: 'transfer', within: within(elapsedMs) };
		case 'botHungUp':
			return { expect: 'hangUp', within: within(elapsedMs) };
		case 'press':
			return { press: item.keys };
		case 'answer':
			return { answer: who };
		case 'mute':
			return { mute: who };
		case 'unmute':
			return { unmute: who };
		case 'hangUp':
			return { hangUp: 'caller' };
		case 'hold':
			return { hold: 'caller' };
		case 'resume':
			return { resume: 'caller' };
		default:
			return undefined;
	}
}
