import * as vscode from 'vscode';
import type { Identity, IdentitySet } from '@microsoft/microsoft-graph-types';
import { participantName } from '../../core/calls/callDescription';
import { listParticipants, type TargetInput } from '../../core/graph/calls';
import { checkE164, checkGuid, checkHttpsUrl, LIMITS } from '../../core/graph/validators';
import type { CallResource } from '../../core/schema/types';
import type { GraphClients } from '../profiles/graphClients';
import { nodeTargetOf } from '../shared/nodeTarget';
import type { QuickPickItemWithData, UserInput } from '../shared/userInput';
import type { CallCommandRunner } from './callCommandRunner';

export const RECENT_PROMPTS_KEY = 'graphCalls.recentPromptUrls';
const RECENT_PROMPTS_MAX = 10;

export interface CallPickerDeps {
	readonly runner: CallCommandRunner;
	readonly clients: GraphClients;
	readonly input: () => UserInput;
	/** Remembers recent prompt URLs. */
	readonly memento: vscode.Memento;
}

/** The prompts the call and participant commands share: which call, who, which prompt URLs, which participant. */
export class CallPickers {
	constructor(private readonly deps: CallPickerDeps) {}

	get input(): UserInput {
		return this.deps.input();
	}

	/**
	 * The call from the tree node, else a QuickPick of the calls we know (Graph has no "list calls"). By default a
	 * call id can be typed in too; `knownOnly` is for commands about the Calls view's own rows.
	 */
	async pickCall(node: unknown, title = 'Which call?', options: { knownOnly?: boolean; filter?: (ended: boolean) => boolean } = {}): Promise<string> {
		const fromNode = nodeTargetOf(node);
		if (fromNode) return fromNode.callId;
		const calls = this.deps.runner.store.list().filter((c) => options.filter?.(c.ended) ?? true);
		if (options.knownOnly && !calls.length) throw new Error('There are no calls in the Calls view yet. Create a call, or track an existing one by id (Graph Calls: Track Existing Call).');
		const enterId = '$enter';
		const items: QuickPickItemWithData<string>[] = [
			...calls.filter((c) => !c.ended).concat(calls.filter((c) => c.ended)).map((c) => ({
				label: describeCall(c.call),
				description: c.call.state ?? 'unknown state',
				detail: c.callId,
				data: c.callId,
			})),
			...(options.knownOnly ? [] : [{ label: '$(edit) Enter a call id...', description: 'a call created elsewhere, from a notification or a log', data: enterId }]),
		];
		const picked = await this.input.showQuickPick(items, { title, placeHolder: calls.length ? 'Pick a call' : 'No calls yet: enter a call id', step: 'call' });
		if (picked.data !== enterId) return picked.data;
		return (await this.input.showInputBox({
			title,
			prompt: 'The call id (from a create response\'s id or Location, or a notification\'s resourceUrl)',
			validateInput: (v) => (v.trim() === '' || /[/?#\s]/.test(v.trim()) ? 'Enter the id only, without slashes or spaces.' : undefined),
			step: 'callId',
		})).trim();
	}

	/** One target (user or phone); from the emulator's directory when the profile is the emulator. */
	async pickTarget(title: string, kinds: readonly ('user' | 'phone')[] = ['user', 'phone']): Promise<TargetInput> {
		const targets = await this.pickTargets(title, 1, kinds);
		return targets[0];
	}

	/** Up to `max` targets: multi-select from the emulator's directory, else typed GUIDs and E.164 numbers. */
	async pickTargets(title: string, max: number, kinds: readonly ('user' | 'phone')[] = ['user', 'phone'], min = 1): Promise<TargetInput[]> {
		const directory = await this.emulatorDirectory();
		if (directory) {
			const items: QuickPickItemWithData<TargetInput | undefined>[] = [
				...(kinds.includes('user') ? directory.users.map((u) => ({ label: u.displayName, description: `user, ${u.behaviour}`, detail: u.id, data: { kind: 'user' as const, id: u.id, displayName: u.displayName } })) : []),
				...(kinds.includes('phone') ? directory.phones.map((p) => ({ label: p.displayName, description: `phone ${p.id}, ${p.behaviour}`, data: { kind: 'phone' as const, number: p.id } })) : []),
			];
			if (max === 1) {
				items.push({ label: '$(edit) Enter an id or number...', data: undefined });
				const picked = await this.input.showQuickPick(items, { title, placeHolder: 'Pick who to call (the emulator\'s simulated people)', step: 'target' });
				if (picked.data) return [picked.data];
			} else {
				const picked = (await this.input.showQuickPick(items, { title, placeHolder: `Pick ${min} to ${max}`, canPickMany: true, step: 'targets' })) as unknown as QuickPickItemWithData<TargetInput>[];
				const list = Array.isArray(picked) ? picked.map((p) => p.data) : [(picked as QuickPickItemWithData<TargetInput>).data];
				if (list.length < min || list.length > max) throw new Error(`Pick between ${min} and ${max}; you picked ${list.length}. Run the command again.`);
				return list;
			}
		}
		const what = kinds.length === 2 ? 'user object ids (GUIDs) or phone numbers in E.164 form' : kinds[0] === 'user' ? 'user object ids (GUIDs)' : 'phone numbers in E.164 form';
		const text = await this.input.showInputBox({
			title,
			prompt: max === 1 ? `One of: ${what}` : `${min} to ${max} ${what}, separated by commas or spaces`,
			placeHolder: kinds.includes('user') ? '00000000-0000-0000-0000-000000000000' : '+14255550100',
			validateInput: (v) => {
				const parts = v.split(/[\s,]+/).filter(Boolean);
				if (parts.length < min) return `Enter at least ${min}.`;
				if (parts.length > max) return `Graph accepts at most ${max} here; you entered ${parts.length}.`;
				for (const p of parts) {
					const err = parseTarget(p, kinds);
					if (typeof err === 'string') return err;
				}
				return undefined;
			},
			step: 'targets',
		});
		return text.split(/[\s,]+/).filter(Boolean).map((p) => parseTarget(p, kinds) as TargetInput);
	}

	/** The emulator's simulated people, phones and meetings; undefined for real tenants. */
	async emulatorDirectory(): Promise<EmulatorDirectory | undefined> {
		const profile = this.deps.clients.activeProfile;
		if (!profile?.emulator) return undefined;
		const r = await this.deps.runner.send('Reading the emulator directory', (client, o) => client.request<EmulatorDirectory>({ method: 'GET', url: `${profile.emulator!.controlUrl}/directory`, ...o }));
		return { users: r.body?.users ?? [], phones: r.body?.phones ?? [], meetings: r.body?.meetings ?? [] };
	}

	async promptUrls(title: string): Promise<string[]> {
		const recent = this.deps.memento.get<string[]>(RECENT_PROMPTS_KEY, []);
		let urls: string[] | undefined;
		if (recent.length) {
			const items: QuickPickItemWithData<string | undefined>[] = [
				...recent.map((u) => ({ label: u, description: 'recent', data: u })),
				{ label: '$(edit) Enter audio file URLs...', data: undefined },
			];
			const picked = await this.input.showQuickPick(items, { title, placeHolder: 'An audio file Graph can fetch (WAV, 16 kHz mono); Graph has no text-to-speech', step: 'promptUrl' });
			if (picked.data) urls = [picked.data];
		}
		if (!urls) {
			const text = await this.input.showInputBox({
				title,
				prompt: `Audio file URLs (https), up to ${LIMITS.prompts}, separated by spaces. Graph plays audio files; it has no text-to-speech.`,
				placeHolder: 'https://contoso.example/audio/welcome.wav',
				validateInput: (v) => {
					const parts = v.split(/\s+/).filter(Boolean);
					if (parts.length === 0) return 'Enter at least one https URL of an audio file.';
					if (parts.length > LIMITS.prompts) return `Graph plays at most ${LIMITS.prompts} prompts at a time; you entered ${parts.length}.`;
					for (const p of parts) {
						const err = checkHttpsUrl(p, 'Each prompt URL', { allowLoopbackHttp: true });
						if (err) return err;
					}
					return undefined;
				},
				step: 'promptUrls',
			});
			urls = text.split(/\s+/).filter(Boolean);
		}
		const next = [...urls, ...recent.filter((u) => !urls!.includes(u))].slice(0, RECENT_PROMPTS_MAX);
		await this.deps.memento.update(RECENT_PROMPTS_KEY, next);
		return urls;
	}

	async pickOne<T extends string>(title: string, options: readonly { value: T; label: string; description?: string }[], step: string): Promise<T> {
		const picked = await this.input.showQuickPick(options.map((o) => ({ label: o.label, description: o.description, data: o.value })), { title, step });
		return picked.data;
	}

	/** The participant from the tree node, else a QuickPick over a fresh participants list (which also updates the store). */
	async pickParticipant(callId: string, node: unknown, title: string): Promise<string> {
		const fromNode = nodeTargetOf(node);
		if (fromNode?.participantId && fromNode.callId === callId) return fromNode.participantId;
		const r = await this.deps.runner.send('Listing participants', (c, o) => listParticipants(c, callId, o), callId);
		const list = r.body?.value ?? [];
		if (list.length === 0) throw new Error(`Call ${callId} has no participants to pick. Refresh the call, or invite someone first.`);
		const items: QuickPickItemWithData<string>[] = list.map((p) => ({
			label: participantName(p),
			description: [p.isMuted ? 'muted' : undefined, p.isInLobby ? 'in lobby' : undefined].filter(Boolean).join(', ') || undefined,
			detail: p.id,
			data: p.id,
		}));
		return (await this.input.showQuickPick(items, { title, placeHolder: 'Pick a participant', step: 'participant' })).data;
	}
}

export interface EmulatorDirectory {
	users: { id: string; displayName: string; behaviour: string }[];
	phones: { id: string; displayName: string; behaviour: string }[];
	meetings: { id: string; subject: string; joinMeetingId: string; passcode?: string; threadId: string; organizerId: string }[];
}

function parseTarget(p: string, kinds: readonly ('user' | 'phone')[]): TargetInput | string {
	if (p.startsWith('+')) {
		if (!kinds.includes('phone')) return `"${p}" is a phone number; enter user object ids here.`;
		return checkE164(p) ?? { kind: 'phone', number: p };
	}
	if (!kinds.includes('user')) return checkE164(p)!;
	return checkGuid(p, `"${p}"`) ?? { kind: 'user', id: p };
}

export function describeCall(call: CallResource): string {
	// Graph's types lack identitySet.phone, which calls use for PSTN.
	const who = call.targets?.[0]?.identity as (IdentitySet & { phone?: Identity }) | undefined;
	const source = call.source?.identity as (IdentitySet & { phone?: Identity }) | undefined;
	const name = who?.user?.displayName ?? who?.phone?.id ?? who?.user?.id ?? source?.user?.displayName ?? source?.phone?.id;
	const dir = call.direction === 'incoming' ? 'from' : 'to';
	return name ? `Call ${dir} ${name}` : call.meetingInfo ? 'Meeting call' : `Call ${call.id.slice(0, 8)}`;
}

export function describeTarget(t: TargetInput): string {
	return t.kind === 'user' ? t.displayName ?? t.id : t.number;
}

