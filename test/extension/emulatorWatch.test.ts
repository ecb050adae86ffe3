// Watching the bot inside a real extension host: with the emulator profile active, a call another client makes
// directly against the emulator (a plain undici request with another app's token, as a bot would) appears in the
// Calls view, named by that app, and follows its states and participants live, without the extension polling it;
// lint findings of the live traffic and of a HAR file reach the Problems panel with the rule id as their code, and a
// call's own findings are one command away from its row.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { Agent, request } from 'undici';
import type { GraphCallsApi } from '../../src/api';
import { assertSucceeded, emulatorProfile, getApi, runCommand, useEmulatorProfile } from './support/api';
import { closeControlAgents, controlOk } from './support/emulatorControl';
import { waitFor as pollUntil } from './support/waitFor';

const waitFor = <T>(what: string, probe: () => Promise<T | undefined | false> | T | undefined | false) => pollUntil(what, probe, 15_000, 100);
const ADELE = { id: '0d5e1a6b-0001-4a00-8000-000000000001', displayName: 'Adele Vance' };

describe('emulator watch: every emulator call in the Calls view', function () {
	this.timeout(60_000);
	let api: GraphCallsApi;
	let agent: Agent;
	let bot: { clientId: string; clientSecret: string; token: string };

	before(async () => {
		api = await getApi();
		await useEmulatorProfile(api);
		agent = new Agent({ connect: { ca: emulatorProfile(api)!.emulator!.caCertPem } });
		const app = await controlOk<{ clientId: string; clientSecret: string }>(api, 'POST', '/apps', { displayName: 'Contoso Front Desk Bot' });
		const endpoints = api.emulator.endpoints!;
		const tok = await request(`${endpoints.authority}/oauth2/v2.0/token`, {
			method: 'POST', dispatcher: agent, headers: { 'content-type': 'application/x-www-form-urlencoded' },
			body: new URLSearchParams({ grant_type: 'client_credentials', client_id: app.clientId, client_secret: app.clientSecret, scope: `${endpoints.graphHost}/.default` }).toString(),
		});
		assert.equal(tok.statusCode, 200);
		bot = { ...app, token: ((await tok.body.json()) as { access_token: string }).access_token };
	});
	after(async () => {
		await agent?.close();
		await closeControlAgents();
	});

	it('shows a call the bot made with its own token, marked with the bot\'s app, with live states and participants', async () => {
		const endpoints = api.emulator.endpoints!;
		const before = api.requests.list().length;
		const res = await request(`${endpoints.graphHost}/v1.0/communications/calls`, {
			method: 'POST', dispatcher: agent, headers: { authorization: `Bearer ${bot.token}`, 'content-type': 'application/json' },
			body: JSON.stringify({
				'@odata.type': '#microsoft.graph.call', callbackUri: 'https://127.0.0.1:9/bot/callback', tenantId: emulatorProfile(api)!.tenantId, requestedModalities: ['audio'],
				mediaConfig: { '@odata.type': '#microsoft.graph.serviceHostedMediaConfig' },
				targets: [{ '@odata.type': '#microsoft.graph.invitationParticipantInfo', identity: { user: ADELE } }],
			}),
		});
		assert.equal(res.statusCode, 201);
		const callId = ((await res.body.json()) as { id: string }).id;

		await waitFor('the bot\'s call in the Calls view', () => api.calls.get(callId));
		assert.equal(api.calls.otherApp(callId), 'Contoso Front Desk Bot');
		await waitFor('established, live', () => api.calls.get(callId)?.call.state === 'established');
		await waitFor('its participants', () => (api.calls.get(callId)?.participants.size ?? 0) >= 2);
		// The extension learned all this from the feed: it sent nothing for the bot's call.
		assert.ok(api.requests.list().slice(before).every((r) => !r.url.toLowerCase().includes(callId.toLowerCase())), 'no request of the extension names the bot\'s call');

		// The other side hangs up: the view follows.
		await controlOk(api, 'POST', `/calls/${callId}/hangUp`);
		await waitFor('terminated, live', () => api.calls.get(callId)?.ended);
		assert.equal(api.calls.otherApp(callId), 'Contoso Front Desk Bot');
	});

	it('puts lint findings of the live traffic and of a HAR file in the Problems panel, coded with the rule and its docs', async () => {
		// The bot's create above had no problem; one without tenantId breaks missing-tenant-id.
		const endpoints = api.emulator.endpoints!;
		const res = await request(`${endpoints.graphHost}/v1.0/communications/calls`, {
			method: 'POST', dispatcher: agent, headers: { authorization: `Bearer ${bot.token}`, 'content-type': 'application/json' },
			body: JSON.stringify({
				'@odata.type': '#microsoft.graph.call', callbackUri: 'https://127.0.0.1:9/bot/callback', requestedModalities: ['audio'],
				mediaConfig: { '@odata.type': '#microsoft.graph.serviceHostedMediaConfig' },
				targets: [{ '@odata.type': '#microsoft.graph.invitationParticipantInfo', identity: { user: ADELE } }],
			}),
		});
		const created = (await res.body.json()) as { id: string };
		const live = vscode.Uri.parse('graph-calls-traffic:/Emulator%20Traffic.har');
		const finding = await waitFor('a missing-tenant-id diagnostic on the live traffic', () => vscode.languages.getDiagnostics(live).find((d) => typeof d.code === 'object' && d.code.value === 'missing-tenant-id'));
		assert.ok(typeof finding.code === 'object' && /^https:\/\/learn\.microsoft\.com\//.test(finding.code.target.toString()), 'the code links to the Graph docs');
		assertSucceeded(await runCommand('graphCalls.traffic.showLive'));
		const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === live.toString());
		assert.ok(doc, 'the live traffic document is open');
		assert.ok(!doc.getText().includes(bot.token) && !doc.getText().includes(bot.clientSecret), 'the document shows redacted traffic');
		assert.match(doc.lineAt(finding.range.start.line).text, /\{/, 'the finding sits on its entry');

		// The call's row in the Calls view carries its findings; Show Lint Findings opens the traffic on the worst one.
		const forCall = assertSucceeded(await runCommand<{ rule: string; callId?: string }[]>('graphCalls.call.showLintFindings', { callId: created.id })) ?? [];
		assert.ok(forCall.some((f) => f.rule === 'missing-tenant-id'), JSON.stringify(forCall));
		assert.ok(forCall.every((f) => f.callId === created.id.replace(/-/g, '').toLowerCase()), 'only that call\'s findings');
		const editor = vscode.window.activeTextEditor;
		assert.equal(editor?.document.uri.toString(), live.toString());
		const worst = vscode.languages.getDiagnostics(live).find((d) => d.range.start.line === editor!.selection.start.line);
		assert.ok(worst && typeof worst.code === 'object' && forCall.some((f) => f.rule === (worst.code as { value: string }).value), 'the selection is on one of the call\'s findings');
		const unrelated = assertSucceeded(await runCommand<unknown[]>('graphCalls.call.showLintFindings', { callId: '00000000-0000-4000-8000-00000000dead' }));
		assert.deepEqual(unrelated, []);

		// A HAR file: the emulator's own record, saved to disk and linted by the command.
		const har = await request(`${endpoints.controlUrl}/traffic`, { dispatcher: agent });
		const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'graph-calls-lint-')), 'bot.har');
		fs.writeFileSync(file, JSON.stringify(await har.body.json(), null, 2));
		const uri = vscode.Uri.file(file);
		assertSucceeded(await runCommand('graphCalls.traffic.lint', uri));
		const onFile = vscode.languages.getDiagnostics(uri);
		assert.ok(onFile.some((d) => typeof d.code === 'object' && d.code.value === 'missing-tenant-id' && d.source === 'Graph Calls lint'));
	});
});
