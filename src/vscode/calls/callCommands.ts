import * as vscode from 'vscode';
import type { Identity, IdentitySet } from '@microsoft/microsoft-graph-types';
import type { TenantProfile } from '../../core/auth/tenantProfile';
import { participantName } from '../../core/calls/callDescription';
import type { CallStore } from '../../core/calls/callStore';
import { idKey } from '../../core/calls/mergeRules';
import {
	addLargeGalleryView, answerCall, cancelMediaProcessing, changeScreenSharingRole, createCall, deleteCall, getCall, keepAlive, listParticipants, muteCall,
	playPrompt, recordResponse, redirectCall, rejectCall, sendDtmfTones, subscribeToTone, transferCall, unmuteCall, updateRecordingStatus,
	type ActionOptions, type CreateCallInput, type TargetInput, type TransfereeInput,
} from '../../core/graph/calls';
import type { GraphClient, GraphResponse } from '../../core/graph/graphClient';
import { GraphError } from '../../core/graph/graphError';
import { parseJoinUrl } from '../../core/graph/meetingJoinUrl';
import type { CallResource, OperationResource, ParticipantResource } from '../../core/schema/types';
import { checkE164, checkGuid, checkHttpsUrl, checkIntegerInRange, LIMITS, parseTones } from '../../core/graph/validators';
import { requestTimeoutMs, type GraphClients } from '../profiles/graphClients';
import type { QuickPickItemWithData, UserInput } from '../shared/userInput';
import { registerCommand } from '../shared/registerCommand';

/** The first argument when a command runs from the calls tree. */
export interface CallNode {
	readonly callId: string;
	readonly participantId?: string;
	readonly operationId?: string;
}

export type CallSink = Pick<CallStore, 'list' | 'get' | 'applyCall' | 'applyEnded' | 'applyParticipants' | 'applyParticipant' | 'removeParticipants' | 'applyOperation'>;

export interface CallCommandDeps {
	readonly clients: GraphClients;
	readonly callStore: CallSink;
	readonly input: () => UserInput;
	readonly log: vscode.LogOutputChannel;
	/** Remembers recent prompt URLs and the last application instance id. */
	readonly memento: vscode.Memento;
	/** The callbackUri for create and answer (the callback receiver's, or the profile's); throws an actionable error. */
	readonly callbackUri: (profile: TenantProfile) => string;
}

/** What the last call command reported, for the extension-host tests. */
export interface CallCommandResults {
	lastResult?: string;
}

export const RECENT_PROMPTS_KEY = 'graphCalls.recentPromptUrls';
const LAST_APP_INSTANCE_KEY = 'graphCalls.lastApplicationInstanceId';
const RECENT_PROMPTS_MAX = 10;

/** Everything the call and participant commands share: picking, progress, store updates and reporting. */
export class CallCommandKit {
	readonly results: CallCommandResults = {};

	constructor(readonly deps: CallCommandDeps) {}

	get input(): UserInput {
		return this.deps.input();
	}

	/** The call from the tree node, else a QuickPick of the calls we know (Graph has no "list calls"). */
	async pickCall(node: unknown, title = 'Which call?'): Promise<string> {
		const fromNode = asNode(node);
		if (fromNode) return fromNode.callId;
		const calls = this.deps.callStore.list();
		const enterId = '$enter';
		const items: QuickPickItemWithData<string>[] = [
			...calls.filter((c) => !c.ended).concat(calls.filter((c) => c.ended)).map((c) => ({
				label: describeCall(c.call),
				description: c.call.state ?? 'unknown state',
				detail: c.callId,
				data: c.callId,
			})),
			{ label: '$(edit) Enter a call id...', description: 'a call created elsewhere, from a notification or a log', data: enterId },
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

	/** Runs Graph work with a cancellable progress notification; cancelling aborts the request. */
	async run<T>(title: string, work: (client: GraphClient, o: ActionOptions) => Promise<T>): Promise<T> {
		const client = this.deps.clients.active();
		return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (_progress, token) => {
			const ac = new AbortController();
			const sub = token.onCancellationRequested(() => ac.abort());
			try {
				return await work(client, { signal: ac.signal, timeoutMs: requestTimeoutMs() });
			} finally {
				sub.dispose();
			}
		});
	}

	/** A 404 means the call is gone: mark it ended in the store before the error reaches the user. */
	markGoneOn404(callId: string, err: unknown): never {
		if (err instanceof GraphError && err.status === 404) this.deps.callStore.applyEnded(callId, undefined, 'poll');
		throw err;
	}

	/** Feeds an operation response into the store and says how it stands. */
	operationResult(callId: string, what: string, r: GraphResponse<OperationResource | undefined | void>): string {
		const op = r.body && typeof r.body === 'object' ? (r.body as OperationResource) : undefined;
		if (op?.id) this.deps.callStore.applyOperation(callId, op);
		if (!op) return `${what}: accepted (${r.status}).`;
		const result = op.resultInfo ? `, result ${op.resultInfo.code}/${op.resultInfo.subcode}${op.resultInfo.message ? ` ${op.resultInfo.message}` : ''}` : '';
		const status = String(op.status ?? '');
		const follow = status === 'running' || status === 'notStarted' ? '; a notification reports when it finishes' : '';
		return `${what}: operation ${op.status ?? 'accepted'}${result}${follow} (operation ${op.id ?? 'without id'}).`;
	}

	/** Tells the user how it went; returns `value` so commands can hand their result to callers and tests. */
	report<T>(message: string, value?: T): T | undefined {
		this.results.lastResult = message;
		this.deps.log.info(message);
		void vscode.window.showInformationMessage(message);
		return value;
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
		const r = await this.run('Reading the emulator directory', (client, o) => client.request<EmulatorDirectory>({ method: 'GET', url: `${profile.emulator!.controlUrl}/directory`, ...o }));
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
}

export interface EmulatorDirectory {
	users: { id: string; displayName: string; behaviour: string }[];
	phones: { id: string; displayName: string; behaviour: string }[];
	meetings: { id: string; subject: string; joinMeetingId: string; passcode?: string; threadId: string; organizerId: string }[];
}

function asNode(node: unknown): CallNode | undefined {
	return node && typeof node === 'object' && typeof (node as CallNode).callId === 'string' ? (node as CallNode) : undefined;
}

export function nodeOf(node: unknown): CallNode | undefined {
	return asNode(node);
}

function parseTarget(p: string, kinds: readonly ('user' | 'phone')[]): TargetInput | string {
	if (p.startsWith('+')) {
		if (!kinds.includes('phone')) return `"${p}" is a phone number; enter user object ids here.`;
		return checkE164(p) ?? { kind: 'phone', number: p };
	}
	if (!kinds.includes('user')) return checkE164(p)!;
	return checkGuid(p, `"${p}"`) ?? { kind: 'user', id: p };
}

function describeCall(call: CallResource): string {
	// Graph's types lack identitySet.phone, which calls use for PSTN.
	const who = call.targets?.[0]?.identity as (IdentitySet & { phone?: Identity }) | undefined;
	const source = call.source?.identity as (IdentitySet & { phone?: Identity }) | undefined;
	const name = who?.user?.displayName ?? who?.phone?.id ?? who?.user?.id ?? source?.user?.displayName ?? source?.phone?.id;
	const dir = call.direction === 'incoming' ? 'from' : 'to';
	return name ? `Call ${dir} ${name}` : call.meetingInfo ? 'Meeting call' : `Call ${call.id.slice(0, 8)}`;
}

function describeTarget(t: TargetInput): string {
	return t.kind === 'user' ? t.displayName ?? t.id : t.number;
}

/** The bot's own leg: the call's myParticipantId, else an application identity with the profile's client id. */
function isBotParticipant(p: ParticipantResource, call: CallResource | undefined, appId: string | undefined): boolean {
	if (call?.myParticipantId && idKey(p.id) === idKey(call.myParticipantId)) return true;
	const app = p.info?.identity?.application?.id;
	return !!appId && !!app && app.toLowerCase() === appId.toLowerCase();
}

/**
 * Whether a transfer from this call needs a transferee: Graph wants one from group calls and meetings only.
 * The call resource tells meetings (meetingInfo or chatInfo) and calls created with several targets; a 1:1 call
 * that grew through participants/invite keeps its single target, so then the roster decides: more than one
 * participant besides the bot. This is the emulator's rule too (classify(): meetingInfo/chatInfo -> meeting,
 * several targets -> group; invite turns a 1:1 call into a group call).
 */
export function isGroupCall(call: CallResource | undefined, roster: Iterable<ParticipantResource>, appId?: string): boolean {
	if (call?.meetingInfo || call?.chatInfo) return true;
	if ((call?.targets?.length ?? 0) > 1) return true;
	let others = 0;
	for (const p of roster) if (!isBotParticipant(p, call, appId)) others++;
	return others > 1;
}

/**
 * The transferee of a group call or meeting, or undefined for a 1:1 call (no prompt then). The participants
 * list is fetched fresh (it also updates the store) so the identity sent is the one Graph has now. From a
 * participant node that participant is the transferee without a prompt; the Calls view shows Transfer Call on
 * call nodes only today, so that path serves executeCommand callers and a future participant menu entry.
 */
async function pickTransferee(kit: CallCommandKit, callId: string, node: unknown): Promise<TransfereeInput | undefined> {
	const store = kit.deps.callStore;
	if (!store.get(callId)) {
		// A call id typed in: the rule needs the call resource.
		const r = await kit.run('Getting the call', (c, o) => getCall(c, callId, o)).catch((e: unknown) => kit.markGoneOn404(callId, e));
		if (r.body?.id) store.applyCall(r.body);
	}
	const call = store.get(callId)?.call;
	const appId = kit.deps.clients.activeProfile?.clientId;
	if (!isGroupCall(call, store.get(callId)?.participants.values() ?? [], appId)) return undefined;
	const r = await kit.run('Listing participants', (c, o) => listParticipants(c, callId, o)).catch((e: unknown) => kit.markGoneOn404(callId, e));
	const list = r.body?.value ?? [];
	store.applyParticipants(callId, list);
	const others = list.filter((p) => !isBotParticipant(p, call, appId));
	const asTransferee = (p: ParticipantResource): TransfereeInput => ({ participantId: p.id, identity: (p.info?.identity ?? {}) as Record<string, unknown> });
	const fromNode = nodeOf(node);
	if (fromNode?.participantId && fromNode.callId === callId) {
		const p = others.find((x) => idKey(x.id) === idKey(fromNode.participantId!));
		if (!p) throw new Error(`Participant ${fromNode.participantId} is not in call ${callId} any more, or is the bot itself: run Transfer Call on the call and pick who is transferred.`);
		return asTransferee(p);
	}
	if (others.length === 0) throw new Error(`Call ${callId} is a group call but has no participant besides the bot to transfer. List the participants, or invite someone first.`);
	const items: QuickPickItemWithData<ParticipantResource>[] = others.map((p) => ({ label: participantName(p), description: p.isInLobby ? 'in lobby' : undefined, detail: p.id, data: p }));
	const picked = await kit.input.showQuickPick(items, { title: 'Which participant is transferred?', placeHolder: 'A group call transfers one participant to the target', step: 'transferee' });
	return asTransferee(picked.data);
}

// ---------------------------------------------------------------------------------------------------------------

async function createCallCommand(kit: CallCommandKit): Promise<CallResource | undefined> {
	const profile = kit.deps.clients.activeProfile;
	kit.deps.clients.active(); // fails early, with the way out, when no profile is active
	const p = profile!;
	const kind = await kit.pickOne('Create call: what kind?', [
		{ value: 'user', label: '$(person) Call a Teams user' },
		{ value: 'phone', label: '$(call-outgoing) Call a phone number', description: 'PSTN, needs a resource account' },
		{ value: 'meetingJoinId', label: '$(organization) Join a meeting by meeting id and passcode' },
		{ value: 'meetingJoinUrl', label: '$(link) Join a meeting by its join link' },
		{ value: 'group', label: '$(person-add) Group call', description: `2 to ${LIMITS.groupCallTargets} users` },
	] as const, 'kind');
	const common = { callbackUri: kit.deps.callbackUri(p), tenantId: p.tenantId };
	let input: CreateCallInput;
	let label: string;
	switch (kind) {
		case 'user': {
			const t = await kit.pickTarget('Create call: who?', ['user']);
			if (t.kind !== 'user') throw new Error('Pick a user.');
			input = { ...common, kind: 'user', userId: t.id, displayName: t.displayName };
			label = describeTarget(t);
			break;
		}
		case 'phone': {
			const appInstance = (await kit.input.showInputBox({
				title: 'Create call: the bot\'s resource account',
				prompt: 'Object id (GUID) of the application instance (Teams resource account) with a phone number that the call comes from',
				value: kit.deps.memento.get<string>(LAST_APP_INSTANCE_KEY) ?? (p.emulator ? EMULATOR_APP_INSTANCE : ''),
				validateInput: (v) => checkGuid(v, 'The application instance id'),
				step: 'applicationInstance',
			})).trim();
			await kit.deps.memento.update(LAST_APP_INSTANCE_KEY, appInstance);
			const t = await kit.pickTarget('Create call: which number?', ['phone']);
			if (t.kind !== 'phone') throw new Error('Pick a phone number.');
			input = { ...common, kind: 'phone', applicationInstanceId: appInstance, phoneNumber: t.number };
			label = t.number;
			break;
		}
		case 'meetingJoinId': {
			const directory = await kit.emulatorDirectory();
			let joinMeetingId: string | undefined;
			let passcode: string | undefined;
			if (directory?.meetings.length) {
				const picked = await kit.input.showQuickPick(
					[...directory.meetings.map((m) => ({ label: m.subject, description: `id ${m.joinMeetingId}`, data: m as EmulatorDirectory['meetings'][number] | undefined })), { label: '$(edit) Enter a meeting id...', data: undefined }],
					{ title: 'Join a meeting', step: 'meeting' },
				);
				joinMeetingId = picked.data?.joinMeetingId;
				passcode = picked.data?.passcode;
			}
			if (!joinMeetingId) {
				joinMeetingId = (await kit.input.showInputBox({ title: 'Join a meeting', prompt: 'Meeting ID (digits, as shown in the invite)', validateInput: (v) => (/^\d{6,20}$/.test(v.replace(/\s/g, '')) ? undefined : 'Enter the 6 to 20 digits of the meeting id.'), step: 'joinMeetingId' })).replace(/\s/g, '');
				passcode = (await kit.input.showInputBox({ title: 'Join a meeting', prompt: 'Passcode (leave empty if the meeting has none)', step: 'passcode' })).trim() || undefined;
			}
			input = { ...common, kind: 'meetingJoinId', joinMeetingId, passcode };
			label = `meeting ${joinMeetingId}`;
			break;
		}
		case 'meetingJoinUrl': {
			const joinUrl = (await kit.input.showInputBox({
				title: 'Join a meeting by link',
				prompt: 'The "Join the meeting" link from the invite',
				placeHolder: 'https://teams.microsoft.com/l/meetup-join/19%3ameeting_...%40thread.v2/0?context=...',
				validateInput: (v) => {
					const r = parseJoinUrl(v);
					return r.ok ? undefined : r.error;
				},
				step: 'joinUrl',
			})).trim();
			input = { ...common, kind: 'meetingJoinUrl', joinUrl };
			label = 'meeting';
			break;
		}
		case 'group': {
			const users = await kit.pickTargets('Group call: who?', LIMITS.groupCallTargets, ['user'], 2);
			input = { ...common, kind: 'group', users: users.map((u) => (u.kind === 'user' ? { id: u.id, displayName: u.displayName } : { id: '' })) };
			label = users.map(describeTarget).join(', ');
			break;
		}
	}
	const r = await kit.run(`Creating a call to ${label}`, (client, o) => createCall(client, input, o));
	if (r.body?.id) kit.deps.callStore.applyCall(r.body);
	return kit.report(`Call to ${label} created: ${r.body?.state ?? 'accepted'} (call ${r.body?.id ?? 'id unknown'}, ${r.durationMs} ms).`, r.body);
}

/** The emulator's fixed application instance id (EMULATOR_TENANT.applicationInstanceId), offered as the default. */
const EMULATOR_APP_INSTANCE = '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d';

export function registerCallCommands(kit: CallCommandKit): vscode.Disposable[] {
	const store = kit.deps.callStore;
	return [
		registerCommand('graphCalls.call.create', () => createCallCommand(kit)),

		registerCommand('graphCalls.call.get', async (node?: unknown) => {
			const callId = await kit.pickCall(node, 'Get call');
			const r = await kit.run('Getting the call', (c, o) => getCall(c, callId, o)).catch((e: unknown) => kit.markGoneOn404(callId, e));
			if (r.body?.id) store.applyCall(r.body);
			return kit.report(`Call ${callId}: ${r.body?.state ?? 'unknown state'}${r.body?.resultInfo ? ` (${r.body.resultInfo.code}/${r.body.resultInfo.subcode})` : ''}.`, r.body);
		}),

		registerCommand('graphCalls.call.hangUp', async (node?: unknown) => {
			const callId = await kit.pickCall(node, 'Hang up');
			await kit.run('Hanging up', (c, o) => deleteCall(c, callId, o)).catch((e: unknown) => kit.markGoneOn404(callId, e));
			store.applyCall({ id: callId, state: 'terminating' });
			kit.report(`Hanging up call ${callId}: Graph confirms with a terminated notification.`);
		}),

		registerCommand('graphCalls.call.answer', async (node?: unknown) => {
			const callId = await kit.pickCall(node, 'Answer');
			const profile = kit.deps.clients.activeProfile;
			if (!profile) kit.deps.clients.active();
			const callbackUri = kit.deps.callbackUri(profile!);
			const r = await kit.run('Answering', (c, o) => answerCall(c, callId, { callbackUri }, o)).catch((e: unknown) => kit.markGoneOn404(callId, e));
			kit.report(`Answer sent for call ${callId} (${r.status}): it becomes established when Graph notifies.`);
		}),

		registerCommand('graphCalls.call.reject', async (node?: unknown) => {
			const callId = await kit.pickCall(node, 'Reject');
			const reason = await kit.pickOne('Reject: reason', [
				{ value: 'none', label: 'none', description: 'just decline' },
				{ value: 'busy', label: 'busy' },
				{ value: 'forbidden', label: 'forbidden' },
			] as const, 'reason');
			const r = await kit.run('Rejecting', (c, o) => rejectCall(c, callId, { reason }, o)).catch((e: unknown) => kit.markGoneOn404(callId, e));
			kit.report(`Call ${callId} rejected (${reason}, ${r.status}).`);
		}),

		registerCommand('graphCalls.call.redirect', async (node?: unknown) => {
			const callId = await kit.pickCall(node, 'Redirect');
			const targets = await kit.pickTargets('Redirect to', LIMITS.redirectTargets);
			const r = await kit.run('Redirecting', (c, o) => redirectCall(c, callId, { targets }, o)).catch((e: unknown) => kit.markGoneOn404(callId, e));
			kit.report(`Call ${callId} redirected to ${targets.map(describeTarget).join(', ')} (${r.status}).`);
		}),

		registerCommand('graphCalls.call.transfer', async (node?: unknown) => {
			const callId = await kit.pickCall(node, 'Transfer');
			const mode = await kit.pickOne('Transfer: how?', [
				{ value: 'blind', label: 'Blind transfer', description: 'hand the call to someone' },
				{ value: 'consultative', label: 'Consultative transfer', description: 'replace this call with the bot\'s call to the target' },
			] as const, 'mode');
			const target = await kit.pickTarget('Transfer to');
			let replacesCallId: string | undefined;
			if (mode === 'consultative') {
				replacesCallId = await kit.pickCall(undefined, 'Consultative transfer: the bot\'s call with the transfer target');
				if (replacesCallId === callId) throw new Error('The consultation call must be a different call from the one being transferred. Create a call to the target first.');
			}
			const transferee = await pickTransferee(kit, callId, node);
			const r = await kit.run('Transferring', (c, o) => transferCall(c, callId, { target, replacesCallId, transferee }, o)).catch((e: unknown) => kit.markGoneOn404(callId, e));
			const who = transferee ? ` of participant ${transferee.participantId}` : '';
			kit.report(`Transfer${who} of call ${callId} to ${describeTarget(target)} requested (${mode}, ${r.status}): watch for transferAccepted.`);
		}),

		registerCommand('graphCalls.call.playPrompt', async (node?: unknown) => {
			const callId = await kit.pickCall(node, 'Play prompt');
			const promptUris = await kit.promptUrls('Play prompt');
			const r = await kit.run('Playing prompt', (c, o) => playPrompt(c, callId, { promptUris }, o)).catch((e: unknown) => kit.markGoneOn404(callId, e));
			return kit.report(kit.operationResult(callId, 'Play prompt', r), r.body);
		}),

		registerCommand('graphCalls.call.recordResponse', async (node?: unknown) => {
			const callId = await kit.pickCall(node, 'Record response');
			const seconds = Number((await kit.input.showInputBox({
				title: 'Record response',
				prompt: `Longest recording in seconds (1 to ${LIMITS.recordSeconds}); the caller ends it with # or silence`,
				value: '10',
				validateInput: (v) => checkIntegerInRange(v, 'The recording length', 1, LIMITS.recordSeconds),
				step: 'maxRecordDurationInSeconds',
			})).trim());
			const r = await kit.run('Recording', (c, o) => recordResponse(c, callId, { maxRecordDurationInSeconds: seconds }, o)).catch((e: unknown) => kit.markGoneOn404(callId, e));
			return kit.report(kit.operationResult(callId, 'Record response', r), r.body);
		}),

		registerCommand('graphCalls.call.cancelMediaProcessing', async (node?: unknown) => {
			const callId = await kit.pickCall(node, 'Cancel media processing');
			const r = await kit.run('Cancelling media processing', (c, o) => cancelMediaProcessing(c, callId, {}, o)).catch((e: unknown) => kit.markGoneOn404(callId, e));
			return kit.report(kit.operationResult(callId, 'Cancel media processing', r), r.body);
		}),

		registerCommand('graphCalls.call.subscribeToTone', async (node?: unknown) => {
			const callId = await kit.pickCall(node, 'Subscribe to tones');
			const r = await kit.run('Subscribing to tones', (c, o) => subscribeToTone(c, callId, {}, o)).catch((e: unknown) => kit.markGoneOn404(callId, e));
			return kit.report(kit.operationResult(callId, 'Subscribe to tones', r), r.body);
		}),

		registerCommand('graphCalls.call.sendDtmfTones', async (node?: unknown) => {
			const callId = await kit.pickCall(node, 'Send DTMF tones');
			const text = await kit.input.showInputBox({
				title: 'Send DTMF tones',
				prompt: 'Tones: digits 0-9, * and #, or names (tone1, star, pound)',
				placeHolder: '123#',
				validateInput: (v) => parseTones(v).error,
				step: 'tones',
			});
			const tones = parseTones(text).tones!;
			const r = await kit.run('Sending tones', (c, o) => sendDtmfTones(c, callId, { tones }, o)).catch((e: unknown) => kit.markGoneOn404(callId, e));
			return kit.report(kit.operationResult(callId, `Send ${tones.length} tones`, r), r.body);
		}),

		registerCommand('graphCalls.call.mute', async (node?: unknown) => {
			const callId = await kit.pickCall(node, 'Mute the bot');
			const r = await kit.run('Muting', (c, o) => muteCall(c, callId, {}, o)).catch((e: unknown) => kit.markGoneOn404(callId, e));
			return kit.report(kit.operationResult(callId, 'Mute', r), r.body);
		}),

		registerCommand('graphCalls.call.unmute', async (node?: unknown) => {
			const callId = await kit.pickCall(node, 'Unmute the bot');
			const r = await kit.run('Unmuting', (c, o) => unmuteCall(c, callId, {}, o)).catch((e: unknown) => kit.markGoneOn404(callId, e));
			return kit.report(kit.operationResult(callId, 'Unmute', r), r.body);
		}),

		registerCommand('graphCalls.call.keepAlive', async (node?: unknown) => {
			const callId = await kit.pickCall(node, 'Keep alive');
			const r = await kit.run('Sending keepAlive', (c, o) => keepAlive(c, callId, o)).catch((e: unknown) => kit.markGoneOn404(callId, e));
			kit.report(`Call ${callId} kept alive (${r.status}); send keepAlive at least every 45 minutes.`);
		}),

		registerCommand('graphCalls.call.updateRecordingStatus', async (node?: unknown) => {
			const callId = await kit.pickCall(node, 'Update recording status');
			const status = await kit.pickOne('Recording status', [
				{ value: 'recording', label: 'recording', description: 'the bot started recording' },
				{ value: 'notRecording', label: 'notRecording', description: 'the bot stopped recording' },
				{ value: 'failed', label: 'failed', description: 'recording failed' },
			] as const, 'recordingStatus');
			const r = await kit.run('Updating recording status', (c, o) => updateRecordingStatus(c, callId, { status }, o)).catch((e: unknown) => kit.markGoneOn404(callId, e));
			return kit.report(kit.operationResult(callId, `Recording status ${status}`, r), r.body);
		}),

		registerCommand('graphCalls.call.changeScreenSharingRole', async (node?: unknown) => {
			const callId = await kit.pickCall(node, 'Change screen sharing role');
			const role = await kit.pickOne('Screen sharing role', [
				{ value: 'viewer', label: 'viewer' },
				{ value: 'sharer', label: 'sharer' },
			] as const, 'role');
			const r = await kit.run('Changing screen sharing role', (c, o) => changeScreenSharingRole(c, callId, { role }, o)).catch((e: unknown) => kit.markGoneOn404(callId, e));
			kit.report(`Screen sharing role of call ${callId} set to ${role} (${r.status}).`);
		}),

		registerCommand('graphCalls.call.addLargeGalleryView', async (node?: unknown) => {
			const callId = await kit.pickCall(node, 'Add large gallery view');
			const r = await kit.run('Adding large gallery view', (c, o) => addLargeGalleryView(c, callId, {}, o)).catch((e: unknown) => kit.markGoneOn404(callId, e));
			return kit.report(kit.operationResult(callId, 'Add large gallery view', r), r.body);
		}),
	];
}
