/** The calls tree's node types and what a row shows, shared by the model, the provider and the commands. */
import type { Event } from '../../core/event';
import type { CallStore } from '../../core/calls/callStore';
import type { NodeTarget } from '../shared/nodeTarget';

export type { NodeTarget };

/** How many participants one page node holds: VS Code stays quick with a few hundred rows per level. */
export const PARTICIPANT_PAGE_SIZE = 100;

/** What a tree row shows, independent of the VS Code API. */
export interface NodeView {
	readonly id: string;
	readonly label: string;
	readonly description?: string;
	/** Markdown. */
	readonly tooltip?: string;
	/** A codicon id and an optional theme colour id. */
	readonly icon?: { readonly id: string; readonly color?: string };
	readonly contextValue: string;
	readonly collapsible: 'none' | 'collapsed' | 'expanded';
}

/** The part of a node commands receive: `{ callId, participantId?, operationId? }`. */
export type CallsTreeNode = ProfileNode | CallNode | ParticipantsNode | ParticipantPageNode | ParticipantNode | OperationsNode | OperationNode;

export class ProfileNode {
	readonly kind = 'profile';
	constructor(readonly profileName: string) {}
}
export class CallNode implements NodeTarget {
	readonly kind = 'call';
	constructor(readonly callId: string) {}
}
export class ParticipantsNode implements NodeTarget {
	readonly kind = 'participants';
	constructor(readonly callId: string) {}
}
export class ParticipantPageNode implements NodeTarget {
	readonly kind = 'participantPage';
	constructor(
		readonly callId: string,
		readonly page: number,
	) {}
}
export class ParticipantNode implements NodeTarget {
	readonly kind = 'participant';
	constructor(
		readonly callId: string,
		readonly participantId: string,
	) {}
}
export class OperationsNode implements NodeTarget {
	readonly kind = 'operations';
	constructor(readonly callId: string) {}
}
export class OperationNode implements NodeTarget {
	readonly kind = 'operation';
	constructor(
		readonly callId: string,
		readonly operationId: string,
	) {}
}

/** What the model reads about keepAlive and polling; both optional so the model works without them. */
export interface KeepAliveInfo {
	status(callId: string): { enabled: boolean; nextDueAt?: number; deadlineAt: number; lastFailure?: string; lastSentAt?: number } | undefined;
	isEnabled(callId: string): boolean;
	readonly onDidChange: Event<string>;
}
export interface PollInfo {
	nextPollAt(callId: string): number | undefined;
}

/** Lint findings of the traffic a call row stands for (the emulator's live traffic). */
export interface CallLintInfo {
	/** Findings about this call, most severe first. */
	forCall(callId: string): readonly { readonly rule: string; readonly severity: 'error' | 'warning' | 'info'; readonly message: string }[];
	readonly onDidChange: Event<void>;
}

export interface CallsTreeModelOptions {
	readonly store: CallStore;
	/** The active profile's display name; undefined when there is none (the welcome view shows instead). */
	readonly profileName: () => string | undefined;
	readonly keepAlive?: KeepAliveInfo;
	readonly poll?: PollInfo;
	readonly now?: () => number;
	/** Another app's call seen in the emulator's feed (a bot): its app's name; undefined for the extension's own. */
	readonly otherApp?: (callId: string) => string | undefined;
}
