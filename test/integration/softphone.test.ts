/**
 * The softphone's person, through the emulator's control API, against a real bot (the Node sample, its own
 * process): ring it, hear its menu, press 1, get transferred. What the person did and saw becomes a scenario, and
 * that scenario passes when the runner plays it against the same bot.
 */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { parse } from 'yaml';
import { EMULATOR_PEOPLE, startEmulator, type EmulatorHandle } from '../../src/core/emulator';
import { EmulatorControl } from '../../src/core/scenarios/emulatorControl';
import { loadScenarioFile, runScenario } from '../../src/core/scenarios';
import { PersonControl } from '../../src/core/softphone/personControl';
import { PhoneRecorder } from '../../src/core/softphone/phoneRecorder';
import type { PhoneView } from '../../src/core/softphone/phoneView';
import { botContractEnv, repoRoot, startBot, type BotProcess } from './support/botProcess';
import * as calls from '../../src/core/graph/calls';
import { startEmulatorFixture, testStateDir } from './support/emulatorFixture';
import { scenarioDir } from './support/scenarioFiles';

const adele = { kind: 'user' as const, id: EMULATOR_PEOPLE.adele.id, displayName: EMULATOR_PEOPLE.adele.displayName };
const nodeBot = path.join(repoRoot, 'examples/node-bot/start.js');

describe('softphone person against a real bot', function () {
	this.timeout(90000);
	let emu: EmulatorHandle;
	let bot: BotProcess;
	let control: EmulatorControl;

	before(async function () {
		this.timeout(120000);
		emu = await startEmulator({ stateDir: testStateDir() });
		bot = await startBot(process.execPath, [nodeBot], botContractEnv(emu, 1), 60000);
		control = new EmulatorControl(emu.controlUrl, emu.caCertPem);
		// The bot's URL is the app's calling webhook, as in the Teams channel settings.
		await control.send('PATCH', `/apps/${emu.clientId}`, { callingWebhook: bot.url });
	});

	after(async () => {
		control?.dispose();
		await bot?.stop();
		await emu?.stop();
	});

	async function waitForEnded(ctl: EmulatorControl, callId: string): Promise<{ resultInfo: { code: number; subcode: number } }> {
		for (const end = Date.now() + 20000; Date.now() < end; await new Promise((r) => setTimeout(r, 50))) {
			const state = (await ctl.send('GET', '/state')) as { endedCalls: { id: string; resultInfo: { code: number; subcode: number } }[] };
			const ended = state.endedCalls.find((c) => c.id === callId);
			if (ended) return ended;
		}
		throw new Error(`call ${callId} did not end within 20 s`);
	}

	/** Reads the person's view until `done` holds, feeding the recorder as the panel does. */
	async function watch(person: PersonControl, recorder: PhoneRecorder, what: string, done: (v: PhoneView) => boolean): Promise<PhoneView> {
		const deadline = Date.now() + 20000;
		for (;;) {
			const view = await person.view();
			recorder.observe(view);
			if (done(view)) return view;
			if (Date.now() > deadline) throw new Error(`${what} did not happen within 20 s; the person's view: ${JSON.stringify(view)}`);
			await new Promise((r) => setTimeout(r, 50));
		}
	}

	it('rings the bot, sees it answer and listen for keys, presses 1 and is transferred; the session saved as a scenario passes against the same bot', async () => {
		const person = new PersonControl(adele, control);
		const recorder = new PhoneRecorder(adele);
		person.onDidAct((a) => recorder.action(a));

		const callId = await person.callBot();
		assert.match(callId, /^[0-9a-f-]{36}$/);
		// The bot plays its menu and subscribes to tones at once: wait for both before pressing a key.
		let view = await watch(person, recorder, 'the bot answering, playing its menu and subscribing to tones', (v) => v.calls.some((c) => c.callId === callId && c.state === 'established' && c.tonesSubscribed && c.media.some((m) => m.kind === 'prompt')));
		const call = view.calls.find((c) => c.callId === callId)!;
		assert.equal(call.role, 'callingBot');
		assert.deepEqual(view.rings, [], 'nothing rings for the caller');
		assert.ok(view.apps.some((a) => a.id === emu.clientId && a.canBeCalled), 'the bot\'s app is callable (its calling webhook is the bot)');

		await person.press(call, '1');
		view = await watch(person, recorder, 'the transfer ending the bot\'s call', (v) => !v.calls.some((c) => c.callId === callId));
		await assert.rejects(person.press(call, 'x'), /"x" is not a DTMF key/);

		const yaml = recorder.toScenarioYaml('Adele presses 1 and is transferred');
		const doc = parse(yaml) as { call: { from: string }; steps: Record<string, unknown>[] };
		assert.equal(doc.call.from, 'Adele Vance');
		const kinds = doc.steps.map((s) => (s.expect ? `expect ${String(s.expect)}` : Object.keys(s)[0] === 'press' ? `press ${String(s.press)}` : Object.keys(s)[0]));
		// The two requests the bot sends together may be seen in either order.
		assert.deepEqual([kinds[0], [...kinds.slice(1, 3)].sort(), ...kinds.slice(3)], ['expect answer', ['expect playPrompt', 'expect subscribeToTone'], 'press 1', 'expect transfer', 'expect state'], kinds.join(', '));

		const dir = scenarioDir({ 'recorded.yaml': `bot:\n  command: ${JSON.stringify(`"${process.execPath}" "${nodeBot}"`)}\n  startTimeout: 60s\n${yaml}` });
		const result = await runScenario(loadScenarioFile(path.join(dir, 'recorded.yaml')), { stateDir: testStateDir() });
		assert.equal(result.status, 'passed', `${result.message ?? ''}\n${JSON.stringify(result.steps.map((s) => [s.title, s.status, s.message]))}`);
	});

	it('hears the bot\'s menu prompt by its URI while the bot plays it, and mutes and unmutes itself', async () => {
		const person = new PersonControl(adele, control);
		const recorder = new PhoneRecorder(adele);
		person.onDidAct((a) => recorder.action(a));
		const callId = await person.callBot();
		const view = await watch(person, recorder, 'the bot playing its menu', (v) => v.calls.some((c) => c.callId === callId && c.media.some((m) => m.kind === 'prompt' && m.uris.some((u) => /menu\.wav$/.test(u)))));
		const call = view.calls.find((c) => c.callId === callId)!;
		await person.setMuted(call, true);
		await watch(person, recorder, 'the person muted', (v) => v.calls.some((c) => c.callId === callId && c.muted));
		await person.setMuted(call, false);
		await watch(person, recorder, 'the person unmuted', (v) => v.calls.some((c) => c.callId === callId && !c.muted));
		await person.hangUp(call);
		await watch(person, recorder, 'the call ending', (v) => !v.calls.some((c) => c.callId === callId));
		const doc = parse(recorder.toScenarioYaml()) as { steps: Record<string, unknown>[] };
		assert.ok(doc.steps.some((s) => s.expect === 'playPrompt' && /menu\.wav$/.test(String(s.uri))), `the prompt heard is expected: ${JSON.stringify(doc.steps)}`);
		assert.deepEqual(doc.steps.filter((s) => 'mute' in s || 'unmute' in s || 'hangUp' in s), [{ mute: 'Adele Vance' }, { unmute: 'Adele Vance' }, { hangUp: 'caller' }]);
	});

	it('rings while the bot calls the person (behaviour manual), answers it, and a decline ends the next call', async () => {
		const fx = await startEmulatorFixture({ receiver: true, client: true });
		const ctl = new EmulatorControl(fx.emu.controlUrl, fx.emu.caCertPem);
		try {
			const person = new PersonControl(adele, ctl);
			const recorder = new PhoneRecorder(adele);
			person.onDidAct((a) => recorder.action(a));
			await person.setBehaviour('manual');
			await assert.rejects(person.setBehaviour('sometimes'), /behaviour must be one of/);
			const created = await calls.createCall(fx.client, { callbackUri: fx.receiver.url, tenantId: fx.emu.tenantId, kind: 'user', userId: adele.id });
			const callId = String((created.body as { id: string }).id);
			let view = await watch(person, recorder, 'the phone ringing', (v) => v.rings.some((r) => r.callId === callId));
			await new Promise((r) => setTimeout(r, 1500));
			view = await person.view();
			assert.ok(view.rings.some((r) => r.callId === callId), 'a manual person keeps ringing past the usual answer time');
			await person.answer(view.rings[0]);
			view = await watch(person, recorder, 'the call established', (v) => v.calls.some((c) => c.callId === callId && c.state === 'established'));
			assert.equal(view.calls.find((c) => c.callId === callId)!.role, 'calledByBot');
			await person.hangUp(view.calls.find((c) => c.callId === callId)!);
			await watch(person, recorder, 'the call ending', (v) => !v.calls.some((c) => c.callId === callId));
			const doc = parse(recorder.toScenarioYaml()) as { people: Record<string, string>; steps: Record<string, unknown>[] };
			assert.deepEqual(doc.people, { 'Adele Vance': 'manual' });
			assert.deepEqual(doc.steps.slice(0, 2), [{ expect: 'create', to: 'Adele Vance', within: '30s' }, { answer: 'Adele Vance' }]);

			const second = await calls.createCall(fx.client, { callbackUri: fx.receiver.url, tenantId: fx.emu.tenantId, kind: 'user', userId: adele.id });
			const secondId = String((second.body as { id: string }).id);
			view = await watch(person, recorder, 'the phone ringing again', (v) => v.rings.some((r) => r.callId === secondId));
			await person.decline(view.rings.find((r) => r.callId === secondId)!);
			const state = await waitForEnded(ctl, secondId);
			assert.equal(state.resultInfo.code, 603, `a declined call ends as Graph reports a decline: ${JSON.stringify(state.resultInfo)}`);
		} finally {
			ctl.dispose();
			await fx.stop();
		}
	});

	it('hangs up a call it made, and nothing is left to save before a call', async () => {
		const person = new PersonControl(adele, control);
		const recorder = new PhoneRecorder(adele);
		assert.throws(() => recorder.toScenarioYaml(), /call the bot \(or answer its call\) from the softphone first/);
		const callId = await person.callBot();
		const view = await watch(person, recorder, 'the bot answering', (v) => v.calls.some((c) => c.callId === callId && c.state === 'established'));
		await person.hangUp(view.calls.find((c) => c.callId === callId)!);
		await watch(person, recorder, 'the call ending', (v) => !v.calls.some((c) => c.callId === callId));
		const state = (await control.send('GET', '/state')) as { endedCalls: { id: string; resultInfo: { code: number; subcode: number } }[] };
		const ended = state.endedCalls.find((c) => c.id === callId);
		assert.deepEqual(ended && [ended.resultInfo.code, ended.resultInfo.subcode], [200, 4521], 'a Teams user hanging up a 1:1 call ends it 200/4521');
	});
});
