import * as vscode from 'vscode';
import type { CallbackPipeline } from '../../core/callbacks/callbackPipeline';
import { Disposable } from '../../core/lifecycle';

/** The receiver's status bar item: off, listening on a port, or listening with relaxed validation (loud). */
export class NotificationsStatusBar extends Disposable {
	readonly item: vscode.StatusBarItem;

	constructor(private readonly pipeline: CallbackPipeline, private readonly relaxedFor: () => string | undefined, onDidChange: vscode.Event<unknown>[]) {
		super();
		this.item = this._register(vscode.window.createStatusBarItem('graphCalls.receiver', vscode.StatusBarAlignment.Left, 49));
		this.item.name = 'Graph Calls: Callback Receiver';
		this._register(pipeline.onDidChangeState(() => this.update()));
		for (const e of onDidChange) this._register(e(() => this.update()));
		this.update();
		this.item.show();
	}

	update(): void {
		const url = this.pipeline.url;
		const relaxed = this.relaxedFor();
		if (!url) {
			this.item.text = '$(debug-disconnect) Receiver off';
			this.item.tooltip = 'Graph Calls callback receiver is stopped. Click to start it.';
			this.item.command = 'graphCalls.receiver.start';
			this.item.backgroundColor = undefined;
			return;
		}
		const port = new URL(url).port;
		const relay = this.pipeline.relay.target;
		this.item.text = `${relaxed ? '$(warning)' : '$(radio-tower)'} Receiver :${port}${relay ? ' $(arrow-right) bot' : ''}`;
		this.item.tooltip = new vscode.MarkdownString(
			[`Callback receiver listening at \`${url}\``, relay ? `Relaying to \`${relay}\`` : 'No relay target', relaxed ? `**Validation relaxed for profile "${relaxed}": invalid tokens are accepted.**` : 'Tokens are validated.', 'Click to show the notifications.'].join('  \n'),
		);
		this.item.command = 'graphCalls.notifications.focus';
		this.item.backgroundColor = relaxed ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
	}
}
