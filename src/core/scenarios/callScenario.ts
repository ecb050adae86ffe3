import { stringify } from 'yaml';
import { defaultDirectory } from '../emulator';
import type { CallAction } from '../schema/endpoints';
import type { CallResource } from '../schema/types';

/** A request the workbench sent for the call, as the request log keeps it (already redacted). */
export interface CallHistoryRequest {
	readonly method: string;
	readonly action?: CallAction | string;
	readonly status?: number;
	readonly requestBody?: unknown;
	/** ISO time the request started, to place it among the call's states. */
	readonly startedDateTime: string;
}

/** What the workbench knows about one call the user made by hand: the CallStore's entry and the requests sent for it. */
export interface CallHistory {
	readonly call: CallResource;
	readonly stateHistory: readonly { readonly state: string; readonly at: number }[];
	/** The requests for this call (its create included), in the order they were sent. */
	readonly requests: readonly CallHistoryRequest[];
	/** When the conversion happens, for the scenario's name; defaults to now. */
	readonly savedAt?: Date;
}

type Step = Record<string, unknown>;

/** A scenario document and its YAML text, ready to save. */
export interface CallScenario {
	readonly document: Record<string, unknown>;
	readonly yaml: string;
	/** A file name (without directory) that says what the call was: "call-from-adele-vance.yaml". */
	readonly fileName: string;
}

/** Result codes Graph uses when the other side of the call hangs up (call-delete.md's end reasons). */
const OTHER_SIDE_HUNG_UP = new Set(['200/4521', '200/540000', '200/5001']);
/** Reads that say nothing about what the bot must do. */
const NOT_EXPECTED = new Set(['call.get', 'participant.list', 'participant.get', 'operation.get', 'contentSharingSession.list', 'contentSharingSession.get', 'token']);
/** States worth expecting: where the call settled, not the steps on the way. */
const STATES = new Set(['established', 'hold', 'transferring', 'transferAccepted', 'redirecting', 'terminated']);

const KNOWN = defaultDirectory();

interface Identity { id?: string | null; displayName?: string | null }
interface IdentitySet { user?: Identity | null; phone?: Identity | null; application?: Identity | null; guest?: Identity | null }

/**
 * How a scenario names someone: the first name of a person in the emulator's directory (as the samples do), the
 * E.164 number of a phone, or else the display name, which then goes under `people` so the scenario resolves.
 */
class Names {
	readonly people: Record<string, string> = {};

	of(identity: IdentitySet | null | undefined): string | undefined {
		if (!identity) return undefined;
		const user = identity.user ?? identity.guest;
		if (user?.id || user?.displayName) {
			const known = KNOWN.users.find((u) => u.id.toLowerCase() === user.id?.toLowerCase() || u.displayName === user.displayName);
			if (known) return known.displayName.split(' ')[0].toLowerCase();
			const name = user.displayName || user.id!;
			this.people[name] = 'answers';
			return name;
		}
		const phone = identity.phone?.id;
		if (phone) {
			const number = phone.startsWith('+') ? phone : `+${phone.replace(/^tel:/, '')}`;
			if (!KNOWN.phones.some((p) => p.id === number)) this.people[number] = 'answers';
			return number;
		}
		return undefined;
	}
}

function body(r: CallHistoryRequest): Record<string, unknown> {
	let value = r.requestBody;
	if (typeof value === 'string') {
		// The request log keeps a body as sent when it did not parse it; a JSON body is still read for its targets.
		try {
			value = JSON.parse(value) as unknown;
		} catch {
			return {};
		}
	}
	return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

const TONE_KEYS: Record<string, string> = { star: '*', pound: '#', a: 'A', b: 'B', c: 'C', d: 'D', flash: '' };

/** ["tone1", "pound"] -> "1#": how a scenario writes keys. */
function tonesText(tones: unknown): string | undefined {
	if (!Array.isArray(tones)) return undefined;
	const keys = tones.map((t) => String(t).replace(/^tone/, '')).map((t) => TONE_KEYS[t] ?? t).join('');
	return /^[0-9*#A-D]+$/.test(keys) ? keys : undefined;
}

/** The expectation a request the user sent by hand becomes: what the bot under test must do at that point. */
function expectationFor(r: CallHistoryRequest, names: Names): Step | undefined {
	const b = body(r);
	const first = <T>(v: unknown): T | undefined => (Array.isArray(v) ? (v[0] as T) : undefined);
	switch (r.action) {
		case 'call.create': {
			const target = first<{ identity?: IdentitySet }>(b.targets);
			const meeting = (b.meetingInfo as { joinMeetingId?: string } | undefined)?.joinMeetingId;
			const to = names.of(target?.identity) ?? meeting;
			return { expect: 'create', ...(to ? { to } : {}) };
		}
		case 'call.answer': {
			const modalities = Array.isArray(b.acceptedModalities) ? b.acceptedModalities.map(String) : undefined;
			return { expect: 'answer', ...(modalities?.length ? { modalities } : {}) };
		}
		case 'call.reject':
			return { expect: 'reject', ...(typeof b.reason === 'string' && ['none', 'busy', 'forbidden'].includes(b.reason) ? { reason: b.reason } : {}) };
		case 'call.redirect': {
			const to = names.of(first<{ identity?: IdentitySet }>(b.targets)?.identity);
			return { expect: 'redirect', ...(to ? { to } : {}) };
		}
		case 'call.transfer': {
			const to = names.of((b.transferTarget as { endpointType?: string; identity?: IdentitySet } | undefined)?.identity);
			return { expect: 'transfer', ...(to ? { to } : {}) };
		}
		case 'participant.invite': {
			const to = names.of(first<{ identity?: IdentitySet }>(b.participants)?.identity);
			return { expect: 'invite', ...(to ? { to } : {}) };
		}
		case 'call.playPrompt': {
			const uri = first<{ mediaInfo?: { uri?: string } }>(b.prompts)?.mediaInfo?.uri;
			return { expect: 'playPrompt', ...(uri ? { uri } : {}) };
		}
		case 'call.sendDtmfTones': {
			const tones = tonesText(b.tones);
			return { expect: 'sendDtmfTones', ...(tones ? { tones } : {}) };
		}
		case 'call.recordResponse': return { expect: 'recordResponse' };
		case 'call.subscribeToTone': return { expect: 'subscribeToTone' };
		case 'call.mute': return { expect: 'mute' };
		case 'call.unmute': return { expect: 'unmute' };
		case 'call.delete': return { expect: 'hangUp' };
		default:
			return r.action && !NOT_EXPECTED.has(r.action) ? { expect: 'request', action: r.action } : undefined;
	}
}

function resultText(call: CallResource): string | undefined {
	const info = call.resultInfo;
	if (info?.code === undefined || info.code === null) return undefined;
	return `${info.code}/${info.subcode ?? 0}`;
}

function slug(text: string): string {
	return text.toLowerCase().replace(/[^a-z0-9+]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60) || 'call';
}

/**
 * Turns a call made by hand in the workbench (the user acting as the bot) into a scenario for a bot: the call the
 * user answered becomes `call: { from }`, each successful request becomes the expectation that the bot sends it
 * (create, answer, prompts, transfer, invite, hang-up, other actions by name), the states the call reached become
 * `expect: state` in the order they happened, and a hang-up by the other side becomes the world's `hangUp` step.
 * keepAlive requests become one keepAlive check (Graph's 45-minute limit) before the call ends. The result
 * validates against scenario.schema.json; reads (GET) and failed requests are left out, since a bot need not repeat them.
 */
export function scenarioFromCall(history: CallHistory): CallScenario {
	const { call } = history;
	const names = new Names();
	const incoming = call.direction === 'incoming';
	const from = incoming ? names.of(call.source?.identity as IdentitySet | undefined) : undefined;
	const createTarget = !incoming ? names.of((call.targets?.[0]?.identity ?? undefined) as IdentitySet | undefined) : undefined;

	type Timed = { at: number; order: number; step: Step; kind: 'request' | 'state'; action?: string };
	const timed: Timed[] = [];
	let keepAlive = false;
	let botHungUp = false;
	history.requests.forEach((r, i) => {
		if (r.status === undefined || r.status < 200 || r.status >= 300) return;
		if (r.action === 'call.keepAlive') {
			keepAlive = true;
			return;
		}
		if (r.action === 'call.delete') botHungUp = true;
		const step = expectationFor(r, names);
		if (step) timed.push({ at: Date.parse(r.startedDateTime), order: i, step, kind: 'request', action: r.action });
	});
	const seenStates = new Set<string>();
	history.stateHistory.forEach((s, i) => {
		// A state reached twice (hold, resume, hold) is expected once: the first time says the bot got there.
		if (!STATES.has(s.state) || seenStates.has(s.state)) return;
		seenStates.add(s.state);
		timed.push({ at: s.at, order: 10_000 + i, step: { expect: 'state', state: s.state }, kind: 'state' });
	});
	timed.sort((a, b) => a.at - b.at || a.order - b.order);

	const result = resultText(call);
	const steps: Step[] = [];
	for (const t of timed) {
		if (t.kind === 'state' && t.step.state === 'terminated') {
			if (keepAlive) steps.push({ expect: 'keepAlive', every: '45m' });
			keepAlive = false;
			if (!botHungUp && result && OTHER_SIDE_HUNG_UP.has(result)) steps.push({ hangUp: 'caller' });
			steps.push({ ...t.step, ...(result ? { result } : {}) });
			continue;
		}
		steps.push(t.step);
	}
	if (keepAlive) steps.push({ expect: 'keepAlive', every: '45m' });
	if (!steps.length || (!incoming && !steps.some((s) => s.expect === 'create'))) {
		// A call the user tracked by id has no create in the log: the bot must still make it for the scenario to have a call.
		if (!incoming) steps.unshift({ expect: 'create', ...(createTarget ? { to: createTarget } : {}) });
	}
	if (incoming && !steps.length) steps.push({ expect: 'answer' });

	const savedAt = history.savedAt ?? new Date();
	const who = incoming ? (from ? `from ${from}` : 'incoming') : createTarget ? `to ${createTarget}` : 'made by the bot';
	const document: Record<string, unknown> = {
		name: `Call ${who}, as made by hand on ${savedAt.toISOString().slice(0, 10)}`,
		description: `Saved from call ${call.id} in the Calls view: each request sent by hand is now what the bot must do.`,
		...(Object.keys(names.people).length ? { people: names.people } : {}),
		...(incoming && from ? { call: { from } } : {}),
		steps,
	};
	const yaml = `# Saved by Graph Calls Workbench from a call made by hand. Run it in the Test Explorer or with \`graph-calls test\`;
# the bot comes from "bot:" below or a graph-calls.json beside this file (see docs/scenario-tests.md).
${stringify(document, { lineWidth: 0 })}`;
	return { document, yaml, fileName: `call-${slug(who)}.yaml` };
}
