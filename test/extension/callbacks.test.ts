// The callback receiver inside a real extension host, against the emulator: an incoming call's notification appears
// in the Notifications view and is answered from its row; filter, Open as JSON and export work on the history;
// relay and replay (as captured and edited in an editor) reach a local bot; relaxing validation is loud.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { waitFor } from './support/waitFor';
import { request } from 'undici';
import type { TenantProfile } from '../../src/core/auth/tenantProfile';
import { startEmulator, type EmulatorHandle } from '../../src/core/emulator';
import type { GraphCallsApi } from '../../src/extension';
import type { NotificationNode } from '../../src/vscode/callbacks/notificationsTreeProvider';
import { startTestBot } from '../unit/callbacksTestServers';
import { getApi, restoreUserInput, scriptInput } from './support/api';

const ADELE = '0d5e1a6b-0001-4a00-8000-000000000001';
const LIDIA = '0d5e1a6b-0007-4a00-8000-000000000007';


describe('callback receiver (extension host, emulator)', function () {
	// Generous: on a loaded 2-core machine opening an editor or updating a setting in code-server takes seconds.
	this.timeout(90_000);
	let emu: EmulatorHandle;
	let api: GraphCallsApi;
	let profile: TenantProfile;

	const lastReplay = () => api.receiver.lastReplay;
	const rows = () => api.receiver.tree.rows();
	const item = (n: NotificationNode) => api.receiver.tree.getTreeItem(n);
	const incomingRow = (callId: string) => rows().find((n) => n.callId === callId && /^notification:incoming:valid$/.test(item(n).contextValue ?? ''));

	before(async () => {
		api = await getApi();
		emu = await startEmulator();
		profile = await api.profiles.add(
			{
				name: 'Receiver Emulator', cloud: 'global', tenantId: emu.tenantId, clientId: emu.clientId, credentialKind: 'secret', apiVersion: 'v1.0',
				emulator: { authority: emu.authority, graphHost: emu.baseUrl, caCertPem: emu.caCertPem, controlUrl: emu.controlUrl },
			},
			{ kind: 'secret', clientSecret: emu.clientSecret },
			{ activate: true },
		);
		await vscode.commands.executeCommand('graphCalls.notifications.focus');
	});

	after(async () => {
		await restoreUserInput();
		await vscode.workspace.getConfiguration('graphCalls').update('relay.target', undefined, vscode.ConfigurationTarget.Global);
		await vscode.workspace.getConfiguration('graphCalls').update('receiver.relaxValidation', undefined, vscode.ConfigurationTarget.Global);
		await vscode.commands.executeCommand('workbench.action.closeAllEditors');
		if (profile) await api.profiles.remove(profile.id);
		await emu?.stop();
	});

	it('starts the receiver for the emulator profile and shows it in the status bar', async () => {
		await waitFor('the receiver to start for the emulator profile', () => api.receiver.inspector.isRunning);
		const url = api.receiver.inspector.url!;
		assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/api\/calling$/);
		assert.equal(api.receiver.callbackUri(profile), url, 'the emulator gets the receiver URL as callbackUri');
		assert.match(api.receiver.statusBar.item.text, new RegExp(`Receiver :${new URL(url).port}`));
	});

	it('answers an incoming emulator call from its notification', async () => {
		const callId = emu.incomingCall({ userId: ADELE }, api.receiver.inspector.url);
		const node = await waitFor('the incoming-call notification row', () => incomingRow(callId));
		assert.match(String(item(node).description), /incoming/);
		assert.equal(api.callStore.get(callId)?.call.state, 'incoming', 'the notification reached the CallStore');
		api.commandContext.lastError = undefined;
		await vscode.commands.executeCommand('graphCalls.call.answer', node);
		assert.equal(api.commandContext.lastError, undefined);
		await waitFor('the call to be established', () => api.callStore.get(callId)?.call.state === 'established');
		await waitFor('the established notification row', () => rows().some((n) => n.callId === callId && /^notification:established:valid$/.test(item(n).contextValue ?? '')));
	});

	it('filters by call, opens a notification as JSON without its token, and exports the history', async () => {
		const other = emu.incomingCall({ userId: LIDIA }, api.receiver.inspector.url);
		const node = await waitFor('the second incoming call', () => incomingRow(other));
		await vscode.commands.executeCommand('graphCalls.notifications.filter', node);
		assert.equal(api.receiver.tree.filter, other);
		assert.ok(rows().length >= 1 && rows().every((n) => n.callId === other), 'only that call is shown');

		await vscode.commands.executeCommand('graphCalls.notifications.openJson', node);
		const text = vscode.window.activeTextEditor?.document.getText() ?? '';
		const json = JSON.parse(text);
		assert.equal(json.headers.authorization, 'Bearer <redacted>');
		assert.equal(json.body.value[0].resourceData.state, 'incoming');
		assert.equal(json.valid, true);

		const file = path.join(os.tmpdir(), `graph-notifications-${process.pid}.json`);
		const input = await scriptInput({ kind: 'saveDialog', uri: vscode.Uri.file(file) });
		await vscode.commands.executeCommand('graphCalls.notifications.export');
		input.assertAllUsed();
		const exported = JSON.parse(fs.readFileSync(file, 'utf8'));
		assert.ok(exported.length >= 1 && exported.every((r: { body: { value: { resourceUrl: string }[] } }) => r.body.value[0].resourceUrl.includes(other)));
		assert.ok(!fs.readFileSync(file, 'utf8').includes(emu.emulator.webhooks.tokenFor(emu.clientId, emu.tenantId)), 'no token in the export');
		fs.rmSync(file, { force: true });
		await vscode.commands.executeCommand('graphCalls.notifications.clearFilter');
		assert.equal(api.receiver.tree.filter, undefined);
	});

	it('relays to a local bot and replays a notification as captured and after editing it', async () => {
		const bot = await startTestBot(200);
		try {
			let input = await scriptInput({ kind: 'inputBox', value: `${bot.url}/api/calling` });
			await vscode.commands.executeCommand('graphCalls.relay.configure');
			input.assertAllUsed();
			assert.equal(vscode.workspace.getConfiguration('graphCalls').get('relay.target'), `${bot.url}/api/calling`);

			const callId = emu.incomingCall({ userId: ADELE }, api.receiver.inspector.url);
			const node = await waitFor('the relayed incoming call', () => incomingRow(callId));
			const record = api.receiver.inspector.history.get(node.recordId)!;
			await waitFor('the relay outcome', () => record.relay?.status === 200);
			assert.ok(bot.received.some((b) => b.body === record.body && /^Bearer /.test(String(b.headers.authorization))));
			assert.match(String(item(node).description), /bot 200/);

			input = await scriptInput({ kind: 'quickPick', pick: /Send as captured/ });
			await vscode.commands.executeCommand('graphCalls.notifications.replay', node);
			input.assertAllUsed();
			assert.equal(lastReplay()?.status, 200);
			assert.equal(bot.received[bot.received.length - 1].body, record.body);

			input = await scriptInput({ kind: 'quickPick', pick: /Edit, then send/ });
			const uri = await vscode.commands.executeCommand<vscode.Uri>('graphCalls.notifications.replay', node);
			input.assertAllUsed();
			const doc = await vscode.workspace.openTextDocument(uri);
			const edit = new vscode.WorkspaceEdit();
			edit.replace(uri, new vscode.Range(0, 0, doc.lineCount, 0), doc.getText().replace('"incoming"', '"terminated"'));
			assert.ok(await vscode.workspace.applyEdit(edit));
			api.receiver.lastReplay = undefined;
			await vscode.commands.executeCommand('graphCalls.notifications.sendEdited', uri);
			assert.equal(lastReplay()?.status, 200, api.commandContext.lastError);
			assert.match(bot.received[bot.received.length - 1].body, /"terminated"/);
			assert.equal(record.replays.length, 2);
		} finally {
			await vscode.workspace.getConfiguration('graphCalls').update('relay.target', undefined, vscode.ConfigurationTarget.Global);
			await bot.close();
		}
	});

	it('rejects a forged notification, shows it as rejected, and accepts it only once validation is relaxed (loudly)', async () => {
		const body = JSON.stringify({ value: [{ changeType: 'updated', resourceUrl: '/communications/calls/forged-call', resourceData: { state: 'established' } }] });
		const post = () => request(api.receiver.inspector.url!, { method: 'POST', body, headers: { 'content-type': 'application/json', authorization: 'Bearer a.b.c' } });
		const res = await post();
		assert.equal(res.statusCode, 401);
		await res.body.dump();
		const rejected = await waitFor('the rejected row', () => rows().find((n) => n.callId === 'forged-call'));
		assert.equal(item(rejected).contextValue, 'notification:established:rejected');
		assert.equal(api.callStore.get('forged-call'), undefined);

		const input = await scriptInput({ kind: 'warning', choose: 'Relax Validation' });
		await vscode.commands.executeCommand('graphCalls.receiver.relaxValidation');
		input.assertAllUsed();
		assert.ok(input.asked[0].name.includes('Receiver Emulator'));
		await waitFor('the status bar warning', () => api.receiver.statusBar.item.text.includes('$(warning)'));
		const relaxed = await post();
		assert.equal(relaxed.statusCode, 202);
		await relaxed.body.dump();
		await waitFor('the relaxed notification in the store', () => api.callStore.get('forged-call'));

		await vscode.commands.executeCommand('graphCalls.receiver.relaxValidation');
		await waitFor('the status bar back to normal', () => !api.receiver.statusBar.item.text.includes('$(warning)'));
	});

	it('explains a missing callback URL for a real tenant, and stops the receiver', async () => {
		const tenant = { ...profile, name: 'Contoso', emulator: undefined, callbackUrl: undefined };
		assert.throws(() => api.receiver.callbackUri(tenant), (e: Error & { explanation?: string }) => /Contoso/.test(e.message) && /graphCalls\.callbackUrl/.test(e.explanation ?? ''));
		await vscode.commands.executeCommand('graphCalls.receiver.stop');
		assert.equal(api.receiver.inspector.isRunning, false);
		assert.match(api.receiver.statusBar.item.text, /Receiver off/);
		await vscode.commands.executeCommand('graphCalls.receiver.start');
		assert.equal(api.receiver.inspector.isRunning, true);
	});
});
