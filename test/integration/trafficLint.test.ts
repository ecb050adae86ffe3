// A real traffic record from the emulator: the bot's requests through the GraphClient and the notifications its
// webhook receiver got, built into HAR with the TrafficRecorder, then linted. Accelerated clocks let 45 minutes
// without keepAlive, or a late answer, happen in a second; the recorder writes emulated times.
import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { EMULATOR_PEOPLE, type EmulatorHandle } from '../../src/core/emulator';
import { answerCall, createCall, deleteCall, keepAlive, playPrompt } from '../../src/core/graph/calls';
import type { GraphClient } from '../../src/core/graph/graphClient';
import { parseHar } from '../../src/core/traffic/harReader';
import { lintTraffic } from '../../src/core/traffic/lint';
import { TrafficRecorder } from '../../src/core/traffic/trafficRecord';
import { startEmulatorFixture, type EmulatorFixture } from './support/emulatorFixture';
import { waitFor } from './support/waitFor';

/** The bot's calling webhook: acknowledges with 202 and records each POST (with its own answer) as an in entry. */
class RecordingWebhook {
	readonly bodies: { value: { resourceUrl: string; resourceData: Record<string, unknown> }[] }[] = [];
	private readonly server = http.createServer((req, res) => {
		const started = Date.now();
		const chunks: Buffer[] = [];
		req.on('data', (c: Buffer) => chunks.push(c));
		req.on('end', () => {
			const body = Buffer.concat(chunks).toString('utf8');
			res.writeHead(202).end(() => {
				this.recorder.addNotification({ url: this.url, startedDateTime: new Date(started).toISOString(), durationMs: Date.now() - started, headers: req.headers as Record<string, string>, body, status: 202 });
				this.bodies.push(JSON.parse(body));
			});
		});
	});
	url = '';

	constructor(private readonly recorder: TrafficRecorder) {}

	async start(): Promise<this> {
		await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', () => r()));
		this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/api/calling`;
		return this;
	}

	stateOf(callId: string): string | undefined {
		let state: string | undefined;
		for (const b of this.bodies) for (const n of b.value) if (n.resourceUrl.toLowerCase().replace(/-/g, '').endsWith(callId.toLowerCase().replace(/-/g, '')) && typeof n.resourceData?.state === 'string') state = n.resourceData.state as string;
		return state;
	}

	stop(): Promise<void> {
		this.server.closeAllConnections();
		return new Promise((r) => this.server.close(() => r()));
	}
}

describe('traffic lint on a recording from the emulator', function () {
	this.timeout(30_000);
	let fx: EmulatorFixture | undefined;
	let emu: EmulatorHandle;
	let client: GraphClient;
	let webhook: RecordingWebhook;
	let recorder: TrafficRecorder;
	const adele = EMULATOR_PEOPLE.adele;

	async function setUp(clockSpeed: number): Promise<void> {
		const origin = Date.now();
		fx = await startEmulatorFixture({ emulator: { clockSpeed, timings: { establishMs: 200, defaultAnswerAfterMs: 300 } }, client: true });
		({ emu, client } = fx);
		recorder = new TrafficRecorder({ timeScale: { speed: clockSpeed, origin } });
		client.onDidRequest((e) => recorder.addRequest(e));
		recorder.noteToken((await fx.tokens.getToken()).token);
		webhook = await new RecordingWebhook(recorder).start();
	}

	afterEach(async () => {
		await webhook?.stop();
		await fx?.stop();
		fx = undefined;
	});

	it('a call kept alive and hung up cleanly has no error, and the roles it did not need are named', async () => {
		await setUp(1);
		const call = (await createCall(client, { kind: 'user', userId: adele.id, displayName: adele.displayName, callbackUri: webhook.url, tenantId: emu.tenantId })).body!;
		await waitFor('the call to be established', () => webhook.stateOf(call.id!) === 'established');
		await keepAlive(client, call.id!);
		await playPrompt(client, call.id!, { promptUris: ['https://cdn.contoso.com/welcome.wav'] });
		await waitFor('the prompt to finish', () => webhook.bodies.some((b) => b.value.some((n) => /\/operations\//i.test(n.resourceUrl) && ['completed', 'failed'].includes(n.resourceData?.status as string))));
		await deleteCall(client, call.id!);
		await waitFor('the call to end', () => webhook.stateOf(call.id!) === 'terminated');
		await emu.webhooksIdle();

		const har = parseHar(JSON.stringify(recorder.toHar('test')));
		assert.ok(har.log.entries.some((e) => e._direction === 'in') && har.log.entries.some((e) => e._direction === 'out'));
		const findings = lintTraffic(har);
		assert.deepEqual(findings.filter((f) => f.severity === 'error'), []);
		const unused = findings.filter((f) => f.rule === 'unused-permission');
		// The emulator's app holds all five calls permissions; a 1:1 call with service-hosted media needs Calls.Initiate.All.
		assert.equal(unused.length, 1);
		assert.match(unused[0].message, /Least privilege for what it did: Calls\.Initiate\.All\./);
	});

	it('an established call with no keepAlive over an accelerated clock is flagged where Graph ended it (408/8537)', async () => {
		// 45 emulated minutes pass in 1.35 s.
		await setUp(2000);
		const call = (await createCall(client, { kind: 'user', userId: adele.id, displayName: adele.displayName, callbackUri: webhook.url, tenantId: emu.tenantId })).body!;
		await waitFor('the call to be established', () => webhook.stateOf(call.id!) === 'established', 10_000);
		await waitFor('the emulator to end the call for lack of keepAlive', () => webhook.stateOf(call.id!) === 'terminated', 15_000);
		await emu.webhooksIdle();

		const har = recorder.toHar('test');
		const all = lintTraffic(har);
		// Only the missing keepAlive, and the permissions a 1:1 call does not need: no answer-late, callback-slow, ...
		assert.deepEqual([...new Set(all.map((f) => f.rule))].sort(), ['keepalive-missing', 'unused-permission']);
		const findings = all.filter((f) => f.rule === 'keepalive-missing');
		assert.equal(findings.length, 1);
		const entry = har.log.entries[findings[0].entry];
		assert.equal(entry._direction, 'in');
		assert.match(entry.request.postData!.text, /8537/);
		assert.match(findings[0].message, /408\/8537/);
		// The recorder wrote emulated time: the record spans at least the 45 minutes the emulator waited.
		const span = Date.parse(har.log.entries[har.log.entries.length - 1].startedDateTime) - Date.parse(har.log.entries[0].startedDateTime);
		assert.ok(span >= 45 * 60_000, `the record spans ${span} ms`);
	});

	it('an incoming call answered 20 emulated seconds after the notification is flagged answer-late', async () => {
		await setUp(100);
		const callId = emu.incomingCall({ userId: adele.id }, webhook.url);
		await waitFor('the incoming notification', () => webhook.stateOf(callId) !== undefined);
		// 200 ms real = 20 s emulated: past the 15 s window. The emulator refuses the answer; the bot still sent it.
		await new Promise((r) => setTimeout(r, 200));
		await answerCall(client, callId, { callbackUri: webhook.url }).catch(() => undefined);
		await emu.webhooksIdle();

		const har = recorder.toHar('test');
		const late = lintTraffic(har).filter((f) => f.rule === 'answer-late');
		assert.equal(late.length, 1);
		assert.match(har.log.entries[late[0].entry].request.url, /\/answer$/);
	});
});
