import * as vscode from 'vscode';
import type { NotificationHistory } from '../../core/callbacks/notificationHistory';
import type { NotificationSummary } from '../../core/callbacks/notificationParser';
import type { NotificationRecord } from '../../core/callbacks/notificationRecord';
import { Disposable } from '../../core/lifecycle';

/**
 * A row of the Notifications view. It carries `callId` (the tree-node contract), so call commands such as
 * graphCalls.call.answer work straight from a notification about an incoming call.
 */
export interface NotificationNode {
	readonly recordId: string;
	/** Index into record.notifications for the child rows of a POST with several items. */
	readonly index?: number;
	readonly callId?: string;
	readonly operationId?: string;
}

/** At most this many rows are drawn; the history keeps more and export writes them all. */
const MAX_ROWS = 500;

/** What the view shows: the history, optionally filtered to one call. Redraws are batched during floods. */
export class NotificationsTreeProvider extends Disposable implements vscode.TreeDataProvider<NotificationNode> {
	private readonly _onDidChangeTreeData = this._register(new vscode.EventEmitter<NotificationNode | undefined>());
	readonly onDidChangeTreeData = this._onDidChangeTreeData.event;
	private filterCallId: string | undefined;
	private pending: NodeJS.Timeout | undefined;

	constructor(private readonly history: NotificationHistory) {
		super();
		this._register(history.onDidChange(() => this.scheduleRefresh()));
		this._register({ dispose: () => clearTimeout(this.pending) });
	}

	get filter(): string | undefined {
		return this.filterCallId;
	}

	setFilter(callId: string | undefined): void {
		this.filterCallId = callId;
		void vscode.commands.executeCommand('setContext', 'graphCalls.notifications.filtered', !!callId);
		this.refresh();
	}

	refresh(): void {
		clearTimeout(this.pending);
		this.pending = undefined;
		this._onDidChangeTreeData.fire(undefined);
	}

	private scheduleRefresh(): void {
		this.pending ??= setTimeout(() => this.refresh(), 100);
	}

	/** The rows shown, newest first. */
	rows(): NotificationNode[] {
		return this.history.list({ callId: this.filterCallId }).slice(0, MAX_ROWS).map((r) => ({ recordId: r.id, callId: r.summaries[0]?.callId, operationId: r.summaries[0]?.operationId }));
	}

	getChildren(node?: NotificationNode): NotificationNode[] {
		if (!node) return this.rows();
		const record = this.history.get(node.recordId);
		if (!record || node.index !== undefined || record.summaries.length < 2) return [];
		return record.summaries.map((s, index) => ({ recordId: record.id, index, callId: s.callId, operationId: s.operationId }));
	}

	getTreeItem(node: NotificationNode): vscode.TreeItem {
		const record = this.history.get(node.recordId);
		if (!record) return new vscode.TreeItem('(cleared)');
		if (node.index !== undefined) return itemForSummary(record, record.summaries[node.index], node);
		const first = record.summaries[0];
		const multiple = record.summaries.length > 1;
		const item = first ? itemForSummary(record, first, node) : new vscode.TreeItem(`${time(record)}  ${record.method} ${record.path}`);
		item.id = record.id;
		if (multiple) {
			item.label = `${item.label as string}  (+${record.summaries.length - 1} more)`;
			item.collapsibleState = vscode.TreeItemCollapsibleState.Collapsed;
		}
		if (!first) {
			item.description = `${record.responseStatus}${record.reason ? ` ${shortReason(record.reason)}` : ''}`;
			item.tooltip = tooltip(record, undefined);
			item.iconPath = icon(record);
			item.contextValue = contextValue(record, undefined);
		}
		item.command = { command: 'graphCalls.notifications.openJson', title: 'Open as JSON', arguments: [node] };
		return item;
	}
}

function time(record: NotificationRecord): string {
	return new Date(record.receivedAt).toLocaleTimeString(undefined, { hour12: false });
}

/** The part of the resourceUrl after /communications/calls/, short enough for a row. */
function shortResource(url: string): string {
	return url.replace(/^.*?\/(communications|app)\/calls\//i, 'calls/');
}

function statusText(s: NotificationSummary): string {
	if (s.kind === 'operation') return [s.dataType?.replace('#microsoft.graph.', ''), s.operationStatus].filter(Boolean).join(' ');
	if (s.kind === 'participants') return `${s.participantCount ?? 0} participant(s)`;
	if (s.state) return s.state;
	return '';
}

/** The first clause of a reason, short enough for a row; the tooltip has all of it. */
function shortReason(reason: string): string {
	const first = reason.split(/[:;.](\s|$)/)[0];
	return first.length > 60 ? `${first.slice(0, 57)}...` : first;
}

function icon(record: NotificationRecord): vscode.ThemeIcon {
	if (!record.accepted) return new vscode.ThemeIcon('error', new vscode.ThemeColor('errorForeground'));
	if (!record.valid) return new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground'));
	return new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed'));
}

function contextValue(record: NotificationRecord, s: NotificationSummary | undefined): string {
	// notification:<state or kind>:<valid|invalid|rejected>, matched with regexes in package.json menus.
	const what = s?.state ?? s?.kind ?? 'unknown';
	const validity = !record.accepted ? 'rejected' : record.valid ? 'valid' : 'invalid';
	return `notification:${what}:${validity}`;
}

function itemForSummary(record: NotificationRecord, s: NotificationSummary, node: NotificationNode): vscode.TreeItem {
	const item = new vscode.TreeItem(`${time(record)}  ${s.changeType}  ${shortResource(s.resourceUrl)}`);
	const why = record.reason ? `: ${shortReason(record.reason)}` : '';
	const validity = !record.accepted ? `rejected ${record.responseStatus}${why}` : record.valid ? '' : `invalid (relaxed)${why}`;
	const relay = record.relay ? (record.relay.status !== undefined ? `→ bot ${record.relay.status} in ${record.relay.durationMs} ms` : '→ bot failed') : '';
	item.description = [statusText(s), validity, relay].filter(Boolean).join(' · ');
	item.iconPath = icon(record);
	item.contextValue = contextValue(record, s);
	item.tooltip = tooltip(record, s);
	if (node.index !== undefined) {
		item.id = `${record.id}/${node.index}`;
		item.command = { command: 'graphCalls.notifications.openJson', title: 'Open as JSON', arguments: [node] };
	}
	return item;
}

/**
 * Everything in a notification was written by whoever posted it, forged ones included: each piece of it goes in as
 * escaped text (appendText), so no link, image, HTML or command URI in a payload becomes live in the tooltip.
 */
function tooltip(record: NotificationRecord, s: NotificationSummary | undefined): vscode.MarkdownString {
	const md = new vscode.MarkdownString(undefined, true);
	md.isTrusted = false;
	md.supportHtml = false;
	const line = (icon: string | undefined, text: string) => {
		if (icon) md.appendMarkdown(`$(${icon}) `);
		md.appendText(text);
		md.appendMarkdown('  \n');
	};
	md.appendMarkdown('**');
	md.appendText(s ? `${s.changeType} ${s.resourceUrl}` : `${record.method} ${record.path}`);
	md.appendMarkdown('**\n\n');
	line(undefined, `Received ${new Date(record.receivedAt).toLocaleString()}, answered ${record.responseStatus}${record.profileName ? ` (profile ${record.profileName})` : ''}`);
	if (!record.accepted) line('error', `Rejected: ${record.reason ?? ''}`);
	else if (record.valid) line('pass', 'Token valid');
	else line('warning', `Token invalid, accepted because validation is relaxed: ${record.reason ?? ''}`);
	if (s?.resultInfo) line(undefined, `resultInfo ${s.resultInfo.code ?? ''}/${s.resultInfo.subcode ?? ''} ${s.resultInfo.message ?? ''}`);
	if (record.relay) line(undefined, record.relay.status !== undefined ? `Relayed to ${record.relay.target}: ${record.relay.status} in ${record.relay.durationMs} ms` : `Relay failed: ${record.relay.error ?? ''}`);
	for (const r of record.replays) line(undefined, `Replayed ${new Date(r.at).toLocaleTimeString()}: ${r.status ?? r.error ?? ''}`);
	for (const w of record.warnings) line('info', w);
	return md;
}
