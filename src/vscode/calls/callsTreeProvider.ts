import * as vscode from 'vscode';
import { Disposable } from '../../core/lifecycle';
import type { CallsTreeModel, CallsTreeNode, NodeView } from './callsTreeModel';

const COLLAPSIBLE: Record<NodeView['collapsible'], vscode.TreeItemCollapsibleState> = {
	none: vscode.TreeItemCollapsibleState.None,
	collapsed: vscode.TreeItemCollapsibleState.Collapsed,
	expanded: vscode.TreeItemCollapsibleState.Expanded,
};

/** Maps model nodes onto TreeItems; holds no call state of its own. */
export class CallsTreeProvider extends Disposable implements vscode.TreeDataProvider<CallsTreeNode> {
	private readonly _onDidChangeTreeData = this._register(new vscode.EventEmitter<CallsTreeNode | undefined>());
	readonly onDidChangeTreeData = this._onDidChangeTreeData.event;

	constructor(private readonly model: CallsTreeModel) {
		super();
		this._register(model.onDidChange((node) => this._onDidChangeTreeData.fire(node)));
	}

	getTreeItem(node: CallsTreeNode): vscode.TreeItem {
		return toTreeItem(this.model.view(node));
	}

	getChildren(node?: CallsTreeNode): CallsTreeNode[] {
		return this.model.getChildren(node);
	}

	getParent(node: CallsTreeNode): CallsTreeNode | undefined {
		return this.model.getParent(node);
	}
}

export function toTreeItem(v: NodeView): vscode.TreeItem {
	const item = new vscode.TreeItem(v.label, COLLAPSIBLE[v.collapsible]);
	item.id = v.id;
	item.description = v.description;
	item.contextValue = v.contextValue;
	if (v.tooltip) {
		const md = new vscode.MarkdownString(v.tooltip);
		md.supportThemeIcons = true;
		item.tooltip = md;
	}
	if (v.icon) item.iconPath = new vscode.ThemeIcon(v.icon.id, v.icon.color ? new vscode.ThemeColor(v.icon.color) : undefined);
	return item;
}

/**
 * Creates the Calls view. While it is visible, call rows are redrawn every 15 s so durations and keepAlive due
 * times stay current; hidden, nothing ticks.
 */
export interface CallsTreeView extends vscode.Disposable {
	selection(): readonly CallsTreeNode[];
	/** Shows and selects a call's row. */
	select(callId: string): Promise<void>;
}

export function createCallsTreeView(model: CallsTreeModel): CallsTreeView {
	const provider = new CallsTreeProvider(model);
	const view = vscode.window.createTreeView('graphCalls.calls', { treeDataProvider: provider, showCollapseAll: true });
	let ticker: ReturnType<typeof setInterval> | undefined;
	const setTicking = (on: boolean) => {
		if (on && !ticker) ticker = setInterval(() => model.tick(), 15_000);
		if (!on && ticker) {
			clearInterval(ticker);
			ticker = undefined;
		}
	};
	setTicking(view.visible);
	const sub = view.onDidChangeVisibility((e) => setTicking(e.visible));
	const disposable = vscode.Disposable.from(provider, view, sub, { dispose: () => setTicking(false) });
	return {
		dispose: () => disposable.dispose(),
		selection: () => view.selection,
		select: async (callId) => {
			const node = model.callNode(callId);
			if (node) await view.reveal(node, { select: true, focus: false });
		},
	};
}
