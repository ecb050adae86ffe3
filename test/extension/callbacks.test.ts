// The callback receiver inside a real extension host, against the bundled emulator: an incoming call's notification
// is received (notifications.list(), what the Notifications view shows) and answered from its row; filter, Open as
// JSON and export work on the history; relay and replay (as captured and edited in an editor) reach a local bot;
// relaxing validation is loud. The status bar item and the rows' looks are checked in test/e2e/workbench.test.ts.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { waitFor } from './support/waitFor';
import { request } from 'undici';
import type { GraphCallsApi } from '../../src/api';
import type { NotificationRecord, DeliveryOutcome } from '../../src/core/callbacks/notificationRecord';
import type { CallResource } from '../../src/core/schema/types';
import type { TenantProfile } from '../../src/core/auth/tenantProfile';
import { startTestBot } from '../unit/callbacksTestServers';
import { assertSucceeded, describeRun, getApi, restoreUserInput, runCommand, scriptInput, stopEmulator, useEmulatorProfile } from './support/api';
import { closeControlAgents, incomingCall } from './support/emulatorControl';

const ADELE = '0d5e1a6b-0001-4a00-8000-000000000001';
const LIDIA = '0d5e1a6b-0007-4a00-8000-000000000007';
const JWT = /eyJ[\w-]+\.eyJ[\w-]+\.[\w-]+/;

describe('callback receiver (extension host, emulator)', function () {
	// Generous: on a loaded 2-core machine opening an editor or updating a setting in code-server takes seconds.
	this.timeout(90_000);
	let api: GraphCallsApi;
	let profile: TenantProfile;

	const records = () => api.notifications.list();
	const stateOf = (r: NotificationRecord) => r.summaries[0]?.state;
	const aboutCall = (r: NotificationRecord, callId: string) => r.summaries.some((s) => s.callId?.toLowerCase() === callId.toLowerCase());
	/** Whether one of the record's notifications (the emulator batches them per callback) puts the call in `state`. */
	const callIn = (r: NotificationRecord, callId: string, state: string) => r.summaries.some((s) => s.callId?.toLowerCase() === callId.toLowerCase() && s.state === state);
	const incomingRecord = (callId: string) => records().find((r) => callIn(r, callId, 'incoming') && r.valid && r.accepted);
	/** The argument the Notifications view passes for a row: the record, and the call of the notification picked. */
	const nodeOf = (r: NotificationRecord, callId = r.summaries[0]?.callId) => ({ recordId: r.id, callId });
	const receiverUrl = () => {
		assert.ok(api.notifications.receiverUrl, 'the receiver runs');
		return api.notifications.receiverUrl;
	};

	before(async () => {
		api = await getApi();
		profile = await useEmulatorProfile(api);
		await vscode.commands.executeCommand('graphCalls.notifications.focus');
	});

	after(async () => {
		await restoreUserInput();
		await vscode.workspace.getConfiguration('graphCalls').update('relay.target', undefined, vscode.ConfigurationTarget.Global);
		await vscode.workspace.getConfiguration('graphCalls').update('receiver.relaxValidation', undefined, vscode.ConfigurationTarget.Global);
		await vscode.commands.executeCommand('workbench.action.closeAllEditors');
		await stopEmulator(api);
		await closeControlAgents();
	});

	it('starts the receiver for the emulator profile, whose calls get its URL as callbackUri', async () => {
		const url = await waitFor('the receiver to start for the emulator profile', () => api.notifications.receiverUrl);
		assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/api\/calling$/);
		const input = await scriptInput({ kind: 'quickPick', pick: /Teams user/ }, { kind: 'quickPick', pick: 'Adele Vance' });
		const created = assertSucceeded(await runCommand<CallResource>('graphCalls.call.create'));
		input.assertAllUsed();
		const sent = api.requests.list().filter((e) => e.action === 'call.create').at(-1);
		assert.ok(sent, 'the create request is in the session\'s requests');
		const body = (typeof sent.requestBody === 'string' ? JSON.parse(sent.requestBody) : sent.requestBody) as { callbackUri?: string };
		assert.equal(body.callbackUri, url, 'the emulator gets the receiver URL as callbackUri');
		await vscode.commands.executeCommand('graphCalls.call.hangUp', { callId: created!.id });
	});

	it('answers an incoming emulator call from its notification', async () => {
		const received: NotificationRecord[] = [];
		const sub = api.notifications.onDidReceive((r) => received.push(r));
		try {
			const callId = await incomingCall(api, { userId: ADELE }, receiverUrl());
			const record = await waitFor('the incoming-call notification', () => incomingRecord(callId));
			assert.ok(received.includes(record) || received.some((r) => r.id === record.id), 'onDidReceive fired for it');
			assert.equal(api.calls.get(callId)?.call.state, 'incoming', 'the notification reached the Calls view');
			const run = await runCommand('graphCalls.call.answer', nodeOf(record, callId));
			assert.ok(!run.failed, describeRun(run));
			await waitFor('the call to be established', () => api.calls.get(callId)?.call.state === 'established');
			await waitFor('the established notification', () => records().some((r) => callIn(r, callId, 'established') && r.valid && r.accepted));
		} finally {
			sub.dispose();
		}
	});

	it('filters by call, opens a notification as JSON without its token, and exports the history', async () => {
		const other = await incomingCall(api, { userId: LIDIA }, receiverUrl());
		const record = await waitFor('the second incoming call', () => incomingRecord(other));
		assertSucceeded(await runCommand('graphCalls.notifications.filter', nodeOf(record, other)));

		assertSucceeded(await runCommand('graphCalls.notifications.openJson', nodeOf(record, other)));
		const text = vscode.window.activeTextEditor?.document.getText() ?? '';
		const json = JSON.parse(text);
		assert.equal(json.headers.authorization, 'Bearer <redacted>');
		const ofOther = (json.body.value as { resourceUrl: string; resourceData?: { state?: string } }[]).filter((v) => v.resourceUrl.toLowerCase().includes(other.toLowerCase()));
		assert.deepEqual(ofOther.map((v) => v.resourceData?.state), ['incoming'], 'the incoming call\'s notification, as posted');
		assert.equal(json.valid, true);
		assert.doesNotMatch(text, JWT, 'no token');

		// The export writes what the view shows: with the filter on, only that call.
		const file = path.join(os.tmpdir(), `graph-notifications-${process.pid}.json`);
		const input = await scriptInput({ kind: 'saveDialog', uri: vscode.Uri.file(file) });
		assertSucceeded(await runCommand('graphCalls.notifications.export'));
		input.assertAllUsed();
		const exportedText = fs.readFileSync(file, 'utf8');
		const exported = JSON.parse(exportedText);
		assert.ok(exported.length >= 1 && exported.every((r: { body: { value: { resourceUrl: string }[] } }) => r.body.value.some((v) => v.resourceUrl.includes(other))), 'only that call is shown');
		assert.doesNotMatch(exportedText, JWT, 'no token in the export');
		fs.rmSync(file, { force: true });

		assertSucceeded(await runCommand('graphCalls.notifications.clearFilter'));
		await scriptInput({ kind: 'saveDialog', uri: vscode.Uri.file(file) });
		assertSucceeded(await runCommand('graphCalls.notifications.export'));
		const all = JSON.parse(fs.readFileSync(file, 'utf8')) as { body: { value: { resourceUrl: string }[] } }[];
		assert.ok(all.some((r) => !r.body.value.some((v) => v.resourceUrl.includes(other))), 'without the filter every call is shown again');
		fs.rmSync(file, { force: true });
	});

	it('relays to a local bot and replays a notification as captured and after editing it', async () => {
		const bot = await startTestBot(200);
		try {
			let input = await scriptInput({ kind: 'inputBox', value: `${bot.url}/api/calling` });
			assertSucceeded(await runCommand('graphCalls.relay.configure'));
			input.assertAllUsed();
			assert.equal(vscode.workspace.getConfiguration('graphCalls').get('relay.target'), `${bot.url}/api/calling`);

			const callId = await incomingCall(api, { userId: ADELE }, receiverUrl());
			const record = await waitFor('the relayed incoming call', () => incomingRecord(callId));
			await waitFor('the relay outcome', () => records().find((r) => r.id === record.id)?.relay?.status === 200);
			assert.ok(bot.received.some((b) => b.body === record.body && /^Bearer /.test(String(b.headers.authorization))));

			input = await scriptInput({ kind: 'quickPick', pick: /Send as captured/ });
			const asIs = await runCommand<DeliveryOutcome>('graphCalls.notifications.replay', nodeOf(record));
			input.assertAllUsed();
			assert.equal(asIs.result?.status, 200, describeRun(asIs));
			assert.match(asIs.message, /the bot answered 200/);
			assert.equal(bot.received[bot.received.length - 1].body, record.body);

			input = await scriptInput({ kind: 'quickPick', pick: /Edit, then send/ });
			const uri = assertSucceeded(await runCommand<vscode.Uri>('graphCalls.notifications.replay', nodeOf(record)))!;
			input.assertAllUsed();
			// The body (recording tokens and all) sits where no other local user can plant or read it.
			assert.match(path.basename(path.dirname(uri.fsPath)), /^graph-calls-replay-[A-Za-z0-9]{6}$/, 'a fresh, unguessable directory');
			assert.equal(fs.statSync(path.dirname(uri.fsPath)).mode & 0o777, 0o700);
			assert.equal(fs.statSync(uri.fsPath).mode & 0o777, 0o600);
			const doc = await vscode.workspace.openTextDocument(uri);
			const edit = new vscode.WorkspaceEdit();
			edit.replace(uri, new vscode.Range(0, 0, doc.lineCount, 0), doc.getText().replace('"incoming"', '"terminated"'));
			assert.ok(await vscode.workspace.applyEdit(edit));
			const edited = await runCommand<DeliveryOutcome>('graphCalls.notifications.sendEdited', uri);
			assert.equal(edited.result?.status, 200, describeRun(edited));
			assert.match(bot.received[bot.received.length - 1].body, /"terminated"/);
			assert.equal(records().find((r) => r.id === record.id)?.replays.length, 2);
		} finally {
			await vscode.workspace.getConfiguration('graphCalls').update('relay.target', undefined, vscode.ConfigurationTarget.Global);
			await bot.close();
		}
	});

	it('rejects a forged notification, records it as rejected, and accepts it only once validation is relaxed (loudly)', async () => {
		const body = JSON.stringify({ value: [{ changeType: 'updated', resourceUrl: '/communications/calls/forged-call', resourceData: { state: 'established' } }] });
		const post = () => request(receiverUrl(), { method: 'POST', body, headers: { 'content-type': 'application/json', authorization: 'Bearer a.b.c' } });
		const res = await post();
		assert.equal(res.statusCode, 401);
		await res.body.dump();
		const rejected = await waitFor('the rejected record', () => records().find((r) => aboutCall(r, 'forged-call')));
		assert.equal(stateOf(rejected), 'established');
		assert.equal(rejected.valid, false);
		assert.equal(rejected.accepted, false, 'rejected');
		assert.equal(rejected.responseStatus, 401);
		assert.equal(api.calls.get('forged-call'), undefined);

		const input = await scriptInput({ kind: 'warning', choose: 'Relax Validation' });
		assertSucceeded(await runCommand('graphCalls.receiver.relaxValidation'));
		input.assertAllUsed();
		assert.ok(input.asked[0].name.includes(`"${profile.name}"`), input.asked[0].name);
		const relaxedList = () => vscode.workspace.getConfiguration('graphCalls').get<string[]>('receiver.relaxValidation', []);
		assert.ok(relaxedList().includes(profile.name), 'relaxed for the active profile (the status bar warns; see the e2e test)');
		const relaxed = await post();
		assert.equal(relaxed.statusCode, 202);
		await relaxed.body.dump();
		await waitFor('the relaxed notification in the Calls view', () => api.calls.get('forged-call'));
		const accepted = records().filter((r) => aboutCall(r, 'forged-call')).find((r) => r.accepted);
		assert.ok(accepted && accepted.valid === false && accepted.relaxed === true, 'accepted, still marked invalid');

		const back = await runCommand('graphCalls.receiver.relaxValidation');
		assert.match(back.message, /enforced again/);
		assert.ok(!relaxedList().includes(profile.name), 'validation is enforced again');
	});

	it('explains a missing callback URL for a real tenant, and stops and starts the receiver', async () => {
		// A tenant profile without a callback URL: Graph cannot reach 127.0.0.1, and the receiver says what to set.
		await scriptInput(
			{ kind: 'inputBox', value: 'Contoso (receiver test)' },
			{ kind: 'quickPick', pick: /^Global/ },
			{ kind: 'inputBox', value: '72f988bf-86f1-41af-91ab-2d7cd011db47' },
			{ kind: 'inputBox', value: '11111111-2222-3333-4444-555555555555' },
			{ kind: 'quickPick', pick: 'Client secret' },
			{ kind: 'inputBox', value: 'Tst8Q~receiver-test-secret' },
			{ kind: 'quickPick', pick: 'v1.0' },
			{ kind: 'inputBox', value: '' },
		);
		const tenant = assertSucceeded(await runCommand<TenantProfile>('graphCalls.profile.add'))!;
		try {
			assert.equal(api.profiles.active?.id, tenant.id);
			const started = await runCommand('graphCalls.receiver.start');
			assert.match(started.message, /Graph cannot reach 127\.0\.0\.1.*"graphCalls\.callbackUrl"/, describeRun(started));
		} finally {
			await scriptInput({ kind: 'warning', choose: 'Remove' });
			await runCommand('graphCalls.profile.remove', tenant.id);
			await vscode.commands.executeCommand('graphCalls.profile.switch', 'emulator');
		}
		assertSucceeded(await runCommand('graphCalls.receiver.stop'));
		assert.equal(api.notifications.receiverUrl, undefined, 'stopped');
		assertSucceeded(await runCommand('graphCalls.receiver.start'));
		assert.match(api.notifications.receiverUrl ?? '', /^http:\/\/127\.0\.0\.1:\d+\/api\/calling$/, 'running again');
	});
});
