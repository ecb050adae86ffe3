import * as vscode from 'vscode';
import type { TenantProfile } from '../../core/auth/tenantProfile';
import { getCall, listParticipants, type GraphSender } from '../../core/graph/calls';
import { GraphError } from '../../core/graph/graphError';
import type { CallResource } from '../../core/schema/types';
import type { CallsServices } from './callsServices';
import type { NodeTarget } from './callsTreeModel';
import type { QuickPickItemWithData, UserInput } from '../shared/userInput';
import { registerCommand } from '../shared/registerCommand';

export interface TreeCommandDeps {
	readonly calls: CallsServices;
	readonly input: () => UserInput;
	readonly log: Pick<vscode.LogOutputChannel, 'info'>;
	/** The active profile's Graph client; throws an actionable error when there is no profile. */
	readonly client: () => GraphSender;
	readonly activeProfile: () => TenantProfile | undefined;
	/** Where the emulator should send an incoming call's notifications (the callback receiver), if known. */
	readonly callbackUri?: (profile: TenantProfile) => string | undefined;
}

/** What the last tree command reported, for the extension-host tests. */
export const treeCommandResults: { lastResult?: string } = {};

function report(deps: TreeCommandDeps, message: string): void {
	treeCommandResults.lastResult = message;
	deps.log.info(message);
	void vscode.window.showInformationMessage(message);
}

function asTarget(node: unknown): NodeTarget | undefined {
	const n = node as Partial<NodeTarget> | undefined;
	return n && typeof n.callId === 'string' ? { callId: n.callId, participantId: n.participantId, operationId: n.operationId } : undefined;
}

/** The node's call, else a QuickPick of the calls in the view. */
async function pickCall(deps: TreeCommandDeps, node: unknown, title: string, filter: (ended: boolean) => boolean = () => true): Promise<NodeTarget> {
	const target = asTarget(node);
	if (target) return target;
	const calls = deps.calls.store.list().filter((e) => filter(e.ended));
	if (!calls.length) throw new Error('There are no calls in the Calls view yet. Create a call, or track an existing one by id (Graph Calls: Track Existing Call).');
	const items: QuickPickItemWithData<string>[] = calls.map((e) => ({
		label: deps.calls.model.view(deps.calls.model.callNode(e.callId)!).label,
		description: e.call.state ?? 'state unknown',
		detail: e.callId,
		data: e.callId,
	}));
	const picked = await deps.input().showQuickPick(items, { title, placeHolder: 'Pick a call', step: 'call' });
	return { callId: picked.data };
}

/**
 * GET the call as typed; notifications spell ids upper-case without dashes, so a 404 for 32 hex digits is retried
 * in the dashed lower-case form the API uses. No GUID validation: other shapes are sent as they are.
 */
async function getByAnySpelling(client: GraphSender, id: string): Promise<CallResource> {
	try {
		return (await getCall(client, id)).body;
	} catch (err) {
		const hex = /^[0-9a-f]{32}$/i.test(id) ? id.toLowerCase() : undefined;
		if (!(err instanceof GraphError && err.status === 404) || !hex) throw err;
		const dashed = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
		return (await getCall(client, dashed)).body;
	}
}

export function registerTreeCommands(deps: TreeCommandDeps): vscode.Disposable {
	const { calls } = deps;
	return vscode.Disposable.from(
		registerCommand('graphCalls.calls.refresh', async (node?: unknown) => {
			const target = asTarget(node);
			if (!calls.store.list().length) return;
			await vscode.window.withProgress({ location: { viewId: 'graphCalls.calls' } }, () => calls.poller.refresh(target?.callId));
		}),

		registerCommand('graphCalls.calls.track', async () => {
			let id = (
				await deps.input().showInputBox({
					title: 'Track Existing Call',
					prompt: 'The call id: from a create response (id or Location), a notification\'s resourceUrl, or your bot\'s log. Any casing, with or without dashes.',
					validateInput: (v) => (v.trim() === '' ? 'Enter a call id.' : /[/?#\s]/.test(v.trim()) ? 'Enter the id only, without slashes or spaces.' : undefined),
					step: 'callId',
				})
			).trim();
			const client = deps.client();
			let call: CallResource;
			try {
				call = await getByAnySpelling(client, id);
			} catch (err) {
				if (err instanceof GraphError && err.status === 404) {
					const profile = deps.activeProfile()?.name ?? 'the active profile';
					throw Object.assign(new Error(`No call ${id} exists for ${profile}.`), {
						explanation: 'It may have ended already, or belong to another app or profile. Check the id and the active profile, then track it again.',
					});
				}
				throw err;
			}
			// Track under the id the service answers to, so later GETs and actions use it.
			id = call.id || id;
			calls.store.track(id);
			calls.store.applyCall({ ...call, id }, 'poll');
			try {
				const roster = (await listParticipants(client, id)).body?.value;
				if (roster) calls.store.applyParticipants(id, roster, 'poll');
			} catch {
				// The call is tracked; its roster follows with the next poll or notification.
			}
			report(deps, `Tracking call ${id} (${call.state ?? 'state unknown'}).`);
		}),

		registerCommand('graphCalls.calls.forget', async (node?: unknown) => {
			const { callId } = await pickCall(deps, node, 'Forget Call');
			calls.store.forget(callId);
			report(deps, `Call ${callId} removed from the Calls view (the call itself is not affected).`);
		}),

		registerCommand('graphCalls.calls.clearEnded', () => {
			const n = calls.store.clearEnded();
			report(deps, n ? `Cleared ${n} ended ${n === 1 ? 'call' : 'calls'}.` : 'No ended calls to clear.');
		}),

		registerCommand('graphCalls.calls.openJson', async (node?: unknown) => {
			const target = await pickCall(deps, node, 'Open Call as JSON');
			await calls.json.open(target);
		}),

		registerCommand('graphCalls.calls.toggleKeepAlive', async (node?: unknown) => {
			const { callId } = await pickCall(deps, node, 'Toggle Automatic keepAlive', (ended) => !ended);
			const on = !calls.keepAlive.isEnabled(callId);
			calls.keepAlive.setEnabled(callId, on);
			const status = calls.keepAlive.status(callId);
			const next = status?.nextDueAt !== undefined ? ` Next one at ${new Date(status.nextDueAt).toLocaleTimeString()}.` : '';
			report(deps, on ? `Automatic keepAlive is on for call ${callId}.${next}` : `Automatic keepAlive is off for call ${callId}: Graph ends it with 408/8537 after 45 minutes without one.`);
		}),

		registerCommand('graphCalls.calls.simulateIncoming', async () => {
			const profile = deps.activeProfile();
			if (!profile?.emulator) {
				throw Object.assign(new Error('Simulating an incoming call needs the local emulator profile.'), {
					explanation: 'Switch to the Emulator profile (or start the emulator), then run the command again.',
					actions: [{ title: 'Use Local Emulator', run: () => vscode.commands.executeCommand('graphCalls.emulator.start') }],
				});
			}
			const client = deps.client();
			const control = profile.emulator.controlUrl;
			const directory = (await client.request<{ users?: { id: string; displayName: string }[]; phones?: { id: string; displayName: string }[] }>({ method: 'GET', url: `${control}/directory` })).body;
			const items: QuickPickItemWithData<{ userId?: string; phone?: string }>[] = [
				...(directory?.users ?? []).map((u) => ({ label: u.displayName, description: 'Teams user', detail: u.id, data: { userId: u.id } })),
				...(directory?.phones ?? []).map((p) => ({ label: p.displayName, description: `phone ${p.id}`, data: { phone: p.id } })),
			];
			if (!items.length) throw new Error('The emulator\'s directory has no users or phones to call from. Reset the emulator (its control API: POST /_emulator/reset) and try again.');
			const from = (await deps.input().showQuickPick(items, { title: 'Simulate Incoming Call', placeHolder: 'Who calls the bot?', step: 'caller' })).data;
			const callbackUri = deps.callbackUri?.(profile);
			const r = await client.request<{ callId: string; call: CallResource }>({ method: 'POST', url: `${control}/incomingCall`, body: { from, ...(callbackUri ? { callbackUri } : {}) } });
			const call = r.body?.call;
			if (call?.id) calls.store.applyCall(call, 'notification');
			const callId = r.body?.callId ?? call?.id ?? '';
			const message = `Incoming call ${callId}: answer, reject or redirect it within 15 s (the emulator ends it with 408/1106 otherwise).`;
			treeCommandResults.lastResult = message;
			deps.log.info(message);
			// Not awaited: the command is done; the buttons are a shortcut to the node's Answer and Reject.
			void vscode.window.showInformationMessage(message, 'Answer', 'Reject').then((choice) => {
				if (choice) void vscode.commands.executeCommand(choice === 'Answer' ? 'graphCalls.call.answer' : 'graphCalls.call.reject', { callId });
			});
		}),
	);
}
