import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { loadScenarioFile, runScenario, type OutboundEntry, type ScenarioResult } from '../../../src/core/scenarios';
import { testStateDir } from '../support/emulatorFixture';
import { botCommand, scenarioDir } from '../support/scenarioFiles';

async function run(yaml: string): Promise<ScenarioResult> {
	const dir = scenarioDir({ 's.yaml': yaml });
	return runScenario(loadScenarioFile(path.join(dir, 's.yaml')), { stateDir: testStateDir() });
}

const bot = (env: Record<string, string> = {}) => `bot:\n  command: ${JSON.stringify(botCommand(env))}\n`;

describe('scenarios: world events the emulator plays (group calls, meetings with a lobby, recording invitations, self-mute, manual people)', function () {
	this.timeout(30_000);

	it('an incoming group call: the bot answers the invitation and plays its prompt; people mute and unmute themselves', async () => {
		const r = await run(`clock: 10\n${bot()}call:\n  group: [adele, alex, johanna]\nsteps:\n  - expect: answer\n    within: 15s\n  - expect: playPrompt\n  - mute: alex\n  - unmute: alex\n  - leave: johanna\n  - hangUp: caller\n  - expect: state\n    state: terminated\n    result: 200/5001\n`);
		assert.equal(r.status, 'passed', r.message);
		assert.equal(r.steps[2].actor, 'Alex Wilber');
		const created = r.traffic.find((t) => t.direction === 'in' && JSON.stringify(t).includes('"chatInfo"'));
		assert.ok(created, 'the invitation notification carries chatInfo');
	});

	it('a meeting invitation whose lobby holds the bot until someone admits it', async () => {
		const r = await run(`clock: 10\n${bot()}call:\n  meeting: Weekly sync\n  from: adele\n  lobby: true\nsteps:\n  - expect: answer\n  - expect: state\n    state: established\n  - admit: bot\n  - hangUp: caller\n  - expect: state\n    state: terminated\n`);
		// Established while it waits in the lobby; the admit step finds it there.
		assert.equal(r.status, 'passed', r.message);
		assert.ok(r.traffic.some((t) => t.direction === 'in' && JSON.stringify(t).includes('"isInLobby":true')), 'the bot was told it waits in the lobby');
		// A person who joins later goes through the same lobby, until someone admits them too.
		const joined = await run(`clock: 10\n${bot()}call:\n  meeting: Weekly sync\n  from: adele\n  lobby: true\nsteps:\n  - expect: answer\n  - expect: state\n    state: established\n  - admit: bot\n  - join: megan\n  - admit: megan\n  - hangUp: caller\n`);
		assert.equal(joined.status, 'passed', joined.message);
		const meganWaiting = joined.traffic.some((t) => t.direction === 'in' && /"displayName":"Megan Bowen"[^\]]*"isInLobby":true|"isInLobby":true[^\]]*"displayName":"Megan Bowen"/.test(JSON.stringify(t)));
		assert.ok(meganWaiting, 'the bot was told Megan waits in the lobby');
		const twice = await run(`clock: 10\n${bot()}call:\n  meeting: Weekly sync\n  from: adele\nsteps:\n  - expect: answer\n  - expect: state\n    state: established\n  - join: alex\n`);
		assert.match(twice.message ?? '', /\(409\): Alex Wilber is already in call/);
		const notAdmittable = await run(`clock: 10\n${bot()}call:\n  meeting: Weekly sync\n  from: adele\nsteps:\n  - expect: answer\n  - expect: state\n    state: established\n  - admit: bot\n`);
		assert.equal(notAdmittable.status, 'failed');
		assert.match(notAdmittable.message ?? '', /\(409\).*not in the lobby/);
	});

	it('a policy-based recording invitation is answered within its 5 s window', async () => {
		const r = await run(`clock: 2\n${bot()}call:\n  recording: policy\n  from: adele\n  group: [alex]\nsteps:\n  - expect: answer\n    within: 5s\n  - expect: state\n    state: established\n`);
		assert.equal(r.status, 'passed', r.message);
		const invitation = r.traffic.find((t) => t.direction === 'in' && JSON.stringify(t).includes('PolicyBasedRecording'));
		assert.ok(invitation, 'the notification names the invite reason');
	});

	it('a manual person rings until a step answers for them', async () => {
		const r = await run(`clock: 10\n${bot({ CALL_OUT: '0d5e1a6b-0001-4a00-8000-000000000001' })}people:\n  adele: manual\nsteps:\n  - expect: create\n    to: adele\n  - wait: 5s\n  - answer: adele\n  - expect: state\n    state: established\n    within: 5s\n`);
		assert.equal(r.status, 'passed', r.message);
		assert.equal((r.steps[0].evidence as OutboundEntry).action, 'call.create');
	});
});
