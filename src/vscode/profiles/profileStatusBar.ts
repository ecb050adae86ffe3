import * as vscode from 'vscode';
import { Disposable } from '../../core/lifecycle';
import { CLOUDS } from '../../core/auth/clouds';
import type { TenantProfile } from '../../core/auth/tenantProfile';
import type { ProfileStore } from './profileStore';

/** The status bar item that names the active profile; clicking it switches profiles. */
export class ProfileStatusBar extends Disposable {
	readonly item: vscode.StatusBarItem;

	constructor(private readonly store: ProfileStore) {
		super();
		this.item = this._register(vscode.window.createStatusBarItem('graphCalls.activeProfile', vscode.StatusBarAlignment.Left, 50));
		this.item.name = 'Graph Calls: Active Profile';
		this._register(store.onDidChangeActive(() => this.render()));
		this._register(store.onDidChange(() => this.render()));
		this.render();
		this.item.show();
	}

	private render(): void {
		const p = this.store.active;
		if (!p) {
			const none = this.store.list().length === 0;
			this.item.text = '$(plug) Graph Calls: no profile';
			this.item.tooltip = none ? 'No tenant profile yet: use the local emulator or add a tenant profile.' : 'Choose the profile Graph Calls uses.';
			this.item.command = none ? 'graphCalls.emulator.start' : 'graphCalls.profile.switch';
			return;
		}
		this.item.text = `${p.emulator ? '$(beaker)' : '$(organization)'} ${p.name}`;
		this.item.tooltip = tooltipOf(p);
		this.item.command = 'graphCalls.profile.switch';
	}
}

export function tooltipOf(p: TenantProfile): vscode.MarkdownString {
	const md = new vscode.MarkdownString(undefined, true);
	md.appendMarkdown(`**Graph Calls profile: ${escape(p.name)}**\n\n`);
	md.appendMarkdown(p.emulator ? `Local emulator at ${escape(p.emulator.graphHost)}\n\n` : `${escape(CLOUDS[p.cloud].label)}\n\n`);
	md.appendMarkdown(`Tenant ${escape(p.tenantId)} · App ${escape(p.clientId)} · ${p.apiVersion} · ${p.credentialKind === 'secret' ? 'client secret' : 'certificate'}\n\n`);
	md.appendMarkdown('Click to switch profile.');
	return md;
}

function escape(s: string): string {
	return s.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}
