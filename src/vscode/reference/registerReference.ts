import * as vscode from 'vscode';
import type { ApiVersionName } from '../../core/schema/endpoints';
import type { Commands } from '../shared/commands';
import type { UserInput } from '../shared/userInput';
import { HttpPermissionHints } from './httpPermissionHints';
import { ReferencePanel } from './referencePanel';
import { RolesTracker, type ActiveProfileSource } from './rolesTracker';

export interface PermissionReferenceDeps {
	readonly extensionUri: vscode.Uri;
	readonly log: vscode.LogOutputChannel;
	readonly input: () => UserInput;
	readonly commands: Commands;
	/** The profile store once it exists; without one the reference shows no granted/missing marks. */
	readonly profiles: () => ActiveProfileSource | undefined;
}

/** The permission reference webview, its commands, and the permission hover and diagnostics for `.http` files. */
export function registerPermissionReference(context: Pick<vscode.ExtensionContext, 'subscriptions'>, deps: PermissionReferenceDeps): void {
	const roles = new RolesTracker(deps.profiles);
	const panel = new ReferencePanel({ extensionUri: deps.extensionUri, roles, input: deps.input, log: deps.log });
	const defaultVersion = (): ApiVersionName => deps.profiles()?.active?.apiVersion ?? 'v1.0';
	const hints = new HttpPermissionHints(roles, defaultVersion);
	context.subscriptions.push(
		roles,
		panel,
		hints,
		deps.commands.register('graphCalls.reference.open', () => panel.show()),
		deps.commands.register('graphCalls.reference.refresh', () => panel.refresh()),
		deps.commands.register('graphCalls.reference.exportJson', () => panel.export('json')),
		deps.commands.register('graphCalls.reference.exportCsv', () => panel.export('csv')),
	);
}
