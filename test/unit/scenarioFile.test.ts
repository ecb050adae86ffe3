import * as assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { EMULATOR_PEOPLE } from '../../src/core/emulator';
import { findScenarioFiles, formatDuration, formatProblem, loadSuite, parseDuration, parseScenario, SCENARIO_SCHEMA } from '../../src/core/scenarios';

/** The problems of a scenario text, as `graph-calls test` prints them. */
function problems(text: string): string[] {
	return parseScenario(text, 'ivr.yaml').problems.map(formatProblem);
}

const IVR = `name: IVR sends callers who press 1 to reception
clock: 20
call:
  from: adele
people:
  lidia: { behaviour: answers, answerAfter: 2s }
steps:
  - expect: answer
    within: 15s
    modalities: [audio]
  - expect: playPrompt
    uri: https://bot.example/*.wav
  - press: "1"
  - expect: transfer
    to: Lidia Holloway
  - expect: state
    state: terminated
    result: 200/7015
`;

describe('scenarios: scenario files', () => {
	it('reads a scenario into steps with lines, titles and people resolved against the directory', () => {
		const { scenario, problems: p } = parseScenario(IVR, 'ivr.yaml');
		assert.deepEqual(p, []);
		assert.ok(scenario);
		assert.equal(scenario.clockRate, 20);
		assert.deepEqual(scenario.incoming, { userId: EMULATOR_PEOPLE.adele.id, label: 'Adele Vance' });
		assert.deepEqual(scenario.steps.map((s) => [s.line, s.title]), [
			[8, 'bot answers with audio within 15s'],
			[11, 'bot plays a prompt https://bot.example/*.wav'],
			[13, 'caller presses 1'],
			[14, 'bot transfers to Lidia Holloway'],
			[16, 'call reaches terminated 200/7015'],
		]);
		assert.equal(scenario.steps[0].expect?.withinMs, 15_000);
		assert.equal(scenario.steps[3].expect?.to?.userId, EMULATOR_PEOPLE.lidia.id);
		const lidia = scenario.directory.users.find((u) => u.id === EMULATOR_PEOPLE.lidia.id);
		assert.equal(lidia?.answerAfterMs, 2000, 'people: changes the directory the emulator gets');
	});

	it('names the line of each schema problem, all of them at once', () => {
		const text = [
			'name: bad', //              1
			'clock: fast', //            2
			'call:', //                  3
			'  from: adele', //          4
			'steps:', //                 5
			'  - expect: answr', //      6
			'  - press: "1"', //         7
			'    expect: answer', //     8
			'  - wait: 10 minutes', //   9
			'  - expect: playPrompt', // 10
			'    url: x', //             11
			'  - expect: keepAlive', //  12
			'  - sing: loud', //         13
		].join('\n');
		assert.deepEqual(problems(text), [
			'ivr.yaml:2: "clock" must be a number',
			'ivr.yaml:6: expect is "answr": use one of answer, reject, redirect, playPrompt, recordResponse, subscribeToTone, sendDtmfTones, transfer, invite, hangUp, create, mute, unmute, keepAlive, request, state',
			'ivr.yaml:7: one thing per step: this one has press and expect; split it into 2 steps',
			'ivr.yaml:9: "wait" must be a duration such as 500ms, 15s, 45m or 2h',
			'ivr.yaml:11: unknown key "url": use expect, within, uri',
			'ivr.yaml:12: missing "every"',
			'ivr.yaml:13: a step needs one of press, hangUp, join, leave, hold, resume, wait, mute, unmute, answer, decline, admit, expect; found "sing"',
		]);
	});

	it('places an unknown top-level key on its own line, and YAML syntax errors on theirs', () => {
		assert.deepEqual(problems('name: x\nsteps:\n  - wait: 1s\nclok: 10\n'), ['ivr.yaml:4: unknown key "clok": use name, description, bot, clock, timeout, permissions, people, call, steps']);
		assert.deepEqual(problems('name: x\nsteps:\n  - wait: 1s\n  - press: a: b\n'), ['ivr.yaml:4: Nested mappings are not allowed in compact mappings']);
		assert.deepEqual(problems('name: a\nname: b\nsteps: [ { wait: 1s } ]\n').map((p) => p.slice(0, 11)), ['ivr.yaml:2:']);
	});

	it('reads the world events the emulator plays: group calls, meetings with a lobby, policy recording, self-mute, manual people', () => {
		const group = parseScenario('call:\n  group: [adele, alex]\nsteps:\n  - mute: alex\n  - unmute: alex\n', 's.yaml');
		assert.deepEqual(group.problems, []);
		assert.equal(group.scenario?.invitation?.kind, 'group');
		assert.equal(group.scenario?.invitation?.from.label, 'Adele Vance');
		assert.deepEqual(group.scenario?.steps.map((s) => s.title), ['Alex Wilber mutes themself', 'Alex Wilber unmutes themself']);
		const meeting = parseScenario('call:\n  meeting: Weekly sync\n  from: adele\n  lobby: true\nsteps:\n  - admit: bot\n  - admit: alex\n', 's.yaml');
		assert.deepEqual(meeting.problems, []);
		assert.equal(meeting.scenario?.invitation?.kind, 'meeting');
		assert.equal(meeting.scenario?.directory.meetings.find((m) => m.subject === 'Weekly sync')?.lobbyBypassSettings?.scope, 'organizer');
		assert.deepEqual(meeting.scenario?.steps.map((s) => s.title), ['the bot is admitted from the lobby', 'Alex Wilber is admitted from the lobby']);
		const recording = parseScenario('call:\n  recording: policy\n  from: adele\nsteps:\n  - expect: answer\n', 's.yaml');
		assert.equal(recording.scenario?.invitation?.kind, 'recording');
		const manual = parseScenario('people:\n  adele: manual\nsteps:\n  - expect: create\n  - answer: adele\n', 's.yaml');
		assert.deepEqual(manual.problems, []);
		assert.equal(manual.scenario?.directory.users.find((u) => u.displayName === 'Adele Vance')?.behaviour, 'manual');
	});

	it('says what is wrong with world events: a recording without its person, a lobby without a meeting, a phone that invites', () => {
		const text = [
			'call:', //                1
			'  recording: policy', //  2
			'  lobby: true', //        3
			'steps:', //               4
			'  - mute: "+14255550101"', // 5
		].join('\n');
		const p = problems(text);
		assert.equal(p.length, 3, p.join('\n'));
		assert.match(p[0], /^ivr\.yaml:3: a lobby belongs to a meeting/);
		assert.match(p[1], /^ivr\.yaml:2: missing "from": the person under the recording policy/);
		assert.match(p[2], /^ivr\.yaml:5: mute takes a person/);
		assert.match(problems('call:\n  group: [adele]\n  from: "+14255550101"\nsteps:\n  - wait: 1s\n')[0], /^ivr\.yaml:3: only a Teams user invites the bot/);
	});

	it('rejects people the directory does not know, listing who it knows, and world actions without a call', () => {
		const p = problems('call:\n  from: zed\nsteps:\n  - expect: transfer\n    to: nobody\n');
		assert.match(p[0], /^ivr\.yaml:2: nobody called "zed" in the emulator's directory: use adele, alex, .*\+14255550101/);
		assert.match(p[1], /^ivr\.yaml:5: nobody called "nobody"/);
		assert.deepEqual(problems('steps:\n  - wait: 1s\n  - press: "1"\n'), ['ivr.yaml:3: "press" needs a call: add "call: { from: ... }" or an "expect: create" step before it']);
		assert.deepEqual(problems('steps:\n  - expect: create\n    to: adele\n  - press: "1"\n'), [], 'a call the bot creates is a call too');
	});

	it('adds new people and phones from "people", and checks request actions against the endpoint table', () => {
		const { scenario } = parseScenario('people:\n  Sam Smith: declines\n  "+15550001111": busy\ncall:\n  from: sam smith\nsteps:\n  - expect: request\n    action: call.updateRecordingStatus\n    body: { status: recording }\n', 's.yaml');
		assert.ok(scenario);
		assert.equal(scenario.incoming?.label, 'Sam Smith');
		assert.ok(scenario.directory.phones.some((ph) => ph.id === '+15550001111' && ph.behaviour === 'busy'));
		assert.deepEqual(problems('call:\n  from: adele\nsteps:\n  - expect: request\n    action: call.dance\n'), ['ivr.yaml:5: no action "call.dance" in the endpoint table: use one such as call.updateRecordingStatus or participant.mute']);
	});

	it('parses durations both ways', () => {
		assert.equal(parseDuration('500ms'), 500);
		assert.equal(parseDuration('45m'), 2_700_000);
		assert.equal(parseDuration('2h'), 7_200_000);
		assert.equal(parseDuration(1.5), 1500);
		assert.throws(() => parseDuration('soon'), /not a duration/);
		assert.equal(formatDuration(2_700_000), '45m');
		assert.equal(formatDuration(1500), '1.5s');
		assert.equal(formatDuration(90_000), '1m 30s');
		assert.equal(formatDuration(7_244_000), '2h 44s');
	});

	it('publishes a schema editors can use: every step and expectation kind is described', () => {
		const defs = SCENARIO_SCHEMA.definitions as Record<string, unknown>;
		for (const kind of SCENARIO_SCHEMA.definitions.expectKind.enum) assert.ok(defs[`expect${kind[0].toUpperCase()}${kind.slice(1)}`], kind);
		assert.equal(SCENARIO_SCHEMA.definitions.step.oneOf.length, 13);
	});
});

describe('scenarios: suites and bot configs', () => {
	const root = mkdtempSync(path.join(tmpdir(), 'scenario-suite-'));
	mkdirSync(path.join(root, 'calls', 'node_modules'), { recursive: true });
	writeFileSync(path.join(root, 'graph-calls.json'), '{\n  "bot": { "command": "node bot.js", "cwd": "bot" }\n}\n');
	writeFileSync(path.join(root, 'calls', 'answer.yaml'), 'call:\n  from: adele\nsteps:\n  - expect: answer\n');
	writeFileSync(path.join(root, 'calls', 'own-bot.yml'), 'bot:\n  url: http://127.0.0.1:3978/api/calling\ncall:\n  from: adele\nsteps:\n  - expect: answer\n');
	writeFileSync(path.join(root, 'calls', 'compose.yaml'), 'services:\n  db: {}\n');
	writeFileSync(path.join(root, 'calls', 'node_modules', 'x.yaml'), 'steps: []\n');

	it('finds scenario files in directories (YAML with top-level steps), skipping other YAML and node_modules', () => {
		const { files, problems: p } = findScenarioFiles([root, path.join(root, 'missing.yaml')]);
		assert.deepEqual(files.map((f) => path.relative(root, f)), [path.join('calls', 'answer.yaml'), path.join('calls', 'own-bot.yml')]);
		assert.deepEqual(p.map((x) => x.message), ['no such file or directory']);
	});

	it('takes the bot from the scenario, else from the nearest graph-calls.json, resolving cwd against that file', () => {
		const suite = loadSuite([path.join(root, 'calls', 'answer.yaml'), path.join(root, 'calls', 'own-bot.yml')]);
		assert.deepEqual(suite.problems, []);
		assert.equal(suite.scenarios[0].bot?.command, 'node bot.js');
		assert.equal(suite.scenarios[0].bot?.cwd, path.join(root, 'bot'));
		assert.equal(suite.scenarios[1].bot?.url, 'http://127.0.0.1:3978/api/calling');
	});

	it('reports a bad graph-calls.json with its line, and a scenario without any bot', () => {
		const other = mkdtempSync(path.join(tmpdir(), 'scenario-config-'));
		writeFileSync(path.join(other, 'graph-calls.json'), '{\n  "bot": {\n    "comand": "node bot.js"\n  }\n}\n');
		writeFileSync(path.join(other, 'a.yaml'), 'call:\n  from: adele\nsteps:\n  - expect: answer\n');
		const bad = loadSuite([path.join(other, 'a.yaml')]);
		assert.deepEqual(bad.problems.map((p) => `${path.basename(p.file)}:${p.line}: ${p.message}`), ['graph-calls.json:3: unknown key "comand": use command, cwd, env, url, callbackPath, startTimeout']);
		writeFileSync(path.join(other, 'graph-calls.json'), '{}');
		const none = loadSuite([path.join(other, 'a.yaml')]);
		assert.match(none.problems[0].message, /^no bot to test/);
	});
});
