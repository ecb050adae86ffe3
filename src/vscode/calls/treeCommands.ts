import * as vscode from 'vscode';
import type { TenantProfile } from '../../core/auth/tenantProfile';
import { GraphError } from '../../core/graph/graphError';
import type { CallResource } from '../../core/schema/types';
import type { ProfileStore } from '../profiles/profileStore';
import { ActionableError, commandAction } from '../shared/actionableError';
import type { Commands } from '../shared/commands';
import { nodeTargetOf } from '../shared/nodeTarget';
import type { QuickPickItemWithData, UserInput } from '../shared/userInput';
import type { CallCommandRunner } from './callCommandRunner';
import type { CallPickers } from './callPickers';
import type { LiveCalls } from './liveCalls';

export interface TreeCommandServices {
	readonly calls: LiveCalls;
	readonly runner: CallCommandRunner;
	readonly pick: CallPickers;
	readonly commands: Commands;
	readonly input: () => UserInput;
	readonly profiles: Pick<ProfileStore, 'active'>;
	/** Where the emulator should send an incoming call's notifications (the callback receiver), if known. */
	readonly callbackUri: (profile: TenantProfile) => string | undefined;
}

/** The Calls view's own commands: refresh, track, forget, clear, JSON, keepAlive, simulate an incoming call. */
export function registerTreeCommands(s: TreeCommandServices): vscode.Disposable {
	const { calls, commands } = s;
	const knownCall = async (node: unknown, title: string, filter?: (ended: boolean) => boolean) => nodeTargetOf(node) ?? { callId: await s.pick.pickCall(node, title, { knownOnly: true, filter }) };
	return vscode.Disposable.from(
		commands.register('graphCalls.calls.refresh', async (node?: unknown) => {
			const target = nodeTargetOf(node);
			if (!calls.store.list().length) return;
			await vscode.window.withProgress({ location: { viewId: 'graphCalls.calls' } }, () => calls.poller.refresh(target?.callId));
		}),

		commands.register('graphCalls.calls.track', async () => {
			const id = (
				await s.input().showInputBox({
					title: 'Track Existing Call',
					prompt: 'The call id: from a create response (id or Location), a notification\'s resourceUrl, or your bot\'s log. Any casing, with or without dashes.',
					validateInput: (v) => (v.trim() === '' ? 'Enter a call id.' : /[/?#\s]/.test(v.trim()) ? 'Enter the id only, without slashes or spaces.' : undefined),
					step: 'callId',
				})
			).trim();
			let call: CallResource;
			try {
				call = await s.runner.trackExisting(id);
			} catch (err) {
				if (err instanceof GraphError && err.status === 404) {
					const profile = s.profiles.active?.name ?? 'the active profile';
					throw new ActionableError(`No call ${id} exists for ${profile}.`, 'It may have ended already, or belong to another app or profile. Check the id and the active profile, then track it again.');
				}
				throw err;
			}
			void commands.report(`Tracking call ${call.id} (${call.state ?? 'state unknown'}).`);
		}),

		commands.register('graphCalls.calls.forget', async (node?: unknown) => {
			const { callId } = await knownCall(node, 'Forget Call');
			calls.store.forget(callId);
			void commands.report(`Call ${callId} removed from the Calls view (the call itself is not affected).`);
		}),

		commands.register('graphCalls.calls.clearEnded', () => {
			const n = calls.store.clearEnded();
			void commands.report(n ? `Cleared ${n} ended ${n === 1 ? 'call' : 'calls'}.` : 'No ended calls to clear.');
		}),

		commands.register('graphCalls.calls.openJson', async (node?: unknown) => {
			await calls.json.open(await knownCall(node, 'Open Call as JSON'));
		}),

		commands.register('graphCalls.calls.toggleKeepAlive', async (node?: unknown) => {
			const { callId } = await knownCall(node, 'Toggle Automatic keepAlive', (ended) => !ended);
			const on = !calls.keepAlive.isEnabled(callId);
			calls.keepAlive.setEnabled(callId, on);
			const status = calls.keepAlive.status(callId);
			const next = status?.nextDueAt !== undefined ? ` Next one at ${new Date(status.nextDueAt).toLocaleTimeString()}.` : '';
			void commands.report(on ? `Automatic keepAlive is on for call ${callId}.${next}` : `Automatic keepAlive is off for call ${callId}: Graph ends it with 408/8537 after 45 minutes without one.`);
		}),

		commands.register('graphCalls.calls.simulateIncoming', async () => {
			const profile = s.profiles.active;
			if (!profile?.emulator) {
				throw new ActionableError('Simulating an incoming call needs the local emulator profile.', 'Switch to the Emulator profile (or start the emulator), then run the command again.', [
					commandAction('Use Local Emulator', 'graphCalls.emulator.start'),
				]);
			}
			const control = profile.emulator.controlUrl;
			const directory = (await s.runner.send('Reading the emulator directory', (c, o) => c.request<{ users?: { id: string; displayName: string }[]; phones?: { id: string; displayName: string }[] }>({ method: 'GET', url: `${control}/directory`, ...o }))).body;
			const items: QuickPickItemWithData<{ userId?: string; phone?: string }>[] = [
				...(directory?.users ?? []).map((u) => ({ label: u.displayName, description: 'Teams user', detail: u.id, data: { userId: u.id } })),
				...(directory?.phones ?? []).map((p) => ({ label: p.displayName, description: `phone ${p.id}`, data: { phone: p.id } })),
			];
			if (!items.length) throw new Error('The emulator\'s directory has no users or phones to call from. Reset the emulator (its control API: POST /_emulator/reset) and try again.');
			const from = (await s.input().showQuickPick(items, { title: 'Simulate Incoming Call', placeHolder: 'Who calls the bot?', step: 'caller' })).data;
			const callbackUri = s.callbackUri(profile);
			const r = await s.runner.send('Ringing the bot', (c, o) => c.request<{ callId: string; call: CallResource }>({ method: 'POST', url: `${control}/incomingCall`, body: { from, ...(callbackUri ? { callbackUri } : {}) }, ...o }));
			const call = r.body?.call;
			if (call?.id) s.runner.noteIncoming(call);
			const callId = r.body?.callId ?? call?.id ?? '';
			// Not awaited: the command is done; the buttons are a shortcut to the node's Answer and Reject.
			void commands.report(`Incoming call ${callId}: answer, reject or redirect it within 15 s (the emulator ends it with 408/1106 otherwise).`, 'Answer', 'Reject').then((choice) => {
				if (choice) void vscode.commands.executeCommand(choice === 'Answer' ? 'graphCalls.call.answer' : 'graphCalls.call.reject', { callId });
			});
		}),
	);
}
