/**
 * The calls tree as a model: nodes, their labels, icons, tooltips and contextValues, and change events that
 * name the one node to redraw. It does not import 'vscode' (the provider in callsTreeProvider.ts maps these
 * views onto TreeItems), so unit tests exercise it directly.
 */
import { Disposable } from '../../core/lifecycle';
import { Emitter, type Event } from '../../core/event';
import type { CallEntry, CallStore, OperationEntry } from '../../core/calls/callStore';
import type { ParticipantResource } from '../../core/schema/types';
import { code, lintTooltip, md, shortId } from './callsTreeText';
import { explainResultInfo } from '../../core/calls/resultInfoText';
import { idKey } from '../../core/calls/mergeRules';
import {
	callDuration,
	formatDuration,
	formatRelative,
	isBotMuted,
	isOnHold,
	isRecording,
	mediaStreamsText,
	otherParty,
	participantName,
	participantRole,
	selfParticipant,
} from '../../core/calls/callDescription';
import {
	PARTICIPANT_PAGE_SIZE, NodeView, CallsTreeNode, ProfileNode, CallNode, ParticipantsNode, ParticipantPageNode, ParticipantNode, OperationsNode, OperationNode, KeepAliveInfo, CallsTreeModelOptions,
	type CallLintInfo, type NodeTarget,
} from './callsTreeNodes';

export { PARTICIPANT_PAGE_SIZE, NodeView, CallsTreeNode, ProfileNode, CallNode, ParticipantsNode, ParticipantPageNode, ParticipantNode, OperationsNode, OperationNode, KeepAliveInfo, PollInfo, CallsTreeModelOptions } from './callsTreeNodes';
export type { CallLintInfo, NodeTarget } from './callsTreeNodes';

/** Codicon and theme colour per call state. */
const STATE_ICONS: Readonly<Record<string, { id: string; color?: string }>> = {
	incoming: { id: 'call-incoming', color: 'charts.blue' },
	notifying: { id: 'call-incoming', color: 'charts.blue' },
	establishing: { id: 'loading~spin', color: 'charts.yellow' },
	ringing: { id: 'bell', color: 'charts.yellow' },
	established: { id: 'pass-filled', color: 'charts.green' },
	hold: { id: 'debug-pause', color: 'charts.orange' },
	transferring: { id: 'arrow-swap', color: 'charts.purple' },
	transferaccepted: { id: 'arrow-swap', color: 'charts.purple' },
	redirecting: { id: 'arrow-swap', color: 'charts.purple' },
	terminating: { id: 'loading~spin', color: 'charts.red' },
	terminated: { id: 'circle-slash', color: 'disabledForeground' },
};
const UNKNOWN_ICON = { id: 'question', color: 'descriptionForeground' };

export class CallsTreeModel extends Disposable {
	private readonly _onDidChange = this._register(new Emitter<CallsTreeNode | undefined>());
	/** The node to redraw with its subtree; undefined redraws everything. */
	readonly onDidChange: Event<CallsTreeNode | undefined> = this._onDidChange.event;

	private readonly store: CallStore;
	private lint: CallLintInfo | undefined;
	private readonly now: () => number;
	private profileNode: ProfileNode | undefined;
	/** Node instances are kept so change events name the same objects the view holds. */
	private readonly callNodes = new Map<string, { call: CallNode; participants: ParticipantsNode; operations: OperationsNode; pages: ParticipantPageNode[]; signature?: string }>();
	private readonly participantNodes = new Map<string, ParticipantNode>();
	private readonly operationNodes = new Map<string, OperationNode>();
	/** The bot's own participant id per call: finding it can scan the whole roster, so not once per row. */
	private readonly selfIds = new Map<string, { call: CallEntry['call']; roster: CallEntry['participants']; version: number; id: string | undefined }>();

	constructor(private readonly options: CallsTreeModelOptions) {
		super();
		this.store = options.store;
		this.now = options.now ?? Date.now;
		this._register(this.store.onDidChange((e) => {
			if (e.callId === undefined || e.kind === 'added' || e.kind === 'removed') {
				if (e.kind === 'removed' && e.callId) this.dropCall(e.callId);
				if (e.kind === 'reset') {
					// Another profile's calls: none of the cached nodes can be shown again.
					this.callNodes.clear();
					this.participantNodes.clear();
					this.operationNodes.clear();
				}
				this.fireRoot();
				return;
			}
			const nodes = this.nodesOf(e.callId);
			if (e.call) {
				this._onDidChange.fire(nodes.call);
				return;
			}
			// A roster or operation change redraws only that group, unless the call row's own text depends on it
			// (the bot muted or recording): no full rebuild per notification, even with 1,000 participants.
			const entry = this.store.get(e.callId);
			if (entry && this.callSignature(entry) !== nodes.signature) {
				this._onDidChange.fire(nodes.call);
				return;
			}
			if (e.participants) this._onDidChange.fire(nodes.participants);
			if (e.operations) this._onDidChange.fire(nodes.operations);
		}));
		if (options.keepAlive) {
			this._register(options.keepAlive.onDidChange((callId) => {
				if (this.store.get(callId)) this._onDidChange.fire(this.nodesOf(callId).call);
			}));
		}
	}

	/**
	 * Shows lint findings on call rows from now on (the lint of the emulator's traffic starts after the view). A
	 * change redraws only the rows whose findings changed.
	 */
	showLint(lint: CallLintInfo): void {
		this.lint = lint;
		const shown = new Map<string, string>();
		this._register(lint.onDidChange(() => {
			for (const e of this.store.list()) {
				const signature = lint.forCall(e.callId).map((f) => f.rule).join(',');
				if ((shown.get(e.callId) ?? '') === signature) continue;
				shown.set(e.callId, signature);
				this._onDidChange.fire(this.nodesOf(e.callId).call);
			}
		}));
	}

	/** The profile changed (name or active profile): redraw everything. */
	refreshAll(): void {
		this.fireRoot();
	}

	/** Durations and due times move with the clock: redraw the rows of calls not yet ended. */
	tick(): void {
		for (const e of this.store.list()) if (!e.ended && e.establishedAt !== undefined) this._onDidChange.fire(this.nodesOf(e.callId).call);
	}

	getChildren(node?: CallsTreeNode): CallsTreeNode[] {
		if (!node) {
			const name = this.options.profileName();
			// No calls: an empty tree lets the "no calls" welcome content show.
			if (!name || this.store.list().length === 0) return [];
			if (this.profileNode?.profileName !== name) this.profileNode = new ProfileNode(name);
			return [this.profileNode];
		}
		switch (node.kind) {
			case 'profile':
				return this.store.list().map((e) => this.nodesOf(e.callId).call);
			case 'call': {
				const entry = this.store.get(node.callId);
				if (!entry) return [];
				const nodes = this.nodesOf(node.callId);
				const out: CallsTreeNode[] = [];
				if (entry.participants.size) out.push(nodes.participants);
				if (entry.operations.size) out.push(nodes.operations);
				return out;
			}
			case 'participants': {
				const entry = this.store.get(node.callId);
				if (!entry) return [];
				if (entry.participants.size <= PARTICIPANT_PAGE_SIZE) return this.participantChildren(entry, 0, entry.participants.size);
				const nodes = this.nodesOf(node.callId);
				const pages = Math.ceil(entry.participants.size / PARTICIPANT_PAGE_SIZE);
				while (nodes.pages.length < pages) nodes.pages.push(new ParticipantPageNode(entry.callId, nodes.pages.length));
				return nodes.pages.slice(0, pages);
			}
			case 'participantPage': {
				const entry = this.store.get(node.callId);
				if (!entry) return [];
				return this.participantChildren(entry, node.page * PARTICIPANT_PAGE_SIZE, (node.page + 1) * PARTICIPANT_PAGE_SIZE);
			}
			case 'operations': {
				const entry = this.store.get(node.callId);
				if (!entry) return [];
				// Newest first: the operation just started is the one being watched.
				return [...entry.operations.values()].reverse().map((o) => this.operationNode(entry.callId, o.operation.id));
			}
			default:
				return [];
		}
	}

	/** The node a command receives is also what "reveal" needs: parents for each node kind. */
	getParent(node: CallsTreeNode): CallsTreeNode | undefined {
		switch (node.kind) {
			case 'profile':
				return undefined;
			case 'call':
				return this.profileNode;
			case 'participants':
			case 'operations':
				return this.nodesOf(node.callId).call;
			case 'participantPage':
				return this.nodesOf(node.callId).participants;
			case 'participant': {
				const entry = this.store.get(node.callId);
				if (!entry || entry.participants.size <= PARTICIPANT_PAGE_SIZE) return this.nodesOf(node.callId).participants;
				const index = [...entry.participants.keys()].indexOf(idKey(node.participantId));
				return this.nodesOf(node.callId).pages[Math.max(0, Math.floor(index / PARTICIPANT_PAGE_SIZE))];
			}
			case 'operation':
				return this.nodesOf(node.callId).operations;
		}
	}

	/** The node of a call, for "reveal". */
	callNode(callId: string): CallNode | undefined {
		return this.store.get(callId) ? this.nodesOf(callId).call : undefined;
	}

	view(node: CallsTreeNode): NodeView {
		switch (node.kind) {
			case 'profile':
				return this.profileView(node);
			case 'call':
				return this.callView(node);
			case 'participants':
				return this.participantsView(node);
			case 'participantPage':
				return this.pageView(node);
			case 'participant':
				return this.participantView(node);
			case 'operations':
				return this.operationsView(node);
			case 'operation':
				return this.operationView(node);
		}
	}

	/** The latest resource behind a node, for "Open as JSON". */
	resourceOf(target: NodeTarget): unknown {
		const entry = this.store.get(target.callId);
		if (!entry) return undefined;
		if (target.participantId) return entry.participants.get(idKey(target.participantId));
		if (target.operationId) return entry.operations.get(idKey(target.operationId))?.operation;
		return entry.call;
	}

	private fireRoot(): void {
		this._onDidChange.fire(undefined);
	}

	private nodesOf(callId: string) {
		const key = idKey(callId);
		let nodes = this.callNodes.get(key);
		if (!nodes) {
			const id = this.store.get(callId)?.callId ?? callId;
			nodes = { call: new CallNode(id), participants: new ParticipantsNode(id), operations: new OperationsNode(id), pages: [] };
			this.callNodes.set(key, nodes);
		}
		return nodes;
	}

	private dropCall(callId: string): void {
		const key = idKey(callId);
		this.callNodes.delete(key);
		this.selfIds.delete(key);
		for (const map of [this.participantNodes, this.operationNodes] as Map<string, unknown>[]) {
			for (const k of map.keys()) if (k.startsWith(`${key}/`)) map.delete(k);
		}
	}

	private participantChildren(entry: CallEntry, from: number, to: number): ParticipantNode[] {
		const out: ParticipantNode[] = [];
		let i = 0;
		for (const p of entry.participants.values()) {
			if (i >= to) break;
			if (i >= from) {
				const key = `${idKey(entry.callId)}/${idKey(p.id)}`;
				let n = this.participantNodes.get(key);
				if (!n) this.participantNodes.set(key, (n = new ParticipantNode(entry.callId, p.id)));
				out.push(n);
			}
			i++;
		}
		return out;
	}

	private operationNode(callId: string, operationId: string): OperationNode {
		const key = `${idKey(callId)}/${idKey(operationId)}`;
		let n = this.operationNodes.get(key);
		if (!n) this.operationNodes.set(key, (n = new OperationNode(callId, operationId)));
		return n;
	}

	private profileView(node: ProfileNode): NodeView {
		const active = this.store.activeCount;
		const total = this.store.list().length;
		return {
			id: 'profile',
			label: node.profileName,
			description: `${active} active${total > active ? `, ${total - active} ended` : ''}`,
			tooltip: `**Profile ${md(node.profileName)}**\n\nCalls this window knows for the profile: created here, announced by notifications, or tracked by id. Graph has no "list calls" endpoint.`,
			icon: { id: 'organization' },
			contextValue: 'profile',
			collapsible: 'expanded',
		};
	}

	/** The parts of a call row that roster changes can alter; compared to decide whether the row needs a redraw. */
	private callSignature(entry: CallEntry): string {
		return `${isBotMuted(entry)}|${isRecording(entry)}|${entry.participants.size > 0}|${entry.operations.size > 0}`;
	}

	private callView(node: CallNode): NodeView {
		const entry = this.store.get(node.callId);
		if (!entry) return { id: `call/${idKey(node.callId)}`, label: node.callId, contextValue: 'call:unknown', collapsible: 'none' };
		this.nodesOf(node.callId).signature = this.callSignature(entry);
		const call = entry.call;
		const state = call.state ?? 'unknown';
		const now = this.now();
		const muted = isBotMuted(entry);
		const recording = isRecording(entry);
		const direction = call.direction ?? (entry.origin === 'notification' && state === 'incoming' ? 'incoming' : entry.origin === 'created' ? 'outgoing' : undefined);
		const keep = this.options.keepAlive?.status(entry.callId);
		const keepOn = this.options.keepAlive?.isEnabled(entry.callId) ?? false;
		const duration = callDuration(entry, now);
		const ended = explainResultInfo(call.resultInfo);

		const bot = this.options.otherApp?.(entry.callId);
		const parts: string[] = bot ? [`bot: ${bot}`, state] : [state];
		if (entry.ended && ended) parts.push(ended);
		if (direction) parts.push(direction);
		if (duration !== undefined) parts.push(formatDuration(duration));
		if (muted) parts.push('muted');
		if (recording) parts.push('recording');
		if (!entry.ended && keep) parts.push(keep.nextDueAt !== undefined ? `keepAlive ${formatRelative(keep.nextDueAt, now)}` : 'keepAlive off');
		const findings = this.lint?.forCall(entry.callId) ?? [];
		if (findings.length) parts.push(`${findings.length} lint finding${findings.length === 1 ? '' : 's'}`);

		const flags = ['call', state, muted ? 'muted' : 'unmuted', direction ?? 'unknownDirection'];
		if (recording) flags.push('recording');
		flags.push(keepOn ? 'keepAliveOn' : 'keepAliveOff');
		if (entry.ended) flags.push('ended');
		if (bot) flags.push('bot');
		if (findings.length) flags.push('lint');
		const stateIcon = STATE_ICONS[state.toLowerCase()] ?? UNKNOWN_ICON;

		return {
			id: `call/${idKey(entry.callId)}`,
			label: otherParty(call) ?? call.subject ?? `Call ${shortId(entry.callId)}`,
			description: parts.join(' · '),
			tooltip: this.callTooltip(entry, { state, direction, muted, recording, duration, keep, ended, now }) + lintTooltip(findings),
			icon: bot ? { id: 'robot', color: stateIcon.color } : stateIcon,
			contextValue: flags.join(':'),
			collapsible: entry.participants.size || entry.operations.size ? 'collapsed' : 'none',
		};
	}

	private callTooltip(
		entry: CallEntry,
		v: { state: string; direction?: string; muted: boolean; recording: boolean; duration?: number; keep?: ReturnType<KeepAliveInfo['status']>; ended?: string; now: number },
	): string {
		const call = entry.call;
		const lines: string[] = [`**${md(otherParty(call) ?? 'Call')}** · ${md(v.state)}`, ''];
		const row = (k: string, val: string | undefined) => {
			if (val) lines.push(`- ${k}: ${val}`);
		};
		row('Call id', code(entry.callId));
		row('Direction', v.direction);
		row('Subject', call.subject ? md(call.subject) : undefined);
		row('Duration', v.duration !== undefined ? formatDuration(v.duration) : undefined);
		row('Bot muted', v.muted ? 'yes' : undefined);
		row('Recording', v.recording ? 'yes' : undefined);
		row('Participants', entry.participants.size ? entry.participants.size.toLocaleString('en-US') : undefined);
		row('Modalities', call.requestedModalities?.join(', '));
		row('Ended', v.ended ? md(v.ended) : undefined);
		row('Known from', { created: 'a create or answer response', notification: 'a notification', tracked: 'tracked by id', restored: 'a previous session' }[entry.origin]);
		row('Last notification', entry.lastNotificationAt ? new Date(entry.lastNotificationAt).toISOString() : 'none yet');
		const nextPoll = this.options.poll?.nextPollAt(entry.callId);
		row('Next poll', nextPoll !== undefined ? formatRelative(nextPoll, v.now) : undefined);
		if (v.keep) {
			row('keepAlive', v.keep.nextDueAt !== undefined ? `next ${formatRelative(v.keep.nextDueAt, v.now)}` : 'automatic keepAlive off');
			row('Times out (408/8537)', `${formatRelative(v.keep.deadlineAt, v.now)} without a keepAlive`);
			row('Last keepAlive error', v.keep.lastFailure ? md(v.keep.lastFailure) : undefined);
		}
		if (entry.stateHistory.length) row('States', entry.stateHistory.map((h) => md(h.state)).join(' → '));
		return lines.join('\n');
	}

	private participantsView(node: ParticipantsNode): NodeView {
		const n = this.store.get(node.callId)?.participants.size ?? 0;
		return {
			id: `call/${idKey(node.callId)}/participants`,
			label: `Participants (${n.toLocaleString('en-US')})`,
			icon: { id: 'organization' },
			contextValue: 'participants',
			collapsible: n > PARTICIPANT_PAGE_SIZE ? 'collapsed' : 'expanded',
		};
	}

	private pageView(node: ParticipantPageNode): NodeView {
		const n = this.store.get(node.callId)?.participants.size ?? 0;
		const from = node.page * PARTICIPANT_PAGE_SIZE + 1;
		const to = Math.min(n, (node.page + 1) * PARTICIPANT_PAGE_SIZE);
		return {
			id: `call/${idKey(node.callId)}/participants/page/${node.page}`,
			label: `${from.toLocaleString('en-US')}–${to.toLocaleString('en-US')}`,
			icon: { id: 'list-unordered' },
			contextValue: 'participantPage',
			collapsible: 'collapsed',
		};
	}

	private participantView(node: ParticipantNode): NodeView {
		const entry = this.store.get(node.callId);
		const p = entry?.participants.get(idKey(node.participantId));
		const id = `call/${idKey(node.callId)}/participant/${idKey(node.participantId)}`;
		if (!entry || !p) return { id, label: node.participantId, description: 'left the call', contextValue: 'participant:gone', collapsible: 'none' };
		const self = this.selfIdOf(entry) === p.id;
		const role = participantRole(p, entry.call);
		const hold = isOnHold(p);
		const streams = mediaStreamsText(p);
		const parts = [role, p.isMuted ? 'muted' : undefined, hold ? 'on hold' : undefined, p.isInLobby ? 'in lobby' : undefined, streams].filter((s): s is string => !!s);
		const flags = ['participant', p.isMuted ? 'muted' : 'unmuted'];
		if (hold) flags.push('onHold');
		if (p.isInLobby) flags.push('inLobby');
		if (self) flags.push('self');
		flags.push(entry.ended ? 'callEnded' : 'callActive');
		return {
			id,
			label: participantName(p),
			description: parts.join(' · '),
			tooltip: this.participantTooltip(p, { role, hold, streams, self }),
			icon: self ? { id: 'hubot' } : p.isInLobby ? { id: 'clock', color: 'charts.yellow' } : hold ? { id: 'debug-pause', color: 'charts.orange' } : p.isMuted ? { id: 'mute', color: 'descriptionForeground' } : { id: 'unmute', color: 'charts.green' },
			contextValue: flags.join(':'),
			collapsible: 'none',
		};
	}

	private selfIdOf(entry: CallEntry): string | undefined {
		const key = idKey(entry.callId);
		const hit = this.selfIds.get(key);
		if (hit && hit.call === entry.call && hit.roster === entry.participants && hit.version === entry.rosterVersion) return hit.id;
		const id = selfParticipant(entry)?.id;
		this.selfIds.set(key, { call: entry.call, roster: entry.participants, version: entry.rosterVersion, id });
		return id;
	}

	private participantTooltip(p: ParticipantResource, v: { role?: string; hold: boolean; streams?: string; self: boolean }): string {
		const lines = [`**${md(participantName(p))}**${v.self ? ' (this bot)' : ''}`, ''];
		lines.push(`- Participant id: ${code(p.id)}`);
		if (v.role) lines.push(`- Role: ${md(v.role)}`);
		lines.push(`- Muted: ${p.isMuted ? 'yes' : 'no'}`);
		if (v.hold) lines.push('- On hold');
		if (p.isInLobby) lines.push('- In the lobby');
		if (v.streams) lines.push(`- Media: ${md(v.streams)}`);
		if (p.recordingInfo?.recordingStatus) lines.push(`- Recording: ${md(p.recordingInfo.recordingStatus)}`);
		if (p.metadata) lines.push(`- Metadata: ${code(p.metadata)}`);
		return lines.join('\n');
	}

	private operationsView(node: OperationsNode): NodeView {
		const ops = [...(this.store.get(node.callId)?.operations.values() ?? [])];
		const running = ops.filter((o) => !o.finished).length;
		return {
			id: `call/${idKey(node.callId)}/operations`,
			label: `Operations (${ops.length})`,
			description: running ? `${running} running` : undefined,
			icon: { id: 'pulse' },
			contextValue: 'operations',
			collapsible: 'collapsed',
		};
	}

	private operationView(node: OperationNode): NodeView {
		const o: OperationEntry | undefined = this.store.get(node.callId)?.operations.get(idKey(node.operationId));
		const id = `call/${idKey(node.callId)}/operation/${idKey(node.operationId)}`;
		if (!o) return { id, label: node.operationId, contextValue: 'operation:gone', collapsible: 'none' };
		const op = o.operation;
		const type = operationType(op['@odata.type']);
		const status = op.status ? String(op.status) : o.finished ? 'finished' : 'unknown';
		const result = explainResultInfo(op.resultInfo);
		const lower = status.toLowerCase();
		const icon = lower === 'failed' ? { id: 'error', color: 'charts.red' } : lower === 'completed' || o.finished ? { id: 'check', color: 'charts.green' } : lower === 'running' ? { id: 'loading~spin' } : { id: 'circle-outline' };
		const lines = [`**${md(type)}** · ${md(status)}`, '', `- Operation id: ${code(op.id)}`];
		if (op.clientContext) lines.push(`- clientContext: ${code(op.clientContext)}`);
		if (result) lines.push(`- Result: ${md(result)}`);
		return {
			id,
			label: type,
			description: [status, op.clientContext ?? undefined, result].filter((s): s is string => !!s).join(' · '),
			tooltip: lines.join('\n'),
			icon,
			contextValue: `operation:${lower}${o.finished ? ':finished' : ':running'}`,
			collapsible: 'none',
		};
	}
}

/** "#microsoft.graph.playPromptOperation" → "playPrompt". */
export function operationType(odataType: string | undefined): string {
	const m = /([A-Za-z]+?)Operation$/.exec(odataType ?? '');
	return m ? m[1].charAt(0).toLowerCase() + m[1].slice(1) : 'operation';
}
