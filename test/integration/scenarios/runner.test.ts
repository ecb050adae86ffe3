import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { EMULATOR_TENANT } from '../../../src/core/emulator';
import { loadScenarioFile, runScenario, runSuite, type InboundEntry, type OutboundEntry, type ScenarioResult, type ScenarioRunEvent } from '../../../src/core/scenarios';
import { testStateDir } from '../support/emulatorFixture';
import { botCommand, ivrScenario, scenarioDir } from '../support/scenarioFiles';

const stateDir = testStateDir();

async function run(yaml: string, onEvent?: (e: ScenarioRunEvent) => void): Promise<ScenarioResult> {
	const dir = scenarioDir({ 's.yaml': yaml });
	return runScenario(loadScenarioFile(path.join(dir, 's.yaml')), { stateDir, onEvent });
}

function answerScenario(bot: string, extra = ''): string {
	return `clock: 10\nbot:\n  command: ${JSON.stringify(bot)}\n  startTimeout: 3s\ncall:\n  from: adele\nsteps:\n  - expect: answer\n    within: 15s\n${extra}`;
}

describe('scenarios: the runner against a real bot process', function () {
	this.timeout(30_000);

	it('passes the IVR scenario, each step with the request or notification that met it, and records the whole call', async () => {
		const events: ScenarioRunEvent[] = [];
		const r = await run(ivrScenario(botCommand()), (e) => events.push(e));
		assert.equal(r.status, 'passed', r.message);
		assert.deepEqual(r.steps.map((s) => s.status), ['passed', 'passed', 'passed', 'passed', 'passed', 'passed', 'passed']);
		const answer = r.steps[0].evidence as OutboundEntry;
		assert.equal(answer.action, 'call.answer');
		assert.deepEqual((answer.requestBody as { acceptedModalities: string[] }).acceptedModalities, ['audio']);
		assert.equal((r.steps[4].evidence === undefined), true, 'a world action has no evidence');
		const transfer = r.steps[5].evidence as OutboundEntry;
		assert.equal(transfer.action, 'call.transfer');
		assert.ok(transfer.at > (r.steps[4].startedAt ?? 0), 'the transfer counts only after the key press');
		const ended = r.steps[6].evidence as InboundEntry;
		assert.equal(ended.direction, 'in');
		assert.equal(ended.status, 202, 'the notification entry carries the bot\'s own response status');
		// The whole traffic: the token request, Graph requests and the notifications, in order, without secrets.
		assert.ok(r.traffic.some((t) => t.direction === 'out' && t.action === 'token'));
		assert.ok(r.traffic.filter((t) => t.direction === 'in').length >= 4);
		const text = JSON.stringify(r.traffic);
		assert.ok(!text.includes(EMULATOR_TENANT.clientSecret), 'the client secret is redacted');
		assert.ok(!/eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\./.test(text), 'no access token or webhook JWT in the traffic');
		// Events a live view can follow: started, then each step started and finished in order, then finished.
		const kinds = events.filter((e) => e.type !== 'traffic' && e.type !== 'botOutput').map((e) => (e.type === 'stepStarted' ? `start ${e.index}` : e.type === 'stepFinished' ? `end ${e.step.index}` : e.type));
		assert.deepEqual(kinds, ['scenarioStarted', ...[0, 1, 2, 3, 4, 5, 6].flatMap((i) => [`start ${i}`, `end ${i}`]), 'scenarioFinished']);
		assert.ok(events.some((e) => e.type === 'traffic'));
	});

	it('runs a two-hour call in seconds on the scenario\'s clock, and checks keepAlive over it', async () => {
		const yaml = (mode: string, wait = '2h') => `clock: 1000\nbot:\n  command: ${JSON.stringify(botCommand({ BOT_MODE: mode, CALL_OUT: '0d5e1a6b-0001-4a00-8000-000000000001' }))}\nsteps:\n  - expect: create\n    to: adele\n  - expect: state\n    state: established\n  - wait: ${wait}\n  - expect: keepAlive\n    every: 45m\n`;
		const started = Date.now();
		const good = await run(yaml('normal'));
		assert.equal(good.status, 'passed', good.message);
		assert.match(good.steps[3].message ?? '', /keepAlive request\(s\) in 2h\b/);
		assert.ok(Date.now() - started < 20_000);
		const lazy = await run(yaml('no-keepalive', '1h'));
		assert.equal(lazy.status, 'failed');
		assert.equal(lazy.line, 10, lazy.message);
		assert.match(lazy.message ?? '', /0 keepAlive request\(s\) in \d+m.*the call ended with 408\/8537/);
	});

	it('fails with the reason, never hangs, when the bot misbehaves', async () => {
		const crash = await run(answerScenario(botCommand({ BOT_MODE: 'crash-on-start' })));
		assert.equal(crash.status, 'failed');
		assert.match(crash.message ?? '', /the bot exited with code 3 before it listened on BOT_PORT/);
		assert.match(crash.botOutput ?? '', /configuration error/);

		const missing = await run(answerScenario('definitely-not-a-command-xyz'));
		assert.match(missing.message ?? '', /exited with code 127 \(the shell did not find the command\)/);

		const wrongPort = await run(answerScenario(botCommand({ BOT_MODE: 'wrong-port' })));
		assert.match(wrongPort.message ?? '', /did not listen on 127\.0\.0\.1:\d+ within 3 s: it must listen on the port given in BOT_PORT/);

		const errors = await run(answerScenario(botCommand({ BOT_MODE: 'error-500' })));
		assert.equal(errors.line, 8);
		assert.match(errors.message ?? '', /nothing within 15s .*no call\.answer request for the call.*notification POST\(s\) to http:\/\/127\.0\.0\.1:\d+\/api\/calling failed: the bot answered 500/);

		const malformed = await run(answerScenario(botCommand({ BOT_MODE: 'malformed-answer' })));
		assert.match(malformed.message ?? '', /the bot sent 1 call\.answer request\(s\), not as expected: POST \S+\/answer -> 400/);
		assert.equal((malformed.steps[0].evidence as OutboundEntry).status, 400, 'the failed request is the evidence');

		const exits = await run(answerScenario(botCommand({ BOT_MODE: 'exit-after-answer' }), '  - expect: playPrompt\n'));
		assert.equal(exits.steps[0].status, 'passed');
		assert.match(exits.message ?? '', /bot plays a prompt: the bot exited with code 4/);
	});

	it('fails a bot that never acknowledges a notification within the step\'s time, not after the emulator\'s retries', async () => {
		const started = Date.now();
		const r = await run(answerScenario(botCommand({ BOT_MODE: 'never-ack' })));
		assert.equal(r.status, 'failed');
		assert.match(r.message ?? '', /nothing within 15s \(emulated; 1\.5s real\); no call\.answer request/);
		assert.ok(Date.now() - started < 10_000, `took ${Date.now() - started} ms`);
	});

	it('fails when nothing listens at a bot URL, and when the scenario\'s own timeout runs out', async () => {
		const dir = scenarioDir({ 'u.yaml': 'bot:\n  url: http://127.0.0.1:9/api/calling\n  startTimeout: 1s\ncall:\n  from: adele\nsteps:\n  - expect: answer\n' });
		const r = await runScenario(loadScenarioFile(path.join(dir, 'u.yaml')), { stateDir, emulatorPort: 0 });
		assert.match(r.message ?? '', /nothing accepts connections at http:\/\/127\.0\.0\.1:9\/api\/calling: start the bot first/);
		const slow = await run(`timeout: 1s\nbot:\n  command: ${JSON.stringify(botCommand({ BOT_MODE: 'no-prompt' }))}\ncall:\n  from: adele\nsteps:\n  - expect: playPrompt\n`);
		assert.match(slow.message ?? '', /the scenario's timeout \(1s real time, plus its waits\) ran out/);
	});

	it('plays the caller hanging up through the control API, and a step the emulator refuses fails with its reason', async () => {
		const hangUp = await run(answerScenario(botCommand(), '  - expect: state\n    state: established\n  - hangUp: caller\n  - expect: state\n    state: terminated\n    result: 200/4521\n'));
		assert.equal(hangUp.status, 'passed', hangUp.message);
		const twice = await run(answerScenario(botCommand(), '  - hangUp: caller\n  - wait: 5s\n  - hangUp: caller\n'));
		assert.equal(twice.status, 'failed');
		assert.equal(twice.line, 12);
		assert.match(twice.message ?? '', /caller hangs up: the emulator could not do it \(404\): /);
	});

	it('runs scenarios in parallel, each on its own emulator and bot', async () => {
		const dir = scenarioDir({ 'a.yaml': ivrScenario(botCommand()), 'b.yaml': ivrScenario(botCommand()), 'c.yaml': answerScenario(botCommand({ BOT_MODE: 'error-500' })) });
		const scenarios = ['a.yaml', 'b.yaml', 'c.yaml'].map((f) => loadScenarioFile(path.join(dir, f)));
		const results = await runSuite(scenarios, { stateDir, concurrency: 3 });
		assert.deepEqual(results.map((r) => r.status), ['passed', 'passed', 'failed']);
		const callIds = new Set(results.map((r) => r.callId));
		assert.equal(callIds.size, 3);
	});
});
