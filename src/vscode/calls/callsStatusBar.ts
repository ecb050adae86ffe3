import * as vscode from 'vscode';
import { Disposable } from '../../core/lifecycle';
import type { Event } from '../../core/event';
import type { CallStore } from '../../core/calls/callStore';

/** " · $(call-outgoing) 2 calls", or nothing when no call is active. */
export function callCountSuffix(active: number): string {
	if (active <= 0) return '';
	return ` · $(call-outgoing) ${active} ${active === 1 ? 'call' : 'calls'}`;
}

/**
 * Adds the count of active calls to the status bar item that names the active profile (the profiles feature
 * owns that item and redraws it on profile events; this redraws after it and on every call change), so the
 * status bar has one item for both. Without a profile item it shows its own.
 */
export class CallsStatusBar extends Disposable {
	readonly item: vscode.StatusBarItem;
	private suffix = '';
	private baseTooltip: string | vscode.MarkdownString | undefined;
	private ownTooltip: vscode.MarkdownString | undefined;

	constructor(
		private readonly store: CallStore,
		profileItem: vscode.StatusBarItem | undefined,
		/** Events after which the profile item has redrawn itself (subscribed after its own listeners). */
		redrawn: readonly Event<unknown>[],
	) {
		super();
		if (profileItem) {
			this.item = profileItem;
		} else {
			this.item = this._register(vscode.window.createStatusBarItem('graphCalls.activeCalls', vscode.StatusBarAlignment.Left, 49));
			this.item.name = 'Graph Calls: Active Calls';
			this.item.command = 'graphCalls.calls.focus';
		}
		for (const e of redrawn) this._register(e(() => this.render()));
		this._register(store.onDidChange(() => this.render()));
		this.render();
	}

	render(): void {
		const active = this.store.activeCount;
		const text = this.item.text;
		const base = this.suffix && text.endsWith(this.suffix) ? text.slice(0, -this.suffix.length) : text;
		this.suffix = callCountSuffix(active);
		this.item.text = base + this.suffix;

		// The profile item replaces its tooltip on each redraw; otherwise the last one it set is still the base.
		if (this.item.tooltip !== this.ownTooltip || this.ownTooltip === undefined) this.baseTooltip = this.item.tooltip;
		const total = this.store.list().length;
		const line = `${active} active ${active === 1 ? 'call' : 'calls'}${total > active ? `, ${total - active} ended` : ''} in the Calls view.`;
		const md = new vscode.MarkdownString(undefined, true);
		if (typeof this.baseTooltip === 'string') md.appendText(this.baseTooltip);
		else if (this.baseTooltip) md.appendMarkdown(this.baseTooltip.value);
		md.appendMarkdown(`${this.baseTooltip ? '\n\n' : ''}${line}`);
		this.ownTooltip = md;
		this.item.tooltip = md;
		if (this.item.text.trim() === '') this.item.hide();
		else this.item.show();
	}
}
