import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { writePrivateTempFile } from '../../core/files/privateTempFile';
import { recordToJson, redactSecrets, type DeliveryOutcome, type NotificationRecord } from '../../core/callbacks/notificationRecord';
import { ActionableError, commandAction } from '../shared/actionableError';
import type { Commands } from '../shared/commands';
import type { QuickPickItemWithData, UserInput } from '../shared/userInput';
import type { CallbackServices } from './callbackServices';
import type { NotificationNode } from './notificationsTreeProvider';

const REPLAY_FILE = /^notification-(n\d+)\.replay\.json$/;

function recordOf(services: CallbackServices, node: unknown): NotificationRecord | undefined {
	const id = (node as NotificationNode | undefined)?.recordId;
	return typeof id === 'string' ? services.pipeline.history.get(id) : undefined;
}

async function pickRecord(services: CallbackServices, input: UserInput, node: unknown, title: string): Promise<NotificationRecord> {
	const fromNode = recordOf(services, node);
	if (fromNode) return fromNode;
	const records = services.pipeline.history.list({ callId: services.tree.filter }).slice(0, 200);
	if (!records.length) throw new ActionableError('No notifications received yet.', 'Start the callback receiver and make or receive a call.');
	const items: QuickPickItemWithData<NotificationRecord>[] = records.map((r) => ({
		label: `${new Date(r.receivedAt).toLocaleTimeString(undefined, { hour12: false })} ${r.summaries[0]?.changeType ?? r.method} ${r.summaries[0]?.resourceUrl ?? r.path}`,
		description: `${r.responseStatus}${r.summaries[0]?.state ? ` ${r.summaries[0].state}` : ''}${r.valid ? '' : ' invalid'}`,
		data: r,
	}));
	return (await input.showQuickPick(items, { title, placeHolder: 'Pick a notification', step: 'notification' })).data;
}

async function openJson(value: unknown): Promise<vscode.TextEditor> {
	const doc = await vscode.workspace.openTextDocument({ language: 'json', content: JSON.stringify(value, null, 2) });
	return vscode.window.showTextDocument(doc, { preview: true });
}

function report(commands: Commands, outcome: DeliveryOutcome): void {
	if (outcome.status !== undefined) void commands.report(`Replayed to ${outcome.target}: the bot answered ${outcome.status} in ${outcome.durationMs} ms.`);
	else throw new ActionableError(outcome.error ?? 'The replay failed.', undefined, [commandAction('Configure Relay Target', 'graphCalls.relay.configure')]);
}

export function registerCallbackCommands(services: CallbackServices, commands: Commands, input: () => UserInput): vscode.Disposable[] {
	const { pipeline } = services;
	/** The edited-notification files this window wrote: only those are sent by "Send Edited Notification". */
	const replayFiles = new Set<string>();
	return [
		commands.register('graphCalls.receiver.start', async () => {
			const url = await services.start();
			const active = services.deps.profiles.active;
			const hint = active && !active.emulator && !services.deps.configuration.current.callbackUrl && !active.callbackUrl ? ` Graph cannot reach 127.0.0.1: forward a tunnel to port ${new URL(url).port} and set "graphCalls.callbackUrl" to its https URL.` : '';
			void commands.report(`Callback receiver listening at ${url}.${hint}`);
			return url;
		}),
		commands.register('graphCalls.receiver.stop', async () => {
			await pipeline.stop();
			services.deps.log.info('Callback receiver stopped.');
		}),
		commands.register('graphCalls.receiver.copyUrl', async () => {
			const url = pipeline.url;
			if (!url) throw new ActionableError('The callback receiver is not running.', undefined, [commandAction('Start Callback Receiver', 'graphCalls.receiver.start')]);
			await vscode.env.clipboard.writeText(url);
			void commands.report(`Copied ${url}`);
		}),
		commands.register('graphCalls.receiver.relaxValidation', async () => {
			const profile = services.deps.profiles.active;
			if (!profile) throw new Error('No active profile: choose a profile first; validation is relaxed per profile.');
			const configuration = services.deps.configuration;
			const list = configuration.current.relaxValidationFor;
			const relaxed = list.includes(profile.name) || list.includes(profile.id);
			if (relaxed) {
				await configuration.updateGlobal('relaxValidationFor', list.filter((n) => n !== profile.name && n !== profile.id));
				void commands.report(`Callback token validation is enforced again for "${profile.name}".`);
				return;
			}
			await input().showWarningMessage(
				`Relax callback token validation for "${profile.name}"? Notifications with forged, expired or missing tokens will be accepted (still marked invalid). Anyone who can reach the receiver could then drive your calls tree. Use it only to debug.`,
				{ modal: true },
				'Relax Validation',
			);
			await configuration.updateGlobal('relaxValidationFor', [...list, profile.name]);
		}),
		commands.register('graphCalls.notifications.openJson', async (node?: unknown) => {
			const record = await pickRecord(services, input(), node, 'Open notification as JSON');
			const index = (node as NotificationNode | undefined)?.index;
			const json = recordToJson(record) as Record<string, unknown>;
			await openJson(index !== undefined ? { ...json, body: redactSecrets(record.notifications[index]) } : json);
		}),
		commands.register('graphCalls.notifications.filter', async (node?: unknown) => {
			let callId = (node as NotificationNode | undefined)?.callId;
			if (!callId) {
				const ids = pipeline.history.callIds();
				const items: QuickPickItemWithData<string | undefined>[] = [{ label: 'All calls', data: undefined }, ...ids.map((id) => ({ label: id, data: id }))];
				callId = (await input().showQuickPick(items, { title: 'Show notifications for', placeHolder: ids.length ? 'Pick a call' : 'No call ids in the notifications yet', step: 'filter' })).data;
			}
			services.tree.setFilter(callId);
		}),
		commands.register('graphCalls.notifications.clearFilter', () => services.tree.setFilter(undefined)),
		commands.register('graphCalls.notifications.clear', () => pipeline.history.clear()),
		commands.register('graphCalls.notifications.export', async () => {
			if (!pipeline.history.size) throw new Error('There are no notifications to export yet.');
			const filter = services.tree.filter;
			const uri = await input().showSaveDialog({
				title: 'Export notifications as JSON',
				filters: { JSON: ['json'] },
				defaultUri: vscode.Uri.file(path.join(os.homedir(), `graph-notifications-${new Date().toISOString().replace(/[:.]/g, '-')}.json`)),
			});
			await vscode.workspace.fs.writeFile(uri, Buffer.from(pipeline.history.toJson({ callId: filter }), 'utf8'));
			void commands.report(`Exported ${pipeline.history.list({ callId: filter }).length} notifications (tokens redacted) to ${uri.fsPath}.`);
			return uri;
		}),
		commands.register('graphCalls.relay.configure', async () => {
			const current = services.deps.configuration.current.relayTarget;
			const value = (await input().showInputBox({
				title: 'Relay notifications to your bot',
				prompt: 'Your bot\'s calling endpoint: every accepted notification is forwarded there unchanged, with its headers. Leave empty to stop relaying.',
				value: current || 'http://localhost:5000/api/calling',
				validateInput: (v) => {
					if (!v.trim()) return undefined;
					try {
						const u = new URL(v.trim());
						return u.protocol === 'http:' || u.protocol === 'https:' ? undefined : 'Use an http or https URL.';
					} catch {
						return 'Enter an absolute URL such as http://localhost:5000/api/calling.';
					}
				},
				step: 'relayTarget',
			})).trim();
			await services.deps.configuration.updateGlobal('relayTarget', value);
			pipeline.relay.target = value || undefined;
			void commands.report(value ? `Relaying accepted notifications to ${value}.` : 'Relay turned off.');
		}),
		commands.register('graphCalls.notifications.replay', async (node?: unknown) => {
			const record = await pickRecord(services, input(), node, 'Replay notification to the relay target');
			if (!pipeline.relay.target) {
				await vscode.commands.executeCommand('graphCalls.relay.configure');
				if (!pipeline.relay.target) return undefined;
			}
			const how = await input().showQuickPick(
				[
					{ label: 'Send as captured', description: `to ${pipeline.relay.target}`, data: 'asIs' as const },
					{ label: 'Edit, then send', description: 'opens the body in an editor; send it with the editor\'s Send button', data: 'edit' as const },
				],
				{ title: 'Replay notification', step: 'replayMode' },
			);
			if (how.data === 'asIs') {
				const outcome = await pipeline.replay(record);
				report(commands, outcome);
				return outcome;
			}
			let body = record.body;
			try {
				body = JSON.stringify(JSON.parse(record.body), null, 2);
			} catch {
				// Keep malformed bodies as they came: replaying them is a legitimate test.
			}
			// A private place: another local user cannot plant a symlink there or read the body (recording tokens included).
			const file = await writePrivateTempFile('graph-calls-replay', `notification-${record.id}.replay.json`, body);
			replayFiles.add(file);
			const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
			await vscode.window.showTextDocument(doc);
			void commands.report('Edit the notification, then click "Send Edited Notification" in the editor title bar.');
			return doc.uri;
		}),
		commands.register('graphCalls.notifications.sendEdited', async (uri?: vscode.Uri) => {
			const target = uri instanceof vscode.Uri ? uri : vscode.window.activeTextEditor?.document.uri;
			const m = target ? REPLAY_FILE.exec(path.basename(target.fsPath)) : null;
			if (!target || !m || !replayFiles.has(target.fsPath)) throw new Error('Open a notification with "Replay Notification" → "Edit, then send" first; this sends that editor\'s text.');
			const record = pipeline.history.get(m[1]);
			if (!record) throw new Error(`Notification ${m[1]} is no longer in the history (it was cleared), so its headers are gone. Replay another one.`);
			const doc = await vscode.workspace.openTextDocument(target);
			const text = doc.getText();
			try {
				JSON.parse(text);
			} catch (err) {
				throw new ActionableError(`The edited notification is not valid JSON (${(err as Error).message}).`, 'Fix it and send again.');
			}
			const outcome = await pipeline.replay(record, text);
			report(commands, outcome);
			return outcome;
		}),
	];
}
